/**
 * Streaming text output for the writers: lines are batched into ~1 MiB writes and the caller
 * awaits only when the file stream asks it to (backpressure), so a 2,000,000-row CSV never sits
 * in memory.
 */
import {createWriteStream, type WriteStream} from 'node:fs'
import {once} from 'node:events'

const FLUSH_AT = 1 << 20

export class TextFileWriter {
  private readonly stream: WriteStream
  private buffer: string[] = []
  private size = 0
  private failure: Error | undefined

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, {encoding: 'utf8'})
    this.stream.on('error', (error) => {
      this.failure = error
    })
  }

  /** Queue text; returns a promise only when the caller must wait (await it when it is one). */
  write(text: string): Promise<void> | undefined {
    if (this.failure) throw this.failure
    this.buffer.push(text)
    this.size += text.length
    return this.size >= FLUSH_AT ? this.flush() : undefined
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer.join('')
    this.buffer = []
    this.size = 0
    if (!this.stream.write(chunk)) await once(this.stream, 'drain')
    if (this.failure) throw this.failure
  }

  async close(): Promise<void> {
    if (this.size > 0) await this.flush()
    await new Promise<void>((resolve, reject) => {
      this.stream.end((error?: Error | null) => (error ? reject(error) : resolve()))
    })
    if (this.failure) throw this.failure
  }
}

export type CsvValue = string | number | boolean | Date | null | undefined

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)

/** Excel serial day number of a date (what a spreadsheet stores), to 10 decimals as Excel shows it. */
export function excelSerial(date: Date): number {
  return Number(((date.getTime() - EXCEL_EPOCH_MS) / 86_400_000).toFixed(10))
}

/** One CSV cell, RFC 4180 quoting; dates become Excel serials, booleans RVTools' True/False. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return ''
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : ''
  if (typeof value === 'boolean') return value ? 'True' : 'False'
  if (value instanceof Date) return String(excelSerial(value))
  if (/[",\r\n]/.test(value) || value !== value.trim()) return `"${value.replace(/"/g, '""')}"`
  return value
}

/** A CSV line with its `\n`. */
export function csvLine(cells: readonly CsvValue[]): string {
  let out = ''
  for (let i = 0; i < cells.length; i++) out += (i === 0 ? '' : ',') + csvCell(cells[i])
  return `${out}\n`
}
