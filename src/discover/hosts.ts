/**
 * Who to discover: a hosts file (`host[:port] [user] [key]` per line, `#` comments, CIDR blocks
 * allowed in the host column) and/or CIDR blocks given as flags. Pure.
 */
import {homedir} from 'node:os'
import {isAbsolute, resolve} from 'node:path'

import {UserInputError} from '../errors.js'

export interface SshTarget {
  readonly host: string
  readonly port: number
  readonly user: string
  /** Private key file for this host; otherwise --key, otherwise ssh-agent. */
  readonly keyFile?: string
  /** Where it came from, e.g. `hosts.txt:3` or `--cidr 10.0.0.0/30`. */
  readonly origin: string
}

export interface TargetDefaults {
  readonly user?: string
  readonly port: number
  /** Folder the key paths of a hosts file are relative to. */
  readonly baseDir: string
}

/** Largest number of hosts one run expands to (a /20). */
export const MAX_TARGETS = 4096

function ipToInt(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip)
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return undefined
  return ((parts[0]! << 24) | (parts[1]! << 16) | (parts[2]! << 8) | parts[3]!) >>> 0
}

const intToIp = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')

/** Addresses of an IPv4 CIDR block; network and broadcast addresses left out for /30 and wider. */
export function expandCidr(cidr: string, where: string): string[] {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr.trim())
  const base = m ? ipToInt(m[1]!) : undefined
  const bits = m ? Number(m[2]) : NaN
  if (base === undefined || !(bits >= 0 && bits <= 32)) {
    throw new UserInputError('DISCOVER_BAD_CIDR', `${JSON.stringify(cidr)} is not an IPv4 CIDR block`, {
      location: {file: where},
      hint: 'Write it as 10.0.0.0/24.',
    })
  }
  const size = 2 ** (32 - bits)
  if (size > MAX_TARGETS) {
    throw new UserInputError('DISCOVER_TOO_MANY', `${cidr} holds ${size} addresses, more than ${MAX_TARGETS}`, {
      location: {file: where},
      hint: 'Split it into smaller blocks (at most a /20) and run them one after another.',
    })
  }
  const network = (base & (bits === 0 ? 0 : (~0 << (32 - bits)) >>> 0)) >>> 0
  const out: string[] = []
  const skipEnds = bits <= 30
  for (let i = skipEnds ? 1 : 0; i < (skipEnds ? size - 1 : size); i++) out.push(intToIp(network + i))
  return out
}

/** `host`, `host:port`, `[v6]:port`, `v6` → host and port. */
export function splitHostPort(text: string, defaultPort: number): {host: string; port: number} | undefined {
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(text)
  if (v6) return {host: v6[1]!, port: v6[2] ? Number(v6[2]) : defaultPort}
  if ((text.match(/:/g) ?? []).length > 1) return {host: text, port: defaultPort}
  const [host, port] = text.split(':')
  if (!host) return undefined
  if (port === undefined) return {host, port: defaultPort}
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535) return undefined
  return {host, port: Number(port)}
}

function keyPath(p: string, baseDir: string): string {
  if (p === '~' || p.startsWith('~/')) return resolve(homedir(), p.slice(2))
  return isAbsolute(p) ? p : resolve(baseDir, p)
}

/** Targets of a hosts file's text. */
export function parseHostsFile(text: string, file: string, defaults: TargetDefaults): SshTarget[] {
  const out: SshTarget[] = []
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.replace(/#.*$/, '').trim()
    if (!line) continue
    const row = i + 1
    const [hostPart, user = defaults.user, key] = line.split(/\s+/)
    const extra = line.split(/\s+/).length > 3
    if (extra) {
      throw new UserInputError('DISCOVER_HOSTS_LINE', `expected "host[:port] [user] [key]", found ${JSON.stringify(line)}`, {
        location: {file, row},
        hint: 'One host per line; separate host, user and key file with spaces.',
      })
    }
    if (!user) {
      throw new UserInputError('DISCOVER_NO_USER', `no user for ${hostPart}`, {
        location: {file, row},
        hint: 'Add the user after the host, or give --user.',
      })
    }
    const cidr = /^([\d.]+\/\d{1,2})(?::(\d+))?$/.exec(hostPart!)
    const hosts = cidr
      ? expandCidr(cidr[1]!, `${file}:${row}`).map((host) => ({host, port: cidr[2] ? Number(cidr[2]) : defaults.port}))
      : [splitHostPort(hostPart!, defaults.port)]
    for (const hp of hosts) {
      if (!hp) {
        throw new UserInputError('DISCOVER_BAD_HOST', `${JSON.stringify(hostPart)} is not host[:port]`, {
          location: {file, row},
          hint: 'For example web01.corp.example, 10.0.0.5:2222 or [fe80::1]:22.',
        })
      }
      out.push({...hp, user, ...(key ? {keyFile: keyPath(key, defaults.baseDir)} : {}), origin: `${file}:${row}`})
    }
  }
  return out
}

/** Targets of --cidr blocks. */
export function cidrTargets(cidrs: readonly string[], defaults: TargetDefaults): SshTarget[] {
  if (cidrs.length > 0 && !defaults.user) {
    throw new UserInputError('DISCOVER_NO_USER', '--cidr needs --user', {hint: 'Give the user to log in as, e.g. --user inventory.'})
  }
  return cidrs.flatMap((c) =>
    expandCidr(c, `--cidr ${c}`).map((host) => ({host, port: defaults.port, user: defaults.user!, origin: `--cidr ${c}`})),
  )
}

/** Drop repeats (same user, host, port and key), keep order, and check the total. */
export function finishTargets(targets: readonly SshTarget[]): SshTarget[] {
  const seen = new Set<string>()
  const out = targets.filter((t) => {
    const k = `${t.user}@${t.host}:${t.port}:${t.keyFile ?? ''}`
    if (seen.has(k)) return false
    seen.add(k)
    return true
  })
  if (out.length === 0) throw new UserInputError('DISCOVER_NO_HOSTS', 'no hosts to discover', {hint: 'Give a hosts file or --cidr.'})
  if (out.length > MAX_TARGETS) {
    throw new UserInputError('DISCOVER_TOO_MANY', `${out.length} hosts, more than ${MAX_TARGETS} in one run`, {hint: 'Split the list.'})
  }
  return out
}
