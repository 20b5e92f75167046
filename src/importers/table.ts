/**
 * Shared reading of tabular inputs (CSV and xlsx sheets): cells, header lookup and value parsing
 * with errors that name file, sheet, row and column.
 */
import {UserInputError, type InputLocation} from '../errors.js'

/** A cell as the readers hand it over: CSV gives strings, xlsx gives typed values. */
export type Cell = string | number | boolean | Date | null | undefined

/** Visits the tables of a file. Return a row handler to read a sheet, or undefined to skip it. */
export type TableVisitor = (sheet: string, header: readonly string[]) => RowHandler | undefined
/** Called for each data row; `row` is the 1-based row number a spreadsheet shows (header = 1). */
export type RowHandler = (cells: readonly Cell[], row: number) => void

/** Header text as compared: trimmed, case-folded, inner whitespace collapsed. `Free % ` → `free %`. */
export function headerKey(h: string): string {
  return h
    .replace(/^\uFEFF/, '')
    .trim()
    .replace(/\s+/g, ' ')
    .toLowerCase()
}

export interface NumberOptions {
  readonly min?: number
  readonly max?: number
  readonly integer?: boolean
  /** Accept `1,5` as 1.5 (semicolon-delimited CSVs from European Excel). */
  readonly decimalComma?: boolean
}

/** Column positions of one sheet, resolved once from its header. */
export class Header {
  readonly names: readonly string[]
  private readonly index = new Map<string, number>()

  constructor(
    names: readonly string[],
    readonly location: InputLocation,
    readonly decimalComma = false,
  ) {
    this.names = names
    names.forEach((n, i) => {
      const k = headerKey(n)
      if (k && !this.index.has(k)) this.index.set(k, i)
    })
  }

  /** Position of the first of `names` present, or -1. */
  col(...names: string[]): number {
    for (const n of names) {
      const i = this.index.get(headerKey(n))
      if (i !== undefined) return i
    }
    return -1
  }

  has(...names: string[]): boolean {
    return this.col(...names) >= 0
  }

  /**
   * Resolve required columns; each entry lists alternative spellings. Throws one error naming every
   * missing column and the columns that were found.
   */
  require<K extends string>(required: Readonly<Record<K, readonly string[]>>): Record<K, number> {
    const out = {} as Record<K, number>
    const missing: string[] = []
    for (const [key, alternatives] of Object.entries(required) as [K, readonly string[]][]) {
      const i = this.col(...alternatives)
      if (i < 0) missing.push(alternatives.length > 1 ? `${alternatives[0]} (or ${alternatives.slice(1).join(', ')})` : alternatives[0]!)
      out[key] = i
    }
    if (missing.length > 0) {
      const found = this.names.filter((n) => n.trim()).slice(0, 20)
      throw new UserInputError('IMPORT_MISSING_COLUMN', `missing required column${missing.length > 1 ? 's' : ''}: ${missing.join('; ')}`, {
        location: {...this.location, row: 1},
        hint: `The header has: ${found.join(', ')}${this.names.length > 20 ? ', …' : ''}. Check that the file is the format you think it is (--format), or map the columns with --map.`,
      })
    }
    return out
  }

  /** Locate a cell for an error message. */
  at(row: number, col: number): InputLocation {
    return {...this.location, row, column: this.names[col] ?? `#${col + 1}`}
  }

  /** Trimmed text, or undefined when empty or the column is absent. */
  str(cells: readonly Cell[], col: number): string | undefined {
    return col < 0 ? undefined : cellText(cells[col])
  }

  /** Number, or undefined when empty/absent; throws with the cell's location when it is not a number or out of range. */
  num(cells: readonly Cell[], col: number, row: number, opts: NumberOptions = {}): number | undefined {
    if (col < 0) return undefined
    const cell = cells[col]
    const n = parseNumberCell(cell, opts.decimalComma ?? this.decimalComma)
    if (n === undefined) return undefined
    if (Number.isNaN(n)) {
      throw new UserInputError('IMPORT_NOT_A_NUMBER', `expected a number, got ${JSON.stringify(String(cell)).slice(0, 60)}`, {
        location: this.at(row, col),
        hint: 'Fix the cell or leave it empty for "unknown".',
      })
    }
    if (opts.min !== undefined && n < opts.min) {
      throw new UserInputError('IMPORT_OUT_OF_RANGE', `${n} is below the minimum of ${opts.min}`, {
        location: this.at(row, col),
        hint:
          n < 0
            ? 'Sizes and counts cannot be negative; fix the cell or leave it empty for "unknown".'
            : 'Fix the cell or leave it empty for "unknown".',
      })
    }
    if (opts.max !== undefined && n > opts.max) {
      throw new UserInputError('IMPORT_OUT_OF_RANGE', `${n} is above the maximum of ${opts.max}`, {
        location: this.at(row, col),
        hint: 'Check the unit of the column; fix the cell or leave it empty for "unknown".',
      })
    }
    if (opts.integer && !Number.isInteger(n)) {
      throw new UserInputError('IMPORT_NOT_AN_INTEGER', `expected a whole number, got ${n}`, {location: this.at(row, col)})
    }
    return n
  }

  /** `True`/`TRUE`/`yes`/`1` → true, `False`/`no`/`0` → false, anything else undefined. */
  bool(cells: readonly Cell[], col: number): boolean | undefined {
    return col < 0 ? undefined : parseBoolCell(cells[col])
  }

  /** An ISO-8601 timestamp from an Excel serial number, a Date or a date-like string. */
  date(cells: readonly Cell[], col: number): string | undefined {
    return col < 0 ? undefined : parseDateCell(cells[col])
  }
}

export function cellText(cell: Cell): string | undefined {
  if (cell === undefined || cell === null) return undefined
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.toISOString()
  const s = String(cell).trim()
  return s === '' ? undefined : s
}

/** undefined for empty, NaN for not-a-number. */
export function parseNumberCell(cell: Cell, decimalComma = false): number | undefined {
  if (cell === undefined || cell === null) return undefined
  if (typeof cell === 'number') return Number.isFinite(cell) ? cell : Number.NaN
  if (typeof cell === 'boolean' || cell instanceof Date) return Number.NaN
  let s = cell.replace(/[\s\u00a0]/g, '')
  if (s === '') return undefined
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(s)) return Number(s)
  if (decimalComma) {
    if (/^[-+]?\d{1,3}(\.\d{3})+(,\d+)?$/.test(s)) s = s.replace(/\./g, '')
    if (/^[-+]?\d+,\d+$/.test(s)) return Number(s.replace(',', '.'))
    if (/^[-+]?\d+$/.test(s)) return Number(s)
  } else if (/^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$/.test(s)) {
    return Number(s.replace(/,/g, ''))
  }
  return Number.NaN
}

export function parseBoolCell(cell: Cell): boolean | undefined {
  if (typeof cell === 'boolean') return cell
  if (typeof cell === 'number') return cell === 1 ? true : cell === 0 ? false : undefined
  if (typeof cell !== 'string') return undefined
  switch (cell.trim().toLowerCase()) {
    case 'true':
    case 'yes':
    case 'y':
    case '1':
      return true
    case 'false':
    case 'no':
    case 'n':
    case '0':
      return false
    default:
      return undefined
  }
}

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30)

/** Excel serial day number (1900 date system) → ISO-8601 UTC. */
export function excelSerialToIso(serial: number): string | undefined {
  if (!Number.isFinite(serial) || serial <= 0 || serial > 2_958_465) return undefined
  const ms = Math.round((serial * 86_400_000) / 1000) * 1000
  return new Date(EXCEL_EPOCH_MS + ms).toISOString().replace('.000Z', 'Z')
}

export function parseDateCell(cell: Cell): string | undefined {
  if (cell === undefined || cell === null || typeof cell === 'boolean') return undefined
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? undefined : cell.toISOString().replace('.000Z', 'Z')
  if (typeof cell === 'number') return excelSerialToIso(cell)
  const s = cell.trim()
  if (!s) return undefined
  if (isCanonicalUtc(s)) return s
  if (/^\d+(\.\d+)?$/.test(s)) return excelSerialToIso(Number(s))
  // A date-time without a zone is read as UTC, never in the machine's zone: same file, same result anywhere.
  const iso = /^(\d{4}-\d{2}-\d{2})[ T](\d{2}:\d{2}(:\d{2}(\.\d+)?)?)$/.exec(s)
  const t = iso ? Date.parse(`${iso[1]}T${iso[2]}Z`) : /^\d{4}-\d{2}-\d{2}$/.test(s) ? Date.parse(`${s}T00:00:00Z`) : zoned(s)
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace('.000Z', 'Z')
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

/** Two ASCII digits at `i` as a number, or -1. */
function digits2(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48
  const b = s.charCodeAt(i + 1) - 48
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1
}

/**
 * Whether `s` is already the output form, `YYYY-MM-DDTHH:MM:SSZ` naming a real instant (what
 * connection exports and the agent write, two per row of millions): then it is returned as it is,
 * without building a Date and a string. Anything else takes the general path.
 */
function isCanonicalUtc(s: string): boolean {
  if (s.length !== 20 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || s.charCodeAt(10) !== 84) return false
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58 || s.charCodeAt(19) !== 90) return false
  const hi = digits2(s, 0)
  const lo = digits2(s, 2)
  const month = digits2(s, 5)
  const day = digits2(s, 8)
  if (hi < 0 || lo < 0 || month < 1 || month > 12 || day < 1) return false
  const year = hi * 100 + lo
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  if (day > (month === 2 && !leap ? 28 : DAYS_IN_MONTH[month - 1]!)) return false
  const h = digits2(s, 11)
  const m = digits2(s, 14)
  const sec = digits2(s, 17)
  return h >= 0 && h <= 23 && m >= 0 && m <= 59 && sec >= 0 && sec <= 59
}

/** Other date-time texts (`3/4/2025 10:15 AM`, RFC 2822): UTC unless the text names a zone. */
function zoned(s: string): number {
  const hasZone = /(Z|[+-]\d{2}:?\d{2}|\b(UTC|GMT)\b)\s*$/i.test(s)
  return Date.parse(hasZone ? s : `${s} UTC`)
}

/** Split a list cell: `"10.0.0.1, 10.0.0.2"` or `a;b`. */
export function splitList(value: string | undefined): string[] {
  if (!value) return []
  return value
    .split(/[,;\n]/)
    .map((s) => s.trim())
    .filter((s) => s !== '')
}

/** True when every cell is empty: formatted-but-empty spreadsheet rows. */
export function isBlankRow(cells: readonly Cell[]): boolean {
  for (const c of cells) if (c !== undefined && c !== null && !(typeof c === 'string' && c.trim() === '')) return false
  return true
}
