/**
 * `generate runbooks`: a cutover runbook per wave (Markdown and HTML, from the handlebars templates
 * in templates/runbooks/), the Application Migration Service import CSV per wave and a DMS table
 * mapping per database. Pure: the command writes the files.
 */
import type {Assessment, ServerAssessment} from '../../model/assessment.js'
import type {Plan, Wave} from '../../model/plan.js'
import type {BareServer} from '../../model/server.js'
import type {Settings} from '../../model/settings.js'
import type {FileMap} from '../../util/output.js'
import {jsonFile} from '../common/header.js'
import {plainText, slug} from '../common/text.js'
import {ENGINES, auroraEngine, nitroType, rdsEngine, sourceEngine} from '../cloudformation/targets.js'
import {tableMappings} from '../cloudformation/workload.js'
import {designLandingZone, type LandingZoneDesign} from '../landing-zone/design.js'
import {coveringRanges} from '../landing-zone/ip-plan.js'
import {render, type TemplateSources} from '../templates.js'
import {mgnImportCsv, userProvidedId, type MgnServerRow} from './mgn-import.js'

export interface RunbooksInput {
  readonly settings: Settings
  readonly servers: readonly BareServer[]
  readonly assessment: Assessment
  readonly plan: Plan
  readonly wave?: number
  /**
   * The landing-zone design of these settings, servers and plan, when the caller already has it
   * (the pipeline made it for the landing zone). @default designLandingZone({settings, servers, plan})
   */
  readonly design?: LandingZoneDesign
}

export interface WaveRunbookSummary {
  readonly wave: number
  readonly folder: string
  readonly servers: number
  readonly rehost: number
  readonly databases: number
}

export interface RunbooksResult {
  readonly files: FileMap
  readonly waves: readonly WaveRunbookSummary[]
  readonly design: LandingZoneDesign
}

/** MGN agent installer URLs, per the Application Migration Service user guide's pattern. */
export function mgnInstallerUrl(region: string, os: 'linux' | 'windows'): string {
  const base = `https://aws-application-migration-service-${region}.s3.${region}.amazonaws.com/latest`
  return os === 'linux' ? `${base}/linux/aws-replication-installer-init` : `${base}/windows/AwsReplicationWindowsInstaller.exe`
}

const DATA_MOVE: Readonly<Record<string, string>> = {
  efs: 'Copy the files with AWS DataSync (agent on premises, NFS source, EFS destination); a final incremental task during the cutover window.',
  'fsx-windows':
    'Copy the shares with AWS DataSync (SMB source, FSx for Windows destination) or robocopy /MIR /COPYALL, keeping NTFS permissions; a final incremental copy during the cutover window; recreate the share names.',
  'fsx-lustre': 'Load the data from S3 (data repository association) or copy it with DataSync.',
  elasticache:
    'Caches rebuild themselves: point the applications at the new endpoint at cutover; for data that must survive, export an RDB snapshot and restore it.',
  'amazon-mq':
    'Recreate users, vhosts, exchanges and queues; drain the old broker (or shovel its queues to the new one) before switching the clients.',
  lambda: 'Replace the skeleton handler with the service code, test through the HTTP API, then switch the clients.',
}

interface ViewServer {
  name: string
  id: string
  os: string
  group: string
  account: string
  owner: string
  strategy: string
  target: string
  size: string
  note: string
}

function ipv4s(s: BareServer | undefined): string[] {
  return [...new Set([...(s?.ips ?? []), ...(s?.nics ?? []).flatMap((n) => n.ips)])].filter((ip) => /^\d+\.\d+\.\d+\.\d+$/.test(ip)).sort()
}

export function generateRunbooks(input: RunbooksInput, templates: TemplateSources): RunbooksResult {
  const {settings, assessment, plan} = input
  const design = input.design ?? designLandingZone({settings, servers: input.servers, plan})
  const region = design.workloadRegion
  const byId = new Map(input.servers.map((s) => [s.id, s]))
  const assessed = new Map(assessment.servers.map((a) => [a.serverId, a]))
  const groupName = new Map(plan.groups.map((g) => [g.id, plainText(g.name, 80)]))
  const waveOf = new Map(plan.servers.map((p) => [p.id, p.wave]))
  // A map, not plan.servers.find: addresses no server owns missed byId and scanned every server (minutes at 100,000).
  const plannedName = new Map(plan.servers.map((p) => [p.id, p.name]))
  // Memoised: a server's name is cleaned up to five times per runbook, and again per flow.
  const names = new Map<string, string>()
  const nameOf = (id: string): string => {
    let name = names.get(id)
    if (name === undefined) {
      name = plainText(byId.get(id)?.name ?? plannedName.get(id) ?? (id.startsWith('ip:') ? id.slice(3) : id), 80)
      names.set(id, name)
    }
    return name
  }
  const vpcOf = (account: string) => design.ipPlan.vpcs.find((v) => v.account === account && v.region === region)
  const covering = coveringRanges(design.ipPlan.reserved)
  // Each wave's servers and dependencies, in plan order, gathered once instead of filtered out of all of them per wave.
  const crossWave = byWave(plan.crossWaveDependencies, (d) => [d.clientWave, d.serverWave])
  const onPremises = byWave(plan.onPremisesDependencies, (d) => [d.wave])
  const membersOf = byWave(plan.servers, (p) => [p.wave])
  const files: Record<string, string> = {}
  const summaries: WaveRunbookSummary[] = []
  const waves = plan.waves.filter((w) => input.wave === undefined || w.number === input.wave)

  for (const wave of waves) {
    const folder = `wave-${String(wave.number).padStart(2, '0')}`
    const members = membersOf.get(wave.number) ?? []
    const rows: MgnServerRow[] = []
    const servers: ViewServer[] = []
    const databases: Record<string, unknown>[] = []
    const managed: Record<string, unknown>[] = []
    const others: Record<string, unknown>[] = []
    const accounts = new Set<string>()
    for (const p of members) {
      const a: ServerAssessment | undefined = assessed.get(p.id)
      const s = byId.get(p.id)
      const account = design.accountOf[p.id] ?? 'unassigned'
      accounts.add(account)
      const windows = s?.osFamily === 'windows'
      const service = a?.target.service ?? p.target?.service ?? 'ec2'
      const strategy = a?.strategy ?? p.strategy
      let size = ''
      let note = ''
      if (service === 'ec2' && (strategy === 'rehost' || strategy === 'replatform')) {
        const chosen = a?.sizing.chosen?.instanceType ?? a?.target.instanceType ?? p.target?.instanceType
        const n = nitroType(chosen ?? 'm6i.large')
        size = n.instanceType
        if (n.replaced) note = `assessed ${n.replaced} (previous generation)`
        if (!chosen) note = 'no right-sized type in the assessment: m6i.large assumed'
        rows.push({
          id: p.id,
          name: nameOf(p.id),
          platform: windows ? 'WINDOWS' : 'LINUX',
          address: s?.fqdn ?? ipv4s(s)[0] ?? nameOf(p.id),
          group: groupName.get(p.group) ?? p.group,
          account,
          instanceType: size,
          windowsLicensing: settings.assess.windowsLicense === 'byol' ? 'BYOL' : 'LI',
        })
      } else if (service === 'rds' || service === 'aurora') {
        const key = service === 'aurora' ? auroraEngine(a?.target.detail, s) : rdsEngine(a?.target.detail, s)
        const engine = ENGINES[key]
        const src = sourceEngine(s, key)
        const mapping = `${folder}/dms/${slug(nameOf(p.id), 40, 'database')}-${userProvidedId(p.id)}-table-mappings.json`
        files[mapping] = jsonFile(tableMappings())
        const vpc = vpcOf(account)
        databases.push({
          name: nameOf(p.id),
          id: userProvidedId(p.id),
          account,
          source: `${src.dmsEngine} on port ${src.defaultPort}`,
          target: `${key} (${a?.target.instanceType ?? ''}), port ${engine.port}`,
          sourceAddress: s?.fqdn ?? ipv4s(s)[0] ?? nameOf(p.id),
          sourcePort: src.defaultPort,
          newPort: engine.port,
          dataSubnets: (vpc?.subnets ?? []).filter((x) => x.tier === 'data').map((x) => x.cidr),
          mapping,
        })
        size = a?.target.instanceType ?? ''
      } else if (DATA_MOVE[service]) {
        managed.push({name: nameOf(p.id), target: service, detail: plainText(a?.target.detail ?? '', 40), how: DATA_MOVE[service]})
        size = a?.target.instanceType ?? ''
      } else {
        others.push({name: nameOf(p.id), strategy, target: service})
      }
      servers.push({
        name: nameOf(p.id),
        id: userProvidedId(p.id),
        os: plainText(s?.osName ?? s?.osFamily ?? 'unknown', 60),
        group: groupName.get(p.group) ?? p.group,
        account,
        owner: plainText(s?.owner ?? 'unknown', 60),
        strategy,
        target: service,
        size,
        note,
      })
    }
    if (rows.length)
      files[`${folder}/mgn-import.csv`] = mgnImportCsv(
        region,
        {number: wave.number, name: plainText(wave.name, 80), ...(wave.start ? {start: wave.start} : {})},
        rows,
      )

    // Hybrid connectivity: what crosses between this wave's servers and what is not (yet) on AWS.
    const connectivity: Record<string, unknown>[] = []
    for (const d of crossWave.get(wave.number) ?? []) {
      for (const f of d.flows) {
        const clientHere = waveOf.get(f.client) === wave.number
        const serverHere = waveOf.get(f.server) === wave.number
        if (!clientHere && !serverHere) continue
        const otherId = clientHere ? f.server : f.client
        const otherWave = waveOf.get(otherId) ?? 0
        const otherWhere = otherWave > wave.number ? `on premises until wave ${otherWave}` : `in AWS since wave ${otherWave}`
        const hereAccount = design.accountOf[clientHere ? f.client : f.server] ?? ''
        connectivity.push({
          from: clientHere
            ? `${nameOf(f.client)} (${hereAccount} VPC ${vpcOf(hereAccount)?.cidr ?? ''})`
            : `${nameOf(f.client)} (${otherWhere})`,
          to: serverHere
            ? `${nameOf(f.server)} (${hereAccount} VPC ${vpcOf(hereAccount)?.cidr ?? ''})`
            : `${nameOf(f.server)} (${otherWhere})`,
          ports: f.ports.join(', '),
          why:
            otherWave > wave.number
              ? 'hybrid link: VPN or Direct Connect plus the on-premises firewall'
              : 'VPC to VPC through the transit gateway',
        })
      }
    }
    for (const d of onPremises.get(wave.number) ?? []) {
      const account = design.accountOf[d.server] ?? ''
      const here = `${nameOf(d.server)} (${account} VPC ${vpcOf(account)?.cidr ?? ''})`
      const there = `${nameOf(d.endpoint)} (stays on premises)`
      connectivity.push({
        from: d.direction === 'out' ? here : there,
        to: d.direction === 'out' ? there : here,
        ports: d.ports.join(', '),
        why: 'hybrid link: VPN or Direct Connect plus the on-premises firewall',
      })
    }
    const sourceNetworks = [...new Set(rows.flatMap((r) => ipv4s(byId.get(r.id)).map((ip) => covering(ip).cidr)))].sort()
    const staging = [...accounts]
      .sort()
      .map((acc) => ({account: acc, subnet: vpcOf(acc)?.subnets.find((x) => x.tier === 'app' && x.az === 0)?.cidr ?? ''}))
      .filter((x) => x.subnet)
    const shared = plan.sharedServices
      .filter((s) => s.neededByWave !== undefined && s.neededByWave <= wave.number)
      .map((s) => ({
        name: plainText(s.name, 80),
        kinds: s.kinds.join(', '),
        ports: s.ports.join(', '),
        requirement: plainText(s.requirement, 300),
        first: s.neededByWave === wave.number,
      }))
    const owners = [...new Set(servers.map((s) => s.owner))]
      .sort()
      .map((o) => ({owner: o, servers: servers.filter((s) => s.owner === o).length}))
    const stacks = [...accounts].sort().map((acc) => ({
      account: acc,
      network: `network/${acc}-${region}.yaml`,
      mgn: rows.some((r) => r.account === acc) ? `mgn/${acc}-${region}.yaml` : '',
      workload: `waves/${folder}/${acc}.yaml`,
    }))
    const view = {
      organisation: design.organisation,
      region,
      folder,
      wave: waveView(wave),
      servers,
      owners,
      groups: wave.placements.map((pl) => ({
        name: groupName.get(pl.group) ?? pl.group,
        servers: pl.servers,
        reasons: pl.reasons.map((r) => plainText(r, 200)),
      })),
      stacks,
      shared,
      connectivity,
      sourceNetworks,
      staging,
      rehost: rows.map((r) => ({
        name: r.name,
        id: userProvidedId(r.id),
        platform: r.platform,
        instanceType: r.instanceType,
        account: r.account,
      })),
      hasRehost: rows.length > 0,
      hasLinux: rows.some((r) => r.platform === 'LINUX'),
      hasWindows: rows.some((r) => r.platform === 'WINDOWS'),
      linuxUrl: mgnInstallerUrl(region, 'linux'),
      windowsUrl: mgnInstallerUrl(region, 'windows'),
      databases,
      hasDatabases: databases.length > 0,
      managed,
      others,
      importCsv: rows.length ? `${folder}/mgn-import.csv` : '',
    }
    files[`${folder}/runbook.md`] = render(templates, 'runbooks/wave.md.hbs', view)
    files[`${folder}/runbook.html`] = render(templates, 'runbooks/wave.html.hbs', view)
    summaries.push({wave: wave.number, folder, servers: members.length, rehost: rows.length, databases: databases.length})
  }
  files['README.md'] = render(templates, 'generated/runbooks-readme.md.hbs', {
    organisation: design.organisation,
    region,
    waves: waves.map((w) => ({...waveView(w), ...summaries.find((s) => s.wave === w.number)!})),
  })
  return {files, waves: summaries, design}
}

/** Items by each wave they concern (once per wave, in their order). */
function byWave<T>(items: readonly T[], wavesOf: (item: T) => readonly number[]): Map<number, T[]> {
  const out = new Map<number, T[]>()
  for (const item of items) {
    for (const w of new Set(wavesOf(item))) {
      let list = out.get(w)
      if (!list) out.set(w, (list = []))
      list.push(item)
    }
  }
  return out
}

function waveView(w: Wave): Record<string, unknown> {
  return {
    number: w.number,
    name: plainText(w.name, 80),
    pilot: w.pilot,
    start: w.start ?? `day ${w.dayOffset}`,
    cutover: w.cutover ?? `day ${w.dayOffset} + cadence`,
    servers: w.servers,
    environments: w.environments.join(', '),
    prerequisites: w.prerequisites.map((p) => plainText(p, 200)),
    risk: w.risk.score,
    riskReasons: w.risk.reasons.map((r) => ({factor: r.factor, points: r.points, detail: plainText(r.detail, 200)})),
    dateReasons: w.dateReasons.map((r) => plainText(r, 200)),
  }
}
