/**
 * Streaming xlsx reading. yauzl reads the zip's central directory to list the sheets cheaply
 * (and to reject a truncated or non-xlsx file up front); ExcelJS's streaming WorkbookReader then
 * reads the rows without holding the workbook in memory.
 */
import ExcelJS from 'exceljs'
import yauzl from 'yauzl'

import {UserInputError} from '../errors.js'
import type {Cell, TableVisitor} from './table.js'

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, {lazyEntries: true, autoClose: true, strictFileNames: false}, (err, zip) => (err ? reject(err) : resolve(zip)))
  })
}

function readEntry(zip: yauzl.ZipFile, entry: yauzl.Entry, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (err, stream) => {
      if (err) return reject(err)
      const chunks: Buffer[] = []
      let size = 0
      stream.on('data', (c: Buffer) => {
        size += c.length
        if (size > limit) {
          stream.destroy()
          reject(new Error(`${entry.fileName} is larger than ${limit} bytes`))
          return
        }
        chunks.push(c)
      })
      stream.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
      stream.on('error', reject)
    })
  })
}

function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (m, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec))
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16))
    return ({lt: '<', gt: '>', quot: '"', apos: "'", amp: '&'} as Record<string, string>)[name.toLowerCase()] ?? m
  })
}

/**
 * Sheet names of an xlsx file in workbook order. Throws a UserInputError when the file is not a
 * complete xlsx (truncated download, renamed CSV, password-protected workbook).
 */
export async function listSheets(file: string): Promise<string[]> {
  let zip: yauzl.ZipFile
  try {
    zip = await openZip(file)
  } catch (error) {
    throw notXlsx(file, error)
  }
  return new Promise<string[]>((resolve, reject) => {
    let found = false
    zip.on('entry', (entry: yauzl.Entry) => {
      if (entry.fileName !== 'xl/workbook.xml') {
        zip.readEntry()
        return
      }
      found = true
      readEntry(zip, entry, 16 << 20)
        .then((xml) => {
          zip.close()
          const names = [...xml.matchAll(/<(?:\w+:)?sheet\b[^>]*?\bname="([^"]*)"/g)].map((m) => xmlUnescape(m[1]!))
          resolve(names)
        })
        .catch((error: unknown) => reject(notXlsx(file, error)))
    })
    zip.on('end', () => {
      if (!found) reject(notXlsx(file, new Error('no xl/workbook.xml inside')))
    })
    zip.on('error', (error: unknown) => reject(notXlsx(file, error)))
    zip.readEntry()
  })
}

function notXlsx(file: string, error: unknown): UserInputError {
  const reason = error instanceof Error ? error.message : String(error)
  const truncated = /central directory|end of central|unexpected EOF|truncated|invalid relative offset|invalid comment length/i.test(reason)
  return new UserInputError(
    truncated ? 'IMPORT_XLSX_TRUNCATED' : 'IMPORT_XLSX_INVALID',
    truncated ? `the xlsx file is truncated or damaged (${reason})` : `not a readable xlsx workbook (${reason})`,
    {
      location: {file},
      hint: truncated
        ? 'The file is incomplete: copy or download it again, then re-run the import.'
        : 'Open and save it again in Excel as "Excel Workbook (.xlsx)"; password-protected and .xls files cannot be read.',
      cause: error,
    },
  )
}

/** exceljs cell value → plain Cell. */
export function toCell(v: unknown): Cell {
  if (v === null || v === undefined) return undefined
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v
  if (v instanceof Date) return v
  if (typeof v === 'object') {
    const o = v as {richText?: {text: string}[]; result?: unknown; text?: unknown; error?: string; formula?: string; sharedFormula?: string}
    if (Array.isArray(o.richText)) return o.richText.map((r) => r.text).join('')
    if ('result' in o || o.formula !== undefined || o.sharedFormula !== undefined) return toCell(o.result)
    if (o.error !== undefined) return undefined
    if (typeof o.text === 'string') return o.text
  }
  return undefined
}

/** Marks an error thrown by the caller's row handler, so that it is rethrown unchanged. */
class FromHandler {
  constructor(readonly inner: unknown) {}
}

/**
 * Stream every sheet of an xlsx workbook through a visitor. The first non-empty row of each sheet
 * is its header. Sheets arrive in the order they are stored in the zip, not workbook order.
 */
export async function readXlsx(file: string, visitor: TableVisitor, onProgress?: (rows: number) => void): Promise<void> {
  await listSheets(file) // validates the container before streaming
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(file, {
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  })
  let total = 0
  let sheetName = ''
  let rowNumber = 0
  try {
    for await (const ws of reader) {
      const sheet = ws as unknown as AsyncIterable<ExcelJS.Row> & {name?: string; id?: number}
      sheetName = sheet.name ?? `sheet${sheet.id ?? '?'}`
      let handler: ReturnType<TableVisitor> | undefined
      let headerSeen = false
      let skip = false
      for await (const row of sheet) {
        if (skip) continue
        rowNumber = row.number
        const values = row.values as unknown[]
        const cells: Cell[] = []
        for (let i = 1; i < values.length; i++) cells.push(toCell(values[i]))
        if (!headerSeen) {
          if (cells.every((c) => c === undefined || (typeof c === 'string' && c.trim() === ''))) continue
          headerSeen = true
          handler = visitor(
            sheetName,
            cells.map((c) => (c === undefined || c === null ? '' : String(c).trim())),
          )
          if (!handler) skip = true
          continue
        }
        try {
          handler!(cells, row.number)
        } catch (error) {
          throw new FromHandler(error)
        }
        if ((++total & 0x3ff) === 0) onProgress?.(total)
      }
    }
  } catch (error) {
    if (error instanceof FromHandler) throw error.inner
    if (error instanceof UserInputError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new UserInputError('IMPORT_XLSX_READ', `cannot read the workbook: ${reason}`, {
      location: {file, sheet: sheetName || undefined, row: rowNumber || undefined},
      hint: 'Open and save it again in Excel as "Excel Workbook (.xlsx)", or export the sheets as CSV.',
      cause: error,
    })
  }
}
