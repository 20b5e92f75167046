/**
 * Every figure the HTML report shows, computed once from the documents. The report renders this
 * model and nothing else, so a golden file of it pins every number a reader sees, and the totals
 * are the Assessment's own (its summary), never recomputed differently. Pure.
 */
import type {ServerSummary} from '../inventory/inventory.js'
import {
  PRICING_MODELS,
  STRATEGIES,
  type PricingModel,
  type ServerAssessment,
  type Severity,
  type Strategy,
  type TargetService,
} from '../model/assessment.js'
import {HOURS_PER_MONTH} from '../catalog/catalog.js'
import {joinServers, type JoinedServer, type ReportDocuments, type RightSizing} from './documents.js'

export const MONTHS_3YR = 36

export interface Total {
  readonly value: number
  /** Servers whose quantity is unknown (not counted in value). */
  readonly unknown: number
}

export interface CostRow {
  readonly model: PricingModel
  readonly label: string
  /** Sum over the servers priced under this model (the Assessment's summary.monthly). */
  readonly monthlyUsd: number
  /** 36 × monthly. */
  readonly threeYearUsd: number
  readonly pricedServers: number
  readonly unpricedServers: number
  readonly incompleteServers: number
  /** The model has a figure for at least one server that costs anything (retired servers cost 0 under every model). */
  readonly available: boolean
  /** Why servers have no figure under this model, when some have none. */
  readonly note?: string
  /** 3-year on-premises minus AWS over the servers with an on-premises cost (summary.tco), when priced. */
  readonly savings3yrUsd?: number
  /** AWS 3-year cost over those servers (summary.tco.aws3yrUsd). */
  readonly aws3yrTcoUsd?: number
}

export interface Bucket {
  readonly label: string
  readonly servers: number
}

export interface LambdaCandidate {
  readonly serverId: string
  readonly name: string
  readonly fit: number
  readonly strategy: Strategy
  readonly target: TargetService
  readonly requestsPerMonth?: number
  readonly lambdaMonthlyUsd?: number
  readonly ec2MonthlyUsd?: number
  readonly breakEvenRequestsPerMonth?: number
  readonly note?: string
}

export type FindingCategory = 'end of support' | 'unsupported platform' | 'missing data' | 'licensing' | 'cost and sizing' | 'other'

export interface FindingGroup {
  readonly id: string
  readonly category: FindingCategory
  readonly severity: Severity
  readonly servers: number
  /** The first server's message (messages differ per server only in their figures). */
  readonly example: string
  /** Names of the first servers it concerns. */
  readonly names: readonly string[]
}

export interface ReportFigures {
  readonly title: string
  readonly organisation?: string
  readonly asOf: string
  readonly region: string
  readonly catalog: {
    readonly version: string
    readonly origin: string
    readonly sources: readonly {readonly id: string; readonly date: string}[]
  }
  readonly rules: string
  readonly estate: {
    readonly servers: number
    readonly vcpus: Total
    readonly memoryGib: Total
    readonly storageGib: Total
    readonly poweredOff: number
    readonly moving: number
  }
  readonly costs: readonly CostRow[]
  readonly onPremises?: {readonly threeYearUsd: number; readonly monthlyUsd: number; readonly servers: number}
  readonly unpricedTargets: readonly {readonly target: string; readonly servers: number}[]
  readonly assumptions: readonly {readonly label: string; readonly value: string}[]
  readonly utilisation: {
    readonly statistic: string
    readonly cpu: readonly Bucket[]
    readonly memory: readonly Bucket[]
    readonly cpuUnknown: number
    readonly memoryUnknown: number
  }
  readonly rightSizing: readonly Bucket[]
  readonly strategies: readonly Bucket[]
  readonly targets: readonly Bucket[]
  readonly strategyTargets: readonly {readonly strategy: string; readonly target: string; readonly servers: number}[]
  readonly lambda: {readonly candidates: readonly LambdaCandidate[]; readonly minFit: number}
  readonly findings: {
    readonly bySeverity: readonly Bucket[]
    readonly groups: readonly FindingGroup[]
  }
  readonly confidence: {
    readonly measured: number
    readonly reported: number
    readonly none: number
    /** Share of servers with measured utilisation, 0–1. */
    readonly measuredShare: number
    /** Share with measured or reported utilisation, 0–1. */
    readonly knownShare: number
    readonly sizingBasis: readonly Bucket[]
  }
  readonly diagnostics: readonly string[]
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

const MODEL_LABEL: Readonly<Record<PricingModel, string>> = {
  'on-demand': 'On-demand',
  'reserved-1yr': 'Reserved 1 year',
  'reserved-3yr': 'Reserved 3 years',
  'savings-plan-1yr': 'Savings Plan 1 year',
  'savings-plan-3yr': 'Savings Plan 3 years',
}
export const modelLabel = (m: PricingModel): string => MODEL_LABEL[m]

/** Fit from which a server is shown as a Lambda candidate (as `assess` lists them). */
export const LAMBDA_MIN_FIT = 0.5

const CATEGORY: Readonly<Record<string, FindingCategory>> = {
  'os-end-of-support': 'end of support',
  'os-end-of-support-soon': 'end of support',
  'no-utilisation': 'missing data',
  'os-unknown': 'missing data',
  'powered-off': 'missing data',
  'possibly-idle': 'cost and sizing',
  'storage-beyond-gp3': 'cost and sizing',
  'graviton-candidate': 'cost and sizing',
  'windows-byol-dedicated-hosts': 'licensing',
  'sql-server-licence': 'licensing',
}
const CATEGORY_ORDER: readonly FindingCategory[] = [
  'end of support',
  'unsupported platform',
  'missing data',
  'licensing',
  'cost and sizing',
  'other',
]
const SEVERITY_ORDER: readonly Severity[] = ['high', 'medium', 'low', 'info']

/** Strategy rules that keep a server where it is because AWS cannot run its platform. */
const UNSUPPORTED_RULES = new Set(['retain-unsupported-platform'])

function total(values: readonly (number | undefined)[]): Total {
  let value = 0
  let unknown = 0
  for (const v of values) {
    if (v === undefined) unknown++
    else value += v
  }
  return {value, unknown}
}

/** 10 buckets of 10 percentage points (100 % in the last). */
function histogram(values: readonly (number | undefined)[]): {buckets: Bucket[]; unknown: number} {
  const counts = new Array<number>(10).fill(0)
  let unknown = 0
  for (const v of values) {
    if (v === undefined) {
      unknown++
      continue
    }
    counts[Math.min(9, Math.max(0, Math.floor(v / 10)))]!++
  }
  return {buckets: counts.map((servers, i) => ({label: `${i * 10}–${i * 10 + 10}%`, servers})), unknown}
}

function count<K extends string>(keys: readonly K[], order: readonly K[]): Bucket[] {
  const m = new Map<K, number>()
  for (const k of keys) m.set(k, (m.get(k) ?? 0) + 1)
  return order.filter((k) => m.has(k)).map((k) => ({label: k, servers: m.get(k)!}))
}

const RIGHT_SIZING_ORDER: readonly RightSizing[] = ['down-sized', 'same size', 'up-sized', 'reshaped', 'as allocated', 'idle', 'not sized']

function assumptionsOf(settings: Readonly<Record<string, unknown>>, region: string): {label: string; value: string}[] {
  const get = (k: string): string | undefined => {
    const v = settings[k]
    if (v === undefined || v === null) return undefined
    if (Array.isArray(v)) return v.join(', ')
    if (typeof v === 'object') return JSON.stringify(v)
    return String(v)
  }
  const rows: [string, string | undefined][] = [
    ['Region priced', region],
    ['Hours per month', String(HOURS_PER_MONTH)],
    ['Utilisation statistic for sizing', get('percentile')],
    ['Head-room (comfort factor)', get('comfortFactor')],
    ['Instance families allowed', get('families')],
    ['Graviton (arm64) considered', get('allowGraviton')],
    ['Burstable types considered', get('allowBurstable')],
    ['Windows licence', get('windowsLicense')],
    ['SQL Server licence', get('sqlServerLicense')],
    ['Idle: p95 CPU below, %', get('idleCpuPct')],
    ['Storage head-room', get('storageComfortFactor')],
    ['Refactoring recommended from fit', get('refactorMinFit')],
    ['On-premises costs per year', get('onPremises')],
  ]
  return rows.filter((r): r is [string, string] => r[1] !== undefined).map(([label, value]) => ({label, value}))
}

function findingGroups(joined: readonly JoinedServer[]): FindingGroup[] {
  const groups = new Map<
    string,
    {id: string; category: FindingCategory; severity: Severity; servers: number; example: string; names: string[]}
  >()
  const add = (id: string, category: FindingCategory, severity: Severity, message: string, name: string): void => {
    let g = groups.get(id)
    if (!g) groups.set(id, (g = {id, category, severity, servers: 0, example: message, names: []}))
    g.servers++
    if (g.names.length < 12) g.names.push(name)
  }
  for (const r of joined) {
    for (const f of r.a.findings) add(f.id, CATEGORY[f.id] ?? 'other', f.severity, f.message, r.a.name)
    const unsupported = r.a.rules.find((x) => x.decided && UNSUPPORTED_RULES.has(x.id))
    if (unsupported) add(unsupported.id, 'unsupported platform', 'high', unsupported.message, r.a.name)
  }
  return [...groups.values()].sort(
    (a, b) =>
      CATEGORY_ORDER.indexOf(a.category) - CATEGORY_ORDER.indexOf(b.category) ||
      SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
      b.servers - a.servers ||
      cmp(a.id, b.id),
  )
}

export function lambdaCandidate(a: ServerAssessment): LambdaCandidate {
  const e = a.compute.lambda.estimate
  return {
    serverId: a.serverId,
    name: a.name,
    fit: a.compute.lambda.score,
    strategy: a.strategy,
    target: a.target.service,
    ...(e?.requestsPerMonth === undefined ? {} : {requestsPerMonth: e.requestsPerMonth}),
    ...(e?.monthlyUsd === undefined ? {} : {lambdaMonthlyUsd: e.monthlyUsd}),
    ...((e?.comparedWithEc2MonthlyUsd ?? a.compute.ec2.monthlyUsd) === undefined
      ? {}
      : {ec2MonthlyUsd: (e?.comparedWithEc2MonthlyUsd ?? a.compute.ec2.monthlyUsd)!}),
    ...(e?.breakEvenRequestsPerMonth === undefined ? {} : {breakEvenRequestsPerMonth: e.breakEvenRequestsPerMonth}),
    ...(e?.note ? {note: e.note} : {}),
  }
}

export function reportFigures(docs: ReportDocuments, joined: readonly JoinedServer[] = joinServers(docs)): ReportFigures {
  const a = docs.assessment
  const s = a.summary
  const inv: readonly (ServerSummary | undefined)[] = joined.map((j) => j.inv)
  const catalogUnavailable = (a.catalog as {unavailable?: Partial<Record<PricingModel, string>>}).unavailable ?? {}
  const firstUnavailable = new Map<PricingModel, string>()
  for (const j of joined)
    for (const m of j.a.ec2?.models ?? []) if (m.unavailable && !firstUnavailable.has(m.model)) firstUnavailable.set(m.model, m.unavailable)
  const costs: CostRow[] = PRICING_MODELS.map((model) => {
    const t = s.monthly.find((x) => x.model === model)
    const monthlyUsd = t?.monthlyUsd ?? 0
    const note = catalogUnavailable[model] ?? firstUnavailable.get(model)
    const savings = s.tco?.savings3yrUsd[model]
    const aws = s.tco?.aws3yrUsd[model]
    return {
      model,
      label: MODEL_LABEL[model],
      monthlyUsd,
      threeYearUsd: monthlyUsd * MONTHS_3YR,
      pricedServers: t?.pricedServers ?? 0,
      unpricedServers: t?.unpricedServers ?? 0,
      incompleteServers: t?.incompleteServers ?? 0,
      available: (t?.pricedServers ?? 0) > 0 && monthlyUsd > 0,
      ...(note && (t?.unpricedServers ?? 0) > 0 ? {note} : {}),
      ...(savings === undefined ? {} : {savings3yrUsd: savings}),
      ...(aws === undefined ? {} : {aws3yrTcoUsd: aws}),
    }
  })
  const cpu = histogram(joined.map((j) => j.a.sizing.cpu.utilisationPct))
  const mem = histogram(joined.map((j) => j.a.sizing.memory.utilisationPct))
  const conf = {measured: 0, reported: 0, none: 0}
  for (const i of inv) {
    const u = i?.utilisation ?? 'none'
    if (u === 'measured') conf.measured++
    else if (u === 'reported' || u === 'declared') conf.reported++
    else conf.none++
  }
  const n = joined.length
  const candidates = joined
    .filter(
      (j) =>
        j.a.strategy !== 'retire' && j.a.strategy !== 'retain' && !j.a.compute.lambda.blocked && j.a.compute.lambda.score >= LAMBDA_MIN_FIT,
    )
    .map((j) => lambdaCandidate(j.a))
    .sort((x, y) => y.fit - x.fit || cmp(x.name, y.name) || cmp(x.serverId, y.serverId))
  const severities = new Map<Severity, number>()
  for (const [k, v] of Object.entries(s.findings) as [Severity, number][]) severities.set(k, v)
  const org = docs.organisation
  return {
    title: org ? `Migration to AWS: ${org}` : 'Migration to AWS',
    ...(org ? {organisation: org} : {}),
    asOf: a.asOf,
    region: a.region,
    catalog: {
      version: a.catalog.version,
      origin: a.catalog.origin,
      sources: Object.entries(a.catalog.sources)
        .map(([id, date]) => ({id, date}))
        .sort((x, y) => cmp(x.id, y.id)),
    },
    rules: `${a.rules.version}${a.rules.userFile ? ` + ${a.rules.userFile}` : ''}`,
    estate: {
      servers: s.servers,
      vcpus: total(joined.map((j) => j.a.sizing.cpu.allocated ?? j.inv?.vcpus)),
      memoryGib: total(
        joined.map((j) => {
          const mib = j.a.sizing.memory.allocated ?? j.inv?.memoryMib
          return mib === undefined ? undefined : mib / 1024
        }),
      ),
      storageGib: total(inv.map((i) => i?.storageGib)),
      poweredOff: inv.filter((i) => i?.powerState === 'off').length,
      moving: joined.filter((j) => j.a.strategy !== 'retire' && j.a.strategy !== 'retain').length,
    },
    costs,
    ...(s.tco
      ? {onPremises: {threeYearUsd: s.tco.onPremises3yrUsd, monthlyUsd: s.tco.onPremises3yrUsd / MONTHS_3YR, servers: s.tco.servers}}
      : {}),
    unpricedTargets: Object.entries(s.unpricedTargets)
      .map(([target, servers]) => ({target, servers: servers!}))
      .sort((x, y) => y.servers - x.servers || cmp(x.target, y.target)),
    assumptions: assumptionsOf(a.settings, a.region),
    utilisation: {
      statistic: String(a.settings.percentile ?? 'p95'),
      cpu: cpu.buckets,
      memory: mem.buckets,
      cpuUnknown: cpu.unknown,
      memoryUnknown: mem.unknown,
    },
    rightSizing: count(
      joined.map((j) => j.rightSizing),
      RIGHT_SIZING_ORDER,
    ),
    strategies: STRATEGIES.map((st) => ({label: st, servers: s.byStrategy[st] ?? 0})),
    targets: (Object.entries(s.byTarget) as [TargetService, number][])
      .map(([label, servers]) => ({label, servers}))
      .sort((x, y) => y.servers - x.servers || cmp(x.label, y.label)),
    strategyTargets: s.byStrategyTarget.map((x) => ({strategy: x.strategy, target: x.target, servers: x.servers})),
    lambda: {candidates, minFit: LAMBDA_MIN_FIT},
    findings: {
      bySeverity: SEVERITY_ORDER.map((sev) => ({label: sev, servers: severities.get(sev) ?? 0})),
      groups: findingGroups(joined),
    },
    confidence: {
      ...conf,
      measuredShare: n === 0 ? 0 : conf.measured / n,
      knownShare: n === 0 ? 0 : (conf.measured + conf.reported) / n,
      sizingBasis: count(
        joined.map((j) => j.a.sizing.basis),
        ['performance', 'partial', 'as-is', 'unknown'],
      ),
    },
    diagnostics: [
      ...a.diagnostics.map((d) => d.message),
      ...(docs.plan?.diagnostics ?? []).map((d) => d.message),
      ...(docs.landingZone?.diagnostics ?? []),
      ...(docs.landingZoneMissing ? [`landing zone not designed: ${docs.landingZoneMissing}`] : []),
    ],
  }
}
