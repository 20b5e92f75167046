// Overhead of the agent: the single-file collector (dist/migrate-plan-collector.cjs, what runs on
// servers) sampling at 1 s, 10 s and 60 s intervals. Prints average CPU in % of one core (the
// collector and the commands it runs, e.g. netstat) over the whole run and over the sampling phase
// alone, and peak RSS. Targets: < 1% of one core at 60 s, peak RSS < 80 MB.
// Runs last 90 s, 150 s and 330 s (about 10 minutes in all); BENCH_COLLECTOR_SECONDS gives them all
// one length instead. The whole-run figure includes start-up and the final snapshot (~1.5 s of CPU),
// which a real 14-day window spreads thin; the sampling figure stops before the last sample.
import {spawn, spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {figure} from './lib.js'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const bundle = join(root, 'dist/migrate-plan-collector.cjs')
const DEFAULT_SECONDS = {1: 90, 10: 150, 60: 330}
const INTERVALS = (process.env.BENCH_COLLECTOR_INTERVALS ?? '1,10,60').split(',').map(Number)
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout.trim()) || 100

if (process.platform !== 'linux') {
  console.log('  skipped: the overhead bench reads /proc (Linux only)')
  process.exit(0)
}
if (!existsSync(bundle)) {
  const r = spawnSync(process.execPath, [join(root, 'scripts/build-collector.js')], {stdio: 'inherit'})
  if (r.status !== 0) process.exit(1)
}

/** CPU seconds of a process and its reaped children, and its peak RSS (MiB), from /proc. */
function usage(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    // fields 14-17 (utime, stime, cutime, cstime), counted from 1, i.e. 11-14 after the comm field
    const cpu = (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / TICKS
    const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0) / 1024
    return {cpu, hwm}
  } catch {
    return undefined
  }
}

async function run(intervalSeconds) {
  const SECONDS = Number(process.env.BENCH_COLLECTOR_SECONDS ?? DEFAULT_SECONDS[intervalSeconds] ?? 150)
  // The sampling phase: from 15 s in to just before the last sample (the final snapshot follows it).
  const lastTick = Math.floor(SECONDS / intervalSeconds) * intervalSeconds
  const steadyEnd = lastTick - Math.min(1, intervalSeconds / 2)
  const dir = mkdtempSync(join(tmpdir(), 'mp-bench-collector-'))
  try {
    // sh reports, after the collector exits, the CPU time of all its reaped descendants.
    const script = `"${process.execPath}" "${bundle}" --duration ${SECONDS}s --interval ${intervalSeconds}s --out "${join(dir, 'out.json')}" --json > "${join(dir, 'result.json')}"; cat /proc/$$/stat`
    const started = Date.now()
    const sh = spawn('sh', ['-c', script], {stdio: ['ignore', 'pipe', 'ignore']})
    let shOut = ''
    sh.stdout.on('data', (c) => (shOut += c))
    let node
    let peak = 0
    let steadyFrom
    let steadyTo
    const poll = setInterval(() => {
      node ??=
        Number(
          spawnSync('pgrep', ['-P', String(sh.pid)], {encoding: 'utf8'})
            .stdout.trim()
            .split('\n')[0],
        ) || undefined
      if (!node) return
      const u = usage(node)
      if (!u) return
      peak = Math.max(peak, u.hwm)
      const t = (Date.now() - started) / 1000
      if (!steadyFrom && t >= 15) steadyFrom = {t, cpu: u.cpu}
      if (t <= steadyEnd) steadyTo = {t, cpu: u.cpu}
    }, 500)
    await new Promise((resolve) => sh.once('exit', resolve))
    clearInterval(poll)
    const wall = (Date.now() - started) / 1000
    const f = shOut.slice(shOut.lastIndexOf(')') + 2).split(' ')
    const totalCpu = (Number(f[13]) + Number(f[14])) / TICKS
    const result = JSON.parse(readFileSync(join(dir, 'result.json'), 'utf8'))
    const steady =
      steadyFrom && steadyTo && steadyTo.t > steadyFrom.t
        ? ((steadyTo.cpu - steadyFrom.cpu) / (steadyTo.t - steadyFrom.t)) * 100
        : undefined
    console.log(`  interval ${intervalSeconds}s, ${SECONDS}s window: ${result.samples} samples`)
    figure(
      `  CPU over the whole run (${wall.toFixed(0)} s)`,
      (totalCpu / wall) * 100,
      '% of one core',
      intervalSeconds === 60 ? '< 1%' : '',
    )
    figure('  CPU while sampling (start-up excluded)', steady ?? 'n/a', '% of one core', intervalSeconds === 60 ? '< 1%' : '')
    figure('  peak RSS', peak, 'MiB', '< 80 MB')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

for (const i of INTERVALS) await run(i)
