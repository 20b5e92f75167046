/**
 * The workload stack of one wave in one account: what the wave's servers become on AWS, from the
 * Assessment (strategy, target, right-sized type, storage) and the Plan (wave, move group), with
 * security groups derived from the observed flows.
 *
 * - rehost → EC2 launch template (right-sized Nitro type, encrypted gp3, IMDSv2 required, detailed
 *   monitoring); web tiers → Auto Scaling group behind an Application (HTTP) or Network Load Balancer
 * - replatform rds / aurora → RDS instance or Aurora cluster (encrypted, Multi-AZ in production,
 *   TLS required) plus a DMS replication instance, endpoints and a task per database
 * - elasticache, amazon-mq, efs, fsx-windows, fsx-lustre → the managed service
 * - refactor lambda → a Lambda function skeleton behind an HTTP API (IAM-authorised)
 *
 * Security groups: one per unit (a web tier, a server, a managed target); inbound rules only for
 * the ports seen between units. Sources in the same stack are security groups; servers that have
 * moved (or move in this wave) elsewhere are their VPC's CIDR; servers still on premises, retained
 * servers and unknown internal endpoints are the network stack's on-premises prefix list.
 */
import type {Assessment, Candidate, LambdaEstimate, ServerAssessment, StorageSizing} from '../../model/assessment.js'
import type {MoveGroup, Plan, PlannedServer, Wave} from '../../model/plan.js'
import type {BareServer, DetectedSoftware} from '../../model/server.js'
import type {Settings} from '../../model/settings.js'
import {plainText, resourceName, slug} from '../common/text.js'
import {environmentOf, type LandingZoneDesign} from '../landing-zone/design.js'
import {coveringRange} from '../landing-zone/ip-plan.js'
import type {Flow} from './flows.js'
import {kmsKey, logGroup, logRetention, serviceRole} from './parts.js'
import {
  ENGINES,
  HTTP_PORTS,
  auroraEngine,
  isWebServer,
  nitroType,
  prefixed,
  rdsEngine,
  siblingType,
  sourceEngine,
  type EngineInfo,
} from './targets.js'
import {ACCOUNT, Template, getAZs, getAtt, importValue, join, ref, select, sub, tags, type Props, type Value} from './template.js'

/**
 * What CloudFormation generation reads of a server, its assessment and the plan: the types say so,
 * and {@link cloudFormationView} copies no more. The whole documents fit too; the narrow copy is
 * what is handed to the thread that generates the stacks beside the other outputs (see pipeline).
 */
export type CloudFormationServer = Pick<
  BareServer,
  'id' | 'name' | 'businessUnit' | 'environment' | 'ips' | 'nics' | 'listeners' | 'osFamily' | 'fqdn'
> & {readonly software?: readonly Pick<DetectedSoftware, 'name' | 'category'>[]}

export type CloudFormationServerAssessment = Pick<ServerAssessment, 'serverId' | 'name' | 'strategy' | 'target'> & {
  readonly storage: Pick<StorageSizing, 'sizeGib' | 'iops' | 'throughputMibps'>
  readonly sizing: {
    readonly chosen?: Pick<Candidate, 'instanceType'>
    readonly alternatives: readonly Pick<Candidate, 'instanceType'>[]
  }
  readonly compute: {readonly lambda: {readonly estimate: Pick<LambdaEstimate, 'memoryMb' | 'durationMs'>}}
}

export interface CloudFormationAssessment {
  readonly region: string
  readonly servers: readonly CloudFormationServerAssessment[]
}

export interface CloudFormationPlan {
  readonly servers: readonly PlannedServer[]
  readonly waves: readonly Pick<Wave, 'number' | 'name' | 'start' | 'dayOffset'>[]
  readonly groups: readonly Pick<MoveGroup, 'id' | 'name'>[]
  readonly sharedServices: readonly Pick<Plan['sharedServices'][number], 'serverId'>[]
}

export interface WorkloadInput {
  readonly design: LandingZoneDesign
  readonly assessment: CloudFormationAssessment
  readonly plan: CloudFormationPlan
  readonly servers: readonly CloudFormationServer[]
  readonly flows: readonly Flow[]
  readonly settings: Settings
}

/** Copies `keys` of `from` that are defined (an optional field stays absent). */
function picked<T extends object, K extends keyof T>(from: T, keys: readonly K[]): Pick<T, K> {
  const out: Partial<Pick<T, K>> = {}
  for (const k of keys) if (from[k] !== undefined) out[k] = from[k]
  return out as Pick<T, K>
}

/**
 * The part of the servers, the Assessment and the Plan that CloudFormation generation reads, as new
 * objects, for handing to another thread. Equal small objects (targets, storage, sizing, the Lambda
 * estimate) are made once and shared: a structured clone copies a shared object once. Unshared,
 * the Assessment's part alone was 35 MB to send at 100,000 servers and 100 MB of the receiving
 * heap; shared, the whole view with the packed flows is 55 MB to send.
 * Generating from this view gives the same files as from the whole documents (tested).
 */
export function cloudFormationView(input: {
  readonly servers: readonly BareServer[]
  readonly assessment: Assessment
  readonly plan: Plan
}): {servers: CloudFormationServer[]; assessment: CloudFormationAssessment; plan: CloudFormationPlan} {
  const shared = new Map<string, object>()
  /** One object per distinct content, named by its kind and every field (see `part`). */
  const once = <T extends object>(key: string, make: () => T): T => {
    let seen = shared.get(key) as T | undefined
    if (!seen) shared.set(key, (seen = make()))
    return seen
  }
  /** A field in a key, unambiguous: strings quoted (any character), `undefined` bare, -0 apart from 0. */
  const part = (v: string | number | undefined): string => (typeof v === 'string' ? JSON.stringify(v) : Object.is(v, -0) ? '-0' : String(v))
  const servers = input.servers.map((s): CloudFormationServer => {
    const v = picked(s, ['id', 'name', 'businessUnit', 'environment', 'ips', 'nics', 'listeners', 'osFamily', 'fqdn'])
    if (!s.software) return v
    const software = s.software.map((x) => once(`w,${part(x.name)},${part(x.category)}`, () => picked(x, ['name', 'category'])))
    return {...v, software}
  })
  const assessment: CloudFormationAssessment = {
    region: input.assessment.region,
    servers: input.assessment.servers.map((a) => {
      const {target: t, storage: st, sizing: z} = a
      const e = a.compute.lambda.estimate
      const alternatives = z.alternatives.map((c) => part(c.instanceType)).join(',')
      return {
        serverId: a.serverId,
        name: a.name,
        strategy: a.strategy,
        target: once(`t,${part(t.service)},${part(t.instanceType)},${part(t.detail)},${part(t.via)}`, () =>
          picked(t, ['service', 'instanceType', 'detail', 'via']),
        ),
        storage: once(`s,${part(st.sizeGib)},${part(st.iops)},${part(st.throughputMibps)}`, () =>
          picked(st, ['sizeGib', 'iops', 'throughputMibps']),
        ),
        sizing: once(`z,${part(z.chosen?.instanceType)},${alternatives}`, () => ({
          ...(z.chosen ? {chosen: {instanceType: z.chosen.instanceType}} : {}),
          alternatives: z.alternatives.map((c) => ({instanceType: c.instanceType})),
        })),
        compute: once(`c,${part(e.memoryMb)},${part(e.durationMs)}`, () => ({
          lambda: {estimate: {memoryMb: e.memoryMb, durationMs: e.durationMs}},
        })),
      }
    }),
  }
  const {plan} = input
  return {
    servers,
    assessment,
    plan: {
      servers: plan.servers.map((p) => {
        const t = p.target
        if (!t) return p
        return {...p, target: once(`p,${part(t.service)},${part(t.instanceType)}`, () => picked(t, ['service', 'instanceType']))}
      }),
      waves: plan.waves.map((w) => picked(w, ['number', 'name', 'start', 'dayOffset'])),
      groups: plan.groups.map((g) => picked(g, ['id', 'name'])),
      sharedServices: plan.sharedServices.map((x) => picked(x, ['serverId'])),
    },
  }
}

/**
 * Lookups over the whole estate that every (wave, account) stack needs. Built once per input and
 * remembered (a 100,000-server plan has hundreds of stacks; rebuilding them per stack made
 * generation quadratic).
 */
interface WorkloadIndex {
  readonly byId: ReadonlyMap<string, CloudFormationServer>
  readonly assessedBy: ReadonlyMap<string, CloudFormationServerAssessment>
  readonly plannedBy: ReadonlyMap<string, PlannedServer>
  readonly groupName: ReadonlyMap<string, string>
  readonly sharedIds: ReadonlySet<string>
  /** Planned servers by `wave|account`, in plan order. */
  readonly membersOf: ReadonlyMap<string, readonly PlannedServer[]>
  /** Flows by server id, in input order. */
  readonly flowsTo: ReadonlyMap<string, readonly Flow[]>
}

const indexes = new WeakMap<WorkloadInput['plan'], {input: WorkloadInput; index: WorkloadIndex}>()

function workloadIndex(input: WorkloadInput): WorkloadIndex {
  const cached = indexes.get(input.plan)
  const same = cached?.input
  if (
    cached &&
    same!.design === input.design &&
    same!.assessment === input.assessment &&
    same!.servers === input.servers &&
    same!.flows === input.flows
  )
    return cached.index
  const membersOf = new Map<string, PlannedServer[]>()
  for (const p of input.plan.servers) {
    const key = `${p.wave}|${input.design.accountOf[p.id]}`
    const list = membersOf.get(key)
    if (list) list.push(p)
    else membersOf.set(key, [p])
  }
  const flowsTo = new Map<string, Flow[]>()
  for (const f of input.flows) {
    const list = flowsTo.get(f.server)
    if (list) list.push(f)
    else flowsTo.set(f.server, [f])
  }
  const index: WorkloadIndex = {
    byId: new Map(input.servers.map((s) => [s.id, s])),
    assessedBy: new Map(input.assessment.servers.map((a) => [a.serverId, a])),
    plannedBy: new Map(input.plan.servers.map((p) => [p.id, p])),
    groupName: new Map(input.plan.groups.map((g) => [g.id, g.name])),
    sharedIds: new Set(input.plan.sharedServices.map((s) => s.serverId)),
    membersOf,
    flowsTo,
  }
  indexes.set(input.plan, {input, index})
  return index
}

export type UnitKind = 'web' | 'ec2' | 'rds' | 'aurora' | 'elasticache' | 'amazon-mq' | 'efs' | 'fsx-windows' | 'fsx-lustre' | 'lambda'

export interface UnitSummary {
  readonly kind: UnitKind
  /** Logical id prefix of the unit's resources. */
  readonly id: string
  readonly servers: readonly string[]
  /** Logical id of its security group, when it has one. */
  readonly securityGroup?: string
  /** Instance type, node type or class used. */
  readonly size?: string
  /** Inbound rules, for the runbook: `tcp/15432 from sg ShopApp01` … */
  readonly ingress: readonly string[]
}

export interface DatabaseMigration {
  readonly serverId: string
  readonly name: string
  readonly source: string
  readonly target: string
  readonly taskId: string
  readonly sourceSecret: string
}

export interface WorkloadStack {
  readonly wave: number
  readonly account: string
  readonly file: string
  readonly template: Template
  readonly units: readonly UnitSummary[]
  readonly databases: readonly DatabaseMigration[]
  readonly diagnostics: readonly string[]
}

/** SG rule descriptions and group descriptions allow only this character set. */
export function sgText(s: string, max = 255): string {
  return plainText(s, max).replace(/[^a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]/g, '_')
}

const LINUX_IMAGE = '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64'
const WINDOWS_IMAGE = '/aws/service/ami-windows-latest/Windows_Server-2022-English-Full-Base'

/** Ports a managed target listens on, whatever the source server used. */
function managedPorts(
  kind: UnitKind,
  engine: EngineInfo | undefined,
  detail: string | undefined,
): {protocol: 'tcp'; port: number; to?: number}[] {
  switch (kind) {
    case 'rds':
    case 'aurora':
      return [{protocol: 'tcp', port: engine!.port}]
    case 'elasticache':
      return [{protocol: 'tcp', port: 6379}]
    case 'amazon-mq':
      return /active/i.test(detail ?? '')
        ? [
            {protocol: 'tcp', port: 61617},
            {protocol: 'tcp', port: 443},
          ]
        : [
            {protocol: 'tcp', port: 5671},
            {protocol: 'tcp', port: 443},
          ]
    case 'efs':
      return [{protocol: 'tcp', port: 2049}]
    case 'fsx-windows':
      return [
        {protocol: 'tcp', port: 445},
        {protocol: 'tcp', port: 5985},
      ]
    case 'fsx-lustre':
      return [
        {protocol: 'tcp', port: 988},
        {protocol: 'tcp', port: 1018, to: 1023},
      ]
    default:
      return []
  }
}

interface Unit {
  kind: UnitKind
  id: string
  servers: PlannedServer[]
  assessed: CloudFormationServerAssessment[]
  sg?: string
  size?: string
  engine?: EngineInfo
  detail?: string
  ingress: string[]
}

type Source = {kind: 'sg'; sg: string; label: string} | {kind: 'cidr'; cidr: string; label: string; host?: boolean}

/** More single-host sources than this on one port are replaced by the networks they are in. */
export const MAX_HOST_SOURCES = 8

/** Build the stack of one wave in one account. */
/** The planned servers of one wave in one account, in plan order. */
export function workloadMembers(input: WorkloadInput, wave: number, account: string): readonly PlannedServer[] {
  return workloadIndex(input).membersOf.get(`${wave}|${account}`) ?? []
}

/** One of several stacks a wave's servers in one account are split into (CloudFormation's 500-resource limit). */
export interface StackPart {
  readonly members: readonly PlannedServer[]
  readonly number: number
  readonly of: number
}

/** A workload stack's description: the only text, with its file name, that depends on the part number. */
export function workloadDescription(wave: number, account: string, servers: number, part?: StackPart): string {
  const partLabel = part && part.of > 1 ? `, part ${part.number} of ${part.of}` : ''
  return `Wave ${wave} workloads in account ${account}${partLabel} (${servers} servers), generated by migrate-plan from the assessment and the wave plan`
}

export function workloadFile(wave: number, account: string, part?: StackPart): string {
  const partSuffix = part && part.of > 1 ? `-part-${String(part.number).padStart(2, '0')}` : ''
  return `waves/wave-${String(wave).padStart(2, '0')}/${account}${partSuffix}.yaml`
}

export interface WorkloadStackOptions {
  /** Only count the resources (Template countOnly): for sizing a stack before splitting it. @default false */
  readonly countOnly?: boolean
}

export function workloadStack(
  input: WorkloadInput,
  wave: number,
  account: string,
  part?: StackPart,
  options: WorkloadStackOptions = {},
): WorkloadStack {
  const {design, settings} = input
  const {byId, assessedBy, plannedBy, groupName, sharedIds, flowsTo: flowsToAll} = workloadIndex(input)
  const members = part?.members ?? workloadMembers(input, wave, account)
  const accountPlan = design.accounts.find((a) => a.key === account)!
  const env = accountPlan.environment ?? 'prod'
  const prod = env === 'prod'
  const diagnostics: string[] = []
  const waveLabel = `wave ${wave}`
  const t = new Template(workloadDescription(wave, account, members.length, part), {countOnly: options.countOnly ?? false})
  const baseTags = {'migrate-plan:wave': String(wave), 'migrate-plan:account': account}
  const vpcCidr = (acc: string) => design.ipPlan.vpcs.find((v) => v.account === acc && v.region === design.workloadRegion)?.cidr

  const network = t.parameter(
    'NetworkStackName',
    {
      Type: 'String',
      Default: `${account}-network`,
      AllowedPattern: '^[A-Za-z][A-Za-z0-9-]{0,127}$',
      Description: 'Name of the network stack of this account (generate cloudformation: network/).',
    },
    'Network',
  )
  void network
  const imported = (name: string): Props => importValue(sub(`\${NetworkStackName}-${name}`))
  const azCount = design.ipPlan.availabilityZones
  /** Explicit per-AZ subnet list, so the multi-AZ controls can see it before deployment. */
  const subnets = (tier: 'Public' | 'App' | 'Data', count = azCount): Props[] =>
    Array.from({length: count}, (_, az) => imported(`${tier}Subnet${az + 1}`))

  // ---- units ---------------------------------------------------------------------------------
  const units: Unit[] = []
  const unitOf = new Map<string, Unit>()
  const webUnits = new Map<string, Unit>()
  for (const p of members) {
    const a = assessedBy.get(p.id)
    const server = byId.get(p.id)
    if (!a) {
      diagnostics.push(`${plainText(p.name)}: not in the assessment; nothing generated`)
      continue
    }
    const service = a.target.service
    let unit: Unit | undefined
    if (service === 'ec2' && (a.strategy === 'rehost' || a.strategy === 'replatform')) {
      if (isWebServer(server)) {
        const key = `${p.group}|${server?.osFamily ?? 'linux'}`
        unit = webUnits.get(key)
        if (!unit) {
          unit = {
            kind: 'web',
            id: t.ids.id(groupName.get(p.group) ?? p.group, server?.osFamily === 'windows' ? 'WebWin' : 'Web'),
            servers: [],
            assessed: [],
            ingress: [],
          }
          webUnits.set(key, unit)
          units.push(unit)
        }
      } else {
        unit = {kind: 'ec2', id: t.ids.id(p.name), servers: [], assessed: [], ingress: []}
        units.push(unit)
      }
    } else if (
      service === 'rds' ||
      service === 'aurora' ||
      service === 'elasticache' ||
      service === 'amazon-mq' ||
      service === 'efs' ||
      service === 'fsx-windows' ||
      service === 'fsx-lustre' ||
      service === 'lambda'
    ) {
      unit = {kind: service, id: t.ids.id(p.name), servers: [], assessed: [], detail: a.target.detail, ingress: []}
      units.push(unit)
    } else {
      diagnostics.push(`${plainText(p.name)}: ${a.strategy} to ${service} is not generated as CloudFormation (see the runbook)`)
      continue
    }
    unit.servers.push(p)
    unit.assessed.push(a)
    unitOf.set(p.id, unit)
  }

  // ---- shared resources ----------------------------------------------------------------------
  const needs = (...kinds: UnitKind[]) => units.some((u) => kinds.includes(u.kind))
  if (needs('rds', 'aurora', 'elasticache', 'amazon-mq', 'efs', 'fsx-windows', 'fsx-lustre', 'lambda')) {
    kmsKey(t, 'DataKey', `Encrypts the wave ${wave} data stores and secrets in ${account}`, ['logs.${AWS::Region}.amazonaws.com'], baseTags)
  }
  const retention = logRetention(settings.landingZone.logRetentionDays)

  if (needs('web', 'ec2')) {
    const os = new Set(
      units.filter((u) => u.kind === 'web' || u.kind === 'ec2').map((u) => byId.get(u.servers[0]!.id)?.osFamily === 'windows'),
    )
    if (os.has(false))
      t.parameter(
        'LinuxImageId',
        {
          Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
          Default: LINUX_IMAGE,
          Description: 'AMI for Linux launch templates: after cutover, the image of the migrated server.',
        },
        'EC2',
      )
    if (os.has(true))
      t.parameter(
        'WindowsImageId',
        {
          Type: 'AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>',
          Default: WINDOWS_IMAGE,
          Description: 'AMI for Windows launch templates: after cutover, the image of the migrated server.',
        },
        'EC2',
      )
    serviceRole(t, 'InstanceRole', 'ec2.amazonaws.com', ['AmazonSSMManagedInstanceCore', 'CloudWatchAgentServerPolicy'], [], baseTags)
    t.resource('InstanceProfile', 'AWS::IAM::InstanceProfile', {Roles: [ref('InstanceRole')]})
  }
  if (needs('web')) {
    t.parameter(
      'CertificateArn',
      {
        Type: 'String',
        AllowedPattern: '^arn:aws[a-z-]*:acm:[a-z0-9-]+:\\d{12}:certificate/[0-9a-f-]+$',
        Description: 'ACM certificate for the HTTPS listeners.',
      },
      'Load balancing',
    )
    t.parameter(
      'AccessLogsBucket',
      {
        Type: 'String',
        AllowedPattern: '^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$',
        Description: 'S3 bucket (this region) that receives load balancer access logs.',
      },
      'Load balancing',
    )
  }

  // ---- security groups -----------------------------------------------------------------------
  for (const u of units) {
    if (u.kind === 'lambda') continue
    u.sg = `${u.id}SecurityGroup`
    if (t.countOnly) {
      t.resource(u.sg, 'AWS::EC2::SecurityGroup', undefined)
      continue
    }
    const names = u.servers.map((s) => plainText(s.name, 60)).join(', ')
    t.resource(u.sg, 'AWS::EC2::SecurityGroup', {
      GroupDescription: sgText(`${waveLabel} ${u.kind}: ${names}`),
      VpcId: imported('VpcId'),
      Tags: tags({...baseTags, Name: `${account}-w${wave}-${slug(u.servers[0]!.name, 40, 'unit')}`, 'migrate-plan:servers': names}),
    })
  }

  /** A client's addresses on premises, as /32s (its inventory IPv4 addresses). */
  const hostCidrs = (clientId: string): string[] => {
    if (clientId.startsWith('ip:')) return /^\d+\.\d+\.\d+\.\d+$/.test(clientId.slice(3)) ? [`${clientId.slice(3)}/32`] : []
    const server = byId.get(clientId)
    const ips = [...(server?.ips ?? []), ...(server?.nics ?? []).flatMap((n) => n.ips)].filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip))
    return [...new Set(ips)].sort().map((ip) => `${ip}/32`)
  }
  const sourcesOf = (clientId: string): Source[] => {
    const clientUnit = unitOf.get(clientId)
    if (clientUnit?.sg) return [{kind: 'sg', sg: clientUnit.sg, label: `sg ${clientUnit.id}`}]
    const pc = plannedBy.get(clientId)
    const name = plainText(pc?.name ?? byId.get(clientId)?.name ?? clientId, 40)
    const out: Source[] = []
    if (pc) {
      const acc = design.accountOf[pc.id]
      const cidr = acc ? vpcCidr(acc) : undefined
      if (cidr) out.push({kind: 'cidr', cidr, label: `${acc} VPC (${name} from wave ${pc.wave})`})
      if (pc.wave > wave)
        for (const c of hostCidrs(clientId))
          out.push({kind: 'cidr', cidr: c, label: `${name} on premises until wave ${pc.wave}`, host: true})
      return out
    }
    if (sharedIds.has(clientId)) {
      const cidr = vpcCidr('shared-services')
      if (cidr) out.push({kind: 'cidr', cidr, label: `shared-services VPC (${name})`})
    }
    for (const c of hostCidrs(clientId)) out.push({kind: 'cidr', cidr: c, label: `${name} on premises`, host: true})
    if (!out.length) diagnostics.push(`${name}: a client with no known IPv4 address; no rule added for it`)
    return out
  }

  /** Rules are collected first: more than MAX_HOST_SOURCES single hosts on one port become their networks. */
  interface PendingRule {
    u: Unit
    sgId: string
    src: Source
    protocol: string
    from: number
    to: number
    why: string
  }
  const pending: PendingRule[] = []
  const addIngress = (u: Unit, sgId: string, src: Source, protocol: string, from: number, to: number, why: string): void => {
    pending.push({u, sgId, src, protocol, from, to, why})
  }
  let ruleCount = 0
  const flushIngress = (): void => {
    const hostCount = new Map<string, number>()
    const portKey = (r: PendingRule) => `${r.sgId}|${r.protocol}|${r.from}|${r.to}`
    for (const r of pending) if (r.src.kind === 'cidr' && r.src.host) hostCount.set(portKey(r), (hostCount.get(portKey(r)) ?? 0) + 1)
    const added = new Set<string>()
    for (const r of pending) {
      let src = r.src
      if (src.kind === 'cidr' && src.host && (hostCount.get(portKey(r)) ?? 0) > MAX_HOST_SOURCES) {
        const net = coveringRange(design.ipPlan.reserved, src.cidr.split('/')[0]!)
        src = {kind: 'cidr', cidr: net.cidr, label: `on premises ${net.reason}`}
      }
      const key = `${portKey(r)}|${src.kind === 'sg' ? src.sg : src.cidr}`
      if (added.has(key)) continue
      added.add(key)
      if (t.countOnly) {
        t.countResource('AWS::EC2::SecurityGroupIngress')
        continue
      }
      const base = {
        GroupId: getAtt(r.sgId, 'GroupId'),
        IpProtocol: r.protocol,
        FromPort: r.from,
        ToPort: r.to,
        Description: sgText(`${r.why} from ${src.label}`),
      }
      const source = src.kind === 'sg' ? {SourceSecurityGroupId: getAtt(src.sg, 'GroupId')} : {CidrIp: src.cidr}
      t.resource(t.ids.id(r.sgId.replace(/SecurityGroup$/, ''), 'Ingress', String(++ruleCount)), 'AWS::EC2::SecurityGroupIngress', {
        ...base,
        ...source,
      })
      r.u.ingress.push(
        `${r.protocol}/${r.from}${r.to !== r.from ? `-${r.to}` : ''} from ${src.kind === 'sg' ? src.label : `${src.cidr} (${src.label})`}`,
      )
    }
  }

  const flowsTo = new Map<string, readonly Flow[]>()
  for (const id of unitOf.keys()) {
    const list = flowsToAll.get(id)
    if (list) flowsTo.set(id, list)
  }
  const internetWeb = new Set<Unit>()
  for (const u of units) {
    if (!u.sg) continue
    const flows = u.servers.flatMap((s) => flowsTo.get(s.id) ?? [])
    if (!flows.length && input.flows.length)
      diagnostics.push(
        `${u.servers.map((s) => plainText(s.name, 40)).join(', ')}: no inbound traffic observed, so no inbound ports are opened`,
      )
    if (u.kind === 'web' || u.kind === 'ec2') {
      for (const f of flows) {
        if (u.kind === 'web' && f.protocol === 'tcp' && HTTP_PORTS.includes(f.port)) {
          if (f.client === 'internet') internetWeb.add(u)
          continue // reaches the tier through its load balancer
        }
        if (f.client === 'internet') {
          diagnostics.push(
            `${plainText(byId.get(f.server)?.name ?? f.server, 40)}: internet clients on ${f.protocol}/${f.port} not opened (put a load balancer or firewall in front)`,
          )
          continue
        }
        for (const src of sourcesOf(f.client)) addIngress(u, u.sg, src, f.protocol, f.port, f.port, `${f.protocol}/${f.port}`)
      }
    } else {
      const ports = managedPorts(u.kind, u.engine ?? (u.kind === 'rds' || u.kind === 'aurora' ? engineOf(u) : undefined), u.detail)
      const clients = [...new Set(flows.map((f) => f.client))].sort()
      for (const c of clients) {
        if (c === 'internet') {
          diagnostics.push(
            `${u.servers.map((s) => plainText(s.name, 40)).join(', ')}: internet clients not opened to a managed ${u.kind} target`,
          )
          continue
        }
        for (const src of sourcesOf(c))
          for (const p of ports) addIngress(u, u.sg, src, p.protocol, p.port, p.to ?? p.port, `${u.kind} ${p.port}`)
      }
    }
  }

  function engineOf(u: Unit): EngineInfo {
    u.engine ??=
      u.kind === 'aurora'
        ? ENGINES[auroraEngine(u.detail, byId.get(u.servers[0]!.id))]
        : ENGINES[rdsEngine(u.detail, byId.get(u.servers[0]!.id))]
    return u.engine
  }

  // ---- EC2 -----------------------------------------------------------------------------------
  const launchTemplate = (
    u: Unit,
    a: CloudFormationServerAssessment,
    server: CloudFormationServer | undefined,
  ): {lt: string; type: string} => {
    const chosen = a.sizing.chosen?.instanceType ?? a.target.instanceType
    const windows = server?.osFamily === 'windows'
    let type = 'm6i.large'
    if (chosen) {
      const n = nitroType(chosen)
      type = n.instanceType
      if (n.replaced)
        diagnostics.push(`${plainText(a.name, 60)}: ${n.replaced} is a previous-generation (Xen) type; the launch template uses ${type}`)
    } else diagnostics.push(`${plainText(a.name, 60)}: no right-sized type in the assessment; m6i.large assumed`)
    const size = Math.max(a.storage.sizeGib ?? 0, windows ? 50 : 30)
    const lt = `${u.id}LaunchTemplate`
    if (t.countOnly) {
      t.resource(lt, 'AWS::EC2::LaunchTemplate', undefined)
      return {lt, type}
    }
    const name = resourceName(`w${wave}-${account}-${u.kind === 'web' ? (groupName.get(u.servers[0]!.group) ?? 'web') : a.name}`, 120, 'lt')
    t.resource(lt, 'AWS::EC2::LaunchTemplate', {
      LaunchTemplateName: name,
      LaunchTemplateData: {
        ImageId: ref(windows ? 'WindowsImageId' : 'LinuxImageId'),
        InstanceType: type,
        IamInstanceProfile: {Arn: getAtt('InstanceProfile', 'Arn')},
        SecurityGroupIds: [getAtt(u.sg!, 'GroupId')],
        Monitoring: {Enabled: true},
        MetadataOptions: {HttpEndpoint: 'enabled', HttpTokens: 'required', HttpPutResponseHopLimit: 1},
        BlockDeviceMappings: [
          {
            DeviceName: windows ? '/dev/sda1' : '/dev/xvda',
            Ebs: {
              VolumeType: 'gp3',
              VolumeSize: size,
              Iops: a.storage.iops,
              Throughput: a.storage.throughputMibps,
              Encrypted: true,
              DeleteOnTermination: true,
            },
          },
        ],
        TagSpecifications: ['instance', 'volume'].map((ResourceType) => ({
          ResourceType,
          Tags: tags({
            ...baseTags,
            Name: u.kind === 'web' ? `${groupName.get(u.servers[0]!.group) ?? 'web'}-web` : a.name,
            'migrate-plan:server-id': u.kind === 'web' ? undefined : a.serverId,
          }),
        })),
      },
      TagSpecifications: [{ResourceType: 'launch-template', Tags: tags(baseTags)}],
    })
    return {lt, type}
  }

  for (const u of units.filter((x) => x.kind === 'ec2')) {
    const a = u.assessed[0]!
    u.size = launchTemplate(u, a, byId.get(a.serverId)).type
  }

  for (const u of units.filter((x) => x.kind === 'web')) {
    const a = u.assessed[0]!
    const server = byId.get(a.serverId)
    const {lt, type} = launchTemplate(u, a, server)
    u.size = type
    const listenPorts = [
      ...new Set(u.servers.flatMap((s) => (byId.get(s.id)?.listeners ?? []).filter((l) => l.protocol === 'tcp').map((l) => l.port))),
    ].sort((x, y) => x - y)
    const httpPorts = listenPorts.filter((p) => HTTP_PORTS.includes(p))
    const alb = httpPorts.length > 0 || isWebServer(server)
    const targetPort = httpPorts.find((p) => p !== 443) ?? httpPorts[0] ?? 80
    const targetProtocol = targetPort === 443 || targetPort === 8443 ? 'HTTPS' : 'HTTP'
    const internetFacing = internetWeb.has(u)
    const lbSg = `${u.id}LoadBalancerSecurityGroup`
    const lb = `${u.id}LoadBalancer`
    const tg = `${u.id}TargetGroup`
    const count = u.servers.length
    if (alb) {
      t.resource(lbSg, 'AWS::EC2::SecurityGroup', {
        GroupDescription: sgText(`${waveLabel} load balancer of ${u.id}`),
        VpcId: imported('VpcId'),
        Tags: tags({...baseTags, Name: `${account}-w${wave}-${slug(u.id, 40)}-lb`}),
      })
      const webClients = [
        ...new Set(u.servers.flatMap((s) => (flowsTo.get(s.id) ?? []).filter((f) => HTTP_PORTS.includes(f.port)).map((f) => f.client))),
      ].sort()
      for (const port of [443, 80]) {
        if (internetFacing) {
          t.resource(t.ids.id(lb, 'Ingress', String(port)), 'AWS::EC2::SecurityGroupIngress', {
            GroupId: getAtt(lbSg, 'GroupId'),
            IpProtocol: 'tcp',
            FromPort: port,
            ToPort: port,
            CidrIp: '0.0.0.0/0',
            Description: sgText(`tcp/${port} from the internet (observed)`),
          })
          u.ingress.push(`tcp/${port} from 0.0.0.0/0 (load balancer)`)
        }
        for (const c of webClients.filter((x) => x !== 'internet'))
          for (const src of sourcesOf(c)) addIngress(u, lbSg, src, 'tcp', port, port, `tcp/${port} to the load balancer`)
      }
      addIngress(u, u.sg!, {kind: 'sg', sg: lbSg, label: `load balancer ${u.id}`}, 'tcp', targetPort, targetPort, `tcp/${targetPort}`)
      t.resource(lb, 'AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'application',
        Scheme: internetFacing ? 'internet-facing' : 'internal',
        Subnets: subnets(internetFacing ? 'Public' : 'App'),
        SecurityGroups: [getAtt(lbSg, 'GroupId')],
        LoadBalancerAttributes: [
          {Key: 'deletion_protection.enabled', Value: 'true'},
          {Key: 'access_logs.s3.enabled', Value: 'true'},
          {Key: 'access_logs.s3.bucket', Value: ref('AccessLogsBucket')},
          {Key: 'access_logs.s3.prefix', Value: `${account}/wave-${wave}`},
          {Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true'},
          {Key: 'routing.http.desync_mitigation_mode', Value: 'defensive'},
        ],
        Tags: tags(baseTags),
      })
      t.resource(tg, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
        VpcId: imported('VpcId'),
        Protocol: targetProtocol,
        Port: targetPort,
        TargetType: 'instance',
        HealthCheckProtocol: targetProtocol,
        HealthCheckPath: '/',
        Matcher: {HttpCode: '200-399'},
        TargetGroupAttributes: [{Key: 'deregistration_delay.timeout_seconds', Value: '30'}],
        Tags: tags(baseTags),
      })
      t.resource(`${lb}HttpsListener`, 'AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: ref(lb),
        Protocol: 'HTTPS',
        Port: 443,
        SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        Certificates: [{CertificateArn: ref('CertificateArn')}],
        DefaultActions: [{Type: 'forward', TargetGroupArn: ref(tg)}],
      })
      t.resource(`${lb}HttpListener`, 'AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: ref(lb),
        Protocol: 'HTTP',
        Port: 80,
        DefaultActions: [{Type: 'redirect', RedirectConfig: {Protocol: 'HTTPS', Port: '443', StatusCode: 'HTTP_301'}}],
      })
    } else {
      t.resource(lb, 'AWS::ElasticLoadBalancingV2::LoadBalancer', {
        Type: 'network',
        Scheme: 'internal',
        Subnets: subnets('App'),
        LoadBalancerAttributes: [
          {Key: 'deletion_protection.enabled', Value: 'true'},
          {Key: 'load_balancing.cross_zone.enabled', Value: 'true'},
          {Key: 'access_logs.s3.enabled', Value: 'true'},
          {Key: 'access_logs.s3.bucket', Value: ref('AccessLogsBucket')},
        ],
        Tags: tags(baseTags),
      })
      t.resource(tg, 'AWS::ElasticLoadBalancingV2::TargetGroup', {
        VpcId: imported('VpcId'),
        Protocol: 'TCP',
        Port: targetPort,
        TargetType: 'instance',
        Tags: tags(baseTags),
      })
      t.resource(`${lb}Listener`, 'AWS::ElasticLoadBalancingV2::Listener', {
        LoadBalancerArn: ref(lb),
        Protocol: 'TCP',
        Port: targetPort,
        DefaultActions: [{Type: 'forward', TargetGroupArn: ref(tg)}],
      })
    }
    const overrides = [type, siblingType(type) ?? nitroType(a.sizing.alternatives[0]?.instanceType ?? 'm6a.large').instanceType]
    if (overrides[1] === overrides[0]) overrides[1] = type.startsWith('m6a') ? type.replace('m6a', 'm6i') : type.replace(/^[^.]+/, 'm6a')
    t.resource(`${u.id}AutoScalingGroup`, 'AWS::AutoScaling::AutoScalingGroup', {
      MinSize: String(count),
      MaxSize: String(count * 2),
      DesiredCapacity: String(count),
      // Both, so CT.AUTOSCALING.PR.1 sees the AZs; they are the network stack's AZs (GetAZs order).
      AvailabilityZones: Array.from({length: azCount}, (_, az) => select(az, getAZs())),
      VPCZoneIdentifier: subnets('App'),
      TargetGroupARNs: [ref(tg)],
      HealthCheckType: 'ELB',
      HealthCheckGracePeriod: 300,
      MixedInstancesPolicy: {
        LaunchTemplate: {
          LaunchTemplateSpecification: {LaunchTemplateId: ref(lt), Version: getAtt(lt, 'LatestVersionNumber')},
          Overrides: overrides.map((InstanceType) => ({InstanceType})),
        },
        InstancesDistribution: {OnDemandBaseCapacity: count, OnDemandPercentageAboveBaseCapacity: 100},
      },
      Tags: [...tags({...baseTags, Name: `${groupName.get(u.servers[0]!.group) ?? 'web'}-web`})].map((x) => ({
        ...x,
        PropagateAtLaunch: true,
      })),
    })
  }

  // ---- databases + DMS -----------------------------------------------------------------------
  const databases: DatabaseMigration[] = []
  const dbUnits = units.filter((u) => u.kind === 'rds' || u.kind === 'aurora')
  if (dbUnits.length) {
    t.resource('DbSubnetGroup', 'AWS::RDS::DBSubnetGroup', {
      DBSubnetGroupDescription: sgText(`${waveLabel} databases in ${account}`),
      SubnetIds: subnets('Data'),
      Tags: tags(baseTags),
    })
    serviceRole(t, 'DbMonitoringRole', 'monitoring.rds.amazonaws.com', ['service-role/AmazonRDSEnhancedMonitoringRole'], [], baseTags)
    t.resource('DmsSecurityGroup', 'AWS::EC2::SecurityGroup', {
      GroupDescription: sgText(`${waveLabel} DMS replication instance (outbound only)`),
      VpcId: imported('VpcId'),
      Tags: tags({...baseTags, Name: `${account}-w${wave}-dms`}),
    })
    t.resource('DmsSubnetGroup', 'AWS::DMS::ReplicationSubnetGroup', {
      ReplicationSubnetGroupDescription: sgText(`${waveLabel} DMS in ${account}`),
      SubnetIds: subnets('Data'),
      Tags: tags(baseTags),
    })
    const largest = Math.max(...dbUnits.map((u) => u.assessed[0]!.storage.sizeGib ?? 100))
    t.resource('DmsReplicationInstance', 'AWS::DMS::ReplicationInstance', {
      ReplicationInstanceClass: largest > 500 ? 'dms.r6i.xlarge' : 'dms.r6i.large',
      AllocatedStorage: Math.min(6144, Math.max(50, Math.ceil(largest * 0.5))),
      MultiAZ: prod,
      PubliclyAccessible: false,
      KmsKeyId: ref('DataKey'),
      ReplicationSubnetGroupIdentifier: ref('DmsSubnetGroup'),
      VpcSecurityGroupIds: [getAtt('DmsSecurityGroup', 'GroupId')],
      AutoMinorVersionUpgrade: true,
      Tags: tags(baseTags),
    })
    serviceRole(
      t,
      'DmsSecretsRole',
      sub('dms.${AWS::Region}.amazonaws.com') as unknown as string,
      [],
      [
        {
          Effect: 'Allow',
          Action: ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'],
          Resource: [sub('arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:*')],
        },
        {Effect: 'Allow', Action: ['kms:Decrypt', 'kms:DescribeKey'], Resource: [getAtt('DataKey', 'Arn')]},
      ],
      baseTags,
    )
  }

  for (const u of dbUnits) {
    const a = u.assessed[0]!
    const server = byId.get(a.serverId)
    const engineKey = u.kind === 'aurora' ? auroraEngine(u.detail, server) : rdsEngine(u.detail, server)
    const engine = engineOf(u)
    const cls = prefixed('db', a.target.instanceType ?? a.sizing.chosen?.instanceType, 'db.m6i.large')
    u.size = cls
    const dbTags = tags({...baseTags, 'migrate-plan:server-id': a.serverId, 'migrate-plan:server': a.name})
    addIngress(
      u,
      u.sg!,
      {kind: 'sg', sg: 'DmsSecurityGroup', label: 'DMS replication instance'},
      'tcp',
      engine.port,
      engine.port,
      'DMS full load and CDC',
    )
    let endpointAddress: Value
    let secretArn: Value
    if (u.kind === 'rds') {
      const pg = `${u.id}ParameterGroup`
      t.resource(pg, 'AWS::RDS::DBParameterGroup', {
        Description: sgText(`${a.name} TLS only`),
        Family: engine.family,
        Parameters: engine.tls,
        Tags: dbTags,
      })
      t.resource(
        `${u.id}Database`,
        'AWS::RDS::DBInstance',
        {
          Engine: engineKey,
          ...(engine.version ? {EngineVersion: engine.version} : {}),
          ...(engineKey.startsWith('sqlserver') || engineKey.startsWith('oracle') ? {LicenseModel: 'license-included'} : {}),
          DBInstanceClass: cls,
          AllocatedStorage: String(Math.max(20, a.storage.sizeGib ?? 100)),
          StorageType: 'gp3',
          StorageEncrypted: true,
          KmsKeyId: ref('DataKey'),
          MultiAZ: prod,
          Port: String(engine.port),
          DBSubnetGroupName: ref('DbSubnetGroup'),
          DBParameterGroupName: ref(pg),
          VPCSecurityGroups: [getAtt(u.sg!, 'GroupId')],
          PubliclyAccessible: false,
          MasterUsername: 'dbadmin',
          ManageMasterUserPassword: true,
          MasterUserSecret: {KmsKeyId: ref('DataKey')},
          ...(engine.iamAuth ? {EnableIAMDatabaseAuthentication: true} : {}),
          BackupRetentionPeriod: prod ? 14 : 7,
          CopyTagsToSnapshot: true,
          DeletionProtection: true,
          AutoMinorVersionUpgrade: true,
          MonitoringInterval: 60,
          MonitoringRoleArn: getAtt('DbMonitoringRole', 'Arn'),
          EnableCloudwatchLogsExports: engine.logs,
          Tags: dbTags,
        },
        {DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot'},
      )
      endpointAddress = getAtt(`${u.id}Database`, 'Endpoint.Address')
      secretArn = getAtt(`${u.id}Database`, 'MasterUserSecret.SecretArn')
    } else {
      const pg = `${u.id}ClusterParameterGroup`
      t.resource(pg, 'AWS::RDS::DBClusterParameterGroup', {
        Description: sgText(`${a.name} TLS only`),
        Family: engine.family,
        Parameters: engine.tls,
        Tags: dbTags,
      })
      t.resource(
        `${u.id}Cluster`,
        'AWS::RDS::DBCluster',
        {
          Engine: engineKey,
          ...(engine.version ? {EngineVersion: engine.version} : {}),
          Port: engine.port,
          DBSubnetGroupName: ref('DbSubnetGroup'),
          DBClusterParameterGroupName: ref(pg),
          VpcSecurityGroupIds: [getAtt(u.sg!, 'GroupId')],
          StorageEncrypted: true,
          KmsKeyId: ref('DataKey'),
          MasterUsername: 'dbadmin',
          ManageMasterUserPassword: true,
          MasterUserSecret: {KmsKeyId: ref('DataKey')},
          EnableIAMDatabaseAuthentication: true,
          BackupRetentionPeriod: prod ? 14 : 7,
          ...(engineKey === 'aurora-mysql' ? {BacktrackWindow: 86400} : {}),
          CopyTagsToSnapshot: true,
          DeletionProtection: true,
          EnableCloudwatchLogsExports: engine.logs,
          Tags: dbTags,
        },
        {DeletionPolicy: 'Snapshot', UpdateReplacePolicy: 'Snapshot'},
      )
      for (let i = 1; i <= (prod ? 2 : 1); i++) {
        t.resource(`${u.id}Instance${i}`, 'AWS::RDS::DBInstance', {
          Engine: engineKey,
          DBClusterIdentifier: ref(`${u.id}Cluster`),
          DBInstanceClass: cls,
          PubliclyAccessible: false,
          AutoMinorVersionUpgrade: true,
          MonitoringInterval: 60,
          MonitoringRoleArn: getAtt('DbMonitoringRole', 'Arn'),
          Tags: dbTags,
        })
      }
      endpointAddress = getAtt(`${u.id}Cluster`, 'Endpoint.Address')
      secretArn = getAtt(`${u.id}Cluster`, 'MasterUserSecret.SecretArn')
    }

    // DMS: the source secret is generated here; its password is the one to give the migration
    // user on the source database (runbook), and its host is the server being migrated.
    const src = sourceEngine(server, engineKey)
    const host = plainText(server?.fqdn ?? server?.ips?.[0] ?? a.name, 253).replace(/[^A-Za-z0-9.:-]/g, '')
    const secret = `${u.id}SourceSecret`
    t.resource(secret, 'AWS::SecretsManager::Secret', {
      Description: sgText(`DMS source credentials for ${a.name}`),
      KmsKeyId: ref('DataKey'),
      GenerateSecretString: {
        SecretStringTemplate: JSON.stringify({username: 'dms_migration', host: host || 'unknown-host', port: src.defaultPort}),
        GenerateStringKey: 'password',
        PasswordLength: 32,
        ExcludePunctuation: true,
      },
      Tags: dbTags,
    })
    // The database's name is not in the inventory: a parameter, so the operator sets it at deployment.
    const dbName = t.parameter(
      `${u.id}DatabaseName`,
      {
        Type: 'String',
        Default: 'migrate',
        AllowedPattern: '^[A-Za-z_][A-Za-z0-9_$-]{0,62}$',
        Description: sgText(`Database on ${a.name} that DMS migrates (same name on the target)`),
      },
      'Database Migration Service',
    )
    const settingsKey = dmsSettingsKey(src.dmsEngine)
    const targetKey = dmsSettingsKey(engine.dmsTarget)
    t.resource(`${u.id}SourceEndpoint`, 'AWS::DMS::Endpoint', {
      EndpointType: 'source',
      EngineName: src.dmsEngine,
      DatabaseName: dbName,
      SslMode: 'require',
      [settingsKey]: {SecretsManagerSecretId: ref(secret), SecretsManagerAccessRoleArn: getAtt('DmsSecretsRole', 'Arn')},
      Tags: dbTags,
    })
    t.resource(`${u.id}TargetEndpoint`, 'AWS::DMS::Endpoint', {
      EndpointType: 'target',
      EngineName: engine.dmsTarget,
      DatabaseName: dbName,
      SslMode: 'require',
      [targetKey]: {SecretsManagerSecretId: secretArn, SecretsManagerAccessRoleArn: getAtt('DmsSecretsRole', 'Arn')},
      Tags: dbTags,
    })
    void endpointAddress
    t.resource(`${u.id}MigrationTask`, 'AWS::DMS::ReplicationTask', {
      MigrationType: 'full-load-and-cdc',
      ReplicationInstanceArn: ref('DmsReplicationInstance'),
      SourceEndpointArn: ref(`${u.id}SourceEndpoint`),
      TargetEndpointArn: ref(`${u.id}TargetEndpoint`),
      TableMappings: JSON.stringify(tableMappings()),
      ReplicationTaskSettings: JSON.stringify(taskSettings()),
      Tags: dbTags,
    })
    databases.push({
      serverId: a.serverId,
      name: a.name,
      source: src.dmsEngine,
      target: engine.dmsTarget,
      taskId: `${u.id}MigrationTask`,
      sourceSecret: secret,
    })
  }

  // ---- ElastiCache ----------------------------------------------------------------------------
  const caches = units.filter((u) => u.kind === 'elasticache')
  if (caches.length) {
    t.resource('CacheSubnetGroup', 'AWS::ElastiCache::SubnetGroup', {
      Description: sgText(`${waveLabel} caches in ${account}`),
      SubnetIds: subnets('Data'),
      Tags: tags(baseTags),
    })
  }
  for (const u of caches) {
    const a = u.assessed[0]!
    const engine = /valkey/i.test(u.detail ?? '') ? 'valkey' : 'redis'
    const node = prefixed('cache', a.target.instanceType, 'cache.m6g.large')
    u.size = node
    const userSlug = resourceName(`w${wave}-${a.name}`, 30, 'cache')
    t.resource(`${u.id}DefaultUser`, 'AWS::ElastiCache::User', {
      UserId: `${userSlug}-default`,
      UserName: 'default',
      Engine: 'redis',
      AccessString: 'off -@all',
      AuthenticationMode: {
        Type: 'password',
        Passwords: [sub(`{{resolve:secretsmanager:\${${u.id}DefaultUserSecret}:SecretString:password}}`)],
      },
    })
    t.resource(`${u.id}DefaultUserSecret`, 'AWS::SecretsManager::Secret', {
      Description: sgText(`disabled default user of ${a.name}`),
      KmsKeyId: ref('DataKey'),
      GenerateSecretString: {SecretStringTemplate: '{}', GenerateStringKey: 'password', PasswordLength: 32, ExcludePunctuation: true},
      Tags: tags(baseTags),
    })
    t.resource(`${u.id}AppUser`, 'AWS::ElastiCache::User', {
      UserId: `${userSlug}-app`,
      UserName: `${userSlug}-app`,
      Engine: 'redis',
      AccessString: 'on ~* +@all -@dangerous',
      AuthenticationMode: {Type: 'iam'},
    })
    t.resource(`${u.id}UserGroup`, 'AWS::ElastiCache::UserGroup', {
      UserGroupId: `${userSlug}-users`,
      Engine: 'redis',
      UserIds: [ref(`${u.id}DefaultUser`), ref(`${u.id}AppUser`)],
    })
    t.resource(`${u.id}ReplicationGroup`, 'AWS::ElastiCache::ReplicationGroup', {
      ReplicationGroupDescription: sgText(`${a.name} (${engine})`),
      Engine: engine,
      EngineVersion: '7.1',
      CacheNodeType: node,
      NumCacheClusters: 2,
      AutomaticFailoverEnabled: true,
      MultiAZEnabled: true,
      CacheSubnetGroupName: ref('CacheSubnetGroup'),
      SecurityGroupIds: [getAtt(u.sg!, 'GroupId')],
      AtRestEncryptionEnabled: true,
      KmsKeyId: ref('DataKey'),
      TransitEncryptionEnabled: true,
      UserGroupIds: [ref(`${u.id}UserGroup`)],
      SnapshotRetentionLimit: 7,
      AutoMinorVersionUpgrade: true,
      Tags: tags({...baseTags, 'migrate-plan:server-id': a.serverId}),
    })
  }

  // ---- Amazon MQ ------------------------------------------------------------------------------
  for (const u of units.filter((x) => x.kind === 'amazon-mq')) {
    const a = u.assessed[0]!
    const active = /active/i.test(u.detail ?? '')
    const instance = prefixed('mq', a.target.instanceType, 'mq.m5.large')
    u.size = instance
    const secret = `${u.id}BrokerSecret`
    t.resource(secret, 'AWS::SecretsManager::Secret', {
      Description: sgText(`Amazon MQ broker user of ${a.name}`),
      KmsKeyId: ref('DataKey'),
      GenerateSecretString: {
        SecretStringTemplate: '{"username":"mqadmin"}',
        GenerateStringKey: 'password',
        PasswordLength: 32,
        ExcludePunctuation: true,
      },
      Tags: tags(baseTags),
    })
    t.resource(`${u.id}Broker`, 'AWS::AmazonMQ::Broker', {
      BrokerName: resourceName(`w${wave}-${account}-${a.name}`, 50, 'mq'),
      EngineType: active ? 'ACTIVEMQ' : 'RABBITMQ',
      EngineVersion: active ? '5.18' : '3.13',
      HostInstanceType: instance,
      DeploymentMode: active ? 'ACTIVE_STANDBY_MULTI_AZ' : 'CLUSTER_MULTI_AZ',
      PubliclyAccessible: false,
      AutoMinorVersionUpgrade: true,
      SubnetIds: active ? subnets('Data', 2) : subnets('Data'),
      SecurityGroups: [getAtt(u.sg!, 'GroupId')],
      EncryptionOptions: {UseAwsOwnedKey: false, KmsKeyId: ref('DataKey')},
      Logs: active ? {General: true, Audit: true} : {General: true},
      Users: [
        {
          Username: sub(`{{resolve:secretsmanager:\${${secret}}:SecretString:username}}`),
          Password: sub(`{{resolve:secretsmanager:\${${secret}}:SecretString:password}}`),
        },
      ],
      Tags: tags({...baseTags, 'migrate-plan:server-id': a.serverId}),
    })
  }

  // ---- EFS ------------------------------------------------------------------------------------
  for (const u of units.filter((x) => x.kind === 'efs')) {
    const a = u.assessed[0]!
    u.size = `${a.storage.sizeGib ?? '?'} GiB`
    t.resource(
      `${u.id}FileSystem`,
      'AWS::EFS::FileSystem',
      {
        Encrypted: true,
        KmsKeyId: ref('DataKey'),
        PerformanceMode: 'generalPurpose',
        ThroughputMode: 'elastic',
        BackupPolicy: {Status: 'ENABLED'},
        LifecyclePolicies: [{TransitionToIA: 'AFTER_30_DAYS'}],
        FileSystemTags: tags({...baseTags, Name: a.name, 'migrate-plan:server-id': a.serverId}),
      },
      {DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain'},
    )
    for (let az = 0; az < design.ipPlan.availabilityZones; az++) {
      t.resource(`${u.id}MountTarget${az + 1}`, 'AWS::EFS::MountTarget', {
        FileSystemId: ref(`${u.id}FileSystem`),
        SubnetId: imported(`DataSubnet${az + 1}`),
        SecurityGroups: [getAtt(u.sg!, 'GroupId')],
      })
    }
    t.resource(`${u.id}AccessPoint`, 'AWS::EFS::AccessPoint', {
      FileSystemId: ref(`${u.id}FileSystem`),
      PosixUser: {Uid: '1000', Gid: '1000'},
      RootDirectory: {Path: '/data', CreationInfo: {OwnerUid: '1000', OwnerGid: '1000', Permissions: '750'}},
      AccessPointTags: tags(baseTags),
    })
  }

  // ---- FSx ------------------------------------------------------------------------------------
  const fsxWindows = units.filter((x) => x.kind === 'fsx-windows')
  if (fsxWindows.length) {
    t.parameter(
      'ActiveDirectoryId',
      {Type: 'String', AllowedPattern: '^d-[0-9a-f]{10}$', Description: 'AWS Managed Microsoft AD that FSx for Windows joins (d-…).'},
      'File systems',
    )
  }
  for (const u of fsxWindows) {
    const a = u.assessed[0]!
    const capacity = Math.max(32, Math.ceil(a.storage.sizeGib ?? 32))
    u.size = `${capacity} GiB`
    t.resource(
      `${u.id}FileSystem`,
      'AWS::FSx::FileSystem',
      {
        FileSystemType: 'WINDOWS',
        StorageType: 'SSD',
        StorageCapacity: capacity,
        SubnetIds: prod ? [imported('DataSubnet1'), imported('DataSubnet2')] : [imported('DataSubnet1')],
        SecurityGroupIds: [getAtt(u.sg!, 'GroupId')],
        KmsKeyId: ref('DataKey'),
        WindowsConfiguration: {
          ActiveDirectoryId: ref('ActiveDirectoryId'),
          DeploymentType: prod ? 'MULTI_AZ_1' : 'SINGLE_AZ_2',
          ...(prod ? {PreferredSubnetId: imported('DataSubnet1')} : {}),
          ThroughputCapacity: 32,
          AutomaticBackupRetentionDays: 7,
          CopyTagsToBackups: true,
        },
        Tags: tags({...baseTags, Name: a.name, 'migrate-plan:server-id': a.serverId}),
      },
      {DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain'},
    )
  }
  for (const u of units.filter((x) => x.kind === 'fsx-lustre')) {
    const a = u.assessed[0]!
    const capacity = Math.max(1200, Math.ceil((a.storage.sizeGib ?? 1200) / 2400) * 2400)
    u.size = `${capacity} GiB`
    t.resource(
      `${u.id}FileSystem`,
      'AWS::FSx::FileSystem',
      {
        FileSystemType: 'LUSTRE',
        StorageType: 'SSD',
        StorageCapacity: capacity,
        SubnetIds: [imported('DataSubnet1')],
        SecurityGroupIds: [getAtt(u.sg!, 'GroupId')],
        KmsKeyId: ref('DataKey'),
        LustreConfiguration: {
          DeploymentType: 'PERSISTENT_2',
          PerUnitStorageThroughput: 125,
          DataCompressionType: 'LZ4',
          CopyTagsToBackups: true,
          AutomaticBackupRetentionDays: 7,
        },
        Tags: tags({...baseTags, Name: a.name, 'migrate-plan:server-id': a.serverId}),
      },
      {DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain'},
    )
  }

  // ---- Lambda + HTTP API ----------------------------------------------------------------------
  for (const u of units.filter((x) => x.kind === 'lambda')) {
    const a = u.assessed[0]!
    const python = /python/i.test(u.detail ?? '')
    const memory = a.compute.lambda.estimate.memoryMb
    u.size = `${memory} MB`
    const sg = `${u.id}FunctionSecurityGroup`
    t.resource(sg, 'AWS::EC2::SecurityGroup', {
      GroupDescription: sgText(`${waveLabel} Lambda function replacing ${a.name} (outbound only)`),
      VpcId: imported('VpcId'),
      Tags: tags(baseTags),
    })
    u.sg = sg
    const role = serviceRole(
      t,
      `${u.id}FunctionRole`,
      'lambda.amazonaws.com',
      ['service-role/AWSLambdaVPCAccessExecutionRole'],
      [],
      baseTags,
    )
    const fnName = resourceName(`w${wave}-${account}-${a.name}`, 64, 'fn')
    logGroup(t, `${u.id}FunctionLogGroup`, `/aws/lambda/${fnName}`, getAtt('DataKey', 'Arn'), retention, baseTags)
    t.resource(
      `${u.id}Function`,
      'AWS::Lambda::Function',
      {
        FunctionName: fnName,
        Description: sgText(`Refactor skeleton for ${a.name}: replace the handler with the service's code`),
        Runtime: python ? 'python3.13' : 'nodejs22.x',
        Handler: 'index.handler',
        Architectures: ['arm64'],
        MemorySize: memory,
        Timeout: Math.min(900, Math.max(3, Math.ceil((a.compute.lambda.estimate.durationMs * 10) / 1000))),
        Role: getAtt(role, 'Arn'),
        KmsKeyArn: getAtt('DataKey', 'Arn'),
        VpcConfig: {SubnetIds: subnets('App'), SecurityGroupIds: [getAtt(sg, 'GroupId')]},
        TracingConfig: {Mode: 'Active'},
        Code: {
          ZipFile: python
            ? 'def handler(event, context):\n    return {"statusCode": 501, "body": "not implemented yet: migrated by migrate-plan"}\n'
            : 'exports.handler = async () => ({statusCode: 501, body: "not implemented yet: migrated by migrate-plan"})\n',
        },
        Tags: tags({...baseTags, 'migrate-plan:server-id': a.serverId}),
      },
      {DependsOn: `${u.id}FunctionLogGroup`},
    )
    t.resource(`${u.id}Api`, 'AWS::ApiGatewayV2::Api', {
      Name: fnName,
      ProtocolType: 'HTTP',
      Description: sgText(`HTTP API in front of ${a.name}`),
      Tags: {'migrate-plan:wave': String(wave)},
    })
    t.resource(`${u.id}ApiIntegration`, 'AWS::ApiGatewayV2::Integration', {
      ApiId: ref(`${u.id}Api`),
      IntegrationType: 'AWS_PROXY',
      IntegrationUri: getAtt(`${u.id}Function`, 'Arn'),
      PayloadFormatVersion: '2.0',
    })
    t.resource(`${u.id}ApiRoute`, 'AWS::ApiGatewayV2::Route', {
      ApiId: ref(`${u.id}Api`),
      RouteKey: '$default',
      AuthorizationType: 'AWS_IAM',
      Target: join('/', ['integrations', ref(`${u.id}ApiIntegration`)]),
    })
    logGroup(t, `${u.id}ApiLogGroup`, undefined, getAtt('DataKey', 'Arn'), retention, baseTags)
    t.resource(`${u.id}ApiStage`, 'AWS::ApiGatewayV2::Stage', {
      ApiId: ref(`${u.id}Api`),
      StageName: '$default',
      AutoDeploy: true,
      AccessLogSettings: {
        DestinationArn: getAtt(`${u.id}ApiLogGroup`, 'Arn'),
        Format:
          '{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","routeKey":"$context.routeKey","status":"$context.status"}',
      },
    })
    t.resource(`${u.id}ApiPermission`, 'AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: ref(`${u.id}Function`),
      Principal: 'apigateway.amazonaws.com',
      SourceArn: sub(`arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${u.id}Api}/*`),
      SourceAccount: ACCOUNT,
    })
    t.output(`${u.id}ApiEndpoint`, getAtt(`${u.id}Api`, 'ApiEndpoint'), `HTTP API endpoint replacing ${sgText(a.name, 100)}`)
  }

  flushIngress()
  for (const u of units)
    if (u.sg) t.output(`${u.sg}Id`, getAtt(u.sg, 'GroupId'), `Security group of ${sgText(u.servers.map((s) => s.name).join(', '), 200)}`)

  return {
    wave,
    account,
    file: workloadFile(wave, account, part),
    template: t,
    units: units.map((u) => ({
      kind: u.kind,
      id: u.id,
      servers: u.servers.map((s) => s.id),
      ...(u.sg ? {securityGroup: u.sg} : {}),
      ...(u.size ? {size: u.size} : {}),
      ingress: u.ingress,
    })),
    databases,
    diagnostics,
  }
}

/** The DMS endpoint settings property for an engine name. */
function dmsSettingsKey(engine: string): string {
  switch (engine) {
    case 'postgres':
    case 'aurora-postgresql':
      return 'PostgreSqlSettings'
    case 'mysql':
    case 'mariadb':
    case 'aurora':
      return 'MySqlSettings'
    case 'sqlserver':
      return 'MicrosoftSqlServerSettings'
    case 'oracle':
      return 'OracleSettings'
    default:
      return 'PostgreSqlSettings'
  }
}

/** DMS table mapping: every table of every schema, system schemas excluded. Shared with the runbooks. */
export function tableMappings(schemas: readonly string[] = ['%']): {rules: Record<string, unknown>[]} {
  const rules: Record<string, unknown>[] = schemas.map((schema, i) => ({
    'rule-type': 'selection',
    'rule-id': String(i + 1),
    'rule-name': `include-${i + 1}`,
    'object-locator': {'schema-name': schema, 'table-name': '%'},
    'rule-action': 'include',
  }))
  for (const [i, schema] of ['information_schema', 'pg_catalog', 'mysql', 'performance_schema', 'sys'].entries()) {
    rules.push({
      'rule-type': 'selection',
      'rule-id': String(100 + i),
      'rule-name': `exclude-${schema}`,
      'object-locator': {'schema-name': schema, 'table-name': '%'},
      'rule-action': 'exclude',
    })
  }
  return {rules}
}

function taskSettings(): Record<string, unknown> {
  return {
    TargetMetadata: {SupportLobs: true, LimitedSizeLobMode: true, LobMaxSize: 32},
    FullLoadSettings: {TargetTablePrepMode: 'DO_NOTHING', MaxFullLoadSubTasks: 8},
    Logging: {EnableLogging: true},
    ValidationSettings: {EnableValidation: true, ValidationMode: 'ROW_LEVEL', ThreadCount: 5},
  }
}

export {environmentOf}
