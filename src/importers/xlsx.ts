/**
 * Streaming xlsx reading that does not depend on the order of parts inside the zip.
 *
 * yauzl reads the zip's central directory (rejecting a truncated or non-xlsx file up front) and
 * gives random access to each part: the workbook, its relationships and the shared strings are
 * read first, then each worksheet is streamed through saxes, a small well-kept SAX parser, row
 * by row. Memory holds the shared-string table and one row, never a sheet.
 *
 * (ExcelJS's streaming WorkbookReader was used first: it reads parts in zip order and loses
 * sheets or their text when worksheets are stored before sharedStrings.xml or workbook.xml
 * comes last, as several writers do — exceljs issues #2790, #3064.)
 */
import yauzl from 'yauzl'
import {SaxesParser} from 'saxes'

import {UserInputError} from '../errors.js'
import type {Cell, TableVisitor} from './table.js'

/** Largest XML part read whole (workbook, relationships), bytes. */
const MAX_SMALL_PART = 16 << 20

function openZip(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, {lazyEntries: true, autoClose: false, strictFileNames: false, validateEntrySizes: true}, (err, zip) =>
      err ? reject(err) : resolve(zip),
    )
  })
}

function listEntries(zip: yauzl.ZipFile): Promise<Map<string, yauzl.Entry>> {
  return new Promise((resolve, reject) => {
    const entries = new Map<string, yauzl.Entry>()
    zip.on('entry', (e: yauzl.Entry) => {
      entries.set(e.fileName.replace(/\\/g, '/').replace(/^\//, ''), e)
      zip.readEntry()
    })
    zip.on('end', () => resolve(entries))
    zip.on('error', reject)
    zip.readEntry()
  })
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<NodeJS.ReadableStream> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, stream) => (err ? reject(err) : resolve(stream))))
}

async function readSmallPart(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<string> {
  if (entry.uncompressedSize > MAX_SMALL_PART) throw new Error(`${entry.fileName} is larger than ${MAX_SMALL_PART} bytes`)
  const stream = await openEntry(zip, entry)
  const chunks: Buffer[] = []
  for await (const c of stream) chunks.push(c as Buffer)
  return Buffer.concat(chunks).toString('utf8')
}

/** Feed a zip part through a SAX parser, chunk by chunk. */
async function parsePart(zip: yauzl.ZipFile, entry: yauzl.Entry, parser: SaxesParser): Promise<void> {
  const stream = await openEntry(zip, entry)
  for await (const chunk of stream) parser.write((chunk as Buffer).toString('utf8'))
  parser.close()
}

function xmlUnescape(s: string): string {
  return s.replace(/&(lt|gt|quot|apos|amp|#(\d+)|#x([0-9a-f]+));/gi, (m, name: string, dec?: string, hex?: string) => {
    if (dec) return String.fromCodePoint(Number(dec))
    if (hex) return String.fromCodePoint(Number.parseInt(hex, 16))
    return ({lt: '<', gt: '>', quot: '"', apos: "'", amp: '&'} as Record<string, string>)[name.toLowerCase()] ?? m
  })
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\b${name}="([^"]*)"`).exec(tag)
  return m ? xmlUnescape(m[1]!) : undefined
}

interface SheetRef {
  readonly name: string
  /** Zip path of the worksheet part, e.g. `xl/worksheets/sheet1.xml`. */
  readonly part?: string
}

/** Sheets in workbook order with the zip part each one lives in. */
function sheetRefs(workbookXml: string, relsXml: string | undefined): SheetRef[] {
  const targets = new Map<string, string>()
  for (const m of (relsXml ?? '').matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
    const id = attr(m[0], 'Id')
    const target = attr(m[0], 'Target')
    if (id && target) targets.set(id, target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/\.\//g, '/'))
  }
  return [...workbookXml.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)].map((m) => {
    const name = attr(m[0], 'name') ?? ''
    const rid = attr(m[0], 'r:id') ?? attr(m[0], '[a-zA-Z0-9]+:id')
    const part = rid ? targets.get(rid) : undefined
    return {name, ...(part ? {part: normalisePart(part)} : {})}
  })
}

function normalisePart(p: string): string {
  const out: string[] = []
  for (const seg of p.split('/')) {
    if (seg === '..') out.pop()
    else if (seg && seg !== '.') out.push(seg)
  }
  return out.join('/')
}

interface OpenWorkbook {
  readonly zip: yauzl.ZipFile
  readonly entries: Map<string, yauzl.Entry>
  readonly sheets: SheetRef[]
}

async function openWorkbook(file: string): Promise<OpenWorkbook> {
  let zip: yauzl.ZipFile | undefined
  try {
    zip = await openZip(file)
    const entries = await listEntries(zip)
    const wb = entries.get('xl/workbook.xml')
    if (!wb) throw new Error('no xl/workbook.xml inside')
    const rels = entries.get('xl/_rels/workbook.xml.rels')
    const sheets = sheetRefs(await readSmallPart(zip, wb), rels ? await readSmallPart(zip, rels) : undefined)
    return {zip, entries, sheets}
  } catch (error) {
    zip?.close()
    throw notXlsx(file, error)
  }
}

/**
 * Sheet names of an xlsx file in workbook order. Throws a UserInputError when the file is not a
 * complete xlsx (truncated download, renamed CSV, password-protected workbook).
 */
export async function listSheets(file: string): Promise<string[]> {
  const wb = await openWorkbook(file)
  wb.zip.close()
  return wb.sheets.map((s) => s.name)
}

function notXlsx(file: string, error: unknown): UserInputError {
  if (error instanceof UserInputError) return error
  const reason = error instanceof Error ? error.message : String(error)
  const truncated =
    /central directory|end of central|unexpected EOF|truncated|invalid relative offset|invalid comment length|unexpected end|too short|premature/i.test(
      reason,
    )
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

/** The shared-string table: rich-text runs joined, phonetic hints dropped. */
async function readSharedStrings(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined): Promise<string[]> {
  const strings: string[] = []
  if (!entry) return strings
  const parser = new SaxesParser()
  let current: string | undefined
  let inText = false
  let skipDepth = 0
  parser.on('opentag', (t) => {
    const n = localName(t.name)
    if (n === 'rPh') skipDepth++
    else if (n === 'si') current = ''
    else if (n === 't' && skipDepth === 0) inText = true
  })
  parser.on('closetag', (t) => {
    const n = localName(t.name)
    if (n === 'rPh') skipDepth--
    else if (n === 't') inText = false
    else if (n === 'si') {
      strings.push(current ?? '')
      current = undefined
    }
  })
  parser.on('text', (text) => {
    if (inText && current !== undefined) current += text
  })
  await parsePart(zip, entry, parser)
  return strings
}

function localName(name: string): string {
  const i = name.indexOf(':')
  return i < 0 ? name : name.slice(i + 1)
}

/** `BC12` → 54 (0-based column index), undefined when not a cell reference. */
export function columnIndex(ref: string): number | undefined {
  let col = 0
  let i = 0
  for (; i < ref.length; i++) {
    const c = ref.charCodeAt(i)
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64)
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96)
    else break
  }
  return i === 0 ? undefined : col - 1
}

function cellValue(type: string | undefined, raw: string, shared: readonly string[]): Cell {
  switch (type) {
    case 's': {
      const s = shared[Number(raw)]
      return s === undefined ? undefined : s
    }
    case 'str':
    case 'inlineStr':
      return raw
    case 'b':
      return raw === '1' || raw.toLowerCase() === 'true'
    case 'e':
      return undefined
    case 'd':
      return raw
    default: {
      if (raw.trim() === '') return undefined
      const n = Number(raw)
      return Number.isFinite(n) ? n : raw
    }
  }
}

/** Marks an error thrown by the caller's row handler, so that it is rethrown unchanged. */
class FromHandler {
  constructor(readonly inner: unknown) {}
}

/**
 * Stream every sheet of an xlsx workbook through a visitor, in workbook order. The first
 * non-empty row of each sheet is its header; rows are numbered as Excel shows them.
 * Dates arrive as Excel serial numbers (cell styles are not read): use `Header.date`.
 */
export async function readXlsx(file: string, visitor: TableVisitor, onProgress?: (rows: number) => void): Promise<void> {
  const {zip, entries, sheets} = await openWorkbook(file)
  let sheetName = ''
  let rowNumber = 0
  let total = 0
  try {
    const shared = await readSharedStrings(zip, entries.get('xl/sharedStrings.xml'))
    for (const sheet of sheets) {
      sheetName = sheet.name
      const entry = sheet.part ? entries.get(sheet.part) : undefined
      if (!entry) continue // chart sheets and dialog sheets have no worksheet part
      let handler: ReturnType<TableVisitor> | undefined
      let headerSeen = false
      let skip = false
      let cells: Cell[] = []
      let col = 0
      let cellType: string | undefined
      let inValue = false
      let inInline = false
      let value = ''
      let hasValue = false
      let lastRow = 0
      const parser = new SaxesParser()
      parser.on('opentag', (t) => {
        if (skip) return
        switch (localName(t.name)) {
          case 'row': {
            const r = Number(t.attributes.r)
            rowNumber = Number.isInteger(r) && r > 0 ? r : lastRow + 1
            cells = []
            col = 0
            break
          }
          case 'c': {
            const ref = t.attributes.r as string | undefined
            const idx = ref ? columnIndex(ref) : undefined
            col = idx ?? col
            cellType = t.attributes.t as string | undefined
            value = ''
            hasValue = false
            break
          }
          case 'v':
            inValue = true
            hasValue = true
            break
          case 'is':
            inInline = true
            hasValue = true
            break
          case 't':
            if (inInline) inValue = true
            break
        }
      })
      parser.on('text', (text) => {
        if (inValue) value += text
      })
      parser.on('closetag', (t) => {
        if (skip) return
        switch (localName(t.name)) {
          case 'v':
            inValue = false
            break
          case 't':
            if (inInline) inValue = false
            break
          case 'is':
            inInline = false
            break
          case 'c':
            if (hasValue) {
              while (cells.length < col) cells.push(undefined)
              cells[col] = cellValue(inInline || cellType === 'inlineStr' ? 'inlineStr' : cellType, value, shared)
            }
            col++
            break
          case 'row': {
            lastRow = rowNumber
            if (!headerSeen) {
              if (cells.every((c) => c === undefined || c === null || (typeof c === 'string' && c.trim() === ''))) break
              headerSeen = true
              handler = visitor(
                sheetName,
                cells.map((c) => (c === undefined || c === null ? '' : String(c).trim())),
              )
              if (!handler) skip = true
              break
            }
            try {
              handler!(cells, rowNumber)
            } catch (error) {
              throw new FromHandler(error)
            }
            if ((++total & 0x3ff) === 0) onProgress?.(total)
            break
          }
        }
      })
      await parsePart(zip, entry, parser)
    }
  } catch (error) {
    if (error instanceof FromHandler) throw error.inner
    if (error instanceof UserInputError) throw error
    const reason = error instanceof Error ? error.message : String(error)
    throw new UserInputError('IMPORT_XLSX_READ', `cannot read the workbook: ${reason}`, {
      location: {file, sheet: sheetName || undefined, row: rowNumber || undefined},
      hint: 'The file is damaged or truncated: copy it again, or open and save it in Excel as "Excel Workbook (.xlsx)".',
      cause: error,
    })
  } finally {
    zip.close()
  }
}
