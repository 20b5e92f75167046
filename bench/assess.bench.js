// assess() on a synthetic estate of 100,000 servers (src/synth generateEstate), with the estate's
// connections aggregated as the workspace would (14-day window), the embedded catalog and the
// built-in rules. Prints the time and peak RSS of assess() itself, then the size and time of the
// JSON the command stores. Targets: < 10 s and < 1.5 GB for assess().
//   npm run bench -- assess        (SERVERS=20000 npm run bench -- assess for a quicker run)
import {assess} from '../dist/src/assess/assess.js'
import {loadCatalog} from '../dist/src/catalog/catalog.js'
import {assessSettingsSchema} from '../dist/src/model/settings.js'
import {SOFTWARE, generateEstate} from '../dist/src/synth/index.js'
import {figure, peakRssMib, timed} from './lib.js'

const N = Number(process.env.SERVERS ?? 100_000)

function toServer(s, i) {
  return {
    id: `srv-${String(i).padStart(7, '0')}`,
    name: s.name,
    sourceIds: [1],
    provenance: {},
    flags: s.powerState === 'off' ? ['powered-off'] : [],
    hostname: s.name,
    fqdn: s.fqdn,
    ips: [s.ip],
    macs: [s.mac],
    biosUuid: s.uuid,
    osName: s.osName,
    osFamily: s.osFamily,
    vcpus: s.vcpus,
    memoryMib: s.memoryMib,
    disks: s.disksGib.map((g, d) => ({name: `disk${d}`, sizeGib: g})),
    storageUsedGib: s.usedGib,
    powerState: s.powerState,
    cpuUtilisation: s.utilisation.cpuPct,
    memoryUtilisation: s.utilisation.memoryPct,
    software: s.software.map((name) => ({name, category: SOFTWARE[name]?.category ?? 'other', evidence: []})),
    listeners: s.listens.map((l) => ({protocol: l.protocol, ip: '0.0.0.0', port: l.port, process: l.process})),
    environment: s.environment,
    applications: s.app ? [s.app] : [],
  }
}

let [estate, genSeconds] = await timed(async () => generateEstate({servers: N, seed: 1}))
const servers = estate.servers.map(toServer)
const agg = new Map()
for (const c of estate.connections()) {
  const key = `${c.sourceIp}|${c.destinationIp}|${c.destinationPort}|${c.protocol}`
  const a = agg.get(key)
  if (a) a.count += c.count
  else
    agg.set(key, {
      sourceIp: c.sourceIp,
      destinationIp: c.destinationIp,
      destinationPort: c.destinationPort,
      protocol: c.protocol,
      processes: [c.process],
      count: c.count,
      firstSeen: '2026-10-31T00:00:00Z',
      lastSeen: '2026-11-14T00:00:00Z',
      sourceIds: [1],
    })
}
const connections = [...agg.values()]
agg.clear()
estate = undefined // only the servers and connections are inputs to assess()
const catalog = loadCatalog()
const settings = assessSettingsSchema.parse({})
globalThis.gc?.()
const rssBefore = peakRssMib()
figure('servers', servers.length)
figure('aggregated connections', connections.length)
figure('estate generation (not timed below)', genSeconds, 's')
figure('peak RSS before assess (estate + connections)', rssBefore, 'MiB')

const cpu0 = process.cpuUsage()
const [doc, seconds] = await timed(async () => assess({servers, connections, catalog, settings, asOf: '2026-11-30'}))
const cpu = process.cpuUsage(cpu0)
figure('assess()', seconds, 's', '< 10 s')
figure('assess() CPU time (user + system)', (cpu.user + cpu.system) / 1e6, 's')
figure('servers per second', Math.round(servers.length / seconds))
figure('peak RSS after assess (whole process)', peakRssMib(), 'MiB', '< 1,536 MiB')
for (const t of doc.summary.byStrategyTarget.slice(0, 8)) figure(`  ${t.strategy} → ${t.target}`, t.servers)
const od = doc.summary.monthly.find((m) => m.model === 'on-demand')
figure('on-demand USD/month (priced servers)', Math.round(od.monthlyUsd))

try {
  const [json, stringifySeconds] = await timed(async () => JSON.stringify(doc))
  figure('stored JSON (what the command saves)', json.length / 1024 / 1024, 'MiB')
  figure('JSON.stringify', stringifySeconds, 's')
  figure('bytes per server', Math.round(json.length / servers.length))
} catch (error) {
  figure('JSON.stringify of the whole document', `failed: ${error.message}`)
}
figure('peak RSS at the end', peakRssMib(), 'MiB')
