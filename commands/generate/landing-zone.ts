import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {generateLandingZone} from '../../src/generate/landing-zone/index.js'
import {loadTemplates} from '../../src/generate/templates.js'
import {PLAN_SCHEMA_VERSION, type Plan} from '../../src/model/plan.js'
import {writeFiles} from '../../src/util/output.js'

/** The --json contract. */
export interface GenerateLandingZoneResult {
  readonly out: string
  readonly written: number
  readonly removed: readonly string[]
  readonly governedRegions: readonly string[]
  readonly accounts: readonly {
    readonly name: string
    readonly email: string
    readonly ou: string
    readonly servers: number
    readonly vpc?: string
  }[]
  readonly diagnostics: readonly string[]
}

export default class GenerateLandingZone extends BaseCommand<typeof GenerateLandingZone> {
  static override summary =
    'Write the landing zone: Control Tower manifest, accounts, SCPs, permission sets, IP plan, CfCT and LZA configs.'
  static override description = `Designs the AWS Organizations layout (Security, Infrastructure, Workloads/Prod and NonProd per business unit, Sandbox, Suspended) from migrate-plan.yaml (organisation.*, landingZone.*) and the inventory, and writes the Control Tower CreateLandingZone manifest (validated against the 3.3 schema), Account Factory vending as CloudFormation, baseline SCPs, IAM Identity Center permission sets, a non-overlapping IP plan, and Customizations for Control Tower and Landing Zone Accelerator equivalents. Uses the stored plan, when there is one, to put shared services in the Shared Services account. See docs/landing-zone.md.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --out out/landing-zone',
    {description: 'Machine-readable summary', command: '<%= config.bin %> <%= command.id %> --out lz --json'},
  ]
  static override flags = {
    out: Flags.directory({char: 'o', summary: 'Folder to write into (created when missing).', required: true}),
  }

  public async run(): Promise<GenerateLandingZoneResult> {
    const ws = this.openWorkspace({readonly: true})
    const stored = ws.loadDocument<Plan>('plan')
    const plan = stored?.schemaVersion === PLAN_SCHEMA_VERSION ? stored : undefined
    const {files, design} = generateLandingZone({settings: ws.settings, servers: ws.bareServers(), plan}, loadTemplates())
    const written = writeFiles(this.flags.out, files)
    const vpcOf = new Map(design.ipPlan.vpcs.filter((v) => v.region === design.workloadRegion).map((v) => [v.account, v.cidr]))
    const accounts = design.accounts.map((a) => ({
      name: a.name,
      email: a.email,
      ou: a.ou,
      servers: a.servers.length,
      ...(vpcOf.has(a.key) ? {vpc: vpcOf.get(a.key)} : {}),
    }))
    if (!this.jsonEnabled()) {
      for (const a of accounts) this.log(`${a.name.padEnd(24)} ${a.ou.padEnd(18)} ${(a.vpc ?? '-').padEnd(16)} ${a.email}`)
      this.log(
        `\n${written.written.length} files in ${written.dir}${written.removed.length ? ` (${written.removed.length} stale removed)` : ''}`,
      )
      for (const d of design.diagnostics) this.log(`note: ${d}`)
    }
    return {
      out: written.dir,
      written: written.written.length,
      removed: written.removed,
      governedRegions: design.governedRegions,
      accounts,
      diagnostics: design.diagnostics,
    }
  }
}
