/**
 * Move groups: servers that should migrate together. Application labels the user already has win
 * (import-template Applications, application tags and custom attributes, annotations, VM folders
 * that look like applications); every other server joins a group by traffic, found by
 * {@link detectCommunities} on the weighted server graph with shared services taken out. Pure.
 */
import {createHash} from 'node:crypto'

import type {GroupEvidence} from '../model/plan.js'
import {detectCommunities, graphFromEdges, modularity, type WeightedGraph} from './community.js'
import type {DependencyGraph, GraphEdge, PlanServer} from './graph.js'

export interface GroupingOptions {
  /** Resolution of the community quality (docs/waves.md). @default 0.01 */
  readonly resolution?: number
  /** Tag keys whose value names an application (case-insensitive). */
  readonly applicationTags?: readonly string[]
  /** Use VM folders that look like applications as labels. @default true */
  readonly folderLabels?: boolean
  /** Seed of the community search. @default 1 */
  readonly seed?: number
}

export interface GroupDraft {
  /** Unique within the grouping. */
  readonly name: string
  readonly id: string
  /** Node indexes (server nodes), ordered by server name then id. */
  readonly members: readonly number[]
  readonly evidence: readonly GroupEvidence[]
  /** Share of the members' observations (within scope) that stay inside the group; undefined without traffic. */
  readonly cohesion?: number
}

export interface Grouping {
  /** Group index per server node, −1 for servers left out (shared services, retired, retained). */
  readonly groupOf: Int32Array
  /** Ordered by name. */
  readonly groups: readonly GroupDraft[]
  /** The weighted graph the communities were searched on (one node per server in scope). */
  readonly weighted: WeightedGraph
  /** Server node index of each weighted-graph node. */
  readonly weightedNodes: Int32Array
  /** Newman modularity of the grouping on that graph. */
  readonly modularity: number
}

export interface ApplicationLabel {
  readonly label: string
  readonly source: string
}

const DEFAULT_TAGS = ['app', 'application', 'app-name', 'application-name', 'service', 'system', 'workload']
/** Folder names that say where a VM lives, not what it runs. */
const GENERIC_FOLDER =
  /^(vm|vms|virtual machines?|servers?|linux|windows|unix|prod(uction)?|prd|dev(elopment)?|test(ing)?|qa|uat|stag(e|ing)|pre-?prod|dr|templates?|discovered virtual machines?|infra(structure)?|misc(ellaneous)?|other|old|archive|decom(mission(ed)?)?|to[ -_]?delete|datacenter|cluster|resources?|vcenter|vcls|sandbox|lab|users?|workstations?|desktops?|vdi)$/i
/** A folder with more servers than this is an organisational folder, not one application. */
export const MAX_FOLDER_APPLICATION = 60

const normTagKey = (k: string): string =>
  k
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-')

/** Labels a server carries on its own (without folders, which need the whole estate to judge). */
export function applicationLabels(server: PlanServer, tagKeys: readonly string[] = DEFAULT_TAGS): ApplicationLabel[] {
  const apps = (server.applications ?? []).map((a) => a.trim()).filter((a) => a.length > 0)
  if (apps.length > 0) return [...new Set(apps)].sort().map((label) => ({label, source: 'applications'}))
  if (server.tags) {
    const keys = tagKeys.map(normTagKey)
    const entries = Object.entries(server.tags).map(([k, v]) => [normTagKey(k), k, String(v).trim()] as const)
    for (const key of keys) {
      const hit = entries.find(([k, , v]) => k === key && v.length > 0)
      if (hit) return [{label: hit[2], source: `tag ${hit[1]}`}]
    }
  }
  const m = server.description ? /\b(?:app|application)\s*[:=]\s*([^\s,;|]+)/i.exec(server.description) : null
  if (m) return [{label: m[1]!, source: 'annotation'}]
  return []
}

/** The last folder segment, when it can name an application. */
export function folderLabel(folder: string | undefined): string | undefined {
  if (!folder) return undefined
  const segments = folder
    .split(/[\\/]/)
    .map((s) => s.trim())
    .filter(Boolean)
  const last = segments.at(-1)
  if (!last || GENERIC_FOLDER.test(last)) return undefined
  return last
}

class UnionFind {
  private readonly parent: number[] = []
  add(): number {
    this.parent.push(this.parent.length)
    return this.parent.length - 1
  }
  find(x: number): number {
    let r = x
    while (this.parent[r] !== r) r = this.parent[r]!
    while (this.parent[x] !== r) {
      const next = this.parent[x]!
      this.parent[x] = r
      x = next
    }
    return r
  }
  union(a: number, b: number): void {
    const ra = this.find(a)
    const rb = this.find(b)
    if (ra !== rb) this.parent[Math.max(ra, rb)] = Math.min(ra, rb)
  }
}

/** Undirected server pairs (a < b) with their observations, ordered by a then b. */
interface Pairs {
  readonly a: Int32Array
  readonly b: Int32Array
  readonly c: Float64Array
  readonly length: number
}

/**
 * The in-scope edges as undirected pairs, both directions summed, ordered by (a, b): a bucket per
 * lower end, each bucket sorted and merged. Typed arrays instead of a map keyed by a × 2^22 + b,
 * whose keys outgrow small integers at 100,000 servers (a heap number per key, and a sort of
 * 700,000 of them with a comparator).
 */
function serverPairs(edges: readonly GraphEdge[], inScope: (i: number) => boolean, n: number): Pairs {
  const start = new Int32Array(n + 1)
  let m = 0
  for (const e of edges) {
    if (!inScope(e.client) || !inScope(e.server)) continue
    start[Math.min(e.client, e.server) + 1]!++
    m++
  }
  for (let i = 0; i < n; i++) start[i + 1]! += start[i]!
  const fill = start.slice(0, n)
  const pb = new Int32Array(m)
  const pc = new Float64Array(m)
  for (const e of edges) {
    if (!inScope(e.client) || !inScope(e.server)) continue
    const a = Math.min(e.client, e.server)
    const k = fill[a]!++
    pb[k] = Math.max(e.client, e.server)
    pc[k] = e.count
  }
  const out = {a: new Int32Array(m), b: new Int32Array(m), c: new Float64Array(m), length: 0}
  const order: number[] = []
  for (let a = 0; a < n; a++) {
    const from = start[a]!
    const to = start[a + 1]!
    if (from === to) continue
    order.length = 0
    for (let k = from; k < to; k++) order.push(k)
    order.sort((x, y) => pb[x]! - pb[y]! || x - y)
    for (const k of order) {
      const last = out.length - 1
      if (last >= 0 && out.a[last] === a && out.b[last] === pb[k]) out.c[last]! += pc[k]!
      else {
        out.a[out.length] = a
        out.b[out.length] = pb[k]!
        out.c[out.length] = pc[k]!
        out.length++
      }
    }
  }
  return out
}

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`

function stableId(ids: readonly string[]): string {
  return `grp-${createHash('sha256')
    .update([...ids].sort().join('\n'))
    .digest('hex')
    .slice(0, 10)}`
}

function commonPrefixName(names: readonly string[]): string | undefined {
  if (names.length < 2) return undefined
  let prefix = names[0]!.toLowerCase()
  for (const n of names) {
    const s = n.toLowerCase()
    let i = 0
    while (i < prefix.length && i < s.length && prefix[i] === s[i]) i++
    prefix = prefix.slice(0, i)
  }
  // Keep whole tokens: `app0012-web01`, `app0012-db01` → `app0012`; `web01`, `web02` → `web`.
  const whole = names.every((n) => n.length === prefix.length || /[-_.\s]/.test(n[prefix.length]!) || /[-_.\s]$/.test(prefix))
  if (!whole) {
    const cut = Math.max(prefix.lastIndexOf('-'), prefix.lastIndexOf('_'), prefix.lastIndexOf('.'), prefix.lastIndexOf(' '))
    prefix = cut > 0 ? prefix.slice(0, cut) : prefix.replace(/\d+$/, '')
  }
  prefix = prefix.replace(/[-_.\s]+$/, '')
  return prefix.length >= 3 ? prefix : undefined
}

const byName = (graph: DependencyGraph) => (a: number, b: number) => {
  const x = graph.nodes[a]!
  const y = graph.nodes[b]!
  return x.name < y.name ? -1 : x.name > y.name ? 1 : x.id < y.id ? -1 : x.id > y.id ? 1 : 0
}

/**
 * Group the server nodes of `graph` that are not in `excluded`. Labels win; the rest follow
 * traffic. Deterministic for the same graph and options.
 */
export function groupServers(graph: DependencyGraph, excluded: ReadonlySet<number>, options: GroupingOptions = {}): Grouping {
  const n = graph.serverCount
  const tagKeys = options.applicationTags ?? DEFAULT_TAGS
  const inScope = (i: number): boolean => i < n && !excluded.has(i)

  // 1. Labels, with applications that share a server joined.
  const labels: ApplicationLabel[][] = new Array(n)
  const folderCount = new Map<string, number>()
  for (let i = 0; i < n; i++) {
    if (!inScope(i)) continue
    const server = graph.nodes[i]!.server!
    labels[i] = applicationLabels(server, tagKeys)
    if (labels[i]!.length === 0 && options.folderLabels !== false) {
      const f = folderLabel(server.folder)
      if (f) folderCount.set(f.toLowerCase(), (folderCount.get(f.toLowerCase()) ?? 0) + 1)
    }
  }
  for (let i = 0; i < n; i++) {
    if (!inScope(i) || labels[i]!.length > 0 || options.folderLabels === false) continue
    const f = folderLabel(graph.nodes[i]!.server!.folder)
    if (f && folderCount.get(f.toLowerCase())! <= MAX_FOLDER_APPLICATION) labels[i] = [{label: f, source: 'folder'}]
  }
  const uf = new UnionFind()
  const labelIndex = new Map<string, number>()
  const labelText: string[] = []
  const labelOf = new Int32Array(n).fill(-1)
  for (let i = 0; i < n; i++) {
    if (!inScope(i) || labels[i]!.length === 0) continue
    let first = -1
    for (const {label} of labels[i]!) {
      const key = label.toLowerCase()
      let id = labelIndex.get(key)
      if (id === undefined) {
        id = uf.add()
        labelIndex.set(key, id)
        labelText.push(label)
      } else if (label < labelText[id]!) labelText[id] = label
      if (first < 0) first = id
      else uf.union(first, id)
    }
    labelOf[i] = first
  }

  // 2. Weighted graph: one node per label root, one per unlabelled server in scope.
  const nodeOf = new Int32Array(n).fill(-1)
  const rootNode = new Map<number, number>()
  let count = 0
  const nodeLabel: number[] = []
  for (let i = 0; i < n; i++) {
    if (!inScope(i)) continue
    if (labelOf[i]! >= 0) {
      const root = uf.find(labelOf[i]!)
      let node = rootNode.get(root)
      if (node === undefined) {
        rootNode.set(root, (node = count++))
        nodeLabel.push(root)
      }
      nodeOf[i] = node
    } else {
      nodeOf[i] = count++
      nodeLabel.push(-1)
    }
  }
  // Traffic between servers in scope, both directions summed.
  const pairs = serverPairs(graph.edges, inScope, n)
  const strength = new Float64Array(n)
  for (let k = 0; k < pairs.length; k++) {
    const a = pairs.a[k]!
    const b = pairs.b[k]!
    strength[a] = strength[a]! + pairs.c[k]!
    strength[b] = strength[b]! + pairs.c[k]!
  }
  // Weight = observations / sqrt(strength × strength): the share of both ends' traffic the pair
  // carries, so a quiet application's links weigh as much as a busy one's and a trickle of
  // traffic between two busy servers weighs almost nothing.
  const serverEdges = {u: new Int32Array(pairs.length), v: new Int32Array(pairs.length), w: new Float64Array(pairs.length), length: 0}
  const groupEdges = {u: new Int32Array(pairs.length), v: new Int32Array(pairs.length), w: new Float64Array(pairs.length), length: 0}
  const weightedNodes = new Int32Array(n).fill(-1)
  const serverNodeList: number[] = []
  for (let i = 0; i < n; i++) {
    if (inScope(i)) {
      weightedNodes[i] = serverNodeList.length
      serverNodeList.push(i)
    }
  }
  for (let p = 0; p < pairs.length; p++) {
    const a = pairs.a[p]!
    const b = pairs.b[p]!
    const w = pairs.c[p]! / Math.sqrt(strength[a]! * strength[b]!)
    const k = serverEdges.length++
    serverEdges.u[k] = weightedNodes[a]!
    serverEdges.v[k] = weightedNodes[b]!
    serverEdges.w[k] = w
    groupEdges.u[k] = nodeOf[a]!
    groupEdges.v[k] = nodeOf[b]!
    groupEdges.w[k] = w
    groupEdges.length++
  }
  const collapsed = graphFromEdges(count, groupEdges)
  const found = detectCommunities(collapsed, {resolution: options.resolution ?? 0.01, seed: options.seed ?? 1})
  const community = separateLabels(collapsed, found, Int32Array.from(nodeLabel))

  // 3. Groups from communities.
  const membersOf = new Map<number, number[]>()
  for (let i = 0; i < n; i++) {
    if (!inScope(i)) continue
    const c = community[nodeOf[i]!]!
    let list = membersOf.get(c)
    if (!list) membersOf.set(c, (list = []))
    list.push(i)
  }
  const cmp = byName(graph)
  const drafts: {members: number[]; label?: number; evidence: GroupEvidence[]; cohesion?: number; baseName: string}[] = []
  const internal = new Map<number, number>()
  const touching = new Map<number, number>()
  const commOfServer = (i: number): number => community[nodeOf[i]!]!
  for (let k = 0; k < pairs.length; k++) {
    const c = pairs.c[k]!
    const ca = commOfServer(pairs.a[k]!)
    const cb = commOfServer(pairs.b[k]!)
    touching.set(ca, (touching.get(ca) ?? 0) + c)
    if (ca === cb) internal.set(ca, (internal.get(ca) ?? 0) + c)
    else touching.set(cb, (touching.get(cb) ?? 0) + c)
  }
  for (const [c, members] of membersOf) {
    members.sort(cmp)
    const evidence: GroupEvidence[] = []
    let label: number | undefined
    const labelled = members.filter((i) => labelOf[i]! >= 0)
    if (labelled.length > 0) {
      label = uf.find(labelOf[labelled[0]!]!)
      const bySource = new Map<string, Set<string>>()
      for (const i of labelled) {
        for (const l of labels[i]!) {
          let s = bySource.get(l.source)
          if (!s) bySource.set(l.source, (s = new Set()))
          s.add(l.label)
        }
      }
      for (const [source, names] of [...bySource].sort((x, y) => (x[0] < y[0] ? -1 : 1))) {
        evidence.push({
          kind: 'label',
          detail: `${plural(labelled.filter((i) => labels[i]!.some((l) => l.source === source)).length, 'server')} labelled ${[...names].sort().join(', ')} (${source})`,
        })
      }
      if (bySource.size > 0 && [...bySource.values()].reduce((s, v) => s + v.size, 0) > 1) {
        evidence.push({kind: 'label', detail: 'applications that share a server move as one group'})
      }
    }
    const joined = members.filter((i) => labelOf[i]! < 0)
    const touch = touching.get(c)
    const inside = internal.get(c) ?? 0
    const cohesion = touch ? inside / touch : undefined
    if (joined.length > 0 && (members.length > 1 || touch)) {
      const names = joined.slice(0, 5).map((i) => graph.nodes[i]!.name)
      const more = joined.length > 5 ? ` and ${joined.length - 5} more` : ''
      const share = cohesion === undefined ? '' : `; ${(cohesion * 100).toFixed(1)}% of the group's observations stay inside it`
      evidence.push({
        kind: 'traffic',
        detail: `${label === undefined ? 'grouped' : 'joined'} by traffic: ${names.join(', ')}${more}${share}`,
      })
    }
    if (!touch && members.length === 1 && label === undefined) {
      evidence.push({kind: 'isolated', detail: 'no traffic with other servers in scope: moves on its own'})
    }
    const baseName =
      label !== undefined
        ? labelText[label]!
        : (commonPrefixName(members.map((i) => graph.nodes[i]!.name)) ??
          (members.length === 1 ? graph.nodes[members[0]!]!.name : `${topMember(members, strength, graph)}+${members.length - 1}`))
    drafts.push({members, ...(label === undefined ? {} : {label}), evidence, ...(cohesion === undefined ? {} : {cohesion}), baseName})
  }
  // Servers with no traffic at all follow their naming convention: `prd-orders-db01` joins the
  // one group whose members all start with `prd-orders` (or the application labelled so).
  const byStem = new Map<string, (typeof drafts)[number] | null>()
  for (const d of drafts) {
    if (d.members.length < 2 && d.label === undefined) continue
    const key = d.baseName.toLowerCase()
    byStem.set(key, byStem.has(key) ? null : d)
  }
  const joinedByName = new Set<(typeof drafts)[number]>()
  for (const d of drafts) {
    if (d.label !== undefined || d.members.length !== 1 || d.evidence[0]?.kind !== 'isolated') continue
    const name = graph.nodes[d.members[0]!]!.name
    const target = byStem.get(nameStem(name))
    if (!target) continue
    target.members.push(d.members[0]!)
    target.members.sort(cmp)
    target.evidence.push({kind: 'name', detail: `${name} has no traffic in scope: joined by its name (prefix ${nameStem(name)})`})
    joinedByName.add(d)
  }
  if (joinedByName.size > 0) drafts.splice(0, drafts.length, ...drafts.filter((d) => !joinedByName.has(d)))
  // Unique names: labelled groups keep theirs; derived names get -2, -3 … in member order.
  drafts.sort((x, y) => (x.baseName < y.baseName ? -1 : x.baseName > y.baseName ? 1 : cmp(x.members[0]!, y.members[0]!)))
  const taken = new Set(drafts.filter((d) => d.label !== undefined).map((d) => d.baseName.toLowerCase()))
  const used = new Set<string>()
  const suffix = new Map<string, number>()
  const groups: GroupDraft[] = drafts.map((d) => {
    let name = d.baseName
    if (d.label === undefined) {
      const base = d.baseName.toLowerCase()
      let k = suffix.get(base) ?? 1
      while (used.has(name.toLowerCase()) || taken.has(name.toLowerCase())) name = `${d.baseName}-${++k}`
      suffix.set(base, k)
    }
    used.add(name.toLowerCase())
    const ids = d.members.map((i) => graph.nodes[i]!.id)
    return {name, id: stableId(ids), members: d.members, evidence: d.evidence, ...(d.cohesion === undefined ? {} : {cohesion: d.cohesion})}
  })
  groups.sort((x, y) => (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
  const groupOf = new Int32Array(n).fill(-1)
  for (const [g, group] of groups.entries()) for (const i of group.members) groupOf[i] = g

  const weighted = graphFromEdges(serverNodeList.length, serverEdges)
  const membership = new Int32Array(serverNodeList.length)
  for (const [k, i] of serverNodeList.entries()) membership[k] = groupOf[i]!
  return {groupOf, groups, weighted, weightedNodes: Int32Array.from(serverNodeList), modularity: modularity(weighted, membership)}
}

/**
 * A community that holds two applications the user named is split between them: a maximum
 * spanning forest over its links (strongest first) that never joins two labels, so every
 * unlabelled server follows the label it is most strongly tied to. Searching without the label
 * constraint and splitting afterwards keeps a weak link (a trickle of traffic from another
 * application) from capturing servers before their real application is seen.
 */
function separateLabels(g: WeightedGraph, community: Int32Array, labels: Int32Array): Int32Array {
  const n = g.n
  const labelsIn = new Map<number, number>()
  for (let i = 0; i < n; i++) if (labels[i]! >= 0) labelsIn.set(community[i]!, (labelsIn.get(community[i]!) ?? 0) + 1)
  const mixed = (c: number): boolean => (labelsIn.get(c) ?? 0) > 1
  if (![...labelsIn.values()].some((v) => v > 1)) return community
  const edges: [number, number, number][] = []
  for (let i = 0; i < n; i++) {
    if (!mixed(community[i]!)) continue
    for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
      const j = g.targets[e]!
      if (j > i && community[j] === community[i]) edges.push([i, j, g.weights[e]!])
    }
  }
  edges.sort((a, b) => b[2] - a[2] || a[0] - b[0] || a[1] - b[1])
  const parent = Int32Array.from({length: n}, (_, i) => i)
  const rootLabel = Int32Array.from(labels)
  const find = (x: number): number => {
    while (parent[x] !== x) {
      parent[x] = parent[parent[x]!]!
      x = parent[x]!
    }
    return x
  }
  for (const [i, j] of edges) {
    const a = find(i)
    const b = find(j)
    if (a === b || (rootLabel[a]! >= 0 && rootLabel[b]! >= 0)) continue
    const [keep, drop] = a < b ? [a, b] : [b, a]
    parent[drop] = keep
    if (rootLabel[keep]! < 0) rootLabel[keep] = rootLabel[drop]!
  }
  // Renumber: untouched communities keep one id each, mixed ones one id per spanning tree.
  const ids = new Map<string, number>()
  const out = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const key = mixed(community[i]!) ? `t${find(i)}` : `c${community[i]}`
    let id = ids.get(key)
    if (id === undefined) ids.set(key, (id = ids.size))
    out[i] = id
  }
  return out
}

/** `prd-orders-db01` → `prd-orders`; `web01` → `web`. */
function nameStem(name: string): string {
  const s = name.toLowerCase()
  const cut = Math.max(s.lastIndexOf('-'), s.lastIndexOf('_'), s.lastIndexOf('.'))
  return cut > 0 ? s.slice(0, cut) : s.replace(/\d+$/, '')
}

function topMember(members: readonly number[], strength: Float64Array, graph: DependencyGraph): string {
  let best = members[0]!
  for (const i of members) if (strength[i]! > strength[best]!) best = i
  return graph.nodes[best]!.name
}
