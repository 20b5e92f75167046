/**
 * The price and instance catalog: EC2 instance types, on-demand and reserved prices per region and
 * operating system, and unit prices of the services a workload can land on (Lambda, Fargate, EBS,
 * NAT gateway, data transfer). Embedded (built from public sources, see src/catalog/data/PROVENANCE.md)
 * and optionally refreshed from the AWS Price List and EC2 APIs into the workspace.
 *
 * Every price says where it came from (`sourceId`, `date`) and how it was obtained (`basis`):
 * read from a source, derived from read values by a named rule, or assumed (an explicit setting).
 * A price that no source gives is absent (`undefined`), never 0.
 */

export const CATALOG_SCHEMA_VERSION = 'migrate-plan.catalog/1'
/** The workspace document written by `catalog refresh` (document kind `catalog`). */
export const CATALOG_REFRESH_SCHEMA_VERSION = 'migrate-plan.catalog-refresh/1'

/** Operating systems (with their licence) that EC2 prices differently. */
export type PriceOs = 'linux' | 'windows' | 'rhel' | 'suse'
export const PRICE_OSES: readonly PriceOs[] = ['linux', 'windows', 'rhel', 'suse']

/** How a price was obtained. */
export type PriceBasis =
  /** Copied from a source exactly as written. */
  | 'read'
  /** Computed from read values by a documented rule (`rule`). */
  | 'derived'
  /** Not from any source: an assumption the user made in settings, or an explicitly opted-in fallback. */
  | 'assumed'

export interface Price {
  /** USD per `unit`. */
  readonly usd: number
  /** Id of a {@link CatalogSource}. */
  readonly sourceId: string
  /** The data's own date (YYYY-MM-DD) as the source states it. */
  readonly date: string
  readonly basis: PriceBasis
  /** For derived and assumed prices: the id of the rule or setting, see {@link Catalog.rules}. */
  readonly rule?: string
}

export interface CatalogSource {
  readonly id: string
  readonly title: string
  /** Where it can be checked: a repository and commit, a web page, or the API. */
  readonly url: string
  /** Data date (YYYY-MM-DD). */
  readonly date: string
  readonly kind: 'price-list' | 'secondary-web' | 'aws-api' | 'setting'
  readonly notes?: string
}

/** A rule that derives a price from read ones, or an assumption, documented once. */
export interface CatalogRule {
  readonly id: string
  readonly description: string
}

export type CpuArchitecture = 'x86_64' | 'arm64'

export interface InstanceTypeSpec {
  /** e.g. `m5.large`. */
  readonly name: string
  /** Family part of the name, e.g. `m5`, `m7i-flex`. */
  readonly family: string
  readonly vcpus: number
  readonly memoryMib: number
  /** Undefined when no source states it. */
  readonly arch?: CpuArchitecture
  /** Apple hardware (mac1, mac2 …), which only runs on dedicated hosts. */
  readonly mac?: boolean
  readonly currentGeneration?: boolean
  /** Burstable CPU credits (t2, t3, t3a, t4g …). */
  readonly burstable: boolean
  /** GPUs; undefined when the source does not say. */
  readonly gpus?: number
  /** Local instance storage as the source writes it, e.g. `2 x 300 NVMe SSD`, or `EBS only`. */
  readonly instanceStorage?: string
  /** Total local instance storage, GB (as AWS writes it). */
  readonly instanceStorageGb?: number
  /** AWS marketing figure, e.g. `Up to 10 Gigabit`. */
  readonly networkPerformance?: string
  /** Baseline network bandwidth, Mbit/s. */
  readonly baselineBandwidthMbps?: number
  /** Dedicated EBS bandwidth, Mbit/s (the "up to" figure for burstable EBS). */
  readonly ebsBandwidthMbps?: number
  readonly ebsBandwidthBurst?: boolean
  readonly processor?: string
  /** Sources the specification was read from, in order of precedence. */
  readonly specSources: readonly string[]
}

export type ReservedTerm = '1yr' | '3yr'

export interface ReservedPrice extends Price {
  readonly term: ReservedTerm
  readonly offeringClass: 'standard' | 'convertible'
  readonly purchaseOption: 'No Upfront' | 'Partial Upfront' | 'All Upfront'
  /** Upfront fee, USD (0 for No Upfront). `usd` is the effective hourly rate: upfront / hours in the term + hourly. */
  readonly upfrontUsd?: number
  /** The recurring hourly part. */
  readonly hourlyUsd?: number
}

/** A price that changes with the quantity used in a month (first N units at one price, …). */
export interface PriceTier {
  /** Upper bound of the tier in units per month; undefined for the last, open-ended tier. */
  readonly upTo?: number
  readonly price: Price
  /** The tier as the source words it. */
  readonly label: string
}

export interface LambdaPrices {
  /** Per request. */
  readonly request: Readonly<Record<CpuArchitecture, Price>>
  /** Per GB-second of duration, tiered by monthly volume per architecture. */
  readonly duration: Readonly<Record<CpuArchitecture, readonly PriceTier[]>>
  /** True when the last tier of an architecture is missing from the sources (usage beyond it is unpriced). */
  readonly durationTiersIncomplete: Readonly<Record<CpuArchitecture, boolean>>
  readonly freeTier?: {readonly requests: number; readonly gbSeconds: number; readonly sourceId: string}
}

export interface FargatePrices {
  /** Per vCPU-hour and per GB-hour. */
  readonly linuxX86?: {readonly vcpuHour: Price; readonly gbHour: Price}
  readonly linuxArm?: {readonly vcpuHour: Price; readonly gbHour: Price}
  readonly windowsX86?: {readonly vcpuHour: Price; readonly gbHour: Price; readonly licenceVcpuHour: Price}
}

export type EbsVolumeType = 'gp3' | 'gp2' | 'io1' | 'io2' | 'st1' | 'sc1' | 'standard'

export interface EbsPrices {
  /** Per GiB-month of provisioned storage. */
  readonly storageGibMonth: Partial<Record<EbsVolumeType, Price>>
  /** gp3: per provisioned IOPS-month above the 3,000 included. */
  readonly gp3IopsMonth?: Price
  /** gp3: per provisioned MiB/s-month above the 125 included. */
  readonly gp3ThroughputMibpsMonth?: Price
}

export interface RegionServicePrices {
  readonly lambda?: LambdaPrices
  readonly fargate?: FargatePrices
  readonly ebs?: EbsPrices
  readonly natGateway?: {readonly hour: Price; readonly gbProcessed: Price}
  /** Data transfer out to the internet, first tier only where that is all the sources give. */
  readonly dataTransferOutGb?: PriceTier[]
  readonly publicIpv4Hour?: Price
  readonly rdsGp3StorageGibMonth?: Price
}

/** One region's EC2 prices. Keys are instance type names. */
export interface RegionEc2Prices {
  readonly onDemand: Readonly<Partial<Record<PriceOs, ReadonlyMap<string, Price>>>>
  /** Reserved rates, Linux only unless refreshed. */
  readonly reserved: Readonly<Partial<Record<PriceOs, ReadonlyMap<string, readonly ReservedPrice[]>>>>
}

/** The effective catalog: embedded data with any workspace refresh applied. */
export interface Catalog {
  readonly schemaVersion: typeof CATALOG_SCHEMA_VERSION
  /** Content id: `embedded-<date>-<hash>` or `refreshed-<hash>`; recorded in every Assessment. */
  readonly version: string
  readonly origin: 'embedded' | 'embedded+refreshed'
  readonly sources: readonly CatalogSource[]
  readonly rules: readonly CatalogRule[]
  /** Regions with EC2 prices. */
  readonly regions: readonly string[]
  /** Regions whose EC2 data came from `catalog refresh`. */
  readonly refreshedRegions: readonly string[]
  readonly instanceTypes: ReadonlyMap<string, InstanceTypeSpec>
  readonly ec2: ReadonlyMap<string, RegionEc2Prices>
  readonly services: ReadonlyMap<string, RegionServicePrices>
  /** Known holes, in words, for `catalog show` and reports. */
  readonly gaps: readonly string[]
}

// ---------------------------------------------------------------------------------------------
// The refresh document (workspace document kind `catalog`), written by `catalog refresh`.

export interface RefreshedPrice {
  readonly usd: number
  readonly sku: string
  readonly effectiveDate?: string
}

export interface RefreshedReserved extends RefreshedPrice {
  readonly term: ReservedTerm
  readonly offeringClass: 'standard' | 'convertible'
  readonly purchaseOption: 'No Upfront' | 'Partial Upfront' | 'All Upfront'
  readonly upfrontUsd: number
  readonly hourlyUsd: number
}

export interface RefreshedRegion {
  readonly region: string
  /** When the refresh ran (ISO-8601). Provenance only; not part of the catalog version. */
  readonly fetchedAt: string
  /** Latest `publicationDate` of the price list entries read (YYYY-MM-DD): the data's own date. */
  readonly publicationDate: string
  readonly instanceTypes: readonly InstanceTypeSpec[]
  readonly onDemand: Readonly<Partial<Record<PriceOs, Readonly<Record<string, RefreshedPrice>>>>>
  readonly reserved: Readonly<Partial<Record<PriceOs, Readonly<Record<string, readonly RefreshedReserved[]>>>>>
  readonly ebsStorageGibMonth: Readonly<Partial<Record<EbsVolumeType, RefreshedPrice>>>
  /** Counts of what the APIs returned, for `catalog show`. */
  readonly counts: {readonly products: number; readonly pages: number; readonly instanceTypes: number}
}

export interface CatalogRefreshDocument {
  readonly schemaVersion: typeof CATALOG_REFRESH_SCHEMA_VERSION
  /** Keyed by region, sorted. */
  readonly regions: Readonly<Record<string, RefreshedRegion>>
}
