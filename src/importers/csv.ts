/**
 * Streaming CSV reading: UTF-8 (with or without BOM) and UTF-16 (Excel's "Unicode text"), comma,
 * semicolon or tab delimited, short rows allowed. Never reads a file whole; a malformed file
 * becomes one UserInputError naming the file and row.
 */
import {createReadStream} from 'node:fs'
import {StringDecoder} from 'node:string_decoder'
import {Transform, type TransformCallback} from 'node:stream'

import {CsvError, parse} from 'csv-parse'

import {UserInputError} from '../errors.js'
import type {TableVisitor} from './table.js'
import type {FileProbe, TextEncoding} from './types.js'

/** Detect the text encoding from a file's first bytes. */
export function detectEncoding(head: Buffer): TextEncoding {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8-bom'
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le'
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be'
  // UTF-16 without a BOM: ASCII text with every other byte zero.
  if (head.length >= 4) {
    let evenZero = 0
    let oddZero = 0
    const n = Math.min(head.length, 512) & ~1
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenZero++
      if (head[i + 1] === 0) oddZero++
    }
    if (oddZero > n / 4 && evenZero === 0) return 'utf16le'
    if (evenZero > n / 4 && oddZero === 0) return 'utf16be'
  }
  return 'utf8'
}

export function decodeHead(head: Buffer, encoding: TextEncoding): string {
  switch (encoding) {
    case 'utf8':
      return head.toString('utf8')
    case 'utf8-bom':
      return head.subarray(3).toString('utf8')
    case 'utf16le':
      return head.subarray(head[0] === 0xff && head[1] === 0xfe ? 2 : 0, head.length & ~1).toString('utf16le')
    case 'utf16be': {
      const body = Buffer.from(head.subarray(head[0] === 0xfe && head[1] === 0xff ? 2 : 0))
      const even = body.subarray(0, body.length & ~1)
      even.swap16()
      return even.toString('utf16le')
    }
  }
}

/** First logical line of CSV text (quoted newlines kept inside the line). */
export function firstCsvLine(text: string): string {
  let inQuotes = false
  for (let i = 0; i < text.length; i++) {
    const c = text[i]
    if (c === '"') inQuotes = !inQuotes
    else if ((c === '\n' || c === '\r') && !inQuotes) return text.slice(0, i)
  }
  return text
}

/** The delimiter that splits the header line into the most fields: comma, semicolon or tab. */
export function detectDelimiter(headerLine: string): string {
  const counts = new Map<string, number>([
    [',', 0],
    [';', 0],
    ['\t', 0],
    ['|', 0],
  ])
  let inQuotes = false
  for (const c of headerLine) {
    if (c === '"') inQuotes = !inQuotes
    else if (!inQuotes && counts.has(c)) counts.set(c, counts.get(c)! + 1)
  }
  let best = ','
  let bestCount = 0
  for (const [d, n] of counts) if (n > bestCount) [best, bestCount] = [d, n]
  return best
}

/** Split one header line with a known delimiter, honouring quotes. */
export function splitHeaderLine(line: string, delimiter: string): string[] {
  const out: string[] = []
  let cur = ''
  let inQuotes = false
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!
    if (inQuotes) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"'
        i++
      } else if (c === '"') inQuotes = false
      else cur += c
    } else if (c === '"') inQuotes = true
    else if (c === delimiter) {
      out.push(cur.trim())
      cur = ''
    } else cur += c
  }
  out.push(cur.trim())
  return out
}

/** Decodes a UTF-16 byte stream into UTF-8 text chunks for csv-parse. */
class Utf16Decoder extends Transform {
  private readonly decoder = new StringDecoder('utf16le')
  private carry: Buffer | undefined
  private first = true

  constructor(private readonly bigEndian: boolean) {
    super({readableObjectMode: false})
  }

  override _transform(chunk: Buffer, _enc: BufferEncoding, done: TransformCallback): void {
    let buf = this.carry ? Buffer.concat([this.carry, chunk]) : chunk
    if (this.first) {
      this.first = false
      if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) buf = buf.subarray(2)
    }
    const even = buf.length & ~1
    this.carry = even < buf.length ? Buffer.from(buf.subarray(even)) : undefined
    const body = Buffer.from(buf.subarray(0, even))
    if (this.bigEndian) body.swap16()
    const text = this.decoder.write(body)
    if (text) this.push(text, 'utf8')
    done()
  }

  override _flush(done: TransformCallback): void {
    const text = this.decoder.end()
    if (text) this.push(text, 'utf8')
    done()
  }
}

export interface CsvReadOptions {
  /** Sheet name used in messages and passed to the visitor. @default the file name without extension */
  readonly sheet?: string
  /** Treat the file as having no header; the visitor gets `#1`, `#2`, … as names. @default false */
  readonly noHeader?: boolean
}

/**
 * Stream a CSV file through a visitor: one sheet. Rows are numbered as a spreadsheet would
 * (header is row 1). The row handler runs synchronously; a throw stops the read and propagates.
 */
export function readCsv(probe: FileProbe, visitor: TableVisitor, options: CsvReadOptions = {}): Promise<void> {
  const file = probe.path
  const sheet = options.sheet ?? file.replace(/^.*[\\/]/, '').replace(/\.[^.]*$/, '')
  const encoding = probe.encoding ?? 'utf8'
  return new Promise<void>((resolve, reject) => {
    const input = createReadStream(file, {highWaterMark: 1 << 20})
    const parser = parse({
      delimiter: probe.delimiter ?? ',',
      bom: true,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: false,
      max_record_size: 4 << 20,
    })
    let row = 0
    let handler: ReturnType<TableVisitor> | undefined
    let failed = false
    const fail = (error: unknown): void => {
      if (failed) return
      failed = true
      input.destroy()
      parser.destroy()
      reject(toInputError(error, file, sheet, row))
    }
    parser.on('data', (record: string[]) => {
      if (failed) return
      row++
      try {
        if (row === 1 && !options.noHeader) {
          handler = visitor(
            sheet,
            record.map((h) => h.trim()),
          )
          if (!handler) {
            failed = true
            input.destroy()
            parser.destroy()
            resolve()
          }
          return
        }
        if (row === 1 && options.noHeader) {
          handler = visitor(
            sheet,
            record.map((_, i) => `#${i + 1}`),
          )
          if (!handler) return
        }
        handler?.(record, row)
      } catch (error) {
        fail(error)
      }
    })
    parser.on('error', fail)
    parser.on('end', () => {
      if (failed) return
      if (row === 0) {
        reject(
          new UserInputError('IMPORT_EMPTY', 'the file is empty', {
            location: {file},
            hint: 'Export the data again; the file has no header row.',
          }),
        )
        return
      }
      resolve()
    })
    input.on('error', fail)
    if (encoding === 'utf16le' || encoding === 'utf16be') input.pipe(new Utf16Decoder(encoding === 'utf16be')).pipe(parser)
    else input.pipe(parser)
  })
}

function toInputError(error: unknown, file: string, sheet: string, row: number): unknown {
  if (error instanceof UserInputError) return error
  if (error instanceof CsvError) {
    const code = error.code
    const hint =
      code === 'CSV_QUOTE_NOT_CLOSED' || code === 'CSV_INVALID_CLOSING_QUOTE' || code === 'CSV_NON_TRIMABLE_CHAR_AFTER_CLOSING_QUOTE'
        ? 'A quote (") is not balanced near there: a quoted cell must end with a quote, and quotes inside it are doubled ("").'
        : code === 'CSV_MAX_RECORD_SIZE'
          ? 'A single row is over 4 MiB: most likely an unbalanced quote swallowed the rest of the file.'
          : 'Check that the file is a CSV export.'
    const message = error.message.replace(/^Invalid (Record Length|Opening Quote|Closing Quote): /, '')
    return new UserInputError(`IMPORT_CSV_${code.replace(/^CSV_/, '')}`, `malformed CSV: ${message}`, {
      location: {file, sheet: undefined, row: row + 1},
      hint,
    })
  }
  if (error && typeof error === 'object' && 'code' in error && typeof (error as {code: unknown}).code === 'string') {
    const e = error as NodeJS.ErrnoException
    return new UserInputError('IMPORT_READ', `cannot read the file: ${e.message}`, {
      location: {file, sheet},
      hint: 'Check the path and permissions.',
    })
  }
  return error
}
