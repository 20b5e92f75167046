// Ingest throughput of `migrate-plan serve`: payloads/s over HTTP on 127.0.0.1 into a real
// workspace (SQLite file, WAL). The agents run in a worker thread so that they do not take the
// server's thread. Target: at least 500 payloads/s.
// BENCH_SERVE_PAYLOADS (default 3000) and BENCH_SERVE_CONCURRENCY (default 100) size the run.
import {spawnSync} from 'node:child_process'
import {mkdtempSync, readFileSync, rmSync} from 'node:fs'
import {Agent, request} from 'node:http'
import os, {tmpdir} from 'node:os'
import {join} from 'node:path'
import {isMainThread, parentPort, Worker, workerData} from 'node:worker_threads'

const PAYLOADS = Number(process.env.BENCH_SERVE_PAYLOADS ?? 3000)
const CONCURRENCY = Number(process.env.BENCH_SERVE_CONCURRENCY ?? 100)
const TOKEN = 'bench-token-0123456789abcdef'
const TICKS = Number(spawnSync('getconf', ['CLK_TCK'], {encoding: 'utf8'}).stdout?.trim()) || 100

/** A realistic agent file: 60 processes, 40 aggregated connections, a week of utilisation. */
function agentDoc(i) {
  const ip = `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
  const m = (avg) => ({avg, p50: avg * 0.9, p95: avg * 2.5, p99: avg * 3, max: avg * 4, samples: 10080})
  return {
    schemaVersion: 'migrate-plan.agent/1',
    collector: {kind: 'agent', version: '0.1.0', mode: 'sampling', privileged: true},
    collectedAt: '2026-01-08T00:00:00.000Z',
    host: {
      hostname: `srv${i}.corp.example`,
      systemUuid: `4c4c4544-0000-1000-8000-${i.toString(16).padStart(12, '0')}`,
      ips: [ip],
      macs: [],
    },
    os: {platform: 'linux', name: 'Red Hat Enterprise Linux', version: '8.9', kernel: '4.18.0', arch: 'x64'},
    cpu: {model: 'Intel Xeon Gold 6248', sockets: 2, cores: 8, threads: 16, mhz: 2500},
    memory: {totalMib: 32768},
    disks: [{name: '/dev/sda', sizeGib: 200}],
    filesystems: [{mount: '/', fsType: 'xfs', sizeGib: 200, usedGib: 80}],
    nics: [{name: 'ens192', mac: '00:50:56:00:00:01', ips: [ip], speedMbps: 10000}],
    utilisation: {
      windowStart: '2026-01-01T00:00:00.000Z',
      windowEnd: '2026-01-08T00:00:00.000Z',
      intervalSeconds: 60,
      cpuPct: m(12),
      memoryPct: m(40),
      diskIops: m(150),
      diskThroughputMiBps: m(4),
      networkMbps: m(20),
      percentileMethod: 'exact',
    },
    processes: Array.from({length: 60}, (_, p) => ({
      pid: 1000 + p,
      name: `proc${p}`,
      user: 'app',
      cpuPct: 0.5,
      memoryMib: 120,
      command: `/opt/app/bin/proc${p} --config /etc/app/${p}.yml`,
    })),
    listeners: [{protocol: 'tcp', ip: '0.0.0.0', port: 8443, process: 'java'}],
    connections: Array.from({length: 40}, (_, c) => ({
      protocol: 'tcp',
      localIp: ip,
      localPort: 0,
      remoteIp: `10.200.${c >> 8}.${c & 255}`,
      remotePort: 5432,
      direction: 'outbound',
      process: 'java',
      count: 100 + c,
      firstSeen: '2026-01-01T00:01:00.000Z',
      lastSeen: '2026-01-07T23:59:00.000Z',
    })),
    software: [{name: 'java', category: 'runtime', evidence: ['process java']}],
    limitations: [],
  }
}

/** CPU seconds of this process's main thread (Linux: /proc/self/task/<pid>/stat), NaN elsewhere. */
function mainThreadCpu() {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8')
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(f[11]) + Number(f[12])) / TICKS
  } catch {
    return Number.NaN
  }
}

function post(url, body, agent) {
  return new Promise((resolve, reject) => {
    const headers = {authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json', 'content-length': body.length}
    const req = request(url, {method: 'POST', agent, headers}, (res) => {
      res.resume()
      res.on('end', () => resolve(res.statusCode))
    })
    req.on('error', reject)
    req.end(body)
  })
}

/** The agents: push every payload, CONCURRENCY at a time; report timing to the main thread. */
async function agents({url}) {
  const bodies = Array.from({length: PAYLOADS}, (_, i) => Buffer.from(JSON.stringify(agentDoc(i))))
  const bytes = bodies.reduce((s, b) => s + b.length, 0)
  const agent = new Agent({keepAlive: true, maxSockets: CONCURRENCY})
  let next = 0
  let failed = 0
  const t0 = process.hrtime.bigint()
  await Promise.all(
    Array.from({length: CONCURRENCY}, async () => {
      while (next < bodies.length) if ((await post(url, bodies[next++], agent)) !== 201) failed++
    }),
  )
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9
  agent.destroy()
  parentPort.postMessage({seconds, bytes, failed})
}

if (!isMainThread) {
  await agents(workerData)
} else {
  const {IngestServer, INGEST_PATH} = await import('../dist/src/serve/server.js')
  const {Workspace} = await import('../dist/src/workspace/workspace.js')
  const {figure, peakRssMib} = await import('./lib.js')
  const dir = mkdtempSync(join(tmpdir(), 'mp-bench-serve-'))
  try {
    const ws = Workspace.open(join(dir, 'ws'), {create: true})
    const server = await IngestServer.start({workspace: ws, token: TOKEN, port: 0})
    const main0 = mainThreadCpu()
    const cpu0 = process.cpuUsage()
    const elu0 = performance.eventLoopUtilization()
    const worker = new Worker(new URL(import.meta.url), {workerData: {url: server.url + INGEST_PATH}})
    const {seconds, bytes, failed} = await new Promise((resolve, reject) => worker.once('message', resolve).once('error', reject))
    await worker.terminate()
    await server.close()
    const stored = ws.sources().length
    ws.close()
    const cpu = process.cpuUsage(cpu0)
    const mainCpu = mainThreadCpu() - main0
    const elu = performance.eventLoopUtilization(elu0)
    console.log(
      `  ${PAYLOADS} payloads of ${(bytes / PAYLOADS / 1024).toFixed(1)} KiB from ${CONCURRENCY} concurrent agents (worker thread)`,
    )
    figure('ingest throughput', PAYLOADS / seconds, 'payloads/s', '>= 500/s')
    figure('ingest volume', bytes / 1024 / 1024 / seconds, 'MiB/s')
    // On a shared machine the wall-clock figure depends on what else runs; these do not.
    figure('CPU per payload (server, validators, agents)', (cpu.user + cpu.system) / 1e3 / PAYLOADS, 'ms')
    figure('server thread busy (event loop utilisation)', elu.utilization * 100, '%')
    if (!Number.isNaN(mainCpu)) {
      // The write thread is the bottleneck (SQLite writes are serialised on it); its CPU per payload
      // bounds throughput on an idle machine with a core for it and one for the validators.
      figure('server thread CPU per payload', (mainCpu / PAYLOADS) * 1000, 'ms')
      figure('server thread capacity (1 / CPU per payload)', PAYLOADS / mainCpu, 'payloads/s', '>= 500/s')
    }
    figure('load average during the run (1 min)', os.loadavg()[0])
    figure('payloads stored (must equal payloads sent)', stored)
    figure('failed requests', failed)
    figure('peak RSS', peakRssMib(), 'MiB')
    if (stored !== PAYLOADS || failed > 0) process.exitCode = 1
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}
