/**
 * Connections aggregated across samples. Pure.
 *
 * A client's ephemeral port changes with every connection, so aggregating on it would count each
 * connection once and never see a pattern. The aggregation key therefore drops it: an inbound
 * connection (to a port this host listens on) is keyed on local address and port and the remote
 * address, with remote port 0; an outbound one on local address, remote address and remote port, with
 * local port 0. Port 0 in the agent file means "the client's ephemeral ports, aggregated".
 * Loopback traffic is skipped: it is not a dependency between servers.
 */
import type {AgentFile} from '../model/agent-file.js'

export type AgentConnection = AgentFile['connections'][number]
export type AgentListener = AgentFile['listeners'][number]

/** One socket as a probe saw it (from `ss`, netstat or systeminformation). */
export interface ObservedSocket {
  readonly protocol: 'tcp' | 'udp'
  readonly localIp: string
  readonly localPort: number
  readonly remoteIp: string
  readonly remotePort: number
  /** Upper case, e.g. `ESTABLISHED`, `ESTAB`, `LISTEN`. */
  readonly state?: string
  readonly process?: string
  readonly pid?: number
}

/** Distinct aggregated connections kept; past it, new ones are counted in `dropped`. */
export const MAX_AGGREGATED_CONNECTIONS = 100_000

export interface ConnectionState {
  readonly connections: readonly AgentConnection[]
  readonly listeners: readonly AgentListener[]
  readonly dropped: number
}

/** `::ffff:10.0.0.1` → `10.0.0.1`; `[::1]` → `::1`; `*` → `0.0.0.0`. */
export function normaliseIp(ip: string): string {
  let s = ip.trim().replace(/^\[|\]$/g, '')
  if (s === '*' || s === '') s = '0.0.0.0'
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(s)
  if (mapped) return mapped[1]!
  return s.replace(/%.*$/, '').toLowerCase()
}

export function isLoopback(ip: string): boolean {
  return ip.startsWith('127.') || ip === '::1' || ip === 'localhost'
}

function unspecified(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::' || ip === '*'
}

const LISTEN = /^(LISTEN|UNCONN)$/
const ESTABLISHED = /^(ESTABLISHED|ESTAB)$/

export class ConnectionAggregator {
  private readonly connections = new Map<string, AgentConnection>()
  private readonly listeners = new Map<string, AgentListener>()
  private dropped = 0

  constructor(private readonly max = MAX_AGGREGATED_CONNECTIONS) {}

  static from(state: ConnectionState, max = MAX_AGGREGATED_CONNECTIONS): ConnectionAggregator {
    const a = new ConnectionAggregator(max)
    for (const c of state.connections) a.connections.set(connectionKey(c), c)
    for (const l of state.listeners) a.listeners.set(`${l.protocol}|${l.ip}|${l.port}`, l)
    a.dropped = state.dropped
    return a
  }

  /** Sockets that could not be kept because of the limit. */
  get droppedCount(): number {
    return this.dropped
  }

  /** Add one sample taken at `at` (ISO time). Each connection counts once per sample. */
  observe(sockets: readonly ObservedSocket[], at: string): void {
    const listening = new Set<string>()
    for (const s of sockets) {
      if (!LISTEN.test(s.state ?? '')) continue
      const ip = normaliseIp(s.localIp)
      if (s.protocol === 'udp' && s.state === 'UNCONN' && !unspecified(normaliseIp(s.remoteIp))) continue
      listening.add(`${s.protocol}/${s.localPort}`)
      const key = `${s.protocol}|${ip}|${s.localPort}`
      const prev = this.listeners.get(key)
      if (!prev || (!prev.process && s.process)) {
        this.listeners.set(key, {protocol: s.protocol, ip, port: s.localPort, ...(s.process ? {process: s.process} : {})})
      }
    }
    for (const l of this.listeners.values()) listening.add(`${l.protocol}/${l.port}`)
    const seen = new Set<string>()
    for (const s of sockets) {
      if (!ESTABLISHED.test(s.state ?? '')) continue
      const localIp = normaliseIp(s.localIp)
      const remoteIp = normaliseIp(s.remoteIp)
      if (isLoopback(localIp) || isLoopback(remoteIp) || unspecified(remoteIp)) continue
      const inbound = listening.has(`${s.protocol}/${s.localPort}`)
      const c: AgentConnection = {
        protocol: s.protocol,
        localIp,
        localPort: inbound ? s.localPort : 0,
        remoteIp,
        remotePort: inbound ? 0 : s.remotePort,
        direction: inbound ? 'inbound' : 'outbound',
        ...(s.process ? {process: s.process} : {}),
        count: 1,
        firstSeen: at,
        lastSeen: at,
      }
      const key = connectionKey(c)
      if (seen.has(key)) continue
      seen.add(key)
      const prev = this.connections.get(key)
      if (prev) {
        this.connections.set(key, {...prev, ...(c.process ? {process: c.process} : {}), count: prev.count + 1, lastSeen: at})
      } else if (this.connections.size < this.max) {
        this.connections.set(key, c)
      } else {
        this.dropped++
      }
    }
  }

  /** Aggregated connections, sorted. */
  list(): AgentConnection[] {
    return [...this.connections.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, c]) => c)
  }

  listenerList(): AgentListener[] {
    return [...this.listeners.values()].sort((a, b) => a.port - b.port || cmp(a.protocol, b.protocol) || cmp(a.ip, b.ip))
  }

  toJSON(): ConnectionState {
    return {connections: this.list(), listeners: this.listenerList(), dropped: this.dropped}
  }
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0
}

function connectionKey(c: AgentConnection): string {
  return `${c.protocol}|${c.direction}|${c.localIp}|${c.localPort}|${c.remoteIp}|${c.remotePort}`
}
