/**
 * The export tables (servers, waves, groups, dependencies, findings, shared services) as typed
 * columns over the documents. CSV and XLSX render these same tables, so the two always agree.
 * Costs are rounded to the cent here (the JSON export keeps them unrounded); every other number
 * is as the documents hold it. Unknown is an empty cell, never 0. Pure.
 */
import {PRICING_MODELS, type PricingModel} from '../model/assessment.js'
import type {MoveGroup, SharedServicePrerequisite, Wave} from '../model/plan.js'
import {cents, joinServers, type JoinedServer, type ReportDocuments} from './documents.js'

export type CellValue = string | number | boolean | undefined

export type ColumnType = 'string' | 'number' | 'integer' | 'boolean'

export interface ColumnSpec {
  /** snake_case header, stable across versions (new columns are added at the end). */
  readonly name: string
  readonly type: ColumnType
  /** One line for docs/export.md. */
  readonly description: string
}

export interface ExportTable {
  /** File stem and sheet name: `servers`, `waves` … */
  readonly name: string
  readonly columns: readonly ColumnSpec[]
  readonly rows: readonly (readonly CellValue[])[]
}

interface Col<R> extends ColumnSpec {
  readonly get: (row: R) => CellValue
}

function table<R>(name: string, cols: readonly Col<R>[], rows: readonly R[]): ExportTable {
  return {
    name,
    columns: cols.map(({name: n, type, description}) => ({name: n, type, description})),
    rows: rows.map((r) => cols.map((c) => c.get(r))),
  }
}

const s = <R>(name: string, description: string, get: (r: R) => CellValue): Col<R> => ({name, type: 'string', description, get})
const n = <R>(name: string, description: string, get: (r: R) => CellValue): Col<R> => ({name, type: 'number', description, get})
const i = <R>(name: string, description: string, get: (r: R) => CellValue): Col<R> => ({name, type: 'integer', description, get})
const b = <R>(name: string, description: string, get: (r: R) => CellValue): Col<R> => ({name, type: 'boolean', description, get})

const list = (xs: readonly string[] | undefined): string | undefined => (xs && xs.length > 0 ? xs.join(' ') : undefined)
const MODEL_COLUMN: Readonly<Record<PricingModel, string>> = {
  'on-demand': 'monthly_usd_on_demand',
  'reserved-1yr': 'monthly_usd_reserved_1yr',
  'reserved-3yr': 'monthly_usd_reserved_3yr',
  'savings-plan-1yr': 'monthly_usd_savings_plan_1yr',
  'savings-plan-3yr': 'monthly_usd_savings_plan_3yr',
}

export const SERVER_COLUMNS: readonly Col<JoinedServer>[] = [
  s('server_id', 'Stable server id (`srv-…`).', (r) => r.a.serverId),
  s('name', 'Display name.', (r) => r.a.name),
  s('os', 'Operating system as the inventory knows it.', (r) => r.inv?.os),
  s('os_family', 'windows, linux, unix or other.', (r) => r.inv?.osFamily),
  s('environment', 'Environment (from the plan, else the inventory).', (r) => r.planned?.environment ?? r.inv?.environment),
  s('applications', 'Application labels from the inventory, space-separated.', (r) => list(r.inv?.applications)),
  s('power_state', 'on, off or suspended.', (r) => r.inv?.powerState),
  s('utilisation_data', 'measured (agent, SSH), reported (another tool) or none.', (r) => r.inv?.utilisation),
  s('plan_role', 'waved, shared-service, retired, retained or not planned.', (r) => r.role),
  s('group_id', 'Move group id.', (r) => r.group?.id),
  s('group', 'Move group name.', (r) => r.group?.name),
  i('wave', 'Wave number.', (r) => r.planned?.wave),
  i('needed_by_wave', 'For a shared service: the first wave that needs it.', (r) => r.shared?.neededByWave),
  s('strategy', 'One of the 7 Rs.', (r) => r.a.strategy),
  s('target', 'Target service (ec2, lambda, rds …).', (r) => r.a.target.service),
  s('target_instance_type', 'Instance or node type of the target.', (r) => r.a.target.instanceType),
  s('target_detail', 'Engine or flavour.', (r) => r.a.target.detail),
  s('migration_via', 'mgn, dms, datasync …', (r) => r.a.target.via),
  i('vcpus', 'Allocated vCPUs.', (r) => r.a.sizing.cpu.allocated ?? r.inv?.vcpus),
  n('memory_mib', 'Allocated memory, MiB.', (r) => r.a.sizing.memory.allocated ?? r.inv?.memoryMib),
  n('storage_gib', 'Provisioned storage, GiB (inventory).', (r) => r.inv?.storageGib),
  s('cpu_statistic', 'Utilisation statistic used for sizing (p95 …).', (r) => r.a.sizing.cpu.statistic),
  n('cpu_pct', 'CPU utilisation at that statistic, percent.', (r) => r.a.sizing.cpu.utilisationPct),
  n('memory_pct', 'Memory utilisation at that statistic, percent.', (r) => r.a.sizing.memory.utilisationPct),
  s('sizing_basis', 'performance, partial, as-is or unknown.', (r) => r.a.sizing.basis),
  s('right_sizing', 'down-sized, up-sized, reshaped, same size, as allocated, idle or not sized.', (r) => r.rightSizing),
  s('recommended_type', 'Right-sized EC2 type.', (r) => r.a.sizing.chosen?.instanceType),
  i('recommended_vcpus', 'Its vCPUs.', (r) => r.a.sizing.chosen?.vcpus),
  n('recommended_memory_mib', 'Its memory, MiB.', (r) => r.a.sizing.chosen?.memoryMib),
  n('ebs_gib', 'Recommended gp3 volume size, GiB.', (r) => r.a.storage.sizeGib),
  ...PRICING_MODELS.map((m) =>
    n<JoinedServer>(MODEL_COLUMN[m], `Target cost per month, ${m}, USD (rounded to the cent).`, (r) => cents(r.a.targetMonthlyUsd[m])),
  ),
  s('unpriced_reason', 'Why the target has no price, when it has none.', (r) => r.a.targetUnpriced),
  n('ec2_monthly_usd', 'Right-sized EC2 on-demand per month, USD (the rehost comparison).', (r) => cents(r.a.compute.ec2.monthlyUsd)),
  n('lambda_fit', 'Lambda fit score, 0–1.', (r) => r.a.compute.lambda.score),
  b('lambda_blocked', 'A rule blocks Lambda.', (r) => r.a.compute.lambda.blocked),
  n('lambda_requests_per_month', 'Estimated requests per month.', (r) => r.a.compute.lambda.estimate?.requestsPerMonth),
  n('lambda_monthly_usd', 'Lambda per month at that volume, USD.', (r) => cents(r.a.compute.lambda.estimate?.monthlyUsd)),
  n('lambda_break_even_requests', 'Requests per month at which Lambda costs as much as EC2.', (r) =>
    r.a.compute.lambda.estimate?.breakEvenRequestsPerMonth === undefined
      ? undefined
      : Math.round(r.a.compute.lambda.estimate.breakEvenRequestsPerMonth),
  ),
  n('fargate_fit', 'Fargate fit score, 0–1.', (r) => r.a.compute.fargate.score),
  n('fargate_monthly_usd', 'Fargate per month, USD.', (r) => cents(r.a.compute.fargate.estimate?.monthlyUsd)),
  n('on_premises_3yr_usd', 'On-premises cost over 3 years, USD (when assess.onPremises is set).', (r) => cents(r.a.tco?.onPremises3yrUsd)),
  n('savings_3yr_usd_on_demand', 'On-premises minus AWS on-demand over 3 years, USD; negative when AWS costs more.', (r) =>
    r.a.tco?.aws3yrUsd['on-demand'] === undefined ? undefined : cents(r.a.tco.onPremises3yrUsd - r.a.tco.aws3yrUsd['on-demand']),
  ),
  i('findings', 'Number of findings.', (r) => r.a.findings.length),
  s('finding_ids', 'Finding ids, space-separated.', (r) => list([...new Set(r.a.findings.map((f) => f.id))])),
  s('rationale', 'Why this strategy (the deciding rule).', (r) => r.a.rationale),
]

export function exportTables(docs: ReportDocuments): ExportTable[] {
  const plan = docs.plan
  const joined = joinServers(docs)
  const groupById = new Map((plan?.groups ?? []).map((g) => [g.id, g]))
  const waveOfGroup = (g: MoveGroup | undefined): number | undefined => g?.wave

  const servers = table('servers', SERVER_COLUMNS, joined)

  const waves = table<Wave>(
    'waves',
    [
      i('wave', 'Wave number.', (w) => w.number),
      s('name', 'Wave name.', (w) => w.name),
      b('pilot', 'The pilot wave.', (w) => w.pilot),
      i('day_offset', 'Days after the first wave starts.', (w) => w.dayOffset),
      s('start', 'Start date (only with waves.startDate).', (w) => w.start),
      s('cutover', 'Last day of the window.', (w) => w.cutover),
      i('servers', 'Servers in the wave.', (w) => w.servers),
      i('groups', 'Move groups placed (whole or split).', (w) => w.placements.length),
      s(
        'group_names',
        'Their names, separated by " | ".',
        (w) => w.placements.map((p) => groupById.get(p.group)?.name ?? p.group).join(' | ') || undefined,
      ),
      s('environments', 'Environments, space-separated.', (w) => list(w.environments)),
      i('risk_score', 'Risk score.', (w) => w.risk.score),
      s(
        'risk_reasons',
        'Risk factors, separated by " | ".',
        (w) => w.risk.reasons.map((x) => `${x.factor} +${x.points}: ${x.detail}`).join(' | ') || undefined,
      ),
      s('prerequisites', 'Shared services needed before it, separated by " | ".', (w) => w.prerequisites.join(' | ') || undefined),
    ],
    plan?.waves ?? [],
  )

  const groups = table<MoveGroup>(
    'groups',
    [
      s('group_id', 'Stable group id.', (g) => g.id),
      s('name', 'Application label or derived name.', (g) => g.name),
      i('servers', 'Member servers.', (g) => g.servers.length),
      i('wave', 'Wave (the first, when split).', (g) => g.wave),
      s('environment', 'Most production-like environment of its members.', (g) => g.environment),
      s('criticality', 'Highest criticality of its members.', (g) => g.criticality),
      n('cohesion', 'Share of its traffic that stays inside it, 0–1.', (g) => g.cohesion),
      i('links', 'Other groups it talks to or is called by.', (g) => g.links.length),
      s(
        'evidence',
        'Why these servers form a group, separated by " | ".',
        (g) => g.evidence.map((e) => `${e.kind}: ${e.detail}`).join(' | ') || undefined,
      ),
    ],
    plan?.groups ?? [],
  )

  interface Dep {
    readonly client: MoveGroup
    readonly server: MoveGroup
    readonly ports: readonly string[]
    readonly observations: number
    readonly flows: number
  }
  const deps: Dep[] = []
  for (const g of plan?.groups ?? []) {
    for (const l of g.links) {
      const other = groupById.get(l.group)
      if (l.direction !== 'out' || !other) continue
      deps.push({client: g, server: other, ports: l.ports, observations: l.observations, flows: l.flows})
    }
  }
  const crossing = new Map((plan?.crossWaveDependencies ?? []).map((c) => [`${c.clientGroup}\0${c.serverGroup}`, c]))
  const dependencies = table<Dep>(
    'dependencies',
    [
      s('client_group_id', 'Group whose servers open the connections.', (d) => d.client.id),
      s('client_group', 'Its name.', (d) => d.client.name),
      s('server_group_id', 'Group whose servers listen.', (d) => d.server.id),
      s('server_group', 'Its name.', (d) => d.server.name),
      s('ports', 'Ports, space-separated (tcp/443 …).', (d) => list(d.ports)),
      n('observations', 'Observed connections (summed counts).', (d) => d.observations),
      i('flows', 'Server pairs behind the link.', (d) => d.flows),
      i('client_wave', 'Wave of the client group.', (d) => waveOfGroup(d.client)),
      i('server_wave', 'Wave of the server group.', (d) => waveOfGroup(d.server)),
      b('crosses_waves', 'The two groups move in different waves (hybrid connectivity needed meanwhile).', (d) =>
        crossing.has(`${d.client.name}\0${d.server.name}`),
      ),
      b(
        'dependent_first',
        'The client moves before the server it depends on.',
        (d) => crossing.get(`${d.client.name}\0${d.server.name}`)?.dependentFirst,
      ),
    ],
    deps,
  )

  interface FindingRow {
    readonly r: JoinedServer
    readonly f: JoinedServer['a']['findings'][number]
  }
  const findings = table<FindingRow>(
    'findings',
    [
      s('server_id', 'Server id.', (x) => x.r.a.serverId),
      s('name', 'Server name.', (x) => x.r.a.name),
      s('finding', 'Finding id.', (x) => x.f.id),
      s('severity', 'info, low, medium or high.', (x) => x.f.severity),
      s('rule', 'Rule that raised it.', (x) => x.f.rule),
      s('message', 'What it means and what to do.', (x) => x.f.message),
    ],
    joined.flatMap((r) => r.a.findings.map((f) => ({r, f}))),
  )

  const shared = table<SharedServicePrerequisite>(
    'shared_services',
    [
      s('server_id', 'Server id.', (x) => x.serverId),
      s('name', 'Server name.', (x) => x.name),
      s('kinds', 'dns, directory, ntp, smtp, monitoring, backup, patching, logging, hub.', (x) => list(x.kinds)),
      s('ports', 'Ports its clients use.', (x) => list(x.ports)),
      i('clients', 'Distinct client servers.', (x) => x.clients),
      i('needed_by_wave', 'First wave that needs it.', (x) => x.neededByWave),
      s('requirement', 'What must be true before that wave.', (x) => x.requirement),
    ],
    plan?.sharedServices ?? [],
  )
  return [servers, waves, groups, dependencies, findings, shared]
}
