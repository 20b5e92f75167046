import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {checkWave, requireAssessment, requirePlan} from '../../src/generate/inputs.js'
import {generateRunbooks, type WaveRunbookSummary} from '../../src/generate/runbooks/index.js'
import {loadTemplates} from '../../src/generate/templates.js'
import {writeFiles} from '../../src/util/output.js'

/** The --json contract. */
export interface GenerateRunbooksResult {
  readonly out: string
  readonly written: number
  readonly removed: readonly string[]
  readonly waves: readonly WaveRunbookSummary[]
}

export default class GenerateRunbooks extends BaseCommand<typeof GenerateRunbooks> {
  static override summary = 'Write a cutover runbook per wave (Markdown and HTML), the MGN import CSV and DMS table mappings.'
  static override description = `From the assessment and the wave plan, per wave: prerequisites (accounts and stacks, shared services, hybrid connectivity and the ports to open), Application Migration Service agent install commands for Linux and Windows, replication, test launch, DMS steps per database, data moves for managed services, cutover, validation checklist, rollback plan, owners and dates; plus the MGN source-server import CSV and a DMS table-mapping JSON per database. See docs/runbooks.md.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --out out/runbooks',
    {description: 'Only wave 1', command: '<%= config.bin %> <%= command.id %> --out runbooks --wave 1 --json'},
  ]
  static override flags = {
    out: Flags.directory({char: 'o', summary: 'Folder to write into (created when missing).', required: true}),
    wave: Flags.integer({summary: 'Only this wave.', min: 1}),
  }

  public async run(): Promise<GenerateRunbooksResult> {
    const ws = this.openWorkspace({readonly: true})
    const assessment = requireAssessment(ws.loadDocument('assessment'))
    const plan = requirePlan(ws.loadDocument('plan'))
    checkWave(plan, this.flags.wave)
    const result = generateRunbooks(
      {settings: ws.settings, servers: ws.bareServers(), assessment, plan, wave: this.flags.wave},
      loadTemplates(),
    )
    const written = writeFiles(this.flags.out, result.files)
    if (!this.jsonEnabled()) {
      for (const w of result.waves)
        this.log(`${w.folder}  ${w.servers} servers, ${w.rehost} to rehost with MGN, ${w.databases} databases with DMS`)
      this.log(
        `\n${written.written.length} files in ${written.dir}${written.removed.length ? ` (${written.removed.length} stale removed)` : ''}`,
      )
    }
    return {out: written.dir, written: written.written.length, removed: written.removed, waves: result.waves}
  }
}
