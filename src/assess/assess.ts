/**
 * `assess()`: the pure heart of the product. For every server: classify its OS, right-size it,
 * price it per pricing model, estimate Lambda and Fargate, score how well each compute target
 * fits, pick a strategy (7 Rs) and target by rules, raise findings, and keep the evidence.
 * Same inputs → the same document, byte for byte (no clock, no randomness, stable order).
 */
import {readFileSync} from 'node:fs'

import {
  ASSESSMENT_SCHEMA_VERSION,
  PRICING_MODELS,
  type Assessment,
  type AssessmentSummary,
  type ComputeComparison,
  type CostLine,
  type LambdaEstimate,
  type Ec2Costs,
  type ModelTotal,
  type PricingModel,
  type ServerAssessment,
  type Severity,
  type Strategy,
  type TargetService,
  type Tco,
} from '../model/assessment.js'
import type {Catalog, CpuArchitecture} from '../model/catalog.js'
import type {InboundRecord} from '../model/connection.js'
import type {BareServer} from '../model/server.js'
import type {AssessSettings} from '../model/settings.js'
import {flat} from '../util/flat.js'
import {
  ASSUMED_SOURCE,
  UNAVAILABLE_REASONS,
  billingOs,
  ec2Costs,
  fargateEstimate,
  type Ec2Compute,
  lambdaEstimate,
  regionServices,
  storageLines,
} from './costing.js'
import {buildRuleSet, type Rule, type RuleSet} from './engine.js'
import {Interner, scoreFit, sortFindings, verdict} from './strategy.js'
import {HTTP_PORTS, baseFacts, buildInboundIndex, type InboundFacts} from './facts.js'
import {classifyOs, compareVersions, daysBetween, type OsInfo} from './os.js'
import {builtinRules} from './rules.js'
import {CandidateIndex, pickStatistic, sizeCompute, sizeStorage} from './sizing.js'
import {LAMBDA_DEFAULTS, matchUsage, type ServerUsage, type UsageFile} from './usage.js'

const DEFAULT_DURATION_INPUT = `default ${LAMBDA_DEFAULTS.durationMs} ms`
const DEFAULT_MEMORY_INPUT = `default ${LAMBDA_DEFAULTS.memoryMb} MB`
const NOT_PRICED_BLOCKED = 'not priced: a fit rule blocks Lambda'

export interface AssessInput {
  readonly servers: readonly BareServer[]
  /** Connections to the servers (aggregated ones fit), read once. */
  readonly connections: Iterable<InboundRecord>
  readonly catalog: Catalog
  readonly settings: AssessSettings
  /** Reference date for end-of-support findings (YYYY-MM-DD); the command passes settings.asOf or today. */
  readonly asOf: string
  readonly usage?: UsageFile
  /** The rule set; defaults to the built-in rules. */
  readonly rules?: {readonly rules: readonly Rule[]; readonly version: string; readonly userFile?: string}
}

interface GravitonData {
  readonly distros: Readonly<Record<string, string>>
  readonly software: readonly string[]
}
let graviton: {distros: Map<string, string>; software: Set<string>} | undefined
function gravitonData(): {distros: Map<string, string>; software: Set<string>} {
  if (!graviton) {
    const d = JSON.parse(readFileSync(new URL('./data/graviton.json', import.meta.url), 'utf8')) as GravitonData
    graviton = {distros: new Map(Object.entries(d.distros)), software: new Set(d.software)}
  }
  return graviton
}

const osArm64 = new WeakMap<OsInfo, boolean>()
/** Does this OS have arm64 builds (family, distribution, version)? Remembered per (shared) OsInfo. */
function osOnArm64(os: OsInfo): boolean {
  let ok = osArm64.get(os)
  if (ok === undefined) {
    const min = os.distro ? gravitonData().distros.get(os.distro) : undefined
    ok = os.family === 'linux' && min !== undefined && min !== '' && !!os.version && compareVersions(os.version, min) >= 0
    osArm64.set(os, ok)
  }
  return ok
}

/**
 * {@link gravitonCompatibility}'s verdict without its reason (no strings built): the reason is only
 * shown when assess.allowGraviton is on.
 */
export function gravitonCompatible(os: OsInfo, server: Pick<BareServer, 'software'>): boolean {
  if (!osOnArm64(os)) return false
  const software = server.software ?? []
  if (software.length === 0) return false
  const arm = gravitonData().software
  for (const s of software) if (!arm.has(s.name.toLowerCase())) return false
  return true
}

/** Can this server run on arm64? Only a known Linux distribution and only software with arm64 builds. */
export function gravitonCompatibility(os: OsInfo, server: Pick<BareServer, 'software'>): {compatible: boolean; reason: string} {
  const g = gravitonData()
  if (os.family !== 'linux') return {compatible: false, reason: `${os.label}: arm64 needs Linux`}
  const min = os.distro ? g.distros.get(os.distro) : undefined
  if (!min || !os.version) return {compatible: false, reason: `${os.label}: no known arm64 build of this distribution version`}
  if (compareVersions(os.version, min) < 0) return {compatible: false, reason: `${os.label}: arm64 builds start at ${os.distro} ${min}`}
  const names = (server.software ?? []).map((s) => s.name.toLowerCase())
  if (names.length === 0) return {compatible: false, reason: 'software unknown: cannot confirm arm64 builds'}
  const blockers = names.filter((n) => !g.software.has(n))
  if (blockers.length > 0) return {compatible: false, reason: `no known arm64 build of ${[...new Set(blockers)].sort().join(', ')}`}
  return {compatible: true, reason: `${os.distro} ${os.version} and ${[...new Set(names)].sort().join(', ')} have arm64 builds`}
}

const r2 = (n: number): number => Math.round(n * 100) / 100

/**
 * `pins[key]` for many keys: own pins from a Map (a property lookup with a key that is not a property
 * name is slow: 100,000 servers, twice each). A name every object answers to (`constructor`,
 * `toString`) is still read from the object, so the result is the same as `pins[key]`.
 */
export function pinLookup(pins: Readonly<Record<string, Strategy>>): (key: string) => Strategy | undefined {
  const own = new Map(Object.entries(pins))
  const inherited = new Set<string>()
  for (let o = Object.getPrototypeOf(pins) as object | null; o; o = Object.getPrototypeOf(o) as object | null) {
    for (const name of Object.getOwnPropertyNames(o)) inherited.add(name)
  }
  return (key) => (own.has(key) ? own.get(key) : inherited.has(key) ? pins[key] : undefined)
}

const SQL_SERVER_NAMES: ReadonlySet<string> = new Set(['sql-server', 'mssql', 'microsoft-sql-server'])

export function assess(input: AssessInput): Assessment {
  const {catalog, settings, asOf} = input
  const region = settings.region
  const rules: {readonly rules: readonly Rule[]; readonly version: string; readonly userFile?: string} = input.rules ?? builtinRules()
  const ruleSet = buildRuleSet(rules.rules)
  const index = new CandidateIndex(catalog, region, settings.families)
  const services = regionServices(catalog, region, settings)
  const inbound = buildInboundIndex(input.connections)
  const usage = matchUsage(input.usage, input.servers)
  const settingsFacts = settings as unknown as Record<string, unknown>
  const pins = new Map<string, Strategy>()
  const pinOf = pinLookup(settings.pins)
  for (let i = 0; i < input.servers.length; i++) {
    const s = input.servers[i]!
    const pin = pinOf(s.id) ?? pinOf(s.name)
    if (pin) pins.set(s.id, pin)
  }

  // End-of-support dates are few: days from asOf to each, computed once.
  const daysToEnd = new Map<string, number>()
  const ctx: ServerContext = {
    catalog,
    settings,
    settingsFacts,
    asOf,
    region,
    ruleSet,
    index,
    services,
    inbound,
    usage: usage.byServer,
    pins,
    intern: new Interner(),
    lambdaDefaults: input.usage?.defaults.lambda ?? {},
    ec2Compute: new Map(),
    daysTo: (date) => {
      let days = daysToEnd.get(date)
      if (days === undefined) daysToEnd.set(date, (days = daysBetween(asOf, date)))
      return days
    },
  }
  // Servers usually arrive in id order already; then sorting a copy would only allocate (a stable
  // sort leaves a sorted list as it is).
  const byId = (a: BareServer, b: BareServer): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)
  const inOrder = input.servers.every((s, i) => i === 0 || byId(input.servers[i - 1]!, s) <= 0)
  const servers = (inOrder ? input.servers : [...input.servers].sort(byId)).map((s) => assessServer(s, ctx))

  const sourceDates = new Map(catalog.sources.map((x) => [x.id, x.date]))
  const usedSources = new Map<string, string>()
  const unavailable: Partial<Record<PricingModel, string>> = {}
  const note = (lines: readonly CostLine[] | undefined): void => {
    if (!lines) return
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i]!
      if (l.price && !usedSources.has(l.price.sourceId)) {
        usedSources.set(l.price.sourceId, sourceDates.get(l.price.sourceId) ?? (l.price.sourceId === ASSUMED_SOURCE ? asOf : 'unknown'))
      }
    }
  }
  // Indexed loops: this runs once per assessment, mostly before it is optimised, when for-of
  // allocates an iterator result per item.
  for (let i = 0; i < servers.length; i++) {
    const s = servers[i]!
    const ec2 = s.ec2
    if (ec2) {
      for (let j = 0; j < ec2.models.length; j++) note(ec2.models[j]!.lines)
      note(ec2.storage)
      for (let j = 0; j < ec2.unavailable.length; j++) unavailable[ec2.unavailable[j]!] = UNAVAILABLE_REASONS[ec2.unavailable[j]!]
    }
    note(s.compute.lambda.estimate.lines)
    note(s.compute.fargate.estimate?.lines)
  }

  const diagnostics = usage.unmatched.map((k) => ({
    code: 'USAGE_UNMATCHED',
    message: `the usage file names ${JSON.stringify(k)}, which matches no server`,
  }))
  return {
    schemaVersion: ASSESSMENT_SCHEMA_VERSION,
    asOf,
    region,
    catalog: {
      version: catalog.version,
      origin: catalog.origin,
      sources: Object.fromEntries([...usedSources].sort(([a], [b]) => (a < b ? -1 : 1))),
      unavailable: Object.fromEntries(PRICING_MODELS.filter((m) => unavailable[m]).map((m) => [m, unavailable[m]!])),
    },
    rules: {
      version: rules.version,
      ...(rules.userFile ? {userFile: rules.userFile} : {}),
      active: rules.rules.filter((r) => !r.disabled).map((r) => r.id),
    },
    settings: settingsFacts,
    summary: summarise(servers),
    servers,
    diagnostics,
  }
}

interface ServerContext {
  readonly catalog: Catalog
  readonly settings: AssessSettings
  readonly settingsFacts: Record<string, unknown>
  readonly asOf: string
  readonly region: string
  readonly ruleSet: RuleSet
  readonly index: CandidateIndex
  readonly services: ReturnType<typeof regionServices>
  readonly inbound: ReturnType<typeof buildInboundIndex>
  readonly usage: ReadonlyMap<string, ServerUsage>
  readonly pins: ReadonlyMap<string, Strategy>
  readonly intern: Interner
  readonly lambdaDefaults: {readonly durationMs?: number; readonly memoryMb?: number; readonly architecture?: 'auto' | 'x86_64' | 'arm64'}
  /** EC2 compute costs by kind of server (see ec2Costs). */
  readonly ec2Compute: Map<string, Ec2Compute>
  /** Whole days from asOf to an end-of-support date (memoised). */
  readonly daysTo: (date: string) => number
}

function assessServer(server: BareServer, ctx: ServerContext): ServerAssessment {
  const {settings} = ctx
  const os = classifyOs(server)
  const use = ctx.usage.get(server.id)
  let httpListening: Set<number> | undefined
  for (const l of server.listeners ?? []) if (HTTP_PORTS.has(l.port)) (httpListening ??= new Set()).add(l.port)
  const inbound = ctx.inbound.get(server, httpListening ?? HTTP_PORTS)
  const cpuStat = pickStatistic(server.cpuUtilisation, settings.percentile)
  // Absent inputs are undefined, as baseFacts reads them (no spread objects per server).
  const facts = baseFacts({
    server,
    os,
    asOfDays: os.endOfSupport ? ctx.daysTo(os.endOfSupport.date) : undefined,
    inbound,
    usage: use,
    pin: ctx.pins.get(server.id),
    sizingStat: cpuStat.value,
  })
  facts.settings = ctx.settingsFacts

  // Architecture and burstable choices, with their reasons.
  const compatible = gravitonCompatible(os, server)
  const arm = settings.allowGraviton && compatible
  const architecture = ctx.intern.architecture(
    arm,
    settings.allowGraviton
      ? compatible
        ? `Graviton allowed: ${gravitonCompatibility(os, server).reason}`
        : `x86_64 only: ${gravitonCompatibility(os, server).reason}`
      : 'x86_64 only: assess.allowGraviton is off',
  )
  const avg = server.cpuUtilisation?.avg
  const burst = !settings.allowBurstable
    ? {considered: false, reason: 'assess.allowBurstable is off'}
    : avg === undefined || cpuStat.value === undefined
      ? {considered: false, reason: 'CPU average or peak unknown'}
      : avg <= settings.burstableMaxAvgCpuPct && cpuStat.value <= settings.burstableMaxPeakCpuPct
        ? {
            considered: true,
            reason: flat`average CPU ${r2(avg)}% <= ${settings.burstableMaxAvgCpuPct}% and ${cpuStat.stat} ${r2(cpuStat.value)}% <= ${settings.burstableMaxPeakCpuPct}%`,
          }
        : {considered: false, reason: flat`average CPU ${r2(avg)}% or ${cpuStat.stat} ${r2(cpuStat.value)}% too high for burstable credits`}

  const billing = billingOs(os.priceOs, settings)
  const sizing = sizeCompute({server, settings, priceOs: billing.priceOs, architecture, burstable: burst, index: ctx.index})
  const storage = sizeStorage(server, settings)
  const storageCost = storageLines(storage, ctx.services, settings, ctx.asOf)
  const sqlServer = (server.software ?? []).some((s) => SQL_SERVER_NAMES.has(s.name.toLowerCase()))
  const ec2: Ec2Costs | undefined = sizing.chosen
    ? ec2Costs({
        catalog: ctx.catalog,
        region: ctx.region,
        instanceType: sizing.chosen.instanceType,
        ...(os.priceOs ? {osPriceOs: os.priceOs} : {}),
        sqlServer,
        settings,
        storage: storageCost,
        cache: ctx.ec2Compute,
      })
    : undefined
  const ec2Monthly = ec2?.models.find((m) => m.model === 'on-demand')?.monthlyUsd
  // Without priced storage, costs depend on the type alone and repeat across servers (shareable).
  const storageUnpriced = storageCost.every((l) => l.monthlyUsd === undefined)

  const needVcpu = sizing.cpu.required ?? server.vcpus
  const needMem = sizing.memory.required ?? server.memoryMib
  facts.sizing = {
    vcpus: needVcpu,
    memoryGib: needMem === undefined ? undefined : needMem / 1024,
    basis: sizing.basis,
    instanceType: sizing.chosen?.instanceType,
  }
  facts.storage = {sizeGib: storage.sizeGib, iops: storage.iops}
  facts.graviton = {compatible}

  // Fit first: a target that is blocked (a database on Lambda, say) is not priced at all.
  const fit = scoreFit(ctx.ruleSet, facts, ctx.settingsFacts, ctx.intern)
  const lambda = estimateLambda(server, use, inbound, arm, ec2Monthly, ctx, !fit.fits.lambda.blocked)
  const fargate =
    !fit.fits.fargate.blocked && needVcpu !== undefined && needMem !== undefined && (os.family === 'linux' || os.family === 'windows')
      ? fargateEstimate(ctx.services, os.family === 'windows' ? 'windows-x86_64' : arm ? 'linux-arm64' : 'linux-x86_64', needVcpu, needMem)
      : undefined
  const savingsPct = (x: number | undefined): number | undefined =>
    x === undefined || ec2Monthly === undefined || !(ec2Monthly > 0) ? undefined : ((ec2Monthly - x) / ec2Monthly) * 100
  facts.cost = {
    ec2Monthly,
    lambdaMonthly: lambda.monthlyUsd,
    fargateMonthly: fargate?.monthlyUsd,
    lambdaSavingsPct: savingsPct(lambda.monthlyUsd),
    fargateSavingsPct: savingsPct(fargate?.monthlyUsd),
  }

  // Then strategy and findings.
  const d = verdict(ctx.ruleSet, facts, ctx.settingsFacts, fit, ctx.intern)
  const {fits, strategy, target: service, detail, via} = d
  const findings = d.findings
  if (sizing.unsized)
    findings.push({id: 'unsized', severity: 'medium', message: `no instance type chosen: ${sizing.unsized}`, rule: 'assess'})
  sortFindings(findings)

  // Cost of the chosen target per pricing model.
  const targetMonthlyUsd: Partial<Record<PricingModel, number>> = {}
  let targetUnpriced: string | undefined
  if (service === 'none') {
    for (const m of PRICING_MODELS) targetMonthlyUsd[m] = 0
  } else if (service === 'ec2') {
    for (const m of ec2?.models ?? []) if (m.monthlyUsd !== undefined) targetMonthlyUsd[m.model] = m.monthlyUsd
    if (!ec2) targetUnpriced = `no EC2 type chosen (${sizing.unsized ?? 'unsized'})`
  } else if (service === 'lambda') {
    if (lambda.monthlyUsd !== undefined) for (const m of PRICING_MODELS) targetMonthlyUsd[m] = lambda.monthlyUsd
    else targetUnpriced = lambda.note ?? 'Lambda not priced'
  } else if (service === 'fargate') {
    if (fargate?.monthlyUsd !== undefined) for (const m of PRICING_MODELS) targetMonthlyUsd[m] = fargate.monthlyUsd
    else targetUnpriced = fargate?.note ?? 'Fargate not priced'
  } else {
    targetUnpriced = `no ${service} prices in the catalog${ec2Monthly === undefined ? '' : `; rehosted on EC2 it would cost ${r2(ec2Monthly)} USD/month on demand (see ec2)`}`
  }

  const compute: ComputeComparison = ctx.intern.shared(
    'compute',
    [fits.ec2, ec2Monthly, fits.lambda, lambda, fits.fargate, fargate],
    () => ({
      ec2: {...fits.ec2, ...(ec2Monthly === undefined ? {} : {monthlyUsd: ec2Monthly})},
      lambda: {...fits.lambda, estimate: lambda},
      fargate: {...fits.fargate, ...(fargate ? {estimate: fargate} : {})},
    }),
    lambda.lines.length === 0 && storageUnpriced,
  )
  const tco = serverTco(server, settings, strategy, targetMonthlyUsd)
  return {
    serverId: server.id,
    name: server.name,
    strategy,
    target: ctx.intern.shared('target', [service, service === 'ec2' ? sizing.chosen?.instanceType : undefined, detail, via], () => ({
      service,
      ...(service === 'ec2' && sizing.chosen ? {instanceType: sizing.chosen.instanceType} : {}),
      ...(detail ? {detail} : {}),
      ...(via ? {via} : {}),
    })),
    rationale: d.rationale,
    sizing,
    storage,
    ...(ec2 ? {ec2} : {}),
    targetMonthlyUsd: ctx.intern.shared(
      'monthly',
      PRICING_MODELS.map((m) => targetMonthlyUsd[m]),
      () => targetMonthlyUsd,
      service !== 'lambda' && storageUnpriced,
    ),
    ...(targetUnpriced ? {targetUnpriced} : {}),
    compute,
    ...(tco ? {tco} : {}),
    // An exact-size copy when there are findings: the list is kept, and push left spare capacity.
    findings: findings.length === 0 ? findings : findings.slice(),
    rules: d.fired,
  }
}

/** Lambda estimate with its inputs from the usage file, agent evidence or the defaults (each input says which). */
function estimateLambda(
  server: BareServer,
  use: ServerUsage | undefined,
  inbound: InboundFacts,
  arm: boolean,
  ec2Monthly: number | undefined,
  ctx: ServerContext,
  priced: boolean,
): LambdaEstimate {
  const defaults = ctx.lambdaDefaults
  const architecture: CpuArchitecture =
    use?.architecture === 'x86_64' || use?.architecture === 'arm64'
      ? use.architecture
      : defaults.architecture === 'x86_64' || defaults.architecture === 'arm64'
        ? defaults.architecture
        : arm
          ? 'arm64'
          : 'x86_64'
  const process = processMemoryOnHttp(server)
  const requests = use?.requestsPerMonth ?? inbound.requestsPerMonth
  const requestsInput =
    use?.requestsPerMonth !== undefined
      ? 'usage file'
      : inbound.requestsPerMonth !== undefined
        ? flat`agent: ${inbound.httpConnections} inbound connections on tcp/${inbound.httpPortsSeen.join(',')} over ${r2(inbound.windowDays!)} days, each counted as one request (a lower bound)`
        : 'unknown'
  const durationInput =
    use?.durationMs !== undefined ? 'usage file' : defaults.durationMs !== undefined ? 'usage file defaults' : DEFAULT_DURATION_INPUT
  const memoryInput =
    use?.memoryMb !== undefined
      ? 'usage file'
      : process
        ? flat`agent: ${process.process} serving HTTP uses ${process.mib} MiB`
        : defaults.memoryMb !== undefined
          ? 'usage file defaults'
          : DEFAULT_MEMORY_INPUT
  const durationMs = use?.durationMs ?? defaults.durationMs ?? LAMBDA_DEFAULTS.durationMs
  const memoryMb = use?.memoryMb ?? process?.mb ?? defaults.memoryMb ?? LAMBDA_DEFAULTS.memoryMb
  const inputs = ctx.intern.inputs(requestsInput, durationInput, memoryInput)
  if (!priced) {
    return ctx.intern.shared('lambda-blocked', [architecture, requests, durationMs, memoryMb, inputs], () => ({
      architecture,
      ...(requests === undefined ? {} : {requestsPerMonth: requests}),
      durationMs,
      memoryMb,
      inputs,
      lines: [],
      note: NOT_PRICED_BLOCKED,
    }))
  }
  return lambdaEstimate({
    services: ctx.services,
    architecture,
    ...(requests === undefined ? {} : {requestsPerMonth: requests}),
    durationMs,
    memoryMb,
    inputs,
    freeTier: ctx.settings.lambdaFreeTier,
    ...(ec2Monthly === undefined ? {} : {ec2MonthlyUsd: ec2Monthly}),
  })
}

/** Memory of the largest process serving an HTTP listener, as Lambda memory (MB, at least 128). */
function processMemoryOnHttp(server: BareServer): {process: string; mib: number; mb: number} | undefined {
  if (!server.processes?.length) return undefined // (most inventories have no process list)
  const names = new Set((server.listeners ?? []).filter((l) => HTTP_PORTS.has(l.port) && l.process).map((l) => l.process!))
  let best: {process: string; mib: number} | undefined
  for (const p of server.processes ?? []) {
    if (names.has(p.name) && p.memoryMib !== undefined && (!best || p.memoryMib > best.mib)) best = {process: p.name, mib: p.memoryMib}
  }
  return best ? {...best, mb: Math.max(128, Math.ceil(best.mib))} : undefined
}

function serverTco(
  server: BareServer,
  settings: AssessSettings,
  strategy: Strategy,
  monthly: Partial<Record<PricingModel, number>>,
): Tco | undefined {
  let annual: number | undefined
  let basis: string
  if (server.annualCostUsd !== undefined) {
    annual = server.annualCostUsd
    basis = `inventory: ${server.annualCostUsd} USD/year`
  } else if (settings.onPremises) {
    const o = settings.onPremises
    const cores = server.cpuCores ?? server.vcpus
    const storage = server.storageProvisionedGib ?? server.storageUsedGib
    const parts: string[] = []
    let sum = 0
    let known = true
    if (o.perServerYear !== undefined) {
      sum += o.perServerYear
      parts.push(`${o.perServerYear}/server`)
    }
    if (o.perCoreYear !== undefined) {
      if (cores === undefined) known = false
      else {
        sum += o.perCoreYear * cores
        parts.push(`${o.perCoreYear} x ${cores} cores`)
      }
    }
    if (o.perGibStorageYear !== undefined) {
      if (storage === undefined) known = false
      else {
        sum += o.perGibStorageYear * storage
        parts.push(`${o.perGibStorageYear} x ${r2(storage)} GiB`)
      }
    }
    if (!known || parts.length === 0) return undefined
    annual = sum
    basis = `settings assess.onPremises: ${parts.join(' + ')} per year`
  } else {
    return undefined
  }
  const onPremises3yrUsd = annual * 3
  const aws3yrUsd: Partial<Record<PricingModel, number>> = {}
  for (const m of PRICING_MODELS) {
    if (strategy === 'retain') aws3yrUsd[m] = onPremises3yrUsd
    else if (monthly[m] !== undefined) aws3yrUsd[m] = monthly[m] * 36
  }
  return {onPremises3yrUsd, onPremisesBasis: basis, aws3yrUsd}
}

export function summarise(servers: readonly ServerAssessment[]): AssessmentSummary {
  const byStrategy: Partial<Record<Strategy, number>> = {}
  const byTarget: Partial<Record<TargetService, number>> = {}
  const pairs = new Map<string, {strategy: Strategy; target: TargetService; servers: number}>()
  const unpricedTargets: Partial<Record<TargetService, number>> = {}
  const findings: Partial<Record<Severity, number>> = {}
  const totals = new Map<PricingModel, {monthlyUsd: number; priced: number; unpriced: number; incomplete: number}>(
    PRICING_MODELS.map((m) => [m, {monthlyUsd: 0, priced: 0, unpriced: 0, incomplete: 0}]),
  )
  let tcoServers = 0
  let onPrem = 0
  const aws = new Map<PricingModel, number | undefined>(PRICING_MODELS.map((m) => [m, 0]))
  for (const s of servers) {
    byStrategy[s.strategy] = (byStrategy[s.strategy] ?? 0) + 1
    byTarget[s.target.service] = (byTarget[s.target.service] ?? 0) + 1
    const key = `${s.strategy}|${s.target.service}`
    const p = pairs.get(key) ?? {strategy: s.strategy, target: s.target.service, servers: 0}
    p.servers++
    pairs.set(key, p)
    if (s.targetUnpriced) unpricedTargets[s.target.service] = (unpricedTargets[s.target.service] ?? 0) + 1
    for (const f of s.findings) findings[f.severity] = (findings[f.severity] ?? 0) + 1
    for (const m of PRICING_MODELS) {
      const t = totals.get(m)!
      const v = s.targetMonthlyUsd[m]
      if (v === undefined) {
        t.unpriced++
        continue
      }
      t.monthlyUsd += v
      t.priced++
      if (s.target.service === 'ec2' && s.ec2?.models.find((x) => x.model === m)?.complete === false) t.incomplete++
    }
    if (s.tco) {
      tcoServers++
      onPrem += s.tco.onPremises3yrUsd
      for (const m of PRICING_MODELS) {
        const cur = aws.get(m)
        const v = s.tco.aws3yrUsd[m]
        aws.set(m, cur === undefined || v === undefined ? undefined : cur + v)
      }
    }
  }
  const monthly: ModelTotal[] = PRICING_MODELS.map((m) => {
    const t = totals.get(m)!
    return {model: m, monthlyUsd: t.monthlyUsd, pricedServers: t.priced, unpricedServers: t.unpriced, incompleteServers: t.incomplete}
  })
  const aws3yrUsd: Partial<Record<PricingModel, number>> = {}
  const savings3yrUsd: Partial<Record<PricingModel, number>> = {}
  for (const [m, v] of aws) {
    if (v === undefined) continue
    aws3yrUsd[m] = v
    savings3yrUsd[m] = onPrem - v
  }
  return {
    servers: servers.length,
    byStrategy,
    byTarget,
    byStrategyTarget: [...pairs.values()].sort(
      (a, b) => b.servers - a.servers || (`${a.strategy}|${a.target}` < `${b.strategy}|${b.target}` ? -1 : 1),
    ),
    monthly,
    unpricedTargets,
    findings,
    ...(tcoServers > 0 ? {tco: {onPremises3yrUsd: onPrem, servers: tcoServers, aws3yrUsd, savings3yrUsd}} : {}),
  }
}
