/**
 * An RVTools-style .xlsx of a synthetic estate, written with ExcelJS's streaming WorkbookWriter:
 * one sheet at a time, rows committed as they are produced, so memory stays flat for any size.
 * The output is byte-for-byte reproducible: the document dates are fixed to the estate's window
 * end and the zip entries' timestamps are rewritten to that moment afterwards.
 */
import ExcelJS from 'exceljs'

import type {SynthEstate} from '../types.js'
import {rvtoolsSheets, type RvtoolsOptions} from './rvtools-sheets.js'
import {setZipTimestamps} from './zip-time.js'

export interface RvtoolsXlsxOptions extends RvtoolsOptions {
  /**
   * Store text in a shared-strings table, as Excel and RVTools do. Costs memory in the writer (every
   * distinct string is kept until the end); inline strings cost none. @default true
   */
  readonly sharedStrings?: boolean
  /** Called with the sheet and rows written so far (every 5,000 rows and at the end of each sheet). */
  readonly onProgress?: (sheet: string, rows: number) => void
}

export interface WriteStats {
  readonly path: string
  /** Data rows written (headers excluded), per sheet or file. */
  readonly rows: Readonly<Record<string, number>>
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))
/** Bytes of sheet XML written but not yet taken by the zip stream before the writer waits. */
const BACKLOG_LIMIT = 8 << 20

/**
 * ExcelJS's streaming writer ignores backpressure: rows go into the zip entry's input stream
 * however far behind the compressor is. Wait until that stream has taken most of it, so memory
 * stays flat whatever the number of rows.
 */
async function drain(ws: ExcelJS.Worksheet): Promise<void> {
  // The entry's input is a readable-stream PassThrough (its own copy, without Node's length getters).
  type State = {length?: number} | undefined
  const pipe = (ws as unknown as {stream?: {pipes?: {_writableState?: State; _readableState?: State}[]}}).stream?.pipes?.[0]
  const backlog = (): number => (pipe?._writableState?.length ?? 0) + (pipe?._readableState?.length ?? 0)
  await sleep(0)
  while (backlog() > BACKLOG_LIMIT) await sleep(2)
}

export async function writeRvtoolsXlsx(estate: SynthEstate, path: string, options: RvtoolsXlsxOptions = {}): Promise<WriteStats> {
  const when = new Date(estate.options.windowEnd)
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: path,
    useStyles: false,
    useSharedStrings: options.sharedStrings ?? true,
  })
  // docProps/core.xml would otherwise carry the time of writing.
  workbook.created = when
  workbook.modified = when
  workbook.creator = 'migrate-plan synthetic estate'
  workbook.lastModifiedBy = 'migrate-plan synthetic estate'
  const rows: Record<string, number> = {}
  for (const sheet of rvtoolsSheets(estate, options)) {
    const ws = workbook.addWorksheet(sheet.name)
    ws.addRow([...sheet.header]).commit()
    let n = 0
    for (const cells of sheet.rows()) {
      ws.addRow(cells.map((c) => (c === '' ? undefined : c))).commit()
      if (++n % 1000 === 0) await drain(ws)
      if (n % 5000 === 0) options.onProgress?.(sheet.name, n)
    }
    rows[sheet.name] = n
    options.onProgress?.(sheet.name, n)
    // Finish this sheet's zip entry before starting the next: entries are written one after another,
    // so rows of a later sheet would otherwise wait in memory.
    await new Promise<void>((resolve) => {
      const stream = (ws as unknown as {stream: NodeJS.EventEmitter}).stream
      stream.once('zipped', () => resolve())
      ws.commit()
    })
  }
  await workbook.commit()
  await setZipTimestamps(path, when)
  return {path, rows}
}
