// Shared helpers for benchmarks: timing, peak RSS, aligned figure lines.
import {spawnSync} from 'node:child_process'

/** Peak resident set size of this process so far, MiB (getrusage ru_maxrss). */
export function peakRssMib() {
  return process.resourceUsage().maxRSS / 1024
}

/** Time an async function; returns [result, seconds]. */
export async function timed(fn) {
  const t0 = process.hrtime.bigint()
  const result = await fn()
  return [result, Number(process.hrtime.bigint() - t0) / 1e9]
}

/** Print one figure: `label ........ value unit   (target …)`. */
export function figure(label, value, unit = '', target = '') {
  const v =
    typeof value === 'number'
      ? Number.isInteger(value)
        ? value.toLocaleString('en-US')
        : value.toFixed(value < 10 ? 3 : 1)
      : String(value)
  console.log(`  ${label.padEnd(48, '.')} ${v}${unit ? ` ${unit}` : ''}${target ? `   (target ${target})` : ''}`)
}

/**
 * Run a script in a fresh node process and return its JSON output and peak RSS (MiB), measured
 * by the child itself. The script must print one JSON line last.
 */
export function runChild(script, args = [], env = {}) {
  const r = spawnSync(process.execPath, ['--expose-gc', script, ...args], {
    encoding: 'utf8',
    env: {...process.env, ...env},
    maxBuffer: 1 << 28,
  })
  if (r.status !== 0) throw new Error(`${script} failed (${r.status}): ${r.stderr}`)
  const last = r.stdout.trim().split('\n').at(-1)
  return JSON.parse(last)
}
