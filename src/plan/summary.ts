/** Human-readable summaries of a Plan and of move groups, for the commands' text output. Pure. */
import {renderTable} from '../cli/format.js'
import type {MoveGroup, Plan} from '../model/plan.js'

export function renderWavesSummary(plan: Plan): string {
  const table = renderTable(plan.waves, [
    {header: 'wave', get: (w) => w.name},
    {header: 'start', get: (w) => w.start ?? `day ${w.dayOffset}`},
    {header: 'servers', get: (w) => w.servers, align: 'right'},
    {header: 'groups', get: (w) => w.placements.length, align: 'right'},
    {header: 'environments', get: (w) => w.environments.join(',')},
    {header: 'risk', get: (w) => w.risk.score, align: 'right'},
    {header: 'prerequisites', get: (w) => w.prerequisites.join(', ')},
  ])
  return [
    table,
    '',
    `${plan.servers.length} servers in ${plan.groups.length} move groups; ${plan.sharedServices.length} shared services; ${plan.crossWaveDependencies.length} cross-wave dependencies`,
    `${(plan.graph.unresolvedShare * 100).toFixed(1)}% of observed traffic has an endpoint outside the inventory`,
    ...plan.diagnostics.map((d) => `note: ${d.message}`),
  ].join('\n')
}

export function renderGroups(
  groups: readonly MoveGroup[],
  shared: readonly {readonly name: string; readonly kinds: readonly string[]}[],
): string {
  const table = renderTable(groups, [
    {header: 'group', get: (g) => g.name},
    {header: 'servers', get: (g) => g.servers.length, align: 'right'},
    {header: 'environment', get: (g) => g.environment},
    {header: 'links', get: (g) => g.links.length, align: 'right'},
    {header: 'evidence', get: (g) => g.evidence[0]?.detail},
  ])
  return `${table}\n\n${groups.length} move groups; shared services: ${shared.map((s) => `${s.name} (${s.kinds.join(', ')})`).join(', ') || 'none'}`
}
