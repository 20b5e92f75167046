/**
 * Number formatting for the report (en-US grouping, fixed decimals): one place, so the report,
 * its charts and the tests format a figure the same way. Unknown prints as "–". Pure.
 */
export const UNKNOWN = '–'

/** `$1,234,567` (whole dollars) or `$12.34` with `cents`. */
export function usd(n: number | undefined, cents = false): string {
  if (n === undefined || !Number.isFinite(n)) return UNKNOWN
  const digits = cents ? 2 : 0
  const s = Math.abs(n).toLocaleString('en-US', {minimumFractionDigits: digits, maximumFractionDigits: digits})
  const sign = n < 0 && s !== (0).toFixed(digits) ? '-' : ''
  return `${sign}$${s}`
}

/** `12,345` (rounded). */
export function int(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return UNKNOWN
  return Math.round(n).toLocaleString('en-US')
}

/** A number with up to `digits` decimals: `1,234.5`. */
export function dec(n: number | undefined, digits = 1): string {
  if (n === undefined || !Number.isFinite(n)) return UNKNOWN
  return n.toLocaleString('en-US', {maximumFractionDigits: digits})
}

/** A share 0–1 as `42%` (one decimal under 10 %). */
export function pct(share: number | undefined): string {
  if (share === undefined || !Number.isFinite(share)) return UNKNOWN
  const p = share * 100
  return `${p > 0 && p < 10 ? p.toFixed(1) : Math.round(p)}%`
}

/** GiB as `512 GiB` or `12.5 TiB`. */
export function gib(n: number | undefined): string {
  if (n === undefined || !Number.isFinite(n)) return UNKNOWN
  return n >= 1024 ? `${dec(n / 1024, 1)} TiB` : `${dec(n, 0)} GiB`
}

/** Compact counts for axes: 1.2k, 3.4M, 5G. */
export function compact(n: number): string {
  const abs = Math.abs(n)
  const [d, s] = abs >= 1e9 ? [1e9, 'G'] : abs >= 1e6 ? [1e6, 'M'] : abs >= 1e3 ? [1e3, 'k'] : [1, '']
  const v = n / d
  return `${Number.isInteger(v) ? v : v.toFixed(1)}${s}`
}
