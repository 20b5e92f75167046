/**
 * A cheap first look at an input file: its type, and for CSVs the encoding, delimiter and header,
 * for workbooks the sheet names, for JSON the schema version. Reads at most the first 64 KiB
 * (plus the zip directory of a workbook).
 */
import {open, stat} from 'node:fs/promises'
import {extname} from 'node:path'

import {UserInputError} from '../errors.js'
import {decodeHead, detectDelimiter, detectEncoding, firstCsvLine, splitHeaderLine} from './csv.js'
import type {FileProbe} from './types.js'
import {listSheets} from './xlsx.js'

const HEAD_BYTES = 64 * 1024
export const SUPPORTED_EXTENSIONS: ReadonlySet<string> = new Set(['.csv', '.tsv', '.txt', '.xlsx', '.xlsm', '.json'])

export async function probeFile(path: string): Promise<FileProbe> {
  let size: number
  let head: Buffer
  try {
    const st = await stat(path)
    if (!st.isFile()) throw new UserInputError('IMPORT_NOT_A_FILE', 'not a regular file', {location: {file: path}})
    size = st.size
    const fh = await open(path, 'r')
    try {
      const buf = Buffer.alloc(Math.min(HEAD_BYTES, size))
      const {bytesRead} = await fh.read(buf, 0, buf.length, 0)
      head = buf.subarray(0, bytesRead)
    } finally {
      await fh.close()
    }
  } catch (error) {
    if (error instanceof UserInputError) throw error
    const e = error as NodeJS.ErrnoException
    throw new UserInputError('IMPORT_READ', e.code === 'ENOENT' ? 'no such file or folder' : `cannot read: ${e.message}`, {
      location: {file: path},
      hint: 'Check the path.',
    })
  }
  const ext = extname(path).toLowerCase()
  if (size === 0) return {path, size, type: 'unknown'}
  if (head[0] === 0x50 && head[1] === 0x4b && (head[2] === 0x03 || head[2] === 0x05)) {
    return {path, size, type: 'xlsx', sheets: await listSheets(path)}
  }
  if (head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0) {
    throw new UserInputError('IMPORT_XLS', 'this is a legacy .xls (or password-protected) workbook, which cannot be read', {
      location: {file: path},
      hint: 'Open it in Excel and save it as "Excel Workbook (.xlsx)", or export the sheets as CSV.',
    })
  }
  const encoding = detectEncoding(head)
  const text = decodeHead(head, encoding)
  const trimmed = text.trimStart()
  if (ext === '.json' || trimmed.startsWith('{')) {
    const m = /"schemaVersion"\s*:\s*"([^"]{1,100})"/.exec(text.slice(0, 4096))
    return {path, size, type: 'json', encoding, ...(m ? {schemaVersion: m[1]} : {})}
  }
  if (text.includes('\u0000')) return {path, size, type: 'unknown', encoding}
  const line = firstCsvLine(text)
  const delimiter = ext === '.tsv' ? '\t' : detectDelimiter(line)
  return {path, size, type: 'csv', encoding, delimiter, header: splitHeaderLine(line, delimiter)}
}
