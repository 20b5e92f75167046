/**
 * Wave dates: a start date, a cadence and blackout days. Pure and clock-free: without a start date
 * waves carry day offsets only, never today's date.
 */
import {ConfigError} from '../errors.js'

const DAY = 86_400_000

/** Days since 1970-01-01 of a YYYY-MM-DD date; a date that does not exist is a ConfigError. */
export function parseDay(s: string, setting: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s)
  const t = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : NaN
  if (!m || Number.isNaN(t) || formatDay(t / DAY) !== s) {
    throw new ConfigError('WAVES_BAD_DATE', `${setting}: ${JSON.stringify(s)} is not a date`, {setting, hint: 'Write dates as YYYY-MM-DD.'})
  }
  return t / DAY
}

export function formatDay(day: number): string {
  return new Date(day * DAY).toISOString().slice(0, 10)
}

export interface BlackoutRange {
  readonly from: number
  readonly to: number
  readonly text: string
}

/** `2026-12-24` or `2026-12-20..2027-01-03`. */
export function parseBlackouts(list: readonly string[]): BlackoutRange[] {
  return list.map((text, i) => {
    const [a, b] = text.split('..')
    const from = parseDay(a!, `waves.blackoutDates[${i}]`)
    const to = b === undefined ? from : parseDay(b, `waves.blackoutDates[${i}]`)
    if (to < from) {
      throw new ConfigError('WAVES_BAD_BLACKOUT', `waves.blackoutDates[${i}]: ${text} ends before it starts`, {
        setting: `waves.blackoutDates[${i}]`,
        hint: 'Write ranges as FROM..TO with FROM on or before TO.',
      })
    }
    return {from, to, text}
  })
}

export interface WaveDates {
  readonly dayOffset: number
  readonly start?: string
  readonly cutover?: string
  readonly reasons: readonly string[]
}

export interface ScheduleOptions {
  readonly startDate?: string
  readonly cadenceDays: number
  readonly blackoutDates: readonly string[]
}

/**
 * Dates of `count` waves: wave 1 starts on the start date, each next wave `cadenceDays` after the
 * previous one's start; a wave whose start or cutover (last day of its window) falls in a blackout
 * moves to the first day where neither does, and the waves after it follow.
 */
export function scheduleWaves(count: number, options: ScheduleOptions): WaveDates[] {
  const cadence = options.cadenceDays
  if (options.startDate === undefined) {
    const note = options.blackoutDates.length > 0 ? ['no waves.startDate: blackout dates cannot apply to relative days'] : []
    return Array.from({length: count}, (_, i) => ({dayOffset: i * cadence, reasons: i === 0 ? note : []}))
  }
  const first = parseDay(options.startDate, 'waves.startDate')
  const blackouts = parseBlackouts(options.blackoutDates)
  const blocked = (day: number): BlackoutRange | undefined => blackouts.find((b) => day >= b.from && day <= b.to)
  const out: WaveDates[] = []
  let start = first
  for (let i = 0; i < count; i++) {
    const reasons: string[] = []
    const nominal = start
    for (let guard = 0; guard < 3660; guard++) {
      const hit = blocked(start) ?? blocked(start + cadence - 1)
      if (!hit) break
      start = hit.to + 1 - (blocked(start) ? 0 : cadence - 1)
      if (start <= nominal) start = nominal + guard + 1
    }
    if (start !== nominal) reasons.push(`moved from ${formatDay(nominal)} to ${formatDay(start)}: blackout on its start or cutover day`)
    out.push({dayOffset: start - first, start: formatDay(start), cutover: formatDay(start + cadence - 1), reasons})
    start += cadence
  }
  return out
}
