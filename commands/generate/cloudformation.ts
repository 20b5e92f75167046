import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {ExitCode} from '../../src/errors.js'
import {
  flowsFromGraph,
  generateCloudFormation,
  validateTemplates,
  type StackSummary,
  type ValidationReport,
} from '../../src/generate/cloudformation/index.js'
import {checkWave, requireAssessment, requirePlan} from '../../src/generate/inputs.js'
import {loadTemplates} from '../../src/generate/templates.js'
import {buildGraph} from '../../src/plan/graph.js'
import {writeFiles} from '../../src/util/output.js'

/** The --json contract. */
export interface GenerateCloudFormationResult {
  readonly out: string
  readonly written: number
  readonly removed: readonly string[]
  readonly stacks: readonly StackSummary[]
  /** With --validate. */
  readonly validation?: ValidationReport
  readonly diagnostics: readonly string[]
}

export default class GenerateCloudFormation extends BaseCommand<typeof GenerateCloudFormation> {
  static override summary = 'Write CloudFormation: a network stack per account, MGN settings, and workload stacks per wave.'
  static override description = `From the assessment and the wave plan: a multi-tier VPC per account (public/app/data subnets over 2–3 AZs, NAT per AZ, gateway endpoints, flow logs), Application Migration Service replication and launch templates, and per wave the right-sized EC2 launch templates, Auto Scaling groups behind load balancers for web tiers, RDS/Aurora with DMS tasks, ElastiCache, Amazon MQ, EFS, FSx and Lambda skeletons, with security groups opened only for the flows observed. --validate checks every template with AWS CloudFormation Validate (offline) and exits 1 on errors. See docs/cloudformation.md.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --out out/cloudformation --validate',
    {description: 'Only wave 2', command: '<%= config.bin %> <%= command.id %> --out cfn --wave 2'},
  ]
  static override flags = {
    out: Flags.directory({char: 'o', summary: 'Folder to write into (created when missing).', required: true}),
    wave: Flags.integer({summary: 'Only this wave (plus the network and MGN stacks of its accounts).', min: 1}),
    validate: Flags.boolean({summary: 'Validate every template with AWS CloudFormation Validate; exit 1 on errors.'}),
  }

  public async run(): Promise<GenerateCloudFormationResult> {
    const ws = this.openWorkspace({readonly: true})
    const assessment = requireAssessment(ws.loadDocument('assessment'))
    const plan = requirePlan(ws.loadDocument('plan'))
    checkWave(plan, this.flags.wave)
    const servers = ws.bareServers()
    const graph = buildGraph(servers, ws.connectionRows(), {onPremisesCidrs: ws.settings.organisation.onPremisesCidrs ?? []})
    const result = generateCloudFormation(
      {settings: ws.settings, servers, assessment, plan, flows: flowsFromGraph(graph), wave: this.flags.wave},
      loadTemplates(),
    )
    const written = writeFiles(this.flags.out, result.files)
    const validation = this.flags.validate ? validateTemplates(result.templates, result.design.workloadRegion) : undefined
    if (validation?.errors.length) process.exitCode = ExitCode.Problems
    if (!this.jsonEnabled()) {
      for (const s of result.stacks) this.log(`${s.file.padEnd(48)} ${String(s.resources).padStart(4)} resources`)
      this.log(
        `\n${written.written.length} files in ${written.dir}${written.removed.length ? ` (${written.removed.length} stale removed)` : ''}`,
      )
      if (validation) {
        this.log(
          `${validation.engine}: ${validation.templates} templates, ${validation.errors.length} errors, ${validation.warnings.length} warnings`,
        )
        for (const f of [...validation.errors, ...validation.warnings])
          this.log(`${f.severity} ${f.ruleId} ${f.file}${f.line ? `:${f.line}` : ''} ${f.logicalId ?? ''} ${f.message}`)
        if (validation.unchecked.length)
          this.log(`not checked (no schema in the validator): ${[...new Set(validation.unchecked.map((f) => f.message))].join('; ')}`)
      }
      // A large estate has thousands of notes: the first 50 here, all of them in README.md and --json.
      for (const d of result.diagnostics.slice(0, 50)) this.log(`note: ${d}`)
      if (result.diagnostics.length > 50)
        this.log(`… and ${(result.diagnostics.length - 50).toLocaleString('en-US')} more notes: see ${written.dir}/README.md, or --json`)
    }
    return {
      out: written.dir,
      written: written.written.length,
      removed: written.removed,
      stacks: result.stacks,
      ...(validation ? {validation} : {}),
      diagnostics: result.diagnostics,
    }
  }
}
