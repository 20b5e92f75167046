/**
 * The Assessment document: the rules engine's verdict per server (strategy, target, sizing, cost,
 * evidence). Versioned; stored in the workspace (document kind `assessment`). Written by
 * `assess()` (src/assess/assess.ts), read by wave planning, generators, reports and exports.
 *
 * Conventions: costs are unrounded USD per month (730 hours); unknown is absent, never 0; every
 * price names its source and date; every recommendation lists the rules that fired with the facts
 * they used.
 */
import type {CpuArchitecture, PriceBasis, PriceOs} from './catalog.js'

export const ASSESSMENT_SCHEMA_VERSION = 'migrate-plan.assessment/1'

/** The 7 Rs of AWS migration strategies. */
export type Strategy = 'retire' | 'retain' | 'relocate' | 'rehost' | 'repurchase' | 'replatform' | 'refactor'
export const STRATEGIES: readonly Strategy[] = ['retire', 'retain', 'relocate', 'rehost', 'repurchase', 'replatform', 'refactor']

/** Where a workload lands on AWS. */
export type TargetService =
  | 'ec2'
  | 'lambda'
  | 'fargate'
  | 'rds'
  | 'aurora'
  | 'amazon-mq'
  | 'msk'
  | 'elasticache'
  | 'efs'
  | 'fsx-windows'
  | 'fsx-lustre'
  | 'emr'
  | 'transfer-family'
  | 'saas'
  | 'vmware-cloud-on-aws'
  | 'none'
export const TARGET_SERVICES: readonly TargetService[] = [
  'ec2',
  'lambda',
  'fargate',
  'rds',
  'aurora',
  'amazon-mq',
  'msk',
  'elasticache',
  'efs',
  'fsx-windows',
  'fsx-lustre',
  'emr',
  'transfer-family',
  'saas',
  'vmware-cloud-on-aws',
  'none',
]

export type Severity = 'info' | 'low' | 'medium' | 'high'

/**
 * A price as used in a cost line, per the line's unit. Compact on purpose (a 100,000-server
 * document repeats it often): the source's date is in {@link Assessment.catalog}.sources, and the
 * basis is given only when the price was not read as written (derived or assumed).
 */
export interface PriceRef {
  readonly usd: number
  readonly sourceId: string
  /** Absent for `read`. */
  readonly basis?: Exclude<PriceBasis, 'read'>
  readonly rule?: string
}

export interface CostLine {
  /** What is charged, e.g. `m5.large windows`, `gp3 storage 120 GiB`, `requests`. */
  readonly item: string
  readonly quantity: number
  /** `hour`, `GiB-month`, `IOPS-month`, `MiB/s-month`, `request`, `GB-second` … */
  readonly unit: string
  readonly price?: PriceRef
  /** quantity × price; undefined when unpriced. */
  readonly monthlyUsd?: number
  /** Why it is unpriced, or anything the reader must know about it. */
  readonly note?: string
}

export type PricingModel = 'on-demand' | 'reserved-1yr' | 'reserved-3yr' | 'savings-plan-1yr' | 'savings-plan-3yr'
export const PRICING_MODELS: readonly PricingModel[] = ['on-demand', 'reserved-1yr', 'reserved-3yr', 'savings-plan-1yr', 'savings-plan-3yr']

export interface ModelCost {
  readonly model: PricingModel
  /**
   * Compute (and licence) lines plus the priced storage lines of {@link Ec2Costs.storage}; undefined
   * when the compute itself is not priced under this model.
   */
  readonly monthlyUsd?: number
  /** True when every line, storage included, is priced (absent when the model is unavailable). */
  readonly complete?: boolean
  /** Compute and licence lines under this model (storage is the same under every model: see `storage`). Absent when unavailable. */
  readonly lines?: readonly CostLine[]
  /** Why this model has no figure, e.g. `no standard reserved rate for this type and OS in the catalog (not available offline)`. */
  readonly unavailable?: string
  /** The reserved offering used, e.g. `standard All Upfront`. */
  readonly offering?: string
}

export interface Ec2Costs {
  readonly region: string
  readonly instanceType: string
  /** OS price list the compute is priced from. */
  readonly priceOs: PriceOs
  /** Why that price list: OS, licence model, assumption. */
  readonly priceOsReason: string
  /** The pricing models with a figure; the others are listed in `unavailable` (reasons in Assessment.catalog.unavailable). */
  readonly models: readonly ModelCost[]
  readonly unavailable: readonly PricingModel[]
  /** EBS lines, included in every model's monthly figure where priced. */
  readonly storage: readonly CostLine[]
  /** Licence-included vs bring-your-own comparison for Windows and SQL Server. */
  readonly licences: readonly LicenceOption[]
}

export interface LicenceOption {
  readonly product: 'windows-server' | 'sql-server'
  readonly model: 'included' | 'byol'
  /** True for the model the settings chose (the one in `models`). */
  readonly chosen: boolean
  /** On-demand compute per month under this licence model; undefined when not priced. */
  readonly monthlyUsd?: number
  readonly note: string
}

export interface Candidate {
  readonly instanceType: string
  readonly vcpus: number
  readonly memoryMib: number
  readonly arch?: CpuArchitecture
  readonly burstable: boolean
  /** On-demand hourly price used to rank (for the server's OS price list). */
  readonly hourlyUsd: number
  readonly monthlyUsd: number
}

export type SizingBasis = 'performance' | 'partial' | 'as-is' | 'unknown'

export interface DimensionSizing {
  readonly allocated?: number
  /** Utilisation statistic used, e.g. `p95`, when performance-based. */
  readonly statistic?: string
  /** Its value, percent. */
  readonly utilisationPct?: number
  /** What the target must provide (vCPUs, or MiB). */
  readonly required?: number
  readonly basis: 'performance' | 'as-is' | 'unknown'
  /** e.g. `p95 31% × 2 vCPU × comfort 1.3 = 0.81 vCPU → floor 1`, or `p95 unknown, used max`. */
  readonly explanation: string
}

export interface Sizing {
  readonly basis: SizingBasis
  readonly cpu: DimensionSizing
  readonly memory: DimensionSizing
  /** The chosen type, when one fits. */
  readonly chosen?: Candidate
  /** The next two cheapest fitting types. */
  readonly alternatives: readonly Candidate[]
  readonly architecture: {readonly allowed: readonly CpuArchitecture[]; readonly reason: string}
  readonly burstable: {readonly considered: boolean; readonly reason: string}
  /** Why no type was chosen, when none was. */
  readonly unsized?: string
  /** A caveat on the sizing, e.g. `memory unknown: sized on vCPU with the memory floor`. */
  readonly note?: string
}

export interface StorageSizing {
  readonly volumeType: 'gp3'
  readonly sizeGib?: number
  readonly iops: number
  readonly throughputMibps: number
  readonly basis: 'used' | 'provisioned' | 'unknown'
  readonly explanation: readonly string[]
}

export interface LambdaEstimate {
  readonly architecture: CpuArchitecture
  readonly requestsPerMonth?: number
  readonly durationMs: number
  readonly memoryMb: number
  /** Where each input came from: `usage file`, `agent: 3,200 inbound connections on tcp/443 over 14.0 days`, `default`. */
  readonly inputs: {readonly requests: string; readonly duration: string; readonly memory: string}
  readonly gbSeconds?: number
  readonly lines: readonly CostLine[]
  readonly monthlyUsd?: number
  /** Requests per month at which Lambda costs as much as the EC2 on-demand figure it is compared with. */
  readonly breakEvenRequestsPerMonth?: number
  /** The EC2 monthly figure used for the break-even (on-demand, right-sized). */
  readonly comparedWithEc2MonthlyUsd?: number
  readonly note?: string
}

export interface FargateEstimate {
  readonly vcpu: number
  readonly memoryGb: number
  readonly platform: 'linux-x86_64' | 'linux-arm64' | 'windows-x86_64'
  readonly lines: readonly CostLine[]
  readonly monthlyUsd?: number
  readonly note?: string
}

export interface FitScore {
  /** 0 (does not fit) … 1 (fits well). */
  readonly score: number
  readonly blocked: boolean
  /** One entry per rule that moved the score, e.g. `+0.4 lambda-request-driven`, `block lambda-stateful` (messages in `rules`). */
  readonly reasons: readonly string[]
}

export interface ComputeComparison {
  readonly ec2: FitScore & {readonly monthlyUsd?: number}
  /** When a fit rule blocks Lambda the estimate keeps its inputs but is not priced (`note` says so). */
  readonly lambda: FitScore & {readonly estimate: LambdaEstimate}
  /** Absent when a fit rule blocks Fargate, or the size or OS is unknown. */
  readonly fargate: FitScore & {readonly estimate?: FargateEstimate}
}

export interface Finding {
  readonly id: string
  readonly severity: Severity
  readonly message: string
  /** The rule that raised it (rules engine) or `assess` for findings raised by the sizing/costing code. */
  readonly rule: string
}

export interface FiredRule {
  readonly id: string
  readonly stage: 'fit' | 'strategy' | 'finding'
  /** True for the strategy rule whose verdict was taken. */
  readonly decided?: boolean
  readonly message: string
  /** The facts the rule's conditions read, with their values (unknown facts are absent; omitted when none). */
  readonly facts?: Readonly<Record<string, unknown>>
}

export interface Tco {
  /** On-premises cost over 3 years, USD. */
  readonly onPremises3yrUsd: number
  readonly onPremisesBasis: string
  /** AWS cost over 3 years per pricing model (36 × monthly); absent where not priced. */
  readonly aws3yrUsd: Readonly<Partial<Record<PricingModel, number>>>
}

export interface ServerAssessment {
  readonly serverId: string
  readonly name: string
  readonly strategy: Strategy
  readonly target: {
    readonly service: TargetService
    /** EC2 instance type (or RDS/ElastiCache node type) when the target has one. */
    readonly instanceType?: string
    /** Engine or flavour, e.g. `aurora-postgresql`, `rabbitmq`, `redis`. */
    readonly detail?: string
    /** Migration path, e.g. `mgn` (Application Migration Service), `dms`, `datasync`. */
    readonly via?: string
  }
  /** The deciding rule's message. */
  readonly rationale: string
  readonly sizing: Sizing
  readonly storage: StorageSizing
  /** EC2 (rehost) costs of the right-sized type; absent when no type could be chosen. */
  readonly ec2?: Ec2Costs
  /** Monthly cost of the chosen target per pricing model; absent where not priced. */
  readonly targetMonthlyUsd: Readonly<Partial<Record<PricingModel, number>>>
  /** Why the target has no price, when it has none. */
  readonly targetUnpriced?: string
  readonly compute: ComputeComparison
  readonly tco?: Tco
  readonly findings: readonly Finding[]
  readonly rules: readonly FiredRule[]
}

export interface ModelTotal {
  readonly model: PricingModel
  /** Sum over servers whose target is priced under this model. */
  readonly monthlyUsd: number
  readonly pricedServers: number
  /** Servers moving to AWS whose target has no price under this model. */
  readonly unpricedServers: number
  /** Priced servers with an unpriced part (usually EBS storage). */
  readonly incompleteServers: number
}

export interface AssessmentSummary {
  readonly servers: number
  readonly byStrategy: Readonly<Partial<Record<Strategy, number>>>
  readonly byTarget: Readonly<Partial<Record<TargetService, number>>>
  /** Servers per strategy → target, e.g. `replatform → rds`. */
  readonly byStrategyTarget: readonly {readonly strategy: Strategy; readonly target: TargetService; readonly servers: number}[]
  readonly monthly: readonly ModelTotal[]
  /** Targets without prices in the catalog, with their server counts. */
  readonly unpricedTargets: Readonly<Partial<Record<TargetService, number>>>
  readonly findings: Readonly<Partial<Record<Severity, number>>>
  readonly tco?: {
    readonly onPremises3yrUsd: number
    /** Servers whose on-premises cost is known. */
    readonly servers: number
    readonly aws3yrUsd: Readonly<Partial<Record<PricingModel, number>>>
    readonly savings3yrUsd: Readonly<Partial<Record<PricingModel, number>>>
  }
}

export interface Assessment {
  readonly schemaVersion: typeof ASSESSMENT_SCHEMA_VERSION
  /** Reference date for end-of-support findings (YYYY-MM-DD). */
  readonly asOf: string
  readonly region: string
  readonly catalog: {
    readonly version: string
    readonly origin: string
    /** Sources the assessment's prices came from: id → the data's date. */
    readonly sources: Readonly<Record<string, string>>
    /** Why a pricing model has no figure for some servers: model → reason (always written by assess). */
    readonly unavailable?: Readonly<Partial<Record<PricingModel, string>>>
  }
  /** Rule set used: built-in version plus the user's file, and every active rule id. */
  readonly rules: {readonly version: string; readonly userFile?: string; readonly active: readonly string[]}
  /** The assess settings in effect (defaults filled in). */
  readonly settings: Readonly<Record<string, unknown>>
  readonly summary: AssessmentSummary
  /** Ordered by serverId. */
  readonly servers: readonly ServerAssessment[]
  readonly diagnostics: readonly {readonly code: string; readonly message: string}[]
}
