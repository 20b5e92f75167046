/**
 * migrate-plan agent files (src/model/agent-file.ts) for servers of a synthetic estate: host
 * identity, OS, capacity, utilisation over the window, processes with redacted command lines,
 * listeners, the server's connections aggregated as an agent would (per peer, port and process),
 * and detected software.
 */
import {mkdir, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {AGENT_FILE_SCHEMA_VERSION, type AgentFile} from '../../model/agent-file.js'
import {BASE_PROCESSES, OS_CATALOG, SOFTWARE} from '../catalog.js'
import {hash32} from '../random.js'
import type {SynthConnection, SynthEstate, SynthServer} from '../types.js'
import type {WriteStats} from './rvtools-xlsx.js'

type AgentConnection = AgentFile['connections'][number]

export interface AgentFileOptions {
  /** Servers that get a file. Powered-off VMs never do (no agent runs on them). @default every powered-on server */
  readonly select?: (server: SynthServer) => boolean
  /**
   * Report the SMBIOS UUID with its first three groups byte-swapped, as a Linux guest on older VMware
   * virtual hardware reads it while vCenter shows it big-endian. @default never
   */
  readonly swapUuid?: (server: SynthServer) => boolean
  /** File name of a server's file. @default `<name>.json` */
  readonly fileName?: (server: SynthServer) => string
  /** Indent the JSON (readable, larger). @default false */
  readonly pretty?: boolean
  /** Collector version written into the files. @default 0.1.0 */
  readonly collectorVersion?: string
  /** Servers handled per pass over the connection records (memory vs passes). @default 20000 */
  readonly batchSize?: number
  readonly onProgress?: (files: number) => void
}

/** The SMBIOS encoding of a UUID: first three groups little-endian. */
export function byteSwapUuid(uuid: string): string {
  const hex = uuid.replace(/-/g, '')
  const rev = (h: string): string => h.match(/../g)!.reverse().join('')
  const out = rev(hex.slice(0, 8)) + rev(hex.slice(8, 12)) + rev(hex.slice(12, 16)) + hex.slice(16)
  return `${out.slice(0, 8)}-${out.slice(8, 12)}-${out.slice(12, 16)}-${out.slice(16, 20)}-${out.slice(20)}`
}

/** VMware's BIOS serial number for a VM: `VMware-42 0b 56 … 5c-c7 …`. */
export function vmwareSerial(uuid: string): string {
  const bytes = uuid.replace(/-/g, '').match(/../g)!
  return `VMware-${bytes.slice(0, 8).join(' ')}-${bytes.slice(8).join(' ')}`
}

/** Aggregates one server's connection records as its agent would report them. */
export class ConnectionAggregator {
  private readonly byKey = new Map<string, {-readonly [K in keyof AgentConnection]: AgentConnection[K]}>()

  constructor(private readonly server: SynthServer) {}

  add(c: SynthConnection): void {
    const s = this.server
    const outbound = c.sourceIp === s.ip
    const listenerProcess = outbound ? undefined : s.listens.find((l) => l.port === c.destinationPort && l.protocol === c.protocol)?.process
    const process = outbound ? c.process : listenerProcess
    const remoteIp = outbound ? c.destinationIp : c.sourceIp
    const key = outbound
      ? `o|${c.protocol}|${remoteIp}|${c.destinationPort}|${process}`
      : `i|${c.protocol}|${c.destinationPort}|${remoteIp}|${process ?? ''}`
    const hit = this.byKey.get(key)
    if (hit) {
      hit.count += c.count
      if (c.firstSeen && (!hit.firstSeen || c.firstSeen < hit.firstSeen)) hit.firstSeen = c.firstSeen
      if (c.lastSeen && (!hit.lastSeen || c.lastSeen > hit.lastSeen)) hit.lastSeen = c.lastSeen
      return
    }
    this.byKey.set(key, {
      protocol: c.protocol,
      localIp: s.ip,
      localPort: outbound ? c.sourcePort : c.destinationPort,
      remoteIp,
      remotePort: outbound ? c.destinationPort : c.sourcePort,
      direction: outbound ? 'outbound' : 'inbound',
      ...(process ? {process} : {}),
      count: c.count,
      ...(c.firstSeen ? {firstSeen: c.firstSeen} : {}),
      ...(c.lastSeen ? {lastSeen: c.lastSeen} : {}),
    })
  }

  /** Outbound first, then inbound; by peer address and port. */
  result(): AgentConnection[] {
    const rank = (c: AgentConnection): string =>
      `${c.direction === 'outbound' ? 0 : 1}|${ipKey(c.remoteIp)}|${String(c.direction === 'outbound' ? c.remotePort : c.localPort).padStart(5, '0')}|${c.protocol}|${c.process ?? ''}`
    return [...this.byKey.values()]
      .map((c) => [rank(c), c] as const)
      .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .map(([, c]) => c)
  }
}

function ipKey(ip: string): string {
  return /^\d+\.\d+\.\d+\.\d+$/.test(ip)
    ? ip
        .split('.')
        .map((o) => o.padStart(3, '0'))
        .join('.')
    : ip
}

/** The agent document of one server, given its aggregated connections. Pure. */
export function agentFileFor(
  estate: SynthEstate,
  server: SynthServer,
  connections: readonly AgentConnection[],
  options: Pick<AgentFileOptions, 'swapUuid' | 'collectorVersion'> = {},
): AgentFile {
  const windows = server.osFamily === 'windows'
  const family = windows ? 'windows' : 'linux'
  const os = server.osId ? OS_CATALOG[server.osId] : undefined
  const u = server.utilisation
  const swapped = options.swapUuid?.(server) ?? false
  const uuid = swapped ? byteSwapUuid(server.uuid) : server.uuid
  const cores = server.vcpus >= 8 && server.vcpus % 2 === 0 ? 2 : 1
  const base = BASE_PROCESSES[family]
  const pid = (name: string): number => 300 + (hash32(`${server.name}/${name}`) % 60000)
  const processes: AgentFile['processes'] = [
    ...base.map((p) => ({pid: pid(p.name), name: p.name, user: p.user, cpuPct: p.cpuPct, memoryMib: p.memoryMib, command: p.command})),
    ...server.software.map((id, i) => {
      const s = SOFTWARE[id]!
      const share = i === 0 ? 0.8 : 0.2
      return {
        pid: pid(id),
        name: s.process[family],
        user: s.user[family],
        cpuPct: Math.round((u.cpuPct.avg ?? 0) * server.vcpus * share * 10) / 10,
        memoryMib: Math.round(((u.memoryPct.avg ?? 0) / 100) * server.memoryMib * share),
        command: s.command[family],
      }
    }),
  ]
  return {
    schemaVersion: AGENT_FILE_SCHEMA_VERSION,
    collector: {kind: 'agent', version: options.collectorVersion ?? '0.1.0', mode: 'sampling', privileged: true},
    collectedAt: estate.options.windowEnd,
    host: {
      hostname: windows ? server.name.toUpperCase() : server.name,
      fqdn: server.fqdn,
      systemUuid: windows ? uuid.toUpperCase() : uuid,
      serial: vmwareSerial(server.uuid),
      manufacturer: 'VMware, Inc.',
      model: /2008|2012|centos6/i.test(server.osId ?? '') ? 'VMware Virtual Platform' : 'VMware7,1',
      virtual: true,
      hypervisor: 'VMware',
      ips: [server.ip],
      macs: [server.mac],
    },
    os: {
      platform: os?.platform ?? (windows ? 'win32' : 'linux'),
      ...(os ? {name: os.name, version: os.version, kernel: os.kernel} : {name: server.osName}),
      arch: 'x64',
    },
    cpu: {
      model: 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
      sockets: server.vcpus / cores,
      cores: server.vcpus,
      threads: server.vcpus,
      mhz: 2494,
    },
    memory: {totalMib: server.memoryMib},
    disks: server.disksGib.map((size, i) => ({
      name: windows ? `PhysicalDrive${i}` : `sd${String.fromCharCode(97 + i)}`,
      type: 'SCSI',
      sizeGib: size,
    })),
    filesystems: (server.partitions ?? []).map((p) => ({mount: p.mount, fsType: p.fsType, sizeGib: p.capacityGib, usedGib: p.usedGib})),
    nics: [{name: windows ? 'Ethernet0' : 'ens192', mac: server.mac, ips: [server.ip], speedMbps: 10000, virtual: false}],
    utilisation: {
      windowStart: u.cpuPct.windowStart,
      windowEnd: u.cpuPct.windowEnd,
      intervalSeconds: 60,
      cpuPct: u.cpuPct,
      memoryPct: u.memoryPct,
      ...(u.diskIops ? {diskIops: u.diskIops} : {}),
      ...(u.diskThroughputMiBps ? {diskThroughputMiBps: u.diskThroughputMiBps} : {}),
      ...(u.networkMbps ? {networkMbps: u.networkMbps} : {}),
      percentileMethod: 'exact',
    },
    processes,
    listeners: server.listens.map((l) => ({protocol: l.protocol, ip: '0.0.0.0', port: l.port, process: l.process})),
    connections: [...connections],
    software: server.software.map((id) => {
      const s = SOFTWARE[id]!
      const listen = s.listens[0]
      return {
        name: s.id,
        category: s.category,
        version: s.version,
        ...(s.edition ? {edition: s.edition} : {}),
        evidence: [`process ${s.process[family]}`, ...(listen ? [`listens on ${listen.protocol}/${listen.port}`] : [])],
      }
    }),
    limitations: [],
  }
}

/**
 * Write one agent file per selected server into `dir` (created when missing). The connection
 * records are read in passes of `batchSize` servers, so memory holds one batch's aggregates.
 */
export async function writeAgentFiles(estate: SynthEstate, dir: string, options: AgentFileOptions = {}): Promise<WriteStats> {
  await mkdir(dir, {recursive: true})
  const selected = estate.servers.filter((s) => s.powerState === 'on' && (options.select?.(s) ?? true))
  const batchSize = options.batchSize ?? 20_000
  const fileName = options.fileName ?? ((s: SynthServer) => `${s.name}.json`)
  let files = 0
  let connections = 0
  for (let start = 0; start < selected.length; start += batchSize) {
    const batch = selected.slice(start, start + batchSize)
    const byIp = new Map<string, ConnectionAggregator>()
    for (const s of batch) byIp.set(s.ip, new ConnectionAggregator(s))
    for (const c of estate.connections()) {
      byIp.get(c.sourceIp)?.add(c)
      byIp.get(c.destinationIp)?.add(c)
    }
    for (const s of batch) {
      const conns = byIp.get(s.ip)!.result()
      connections += conns.length
      const doc = agentFileFor(estate, s, conns, options)
      await writeFile(join(dir, fileName(s)), options.pretty ? `${JSON.stringify(doc, null, 2)}\n` : JSON.stringify(doc))
      if (++files % 1000 === 0) options.onProgress?.(files)
    }
  }
  options.onProgress?.(files)
  return {path: dir, rows: {files, connections}}
}
