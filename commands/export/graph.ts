import {createWriteStream} from 'node:fs'
import type {Writable} from 'node:stream'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {UserInputError} from '../../src/errors.js'
import {ASSESSMENT_SCHEMA_VERSION, type Assessment} from '../../src/model/assessment.js'
import type {Plan} from '../../src/model/plan.js'
import {GRAPH_FORMATS, renderGraph, type GraphFormat} from '../../src/plan/export.js'
import {buildGraph} from '../../src/plan/graph.js'
import {analyseDependencies} from '../../src/plan/plan.js'

export interface ExportGraphResult {
  readonly format: GraphFormat
  readonly nodes: number
  readonly edges: number
  /** The file written, when --output was given. */
  readonly output?: string
}

export default class ExportGraph extends BaseCommand<typeof ExportGraph> {
  static override summary = 'Export the dependency graph as GraphML, DOT or CSV.'
  static override description =
    'Nodes are servers and the endpoints no server owns (internet or unknown internal addresses); edges run client → server with ports, processes and observation counts. Nodes carry their move group, shared-service kind and, when a plan exists, their wave. Without --output the graph goes to standard output.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --format graphml --output deps.graphml',
    {description: 'Render with Graphviz', command: '<%= config.bin %> <%= command.id %> --format dot | dot -Tsvg > deps.svg'},
  ]
  static override flags = {
    format: Flags.string({char: 'f', summary: 'Output format.', options: [...GRAPH_FORMATS], default: 'graphml'}),
    output: Flags.file({char: 'o', summary: 'File to write (default: standard output).'}),
  }

  public async run(): Promise<ExportGraphResult> {
    const ws = this.openWorkspace()
    const stored = ws.loadDocument<Assessment>('assessment')
    const assessment = stored?.schemaVersion === ASSESSMENT_SCHEMA_VERSION ? stored : undefined
    const graph = buildGraph(ws.planningServers(), ws.connectionRows(), {onPremisesCidrs: ws.settings.organisation.onPremisesCidrs ?? []})
    const analysis = analyseDependencies({graph, waves: ws.settings.waves, assessment})
    const waveOf = new Map((ws.loadDocument<Plan>('plan')?.servers ?? []).map((s) => [s.id, s.wave]))
    const sharedOf = new Map(analysis.shared.map((s) => [s.node, s.kinds.join(' ')]))
    const format = this.flags.format as GraphFormat
    const lines = renderGraph(format, {
      graph,
      attributes: (i) => ({
        group: analysis.grouping.groups[analysis.grouping.groupOf[i] ?? -1]?.name,
        shared: sharedOf.get(i),
        wave: waveOf.get(graph.nodes[i]!.id),
      }),
    })
    if (this.jsonEnabled() && !this.flags.output) {
      throw new UserInputError('EXPORT_JSON_NEEDS_OUTPUT', '--json prints the summary, so the graph needs --output FILE', {
        hint: 'Add --output deps.' + format,
      })
    }
    const out: Writable = this.flags.output ? createWriteStream(this.flags.output) : process.stdout
    for (const line of lines) if (!out.write(`${line}\n`)) await new Promise((r) => out.once('drain', r))
    if (out !== process.stdout) await new Promise<void>((res, rej) => out.on('error', rej).end(() => res()))
    return {format, nodes: graph.nodes.length, edges: graph.edges.length, ...(this.flags.output ? {output: this.flags.output} : {})}
  }
}
