/**
 * `export --format csv|xlsx|json`: the documents as files a project manager can filter. CSV: one
 * file per table (src/report/tables.ts); XLSX: one workbook with a sheet per table; JSON: the
 * stored documents themselves. Returns a file map; the caller writes it. Pure apart from
 * ExcelJS's (in-memory) streaming.
 */
import type {FileMap} from '../util/output.js'
import {renderCsv} from './csv.js'
import type {ReportDocuments} from './documents.js'
import {exportTables} from './tables.js'
import {renderXlsx} from './xlsx.js'

export type ExportFormat = 'csv' | 'xlsx' | 'json'
export const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'xlsx', 'json']

export const XLSX_FILE = 'migrate-plan.xlsx'

export interface ExportOptions {
  /**
   * Moment recorded in the workbook (document properties and zip entry times). Deterministic by
   * default: the assessment's asOf date at 00:00 UTC.
   */
  readonly date?: Date
}

export interface ExportSummary {
  /** Table (or document) → rows written (for JSON: the number of servers in the document). */
  readonly tables: Readonly<Record<string, number>>
}

/** The moment an export records by default: the assessment's reference date, so outputs are reproducible. */
export function defaultExportDate(docs: Pick<ReportDocuments, 'assessment'>): Date {
  const d = new Date(`${docs.assessment.asOf}T00:00:00Z`)
  return Number.isNaN(d.getTime()) || d.getUTCFullYear() < 1980 ? new Date('1980-01-01T00:00:00Z') : d
}

export async function exportFiles(
  docs: ReportDocuments,
  format: ExportFormat,
  options: ExportOptions = {},
): Promise<{files: FileMap; summary: ExportSummary}> {
  if (format === 'json') {
    const files: Record<string, Uint8Array> = {'assessment.json': documentJson(docs.assessment)}
    const tables: Record<string, number> = {assessment: docs.assessment.servers.length}
    if (docs.plan) {
      files['plan.json'] = documentJson(docs.plan)
      tables.plan = docs.plan.servers.length
    }
    return {files, summary: {tables}}
  }
  const tables = exportTables(docs)
  const summary = {tables: Object.fromEntries(tables.map((t) => [t.name, t.rows.length]))}
  if (format === 'csv') return {files: Object.fromEntries(tables.map((t) => [`${t.name}.csv`, renderCsv(t)])), summary}
  const bytes = await renderXlsx(tables, {date: options.date ?? defaultExportDate(docs)})
  return {files: {[XLSX_FILE]: bytes}, summary}
}

/**
 * A document as JSON text that parses back to exactly the document: top-level keys on their own
 * lines, each element of a top-level array on its own line. Built in pieces, so a 100,000-server
 * Assessment never has to fit in one JavaScript string.
 */
export function documentJson(doc: object): Uint8Array {
  const parts: Buffer[] = []
  const push = (s: string): void => {
    parts.push(Buffer.from(s, 'utf8'))
  }
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined && typeof v !== 'function')
  push('{\n')
  entries.forEach(([k, v], index) => {
    push(`  ${JSON.stringify(k)}: `)
    if (Array.isArray(v) && v.length > 0) {
      push('[\n')
      let batch: string[] = []
      v.forEach((item: unknown, j) => {
        batch.push(`    ${JSON.stringify(item) ?? 'null'}${j < v.length - 1 ? ',' : ''}\n`)
        if (batch.length === 1000) {
          push(batch.join(''))
          batch = []
        }
      })
      push(batch.join(''))
      push('  ]')
    } else {
      push(JSON.stringify(v))
    }
    push(index < entries.length - 1 ? ',\n' : '\n')
  })
  push('}\n')
  return Buffer.concat(parts)
}
