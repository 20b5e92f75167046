/**
 * Synthetic estates for benchmarks, property tests and the bundled example: servers grouped into
 * planted applications (web/app/db tiers …) plus planted shared services, and the connections
 * between them. Deterministic for a given seed. The ground truth (which application each server
 * belongs to) is kept so that grouping quality can be measured (adjusted Rand index).
 */
import type {MetricSummary, OsFamily} from '../model/server.js'
import type {OsId} from './catalog.js'

export type SynthTier = 'web' | 'app' | 'db' | 'cache' | 'broker' | 'file' | 'batch' | 'shared'

export interface SynthOptions {
  /** Number of servers (approximately: applications are whole). */
  readonly servers: number
  /** PRNG seed. @default 1 */
  readonly seed?: number
  /** Servers per application, inclusive range. @default [2, 12] */
  readonly appSize?: readonly [number, number]
  /** Shared-service servers (DNS, AD, NTP, monitoring, backup …). @default max(4, servers/500) */
  readonly sharedServices?: number
  /** Connection records to emit in total (rows of a connections CSV). @default servers × 20 */
  readonly connectionRecords?: number
  /** Share of connection records that are low-traffic noise between unrelated applications. @default 0.02 */
  readonly noise?: number
  /** Share of servers that are idle (retire candidates). @default 0.05 */
  readonly idleFraction?: number
  /** Share of Windows servers. @default 0.35 */
  readonly windowsFraction?: number
  /** Share of servers that are powered-off VMs. @default 0.03 */
  readonly poweredOffFraction?: number
  /** Share of connection records that go to or come from shared services. @default 0.25 */
  readonly sharedTraffic?: number
  /** DNS domain of every server's FQDN. @default corp.example */
  readonly domain?: string
  /** vCenter that manages the VMs (RVTools `VI SDK Server`, identity key with the MoRef). @default vcenter01.<domain> */
  readonly vcenter?: string
  /** End of the observation window (agent collection time, connections' last_seen). @default 2026-01-19T00:00:00Z */
  readonly windowEnd?: string
  /** Length of the observation window in days. @default 14 */
  readonly windowDays?: number
}

export interface SynthServer {
  readonly name: string
  readonly fqdn: string
  readonly ip: string
  readonly mac: string
  /** BIOS UUID (as vCenter shows it). */
  readonly uuid: string
  readonly moref: string
  readonly osFamily: OsFamily
  /** As RVTools' "OS according to the VMware Tools" would show it. */
  readonly osName: string
  readonly vcpus: number
  readonly memoryMib: number
  readonly disksGib: readonly number[]
  readonly usedGib: number
  readonly powerState: 'on' | 'off'
  /** Planted application, undefined for shared services. */
  readonly app?: string
  readonly tier: SynthTier
  /** Shared service name (dns, ad, ntp, monitoring, backup, smtp, patching) when tier is shared. */
  readonly service?: string
  /** Every shared service it provides, when more than `service` (a domain controller also serving DNS). */
  readonly services?: readonly string[]
  readonly environment: 'dev' | 'test' | 'staging' | 'prod'
  readonly idle: boolean
  /** Software that would be detected on it (canonical ids: nginx, tomcat, postgresql, sql-server …). */
  readonly software: readonly string[]
  /** Ports it listens on. */
  readonly listens: readonly {readonly protocol: 'tcp' | 'udp'; readonly port: number; readonly process: string}[]
  /** Utilisation over the window; every summary is empty (unknown) for a powered-off VM. */
  readonly utilisation: {
    readonly cpuPct: MetricSummary
    readonly memoryPct: MetricSummary
    /** Total read + write operations per second. */
    readonly diskIops?: MetricSummary
    /** Total read + write MiB/s. */
    readonly diskThroughputMiBps?: MetricSummary
    /** Total in + out Mbit/s. */
    readonly networkMbps?: MetricSummary
  }
  readonly folder: string
  readonly datacenter: string
  readonly cluster: string
  /** Key into OS_CATALOG (src/synth/catalog.ts): the names every source uses for this OS. */
  readonly osId?: OsId
  /** ESXi host the VM runs on. */
  readonly host?: string
  /** Partitions as the guest reports them (RVTools vPartition, agent filesystems). */
  readonly partitions?: readonly {readonly mount: string; readonly capacityGib: number; readonly usedGib: number; readonly fsType: string}[]
  /** vCenter custom attributes (RVTools shows one column each), e.g. Application, Owner. */
  readonly attributes?: Readonly<Record<string, string>>
  /** vCenter annotation (notes). */
  readonly annotation?: string
  /** A VM template rather than a server (RVTools Template = True); never part of an application. */
  readonly template?: boolean
  /** Date the VM was created, YYYY-MM-DD. */
  readonly created?: string
}

export interface SynthConnection {
  readonly sourceIp: string
  readonly sourcePort: number
  readonly destinationIp: string
  readonly destinationPort: number
  readonly protocol: 'tcp' | 'udp'
  readonly process: string
  readonly count: number
  /** ISO-8601 UTC, inside the observation window. */
  readonly firstSeen?: string
  readonly lastSeen?: string
}

export interface SynthEstate {
  readonly options: Required<SynthOptions>
  readonly servers: readonly SynthServer[]
  /** Connection records, generated lazily (millions must not sit in memory). Same sequence every call. */
  connections(): Iterable<SynthConnection>
  /** Ground truth: server name → planted application, or `shared:<service>`. */
  readonly truth: ReadonlyMap<string, string>
  /** VM templates: in RVTools exports only, never servers, never in `truth`. */
  readonly templates?: readonly SynthServer[]
}
