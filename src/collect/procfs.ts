/**
 * Linux /proc readers shared by the agent's sampler and `discover ssh --sample`. Pure: text in,
 * numbers out.
 *
 * CPU busy % = 1 − (idle + iowait) / total of the `cpu` line of /proc/stat; memory % =
 * 1 − MemAvailable / MemTotal; disk IOPS and MiB/s over whole disks of /proc/diskstats (partitions
 * and device-mapper volumes left out so that nothing counts twice); network Mbit/s in + out over
 * every interface of /proc/net/dev but loopback.
 */
import type {ObservedSocket} from './connections.js'

/** The /proc files one reading is made of. */
export interface ProcTexts {
  /** /proc/stat (only the `cpu` line is used); may also carry the meminfo lines. */
  readonly stat: string
  readonly meminfo: string
  readonly diskstats: string
  readonly netdev: string
}

/** Cumulative counters of one reading. */
export interface ProcCounters {
  readonly cpuTotal: number
  readonly cpuIdle: number
  readonly ios: number
  readonly sectors: number
  readonly netBytes: number
  readonly memoryPct?: number
}

/** Utilisation between two readings, in model units. */
export interface ProcRates {
  readonly cpuPct?: number
  readonly memoryPct?: number
  readonly diskIops: number
  readonly diskMiBps: number
  readonly networkMbps: number
}

const WHOLE_DISK = /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/

/** `MemTotal:  16384256 kB` → {MemTotal: 16384256} (kB). */
export function parseMeminfo(text: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const line of text.split('\n')) {
    const m = /^(\w+(?:\(\w+\))?):\s+(\d+)/.exec(line)
    if (m) out[m[1]!] = Number(m[2])
  }
  return out
}

export function procCounters(t: ProcTexts): ProcCounters {
  const cpu = /^cpu\s+(.*)$/m.exec(t.stat)?.[1]?.trim().split(/\s+/).map(Number) ?? []
  const mem = parseMeminfo(t.meminfo)
  let ios = 0
  let sectors = 0
  for (const line of t.diskstats.split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10 || !WHOLE_DISK.test(f[2]!)) continue
    ios += Number(f[3]) + Number(f[7])
    sectors += Number(f[5]) + Number(f[9])
  }
  let netBytes = 0
  for (const line of t.netdev.split('\n')) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line)
    if (!m || m[1] === 'lo') continue
    const f = m[2]!.trim().split(/\s+/).map(Number)
    netBytes += (f[0] ?? 0) + (f[8] ?? 0)
  }
  const total = mem.MemTotal
  const available = mem.MemAvailable ?? (mem.MemFree ?? 0) + (mem.Buffers ?? 0) + (mem.Cached ?? 0)
  return {
    cpuTotal: cpu.slice(0, 8).reduce((a, b) => a + b, 0),
    cpuIdle: (cpu[3] ?? 0) + (cpu[4] ?? 0),
    ios,
    sectors,
    netBytes,
    ...(total ? {memoryPct: Math.min(100, Math.max(0, ((total - available) / total) * 100))} : {}),
  }
}

/** Rates between two readings `seconds` apart; undefined when no time passed. */
export function procRates(prev: ProcCounters, cur: ProcCounters, seconds: number): ProcRates | undefined {
  if (!(seconds > 0)) return undefined
  const dTotal = cur.cpuTotal - prev.cpuTotal
  return {
    ...(dTotal > 0 ? {cpuPct: Math.min(100, Math.max(0, (1 - (cur.cpuIdle - prev.cpuIdle) / dTotal) * 100))} : {}),
    ...(cur.memoryPct === undefined ? {} : {memoryPct: cur.memoryPct}),
    diskIops: Math.max(0, cur.ios - prev.ios) / seconds,
    diskMiBps: (Math.max(0, cur.sectors - prev.sectors) * 512) / (1024 * 1024) / seconds,
    networkMbps: (Math.max(0, cur.netBytes - prev.netBytes) * 8) / 1e6 / seconds,
  }
}

const TCP_STATES: Readonly<Record<string, string>> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
}

/** A /proc/net address (`0100007F:0016`, or 32 hex digits for IPv6) → IP text and port. */
export function hexAddress(hex: string): {ip: string; port: number} {
  const [addr = '', port = '0'] = hex.split(':')
  const word = (i: number): number[] => {
    const w = parseInt(addr.slice(i * 8, i * 8 + 8), 16) >>> 0
    return [w & 255, (w >>> 8) & 255, (w >>> 16) & 255, (w >>> 24) & 255] // stored in host (little-endian) order
  }
  if (addr.length === 8) return {ip: word(0).join('.'), port: parseInt(port, 16)}
  const bytes = [0, 1, 2, 3].flatMap(word)
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 255 && bytes[11] === 255) {
    return {ip: `::ffff:${bytes.slice(12).join('.')}`, port: parseInt(port, 16)}
  }
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i]! << 8) | bytes[i + 1]!).toString(16))
  const ip = groups
    .join(':')
    .replace(/(^|:)0(:0)+(:|$)/, '::')
    .replace(/:{3,}/, '::')
  return {ip, port: parseInt(port, 16)}
}

/** Sockets of /proc/net/tcp, tcp6, udp or udp6, with their inode (to find the owning process). */
export function parseProcNet(text: string, protocol: 'tcp' | 'udp'): {socket: ObservedSocket; inode: number}[] {
  const out: {socket: ObservedSocket; inode: number}[] = []
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10) continue
    const l = hexAddress(f[1]!)
    const r = hexAddress(f[2]!)
    const st = f[3]!.toUpperCase()
    const state = protocol === 'udp' ? (st === '01' ? 'ESTABLISHED' : 'UNCONN') : (TCP_STATES[st] ?? st)
    out.push({socket: {protocol, localIp: l.ip, localPort: l.port, remoteIp: r.ip, remotePort: r.port, state}, inode: Number(f[9])})
  }
  return out
}
