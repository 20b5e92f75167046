/**
 * The export tables as one XLSX workbook: a sheet per table, typed cells (numbers are numbers,
 * booleans are booleans, text is text, so nothing in a cell is ever a formula), a bold frozen header
 * row and an auto-filter. Written with ExcelJS's streaming WorkbookWriter, rows committed as they
 * go. Byte-identical for the same tables: the document dates are the given moment and every zip
 * entry's timestamp is set to it afterwards.
 */
import {PassThrough} from 'node:stream'

import ExcelJS from 'exceljs'

import {dosDateTime} from '../util/dos-time.js'
import type {ExportTable} from './tables.js'

export interface XlsxOptions {
  /** Document created/modified date and zip entry times. */
  readonly date: Date
  /** Author recorded in the document properties. @default migrate-plan */
  readonly creator?: string
}

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** Column width in characters: the header or the longest of the first rows, within limits. */
function widths(t: ExportTable): number[] {
  return t.columns.map((c, i) => {
    let w = c.name.length
    for (let r = 0; r < Math.min(t.rows.length, 200); r++) {
      const v = t.rows[r]![i]
      if (v !== undefined) w = Math.max(w, String(v).length)
    }
    return Math.min(60, Math.max(8, w + 2))
  })
}

/** Render tables to an .xlsx file's bytes. */
export async function renderXlsx(tables: readonly ExportTable[], options: XlsxOptions): Promise<Buffer> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve)
    out.on('error', reject)
  })
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({stream: out, useStyles: true, useSharedStrings: false})
  wb.created = options.date
  wb.modified = options.date
  wb.creator = options.creator ?? 'migrate-plan'
  wb.lastModifiedBy = options.creator ?? 'migrate-plan'
  for (const t of tables) {
    const ws = wb.addWorksheet(t.name, {views: [{state: 'frozen', xSplit: 0, ySplit: 1}]})
    ws.columns = widths(t).map((width) => ({width}))
    if (t.columns.length > 0) {
      ws.autoFilter = {from: {row: 1, column: 1}, to: {row: 1, column: t.columns.length}}
    }
    const header = ws.addRow(t.columns.map((c) => c.name))
    header.font = {bold: true}
    header.commit()
    let k = 0
    for (const row of t.rows) {
      ws.addRow(row.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? undefined : v))).commit()
      if (++k % 5000 === 0) await yieldToIo()
    }
    await new Promise<void>((resolve) => {
      const stream = (ws as unknown as {stream: NodeJS.EventEmitter}).stream
      stream.once('zipped', () => resolve())
      ws.commit()
    })
  }
  await wb.commit()
  await done
  return setZipTimestamps(Buffer.concat(chunks), options.date)
}

const SIG_EOCD = 0x06054b50
const SIG_CFH = 0x02014b50
const SIG_LFH = 0x04034b50

/**
 * Zip writers stamp each entry with the time it was written; set every entry's time, in its local
 * header and in the central directory, to one moment. Changes the buffer in place and returns it.
 */
export function setZipTimestamps(zip: Buffer, when: Date): Buffer {
  const {date, time} = dosDateTime(when)
  let eocd = -1
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 65_535); p--) {
    if (zip.readUInt32LE(p) === SIG_EOCD) {
      eocd = p
      break
    }
  }
  if (eocd < 0) throw new Error('not a zip archive (no end of central directory)')
  const entries = zip.readUInt16LE(eocd + 10)
  let p = zip.readUInt32LE(eocd + 16)
  for (let k = 0; k < entries; k++) {
    if (zip.readUInt32LE(p) !== SIG_CFH) throw new Error('damaged zip central directory')
    zip.writeUInt16LE(time, p + 12)
    zip.writeUInt16LE(date, p + 14)
    const local = zip.readUInt32LE(p + 42)
    if (zip.readUInt32LE(local) !== SIG_LFH) throw new Error('damaged zip local header')
    zip.writeUInt16LE(time, local + 10)
    zip.writeUInt16LE(date, local + 12)
    p += 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32)
  }
  return zip
}
