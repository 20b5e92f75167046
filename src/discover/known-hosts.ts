/**
 * OpenSSH known_hosts: plain (`host`, `[host]:port`, comma lists, `*`/`?` wildcards, `!negation`) and
 * hashed (`|1|salt|hash`, HMAC-SHA1 of the host as written) entries, `@revoked` keys.
 * `@cert-authority` lines are read but not used: host certificates are not supported, so a host
 * known only through a CA counts as unknown.
 */
import {createHmac} from 'node:crypto'
import {appendFile, mkdir, readFile} from 'node:fs/promises'
import {dirname} from 'node:path'

export interface KnownHostEntry {
  readonly marker?: 'revoked' | 'cert-authority'
  readonly patterns: readonly string[]
  /** `|1|salt|hash` entries. */
  readonly hashed?: {readonly salt: Buffer; readonly hash: Buffer}
  readonly keyType: string
  readonly key: Buffer
  /** 1-based line in the file, for messages. */
  readonly line: number
}

export type HostKeyVerdict =
  | {readonly status: 'known'; readonly line: number}
  | {readonly status: 'unknown'}
  | {readonly status: 'changed'; readonly line: number; readonly knownType: string}
  | {readonly status: 'revoked'; readonly line: number}

/** The name known_hosts uses for a host: `host` on port 22, `[host]:port` otherwise. */
export function knownHostsName(host: string, port: number): string {
  const h = host.toLowerCase()
  return port === 22 ? h : `[${h}]:${port}`
}

/** Parse known_hosts text. Lines it cannot read are skipped, as OpenSSH does. Pure. */
export function parseKnownHosts(text: string): KnownHostEntry[] {
  const out: KnownHostEntry[] = []
  for (const [i, raw] of text.split(/\r?\n/).entries()) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    const fields = line.split(/\s+/)
    let marker: KnownHostEntry['marker']
    if (fields[0] === '@revoked' || fields[0] === '@cert-authority') marker = fields.shift()!.slice(1) as KnownHostEntry['marker']
    const [hosts, keyType, key] = fields
    if (!hosts || !keyType || !key || !/^[A-Za-z0-9+/]+=*$/.test(key)) continue
    const blob = Buffer.from(key, 'base64')
    const entry = {...(marker ? {marker} : {}), keyType, key: blob, line: i + 1}
    const hashed = /^\|1\|([A-Za-z0-9+/=]+)\|([A-Za-z0-9+/=]+)$/.exec(hosts)
    if (hashed)
      out.push({...entry, patterns: [], hashed: {salt: Buffer.from(hashed[1]!, 'base64'), hash: Buffer.from(hashed[2]!, 'base64')}})
    else out.push({...entry, patterns: hosts.toLowerCase().split(',')})
  }
  return out
}

function wildcard(pattern: string, name: string): boolean {
  const re = new RegExp(
    `^${pattern
      .replace(/[.+^${}()|[\]\\]/g, '\\$&')
      .replace(/\*/g, '.*')
      .replace(/\?/g, '.')}$`,
  )
  return re.test(name)
}

/** Whether an entry names this host (`name` as from {@link knownHostsName}). */
export function entryMatches(entry: KnownHostEntry, name: string): boolean {
  if (entry.hashed) return createHmac('sha1', entry.hashed.salt).update(name).digest().equals(entry.hashed.hash)
  let hit = false
  for (const p of entry.patterns) {
    if (p.startsWith('!')) {
      if (wildcard(p.slice(1), name)) return false
    } else if (wildcard(p, name)) hit = true
  }
  return hit
}

/** Key type inside an SSH public key blob (its first string). */
export function blobKeyType(blob: Buffer): string {
  if (blob.length < 4) return ''
  const n = blob.readUInt32BE(0)
  return blob.subarray(4, 4 + n).toString('ascii')
}

/** What known_hosts says about the key a host presented. Pure. */
export function verifyHostKey(entries: readonly KnownHostEntry[], host: string, port: number, key: Buffer): HostKeyVerdict {
  const name = knownHostsName(host, port)
  const mine = entries.filter((e) => e.marker !== 'cert-authority' && entryMatches(e, name))
  const revoked = entries.find((e) => e.marker === 'revoked' && e.key.equals(key))
  if (revoked) return {status: 'revoked', line: revoked.line}
  const same = mine.find((e) => !e.marker && e.key.equals(key))
  if (same) return {status: 'known', line: same.line}
  const other = mine.find((e) => !e.marker)
  if (other) return {status: 'changed', line: other.line, knownType: other.keyType}
  return {status: 'unknown'}
}

/** Key types known for a host, so that the SSH client asks for those first (as OpenSSH does). */
export function knownKeyTypes(entries: readonly KnownHostEntry[], host: string, port: number): string[] {
  const name = knownHostsName(host, port)
  return [...new Set(entries.filter((e) => !e.marker && entryMatches(e, name)).map((e) => e.keyType))]
}

/** A known_hosts file: read once, appended to (serialised) when `--accept-new` records a key. */
export class KnownHostsFile {
  private entries: KnownHostEntry[] = []
  private appending: Promise<void> = Promise.resolve()
  /** Keys that could not be written to the file (the hosts were still discovered). */
  readonly writeErrors: string[] = []

  private constructor(readonly path: string) {}

  static async load(path: string): Promise<KnownHostsFile> {
    const f = new KnownHostsFile(path)
    try {
      f.entries = parseKnownHosts(await readFile(path, 'utf8'))
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' && code !== 'ENOTDIR') throw error
    }
    return f
  }

  verify(host: string, port: number, key: Buffer): HostKeyVerdict {
    return verifyHostKey(this.entries, host, port, key)
  }

  keyTypes(host: string, port: number): string[] {
    return knownKeyTypes(this.entries, host, port)
  }

  /** Resolves when every recorded key is in the file. */
  settled(): Promise<void> {
    return this.appending
  }

  /** Record a host key (plain entry) in memory and, in order, in the file. Never rejects: see {@link writeErrors}. */
  record(host: string, port: number, key: Buffer): Promise<void> {
    const keyType = blobKeyType(key)
    const line = `${knownHostsName(host, port)} ${keyType} ${key.toString('base64')}\n`
    this.entries.push({patterns: [knownHostsName(host, port)], keyType, key, line: -1})
    this.appending = this.appending.then(async () => {
      try {
        await mkdir(dirname(this.path), {recursive: true, mode: 0o700})
        const before = await readFile(this.path, 'utf8').catch(() => '')
        await appendFile(this.path, before && !before.endsWith('\n') ? `\n${line}` : line, {mode: 0o600})
      } catch (error) {
        this.writeErrors.push(`${knownHostsName(host, port)}: ${(error as Error).message}`)
      }
    })
    return this.appending
  }
}
