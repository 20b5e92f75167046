/**
 * Checked number reading for the spreadsheet importers, on top of `Header.num`: rejects infinite
 * values (`1e999`), and reads a zero capacity as "unknown" (templates leave 0 where nobody knew).
 */
import {UserInputError} from '../errors.js'
import {parseNumberCell, type Cell, type Header, type NumberOptions} from './table.js'

/** A finite number or undefined; throws with the cell's location for text, infinity or out-of-range values. */
export function readNumber(h: Header, cells: readonly Cell[], col: number, row: number, opts: NumberOptions = {}): number | undefined {
  const raw = col < 0 ? undefined : parseNumberCell(cells[col], opts.decimalComma ?? h.decimalComma)
  if (raw === Infinity || raw === -Infinity) {
    throw new UserInputError('IMPORT_NOT_A_NUMBER', `expected a finite number, got ${JSON.stringify(String(cells[col])).slice(0, 60)}`, {
      location: h.at(row, col),
      hint: 'Fix the cell or leave it empty for "unknown".',
    })
  }
  return h.num(cells, col, row, opts)
}

/** Upper bounds that catch a wrong unit (bytes in a MB column) without rejecting real machines. */
export const LIMITS = {
  /** CPU sockets, cores or logical processors of one server. */
  count: 100_000,
  /** Memory, MiB (1 PiB). */
  memoryMib: 1024 ** 3,
  /** Storage, GiB (1 EiB). */
  storageGib: 1024 ** 3,
  /** Throughput and operation rates. */
  rate: 1e12,
  /** Money, USD per year. */
  usd: 1e12,
} as const

/** A capacity or count: non-negative, bounded; 0 means "not known" and becomes undefined. */
export function readCapacity(
  h: Header,
  cells: readonly Cell[],
  col: number,
  row: number,
  max: number,
  integer = false,
): number | undefined {
  const n = readNumber(h, cells, col, row, {min: 0, max, integer})
  return n === 0 ? undefined : n
}

/** A percentage 0–100. */
export function readPercent(h: Header, cells: readonly Cell[], col: number, row: number): number | undefined {
  return readNumber(h, cells, col, row, {min: 0, max: 100})
}

/** A non-negative rate (operations or KB per second); 0 is a real measurement here and is kept. */
export function readRate(h: Header, cells: readonly Cell[], col: number, row: number): number | undefined {
  return readNumber(h, cells, col, row, {min: 0, max: LIMITS.rate})
}
