/**
 * `generateEstate`: a synthetic estate of any size, deterministic for a seed. Servers come in
 * planted applications built from stacks (web → app → db, some with a cache, broker, file share or
 * batch tier) plus planted shared services (AD, DNS, NTP, monitoring, backup, patching, SMTP);
 * connection records are generated lazily from a flow plan (src/synth/flows.ts).
 *
 * `assembleEstate` is the same last step for hand-made server lists (the bundled example).
 */
import {buildServer, IpAllocator, type BuildContext, type ServerSpec, type SynthEnvironment} from './build.js'
import {APP_NAMES, OS_MIX, SHARED_ORDER, SHARED_SERVICES, SOFTWARE, STACK_MIX, STACKS, type OsId, type StackSpec} from './catalog.js'
import {generateConnections, indices, sharedServiceEdges, type FlowEdge, type FlowPlan, type ProcessName} from './flows.js'
import {Random} from './random.js'
import type {SynthEstate, SynthOptions, SynthServer, SynthTier} from './types.js'

/** Defaults of every option but `servers`. */
export const SYNTH_DEFAULTS = {
  seed: 1,
  appSize: [2, 12] as const,
  noise: 0.02,
  idleFraction: 0.05,
  windowsFraction: 0.35,
  poweredOffFraction: 0.03,
  sharedTraffic: 0.25,
  domain: 'corp.example',
  windowEnd: '2026-01-19T00:00:00Z',
  windowDays: 14,
} as const

/** Options with every default filled in. Throws on values that cannot make an estate. */
export function resolveOptions(o: SynthOptions): Required<SynthOptions> {
  if (!Number.isInteger(o.servers) || o.servers < 1) throw new RangeError(`servers must be a positive integer, got ${o.servers}`)
  const appSize = o.appSize ?? SYNTH_DEFAULTS.appSize
  if (!(appSize[0] >= 1 && appSize[1] >= appSize[0]))
    throw new RangeError(`appSize must be [min, max] with 1 ≤ min ≤ max, got [${appSize.join(', ')}]`)
  const domain = o.domain ?? SYNTH_DEFAULTS.domain
  const resolved: Required<SynthOptions> = {
    servers: o.servers,
    seed: o.seed ?? SYNTH_DEFAULTS.seed,
    appSize: [appSize[0], appSize[1]],
    sharedServices: o.sharedServices ?? Math.max(4, Math.floor(o.servers / 500)),
    connectionRecords: o.connectionRecords ?? o.servers * 20,
    noise: o.noise ?? SYNTH_DEFAULTS.noise,
    idleFraction: o.idleFraction ?? SYNTH_DEFAULTS.idleFraction,
    windowsFraction: o.windowsFraction ?? SYNTH_DEFAULTS.windowsFraction,
    poweredOffFraction: o.poweredOffFraction ?? SYNTH_DEFAULTS.poweredOffFraction,
    sharedTraffic: o.sharedTraffic ?? SYNTH_DEFAULTS.sharedTraffic,
    domain,
    vcenter: o.vcenter ?? `vcenter01.${domain}`,
    windowEnd: o.windowEnd ?? SYNTH_DEFAULTS.windowEnd,
    windowDays: o.windowDays ?? SYNTH_DEFAULTS.windowDays,
  }
  for (const k of ['noise', 'idleFraction', 'windowsFraction', 'poweredOffFraction', 'sharedTraffic'] as const) {
    if (!(resolved[k] >= 0 && resolved[k] <= 1)) throw new RangeError(`${k} must be between 0 and 1, got ${resolved[k]}`)
  }
  if (resolved.noise + resolved.sharedTraffic > 1) throw new RangeError('noise + sharedTraffic must not exceed 1')
  if (!Number.isInteger(resolved.connectionRecords) || resolved.connectionRecords < 0)
    throw new RangeError('connectionRecords must be a whole number ≥ 0')
  if (!Number.isInteger(resolved.sharedServices) || resolved.sharedServices < 0 || resolved.sharedServices > resolved.servers) {
    throw new RangeError('sharedServices must be a whole number between 0 and servers')
  }
  if (Number.isNaN(Date.parse(resolved.windowEnd))) throw new RangeError(`windowEnd is not a date: ${resolved.windowEnd}`)
  return resolved
}

/** Order of tiers in host names and edges. */
const TIER_ORDER: readonly SynthTier[] = ['web', 'app', 'cache', 'broker', 'db', 'file', 'batch']
const ENV_PREFIX: Readonly<Record<SynthEnvironment, string>> = {prod: 'prd', staging: 'stg', test: 'tst', dev: 'dev'}

/** The tiers of one application of `size` servers on a stack. */
export function tiersFor(stack: StackSpec, size: number, rng: Random): SynthTier[] {
  const core = stack.core
  let tiers: SynthTier[]
  if (size < core.length) {
    // Too small for the whole stack: keep the back end (app and db, or the db alone).
    tiers = core.slice(core.length - size)
  } else {
    tiers = [...core]
    let left = size - core.length
    for (const [tier, p] of [
      ['cache', 0.45],
      ['broker', 0.3],
      ['batch', 0.35],
      ['file', 0.25],
    ] as const) {
      if (left > 0 && stack.tiers[tier] && !tiers.includes(tier) && rng.chance(p)) {
        tiers.push(tier)
        left--
      }
    }
    const growable: (readonly [SynthTier, number])[] = core.map(
      (t) => [t, t === 'db' ? 1.2 : t === 'broker' ? 1 : t === 'web' ? 3 : 4] as const,
    )
    for (; left > 0; left--) {
      let t = rng.weighted(growable)
      if (t === 'db' && tiers.filter((x) => x === 'db').length >= 3) t = core[0]!
      tiers.push(t)
    }
  }
  return tiers.sort((a, b) => TIER_ORDER.indexOf(a) - TIER_ORDER.indexOf(b))
}

interface AppMember {
  readonly index: number
  readonly tier: SynthTier
}

/** Edge rules inside an application: client tier → server tier, relative weight, median count. */
const APP_RULES: readonly (readonly [SynthTier, SynthTier, number, number])[] = [
  ['web', 'app', 3, 400],
  ['app', 'db', 4, 800],
  ['app', 'cache', 2, 1500],
  ['app', 'broker', 1.5, 600],
  ['app', 'file', 0.7, 100],
  ['batch', 'broker', 1, 300],
  ['batch', 'db', 1, 200],
  ['batch', 'file', 0.7, 50],
]
/** When there is no app tier, the web tier talks to the back end directly (PHP, classic ASP). */
const NO_APP_RULES: readonly (readonly [SynthTier, SynthTier, number, number])[] = [
  ['web', 'db', 3, 300],
  ['web', 'cache', 2, 1000],
  ['web', 'file', 0.7, 100],
]

/** Port a tier is reached on: the first listener of its first software. */
export function servicePort(server: SynthServer): {port: number; protocol: 'tcp' | 'udp'} {
  if (server.tier === 'web') return {port: 443, protocol: 'tcp'}
  for (const id of server.software) {
    const l = SOFTWARE[id]?.listens[0]
    if (l) return {port: l.port, protocol: l.protocol}
  }
  const l = server.listens[0]
  return l ? {port: l.port, protocol: l.protocol} : {port: 443, protocol: 'tcp'}
}

/** Process a server's tier opens connections with. */
export function clientProcess(server: SynthServer): ProcessName {
  if (server.tier === 'batch') return {linux: 'java', windows: 'BatchRunner.exe'}
  const s = SOFTWARE[server.software[0] ?? '']
  return s ? s.process : {linux: 'java', windows: 'dotnet.exe'}
}

/** Workstation addresses that reach web tiers: not servers, never in the inventory. */
export const USER_IPS: readonly string[] = Array.from({length: 500}, (_, i) => `10.200.${Math.floor(i / 250)}.${2 + (i % 250)}`)

/**
 * Edges inside one application from its members' tiers. Powered-off members are left out; an idle
 * application keeps a trickle of traffic so that it can still be grouped.
 */
export function applicationEdges(servers: readonly SynthServer[], members: readonly AppMember[], label: string, idle: boolean): FlowEdge[] {
  const live = members.filter((m) => servers[m.index]!.powerState === 'on')
  const byTier = new Map<SynthTier, number[]>()
  for (const m of live) byTier.set(m.tier, [...(byTier.get(m.tier) ?? []), m.index])
  const rules = byTier.has('app') ? APP_RULES : [...NO_APP_RULES, ...APP_RULES.filter(([from]) => from !== 'app' && from !== 'web')]
  const scale = idle ? 0.02 : 1
  const edges: FlowEdge[] = []
  for (const [from, to, weight, count] of rules) {
    const clients = byTier.get(from)
    const targets = byTier.get(to)
    if (!clients || !targets) continue
    const target = servers[targets[0]!]!
    edges.push({
      clients: indices(clients),
      servers: indices(targets),
      ...servicePort(target),
      process: clientProcess(servers[clients[0]!]!),
      weight: weight * scale,
      count: idle ? 1 : count,
      label,
    })
  }
  // Replicas follow their primary (databases, broker clusters).
  for (const tier of ['db', 'broker'] as const) {
    const group = byTier.get(tier)
    if (!group || group.length < 2) continue
    const primary = servers[group[0]!]!
    const sw = SOFTWARE[primary.software[0] ?? '']
    edges.push({
      clients: indices(group.slice(1)),
      servers: indices([group[0]!]),
      ...servicePort(primary),
      process: sw ? sw.process : 'replication',
      weight: 0.5 * scale,
      count: idle ? 1 : 1000,
      label,
    })
  }
  const web = byTier.get('web')
  if (web && !idle) {
    edges.push({clients: USER_IPS, servers: indices(web), port: 443, protocol: 'tcp', process: 'chrome.exe', weight: 1, count: 60, label})
  }
  return edges
}

/** Last step shared by the generator and hand-made estates: flows, truth, lazy connections. */
export function assembleEstate(args: {
  readonly options: Required<SynthOptions>
  readonly servers: readonly SynthServer[]
  readonly templates?: readonly SynthServer[]
  /** Edges inside applications. */
  readonly appEdges: readonly FlowEdge[]
  /** Shared-service edges. @default sharedServiceEdges(servers) */
  readonly sharedEdges?: readonly FlowEdge[]
}): SynthEstate {
  const {options, servers} = args
  const truth = new Map<string, string>()
  const appNumber = new Map<string, number>()
  const appOf = new Int32Array(servers.length).fill(-1)
  const pool: number[] = []
  servers.forEach((s, i) => {
    const label = s.app ?? (s.service ? `shared:${s.service}` : undefined)
    if (!label) throw new Error(`synthetic server ${s.name} has neither an application nor a shared service`)
    if (truth.has(s.name)) throw new Error(`synthetic server name ${s.name} is used twice`)
    truth.set(s.name, label)
    if (s.app !== undefined) {
      if (!appNumber.has(s.app)) appNumber.set(s.app, appNumber.size)
      appOf[i] = appNumber.get(s.app)!
      if (s.powerState === 'on' && !s.idle) pool.push(i)
    }
  })
  const plan: FlowPlan = {
    app: args.appEdges,
    shared: args.sharedEdges ?? sharedServiceEdges(servers),
    noisePool: indices(pool),
    appOf,
  }
  const budget = {total: options.connectionRecords, noise: options.noise, shared: options.sharedTraffic}
  return {
    options,
    servers,
    ...(args.templates && args.templates.length > 0 ? {templates: args.templates} : {}),
    truth,
    connections: () => generateConnections(servers, plan, budget, options.seed, {end: options.windowEnd, days: options.windowDays}),
  }
}

/** VM templates every vCenter has a few of. */
function goldTemplates(ctx: Omit<BuildContext, 'index'>, first: number, rng: Random): SynthServer[] {
  const specs: [string, OsId][] = [
    ['tpl-win2022-gold', 'win2022'],
    ['tpl-rhel9-gold', 'rhel9'],
    ['tpl-ubuntu2204-gold', 'ubuntu2204'],
  ]
  return specs.map(([name, os], i) =>
    buildServer(
      {
        name,
        tier: 'shared',
        os,
        environment: 'prod',
        ip: '',
        powerState: 'off',
        template: true,
        folder: '/Templates',
        datacenter: 'DC-East',
        cluster: 'DC-East-Prod-01',
        host: 'esx-dc-east-prod-01-01.' + ctx.domain,
        vcpus: 2,
        memoryMib: 4096,
      },
      rng,
      {...ctx, index: first + i},
    ),
  )
}

/** Generate a synthetic estate. Same options (seed included) → same estate, record for record. */
export function generateEstate(input: SynthOptions): SynthEstate {
  const options = resolveOptions(input)
  const root = new Random(options.seed)
  const planRng = root.fork('plan')
  const buildRng = root.fork('servers')
  const ips = new IpAllocator()
  const ctxBase = {domain: options.domain, windowEnd: options.windowEnd, windowDays: options.windowDays}
  const specs: ServerSpec[] = []
  const placement = new Placement(options.domain)

  // Shared services, round robin over the kinds so that small estates get the most used first.
  for (let i = 0; i < options.sharedServices; i++) {
    const service = SHARED_ORDER[i % SHARED_ORDER.length]!
    const k = Math.floor(i / SHARED_ORDER.length)
    const spec = SHARED_SERVICES[service]
    const variant = spec.variants[k % spec.variants.length]!
    const dc = k % 2 === 0 ? 'DC-East' : 'DC-West'
    specs.push({
      name: `${variant.name}${String(k + 1).padStart(2, '0')}`,
      tier: 'shared',
      service,
      os: variant.os,
      environment: 'prod',
      ip: ips.allocate('shared'),
      software: variant.software,
      folder: `/Infrastructure/${service}`,
      ...placement.place(dc, 'prod'),
      attributes: {Application: `shared:${service}`, Environment: 'prod', Owner: 'infrastructure'},
    })
  }

  // Applications until the server count is reached.
  const apps: {name: string; members: {spec: number; tier: SynthTier}[]; idle: boolean}[] = []
  const target = options.servers - options.sharedServices
  const [minSize, maxSize] = options.appSize
  let assigned = 0
  let windowsServers = 0
  for (let a = 0; assigned < target; a++) {
    let size = planRng.int(minSize, maxSize)
    const left = target - assigned
    if (size > left) size = left
    // Do not strand a remainder too small for an application.
    if (left - size > 0 && left - size < minSize) size = left <= maxSize ? left : left - minSize
    const wantWindows = windowsServers < options.windowsFraction * (assigned + size)
    const stack = STACKS[planRng.weighted(STACK_MIX[wantWindows ? 'windows' : 'linux'])]
    const tiers = tiersFor(stack, size, planRng)
    const name = a < APP_NAMES.length ? APP_NAMES[a]! : `${APP_NAMES[a % APP_NAMES.length]}${Math.floor(a / APP_NAMES.length) + 1}`
    const environment = planRng.weighted<SynthEnvironment>([
      ['prod', 50],
      ['test', 20],
      ['dev', 20],
      ['staging', 10],
    ])
    const idle = planRng.chance(options.idleFraction)
    const dc = planRng.chance(0.7) ? 'DC-East' : 'DC-West'
    const osByFamily = {
      windows: planRng.weighted(OS_MIX.windows),
      linux: planRng.weighted(OS_MIX.linux),
    }
    ips.alignSubnet(environment, size)
    const counters = new Map<SynthTier, number>()
    const app = {name, members: [] as {spec: number; tier: SynthTier}[], idle}
    for (const tier of tiers) {
      const tierSpec = stack.tiers[tier]!
      const n = (counters.get(tier) ?? 0) + 1
      counters.set(tier, n)
      // Most servers of an application share an OS build; a few were built later.
      const os = planRng.chance(0.8) ? osByFamily[tierSpec.family] : planRng.weighted(OS_MIX[tierSpec.family])
      if (tierSpec.family === 'windows') windowsServers++
      app.members.push({spec: specs.length, tier})
      specs.push({
        name: `${ENV_PREFIX[environment]}-${name}-${tier}${String(n).padStart(2, '0')}`,
        tier,
        app: name,
        os,
        environment,
        ip: ips.allocate(environment),
        software: tierSpec.software,
        powerState: planRng.chance(options.poweredOffFraction) ? 'off' : 'on',
        idle,
        folder: `/${environment}/${name}`,
        ...placement.place(dc, environment),
        attributes: {Application: name, Environment: environment, Owner: `team-${name}`},
      })
    }
    apps.push(app)
    assigned += size
  }

  const servers = specs.map((spec, index) => buildServer(spec, buildRng, {...ctxBase, index}))
  const templates = goldTemplates(ctxBase, servers.length, buildRng)
  const appEdges = apps.flatMap((app) =>
    applicationEdges(
      servers,
      app.members.map((m) => ({index: m.spec, tier: m.tier})),
      app.name,
      app.idle,
    ),
  )
  return assembleEstate({options, servers, templates, appEdges})
}

/** Places VMs on clusters of 400 and hosts of 25, per datacenter and prod/non-prod. */
class Placement {
  private readonly counts = new Map<string, number>()
  constructor(private readonly domain: string) {}

  place(datacenter: string, environment: SynthEnvironment): {datacenter: string; cluster: string; host: string} {
    const kind = environment === 'prod' ? 'Prod' : 'NonProd'
    const key = `${datacenter}/${kind}`
    const n = this.counts.get(key) ?? 0
    this.counts.set(key, n + 1)
    const cluster = `${datacenter}-${kind}-${String(Math.floor(n / 400) + 1).padStart(2, '0')}`
    const host = `esx-${cluster.toLowerCase()}-${String(Math.floor((n % 400) / 25) + 1).padStart(2, '0')}.${this.domain}`
    return {datacenter, cluster, host}
  }
}
