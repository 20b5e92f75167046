import {BaseCommand} from '../../src/cli/base-command.js'
import {ASSESSMENT_SCHEMA_VERSION, type Assessment} from '../../src/model/assessment.js'
import type {GraphSummary, MoveGroup} from '../../src/model/plan.js'
import {buildGraph} from '../../src/plan/graph.js'
import {analyseDependencies, describeGroups} from '../../src/plan/plan.js'
import {renderGroups} from '../../src/plan/summary.js'

export interface WavesGroupsResult {
  readonly graph: GraphSummary
  /** Modularity of the grouping on the weighted server graph (shared services left out). */
  readonly modularity: number
  readonly sharedServices: readonly {
    readonly serverId: string
    readonly name: string
    readonly kinds: readonly string[]
    readonly evidence: readonly string[]
  }[]
  readonly groups: readonly MoveGroup[]
}

export default class WavesGroups extends BaseCommand<typeof WavesGroups> {
  static override summary = 'Show the move groups: members, evidence and links to other groups.'
  static override description =
    'Groups come from application labels the inventory already has (import-template Applications, application tags, annotations, VM folders that name an application), then from traffic (community detection on the weighted dependency graph, shared services left out). Use the names shown here with `waves --pin` and `--move-together`.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {description: 'Everything, as JSON', command: '<%= config.bin %> <%= command.id %> --json'},
  ]

  public async run(): Promise<WavesGroupsResult> {
    const ws = this.openWorkspace()
    const stored = ws.loadDocument<Assessment>('assessment')
    const assessment = stored?.schemaVersion === ASSESSMENT_SCHEMA_VERSION ? stored : undefined
    const graph = buildGraph(ws.planningServers(), ws.connectionRows(), {onPremisesCidrs: ws.settings.organisation.onPremisesCidrs ?? []})
    const analysis = analyseDependencies({graph, waves: ws.settings.waves, assessment})
    const groups = describeGroups(analysis)
    const result: WavesGroupsResult = {
      graph: graph.summary,
      modularity: Math.round(analysis.grouping.modularity * 1e6) / 1e6,
      sharedServices: analysis.shared.map((s) => ({
        serverId: graph.nodes[s.node]!.id,
        name: graph.nodes[s.node]!.name,
        kinds: s.kinds,
        evidence: s.evidence,
      })),
      groups,
    }
    if (!this.jsonEnabled()) this.log(renderGroups(groups, result.sharedServices))
    return result
  }
}
