/**
 * Connection records of a synthetic estate, generated lazily from a small plan of flows: the
 * traffic inside applications (web → app → db …), to and from shared services, and noise between
 * unrelated applications. The plan holds server indices, not records, so memory does not grow
 * with the number of records; the same plan and seed give the same sequence every time.
 */
import {SHARED_SERVICES, type SharedServiceId} from './catalog.js'
import {Random} from './random.js'
import type {SynthConnection, SynthServer} from './types.js'

/** Process names per OS family of the side that opens the connection. */
export type ProcessName = string | {readonly linux: string; readonly windows: string}

/** Traffic from any of `clients` to any of `servers` on one port. */
export interface FlowEdge {
  /** Server indices, or external addresses (users' workstations, partners) that are not servers. */
  readonly clients: Int32Array | readonly string[]
  readonly servers: Int32Array
  readonly port: number
  readonly protocol: 'tcp' | 'udp'
  /** Process on the client side. */
  readonly process: ProcessName
  /** Relative share of records within its category (application or shared). */
  readonly weight: number
  /** Median observations per record. */
  readonly count: number
  /**
   * How a client picks a server: `random`, or `sticky` (each client mostly uses one server, its
   * neighbour now and then, as clients do with DNS servers and domain controllers). @default random
   */
  readonly pairing?: 'random' | 'sticky'
  /** The service side opens the connection (monitoring polls, backup pulls): swap roles when emitting. */
  readonly reverse?: boolean
  /** Application the edge belongs to, for reading a plan. */
  readonly label?: string
}

export interface FlowPlan {
  readonly app: readonly FlowEdge[]
  readonly shared: readonly FlowEdge[]
  /** Servers that noise connects (powered-on application servers), with their application number. */
  readonly noisePool: Int32Array
  readonly appOf: Int32Array
}

export interface ConnectionBudget {
  readonly total: number
  /** Share of records that are noise. */
  readonly noise: number
  /** Share of records to or from shared services. */
  readonly shared: number
}

/** Index arrays for edges. */
export function indices(values: Iterable<number>): Int32Array {
  return Int32Array.from(values)
}

function processFor(p: ProcessName, windows: boolean): string {
  return typeof p === 'string' ? p : windows ? p.windows : p.linux
}

function stickyIndex(client: number, length: number): number {
  return (Math.imul(client + 1, 2654435761) >>> 0) % length
}

/**
 * Shared-service edges: every powered-on server is a client of every service that is present,
 * through each of the service's flows (LDAP and Kerberos for AD, UDP 53 for DNS, polls for
 * monitoring …). `isAppServer` selects the clients of flows meant for application servers (SMTP).
 */
export function sharedServiceEdges(
  servers: readonly SynthServer[],
  isAppServer: (s: SynthServer) => boolean = defaultAppServer,
): FlowEdge[] {
  const live = (s: SynthServer): boolean => s.powerState === 'on' && !s.template
  const pools: Record<'all' | 'windows' | 'linux' | 'app-servers', number[]> = {all: [], windows: [], linux: [], 'app-servers': []}
  const instances = new Map<string, number[]>()
  servers.forEach((s, i) => {
    if (!live(s)) return
    pools.all.push(i)
    pools[s.osFamily === 'windows' ? 'windows' : 'linux'].push(i)
    if (isAppServer(s)) pools['app-servers'].push(i)
    if (s.tier === 'shared') {
      for (const service of s.services ?? (s.service ? [s.service] : [])) {
        const list = instances.get(service) ?? []
        list.push(i)
        instances.set(service, list)
      }
    }
  })
  const arrays = {
    all: indices(pools.all),
    windows: indices(pools.windows),
    linux: indices(pools.linux),
    'app-servers': indices(pools['app-servers']),
  }
  const edges: FlowEdge[] = []
  for (const [id, idx] of [...instances].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const spec = SHARED_SERVICES[id as SharedServiceId]
    if (!spec) continue
    const flowWeight = spec.flows.reduce((s, f) => s + f.weight, 0)
    for (const f of spec.flows) {
      const clients = arrays[f.clients]
      if (clients.length === 0) continue
      // Only the instances that can serve the flow: a WSUS server does not mirror Linux packages.
      const able = idx.filter(
        (i) => servers[i]!.listens.some((l) => l.port === f.port && l.protocol === f.protocol) || f.direction === 'from-service',
      )
      if (able.length === 0) continue
      // A lone instance whose only client is itself has no traffic to make.
      if (able.length === 1 && clients.length === 1 && clients[0] === able[0]) continue
      edges.push({
        clients,
        servers: indices(able),
        port: f.port,
        protocol: f.protocol,
        process: f.process,
        weight: (spec.weight * f.weight) / flowWeight,
        count: f.count,
        pairing: 'sticky',
        ...(f.direction === 'from-service' ? {reverse: true} : {}),
        label: `shared:${id}`,
      })
    }
  }
  return edges
}

function defaultAppServer(s: SynthServer): boolean {
  return s.tier === 'app' || s.tier === 'batch' || (s.tier === 'web' && !s.software.includes('nginx'))
}

/** Cumulative weights for picking an edge by weight with a binary search. */
function cumulative(edges: readonly FlowEdge[]): Float64Array {
  const out = new Float64Array(edges.length)
  let total = 0
  edges.forEach((e, i) => {
    total += e.weight
    out[i] = total
  })
  return out
}

function pickEdge(cum: Float64Array, x: number): number {
  const target = x * cum[cum.length - 1]!
  let lo = 0
  let hi = cum.length - 1
  while (lo < hi) {
    const mid = (lo + hi) >> 1
    if (cum[mid]! > target) hi = mid
    else lo = mid + 1
  }
  return lo
}

/**
 * The connection records of a plan: exactly `budget.total` of them whenever two running servers
 * exist (none otherwise). Application records first
 * cover every client and server of every application edge once (so that each planted dependency is
 * visible at least once), then follow the edge weights; shared-service and noise records follow.
 */
export function* generateConnections(
  servers: readonly SynthServer[],
  plan: FlowPlan,
  budget: ConnectionBudget,
  seed: number | string,
  window: {readonly end: string; readonly days: number},
): Generator<SynthConnection, void, undefined> {
  const rng = new Random(`${String(seed)}/connections`)
  const endMs = Date.parse(window.end)
  const span = window.days * 86_400_000
  const startMs = endMs - span
  const total = Math.max(0, Math.floor(budget.total))
  const canApp = plan.app.length > 0
  const canShared = plan.shared.length > 0
  const canNoise = distinctApps(plan) >= 2
  let noiseRows = canNoise ? Math.round(total * budget.noise) : 0
  let sharedRows = canShared ? Math.min(total - noiseRows, Math.round(total * budget.shared)) : 0
  let appRows = canApp ? total - noiseRows - sharedRows : 0
  // Nothing to spend a category on: shared services take the rest, then noise.
  if (!canApp && canShared) sharedRows = total - noiseRows
  else if (!canApp && canNoise) noiseRows = total
  // Last resort (tiny estates): any two running servers. Only when there are not two, no records at all.
  let fallback: Int32Array | undefined
  if (!canApp && !canShared && !canNoise) {
    fallback = indices(servers.flatMap((s, i) => (s.powerState === 'on' && !s.template ? [i] : [])))
    noiseRows = fallback.length >= 2 ? total : 0
    appRows = 0
  }

  const row = (
    client: number | string,
    server: number,
    edge: Pick<FlowEdge, 'port' | 'protocol' | 'process' | 'count'>,
    count: number,
  ): SynthConnection => {
    const clientWindows = typeof client === 'number' && servers[client]!.osFamily === 'windows'
    const sourceIp = typeof client === 'number' ? servers[client]!.ip : client
    const sourcePort = clientWindows ? rng.int(49152, 65535) : rng.int(32768, 60999)
    const first = startMs + Math.floor(rng.next() * span * 0.6)
    const last = first + Math.floor(rng.next() * (endMs - first))
    return {
      sourceIp,
      sourcePort,
      destinationIp: servers[server]!.ip,
      destinationPort: edge.port,
      protocol: edge.protocol,
      process: processFor(edge.process, clientWindows),
      count,
      firstSeen: iso(first),
      lastSeen: iso(last),
    }
  }
  const countFor = (median: number): number => Math.max(1, Math.round(rng.logNormal(median, 0.9)))
  const emit = (edge: FlowEdge, ci: number, si: number): SynthConnection => {
    const client = edge.clients[ci]!
    const server = edge.servers[si]!
    if (edge.reverse) {
      // The service (a server index) opens the connection to the client (always a server here).
      return row(server, client as number, edge, countFor(edge.count))
    }
    return row(client, server, edge, countFor(edge.count))
  }

  // 1. Applications: coverage, then by weight.
  let left = appRows
  for (const edge of plan.app) {
    // External clients (workstations) are many and not in the inventory: cover the servers only.
    const n = edge.clients instanceof Int32Array ? Math.max(edge.clients.length, edge.servers.length) : edge.servers.length
    for (let k = 0; k < n && left > 0; k++, left--) yield emit(edge, k % edge.clients.length, k % edge.servers.length)
    if (left === 0) break
  }
  if (left > 0) {
    const cum = cumulative(plan.app)
    for (; left > 0; left--) {
      const edge = plan.app[pickEdge(cum, rng.next())]!
      yield emit(edge, Math.floor(rng.next() * edge.clients.length), Math.floor(rng.next() * edge.servers.length))
    }
  }

  // 2. Shared services.
  if (sharedRows > 0) {
    const cum = cumulative(plan.shared)
    for (let i = 0, misses = 0; i < sharedRows;) {
      if (misses > 10_000) throw new Error('generateConnections: shared services have no clients but themselves')
      const edge = plan.shared[pickEdge(cum, rng.next())]!
      const ci = Math.floor(rng.next() * edge.clients.length)
      const client = edge.clients[ci]!
      let si: number
      if (edge.pairing === 'sticky') {
        si = stickyIndex(typeof client === 'number' ? client : ci, edge.servers.length)
        if (edge.servers.length > 1 && rng.chance(0.2)) si = (si + 1) % edge.servers.length
      } else si = Math.floor(rng.next() * edge.servers.length)
      if (client === edge.servers[si]) {
        misses++ // a server does not query itself over the network
        continue
      }
      misses = 0
      i++
      yield emit(edge, ci, si)
    }
  }

  // 3. Noise: a little traffic between servers of unrelated applications.
  const pool = fallback ?? plan.noisePool
  for (let i = 0; i < noiseRows;) {
    const a = pool[Math.floor(rng.next() * pool.length)]!
    const b = pool[Math.floor(rng.next() * pool.length)]!
    // Same application (or same server) is not noise.
    if (a === b || (!fallback && plan.appOf[a] === plan.appOf[b])) continue
    const listens = servers[b]!.listens
    const l = listens[Math.floor(rng.next() * listens.length)]
    if (!l) continue
    i++
    yield row(a, b, {port: l.port, protocol: l.protocol, process: {linux: 'python3', windows: 'powershell.exe'}, count: 1}, rng.int(1, 3))
  }
}

function distinctApps(plan: FlowPlan): number {
  const seen = new Set<number>()
  for (const i of plan.noisePool) {
    seen.add(plan.appOf[i]!)
    if (seen.size >= 2) break
  }
  return seen.size
}

const dayCache = new Map<number, string>()
const two = (n: number): string => (n < 10 ? `0${n}` : String(n))

/** ISO-8601 UTC to the second; the date part is memoised (a window has few days, and this runs per record). */
function iso(ms: number): string {
  const day = Math.floor(ms / 86_400_000)
  let date = dayCache.get(day)
  if (date === undefined) {
    date = new Date(day * 86_400_000).toISOString().slice(0, 11)
    if (dayCache.size < 10_000) dayCache.set(day, date)
  }
  const sec = Math.floor((ms - day * 86_400_000) / 1000)
  return `${date}${two(Math.floor(sec / 3600))}:${two(Math.floor(sec / 60) % 60)}:${two(sec % 60)}Z`
}
