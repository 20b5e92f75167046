/**
 * Costing: monthly cost (730 hours) of a right-sized EC2 instance per pricing model, its gp3
 * storage, licence options; Lambda (requests × per-request + GB-seconds × tiered per-GB-second,
 * architecture-aware) and Fargate (vCPU-hours + GB-hours) estimates; the break-even request volume.
 * Costing never fetches prices and never sees a server: it gets quantities and a catalog. Pure.
 */
import {HOURS_PER_MONTH, onDemandPrice, reservedPrices, servicePrices} from '../catalog/catalog.js'
import type {
  CostLine,
  Ec2Costs,
  FargateEstimate,
  LambdaEstimate,
  LicenceOption,
  ModelCost,
  PriceRef,
  PricingModel,
  StorageSizing,
} from '../model/assessment.js'
import type {
  Catalog,
  CpuArchitecture,
  LambdaPrices,
  Price,
  PriceOs,
  RegionServicePrices,
  ReservedPrice,
  ReservedTerm,
} from '../model/catalog.js'
import type {AssessSettings} from '../model/settings.js'
import {flat} from '../util/flat.js'
import {GP3} from './sizing.js'

// Price references, fixed compute lines and whole model costs are shared between servers (100,000
// servers reuse a few hundred of them): a large assessment stays small in memory and cheap to
// collect. Shared objects are never mutated.
const refs = new WeakMap<Price, Map<string, PriceRef>>()

export function ref(p: Price, unit: string): PriceRef {
  let byUnit = refs.get(p)
  if (!byUnit) refs.set(p, (byUnit = new Map()))
  let r = byUnit.get(unit)
  if (!r) {
    r = {usd: p.usd, sourceId: p.sourceId, ...(p.basis === 'read' ? {} : {basis: p.basis}), ...(p.rule ? {rule: p.rule} : {})}
    byUnit.set(unit, r)
  }
  return r
}

const line = (item: string, quantity: number, unit: string, price: Price | undefined, note?: string): CostLine => ({
  item,
  quantity,
  unit,
  ...(price ? {price: ref(price, unit), monthlyUsd: quantity * price.usd} : {}),
  ...(note ? {note} : {}),
})

/** Sum of priced lines, and whether every line is priced. */
export function total(lines: readonly CostLine[]): {monthlyUsd: number; complete: boolean} {
  let sum = 0
  let complete = true
  for (const l of lines) {
    if (l.monthlyUsd === undefined) complete = false
    else sum += l.monthlyUsd
  }
  return {monthlyUsd: sum, complete}
}

export const ASSUMED_SOURCE = 'migrate-plan.yaml'

/**
 * Service prices for a region. Outside the regions the catalog covers, us-east-1's are used only
 * when the settings opt in, and then each price is marked `assumed`.
 */
export function regionServices(catalog: Catalog, region: string, settings: AssessSettings): RegionServicePrices | undefined {
  const own = servicePrices(catalog, region)
  if (region === 'us-east-1' || !settings.assumeUsEast1ServicePrices) return own
  const east = servicePrices(catalog, 'us-east-1')
  if (!east) return own
  const assume = (p: Price): Price => ({...p, basis: 'assumed', rule: 'assume-us-east-1-service-prices'})
  const lambda: LambdaPrices | undefined =
    own?.lambda ??
    (east.lambda && {
      ...east.lambda,
      request: {x86_64: assume(east.lambda.request.x86_64), arm64: assume(east.lambda.request.arm64)},
      duration: {
        x86_64: east.lambda.duration.x86_64.map((t) => ({...t, price: assume(t.price)})),
        arm64: east.lambda.duration.arm64.map((t) => ({...t, price: assume(t.price)})),
      },
    })
  const f = east.fargate
  const fargate =
    own?.fargate ??
    (f && {
      ...(f.linuxX86 ? {linuxX86: {vcpuHour: assume(f.linuxX86.vcpuHour), gbHour: assume(f.linuxX86.gbHour)}} : {}),
      ...(f.linuxArm ? {linuxArm: {vcpuHour: assume(f.linuxArm.vcpuHour), gbHour: assume(f.linuxArm.gbHour)}} : {}),
      ...(f.windowsX86
        ? {
            windowsX86: {
              vcpuHour: assume(f.windowsX86.vcpuHour),
              gbHour: assume(f.windowsX86.gbHour),
              licenceVcpuHour: assume(f.windowsX86.licenceVcpuHour),
            },
          }
        : {}),
    })
  return {...own, ...(lambda ? {lambda} : {}), ...(fargate ? {fargate} : {})}
}

// --- Storage ------------------------------------------------------------------------------------

export function storageLines(
  storage: StorageSizing,
  services: RegionServicePrices | undefined,
  settings: AssessSettings,
  asOf: string,
): CostLine[] {
  if (storage.sizeGib === undefined) return [{item: 'gp3 storage', quantity: 0, unit: 'GiB-month', note: 'storage size unknown'}]
  const assumed = (usd: number | undefined, setting: string): Price | undefined =>
    usd === undefined ? undefined : {usd, sourceId: ASSUMED_SOURCE, date: asOf, basis: 'assumed', rule: `assess.assumedPrices.${setting}`}
  const gib = services?.ebs?.storageGibMonth.gp3 ?? assumed(settings.assumedPrices.ebsGp3GibMonth, 'ebsGp3GibMonth')
  const iops = services?.ebs?.gp3IopsMonth ?? assumed(settings.assumedPrices.ebsGp3IopsMonth, 'ebsGp3IopsMonth')
  const mibps = services?.ebs?.gp3ThroughputMibpsMonth ?? assumed(settings.assumedPrices.ebsGp3MibpsMonth, 'ebsGp3MibpsMonth')
  const unpriced = 'no EBS gp3 price in the catalog for this region (run `catalog refresh` or set assess.assumedPrices)'
  const lines = [line(flat`gp3 storage ${storage.sizeGib} GiB`, storage.sizeGib, 'GiB-month', gib, gib ? undefined : unpriced)]
  if (storage.iops > GP3.baselineIops) {
    lines.push(line(`gp3 IOPS above ${GP3.baselineIops}`, storage.iops - GP3.baselineIops, 'IOPS-month', iops, iops ? undefined : unpriced))
  }
  if (storage.throughputMibps > GP3.baselineMibps) {
    lines.push(
      line(
        `gp3 throughput above ${GP3.baselineMibps} MiB/s`,
        storage.throughputMibps - GP3.baselineMibps,
        'MiB/s-month',
        mibps,
        mibps ? undefined : unpriced,
      ),
    )
  }
  return lines
}

// --- EC2 ------------------------------------------------------------------------------------------

export interface Ec2CostInput {
  readonly catalog: Catalog
  readonly region: string
  readonly instanceType: string
  /** The OS's own price list (before licence choices); undefined when the OS is unknown. */
  readonly osPriceOs?: PriceOs
  readonly sqlServer: boolean
  readonly settings: AssessSettings
  readonly storage: readonly CostLine[]
  /** Compute costs already worked out in this assessment (same catalog and settings), by kind of server. */
  readonly cache?: Map<string, Ec2Compute>
}

/** Which price list the compute is billed from, given OS and licence settings. */
export function billingOs(osPriceOs: PriceOs | undefined, settings: AssessSettings): {priceOs: PriceOs; reason: string} {
  if (osPriceOs === 'windows') {
    return settings.windowsLicense === 'byol'
      ? {priceOs: 'linux', reason: 'Windows Server, bring your own licence: compute at the Linux rate (the licence is yours)'}
      : {priceOs: 'windows', reason: 'Windows Server, licence included'}
  }
  if (osPriceOs === 'rhel') return {priceOs: 'rhel', reason: 'Red Hat Enterprise Linux, licence included'}
  if (osPriceOs === 'suse') return {priceOs: 'suse', reason: 'SUSE Linux Enterprise Server, licence included'}
  if (osPriceOs === 'linux') return {priceOs: 'linux', reason: 'Linux without a commercial subscription'}
  return {priceOs: 'linux', reason: 'OS unknown: priced as Linux (an assumption; Windows or RHEL would cost more)'}
}

const SQL_INCLUDED_LINE: CostLine = {
  item: 'SQL Server licence (included)',
  quantity: HOURS_PER_MONTH,
  unit: 'hour',
  note: 'no SQL Server licence-included price in the catalog (not available offline)',
}
/** Why a pricing model has no figure; listed once per assessment (Assessment.catalog.unavailable). */
export const UNAVAILABLE_REASONS: Readonly<Record<PricingModel, string>> = {
  'on-demand': 'no on-demand price for the type and OS in the catalog',
  'reserved-1yr':
    'no 1-year standard reserved rate for the type and OS in the catalog (not available offline: the embedded data has us-east-1 Linux only; `catalog refresh` reads them for a region)',
  'reserved-3yr': 'no 3-year standard reserved rate in the catalog (not available offline; `catalog refresh` reads them for a region)',
  'savings-plan-1yr': 'Savings Plans rates are not in the catalog (not available offline)',
  'savings-plan-3yr': 'Savings Plans rates are not in the catalog (not available offline)',
}
const unavailableModels = new Map<PricingModel, Map<string, ModelCost>>()
function unavailableModel(model: PricingModel, unavailable: string): ModelCost {
  let byReason = unavailableModels.get(model)
  if (!byReason) unavailableModels.set(model, (byReason = new Map()))
  let m = byReason.get(unavailable)
  if (!m) byReason.set(unavailable, (m = {model, unavailable}))
  return m
}
const sharedModels = new WeakMap<Price, Map<string, ModelCost>>()
const sharedModelIds = new Set<number>()
const hourLines = new WeakMap<Price, Map<string, CostLine>>()
/** The monthly line of an hourly price (730 hours), shared per price and item. */
function hourLine(item: string, price: Price): CostLine {
  let byItem = hourLines.get(price)
  if (!byItem) hourLines.set(price, (byItem = new Map()))
  let l = byItem.get(item)
  if (!l) byItem.set(item, (l = line(item, HOURS_PER_MONTH, 'hour', price)))
  return l
}

const RESERVED_PREFERENCE: readonly ReservedPrice['purchaseOption'][] = ['All Upfront', 'Partial Upfront', 'No Upfront']

function pickReserved(list: readonly ReservedPrice[], term: ReservedTerm): ReservedPrice | undefined {
  for (const option of RESERVED_PREFERENCE) {
    const r = list.find((x) => x.term === term && x.offeringClass === 'standard' && x.purchaseOption === option)
    if (r) return r
  }
  return undefined
}

/** An Ec2Costs without its storage lines. */
export type Ec2Compute = Omit<Ec2Costs, 'storage'>

export function ec2Costs(input: Ec2CostInput): Ec2Costs {
  // With unpriced storage (the lines sum to 0), everything but the storage lines depends only on the
  // type, the OS price list, SQL Server and whether the storage lines are complete: the same for
  // every server of that kind, so it is worked out once per kind.
  const storage = total(input.storage)
  let c: Ec2Compute | undefined
  if (storage.monthlyUsd !== 0 || !input.cache) c = ec2Compute(input, storage)
  else {
    const key = `${input.region}|${input.instanceType}|${input.osPriceOs}|${input.sqlServer}|${storage.complete}`
    c = input.cache.get(key)
    if (!c) input.cache.set(key, (c = ec2Compute(input, storage)))
  }
  return {
    region: c.region,
    instanceType: c.instanceType,
    priceOs: c.priceOs,
    priceOsReason: c.priceOsReason,
    models: c.models,
    unavailable: c.unavailable,
    storage: input.storage,
    licences: c.licences,
  }
}

function ec2Compute(input: Ec2CostInput, storage: {monthlyUsd: number; complete: boolean}): Ec2Compute {
  const {catalog, region, instanceType: type, settings} = input
  const billing = billingOs(input.osPriceOs, settings)
  const od = onDemandPrice(catalog, region, type, billing.priceOs)
  const sqlIncluded = input.sqlServer && settings.sqlServerLicense === 'included'
  const computeItem = `${type} ${billing.priceOs}`
  const models: ModelCost[] = []
  const model = (m: PricingModel, price: Price | undefined, unavailable: string, offering?: string): ModelCost => {
    if (!price) return unavailableModel(m, unavailable)
    const build = (): ModelCost => {
      const lines = sqlIncluded ? [hourLine(computeItem, price), SQL_INCLUDED_LINE] : [hourLine(computeItem, price)]
      const t = total(lines)
      return {
        model: m,
        monthlyUsd: t.monthlyUsd + storage.monthlyUsd,
        complete: t.complete && storage.complete,
        lines,
        ...(offering ? {offering} : {}),
      }
    }
    // Without priced storage a model's cost depends on the price alone: share it between servers.
    if (storage.monthlyUsd !== 0) return build()
    let byKey = sharedModels.get(price)
    if (!byKey) sharedModels.set(price, (byKey = new Map()))
    const key = `${m}|${computeItem}|${sqlIncluded}|${storage.complete}|${offering ?? ''}`
    let shared = byKey.get(key)
    if (!shared) {
      byKey.set(key, (shared = build()))
      sharedModelIds.add(idOf(shared))
    }
    return shared
  }
  models.push(model('on-demand', od, `no on-demand ${billing.priceOs} price for ${type} in ${region} in the catalog`))
  const reserved = reservedPrices(catalog, region, type, billing.priceOs)
  for (const term of ['1yr', '3yr'] as const) {
    const r = pickReserved(reserved, term)
    models.push(
      model(
        term === '1yr' ? 'reserved-1yr' : 'reserved-3yr',
        r,
        'no standard reserved rate for this type and OS in the catalog (not available offline)',
        r ? `${r.offeringClass} ${r.purchaseOption}, effective hourly` : undefined,
      ),
    )
  }
  for (const m of ['savings-plan-1yr', 'savings-plan-3yr'] as const) {
    models.push(unavailableModel(m, 'Savings Plans rates are not in the catalog (not available offline)'))
  }

  const licences: LicenceOption[] = []
  if (input.osPriceOs === 'windows') {
    const li = onDemandPrice(catalog, region, type, 'windows')
    const linux = onDemandPrice(catalog, region, type, 'linux')
    licences.push(
      {
        product: 'windows-server',
        model: 'included',
        chosen: settings.windowsLicense === 'included',
        ...(li ? {monthlyUsd: li.usd * HOURS_PER_MONTH} : {}),
        note: li ? 'EC2 Windows rate' : 'not in the catalog',
      },
      {
        product: 'windows-server',
        model: 'byol',
        chosen: settings.windowsLicense === 'byol',
        ...(linux ? {monthlyUsd: linux.usd * HOURS_PER_MONTH} : {}),
        note: 'compute only; needs Dedicated Hosts (not priced)',
      },
    )
  }
  if (input.sqlServer) {
    const base = od ? od.usd * HOURS_PER_MONTH : undefined
    licences.push(
      {
        product: 'sql-server',
        model: 'included',
        chosen: settings.sqlServerLicense === 'included',
        note: 'not in the catalog',
      },
      {
        product: 'sql-server',
        model: 'byol',
        chosen: settings.sqlServerLicense === 'byol',
        ...(base === undefined ? {} : {monthlyUsd: base}),
        note: 'compute only; needs Licence Mobility (Software Assurance) or Dedicated Hosts',
      },
    )
  }
  return {
    region,
    instanceType: type,
    priceOs: billing.priceOs,
    priceOsReason: billing.reason,
    ...sharedLists(models),
    licences: sharedLicences(licences),
  }
}

const listCache = new Map<string, {models: readonly ModelCost[]; unavailable: readonly PricingModel[]}>()
const objectIds = new WeakMap<object, number>()
let nextObjectId = 1
const idOf = (o: object): number => {
  let id = objectIds.get(o)
  if (id === undefined) objectIds.set(o, (id = nextObjectId++))
  return id
}
/** The priced and unavailable model lists; when every model object is shared, the lists are shared too. */
function sharedLists(models: readonly ModelCost[]): {models: readonly ModelCost[]; unavailable: readonly PricingModel[]} {
  const key = models.map(idOf).join(',')
  let x = listCache.get(key)
  if (!x) {
    x = Object.freeze({
      models: Object.freeze(models.filter((m) => m.monthlyUsd !== undefined)),
      unavailable: Object.freeze(models.filter((m) => m.monthlyUsd === undefined).map((m) => m.model)),
    })
    // Only lists made of shared model objects repeat; per-server ones (priced storage) are not kept.
    if (models.every((m) => m.monthlyUsd === undefined || !m.lines || sharedModelIds.has(idOf(m)))) listCache.set(key, x)
  }
  return x
}

const licenceCache = new Map<string, readonly LicenceOption[]>()
const NO_LICENCES: readonly LicenceOption[] = Object.freeze([])
function sharedLicences(licences: LicenceOption[]): readonly LicenceOption[] {
  if (licences.length === 0) return NO_LICENCES
  const key = licences.map((l) => `${l.product}|${l.model}|${l.chosen}|${l.monthlyUsd ?? ''}|${l.note}`).join('\u0000')
  let x = licenceCache.get(key)
  if (!x) licenceCache.set(key, (x = Object.freeze(licences)))
  return x
}

// --- Lambda --------------------------------------------------------------------------------------

export interface LambdaInput {
  readonly services: RegionServicePrices | undefined
  readonly architecture: CpuArchitecture
  readonly requestsPerMonth?: number
  readonly durationMs: number
  readonly memoryMb: number
  readonly inputs: LambdaEstimate['inputs']
  readonly freeTier: boolean
  /** EC2 on-demand monthly figure to compare with (break-even). */
  readonly ec2MonthlyUsd?: number
}

/** Monthly Lambda cost for `requests`; undefined when a needed price or tier is missing. */
export function lambdaMonthly(
  prices: LambdaPrices,
  arch: CpuArchitecture,
  requests: number,
  durationMs: number,
  memoryMb: number,
  freeTier: boolean,
): {requestUsd: number; durationUsd?: number; gbSeconds: number; billedRequests: number; billedGbSeconds: number} {
  const gbSeconds = (requests * durationMs * memoryMb) / 1000 / 1024
  const free = freeTier ? prices.freeTier : undefined
  const billedRequests = Math.max(0, requests - (free?.requests ?? 0))
  const billedGbSeconds = Math.max(0, gbSeconds - (free?.gbSeconds ?? 0))
  const requestUsd = billedRequests * prices.request[arch].usd
  let remaining = billedGbSeconds
  let lower = 0
  let durationUsd: number | undefined = 0
  for (const tier of prices.duration[arch]) {
    if (remaining <= 0) break
    const width = tier.upTo === undefined ? Infinity : tier.upTo - lower
    const used = Math.min(remaining, width)
    durationUsd += used * tier.price.usd
    remaining -= used
    lower = tier.upTo ?? lower
  }
  if (remaining > 0) durationUsd = undefined // beyond the last tier the sources give
  return {requestUsd, ...(durationUsd === undefined ? {} : {durationUsd}), gbSeconds, billedRequests, billedGbSeconds}
}

type Mutable<T> = {-readonly [K in keyof T]: T[K]}

export function lambdaEstimate(input: LambdaInput): LambdaEstimate {
  const prices = input.services?.lambda
  // Built key by key in output order (no spread of a shared base and comparison objects per server).
  const e = {architecture: input.architecture} as Mutable<LambdaEstimate>
  if (input.requestsPerMonth !== undefined) e.requestsPerMonth = input.requestsPerMonth
  e.durationMs = input.durationMs
  e.memoryMb = input.memoryMb
  e.inputs = input.inputs
  if (!prices) {
    e.lines = []
    e.note = 'no Lambda prices for this region in the catalog (us-east-1 only; see assess.assumeUsEast1ServicePrices)'
    return e
  }
  const compare = (): void => {
    if (input.ec2MonthlyUsd === undefined) return
    const breakEven = breakEvenRequestsShared(prices, input, input.ec2MonthlyUsd)
    if (breakEven !== undefined) e.breakEvenRequestsPerMonth = breakEven
    e.comparedWithEc2MonthlyUsd = input.ec2MonthlyUsd
  }
  if (input.requestsPerMonth === undefined) {
    e.lines = []
    compare()
    e.note = 'request volume unknown: give it in a usage file (--usage)'
    return e
  }
  const m = lambdaMonthly(prices, input.architecture, input.requestsPerMonth, input.durationMs, input.memoryMb, input.freeTier)
  const firstTier = prices.duration[input.architecture][0]!
  const lines: CostLine[] = [
    {
      item: input.architecture === 'arm64' ? 'requests (arm64)' : 'requests (x86_64)',
      quantity: m.billedRequests,
      unit: 'request',
      price: ref(prices.request[input.architecture], 'request'),
      monthlyUsd: m.requestUsd,
      ...(input.freeTier ? {note: 'after the monthly free tier'} : {}),
    },
    {
      item: flat`duration ${input.durationMs} ms x ${input.memoryMb} MB (${input.architecture})`,
      quantity: m.billedGbSeconds,
      unit: 'GB-second',
      price: ref(firstTier.price, 'GB-second'),
      ...(m.durationUsd === undefined
        ? {note: `beyond the last duration tier the sources give for ${input.architecture}`}
        : {
            monthlyUsd: m.durationUsd,
            ...(m.billedGbSeconds > (firstTier.upTo ?? Infinity) ? {note: 'tiered: later tiers are cheaper'} : {}),
          }),
    },
  ]
  const t = total(lines)
  e.gbSeconds = m.gbSeconds
  e.lines = lines
  if (t.complete) e.monthlyUsd = t.monthlyUsd
  compare()
  return e
}

const breakEvens = new WeakMap<LambdaPrices, Map<string, number | undefined>>()
/**
 * {@link breakEvenRequests}, remembered: it depends on the prices, the Lambda inputs and the EC2
 * figure, which repeat across servers (a few instance types, mostly default duration and memory).
 */
function breakEvenRequestsShared(
  prices: LambdaPrices,
  input: Pick<LambdaInput, 'architecture' | 'durationMs' | 'memoryMb' | 'freeTier'>,
  ec2Monthly: number,
): number | undefined {
  let byKey = breakEvens.get(prices)
  if (!byKey) breakEvens.set(prices, (byKey = new Map()))
  const key = `${input.architecture}|${input.durationMs}|${input.memoryMb}|${input.freeTier}|${ec2Monthly}`
  if (byKey.has(key)) return byKey.get(key)
  const r = breakEvenRequests(prices, input, ec2Monthly)
  if (byKey.size < 10_000) byKey.set(key, r)
  return r
}

/**
 * Requests per month at which Lambda costs `ec2Monthly`; undefined when it never does within the
 * priced tiers. Lambda's cost is piecewise linear in the request count (free tier, duration tiers),
 * so the answer is found exactly on the segment that crosses the EC2 figure.
 */
export function breakEvenRequests(
  prices: LambdaPrices,
  input: Pick<LambdaInput, 'architecture' | 'durationMs' | 'memoryMb' | 'freeTier'>,
  ec2Monthly: number,
): number | undefined {
  if (!(ec2Monthly > 0)) return undefined
  const g = (input.durationMs * input.memoryMb) / 1000 / 1024
  if (!(g > 0)) return undefined
  const free = input.freeTier ? prices.freeTier : undefined
  const cost = (r: number): number | undefined => {
    const m = lambdaMonthly(prices, input.architecture, r, input.durationMs, input.memoryMb, input.freeTier)
    return m.durationUsd === undefined ? undefined : m.requestUsd + m.durationUsd
  }
  const breaks = new Set<number>([0])
  if (free) {
    breaks.add(free.requests)
    breaks.add(free.gbSeconds / g)
  }
  const tiers = prices.duration[input.architecture]
  for (const t of tiers) if (t.upTo !== undefined) breaks.add(((free?.gbSeconds ?? 0) + t.upTo) / g)
  const points = [...breaks].sort((a, b) => a - b)
  let prevR = 0
  let prevC = 0
  const cross = (r: number, c: number): number => Math.round(prevR + ((ec2Monthly - prevC) * (r - prevR)) / (c - prevC))
  for (const r of points.slice(1)) {
    const c = cost(r)
    if (c === undefined) return undefined
    if (c >= ec2Monthly && c > prevC) return cross(r, c)
    prevR = r
    prevC = c
  }
  // Past the last breakpoint the cost is linear, if the last tier is open-ended.
  const probe = prevR + 1e6
  const c = cost(probe)
  if (c === undefined || !(c > prevC)) return undefined
  return Math.round(prevR + ((ec2Monthly - prevC) * (probe - prevR)) / (c - prevC))
}

// --- Fargate -------------------------------------------------------------------------------------

/**
 * Fargate task sizes as AWS documents them (Amazon ECS developer guide, "Task CPU and memory"):
 * vCPU → allowed memory in GB (from, to, step).
 */
export const FARGATE_SIZES: readonly {vcpu: number; memory: readonly number[]}[] = [
  {vcpu: 0.25, memory: [0.5, 1, 2]},
  {vcpu: 0.5, memory: range(1, 4, 1)},
  {vcpu: 1, memory: range(2, 8, 1)},
  {vcpu: 2, memory: range(4, 16, 1)},
  {vcpu: 4, memory: range(8, 30, 1)},
  {vcpu: 8, memory: range(16, 60, 4)},
  {vcpu: 16, memory: range(32, 120, 8)},
]

function range(from: number, to: number, step: number): number[] {
  const out: number[] = []
  for (let x = from; x <= to; x += step) out.push(x)
  return out
}

/** The smallest task that gives `vcpu` vCPUs and `memoryMib` of memory, or undefined above the largest. */
export function fargateTaskSize(vcpu: number, memoryMib: number): {vcpu: number; memoryGb: number} | undefined {
  const gb = memoryMib / 1024
  for (const size of FARGATE_SIZES) {
    if (size.vcpu < vcpu) continue
    const m = size.memory.find((x) => x >= gb)
    if (m !== undefined) return {vcpu: size.vcpu, memoryGb: m}
  }
  return undefined
}

const fargateCache = new WeakMap<object, Map<string, FargateEstimate>>()
const NO_SERVICES = {}

/** Fargate estimate for the smallest task that fits; shared between servers that need the same task. */
export function fargateEstimate(
  services: RegionServicePrices | undefined,
  platform: FargateEstimate['platform'],
  vcpu: number,
  memoryMib: number,
): FargateEstimate | undefined {
  const size = fargateTaskSize(vcpu, memoryMib)
  if (!size) return undefined
  let cache = fargateCache.get(services ?? NO_SERVICES)
  if (!cache) fargateCache.set(services ?? NO_SERVICES, (cache = new Map()))
  const key = `${platform}|${size.vcpu}|${size.memoryGb}`
  let e = cache.get(key)
  if (!e) cache.set(key, (e = fargateTaskEstimate(services, platform, size)))
  return e
}

function fargateTaskEstimate(
  services: RegionServicePrices | undefined,
  platform: FargateEstimate['platform'],
  size: {vcpu: number; memoryGb: number},
): FargateEstimate {
  const f = services?.fargate
  const p = platform === 'linux-arm64' ? f?.linuxArm : platform === 'windows-x86_64' ? f?.windowsX86 : f?.linuxX86
  const hours = HOURS_PER_MONTH
  const note = p ? undefined : 'no Fargate prices for this region in the catalog (us-east-1 only; see assess.assumeUsEast1ServicePrices)'
  const lines: CostLine[] = [
    line(`${size.vcpu} vCPU (${platform})`, size.vcpu * hours, 'vCPU-hour', p?.vcpuHour, note),
    line(`${size.memoryGb} GB memory`, size.memoryGb * hours, 'GB-hour', p?.gbHour, note),
  ]
  if (platform === 'windows-x86_64') {
    const lic = f?.windowsX86?.licenceVcpuHour
    lines.push(line('Windows OS licence', size.vcpu * hours, 'vCPU-hour', lic, lic ? undefined : note))
  }
  const t = total(lines)
  return {
    vcpu: size.vcpu,
    memoryGb: size.memoryGb,
    platform,
    lines,
    ...(t.complete ? {monthlyUsd: t.monthlyUsd} : {}),
    ...(note ? {note} : {}),
  }
}
