/**
 * Parsing of AWS Price List (GetProducts, format aws_v1) entries and EC2 DescribeInstanceTypes
 * items into catalog records. Pure: no SDK calls here, so that recorded responses can be parsed in
 * tests exactly as the live ones are.
 */
import type {
  CpuArchitecture,
  EbsVolumeType,
  InstanceTypeSpec,
  PriceOs,
  RefreshedPrice,
  RefreshedReserved,
  ReservedTerm,
} from '../model/catalog.js'

/** One OS/licence combination as the Price List names it, and the filter values that select it. */
export interface OsQuery {
  readonly os: PriceOs
  readonly operatingSystem: string
  readonly licenseModel: string
}

/** Licence-included Windows; the others carry no separate licence model. */
export const OS_QUERIES: readonly OsQuery[] = [
  {os: 'linux', operatingSystem: 'Linux', licenseModel: 'No License required'},
  {os: 'windows', operatingSystem: 'Windows', licenseModel: 'License Included'},
  {os: 'rhel', operatingSystem: 'RHEL', licenseModel: 'No License required'},
  {os: 'suse', operatingSystem: 'SUSE', licenseModel: 'No License required'},
]

interface PriceDimension {
  unit?: string
  pricePerUnit?: {USD?: string}
  description?: string
}
interface Term {
  priceDimensions?: Record<string, PriceDimension>
  effectiveDate?: string
  termAttributes?: {LeaseContractLength?: string; OfferingClass?: string; PurchaseOption?: string}
}
export interface PriceListItem {
  product?: {productFamily?: string; attributes?: Record<string, string>; sku?: string}
  terms?: {OnDemand?: Record<string, Term>; Reserved?: Record<string, Term>}
  publicationDate?: string
}

/** GetProducts returns each entry as a JSON string (aws_v1); decoded entries are accepted too. */
export function decodePriceListEntry(entry: unknown): PriceListItem {
  if (typeof entry === 'string') return JSON.parse(entry) as PriceListItem
  // The SDK hands each entry over as a LazyJsonString (a String-like object), not a primitive.
  if (entry instanceof String || (entry && typeof entry === 'object' && 'deserializeJSON' in entry)) {
    return JSON.parse(String(entry)) as PriceListItem
  }
  if (entry && typeof entry === 'object') return entry as PriceListItem
  throw new TypeError('a PriceList entry is neither a JSON string nor an object')
}

export interface ComputeEntry {
  readonly instanceType: string
  readonly onDemand?: RefreshedPrice
  readonly reserved: readonly RefreshedReserved[]
  readonly publicationDate?: string
}

const HOURS_PER_TERM: Readonly<Record<ReservedTerm, number>> = {'1yr': 8760, '3yr': 26280}

/**
 * A compute-instance entry for `q` (shared tenancy, capacity used, no pre-installed software), or
 * undefined when the entry is anything else: the API filters should already exclude those, and
 * this check keeps a loose filter from mixing, say, unused-reservation rows into the prices.
 */
export function parseComputeEntry(item: PriceListItem, q: OsQuery): ComputeEntry | undefined {
  const a = item.product?.attributes ?? {}
  if (!a.instanceType) return undefined
  if (a.capacitystatus !== undefined && a.capacitystatus !== 'Used') return undefined
  if (a.tenancy !== 'Shared' || a.preInstalledSw !== 'NA') return undefined
  if (a.operatingSystem !== q.operatingSystem) return undefined
  if (a.licenseModel !== undefined && a.licenseModel !== q.licenseModel) return undefined
  const sku = item.product?.sku ?? ''
  let onDemand: RefreshedPrice | undefined
  for (const term of Object.values(item.terms?.OnDemand ?? {})) {
    for (const d of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(d.pricePerUnit?.USD)
      if (d.unit === 'Hrs' && Number.isFinite(usd) && usd > 0) {
        onDemand = {usd, sku, ...(term.effectiveDate ? {effectiveDate: term.effectiveDate.slice(0, 10)} : {})}
      }
    }
  }
  const reserved: RefreshedReserved[] = []
  for (const term of Object.values(item.terms?.Reserved ?? {})) {
    const t = term.termAttributes ?? {}
    const length = t.LeaseContractLength === '1yr' || t.LeaseContractLength === '3yr' ? t.LeaseContractLength : undefined
    const offeringClass = t.OfferingClass === 'standard' || t.OfferingClass === 'convertible' ? t.OfferingClass : undefined
    const option =
      t.PurchaseOption === 'No Upfront' || t.PurchaseOption === 'Partial Upfront' || t.PurchaseOption === 'All Upfront'
        ? t.PurchaseOption
        : undefined
    if (!length || !offeringClass || !option) continue
    let upfront = 0
    let hourly: number | undefined
    for (const d of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(d.pricePerUnit?.USD)
      if (!Number.isFinite(usd)) continue
      if (d.unit === 'Quantity') upfront += usd
      else if (d.unit === 'Hrs') hourly = usd
    }
    if (hourly === undefined) continue
    const effective = upfront / HOURS_PER_TERM[length] + hourly
    if (!(effective > 0)) continue
    reserved.push({
      usd: Math.round(effective * 1e8) / 1e8,
      sku,
      term: length,
      offeringClass,
      purchaseOption: option,
      upfrontUsd: upfront,
      hourlyUsd: hourly,
      ...(term.effectiveDate ? {effectiveDate: term.effectiveDate.slice(0, 10)} : {}),
    })
  }
  reserved.sort((x, y) => key(x).localeCompare(key(y)))
  return {
    instanceType: a.instanceType,
    ...(onDemand ? {onDemand} : {}),
    reserved,
    ...(item.publicationDate ? {publicationDate: item.publicationDate.slice(0, 10)} : {}),
  }
}

const key = (r: RefreshedReserved): string => `${r.term}|${r.offeringClass}|${r.purchaseOption}`

const EBS_USAGE: Readonly<Record<string, EbsVolumeType>> = {
  VolumeUsage: 'standard',
  'VolumeUsage.gp2': 'gp2',
  'VolumeUsage.gp3': 'gp3',
  'VolumeUsage.piops': 'io1',
  'VolumeUsage.io2': 'io2',
  'VolumeUsage.st1': 'st1',
  'VolumeUsage.sc1': 'sc1',
}

export interface StorageEntry {
  readonly volumeType: EbsVolumeType
  readonly price: RefreshedPrice
  readonly publicationDate?: string
}

/** An EBS volume storage entry (productFamily Storage, unit GB-Mo), else undefined. */
export function parseStorageEntry(item: PriceListItem): StorageEntry | undefined {
  if (item.product?.productFamily !== 'Storage') return undefined
  const a = item.product.attributes ?? {}
  const usage = /EBS:(VolumeUsage(?:\.[a-z0-9]+)?)$/.exec(a.usagetype ?? '')?.[1]
  const volumeType = (a.volumeApiName as EbsVolumeType | undefined) ?? (usage ? EBS_USAGE[usage] : undefined)
  if (!volumeType) return undefined
  for (const term of Object.values(item.terms?.OnDemand ?? {})) {
    for (const d of Object.values(term.priceDimensions ?? {})) {
      const usd = Number(d.pricePerUnit?.USD)
      if (d.unit === 'GB-Mo' && Number.isFinite(usd) && usd > 0) {
        return {
          volumeType,
          price: {usd, sku: item.product.sku ?? '', ...(term.effectiveDate ? {effectiveDate: term.effectiveDate.slice(0, 10)} : {})},
          ...(item.publicationDate ? {publicationDate: item.publicationDate.slice(0, 10)} : {}),
        }
      }
    }
  }
  return undefined
}

/** The subset of DescribeInstanceTypes' InstanceTypeInfo that the catalog keeps. */
export interface InstanceTypeInfoLike {
  InstanceType?: string
  CurrentGeneration?: boolean
  BurstablePerformanceSupported?: boolean
  ProcessorInfo?: {SupportedArchitectures?: string[]; Manufacturer?: string; SustainedClockSpeedInGhz?: number}
  VCpuInfo?: {DefaultVCpus?: number}
  MemoryInfo?: {SizeInMiB?: number}
  InstanceStorageSupported?: boolean
  InstanceStorageInfo?: {TotalSizeInGB?: number; Disks?: {SizeInGB?: number; Count?: number; Type?: string}[]; NvmeSupport?: string}
  EbsInfo?: {EbsOptimizedInfo?: {BaselineBandwidthInMbps?: number; MaximumBandwidthInMbps?: number}}
  NetworkInfo?: {NetworkPerformance?: string; NetworkCards?: {BaselineBandwidthInGbps?: number}[]}
  GpuInfo?: {Gpus?: {Count?: number}[]}
}

export function parseInstanceType(info: InstanceTypeInfoLike, sourceId: string): InstanceTypeSpec | undefined {
  const name = info.InstanceType
  const vcpus = info.VCpuInfo?.DefaultVCpus
  const memoryMib = info.MemoryInfo?.SizeInMiB
  if (!name || !vcpus || !memoryMib) return undefined
  const archs = info.ProcessorInfo?.SupportedArchitectures ?? []
  const arch: CpuArchitecture | undefined = archs.some((a) => a.startsWith('arm64'))
    ? 'arm64'
    : archs.some((a) => a.startsWith('x86_64') || a === 'i386')
      ? 'x86_64'
      : undefined
  const disks = info.InstanceStorageInfo?.Disks ?? []
  const storage =
    info.InstanceStorageSupported && disks.length > 0
      ? disks
          .map(
            (d) =>
              `${d.Count ?? 1} x ${d.SizeInGB ?? '?'} ${info.InstanceStorageInfo?.NvmeSupport === 'required' ? 'NVMe ' : ''}${d.Type === 'hdd' ? 'HDD' : 'SSD'}`,
          )
          .join(' + ')
      : 'EBS only'
  const gpus = (info.GpuInfo?.Gpus ?? []).reduce((n, g) => n + (g.Count ?? 0), 0)
  const baselineGbps = info.NetworkInfo?.NetworkCards?.[0]?.BaselineBandwidthInGbps
  const ebs = info.EbsInfo?.EbsOptimizedInfo
  return {
    name,
    family: name.split('.')[0] ?? name,
    vcpus,
    memoryMib,
    ...(arch ? {arch} : {}),
    ...(archs.some((a) => a.endsWith('_mac')) ? {mac: true} : {}),
    ...(info.CurrentGeneration === undefined ? {} : {currentGeneration: info.CurrentGeneration}),
    burstable: info.BurstablePerformanceSupported ?? /^t\d/.test(name),
    gpus,
    instanceStorage: storage,
    ...(info.InstanceStorageInfo?.TotalSizeInGB === undefined ? {} : {instanceStorageGb: info.InstanceStorageInfo.TotalSizeInGB}),
    ...(info.NetworkInfo?.NetworkPerformance ? {networkPerformance: info.NetworkInfo.NetworkPerformance} : {}),
    ...(baselineGbps === undefined ? {} : {baselineBandwidthMbps: Math.round(baselineGbps * 1000)}),
    ...(ebs?.MaximumBandwidthInMbps === undefined
      ? {}
      : {ebsBandwidthMbps: ebs.MaximumBandwidthInMbps, ebsBandwidthBurst: ebs.BaselineBandwidthInMbps !== ebs.MaximumBandwidthInMbps}),
    ...(info.ProcessorInfo?.Manufacturer ? {processor: info.ProcessorInfo.Manufacturer} : {}),
    specSources: [sourceId],
  }
}
