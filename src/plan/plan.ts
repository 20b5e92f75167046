/**
 * From servers, connections, settings and (when there is one) the Assessment to the Plan document:
 * graph → shared services → move groups → waves → dates, cross-wave dependencies, prerequisites and
 * risk. Pure: the caller streams the connections in and stores the result.
 */
import type {Assessment, Strategy} from '../model/assessment.js'
import {
  PLAN_SCHEMA_VERSION,
  type CrossWaveDependency,
  type GroupLink,
  type MoveGroup,
  type OnPremisesDependency,
  type Plan,
  type PlanDiagnostic,
  type PlannedServer,
  type PlanSettings,
  type RiskReason,
  type SharedServicePrerequisite,
  type SharedServiceKind,
  type Wave,
} from '../model/plan.js'
import type {WavesSettings} from '../model/settings.js'
import {scheduleWaves} from './dates.js'
import {buildGraph, portLabel, type ConnectionInput, type DependencyGraph, type PlanServer} from './graph.js'
import {applicationLabels, folderLabel, groupServers, type Grouping} from './grouping.js'
import {findHubs, findSharedServices, type SharedServiceFinding} from './shared.js'
import {criticalityRank, environmentRank, normaliseEnvironment, planWaves, type WaveDependency} from './waves.js'

export interface PlanInput {
  readonly servers: readonly PlanServer[]
  readonly connections: Iterable<ConnectionInput>
  /** Effective wave settings (migrate-plan.yaml with flags applied). */
  readonly waves: WavesSettings
  /** settings.organisation.onPremisesCidrs */
  readonly onPremisesCidrs?: readonly string[]
  /** The stored Assessment; only each server's strategy and target are read. */
  readonly assessment?: PlanAssessment
}

/** What planning reads of the Assessment: `servers[].serverId/strategy/target`. */
export interface PlanAssessment {
  readonly servers: readonly Pick<Assessment['servers'][number], 'serverId' | 'strategy' | 'target'>[]
}

export interface DependencyAnalysis {
  readonly graph: DependencyGraph
  readonly shared: readonly SharedServiceFinding[]
  readonly grouping: Grouping
  /** Server node → strategy from the assessment (undefined without one). */
  readonly strategyOf: (node: number) => Strategy | undefined
  readonly retired: ReadonlySet<number>
  readonly retained: ReadonlySet<number>
  /** Group pairs (client group, server group) with their traffic. */
  readonly links: ReadonlyMap<number, LinkAcc>
}

interface LinkAcc {
  readonly client: number
  readonly server: number
  readonly ports: Set<string>
  observations: number
  flows: number
}

const SIDE = 4_194_304
const cmpStr = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Graph, shared services and move groups (what `waves groups` shows). */
export function analyseDependencies(
  input: Pick<PlanInput, 'waves' | 'assessment'> & {readonly graph: DependencyGraph},
): DependencyAnalysis {
  const {graph} = input
  const n = graph.serverCount
  const byId = new Map<string, {strategy: Strategy}>()
  for (const s of input.assessment?.servers ?? []) byId.set(s.serverId, s)
  const strategyOf = (node: number): Strategy | undefined => byId.get(graph.nodes[node]!.id)?.strategy
  const retired = new Set<number>()
  const retained = new Set<number>()
  for (let i = 0; i < n; i++) {
    const s = strategyOf(i)
    if (s === 'retire') retired.add(i)
    else if (s === 'retain') retained.add(i)
  }
  const shared: SharedServiceFinding[] = findSharedServices(graph).filter((f) => !retired.has(f.node))
  const excluded = new Set<number>([...retired, ...retained, ...shared.map((f) => f.node)])
  const options = {
    resolution: input.waves.groupingResolution,
    applicationTags: input.waves.applicationTags,
    folderLabels: input.waves.folderLabels,
  }
  let grouping = groupServers(graph, excluded, options)
  const hubs = findHubs(graph, grouping.groupOf, excluded, {minClients: input.waves.hubMinClients, minGroups: input.waves.hubMinGroups})
  if (hubs.length > 0) {
    for (const h of hubs) excluded.add(h.node)
    shared.push(...hubs)
    shared.sort((a, b) => a.node - b.node)
    grouping = groupServers(graph, excluded, options)
  }
  const links = new Map<number, LinkAcc>()
  for (const e of graph.edges) {
    const gc = e.client < n ? grouping.groupOf[e.client]! : -1
    const gs = e.server < n ? grouping.groupOf[e.server]! : -1
    if (gc < 0 || gs < 0 || gc === gs) continue
    const key = gc * SIDE + gs
    let l = links.get(key)
    if (!l) links.set(key, (l = {client: gc, server: gs, ports: new Set(), observations: 0, flows: 0}))
    l.observations += e.count
    l.flows++
    for (const p of e.ports) l.ports.add(portLabel(p.protocol, p.port))
  }
  return {graph, shared, grouping, strategyOf, retired, retained, links}
}

/** Move groups as documents, with their links to other groups (and their wave when given). */
export function describeGroups(analysis: DependencyAnalysis, waveOfGroup?: readonly number[]): MoveGroup[] {
  const {graph, grouping} = analysis
  const linksOf: GroupLink[][] = grouping.groups.map(() => [])
  const sortPorts = (s: Set<string>): string[] => [...s].sort(comparePorts)
  for (const l of analysis.links.values()) {
    const ports = sortPorts(l.ports)
    linksOf[l.client]!.push({group: grouping.groups[l.server]!.id, direction: 'out', ports, observations: l.observations, flows: l.flows})
    linksOf[l.server]!.push({group: grouping.groups[l.client]!.id, direction: 'in', ports, observations: l.observations, flows: l.flows})
  }
  return grouping.groups.map((g, i) => {
    const env = groupEnvironment(
      g.members.map((m) => graph.nodes[m]!.server!),
      [],
    )
    const crit = g.members
      .map((m) => graph.nodes[m]!.server!.criticality)
      .filter((c): c is string => Boolean(c))
      .sort((a, b) => criticalityRank(b) - criticalityRank(a) || cmpStr(a, b))[0]
    return {
      id: g.id,
      name: g.name,
      servers: g.members.map((m) => graph.nodes[m]!.id),
      ...(env === undefined ? {} : {environment: env}),
      ...(crit === undefined ? {} : {criticality: crit}),
      evidence: g.evidence,
      ...(g.cohesion === undefined ? {} : {cohesion: round(g.cohesion, 4)}),
      links: linksOf[i]!.sort((a, b) => cmpStr(a.group, b.group) || cmpStr(a.direction, b.direction)),
      ...(waveOfGroup ? {wave: waveOfGroup[i]!} : {}),
    }
  })
}

function comparePorts(a: string, b: string): number {
  const [pa, na] = a.split('/')
  const [pb, nb] = b.split('/')
  return cmpStr(pa!, pb!) || Number(na) - Number(nb)
}

function round(x: number, digits: number): number {
  const f = 10 ** digits
  return Math.round(x * f) / f
}

/** The most production-like environment of a set of servers, normalised; undefined when none is known. */
function groupEnvironment(servers: readonly PlanServer[], order: readonly string[]): string | undefined {
  const envs = servers.map((s) => normaliseEnvironment(s.environment)).filter((e): e is string => e !== undefined)
  if (envs.length === 0) return undefined
  const list = order.length > 0 ? order : ['dev', 'test', 'staging', 'prod']
  return envs.sort((a, b) => environmentRank(b, list) - environmentRank(a, list) || cmpStr(a, b))[0]
}

const DB_PORTS = new Set([1433, 1521, 3306, 5432, 27017, 50000, 5984, 9042, 1527, 3050])

function isDatabase(s: PlanServer): boolean {
  return (s.software ?? []).some((x) => x.category === 'database') || (s.listeners ?? []).some((l) => DB_PORTS.has(l.port))
}

const KIND_REQUIREMENT: Readonly<Record<SharedServiceKind, string>> = {
  dns: 'name resolution for the migrated servers (Route 53 Resolver endpoints forwarding to it, or DNS in AWS)',
  directory: 'directory and Kerberos reachable (AWS Managed Microsoft AD, a domain controller in AWS, or AD Connector)',
  ntp: 'time source reachable (Amazon Time Sync Service or this server)',
  smtp: 'mail relay reachable (Amazon SES or this relay over hybrid connectivity)',
  monitoring: 'monitoring able to reach the migrated servers (agents re-pointed or CloudWatch)',
  backup: 'backup covering the migrated servers (AWS Backup or this server reachable)',
  patching: 'patching for the migrated servers (Systems Manager Patch Manager or this server reachable)',
  logging: 'log collection reachable (CloudWatch Logs or this collector)',
  hub: 'reachable from AWS over hybrid connectivity, or migrated first',
}

/** The whole plan. Same input → byte-identical JSON. */
export function buildPlan(input: PlanInput): Plan {
  const graph = buildGraph(input.servers, input.connections, {onPremisesCidrs: input.onPremisesCidrs ?? []})
  return planFromGraph({...input, graph})
}

export function planFromGraph(input: Omit<PlanInput, 'connections'> & {readonly graph: DependencyGraph}): Plan {
  const w = input.waves
  const analysis = analyseDependencies(input)
  const {graph, grouping, shared} = analysis
  const n = graph.serverCount
  const node = (i: number) => graph.nodes[i]!
  const diagnostics: PlanDiagnostic[] = []
  if (!input.assessment) {
    diagnostics.push({
      code: 'NO_ASSESSMENT',
      message: 'no assessment in the workspace: every server is treated as a rehost candidate (run `migrate-plan assess` first)',
    })
  }

  // Wave inputs: groups with servers taken dependencies-first when a group must be split.
  const internalClients = new Uint32Array(n)
  for (const e of graph.edges) {
    if (e.client < n && e.server < n && grouping.groupOf[e.client] === grouping.groupOf[e.server] && grouping.groupOf[e.server]! >= 0) {
      internalClients[e.server]!++
    }
  }
  const waveGroups = grouping.groups.map((g) => {
    const servers = g.members.map((m) => node(m).server!)
    const aliases = new Set<string>()
    for (const s of servers) {
      for (const l of applicationLabels(s, w.applicationTags)) aliases.add(l.label)
      const f = w.folderLabels ? folderLabel(s.folder) : undefined
      if (f) aliases.add(f)
    }
    const env = groupEnvironment(servers, w.environmentOrder)
    const crit = servers
      .map((s) => s.criticality)
      .filter((c): c is string => Boolean(c))
      .sort((a, b) => criticalityRank(b) - criticalityRank(a) || cmpStr(a, b))[0]
    const ordered = [...g.members].sort((a, b) => internalClients[b]! - internalClients[a]!)
    return {
      id: g.id,
      name: g.name,
      aliases: [...aliases].sort(),
      servers: ordered.map((m) => node(m).id),
      ...(env === undefined ? {} : {environment: env}),
      ...(crit === undefined ? {} : {criticality: crit}),
    }
  })
  const deps: WaveDependency[] = [...analysis.links.values()]
    .map((l) => ({client: l.client, server: l.server, observations: l.observations}))
    .sort((a, b) => a.client - b.client || a.server - b.server)
  const assignment = planWaves(waveGroups, deps, {
    maxServersPerWave: w.maxServersPerWave,
    pilot: w.pilot,
    environmentOrder: w.environmentOrder,
    pins: w.pins,
    moveTogether: w.moveTogether,
  })
  for (const note of assignment.notes) diagnostics.push({code: 'WAVES_NOTE', message: note})

  const nodeIndex = new Map<string, number>()
  for (let i = 0; i < n; i++) nodeIndex.set(node(i).id, i)
  const waveOf = new Int32Array(n).fill(0)
  for (const wave of assignment.waves) for (const c of wave.chunks) for (const s of c.servers) waveOf[nodeIndex.get(s)!] = wave.number
  const dates = scheduleWaves(assignment.waves.length, w)
  const groups = describeGroups(analysis, assignment.waveOfGroup)

  // Shared services: needed before the first wave with a server that talks to them.
  const neededBy = new Map<number, number>()
  const sharedSet = new Set(shared.map((s) => s.node))
  for (const e of graph.edges) {
    for (const [svc, other] of [
      [e.server, e.client],
      [e.client, e.server],
    ] as const) {
      if (!sharedSet.has(svc) || other >= n || waveOf[other] === 0) continue
      const prev = neededBy.get(svc)
      if (prev === undefined || waveOf[other]! < prev) neededBy.set(svc, waveOf[other]!)
    }
  }
  const sharedServices: SharedServicePrerequisite[] = shared
    .map((s) => {
      const wave = neededBy.get(s.node)
      return {
        serverId: node(s.node).id,
        name: node(s.node).name,
        kinds: s.kinds,
        ports: s.ports,
        clients: s.clients,
        evidence: s.evidence,
        ...(wave === undefined ? {} : {neededByWave: wave}),
        requirement: `${s.kinds.map((k) => KIND_REQUIREMENT[k]).join('; ')}${wave === undefined ? '' : ` before wave ${wave}`}`,
      }
    })
    .sort((a, b) => cmpStr(a.name, b.name) || cmpStr(a.serverId, b.serverId))

  // Cross-wave dependencies, grouped by group pair and wave pair.
  interface CrossAcc {
    clientGroup: number
    serverGroup: number
    clientWave: number
    serverWave: number
    ports: Set<string>
    observations: number
    flows: {client: string; server: string; ports: string[]}[]
  }
  const cross = new Map<string, CrossAcc>()
  const onPrem = new Map<string, {waved: number; endpoint: string; ports: Set<string>; observations: number; direction: 'out' | 'in'}>()
  const retainedOrInternal = (i: number): boolean => (i < n ? analysis.retained.has(i) : node(i).kind === 'internal')
  for (const e of graph.edges) {
    const wc = e.client < n ? waveOf[e.client]! : 0
    const ws = e.server < n ? waveOf[e.server]! : 0
    if (wc === ws || (wc === 0 && ws === 0)) continue
    const ports = e.ports.map((p) => portLabel(p.protocol, p.port))
    if (wc > 0 && ws > 0) {
      const gc = grouping.groupOf[e.client]!
      const gs = grouping.groupOf[e.server]!
      const key = `${gc}|${gs}|${wc}|${ws}`
      let c = cross.get(key)
      if (!c)
        cross.set(
          key,
          (c = {clientGroup: gc, serverGroup: gs, clientWave: wc, serverWave: ws, ports: new Set(), observations: 0, flows: []}),
        )
      for (const p of ports) c.ports.add(p)
      c.observations += e.count
      c.flows.push({client: node(e.client).id, server: node(e.server).id, ports})
    } else if ((wc > 0 && retainedOrInternal(e.server)) || (ws > 0 && retainedOrInternal(e.client))) {
      const out = wc > 0
      const waved = out ? e.client : e.server
      const other = out ? e.server : e.client
      const key = `${waved}|${other}|${out}`
      let o = onPrem.get(key)
      if (!o) onPrem.set(key, (o = {waved, endpoint: node(other).id, ports: new Set(), observations: 0, direction: out ? 'out' : 'in'}))
      for (const p of ports) o.ports.add(p)
      o.observations += e.count
    }
  }
  const crossWaveDependencies: CrossWaveDependency[] = [...cross.values()]
    .map((c) => ({
      clientGroup: grouping.groups[c.clientGroup]!.name,
      serverGroup: grouping.groups[c.serverGroup]!.name,
      clientWave: c.clientWave,
      serverWave: c.serverWave,
      dependentFirst: c.clientWave < c.serverWave,
      ports: [...c.ports].sort(comparePorts),
      observations: c.observations,
      flows: c.flows.sort((a, b) => cmpStr(a.client, b.client) || cmpStr(a.server, b.server)),
    }))
    .sort(
      (a, b) =>
        a.clientWave - b.clientWave ||
        a.serverWave - b.serverWave ||
        cmpStr(a.clientGroup, b.clientGroup) ||
        cmpStr(a.serverGroup, b.serverGroup),
    )
  const onPremisesDependencies: OnPremisesDependency[] = [...onPrem.values()]
    .map((o) => ({
      server: node(o.waved).id,
      wave: waveOf[o.waved]!,
      direction: o.direction,
      endpoint: o.endpoint,
      ports: [...o.ports].sort(comparePorts),
      observations: o.observations,
    }))
    .sort((a, b) => a.wave - b.wave || cmpStr(a.server, b.server) || cmpStr(a.endpoint, b.endpoint) || cmpStr(a.direction, b.direction))
  const retiredUsers = new Map<number, number>()
  for (const e of graph.edges) {
    if (analysis.retired.has(e.server) && e.client < n && waveOf[e.client]! > 0)
      retiredUsers.set(e.server, (retiredUsers.get(e.server) ?? 0) + 1)
  }
  for (const r of [...analysis.retired].sort((a, b) => a - b)) {
    const users = retiredUsers.get(r) ?? 0
    if (users > 0) {
      diagnostics.push({
        code: 'RETIRED_IN_USE',
        message: `${node(r).name} is to be retired but ${users} waved server(s) still connect to it`,
      })
    }
  }
  if (graph.summary.ambiguousIps.length > 0) {
    diagnostics.push({
      code: 'AMBIGUOUS_IP',
      message: `${graph.summary.ambiguousIps.length} IP address(es) belong to more than one server (the first by id was used): ${graph.summary.ambiguousIps.slice(0, 5).join(', ')}`,
    })
  }

  // Servers.
  const byId = new Map<
    string,
    {strategy: Strategy; target: {service: NonNullable<PlannedServer['target']>['service']; instanceType?: string}}
  >()
  for (const s of input.assessment?.servers ?? []) byId.set(s.serverId, s)
  const servers: PlannedServer[] = []
  for (let i = 0; i < n; i++) {
    if (waveOf[i] === 0) continue
    const s = node(i).server!
    const a = byId.get(s.id)
    const env = normaliseEnvironment(s.environment)
    servers.push({
      id: s.id,
      name: s.name,
      wave: waveOf[i]!,
      group: grouping.groups[grouping.groupOf[i]!]!.id,
      ...(env === undefined ? {} : {environment: env}),
      strategy: a?.strategy ?? 'rehost',
      ...(a ? {target: {service: a.target.service, ...(a.target.instanceType ? {instanceType: a.target.instanceType} : {})}} : {}),
    })
  }
  servers.sort((a, b) => cmpStr(a.name, b.name) || cmpStr(a.id, b.id))

  // Waves with dates and risk.
  const waves: Wave[] = assignment.waves.map((d, k) => {
    const members = d.chunks.flatMap((c) => c.servers.map((s) => node(nodeIndex.get(s)!).server!))
    const envs = [...new Set(members.map((s) => normaliseEnvironment(s.environment) ?? 'unknown'))].sort()
    const risk = waveRisk(
      d.number,
      members,
      d.chunks,
      crossWaveDependencies,
      waveGroups,
      w.maxServersPerWave,
      d.pilot ? w.pilot.maxServers : undefined,
      (id) => byId.get(id)?.strategy,
    )
    const prerequisites = sharedServices.filter((s) => s.neededByWave === d.number).map((s) => `${s.name} (${s.kinds.join(', ')})`)
    const date = dates[k]!
    return {
      number: d.number,
      name: d.pilot ? 'Pilot' : `Wave ${d.number}`,
      pilot: d.pilot,
      dayOffset: date.dayOffset,
      ...(date.start ? {start: date.start, cutover: date.cutover!} : {}),
      servers: d.servers,
      environments: envs,
      placements: d.chunks.map((c) => ({group: grouping.groups[c.group]!.id, servers: c.servers.length, reasons: c.reasons})),
      prerequisites,
      risk,
      dateReasons: date.reasons,
    }
  })
  const settings: PlanSettings = {
    maxServersPerWave: w.maxServersPerWave,
    cadenceDays: w.cadenceDays,
    ...(w.startDate ? {startDate: w.startDate} : {}),
    blackoutDates: w.blackoutDates,
    pilot: w.pilot,
    environmentOrder: w.environmentOrder,
    pins: Object.fromEntries(Object.entries(w.pins).sort((a, b) => cmpStr(a[0], b[0]))),
    moveTogether: w.moveTogether,
    hubMinClients: w.hubMinClients,
    hubMinGroups: w.hubMinGroups,
    groupingResolution: w.groupingResolution,
  }
  const listOf = (set: ReadonlySet<number>) =>
    [...set].map((i) => ({id: node(i).id, name: node(i).name})).sort((a, b) => cmpStr(a.name, b.name) || cmpStr(a.id, b.id))
  return {
    schemaVersion: PLAN_SCHEMA_VERSION,
    settings,
    strategySource: input.assessment ? 'assessment' : 'none',
    graph: graph.summary,
    sharedServices,
    groups,
    waves,
    servers,
    crossWaveDependencies,
    onPremisesDependencies,
    retained: listOf(analysis.retained),
    retired: listOf(analysis.retired),
    diagnostics,
  }
}

/** Risk score (0–100) of one wave, the sum of capped factors, each with its reason. */
function waveRisk(
  number: number,
  members: readonly PlanServer[],
  chunks: readonly {group: number; servers: readonly string[]}[],
  cross: readonly CrossWaveDependency[],
  groups: readonly {name: string; servers: readonly string[]; criticality?: string}[],
  capacity: number,
  pilotCapacity: number | undefined,
  strategyOf: (id: string) => Strategy | undefined,
): {score: number; reasons: RiskReason[]} {
  const reasons: RiskReason[] = []
  const add = (factor: string, points: number, detail: string): void => {
    if (points > 0) reasons.push({factor, points: Math.round(points), detail})
  }
  const total = members.length
  if (total === 0) return {score: 0, reasons}
  const prod = members.filter((s) => normaliseEnvironment(s.environment) === 'prod').length
  add('production', (30 * prod) / total, `${prod} of ${total} servers are production`)
  const critical = [...new Set(chunks.map((c) => c.group))].filter((g) => criticalityRank(groups[g]!.criticality) === 2)
  add(
    'criticality',
    Math.min(30, 10 * critical.length),
    `${critical.length} business-critical group(s): ${critical
      .map((g) => groups[g]!.name)
      .slice(0, 5)
      .join(', ')}`,
  )
  const dbs = members.filter(isDatabase).length
  add('databases', Math.min(20, 4 * dbs), `${dbs} database server(s): data must be synchronised and cut over`)
  const touching = cross.filter((c) => c.clientWave === number || c.serverWave === number)
  add(
    'cross-wave',
    Math.min(20, 2 * touching.length),
    `${touching.length} group dependencies cross this wave's boundary and need hybrid connectivity`,
  )
  const early = cross.filter((c) => c.clientWave === number && c.dependentFirst)
  add('dependent-first', Math.min(20, 5 * early.length), `${early.length} group(s) here depend on groups that move later`)
  const unknown = members.filter((s) => s.environment === undefined || s.osFamily === undefined).length
  add('unknowns', Math.min(10, unknown), `${unknown} server(s) with unknown environment or OS`)
  const change = members.filter((s) => ['replatform', 'refactor', 'repurchase'].includes(strategyOf(s.id) ?? '')).length
  add('change', Math.min(15, 3 * change), `${change} server(s) change platform (replatform, refactor or repurchase), not a plain rehost`)
  const split = [...new Set(chunks.filter((c) => c.servers.length < groups[c.group]!.servers.length).map((c) => c.group))]
  add('split-group', split.length > 0 ? 10 : 0, `group(s) split over several waves: ${split.map((g) => groups[g]!.name).join(', ')}`)
  const cap = pilotCapacity ?? capacity
  add('full', total > 0.9 * cap ? 5 : 0, `${total} of ${cap} server slots used`)
  reasons.sort((a, b) => b.points - a.points || cmpStr(a.factor, b.factor))
  return {
    score: Math.min(
      100,
      reasons.reduce((s, r) => s + r.points, 0),
    ),
    reasons,
  }
}
