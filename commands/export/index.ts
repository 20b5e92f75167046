import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {loadReportDocuments} from '../../src/pipeline.js'
import {EXPORT_FORMATS, exportFiles, type ExportFormat} from '../../src/report/export.js'
import {writeFiles} from '../../src/util/output.js'

/** The --json contract. */
export interface ExportResult {
  readonly format: ExportFormat
  /** Absolute output folder. */
  readonly out: string
  /** Files written, relative to `out`, sorted. */
  readonly written: readonly string[]
  /** Files of an earlier export that this one no longer produces, removed. */
  readonly removed: readonly string[]
  /** Rows per table (for JSON: servers per document). */
  readonly tables: Readonly<Record<string, number>>
  /** False when the workspace has no wave plan yet (waves, groups and dependencies are empty). */
  readonly plan: boolean
}

export default class Export extends BaseCommand<typeof Export> {
  static override summary = 'Export servers with recommendations and costs, waves, groups, dependencies and findings as CSV, XLSX or JSON.'
  static override description = `CSV: one RFC 4180 file per table (UTF-8, header row, CRLF line ends, stable column order), with text cells that a spreadsheet would run as a formula (starting with = + - @, tab or CR) prefixed with an apostrophe. XLSX: one workbook, a sheet per table, numbers as numbers, frozen header rows. JSON: the stored Assessment and Plan documents themselves. Costs in CSV and XLSX are rounded to the cent. Needs an assessment; waves, groups and dependencies need a wave plan (\`migrate-plan waves\`). See docs/export.md.`
  static override examples = [
    '<%= config.bin %> <%= command.id %> --format csv --out out/csv',
    {description: 'One workbook for the project manager', command: '<%= config.bin %> <%= command.id %> --format xlsx --out out'},
    {description: 'The documents as JSON', command: '<%= config.bin %> <%= command.id %> --format json --out out/json --json'},
  ]
  static override flags = {
    format: Flags.string({char: 'f', summary: 'Output format.', options: [...EXPORT_FORMATS], default: 'csv'}),
    out: Flags.directory({char: 'o', summary: 'Folder to write into (created when missing).', required: true}),
    timestamp: Flags.boolean({
      summary: 'Record the current time in the workbook (default: the assessment date, so reruns are byte-identical).',
    }),
  }

  public async run(): Promise<ExportResult> {
    const ws = this.openWorkspace({readonly: true})
    const docs = loadReportDocuments(ws)
    const format = this.flags.format as ExportFormat
    const {files, summary} = await exportFiles(docs, format, this.flags.timestamp ? {date: new Date()} : {})
    const result = writeFiles(this.flags.out, files)
    if (!this.jsonEnabled()) {
      for (const [name, rows] of Object.entries(summary.tables)) this.log(`${name.padEnd(18)} ${String(rows).padStart(8)} rows`)
      if (!docs.plan) this.log('note: no wave plan in the workspace: waves, groups and dependencies are empty (run `migrate-plan waves`)')
      this.log(
        `\n${result.written.length} files in ${result.dir}${result.removed.length ? ` (${result.removed.length} stale removed)` : ''}`,
      )
    }
    return {
      format,
      out: result.dir,
      written: result.written,
      removed: result.removed,
      tables: summary.tables,
      plan: docs.plan !== undefined,
    }
  }
}
