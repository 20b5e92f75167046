/**
 * `export --format csv|xlsx|json`: the documents as files a project manager can filter. CSV: one
 * file per table (src/report/tables.ts); XLSX: one workbook with a sheet per table; JSON: the
 * stored documents themselves. Returns a file map; the caller writes it. Pure apart from
 * ExcelJS's (in-memory) streaming.
 */
import {contentBytes, utf8Pieces, type FileMap, type StreamedContent} from '../util/output.js'
import {csvContent} from './csv.js'
import type {ReportDocuments} from './documents.js'
import {exportTables, type ExportTable} from './tables.js'
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
  /**
   * The export tables of these documents, when the caller already made them: the pipeline writes
   * CSV and XLSX from one set instead of joining 100,000 servers twice. @default exportTables(docs)
   */
  readonly tables?: readonly ExportTable[]
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
    const files: Record<string, StreamedContent> = {'assessment.json': documentJsonContent(docs.assessment)}
    const tables: Record<string, number> = {assessment: docs.assessment.servers.length}
    if (docs.plan) {
      files['plan.json'] = documentJsonContent(docs.plan)
      tables.plan = docs.plan.servers.length
    }
    return {files, summary: {tables}}
  }
  const tables = options.tables ?? exportTables(docs)
  const summary = {tables: Object.fromEntries(tables.map((t) => [t.name, t.rows.length]))}
  if (format === 'csv') return {files: Object.fromEntries(tables.map((t) => [`${t.name}.csv`, csvContent(t)])), summary}
  const bytes = await renderXlsx(tables, {date: options.date ?? defaultExportDate(docs)})
  return {files: {[XLSX_FILE]: bytes}, summary}
}

/**
 * A document as JSON text that parses back to exactly the document: top-level keys on their own
 * lines, each element of a top-level array on its own line.
 */
export function documentJson(doc: object): Uint8Array {
  return contentBytes(documentJsonContent(doc))
}

/**
 * {@link documentJson} made while it is written, in UTF-8 pieces of 4 MiB that reuse one buffer, so
 * a 100,000-server Assessment (441 MB of JSON) is never held whole, neither as one JavaScript
 * string nor as bytes. Holding it as bytes cost twice its size, and every 64 MB or so of new
 * buffer memory made V8 mark the whole heap (about 1.5 s each at 100,000 servers).
 */
export function documentJsonContent(doc: object): StreamedContent {
  return {pieces: () => utf8Pieces(documentJsonTexts(doc))}
}

function* documentJsonTexts(doc: object): Generator<string> {
  const entries = Object.entries(doc).filter(([, v]) => v !== undefined && typeof v !== 'function')
  yield '{\n'
  for (const [index, [k, v]] of entries.entries()) {
    yield `  ${JSON.stringify(k)}: `
    if (Array.isArray(v) && v.length > 0) {
      yield '[\n'
      for (let j = 0; j < v.length; j++) {
        yield `    ${JSON.stringify(v[j]) ?? 'null'}${j < v.length - 1 ? ',' : ''}\n`
      }
      yield '  ]'
    } else {
      yield JSON.stringify(v)
    }
    yield index < entries.length - 1 ? ',\n' : '\n'
  }
  yield '}\n'
}
