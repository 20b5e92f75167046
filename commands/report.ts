import {resolve} from 'node:path'

import {Flags} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {loadReportDocuments} from '../src/pipeline.js'
import {loadReportTemplates, renderReport} from '../src/report/index.js'
import {writeFileAtomic} from '../src/util/output.js'

/** The --json contract. */
export interface ReportResult {
  /** Absolute path of the HTML file written. */
  readonly out: string
  readonly bytes: number
  readonly servers: number
  /** False when the workspace has no wave plan (no waves, groups or dependency pictures). */
  readonly plan: boolean
  /** False when the settings allow no landing-zone design; `landingZoneMissing` says why. */
  readonly landingZone: boolean
  readonly landingZoneMissing?: string
  /** Per-application dependency pictures embedded. */
  readonly applications: number
}

export default class Report extends BaseCommand<typeof Report> {
  static override summary = 'Write the single-file HTML insights report.'
  static override description = `One self-contained HTML file (inline CSS, inline SVG charts, a little JavaScript, no network): executive summary with projected cost per pricing model against on-premises, utilisation and right-sizing, the 7 Rs and targets, EC2 vs Lambda with break-even points, findings and data confidence, dependency pictures for the estate and per application, the wave timeline, the landing-zone OU and account tree, and a searchable, sortable server table. Rendered from the stored assessment and wave plan, so it can be rendered again later; the same workspace gives the same bytes (no timestamp unless --timestamp). See docs/report.md.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --out report.html',
    {
      description: 'With the time of rendering in the header',
      command: '<%= config.bin %> <%= command.id %> --out out/report.html --timestamp',
    },
  ]
  static override flags = {
    out: Flags.file({char: 'o', summary: 'HTML file to write.', default: 'report.html'}),
    timestamp: Flags.boolean({summary: 'Show the time of rendering in the header (the file then differs run to run).'}),
  }

  public async run(): Promise<ReportResult> {
    const ws = this.openWorkspace({readonly: true})
    const docs = loadReportDocuments(ws, {applications: true})
    const {html} = renderReport(docs, loadReportTemplates(), this.flags.timestamp ? {generatedAt: new Date().toISOString()} : {})
    const out = resolve(this.flags.out)
    writeFileAtomic(out, html)
    const result: ReportResult = {
      out,
      bytes: Buffer.byteLength(html),
      servers: docs.assessment.servers.length,
      plan: docs.plan !== undefined,
      landingZone: docs.landingZone !== undefined,
      ...(docs.landingZoneMissing ? {landingZoneMissing: docs.landingZoneMissing} : {}),
      applications: docs.applications?.graphs.length ?? 0,
    }
    if (!this.jsonEnabled()) {
      this.log(`${out} (${(result.bytes / 1024).toFixed(0)} KiB, ${result.servers} servers)`)
      if (!result.plan) this.log('note: no wave plan in the workspace: run `migrate-plan waves` for waves and dependencies')
      if (docs.landingZoneMissing) this.log(`note: no landing zone in the report: ${docs.landingZoneMissing}`)
    }
    return result
  }
}
