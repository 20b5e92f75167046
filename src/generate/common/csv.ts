/** CSV writing shared by the generators: RFC 4180, CRLF-free, formula injection neutralised. */
import {plainText} from './text.js'

/**
 * One RFC 4180 cell. Text that a spreadsheet would run as a formula (starting with = + - @, tab or
 * CR) gets a leading apostrophe (OWASP CSV injection); line breaks become spaces.
 */
export function csvCell(value: string | number | boolean | undefined): string {
  if (value === undefined) return ''
  if (typeof value !== 'string') return String(value)
  let s = plainText(value, 4096)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** A CSV file: header row, then one row per record, `\n` line ends, final newline. */
export function csvFile(header: readonly string[], rows: readonly (readonly (string | number | boolean | undefined)[])[]): string {
  return [header, ...rows].map((r) => r.map(csvCell).join(',')).join('\n') + '\n'
}
