/**
 * RVTools per-tab CSVs of a synthetic estate: one file per sheet, with the xlsx headers (a genuine
 * `-c ExportAll2csv` export uses other, prefixed headers that we have no sample of; see the
 * reference PROVENANCE.md). Dates are Excel serials and booleans `True`/`False`, as the cells of
 * the workbook hold them.
 */
import {join} from 'node:path'

import type {SynthEstate} from '../types.js'
import type {WriteStats} from './rvtools-xlsx.js'
import {rvtoolsSheets, type RvtoolsOptions} from './rvtools-sheets.js'
import {csvLine, TextFileWriter} from './text.js'

export interface RvtoolsCsvOptions extends RvtoolsOptions {
  /** File name of a sheet. @default `RVTools_tab${sheet}.csv`, the names RVTools gives its CSV export */
  readonly fileName?: (sheet: string) => string
  readonly onProgress?: (sheet: string, rows: number) => void
}

/** Write one CSV per sheet into `dir` (which must exist). Returns the rows per file name. */
export async function writeRvtoolsCsv(estate: SynthEstate, dir: string, options: RvtoolsCsvOptions = {}): Promise<WriteStats> {
  const rows: Record<string, number> = {}
  const fileName = options.fileName ?? ((sheet: string) => `RVTools_tab${sheet}.csv`)
  for (const sheet of rvtoolsSheets(estate, options)) {
    const file = fileName(sheet.name)
    const out = new TextFileWriter(join(dir, file))
    await out.write(csvLine(sheet.header))
    let n = 0
    for (const cells of sheet.rows()) {
      const wait = out.write(csvLine(cells))
      if (wait) await wait
      if (++n % 50_000 === 0) options.onProgress?.(sheet.name, n)
    }
    await out.close()
    rows[file] = n
    options.onProgress?.(sheet.name, n)
  }
  return {path: dir, rows}
}
