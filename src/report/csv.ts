/**
 * CSV per RFC 4180: UTF-8 without a byte-order mark, a header row, CRLF line ends (also after the
 * last record), fields quoted when they hold a comma, a quote, CR or LF, quotes doubled inside.
 *
 * Formula injection (OWASP "CSV Injection"): a text cell that starts with `=`, `+`, `-`, `@`, tab
 * or carriage return would run as a formula in Excel, LibreOffice or Google Sheets, so it gets a
 * leading apostrophe. Only text from the documents is neutralised: numbers and booleans are
 * written by this code from typed values, so a negative number stays a number. Pure.
 */
import {utf8Pieces, type StreamedContent} from '../util/output.js'
import type {CellValue, ExportTable} from './tables.js'

const FORMULA_START = /^[=+\-@\t\r]/
const NEEDS_QUOTES = /[",\r\n]/

/** One field. */
export function csvField(value: CellValue): string {
  if (value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'true' : 'false'
  const text = FORMULA_START.test(value) ? `'${value}` : value
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}

/** A whole table as CSV text. */
export function renderCsv(t: ExportTable): string {
  return [...csvLines(t)].join('')
}

/**
 * A table as CSV made while it is written ({@link renderCsv}'s bytes): the 100,000-server table as
 * one string, with its lines, was about 100 MB held at once while the exports were written.
 */
export function csvContent(t: ExportTable): StreamedContent {
  return {pieces: () => utf8Pieces(csvLines(t))}
}

/** The header and each record, each with its CRLF. */
function* csvLines(t: ExportTable): Generator<string> {
  yield `${t.columns.map((c) => csvField(c.name)).join(',')}\r\n`
  for (const row of t.rows) yield `${row.map(csvField).join(',')}\r\n`
}
