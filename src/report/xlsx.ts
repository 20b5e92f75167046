/**
 * The export tables as one XLSX workbook: a sheet per table, typed cells (numbers are numbers,
 * booleans are booleans, text is text, so nothing in a cell is ever a formula), a bold frozen header
 * row and an auto-filter. Byte-identical for the same tables: the document dates are the given
 * moment and every zip entry's timestamp is set to it afterwards.
 *
 * Written in two steps. ExcelJS's streaming WorkbookWriter writes the workbook with each sheet's
 * header row only, so every part but the data rows is ExcelJS's own (styles, views, columns,
 * auto-filter, document properties, zip layout). The data rows are then written into each sheet
 * part as ExcelJS renders a row of unstyled text, number and boolean cells, and deflated as its zip
 * writer deflates a sheet. ExcelJS itself spent about 20 s of CPU on the rows of 100,000 servers,
 * half of it looking up the (empty) style of every cell.
 */
import {inflateRawSync, createDeflateRaw, crc32} from 'node:zlib'
import {PassThrough} from 'node:stream'
import {pipeline} from 'node:stream/promises'

import ExcelJS from 'exceljs'

import {dosDateTime} from '../util/dos-time.js'
import type {CellValue, ExportTable} from './tables.js'

export interface XlsxOptions {
  /** Document created/modified date and zip entry times. */
  readonly date: Date
  /** Author recorded in the document properties. @default migrate-plan */
  readonly creator?: string
}

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
  const headers = await renderHeaders(tables, options)
  const sheets = new Map(tables.map((t, i) => [`xl/worksheets/sheet${i + 1}.xml`, t]))
  return setZipTimestamps(await addRows(headers, sheets), options.date)
}

/** The workbook as ExcelJS writes it with the header row of each table and none of its rows. */
async function renderHeaders(tables: readonly ExportTable[], options: XlsxOptions): Promise<Buffer> {
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
    await new Promise<void>((resolve) => {
      const stream = (ws as unknown as {stream: NodeJS.EventEmitter}).stream
      stream.once('zipped', () => resolve())
      ws.commit()
    })
  }
  await wb.commit()
  await done
  return Buffer.concat(chunks)
}

// ExcelJS's xmlEncode: the five entities; C0 controls other than tab, LF and CR, and DEL, dropped.
const XML_SPECIAL = /[<>&'"\x7F\x00-\x08\x0B\x0C\x0E-\x1F]/
const XML_SPECIAL_ALL = new RegExp(XML_SPECIAL.source, 'g')
const XML_ENTITY: Readonly<Record<string, string>> = {'"': '&quot;', '&': '&amp;', "'": '&apos;', '<': '&lt;', '>': '&gt;'}

function xmlText(s: string): string {
  return XML_SPECIAL.test(s) ? s.replace(XML_SPECIAL_ALL, (c) => XML_ENTITY[c] ?? '') : s
}

/** A1-style column letters of a 1-based column number. */
function columnLetters(n: number): string {
  let out = ''
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26)) out = String.fromCharCode(65 + ((k - 1) % 26)) + out
  return out
}

/**
 * The data rows of a table (sheet rows 2 …) as ExcelJS's RowXform and CellXform write them for
 * unstyled cells: an undefined or non-finite value is no cell, a row without cells is left out
 * (its number is still used), `spans` runs from the first to the last cell. UTF-8, in pieces of
 * about 1 MiB, each row encoded as soon as it is built.
 */
function* rowsXml(t: ExportTable): Generator<Buffer> {
  const letters = t.columns.map((_, i) => columnLetters(i + 1))
  let piece = Buffer.allocUnsafe(PIECE_BYTES)
  let used = 0
  for (const [k, row] of t.rows.entries()) {
    const r = k + 2
    let cells = ''
    let min = 0
    let max = 0
    for (let i = 0; i < row.length; i++) {
      const v: CellValue = row[i]
      if (v === undefined || (typeof v === 'number' && !Number.isFinite(v))) continue
      if (min === 0) min = i + 1
      max = i + 1
      const ref = `${letters[i] ?? columnLetters(i + 1)}${r}`
      if (typeof v === 'string') cells += `<c r="${ref}" t="str"><v>${xmlText(v)}</v></c>`
      else if (typeof v === 'number') cells += `<c r="${ref}"><v>${String(v)}</v></c>`
      else cells += `<c r="${ref}" t="b"><v>${v ? '1' : '0'}</v></c>`
    }
    if (min === 0) continue
    const xml = `<row r="${r}" spans="${min}:${max}" x14ac:dyDescent="0.25">${cells}</row>`
    // At most 3 UTF-8 bytes per UTF-16 unit.
    if (used + xml.length * 3 > piece.length) {
      if (used > 0) yield piece.subarray(0, used)
      piece = Buffer.allocUnsafe(Math.max(PIECE_BYTES, xml.length * 3))
      used = 0
    }
    used += piece.write(xml, used, 'utf8')
  }
  if (used > 0) yield piece.subarray(0, used)
}

const PIECE_BYTES = 1 << 20

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

const SIG_DATA_DESCRIPTOR = 0x08074b50
const FLAG_DATA_DESCRIPTOR = 0x0008
/** compress-commons (ExcelJS's zip writer, through archiver) deflates at zlib's best speed unless told otherwise. */
const ZIP_DEFLATE_LEVEL = 1

interface ZipEntry {
  readonly name: string
  /** Its central directory record. */
  readonly central: Buffer
  /** Local header, data and data descriptor, as stored. */
  readonly stored: Buffer
  /** Local header length. */
  readonly headerLength: number
  readonly flags: number
  readonly method: number
  readonly compressedSize: number
}

/** The entries of a zip archive in central directory order, and its end of central directory record. */
function zipEntries(zip: Buffer): {entries: ZipEntry[]; eocd: Buffer} {
  let at = -1
  for (let p = zip.length - 22; p >= Math.max(0, zip.length - 22 - 65_535); p--) {
    if (zip.readUInt32LE(p) === SIG_EOCD) {
      at = p
      break
    }
  }
  if (at < 0) throw new Error('not a zip archive (no end of central directory)')
  const count = zip.readUInt16LE(at + 10)
  let p = zip.readUInt32LE(at + 16)
  const entries: ZipEntry[] = []
  for (let k = 0; k < count; k++) {
    if (zip.readUInt32LE(p) !== SIG_CFH) throw new Error('damaged zip central directory')
    const length = 46 + zip.readUInt16LE(p + 28) + zip.readUInt16LE(p + 30) + zip.readUInt16LE(p + 32)
    const flags = zip.readUInt16LE(p + 8)
    const compressedSize = zip.readUInt32LE(p + 20)
    const local = zip.readUInt32LE(p + 42)
    if (zip.readUInt32LE(local) !== SIG_LFH) throw new Error('damaged zip local header')
    const headerLength = 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28)
    let end = local + headerLength + compressedSize
    if (flags & FLAG_DATA_DESCRIPTOR) end += zip.readUInt32LE(end) === SIG_DATA_DESCRIPTOR ? 16 : 12
    entries.push({
      name: zip.toString('utf8', p + 46, p + 46 + zip.readUInt16LE(p + 28)),
      central: zip.subarray(p, p + length),
      stored: zip.subarray(local, end),
      headerLength,
      flags,
      method: zip.readUInt16LE(p + 10),
      compressedSize,
    })
    p += length
  }
  return {entries, eocd: zip.subarray(at)}
}

/**
 * The workbook with each table's data rows inserted before `</sheetData>` of its sheet part. Every
 * other entry is copied as ExcelJS stored it; a sheet is deflated again with ExcelJS's settings and
 * stored the way it stores one (header unchanged, sizes and CRC in a data descriptor).
 */
async function addRows(zip: Buffer, sheets: ReadonlyMap<string, ExportTable>): Promise<Buffer> {
  const {entries, eocd} = zipEntries(zip)
  const parts: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const e of entries) {
    const record = Buffer.from(e.central)
    record.writeUInt32LE(offset, 42)
    central.push(record)
    const table = sheets.get(e.name)
    if (!table || table.rows.length === 0) {
      parts.push(e.stored)
      offset += e.stored.length
      continue
    }
    if (!(e.flags & FLAG_DATA_DESCRIPTOR) || e.method !== 8) throw new Error(`unexpected zip layout of ${e.name}`)
    const xml = inflateRawSync(e.stored.subarray(e.headerLength, e.headerLength + e.compressedSize))
    const close = xml.indexOf('</sheetData>')
    if (close < 0) throw new Error(`no </sheetData> in ${e.name}`)
    const deflated = await deflate([xml.subarray(0, close)], rowsXml(table), [xml.subarray(close)])
    if (deflated.size > 0xffff_ffff || deflated.compressedSize > 0xffff_ffff) throw new Error(`${e.name} is over 4 GiB`)
    const descriptor = Buffer.alloc(16)
    descriptor.writeUInt32LE(SIG_DATA_DESCRIPTOR, 0)
    descriptor.writeUInt32LE(deflated.crc, 4)
    descriptor.writeUInt32LE(deflated.compressedSize, 8)
    descriptor.writeUInt32LE(deflated.size, 12)
    record.writeUInt32LE(deflated.crc, 16)
    record.writeUInt32LE(deflated.compressedSize, 20)
    record.writeUInt32LE(deflated.size, 24)
    parts.push(e.stored.subarray(0, e.headerLength), ...deflated.chunks, descriptor)
    offset += e.headerLength + deflated.compressedSize + descriptor.length
  }
  const directory = Buffer.concat(central)
  if (offset > 0xffff_ffff) throw new Error('workbook over 4 GiB')
  const end = Buffer.from(eocd)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...parts, directory, end])
}

/** Raw deflate of the pieces in order (as compress-commons does it), with their CRC-32 and sizes. */
async function deflate(...sources: Iterable<Buffer>[]): Promise<{chunks: Buffer[]; crc: number; size: number; compressedSize: number}> {
  const chunks: Buffer[] = []
  let crc = 0
  let size = 0
  let compressedSize = 0
  await pipeline(
    function* () {
      for (const source of sources) {
        for (const piece of source) {
          crc = crc32(piece, crc)
          size += piece.length
          yield piece
        }
      }
    },
    createDeflateRaw({level: ZIP_DEFLATE_LEVEL}),
    async function (compressed: AsyncIterable<Buffer>) {
      for await (const c of compressed) {
        chunks.push(c)
        compressedSize += c.length
      }
    },
  )
  return {chunks, crc, size, compressedSize}
}
