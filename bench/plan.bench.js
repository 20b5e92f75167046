// `migrate-plan plan` end to end on a synthetic estate: 100,000 servers (AWS import template with
// utilisation) and 2,000,000 connection records (connections CSV) from src/synth, written once into
// .bench/ and reused. The job runs as the real CLI (bin/run.js → dist/) in its own process; its
// --json manifest carries each phase's wall time, CPU time and peak RSS. Then the report it wrote
// is opened in Debian's Chromium: load event, first render of the server table, a search and a sort.
// Targets: the whole job under 2 minutes and 2 GB; the report open (load + first table) under 3 s.
//   npm run bench -- plan
//   BENCH_SERVERS=20000 BENCH_RECORDS=400000 npm run bench -- plan     a smaller run
import {spawnSync} from 'node:child_process'
import {existsSync, mkdirSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {figure} from './lib.js'

const SERVERS = Number(process.env.BENCH_SERVERS ?? 100_000)
const RECORDS = Number(process.env.BENCH_RECORDS ?? 2_000_000)
const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const cache = join(root, '.bench', `plan-v1-s${SERVERS}-c${RECORDS}-seed1`)
const inputs = join(cache, 'inputs')
const out = join(cache, 'out')

const SETTINGS = `# Settings for the plan benchmark: an organisation large enough for 100,000 servers.
organisation:
  name: Bench Corp
  emailDomain: bench.example
  businessUnits: [Retail, Finance, Operations, IT]
assess:
  region: us-east-1
  asOf: "2026-11-30"
  onPremises: {perServerYear: 1200, perCoreYear: 150, perGibStorageYear: 0.9}
waves:
  maxServersPerWave: 2000
  startDate: "2027-01-04"
  blackoutDates: ["2027-12-20..2028-01-02"]
`

/** Wait until an expression is true in the page (evaluated over CDP: the report's CSP forbids eval). */
async function poll(page, expression) {
  for (let i = 0; i < 6000; i++) {
    if (await page.evaluate(expression)) return
    await new Promise((r) => setTimeout(r, 10))
  }
  throw new Error(`timed out waiting for ${expression}`)
}

async function generate() {
  if (existsSync(join(cache, 'complete.json'))) return undefined
  rmSync(inputs, {recursive: true, force: true})
  mkdirSync(inputs, {recursive: true})
  const synth = await import('../dist/src/synth/index.js')
  const t0 = performance.now()
  const estate = synth.generateEstate({servers: SERVERS, connectionRecords: RECORDS, seed: 1})
  await synth.writeAwsImportTemplate(estate, join(inputs, 'inventory.csv'))
  await synth.writeConnectionsCsv(estate, join(inputs, 'connections.csv'))
  writeFileSync(join(inputs, 'migrate-plan.yaml'), SETTINGS)
  const seconds = (performance.now() - t0) / 1000
  writeFileSync(join(cache, 'complete.json'), JSON.stringify({servers: estate.servers.length, records: RECORDS, seconds}))
  return seconds
}

const generated = await generate()
console.log(
  `  ${SERVERS.toLocaleString('en-US')} servers, ${RECORDS.toLocaleString('en-US')} connection records (inputs cached in ${inputs})`,
)
if (generated !== undefined) figure('generate input files (not counted)', generated, 's')

// The job, as the user runs it.
rmSync(out, {recursive: true, force: true})
const t0 = performance.now()
const r = spawnSync(process.execPath, [join(root, 'bin/run.js'), 'plan', inputs, '--out', out, '--json'], {
  encoding: 'utf8',
  maxBuffer: 1 << 28,
  env: {...process.env, NO_COLOR: '1'},
})
const wall = (performance.now() - t0) / 1000
if (r.status !== 0 && r.status !== 1) {
  console.error(r.stderr)
  throw new Error(`plan exited with ${r.status}`)
}
const manifest = JSON.parse(r.stdout)
for (const p of manifest.phases) {
  figure(`${p.phase}${p.thread ? ' (own thread, beside the phases after it)' : ''}`, p.seconds, 's')
  figure(p.thread ? `  CPU of its thread` : `  CPU`, p.cpuSeconds, 's')
  figure(`  peak RSS so far`, p.peakRssMib, 'MiB')
}
// Phases on a thread of their own overlap the others: the run's own totals, not the phases' sum.
const phaseSeconds = manifest.seconds
const phaseCpu = manifest.cpuSeconds
figure(
  'servers / connection records / waves',
  `${manifest.servers.toLocaleString('en-US')} / ${manifest.connectionRecords.toLocaleString('en-US')} / ${manifest.waves}`,
)
for (const o of manifest.outputs) {
  const bytes = o.files.reduce((s, f) => s + f.bytes, 0)
  figure(
    `output ${o.name}`,
    o.status === 'written' ? `${o.files.length} files, ${(bytes / 2 ** 20).toFixed(1)} MiB` : `skipped: ${o.reason}`,
  )
}
if (manifest.problems.length > 0) figure('problems', manifest.problems.map((p) => p.message).join('; '))
figure('TOTAL run (wall)', phaseSeconds, 's', '< 120')
figure('TOTAL run (CPU, all threads)', phaseCpu, 's')
figure('TOTAL process incl. start-up (wall)', wall, 's', '< 120')
figure('peak RSS of the plan process', Math.max(...manifest.phases.map((p) => p.peakRssMib)), 'MiB', '< 2048')

// The report in Chromium.
const report = join(out, 'report.html')
figure('report.html size', statSync(report).size / 2 ** 20, 'MiB')
const {chromium} = await import('playwright-core')
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  headless: true,
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
})
try {
  const times = []
  for (let run = 0; run < 3; run++) {
    const page = await browser.newPage({viewport: {width: 1300, height: 900}})
    const errors = []
    page.on('pageerror', (e) => errors.push(e.message))
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()))
    const started = performance.now()
    await page.goto(`file://${report}`, {waitUntil: 'load', timeout: 120_000})
    await page.waitForSelector('#server-table[data-rendered]', {timeout: 120_000})
    const outside = (performance.now() - started) / 1000
    const nav = await page.evaluate(`(() => {
      const n = performance.getEntriesByType('navigation')[0]
      const t = performance.getEntriesByName('migrate-plan:table-rendered')[0]
      return {load: n.loadEventEnd, dcl: n.domContentLoadedEventEnd, table: t ? t.startTime : null, rows: document.querySelectorAll('#server-table tbody tr').length}
    })()`)
    let search
    let sort
    if (run === 0) {
      const s0 = performance.now()
      await page.fill('#table-search', 'web')
      await poll(page, `document.getElementById('table-status').textContent.includes('filtered')`)
      search = (performance.now() - s0) / 1000 - 0.12 // the input is debounced by 120 ms
      await page.fill('#table-search', '')
      await poll(page, `!document.getElementById('table-status').textContent.includes('filtered')`)
      const s1 = performance.now()
      await page.locator('#server-table thead th button').nth(11).click()
      await page.waitForSelector('#server-table thead th[aria-sort=ascending]', {timeout: 60_000})
      sort = (performance.now() - s1) / 1000
    }
    times.push({outside, ...nav, search, sort, errors})
    await page.close()
  }
  const best = times.reduce((a, b) => (b.outside < a.outside ? b : a))
  figure('report: DOMContentLoaded (best of 3)', best.dcl / 1000, 's')
  figure('report: load event (best of 3)', best.load / 1000, 's')
  figure('report: first table render (best of 3)', best.table / 1000, 's', '< 3')
  figure('report: goto → table rendered, measured outside (best of 3)', best.outside, 's', '< 3')
  figure('report: rows in the DOM', best.rows)
  figure('report: search over all rows', times[0].search, 's')
  figure('report: sort by cost', times[0].sort, 's')
  figure('report: console/page errors', times.flatMap((t) => t.errors).length)
} finally {
  await browser.close()
}
