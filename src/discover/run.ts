/**
 * `discover ssh` from targets to workspace: discover every host, write agent files when asked
 * (--out-dir), and import the successes into the workspace in one transaction, through the same
 * path as `import` (src/serve/store.ts).
 */
import {readFile} from 'node:fs/promises'
import {homedir} from 'node:os'
import {dirname, join, resolve} from 'node:path'

import {writeFileAtomic} from '../collect/files.js'
import {UserInputError} from '../errors.js'
import type {Workspace} from '../workspace/workspace.js'
import {importAgentDocuments} from '../serve/store.js'
import {cidrTargets, finishTargets, parseHostsFile, type SshTarget} from './hosts.js'
import {KnownHostsFile} from './known-hosts.js'
import {discoverAll, type HostOutcome} from './ssh.js'

export interface DiscoverRunOptions {
  readonly hostsFile?: string
  readonly cidrs: readonly string[]
  readonly user?: string
  /** @default 22 */
  readonly port: number
  readonly keyFile?: string
  /** @default ~/.ssh/known_hosts */
  readonly knownHostsFile?: string
  readonly acceptNew: boolean
  readonly concurrency: number
  readonly timeoutMs: number
  readonly sample?: {readonly durationMs: number; readonly intervalMs: number}
  /** Write `<hostname>.migrate-plan.json` per discovered host here. */
  readonly outDir?: string
  /** Import into this workspace; undefined to skip. */
  readonly workspace?: Workspace
  readonly agentSocket?: string
  readonly version: string
  readonly onHost?: (outcome: HostOutcome) => void
}

export interface DiscoveredHost extends HostOutcome {
  /** The agent file written for it (--out-dir). */
  readonly file?: string
  /** Workspace source id and whether it was new. */
  readonly sourceId?: number
  readonly imported?: 'imported' | 'unchanged'
}

export interface DiscoverSshResult {
  readonly hosts: readonly DiscoveredHost[]
  readonly ok: number
  readonly failed: number
  readonly knownHosts: string
  /** Host keys accepted with --accept-new that could not be written to known_hosts. */
  readonly knownHostsErrors?: readonly string[]
  readonly workspace?: string
  /** Servers in the workspace afterwards. */
  readonly totalServers?: number
}

async function loadTargets(options: DiscoverRunOptions): Promise<SshTarget[]> {
  const defaults = {
    user: options.user,
    port: options.port,
    baseDir: options.hostsFile ? dirname(resolve(options.hostsFile)) : process.cwd(),
  }
  const targets: SshTarget[] = []
  if (options.hostsFile) {
    let text: string
    try {
      text = await readFile(options.hostsFile, 'utf8')
    } catch (error) {
      throw new UserInputError('DISCOVER_HOSTS_FILE', `cannot read the hosts file (${(error as NodeJS.ErrnoException).code ?? 'error'})`, {
        location: {file: options.hostsFile},
        hint: 'Give a text file with one "host[:port] [user] [key]" per line.',
      })
    }
    targets.push(...parseHostsFile(text, options.hostsFile, defaults))
  }
  targets.push(...cidrTargets(options.cidrs, defaults))
  return finishTargets(targets)
}

const fileSafe = (s: string): string => s.replace(/[^A-Za-z0-9._-]/g, '_')

export async function runDiscovery(options: DiscoverRunOptions): Promise<DiscoverSshResult> {
  const targets = await loadTargets(options)
  const knownHostsPath = resolve(options.knownHostsFile ?? join(homedir(), '.ssh', 'known_hosts'))
  const knownHosts = await KnownHostsFile.load(knownHostsPath)
  const results = await discoverAll(targets, {
    knownHosts,
    acceptNew: options.acceptNew,
    timeoutMs: options.timeoutMs,
    concurrency: options.concurrency,
    ...(options.keyFile ? {keyFile: resolve(options.keyFile)} : {}),
    ...(options.agentSocket ? {agentSocket: options.agentSocket} : {}),
    ...(options.sample ? {sample: options.sample} : {}),
    version: options.version,
    ...(options.onHost ? {onHost: options.onHost} : {}),
  })
  await knownHosts.settled()
  const hosts: DiscoveredHost[] = results.map((r) => ({...r.outcome}))
  if (options.outDir) {
    const used = new Set<string>()
    for (const [i, r] of results.entries()) {
      if (!r.doc) continue
      let name = `${fileSafe(r.doc.host.hostname)}.migrate-plan.json`
      if (used.has(name)) name = `${fileSafe(r.doc.host.hostname)}-${fileSafe(r.outcome.host)}-${r.outcome.port}.migrate-plan.json`
      used.add(name)
      const file = join(resolve(options.outDir), name)
      await writeFileAtomic(file, `${JSON.stringify(r.doc, null, 1)}\n`)
      hosts[i] = {...hosts[i]!, file}
    }
  }
  if (options.workspace) {
    const ok = results.map((r, i) => ({r, i})).filter(({r}) => r.doc)
    const outcomes = await importAgentDocuments(
      options.workspace,
      ok.map(({r}) => ({doc: r.doc!, path: `ssh:${r.outcome.user}@${r.outcome.host}:${r.outcome.port}`})),
    )
    for (const [k, {i}] of ok.entries()) hosts[i] = {...hosts[i]!, sourceId: outcomes[k]!.source.id, imported: outcomes[k]!.status}
  }
  const failed = hosts.filter((h) => h.status === 'failed').length
  return {
    hosts,
    ok: hosts.length - failed,
    failed,
    knownHosts: knownHostsPath,
    ...(knownHosts.writeErrors.length > 0 ? {knownHostsErrors: [...knownHosts.writeErrors]} : {}),
    ...(options.workspace ? {workspace: options.workspace.dir, totalServers: options.workspace.serverCount()} : {}),
  }
}
