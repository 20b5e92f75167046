/**
 * The Plan document: dependency graph summary, shared services, move groups and dated migration
 * waves. Versioned by `schemaVersion`; stored in the workspace (document kind `plan`); written by
 * `migrate-plan waves`, read by generators, runbooks and reports. Documented in docs/waves.md.
 *
 * Everything is ordered (groups by name, servers by name then id, waves by number) so that the
 * same inputs give a byte-identical document. No field holds "today": without a start date,
 * waves carry day offsets only.
 */
import type {Strategy, TargetService} from './assessment.js'

export const PLAN_SCHEMA_VERSION = 'migrate-plan.plan/1'

/** `tcp/5432` */
export type PortLabel = string

/** Why something was decided, one human sentence each, in decision order. */
export type Reasons = readonly string[]

export interface PlanSettings {
  readonly maxServersPerWave: number
  readonly cadenceDays: number
  readonly startDate?: string
  readonly blackoutDates: readonly string[]
  readonly pilot: {readonly enabled: boolean; readonly maxServers: number}
  readonly environmentOrder: readonly string[]
  readonly pins: Readonly<Record<string, number>>
  readonly moveTogether: readonly (readonly string[])[]
  readonly hubMinClients: number
  readonly hubMinGroups: number
  readonly groupingResolution: number
}

/** How much of the observed traffic the graph could attribute to inventory servers. */
export interface GraphSummary {
  /** Connection records read (after aggregation by the workspace). */
  readonly records: number
  /** Observations (sum of counts) over all records. */
  readonly observations: number
  readonly serverNodes: number
  /** Endpoints that matched no server: public addresses vs private/on-premises ranges. */
  readonly externalNodes: {readonly internet: number; readonly internal: number}
  /** Edges (client, server node pairs), external endpoints included. */
  readonly edges: number
  /** Edges between two inventory servers. */
  readonly serverEdges: number
  /** Observations with at least one endpoint that is not an inventory server. */
  readonly unresolvedObservations: number
  /** unresolvedObservations / observations (0 when there is no traffic). */
  readonly unresolvedShare: number
  /** Records dropped because both ends were the same server or loopback. */
  readonly localRecords: number
  /** Records whose direction was turned round because only the source listens on the port. */
  readonly reversedRecords: number
  /** IP addresses claimed by more than one server (the first by id wins). */
  readonly ambiguousIps: readonly string[]
}

export type SharedServiceKind = 'dns' | 'directory' | 'ntp' | 'smtp' | 'monitoring' | 'backup' | 'patching' | 'logging' | 'hub'

export interface SharedServicePrerequisite {
  readonly serverId: string
  readonly name: string
  readonly kinds: readonly SharedServiceKind[]
  /** Ports its clients use (inbound) or it uses towards them (outbound pollers). */
  readonly ports: readonly PortLabel[]
  /** Distinct client servers (inbound) plus distinct polled servers (outbound). */
  readonly clients: number
  readonly evidence: Reasons
  /** First wave with a server that talks to it; undefined when no waved server does. */
  readonly neededByWave?: number
  /** What must be true before that wave. */
  readonly requirement: string
}

export type GroupEvidenceKind = 'label' | 'traffic' | 'name' | 'isolated' | 'move-together'

export interface GroupEvidence {
  readonly kind: GroupEvidenceKind
  readonly detail: string
}

export interface GroupLink {
  /** The other group's id. */
  readonly group: string
  /** `out`: this group's servers are clients of the other's; `in`: the reverse. */
  readonly direction: 'out' | 'in'
  readonly ports: readonly PortLabel[]
  readonly observations: number
  /** Server pairs behind the link. */
  readonly flows: number
}

export interface MoveGroup {
  /** Stable id from the member server ids, e.g. `grp-3f9a1c02`. */
  readonly id: string
  /** The application label, or a name derived from member names. Unique within the plan. */
  readonly name: string
  /** Server ids, ordered by server name then id. */
  readonly servers: readonly string[]
  /** Most production-like environment of its members; undefined when none is known. */
  readonly environment?: string
  readonly criticality?: string
  readonly evidence: readonly GroupEvidence[]
  /** Observations between members / observations touching members (0–1; undefined without traffic). */
  readonly cohesion?: number
  readonly links: readonly GroupLink[]
  /** Wave holding the group (the first one, when it is split). Set in the Plan, absent in `waves groups`. */
  readonly wave?: number
}

export interface RiskReason {
  readonly factor: string
  readonly points: number
  readonly detail: string
}

export interface WavePlacement {
  readonly group: string
  /** Servers of the group placed in this wave (all of them unless the group is split). */
  readonly servers: number
  readonly reasons: Reasons
}

export interface Wave {
  readonly number: number
  readonly name: string
  readonly pilot: boolean
  /** Days after the first wave's start. */
  readonly dayOffset: number
  /** YYYY-MM-DD, only when waves.startDate is set. */
  readonly start?: string
  /** Last day of the wave's window (start + cadence − 1), only with a start date. */
  readonly cutover?: string
  readonly servers: number
  readonly environments: readonly string[]
  readonly placements: readonly WavePlacement[]
  /** Shared services that must be in place (or reachable) before this wave starts. */
  readonly prerequisites: readonly string[]
  readonly risk: {readonly score: number; readonly reasons: readonly RiskReason[]}
  readonly dateReasons: Reasons
}

export interface PlannedServer {
  readonly id: string
  readonly name: string
  readonly wave: number
  readonly group: string
  readonly environment?: string
  readonly strategy: Strategy
  readonly target?: {readonly service: TargetService; readonly instanceType?: string}
}

/** Traffic that crosses a wave boundary: what hybrid connectivity must allow while waves are split. */
export interface CrossWaveDependency {
  readonly clientGroup: string
  readonly serverGroup: string
  readonly clientWave: number
  readonly serverWave: number
  /** true when the client moves before the server it depends on. */
  readonly dependentFirst: boolean
  readonly ports: readonly PortLabel[]
  readonly observations: number
  /** Server pairs, `client → server` by id, sorted. */
  readonly flows: readonly {readonly client: string; readonly server: string; readonly ports: readonly PortLabel[]}[]
}

export interface OnPremisesDependency {
  /** A waved server that keeps talking to a retained server or an unknown internal endpoint. */
  readonly server: string
  readonly wave: number
  /** `out`: the waved server is the client; `in`: the on-premises endpoint is. */
  readonly direction: 'out' | 'in'
  /** Server id of the retained server, or `ip:<address>` of an unknown internal endpoint. */
  readonly endpoint: string
  readonly ports: readonly PortLabel[]
  readonly observations: number
}

export interface PlanDiagnostic {
  readonly code: string
  readonly message: string
}

export interface Plan {
  readonly schemaVersion: typeof PLAN_SCHEMA_VERSION
  readonly settings: PlanSettings
  /** `assessment`: strategies and targets from the stored Assessment; `none`: every server is a rehost candidate. */
  readonly strategySource: 'assessment' | 'none'
  readonly graph: GraphSummary
  readonly sharedServices: readonly SharedServicePrerequisite[]
  readonly groups: readonly MoveGroup[]
  readonly waves: readonly Wave[]
  readonly servers: readonly PlannedServer[]
  readonly crossWaveDependencies: readonly CrossWaveDependency[]
  readonly onPremisesDependencies: readonly OnPremisesDependency[]
  /** Servers the assessment keeps on premises: not waved. */
  readonly retained: readonly {readonly id: string; readonly name: string}[]
  /** Servers the assessment retires: not waved. */
  readonly retired: readonly {readonly id: string; readonly name: string}[]
  readonly diagnostics: readonly PlanDiagnostic[]
}
