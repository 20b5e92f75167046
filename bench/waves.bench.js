// From import to a finished Plan: 100,000 servers (AWS import template) and 2,000,000 connection
// records (connections CSV) from src/synth. Each phase runs in its own process so that its peak
// RSS is its own. Targets: import → Plan under 60 s in total, every phase under 2 GiB peak RSS.
//   node bench/waves.bench.js                 the whole benchmark
//   BENCH_SERVERS=20000 BENCH_RECORDS=400000   a smaller run
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'
import {fileURLToPath} from 'node:url'

import {figure, peakRssMib, runChild} from './lib.js'

const SERVERS = Number(process.env.BENCH_SERVERS ?? 100_000)
const RECORDS = Number(process.env.BENCH_RECORDS ?? 2_000_000)
const self = fileURLToPath(import.meta.url)
const phase = process.argv[2]

const lap = () => {
  const t0 = process.hrtime.bigint()
  return () => Number(process.hrtime.bigint() - t0) / 1e9
}
/** CPU seconds (user + system) of this process so far: steadier than wall time on a busy machine. */
const cpu = () => {
  const u = process.cpuUsage()
  return (u.user + u.system) / 1e6
}

if (phase === 'generate') {
  const dir = process.argv[3]
  const synth = await import('../dist/src/synth/index.js')
  const done = lap()
  const estate = synth.generateEstate({servers: SERVERS, connectionRecords: RECORDS, seed: 1})
  await synth.writeAwsImportTemplate(estate, join(dir, 'inventory.csv'))
  await synth.writeConnectionsCsv(estate, join(dir, 'connections.csv'))
  console.log(JSON.stringify({seconds: done(), rss: peakRssMib(), servers: estate.servers.length}))
} else if (phase === 'import') {
  const [dir, file] = process.argv.slice(3)
  const {Workspace} = await import('../dist/src/workspace/workspace.js')
  const {importPaths} = await import('../dist/src/importers/run.js')
  const done = lap()
  const ws = Workspace.open(join(dir, 'ws'), {create: true})
  const r = await importPaths(ws, [join(dir, file)])
  const out = {
    seconds: done(),
    cpu: cpu(),
    rss: peakRssMib(),
    servers: ws.serverCount(),
    connections: r.units.reduce((s, u) => s + u.outcome.source.connections, 0),
  }
  ws.close()
  console.log(JSON.stringify(out))
} else if (phase === 'plan') {
  const dir = process.argv[3]
  const {Workspace} = await import('../dist/src/workspace/workspace.js')
  const {buildGraph} = await import('../dist/src/plan/graph.js')
  const {planFromGraph} = await import('../dist/src/plan/plan.js')
  const ws = Workspace.open(join(dir, 'ws'))
  const steps = {}
  const cpuSteps = {}
  let done = lap()
  let c0 = cpu()
  const step = (name) => {
    steps[name] = done()
    cpuSteps[name] = cpu() - c0
    done = lap()
    c0 = cpu()
  }
  const servers = ws.planningServers()
  step('loadServers')
  const graph = buildGraph(servers, ws.connectionRows(), {onPremisesCidrs: ws.settings.organisation.onPremisesCidrs ?? []})
  step('graph')
  const rssGraph = peakRssMib()
  const plan = planFromGraph({graph, waves: ws.settings.waves, onPremisesCidrs: []})
  step('plan')
  ws.saveDocument('plan', plan)
  step('save')
  ws.close()
  console.log(
    JSON.stringify({
      steps,
      cpuSteps,
      rssGraph,
      cpu: cpu(),
      rss: peakRssMib(),
      edges: graph.summary.edges,
      groups: plan.groups.length,
      waves: plan.waves.length,
      shared: plan.sharedServices.length,
      cross: plan.crossWaveDependencies.length,
      unresolved: graph.summary.unresolvedShare,
    }),
  )
} else {
  const dir = mkdtempSync(join(tmpdir(), 'mp-waves-bench-'))
  try {
    mkdirWs(dir)
    console.log(`  ${SERVERS.toLocaleString('en-US')} servers, ${RECORDS.toLocaleString('en-US')} connection records`)
    const gen = runChild(self, ['generate', dir])
    figure('generate input files (not counted)', gen.seconds, 's')
    const servers = runChild(self, ['import', dir, 'inventory.csv'])
    figure('import servers (AWS import template)', servers.seconds, 's')
    figure('  CPU', servers.cpu, 's')
    figure('  peak RSS', servers.rss, 'MiB', '< 2048')
    const conns = runChild(self, ['import', dir, 'connections.csv'])
    figure('import connections (CSV)', conns.seconds, 's')
    figure('  CPU', conns.cpu, 's')
    figure('  peak RSS', conns.rss, 'MiB', '< 2048')
    const plan = runChild(self, ['plan', dir])
    figure('load servers from the workspace', plan.steps.loadServers, 's')
    figure('  CPU', plan.cpuSteps.loadServers, 's')
    figure('dependency graph (stream + aggregate)', plan.steps.graph, 's')
    figure('  CPU', plan.cpuSteps.graph, 's')
    figure('  peak RSS so far', plan.rssGraph, 'MiB')
    figure('shared services, groups, waves, Plan', plan.steps.plan, 's')
    figure('  CPU', plan.cpuSteps.plan, 's')
    figure('store the Plan', plan.steps.save, 's')
    figure('  CPU', plan.cpuSteps.save, 's')
    figure('  CPU of the plan process (load → store)', plan.cpu, 's')
    figure('  peak RSS', plan.rss, 'MiB', '< 2048')
    const planSeconds = plan.steps.loadServers + plan.steps.graph + plan.steps.plan + plan.steps.save
    figure('servers / connections imported', `${servers.servers.toLocaleString('en-US')} / ${conns.connections.toLocaleString('en-US')}`)
    figure(
      'graph edges / groups / waves / shared services',
      `${plan.edges.toLocaleString('en-US')} / ${plan.groups.toLocaleString('en-US')} / ${plan.waves} / ${plan.shared}`,
    )
    figure('cross-wave dependencies', plan.cross)
    figure('TOTAL import → Plan (wall)', servers.seconds + conns.seconds + planSeconds, 's', '< 60')
    figure('TOTAL import → Plan (CPU)', servers.cpu + conns.cpu + plan.cpu, 's')
    figure('max peak RSS of any phase', Math.max(servers.rss, conns.rss, plan.rss), 'MiB', '< 2048')
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

function mkdirWs(dir) {
  // The workspace folder with its settings: a wave size fit for an estate this large.
  mkdirSync(join(dir, 'ws'))
  writeFileSync(
    join(dir, 'ws', 'migrate-plan.yaml'),
    'waves:\n  maxServersPerWave: 2000\n  startDate: "2027-01-04"\n  blackoutDates: ["2027-12-20..2028-01-02"]\n',
  )
}
