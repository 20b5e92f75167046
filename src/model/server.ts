/**
 * Servers as the workspace knows them.
 *
 * Units are normalised once, at the edge (the importers and collectors):
 * memory in MiB, storage in GiB, utilisation in percent (0–100), disk throughput in MiB/s,
 * network throughput in Mbit/s. Unknown is `undefined`, never 0.
 */

/** How much a value can be trusted, in increasing order of precedence. */
export type FactKind =
  /** Typed by a person or copied from a CMDB/config: allocation, labels, guesses. */
  | 'declared'
  /** Measured by another tool and handed to us in a file (ADS template, Migration Evaluator, Azure Migrate). */
  | 'reported'
  /** Measured by migrate-plan itself (agent or SSH discovery). */
  | 'measured'

export const FACT_KIND_RANK: Readonly<Record<FactKind, number>> = {declared: 1, reported: 2, measured: 3}

export type OsFamily = 'windows' | 'linux' | 'unix' | 'other'
export type Architecture = 'x86_64' | 'arm64' | 'i386' | 'other'
export type PowerState = 'on' | 'off' | 'suspended'

/** Summary of one utilisation metric over a sampling window. */
export interface MetricSummary {
  readonly avg?: number
  readonly p50?: number
  readonly p95?: number
  readonly p99?: number
  readonly max?: number
  /** Number of samples the summary is computed from, when known. */
  readonly samples?: number
  /** ISO-8601 start and end of the window, when known. */
  readonly windowStart?: string
  readonly windowEnd?: string
}

export interface Disk {
  readonly name: string
  readonly sizeGib?: number
  readonly usedGib?: number
  /** Measured or reported IOPS/throughput for this disk, when the source gives them per disk. */
  readonly readIops?: number
  readonly writeIops?: number
  readonly readMiBps?: number
  readonly writeMiBps?: number
  readonly thin?: boolean
}

export interface Filesystem {
  readonly mount: string
  readonly fsType?: string
  readonly sizeGib?: number
  readonly usedGib?: number
}

export interface Nic {
  readonly name?: string
  readonly mac?: string
  readonly ips: readonly string[]
  readonly network?: string
  readonly speedMbps?: number
}

export interface Listener {
  readonly protocol: 'tcp' | 'udp'
  readonly ip: string
  readonly port: number
  readonly process?: string
}

export interface ProcessInfo {
  readonly name: string
  readonly pid?: number
  readonly user?: string
  readonly cpuPct?: number
  readonly memoryMib?: number
  /** Command line with secrets already redacted by the collector. */
  readonly command?: string
}

export type SoftwareCategory =
  | 'database'
  | 'web-server'
  | 'app-server'
  | 'runtime'
  | 'message-broker'
  | 'cache'
  | 'file-service'
  | 'scheduler'
  | 'directory'
  | 'infrastructure'
  | 'big-data'
  | 'commercial'
  | 'other'

export interface DetectedSoftware {
  /** Canonical id, kebab-case, e.g. `postgresql`, `sql-server`, `rabbitmq`. */
  readonly name: string
  readonly category: SoftwareCategory
  readonly version?: string
  readonly edition?: string
  /** Why we believe it runs here: `process postgres`, `listens on tcp/5432`, `declared in column "SQL Edition"`. */
  readonly evidence: readonly string[]
}

/**
 * Everything one source can say about a server. Each top-level key is a unit of provenance:
 * the merged server records, for each key, which source gave the value it shows.
 */
export interface ServerFacts {
  // identity
  readonly hostname?: string
  readonly fqdn?: string
  /** SMBIOS / BIOS UUID (for a VMware VM: `VM UUID`, config.uuid), lower case. */
  readonly biosUuid?: string
  /** vCenter managed object reference, e.g. `vm-1234`, with the vCenter it belongs to. */
  readonly vmMoref?: string
  readonly vcenter?: string
  /** The VM's name in the hypervisor, when it differs from the host name. */
  readonly vmName?: string
  /** An identifier from the source's own system (CMDB id, ADS ExternalId). */
  readonly externalId?: string
  readonly ips?: readonly string[]
  readonly macs?: readonly string[]

  // platform
  readonly osName?: string
  readonly osVersion?: string
  readonly osFamily?: OsFamily
  readonly architecture?: Architecture
  readonly isVirtual?: boolean
  readonly hypervisor?: string
  readonly datacenter?: string
  readonly cluster?: string
  readonly hostSystem?: string
  readonly folder?: string
  readonly resourcePool?: string
  readonly powerState?: PowerState
  readonly firmware?: string

  // capacity (allocation)
  /** Logical processors the OS sees (vCPUs for a VM). */
  readonly vcpus?: number
  readonly cpuSockets?: number
  /** Physical cores (cores per socket × sockets). */
  readonly cpuCores?: number
  readonly cpuModel?: string
  readonly cpuMhz?: number
  readonly memoryMib?: number
  readonly storageProvisionedGib?: number
  readonly storageUsedGib?: number
  readonly disks?: readonly Disk[]
  readonly filesystems?: readonly Filesystem[]
  readonly nics?: readonly Nic[]

  // utilisation (one key each so that a better source wins per metric)
  readonly cpuUtilisation?: MetricSummary
  readonly memoryUtilisation?: MetricSummary
  /** Total disk read + write operations per second. */
  readonly diskIops?: MetricSummary
  /** Total disk read + write throughput, MiB/s. */
  readonly diskThroughput?: MetricSummary
  /** Total network in + out, Mbit/s. */
  readonly networkThroughput?: MetricSummary

  // workload
  readonly listeners?: readonly Listener[]
  readonly processes?: readonly ProcessInfo[]
  readonly software?: readonly DetectedSoftware[]

  // business context
  readonly environment?: string
  readonly applications?: readonly string[]
  readonly tags?: Readonly<Record<string, string>>
  readonly owner?: string
  readonly businessUnit?: string
  readonly criticality?: string
  readonly description?: string
  /** Annual on-premises cost of this server in USD, when the source states it. */
  readonly annualCostUsd?: number
}

export type FactKey = keyof ServerFacts

/** Where one merged value came from. */
export interface Provenance {
  readonly sourceId: number
  readonly format: string
  readonly file: string
  /** Sheet and row inside the file, e.g. `vInfo!12`. */
  readonly ref?: string
  readonly kind: FactKind
  /** The data's own date (agent collection time, export date), when the source states it. */
  readonly observedAt?: string
}

/** A server after identity merge: the best value of every fact and where each came from. */
export interface Server extends ServerFacts {
  /** Stable id derived from the first identity key seen, e.g. `srv-3f9a1c02de`. */
  readonly id: string
  /** Display name: host name, else VM name, else FQDN, else external id. */
  readonly name: string
  /** Ids of the sources that contributed, ascending. */
  readonly sourceIds: readonly number[]
  readonly provenance: Readonly<Partial<Record<FactKey, readonly Provenance[]>>>
  /** Servers with a powered-off VM, templates excluded, are flagged so that nobody sizes a dead VM blind. */
  readonly flags: readonly ServerFlag[]
}

/**
 * A server without its per-field provenance: what assessment, planning, the generators and the
 * report read. Provenance is most of a server's memory (about 320 of 470 MiB at 100,000 servers),
 * and only the inventory views need it.
 */
export type BareServer = Omit<Server, 'provenance'>

export type ServerFlag = 'powered-off' | 'suspended' | 'no-utilisation' | 'no-os' | 'no-capacity'
