/**
 * `migrate-plan.yaml`: the workspace settings, reviewed in git. Every key is optional and has a
 * documented default; an unknown key or a bad value is a ConfigError naming the setting.
 * Documented in docs/settings.md.
 */
import {z} from 'zod'

export const SETTINGS_SCHEMA_VERSION = 1

const region = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'an AWS region code such as eu-west-1')
const cidr = z.string().regex(/^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d|[12]\d|3[0-2])$/, 'an IPv4 CIDR such as 10.0.0.0/8')
const isoDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')

export const organisationSettingsSchema = z
  .object({
    /** Organisation name, used in account names and reports. */
    name: z.string().min(1).max(64).optional(),
    /** Domain for account root e-mail addresses, e.g. `acme.example` → `aws+log-archive@acme.example`. */
    emailDomain: z
      .string()
      .regex(/^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)+$/i, 'a DNS domain such as acme.example')
      .optional(),
    /** Home region of the landing zone. @default the assess region */
    homeRegion: region.optional(),
    /** Regions governed by Control Tower. @default [homeRegion] */
    governedRegions: z.array(region).min(1).optional(),
    /** On-premises address ranges that the AWS IP plan must not overlap. */
    onPremisesCidrs: z.array(cidr).optional(),
    /** Pool from which VPC CIDRs are allocated. @default 10.64.0.0/10 */
    awsCidrPool: cidr.optional(),
    /** Business units that get their own Prod/NonProd workload OUs. @default from the inventory */
    businessUnits: z.array(z.string().min(1).max(64)).optional(),
  })
  .strict()

export const assessSettingsSchema = z
  .object({
    /** Target AWS region for prices. @default us-east-1 */
    region: region.default('us-east-1'),
    /** Utilisation percentile used for right-sizing. @default p95 */
    percentile: z.enum(['avg', 'p50', 'p95', 'p99', 'max']).default('p95'),
    /** Head-room multiplier on the measured percentile. @default 1.3 */
    comfortFactor: z.number().min(1).max(5).default(1.3),
    /** Smallest vCPU count recommended. @default 1 */
    minVcpus: z.number().int().min(1).max(64).default(1),
    /** Smallest memory recommended, MiB. @default 1024 */
    minMemoryMib: z.number().int().min(256).max(65536).default(1024),
    /** Instance families allowed (prefixes such as `m`, `c`, `r`, `t`, or full families such as `m7i`). @default [m, c, r, t] */
    families: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/))
      .min(1)
      .default(['m', 'c', 'r', 't']),
    /** Consider Graviton (arm64) types where the OS and software allow it. @default false */
    allowGraviton: z.boolean().default(false),
    /** Consider burstable (t*) types when average use is low and peaks are short. @default true */
    allowBurstable: z.boolean().default(true),
    /** A server whose p95 CPU is under this percent, with almost no network, is a retire candidate. @default 5 */
    idleCpuPct: z.number().min(0).max(100).default(5),
    /** Licence model for Windows: licence included in the EC2 price, or bring your own. @default included */
    windowsLicense: z.enum(['included', 'byol']).default('included'),
    /** Licence model for SQL Server. @default included */
    sqlServerLicense: z.enum(['included', 'byol']).default('included'),
    /** Optional on-premises costs for a 3-year TCO comparison (USD per year). */
    onPremises: z
      .object({
        perServerYear: z.number().nonnegative().optional(),
        perCoreYear: z.number().nonnegative().optional(),
        perGibStorageYear: z.number().nonnegative().optional(),
      })
      .strict()
      .optional(),
    /** "Almost no network" for idle detection: p95 network throughput under this, Mbit/s. @default 1 */
    idleNetworkMbps: z.number().min(0).default(1),
    /** Burstable types only when average CPU is at most this percent … @default 20 */
    burstableMaxAvgCpuPct: z.number().min(0).max(100).default(20),
    /** … and the sizing percentile of CPU at most this percent (peaks are short). @default 40 */
    burstableMaxPeakCpuPct: z.number().min(0).max(100).default(40),
    /** Head-room multiplier on used storage when sizing gp3 volumes. @default 1.2 */
    storageComfortFactor: z.number().min(1).max(5).default(1.2),
    /** Recommend refactoring (Lambda, Fargate) where a workload fits. @default true */
    allowRefactor: z.boolean().default(true),
    /** Fit score (0–1) a workload needs before refactoring is recommended. @default 0.7 */
    refactorMinFit: z.number().min(0).max(1).default(0.7),
    /** Refactoring costs effort once: recommend it only when the monthly cost falls by at least this percent vs EC2. @default 20 */
    refactorMinSavingsPct: z.number().min(0).max(100).default(20),
    /** Recommend Fargate for containerisable services even when it costs more than EC2. @default false */
    preferContainers: z.boolean().default(false),
    /** Relocate VMware VMs to VMware Cloud on AWS instead of rehosting them. @default false */
    relocateVmware: z.boolean().default(false),
    /** Pin servers (by name or id) to a strategy; a pin beats every rule. @default {} */
    pins: z
      .record(z.string().min(1), z.enum(['retire', 'retain', 'relocate', 'rehost', 'repurchase', 'replatform', 'refactor']))
      .default({}),
    /** Reference date for end-of-support findings. @default the day assess runs (recorded in the Assessment) */
    asOf: isoDay.optional(),
    /** Subtract Lambda's monthly free tier (per account) from each Lambda estimate. @default false */
    lambdaFreeTier: z.boolean().default(false),
    /** Outside us-east-1, price Lambda and Fargate at the us-east-1 rates, marked assumed. @default false (missing) */
    assumeUsEast1ServicePrices: z.boolean().default(false),
    /** Prices the catalog lacks, supplied by the user; every use is marked `assumed`. @default none */
    assumedPrices: z
      .object({
        /** gp3 storage, USD per GiB-month. */
        ebsGp3GibMonth: z.number().positive().optional(),
        /** gp3 IOPS above 3,000, USD per IOPS-month. */
        ebsGp3IopsMonth: z.number().positive().optional(),
        /** gp3 throughput above 125 MiB/s, USD per MiB/s-month. */
        ebsGp3MibpsMonth: z.number().positive().optional(),
      })
      .strict()
      .default({}),
  })
  .strict()

export const wavesSettingsSchema = z
  .object({
    /** Most servers in one wave. @default 25 */
    maxServersPerWave: z.number().int().min(1).max(10000).default(25),
    /** First wave's start date. Without it waves carry relative dates (day offsets), never today's date, so outputs stay reproducible. */
    startDate: isoDay.optional(),
    /** Days between wave starts. @default 14 */
    cadenceDays: z.number().int().min(1).max(365).default(14),
    /** Days on which no wave may start or cut over (YYYY-MM-DD, or ranges YYYY-MM-DD..YYYY-MM-DD). */
    blackoutDates: z.array(z.string().regex(/^\d{4}-\d{2}-\d{2}(\.\.\d{4}-\d{2}-\d{2})?$/)).default([]),
    /** A small low-risk pilot wave first. */
    pilot: z
      .object({
        enabled: z.boolean().default(true),
        maxServers: z.number().int().min(1).max(100).default(5),
      })
      .strict()
      .default({enabled: true, maxServers: 5}),
    /** Environments in the order they move. @default [dev, test, staging, prod] */
    environmentOrder: z.array(z.string().min(1)).default(['dev', 'test', 'staging', 'prod']),
    /** Pin move groups (by application or group name) to a wave number. */
    pins: z.record(z.string(), z.number().int().min(1)).default({}),
    /** Groups that must move in the same wave. */
    moveTogether: z.array(z.array(z.string().min(1)).min(2)).default([]),
    /** A server with at least this many distinct client servers, spread over hubMinGroups move groups, is a shared hub. @default 20 */
    hubMinClients: z.number().int().min(2).max(1_000_000).default(20),
    /** Move groups (other than its own) a hub's clients must come from. @default 3 */
    hubMinGroups: z.number().int().min(1).max(10_000).default(3),
    /** Grouping resolution: higher splits more. Two groups merge only when their traffic share exceeds it × their strengths (docs/waves.md). @default 0.01 */
    groupingResolution: z.number().positive().max(100).default(0.01),
    /** Tag keys (case-insensitive) whose value names the application. @default [app, application, app-name, application-name, service, system, workload] */
    applicationTags: z
      .array(z.string().min(1))
      .default(['app', 'application', 'app-name', 'application-name', 'service', 'system', 'workload']),
    /** Use the VM folder as an application label when it looks like one (docs/waves.md). @default true */
    folderLabels: z.boolean().default(true),
  })
  .strict()

export const importSettingsSchema = z
  .object({
    /** Named column mappings for generic CSV imports: `{cmdb: {hostname: Name, memory_mib: RAM}}`. */
    maps: z.record(z.string(), z.record(z.string(), z.string())).default({}),
  })
  .strict()

export const landingZoneSettingsSchema = z
  .object({
    /** Local part before the `+` of every account e-mail: `aws` gives `aws+log-archive@acme.example`. @default aws */
    emailPrefix: z
      .string()
      .regex(/^[a-z0-9][a-z0-9._-]{0,31}$/i, 'letters, digits, dots, dashes or underscores')
      .default('aws'),
    /** Log Archive account id, once it exists (Control Tower manifest). @default a placeholder the generated script replaces */
    logArchiveAccountId: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account id')
      .optional(),
    /** Audit (security tooling) account id, once it exists. @default a placeholder the generated script replaces */
    auditAccountId: z
      .string()
      .regex(/^\d{12}$/, 'a 12-digit AWS account id')
      .optional(),
    /** KMS key for the Control Tower log buckets. @default none (S3-managed encryption) */
    kmsKeyArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/, 'a KMS key ARN')
      .optional(),
    /** Days Control Tower keeps logs in the logging bucket. @default 365 */
    logRetentionDays: z.number().int().min(1).max(36500).default(365),
    /** Days Control Tower keeps the logging bucket's access logs. @default 3650 */
    accessLogRetentionDays: z.number().int().min(1).max(36500).default(3650),
    /** Availability Zones per workload VPC (subnets per tier). @default 3 */
    availabilityZones: z.number().int().min(2).max(3).default(3),
    /** Spare capacity: each subnet holds this many times the servers planned for it. @default 4 */
    ipGrowthFactor: z.number().min(1).max(64).default(4),
    /** Smallest subnet (largest prefix length) the IP plan hands out. @default 24 */
    minSubnetPrefix: z.number().int().min(16).max(28).default(24),
  })
  .strict()

export const settingsSchema = z
  .object({
    schemaVersion: z.literal(SETTINGS_SCHEMA_VERSION).default(SETTINGS_SCHEMA_VERSION),
    organisation: organisationSettingsSchema.default({}),
    assess: assessSettingsSchema.default(assessSettingsSchema.parse({})),
    waves: wavesSettingsSchema.default(wavesSettingsSchema.parse({})),
    import: importSettingsSchema.default(importSettingsSchema.parse({})),
    landingZone: landingZoneSettingsSchema.default(landingZoneSettingsSchema.parse({})),
  })
  .strict()

export type Settings = z.infer<typeof settingsSchema>
export type OrganisationSettings = z.infer<typeof organisationSettingsSchema>
export type AssessSettings = z.infer<typeof assessSettingsSchema>
export type WavesSettings = z.infer<typeof wavesSettingsSchema>
export type LandingZoneSettings = z.infer<typeof landingZoneSettingsSchema>
