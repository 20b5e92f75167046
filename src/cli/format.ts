/** Plain-text rendering helpers for human output. Pure. */

export interface Column<T> {
  readonly header: string
  readonly get: (row: T) => string | number | undefined
  readonly align?: 'left' | 'right'
}

/** Aligned text table; unknown values print as "-", never 0. */
export function renderTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((r) => columns.map((c) => show(c.get(r))))
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((row) => row[i]!.length)))
  const line = (values: readonly string[]): string =>
    values
      .map((v, i) => (columns[i]!.align === 'right' ? v.padStart(widths[i]!) : v.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd()
  return [line(columns.map((c) => c.header)), line(widths.map((w) => '-'.repeat(w))), ...cells.map(line)].join('\n')
}

export function show(v: string | number | undefined): string {
  if (v === undefined) return '-'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toFixed(1)
  return v.replace(/[\u0000-\u001F\u007F]/g, ' ')
}

/** 1536 → "1.5 GiB" for MiB inputs. */
export function mib(v: number | undefined): string | undefined {
  if (v === undefined) return undefined
  return v >= 1024 ? `${(v / 1024).toFixed(v % 1024 === 0 ? 0 : 1)} GiB` : `${Math.round(v)} MiB`
}

export function gib(v: number | undefined): string | undefined {
  if (v === undefined) return undefined
  return v >= 1024 ? `${(v / 1024).toFixed(1)} TiB` : `${v.toFixed(v >= 100 ? 0 : 1)} GiB`
}
