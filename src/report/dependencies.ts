/**
 * Dependency pictures for the report. Per application (move group): its servers, and around them
 * what they talk to outside the group (other groups as one node each, the shared services together
 * as one node, retired or retained servers, on-premises addresses and the internet as one node
 * each), laid out in layers
 * (clients left, the servers they call right). For the estate: the move groups in wave columns,
 * joined by their links; large estates keep the most connected groups and fold the rest into one
 * node per column. Pure.
 */
import type {MoveGroup, Plan} from '../model/plan.js'
import type {DependencyGraph} from '../plan/graph.js'
import {portLabel} from '../plan/graph.js'
import {layeredLayout} from './layout.js'

export type AppNodeKind = 'member' | 'group' | 'shared' | 'server' | 'internal' | 'internet' | 'more'

export interface AppNode {
  readonly label: string
  readonly kind: AppNodeKind
  /** Server id (member, shared, server) or group id (group). */
  readonly ref?: string
  readonly layer: number
  readonly row: number
}

export interface AppEdge {
  readonly from: number
  readonly to: number
  /** Observations. */
  readonly count: number
  /** Ports, space-separated, at most a few. */
  readonly ports: string
}

export interface AppGraph {
  readonly group: string
  readonly name: string
  readonly nodes: readonly AppNode[]
  readonly edges: readonly AppEdge[]
  readonly layers: number
  readonly height: number
  /** Members or neighbours left out of the picture (folded into a `more` node). */
  readonly omitted: number
}

export interface ApplicationGraphs {
  /** One per move group, ordered by group name. */
  readonly graphs: readonly AppGraph[]
}

export interface ApplicationGraphOptions {
  /** Members drawn per application; the rest are folded into one node. @default 150 */
  readonly maxMembers?: number
  /** Neighbours drawn per application (by traffic); the rest are folded into one node. @default 40 */
  readonly maxNeighbours?: number
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

interface Acc {
  count: number
  ports: Set<string>
}

/** Per-application pictures from the dependency graph and the plan's groups. */
export function applicationGraphs(
  graph: DependencyGraph,
  plan: Pick<Plan, 'groups' | 'sharedServices'>,
  options: ApplicationGraphOptions = {},
): ApplicationGraphs {
  const maxMembers = options.maxMembers ?? 150
  const maxNeighbours = options.maxNeighbours ?? 40
  const nodeIndex = new Map<string, number>()
  graph.nodes.forEach((n, i) => nodeIndex.set(n.id, i))
  const groupOf = new Int32Array(graph.nodes.length).fill(-1)
  plan.groups.forEach((g, gi) => {
    for (const id of g.servers) {
      const i = nodeIndex.get(id)
      if (i !== undefined) groupOf[i] = gi
    }
  })
  const shared = new Set(plan.sharedServices.map((s) => s.serverId))
  // Edges per group: a group's edges are the ones touching a member.
  const edgesOf: number[][] = plan.groups.map(() => [])
  graph.edges.forEach((e, k) => {
    const gc = groupOf[e.client]!
    const gs = groupOf[e.server]!
    if (gc >= 0) edgesOf[gc]!.push(k)
    if (gs >= 0 && gs !== gc) edgesOf[gs]!.push(k)
  })

  const graphs = plan.groups.map((g, gi) =>
    buildAppGraph(g, gi, edgesOf[gi]!, {graph, nodeIndex, groupOf, shared, groups: plan.groups, maxMembers, maxNeighbours}),
  )
  return {graphs: graphs.sort((a, b) => cmp(a.name, b.name) || cmp(a.group, b.group))}
}

interface Ctx {
  readonly graph: DependencyGraph
  readonly nodeIndex: ReadonlyMap<string, number>
  readonly groupOf: Int32Array
  readonly shared: ReadonlySet<string>
  readonly groups: readonly MoveGroup[]
  readonly maxMembers: number
  readonly maxNeighbours: number
}

function buildAppGraph(g: MoveGroup, gi: number, edgeIdx: readonly number[], ctx: Ctx): AppGraph {
  const {graph, groupOf} = ctx
  // Keys: `m:<node>` member, `g:<group>` other group, `s:<node>` shared/other server, `internal`, `internet`.
  const keyOf = (node: number): string => {
    const n = graph.nodes[node]!
    if (groupOf[node] === gi) return `m:${node}`
    if (n.kind === 'internet') return 'internet'
    if (n.kind === 'internal') return 'internal'
    if (groupOf[node]! >= 0) return `g:${groupOf[node]}`
    if (ctx.shared.has(n.id)) return 'shared'
    return `s:${node}`
  }
  const pair = new Map<string, Acc>()
  const traffic = new Map<string, number>()
  const externals = {internal: new Set<number>(), internet: new Set<number>(), shared: new Set<number>()}
  for (const k of edgeIdx) {
    const e = graph.edges[k]!
    const a = keyOf(e.client)
    const b = keyOf(e.server)
    if (a === b) continue
    for (const [key, node] of [
      [a, e.client],
      [b, e.server],
    ] as const) {
      traffic.set(key, (traffic.get(key) ?? 0) + e.count)
      if (key === 'internal') externals.internal.add(node)
      if (key === 'internet') externals.internet.add(node)
      if (key === 'shared') externals.shared.add(node)
    }
    const pk = `${a}\0${b}`
    let acc = pair.get(pk)
    if (!acc) pair.set(pk, (acc = {count: 0, ports: new Set()}))
    acc.count += e.count
    for (const p of e.ports) if (acc.ports.size < 6) acc.ports.add(portLabel(p.protocol, p.port))
  }
  // Members: all of them up to the cap (most traffic first when capped), in name order.
  const members = g.servers.map((id) => ctx.nodeIndex.get(id) ?? -1).filter((i) => i >= 0)
  let keptMembers = members
  let omitted = 0
  if (members.length > ctx.maxMembers) {
    keptMembers = [...members].sort((x, y) => (traffic.get(`m:${y}`) ?? 0) - (traffic.get(`m:${x}`) ?? 0) || x - y).slice(0, ctx.maxMembers)
    omitted += members.length - keptMembers.length
  }
  const keptMemberSet = new Set(keptMembers.map((m) => `m:${m}`))
  const neighbours = [...traffic.keys()].filter((k) => !k.startsWith('m:'))
  neighbours.sort((x, y) => traffic.get(y)! - traffic.get(x)! || cmp(x, y))
  const keptNeighbours = new Set(neighbours.slice(0, ctx.maxNeighbours))
  omitted += Math.max(0, neighbours.length - keptNeighbours.size)

  const nodes: {label: string; kind: AppNodeKind; ref?: string; key: string}[] = []
  const idx = new Map<string, number>()
  const add = (key: string, label: string, kind: AppNodeKind, ref?: string): void => {
    idx.set(key, nodes.length)
    nodes.push({label, kind, key, ...(ref ? {ref} : {})})
  }
  const memberOrder = [...keptMembers].sort((x, y) => cmp(graph.nodes[x]!.name, graph.nodes[y]!.name) || x - y)
  for (const m of memberOrder) add(`m:${m}`, graph.nodes[m]!.name, 'member', graph.nodes[m]!.id)
  const neighbourOrder = [...keptNeighbours].sort(cmp)
  for (const k of neighbourOrder) {
    if (k === 'internal') add(k, `on-premises addresses (${externals.internal.size})`, 'internal')
    else if (k === 'internet') add(k, `internet (${externals.internet.size})`, 'internet')
    else if (k === 'shared') {
      const names = [...externals.shared].map((i) => graph.nodes[i]!.name).sort(cmp)
      add(k, `shared services: ${names.slice(0, 4).join(', ')}${names.length > 4 ? ` +${names.length - 4}` : ''}`, 'shared')
    } else if (k.startsWith('g:')) {
      const other = ctx.groups[Number(k.slice(2))]!
      add(k, other.name, 'group', other.id)
    } else {
      const node = graph.nodes[Number(k.slice(2))]!
      add(k, node.name, 'server', node.id)
    }
  }
  const moreKey = 'more'
  if (omitted > 0) add(moreKey, `${omitted} more not drawn`, 'more')
  const fold = (key: string): string | undefined => {
    if (key.startsWith('m:')) return keptMemberSet.has(key) ? key : omitted > 0 ? moreKey : undefined
    return keptNeighbours.has(key) ? key : omitted > 0 ? moreKey : undefined
  }
  const edgeAcc = new Map<string, Acc & {from: number; to: number}>()
  for (const [pk, acc] of pair) {
    const [a, b] = pk.split('\0') as [string, string]
    const fa = fold(a)
    const fb = fold(b)
    if (fa === undefined || fb === undefined || fa === fb) continue
    const from = idx.get(fa)!
    const to = idx.get(fb)!
    const key = `${from}>${to}`
    let e = edgeAcc.get(key)
    if (!e) edgeAcc.set(key, (e = {from, to, count: 0, ports: new Set()}))
    e.count += acc.count
    for (const p of acc.ports) if (e.ports.size < 6) e.ports.add(p)
  }
  const edges: AppEdge[] = [...edgeAcc.values()]
    .sort((x, y) => x.from - y.from || x.to - y.to)
    .map((e) => ({from: e.from, to: e.to, count: e.count, ports: [...e.ports].join(' ')}))
  const lay = layeredLayout(nodes.length, edges, {fixedLayer: appColumns(nodes, edges), maxPerColumn: 40})
  return {
    group: g.id,
    name: g.name,
    nodes: nodes.map((n, i) => ({label: n.label, kind: n.kind, ...(n.ref ? {ref: n.ref} : {}), layer: lay.layer[i]!, row: lay.row[i]!})),
    edges,
    layers: lay.layers,
    height: lay.height,
    omitted,
  }
}

/**
 * Columns of an application picture: what calls the application on the left, its servers in the
 * middle (layered by their calls to each other: web, app, database …), what they call on the right
 * (neighbours that do both, and the folded node, last).
 */
function appColumns(nodes: readonly {readonly kind: AppNodeKind}[], edges: readonly AppEdge[]): number[] {
  const isMember = (i: number): boolean => nodes[i]!.kind === 'member'
  const members = nodes.map((_, i) => i).filter(isMember)
  const local = new Map(members.map((m, k) => [m, k]))
  const inner = edges.filter((e) => isMember(e.from) && isMember(e.to)).map((e) => ({from: local.get(e.from)!, to: local.get(e.to)!}))
  const memberLayer = layeredLayout(members.length, inner).layer
  const depth = memberLayer.reduce((m, l) => Math.max(m, l + 1), 1)
  const calls = new Set<number>()
  const called = new Set<number>()
  for (const e of edges) {
    if (!isMember(e.from) && isMember(e.to)) calls.add(e.from)
    if (isMember(e.from) && !isMember(e.to)) called.add(e.to)
  }
  const column = nodes.map((n, i) => {
    if (n.kind === 'member') return 1 + memberLayer[local.get(i)!]!
    if (n.kind === 'more') return depth + 2
    if (calls.has(i) && !called.has(i)) return 0
    return called.has(i) && !calls.has(i) ? depth + 1 : depth + 2
  })
  // Drop empty columns.
  const used = [...new Set(column)].sort((a, b) => a - b)
  const rank = new Map(used.map((c, k) => [c, k]))
  return column.map((c) => rank.get(c)!)
}
