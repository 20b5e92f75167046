import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {renderRunSummary} from '../src/report/run-summary.js'
import {FORMAT_IDS} from '../src/importers/registry.js'
import type {FormatId} from '../src/importers/types.js'
import {runPipeline, type PipelineResult} from '../src/pipeline.js'

/** The --json contract: the manifest of what was written, with problems and per-phase timings. */
export type PlanResult = PipelineResult

export default class Plan extends BaseCommand<typeof Plan> {
  static override summary =
    'The whole job in one go: import, assess, plan waves, generate the landing zone, CloudFormation and runbooks, write the report and exports.'
  static override description = `Imports the inputs into a workspace (a new one in OUT/workspace, rebuilt on every run, or --workspace), assesses every server, plans the waves, writes the landing zone, CloudFormation and runbooks, the HTML report and the CSV/XLSX/JSON exports under --out, and prints where everything is. Settings come from --settings, else a migrate-plan.yaml among the inputs (or in --workspace), else the defaults.

It writes everything it can: when a setting only one output needs is missing (organisation.emailDomain for the landing zone, CloudFormation and runbooks), the other outputs are still written, the message names the setting, and the exit code is 1. Bad input or settings: exit 2 and nothing written. Every file is written atomically, and the same inputs give byte-identical files. See docs/plan.md.`
  static override examples = [
    {description: 'The example estate, offline', command: '<%= config.bin %> <%= command.id %> examples/acme --out out'},
    {
      description: 'An RVTools export and agent files, with your settings',
      command: '<%= config.bin %> <%= command.id %> RVTools.xlsx agents/ --settings migrate-plan.yaml --out out',
    },
    {description: 'The manifest of what was written', command: '<%= config.bin %> <%= command.id %> examples/acme --out out --json'},
  ]
  static override strict = false
  static override args = {inputs: Args.string({description: 'Files and folders to import', required: true})}
  static override baseFlags = {
    workspace: Flags.directory({
      char: 'w',
      summary: 'Workspace to import into (default: OUT/workspace, rebuilt from the inputs on every run).',
      helpGroup: 'GLOBAL',
    }),
  }
  static override flags = {
    out: Flags.directory({char: 'o', summary: 'Folder for everything the job writes (created when missing).', required: true}),
    settings: Flags.file({summary: 'Settings file (migrate-plan.yaml) to use.', exists: true}),
    format: Flags.string({char: 'f', summary: 'Force the input format instead of detecting it.', options: [...FORMAT_IDS]}),
    map: Flags.string({summary: 'Column mapping for generic CSVs: field=Header,… or @file.yaml (as import --map).'}),
    usage: Flags.file({summary: 'Usage file for assess (request volumes, durations …).', exists: true}),
    rules: Flags.file({summary: 'Rules file for assess.', exists: true}),
    'as-of': Flags.string({summary: 'Reference date for end-of-support findings, YYYY-MM-DD (default assess.asOf, else today).'}),
    timestamp: Flags.boolean({summary: 'Record the time of the run in the report and workbook (outputs then differ run to run).'}),
  }

  public async run(): Promise<PlanResult> {
    const f = this.flags
    const progress = this.progress('plan')
    const result = await runPipeline({
      inputs: this.positional,
      out: f.out,
      ...(f.workspace ? {workspace: f.workspace} : {}),
      ...(f.settings ? {settings: f.settings} : {}),
      ...(f.format ? {format: f.format as FormatId} : {}),
      ...(f.map ? {map: f.map} : {}),
      ...(f.usage ? {usage: f.usage} : {}),
      ...(f.rules ? {rules: f.rules} : {}),
      ...(f['as-of'] ? {asOf: f['as-of']} : {}),
      timestamp: f.timestamp,
      onProgress: (phase, detail) => progress.update(detail ? `${phase}: ${detail}` : phase),
    })
    progress.done()
    if (result.exitCode !== 0) process.exitCode = result.exitCode
    if (!this.jsonEnabled()) this.log(renderRunSummary(result))
    return result
  }
}
