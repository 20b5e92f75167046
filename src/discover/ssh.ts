/**
 * Agentless discovery of Linux hosts over SSH (ssh2): key or ssh-agent authentication (never a
 * password), host keys checked against known_hosts, read-only commands (src/discover/script.ts),
 * a per-host time limit and a concurrency limit. One host failing never stops the others: each
 * gets an outcome.
 */
import {readFile} from 'node:fs/promises'

import ssh2, {type ClientChannel, type ConnectConfig} from 'ssh2'

import type {AgentFile} from '../model/agent-file.js'
import {buildSshDocument} from './document.js'
import type {SshTarget} from './hosts.js'
import {blobKeyType, type KnownHostsFile} from './known-hosts.js'
import type {Reading} from './sample.js'
import {INVENTORY_SCRIPT, SECTION_MARK, samplingScript, splitSamples, splitSections} from './script.js'

export type FailureCode =
  | 'UNREACHABLE'
  | 'TIMEOUT'
  | 'AUTH_FAILED'
  | 'NO_CREDENTIALS'
  | 'KEY_UNREADABLE'
  | 'HOST_KEY_UNKNOWN'
  | 'HOST_KEY_CHANGED'
  | 'HOST_KEY_REVOKED'
  | 'UNSUPPORTED_OS'
  | 'COMMAND_FAILED'
  | 'SSH_ERROR'

export interface HostOutcome {
  readonly host: string
  readonly port: number
  readonly user: string
  /** Hosts file line or --cidr block it came from. */
  readonly origin: string
  readonly status: 'ok' | 'failed'
  readonly error?: {readonly code: FailureCode; readonly message: string; readonly hint?: string}
  /** The host's own name, when discovered. */
  readonly hostname?: string
  /** `recorded` when --accept-new added its key to known_hosts. */
  readonly hostKey?: 'known' | 'recorded'
  readonly seconds: number
}

export interface DiscoverOptions {
  readonly knownHosts: KnownHostsFile
  /** Record the key of a host not in known_hosts (a changed key still fails). */
  readonly acceptNew: boolean
  /** Per host: connect, authenticate and run the inventory (the sampling window comes on top). */
  readonly timeoutMs: number
  readonly concurrency: number
  /** Private key file used for hosts without their own. */
  readonly keyFile?: string
  /** ssh-agent socket ($SSH_AUTH_SOCK). */
  readonly agentSocket?: string
  readonly sample?: {readonly durationMs: number; readonly intervalMs: number}
  readonly version: string
  /** Called as each host finishes. */
  readonly onHost?: (outcome: HostOutcome) => void
}

export interface HostResult {
  readonly outcome: HostOutcome
  readonly doc?: AgentFile
}

/** Largest output read from one command run. */
const MAX_OUTPUT = 64 * 1024 * 1024

const DEFAULT_HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
  'ssh-rsa',
]

/** Host key algorithms, those of keys already known for the host first (as OpenSSH orders them). */
export function hostKeyOrder(knownTypes: readonly string[]): string[] {
  const first = knownTypes.flatMap((t) => (t === 'ssh-rsa' ? ['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'] : [t]))
  return [...new Set([...first.filter((a) => DEFAULT_HOST_KEY_ALGORITHMS.includes(a)), ...DEFAULT_HOST_KEY_ALGORITHMS])]
}

class HostFailure extends Error {
  constructor(
    readonly code: FailureCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message)
  }
}

function classify(error: Error & {code?: string; level?: string}): HostFailure {
  if (error instanceof HostFailure) return error
  const code = error.code ?? ''
  if (['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'ECONNRESET'].includes(code)) {
    return new HostFailure(
      'UNREACHABLE',
      `${code === 'ENOTFOUND' || code === 'EAI_AGAIN' ? 'cannot resolve the host name' : 'cannot connect'} (${code})`,
      'Check the address, the port and the firewall.',
    )
  }
  if (error.level === 'client-timeout' || /timed out/i.test(error.message))
    return new HostFailure('TIMEOUT', error.message, 'Raise --timeout, or check that SSH answers on that port.')
  if (error.level === 'client-authentication') {
    return new HostFailure(
      'AUTH_FAILED',
      `authentication refused: ${error.message}`,
      "Check the user and that its authorized_keys holds the key's public half.",
    )
  }
  return new HostFailure('SSH_ERROR', error.message)
}

/** Run a script on an open connection through `sh -s`; resolves with its standard output. */
function runScript(conn: ssh2.Client, script: string, onData?: (chunk: string) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    conn.exec('env LC_ALL=C sh -s', (err: Error | undefined, stream: ClientChannel) => {
      if (err) return reject(new HostFailure('COMMAND_FAILED', `cannot run commands: ${err.message}`))
      let out = ''
      stream.on('data', (c: Buffer) => {
        const s = c.toString('utf8')
        if (out.length < MAX_OUTPUT) out += s
        onData?.(s)
      })
      stream.stderr.on('data', () => undefined)
      stream.on('close', () => resolve(out))
      stream.on('error', (e: Error) => reject(new HostFailure('COMMAND_FAILED', e.message)))
      stream.end(script)
    })
  })
}

async function credentials(target: SshTarget, options: DiscoverOptions): Promise<Pick<ConnectConfig, 'privateKey' | 'agent'>> {
  const keyFile = target.keyFile ?? options.keyFile
  let privateKey: Buffer | undefined
  if (keyFile) {
    try {
      privateKey = await readFile(keyFile)
    } catch (error) {
      throw new HostFailure(
        'KEY_UNREADABLE',
        `cannot read the key ${keyFile} (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
        'Check the key path and its permissions.',
      )
    }
    if (/ENCRYPTED|Proc-Type: 4,ENCRYPTED/.test(privateKey.toString('utf8', 0, 400)) || isEncryptedOpenSshKey(privateKey)) {
      throw new HostFailure(
        'KEY_UNREADABLE',
        `the key ${keyFile} is protected by a passphrase`,
        'Load it into ssh-agent (ssh-add) and run without --key; passphrases are never asked for or stored.',
      )
    }
  }
  if (!privateKey && !options.agentSocket) {
    throw new HostFailure(
      'NO_CREDENTIALS',
      'no key and no ssh-agent',
      'Give --key (or a key per host in the hosts file), or start ssh-agent and set SSH_AUTH_SOCK.',
    )
  }
  return {...(privateKey ? {privateKey} : {}), ...(options.agentSocket ? {agent: options.agentSocket} : {})}
}

/** An OpenSSH-format private key whose cipher is not `none`. */
function isEncryptedOpenSshKey(pem: Buffer): boolean {
  const m = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(pem.toString('utf8'))
  if (!m) return false
  const raw = Buffer.from(m[1]!.replace(/\s+/g, ''), 'base64')
  const magic = 'openssh-key-v1\0'
  if (raw.toString('latin1', 0, magic.length) !== magic) return false
  const len = raw.readUInt32BE(magic.length)
  return raw.toString('latin1', magic.length + 4, magic.length + 4 + len) !== 'none'
}

/** Discover one host. Never throws: failures are in the outcome. */
export async function discoverHost(target: SshTarget, options: DiscoverOptions): Promise<HostResult> {
  const started = Date.now()
  const base = {host: target.host, port: target.port, user: target.user, origin: target.origin}
  let hostKey: HostOutcome['hostKey']
  let keyFailure: HostFailure | undefined
  const conn = new ssh2.Client()
  let timer: NodeJS.Timeout | undefined
  try {
    const creds = await credentials(target, options)
    const limitMs = options.timeoutMs + (options.sample ? options.sample.durationMs + options.sample.intervalMs : 0)
    const deadline = new Promise<never>((_resolve, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new HostFailure('TIMEOUT', `no answer within ${Math.round(limitMs / 1000)}s`, 'Raise --timeout; the host may be overloaded.'),
          ),
        limitMs,
      )
    })
    const work = async (): Promise<AgentFile> => {
      await new Promise<void>((resolve, reject) => {
        conn.once('ready', () => resolve())
        conn.once('error', (e: Error) => reject(keyFailure ?? classify(e)))
        conn.once('close', () => reject(keyFailure ?? new HostFailure('SSH_ERROR', 'the connection closed before it was ready')))
        try {
          conn.connect({
            host: target.host,
            port: target.port,
            username: target.user,
            ...creds,
            readyTimeout: options.timeoutMs,
            algorithms: {serverHostKey: hostKeyOrder(options.knownHosts.keyTypes(target.host, target.port)) as never},
            hostVerifier: (key: Buffer): boolean => {
              const verdict = options.knownHosts.verify(target.host, target.port, key)
              if (verdict.status === 'known') {
                hostKey = 'known'
                return true
              }
              if (verdict.status === 'unknown' && options.acceptNew) {
                hostKey = 'recorded'
                void options.knownHosts.record(target.host, target.port, key)
                return true
              }
              const type = blobKeyType(key)
              keyFailure =
                verdict.status === 'unknown'
                  ? new HostFailure(
                      'HOST_KEY_UNKNOWN',
                      `host key ${type} is not in ${options.knownHosts.path}`,
                      'Check the key fingerprint with the host owner, then add it (ssh-keyscan) or run once with --accept-new.',
                    )
                  : verdict.status === 'changed'
                    ? new HostFailure(
                        'HOST_KEY_CHANGED',
                        `host key ${type} differs from the ${verdict.knownType} key on line ${verdict.line} of ${options.knownHosts.path}`,
                        'Someone may be intercepting the connection, or the host was rebuilt: verify, then remove the old line (ssh-keygen -R).',
                      )
                    : new HostFailure(
                        'HOST_KEY_REVOKED',
                        `host key ${type} is marked @revoked on line ${verdict.line} of ${options.knownHosts.path}`,
                        'Do not connect until the host has a new key.',
                      )
              return false
            },
          })
        } catch (error) {
          reject(
            new HostFailure(
              'KEY_UNREADABLE',
              `the key cannot be used: ${(error as Error).message}`,
              'Give an unencrypted OpenSSH or PEM key, or use ssh-agent.',
            ),
          )
        }
      })
      const at = new Date().toISOString()
      const sections = splitSections(await runScript(conn, INVENTORY_SCRIPT))
      const system = (sections.get('uname') ?? '').split('\n')[0]?.trim()
      if (!sections.has('end'))
        throw new HostFailure('COMMAND_FAILED', 'the inventory commands did not finish', 'Check that the login shell can run /bin/sh.')
      if (system !== 'Linux')
        throw new HostFailure(
          'UNSUPPORTED_OS',
          `${system || 'an unknown system'} is not supported`,
          'discover ssh reads Linux hosts; use the agent or an export for others.',
        )
      let readings: Reading[] | undefined
      let intervalSeconds: number | undefined
      if (options.sample) {
        intervalSeconds = Math.max(1, Math.round(options.sample.intervalMs / 1000))
        const arrivals: string[] = []
        const output = await runScript(
          conn,
          samplingScript(Math.round(options.sample.durationMs / options.sample.intervalMs), intervalSeconds),
          (chunk) => {
            for (let i = chunk.indexOf(`${SECTION_MARK}sample `); i >= 0; i = chunk.indexOf(`${SECTION_MARK}sample `, i + 1))
              arrivals.push(new Date().toISOString())
          },
        )
        readings = splitSamples(output).map((r, i) => ({...r, at: arrivals[i] ?? new Date().toISOString()}))
      }
      return buildSshDocument({sections, ...(readings ? {readings, intervalSeconds} : {}), version: options.version, at})
    }
    const doc = await Promise.race([work(), deadline])
    return {
      outcome: {...base, status: 'ok', hostname: doc.host.hostname, ...(hostKey ? {hostKey} : {}), seconds: (Date.now() - started) / 1000},
      doc,
    }
  } catch (error) {
    const f = keyFailure ?? classify(error as Error)
    return {
      outcome: {
        ...base,
        status: 'failed',
        error: {code: f.code, message: f.message, ...(f.hint ? {hint: f.hint} : {})},
        seconds: (Date.now() - started) / 1000,
      },
    }
  } finally {
    clearTimeout(timer)
    conn.removeAllListeners('error')
    conn.on('error', () => undefined)
    conn.end()
    conn.destroy()
  }
}

/** Discover every target, at most `concurrency` at a time; results in target order. */
export async function discoverAll(targets: readonly SshTarget[], options: DiscoverOptions): Promise<HostResult[]> {
  const results: HostResult[] = new Array(targets.length)
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < targets.length) {
      const i = next++
      results[i] = await discoverHost(targets[i]!, options)
      options.onHost?.(results[i]!.outcome)
    }
  }
  await Promise.all(Array.from({length: Math.max(1, Math.min(options.concurrency, targets.length))}, worker))
  return results
}
