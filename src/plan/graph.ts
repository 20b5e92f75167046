/**
 * The dependency graph: inventory servers plus the endpoints no server owns, joined by directed
 * edges client → server that carry ports, protocols, processes and observation counts. Pure: the
 * caller streams connection records in (millions of them, so they are never held as a list).
 */
import type {Protocol} from '../model/connection.js'
import type {GraphSummary} from '../model/plan.js'
import type {Server} from '../model/server.js'
import {AddressClassifier, normaliseIp} from './ip.js'

/** What planning reads of a server; a full `Server` fits. */
export type PlanServer = Pick<
  Server,
  | 'id'
  | 'name'
  | 'ips'
  | 'nics'
  | 'listeners'
  | 'applications'
  | 'tags'
  | 'folder'
  | 'description'
  | 'environment'
  | 'criticality'
  | 'software'
  | 'osFamily'
  | 'flags'
>

/** One connection record, raw or aggregated: `source` is the client, `destination` the listener. */
export interface ConnectionInput {
  readonly sourceIp: string
  readonly destinationIp: string
  readonly destinationPort: number
  readonly protocol: Protocol
  readonly count: number
  readonly bytes?: number
  readonly process?: string
  readonly processes?: readonly string[]
  /** How many stored records this one stands for (a stream grouped by the workspace); 1 when absent. */
  readonly records?: number
}

export type NodeKind = 'server' | 'internal' | 'internet'

export interface GraphNode {
  /** Server id, or `ip:<address>` for an endpoint no server owns. */
  readonly id: string
  readonly name: string
  readonly kind: NodeKind
  /** The server, for server nodes. */
  readonly server?: PlanServer
  /** The address, for external nodes. */
  readonly ip?: string
}

export interface PortUse {
  readonly protocol: Protocol
  readonly port: number
  readonly count: number
  /** Distinct process names reported on either side, sorted. */
  readonly processes: readonly string[]
}

export interface GraphEdge {
  /** Node index of the client (the side that opened the connection). */
  readonly client: number
  /** Node index of the server (the listener). */
  readonly server: number
  /** Observations over every port. */
  readonly count: number
  readonly bytes?: number
  /** Ordered by protocol then port. */
  readonly ports: readonly PortUse[]
}

export interface DependencyGraph {
  /** Servers first (ordered by id), then external endpoints (ordered by address). */
  readonly nodes: readonly GraphNode[]
  readonly serverCount: number
  /** Ordered by client then server index. */
  readonly edges: readonly GraphEdge[]
  readonly summary: GraphSummary
}

export interface GraphOptions {
  /** settings.organisation.onPremisesCidrs: addresses in them are internal, not internet. */
  readonly onPremisesCidrs?: readonly string[]
}

interface PortAcc {
  protocol: Protocol
  port: number
  count: number
  /** NONE until a process is seen; sorted in build(). */
  processes: string[]
}

interface EdgeAcc {
  client: number
  server: number
  count: number
  bytes?: number
  ports: PortAcc[]
}

/** Key of a (protocol, port) pair in a listener set. */
const listenKey = (protocol: Protocol, port: number): number => port * 2 + (protocol === 'udp' ? 1 : 0)
const NONE: readonly string[] = Object.freeze([])

const MAX_PROCESSES = 16

/**
 * Keeps the alphabetically first MAX_PROCESSES distinct names, whatever order the records come in
 * (the same graph from a raw or a grouped stream).
 */
function addProcess(p: PortAcc, name: string): void {
  const list = p.processes
  if (list === NONE) p.processes = [name]
  else if (list.includes(name)) return
  else if (list.length < MAX_PROCESSES) list.push(name)
  else {
    let max = 0
    for (let i = 1; i < list.length; i++) if (list[i]! > list[max]!) max = i
    if (name < list[max]!) list[max] = name
  }
}

/** Accumulates connection records into a graph; `build()` once at the end. */
export class GraphBuilder {
  private readonly servers: PlanServer[]
  private readonly ipIndex = new Map<string, number>()
  private readonly externalIndex = new Map<string, number>()
  private readonly externalIps: string[] = []
  private readonly listening: (Set<number> | undefined)[]
  /** Edges by client node, then server node: small-integer keys keep the maps fast. */
  private readonly edges: (Map<number, EdgeAcc> | undefined)[] = []
  private readonly classifier: AddressClassifier
  private readonly ambiguous = new Set<string>()
  private records = 0
  private observations = 0
  private unresolved = 0
  private local = 0
  private reversed = 0

  constructor(servers: readonly PlanServer[], options: GraphOptions = {}) {
    this.servers = [...servers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    this.classifier = new AddressClassifier(options.onPremisesCidrs)
    this.listening = this.servers.map((s) => {
      if (!s.listeners || s.listeners.length === 0) return undefined
      return new Set(s.listeners.map((l) => listenKey(l.protocol, l.port)))
    })
    for (const [i, s] of this.servers.entries()) {
      const ips = new Set<string>()
      for (const ip of s.ips ?? []) ips.add(normaliseIp(ip))
      for (const nic of s.nics ?? []) for (const ip of nic.ips) ips.add(normaliseIp(ip))
      for (const ip of ips) {
        if (this.classifier.classify(ip) === 'loopback') continue
        const other = this.ipIndex.get(ip)
        if (other === undefined) this.ipIndex.set(ip, i)
        else if (other !== i) this.ambiguous.add(ip)
      }
    }
  }

  private resolve(ip: string): number {
    let hit = this.ipIndex.get(ip)
    if (hit !== undefined) return hit
    hit = this.externalIndex.get(ip)
    if (hit !== undefined) return hit
    const norm = normaliseIp(ip)
    hit = this.ipIndex.get(norm) ?? this.externalIndex.get(norm)
    if (hit !== undefined) return hit
    if (this.classifier.classify(norm) === 'loopback') return -1
    const index = this.servers.length + this.externalIps.length
    this.externalIps.push(norm)
    this.externalIndex.set(norm, index)
    if (norm !== ip) this.externalIndex.set(ip, index)
    return index
  }

  add(c: ConnectionInput): void {
    const records = c.records ?? 1
    this.records += records
    const count = c.count
    this.observations += count
    let client = this.resolve(c.sourceIp)
    let server = this.resolve(c.destinationIp)
    if (client === server || client < 0 || server < 0) {
      this.local += records
      return
    }
    const n = this.servers.length
    // Direction from listening ports: when the "server" side is known not to listen on the port
    // and the "client" side does, the record was written the wrong way round.
    if (server < n && client < n) {
      const key = listenKey(c.protocol, c.destinationPort)
      const dst = this.listening[server]
      const src = this.listening[client]
      if (dst && !dst.has(key) && src?.has(key)) {
        ;[client, server] = [server, client]
        this.reversed += records
      }
    }
    if (client >= n || server >= n) this.unresolved += count
    let out = this.edges[client]
    if (!out) {
      out = new Map()
      while (this.edges.length < client) this.edges.push(undefined)
      this.edges[client] = out
    }
    let e = out.get(server)
    if (!e) {
      e = {client, server, count: 0, ports: []}
      out.set(server, e)
    }
    e.count += count
    if (c.bytes !== undefined) e.bytes = (e.bytes ?? 0) + c.bytes
    let p: PortAcc | undefined
    for (const q of e.ports) if (q.port === c.destinationPort && q.protocol === c.protocol) p = q
    if (!p) {
      p = {protocol: c.protocol, port: c.destinationPort, count: 0, processes: NONE as string[]}
      e.ports.push(p)
    }
    p.count += count
    if (c.process) addProcess(p, c.process)
    if (c.processes) for (const name of c.processes) if (name) addProcess(p, name)
  }

  private *allEdges(): Generator<EdgeAcc> {
    for (const m of this.edges) if (m) yield* m.values()
  }

  build(): DependencyGraph {
    const n = this.servers.length
    const nodes: GraphNode[] = this.servers.map((s) => ({id: s.id, name: s.name, kind: 'server', server: s}))
    // External endpoints ordered by address: remap their provisional indexes.
    const order = this.externalIps.map((ip, i) => ({ip, i})).sort((a, b) => (a.ip < b.ip ? -1 : a.ip > b.ip ? 1 : 0))
    const remap = new Int32Array(this.externalIps.length)
    let internet = 0
    let internal = 0
    for (const [rank, {ip, i}] of order.entries()) {
      remap[i] = n + rank
      const kind = this.classifier.classify(ip) === 'internet' ? 'internet' : 'internal'
      if (kind === 'internet') internet++
      else internal++
      nodes.push({id: `ip:${ip}`, name: ip, kind, ip})
    }
    const at = (index: number): number => (index < n ? index : remap[index - n]!)
    // The accumulators become the edges in place: no second copy of 700,000 edges.
    const edges: EdgeAcc[] = []
    let serverEdges = 0
    for (const e of this.allEdges()) {
      e.client = at(e.client)
      e.server = at(e.server)
      if (e.client < n && e.server < n) serverEdges++
      if (e.ports.length > 1) e.ports.sort((a, b) => (a.protocol === b.protocol ? a.port - b.port : a.protocol < b.protocol ? -1 : 1))
      for (const p of e.ports) if (p.processes.length > 1) p.processes.sort()
      edges.push(e)
    }
    edges.sort((a, b) => a.client - b.client || a.server - b.server)
    return {
      nodes,
      serverCount: n,
      edges,
      summary: {
        records: this.records,
        observations: this.observations,
        serverNodes: n,
        externalNodes: {internet, internal},
        edges: edges.length,
        serverEdges,
        unresolvedObservations: this.unresolved,
        unresolvedShare: this.observations === 0 ? 0 : this.unresolved / this.observations,
        localRecords: this.local,
        reversedRecords: this.reversed,
        ambiguousIps: [...this.ambiguous].sort(),
      },
    }
  }
}

/** Build the graph from servers and any iterable of connection records. */
export function buildGraph(
  servers: readonly PlanServer[],
  connections: Iterable<ConnectionInput>,
  options: GraphOptions = {},
): DependencyGraph {
  const b = new GraphBuilder(servers, options)
  for (const c of connections) b.add(c)
  return b.build()
}

/** `tcp/5432` */
export function portLabel(protocol: Protocol, port: number): string {
  return `${protocol}/${port}`
}
