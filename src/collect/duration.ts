/** Durations as people write them on a command line: `90s`, `10m`, `2h`, `14d`, `1h30m`, `500ms`. Pure. */
import {UserInputError} from '../errors.js'

const UNIT_MS: Readonly<Record<string, number>> = {ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000}
const PART = /(\d+(?:\.\d+)?)(ms|s|m|h|d|w)/gy

/**
 * Milliseconds in a duration such as `14d`, `60s` or `1h30m`. A bare number is refused, because
 * `60` could mean seconds or minutes.
 * @param flag the flag name, for the error message
 */
export function parseDuration(text: string, flag: string): number {
  const s = text.trim().toLowerCase()
  let total = 0
  let matched = 0
  PART.lastIndex = 0
  for (let m = PART.exec(s); m; m = PART.exec(s)) {
    total += Number(m[1]) * UNIT_MS[m[2]!]!
    matched = PART.lastIndex
  }
  if (!s || matched !== s.length || !Number.isFinite(total)) {
    throw new UserInputError('BAD_DURATION', `--${flag} ${JSON.stringify(text)} is not a duration`, {
      hint: 'Write a number with a unit: 500ms, 90s, 10m, 2h, 14d, 1w, or combined such as 1h30m.',
    })
  }
  return Math.round(total)
}

/** 90_000 → `1m30s`; the inverse of {@link parseDuration} for whole seconds and up. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`
  let rest = Math.round(ms / 1000)
  const out: string[] = []
  for (const [unit, seconds] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / seconds)
    if (n > 0) out.push(`${n}${unit}`)
    rest -= n * seconds
  }
  return out.join('') || '0s'
}
