/**
 * Utilisation from /proc readings taken over SSH (`discover ssh --sample`). Pure: rates come from
 * the difference between consecutive readings, over the host's own uptime clock.
 * CPU busy % = 1 − (idle + iowait) / total of the `cpu` line; memory % = 1 − MemAvailable / MemTotal;
 * disk IOPS and MiB/s over whole disks (partitions and device-mapper volumes are left out so nothing
 * counts twice); network Mbit/s in + out over every interface but loopback.
 */
import {ConnectionAggregator} from '../collect/connections.js'
import {EXACT_METHOD, MetricSeries, SKETCH_METHOD} from '../collect/metrics.js'
import type {AgentFile} from '../model/agent-file.js'
import {parseMeminfo, parseSockets} from './parse.js'

export interface Reading {
  /** Seconds since boot on the host. */
  readonly uptime: number
  /** When the reading arrived here (ISO), for first/last seen of connections. */
  readonly at: string
  readonly sections: ReadonlyMap<string, string>
}

const WHOLE_DISK = /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+|nvme\d+n\d+|mmcblk\d+)$/

interface Counters {
  readonly cpuTotal: number
  readonly cpuIdle: number
  readonly ios: number
  readonly sectors: number
  readonly netBytes: number
  readonly memoryPct?: number
}

function counters(r: Reading): Counters {
  const stat = r.sections.get('stat') ?? ''
  const cpu = /^cpu\s+(.*)$/m.exec(stat)?.[1]?.trim().split(/\s+/).map(Number) ?? []
  const total = cpu.slice(0, 8).reduce((a, b) => a + b, 0)
  const idle = (cpu[3] ?? 0) + (cpu[4] ?? 0)
  const mem = parseMeminfo(stat)
  let ios = 0
  let sectors = 0
  for (const line of (r.sections.get('diskstats') ?? '').split('\n')) {
    const f = line.trim().split(/\s+/)
    if (f.length < 10 || !WHOLE_DISK.test(f[2]!)) continue
    ios += Number(f[3]) + Number(f[7])
    sectors += Number(f[5]) + Number(f[9])
  }
  let netBytes = 0
  for (const line of (r.sections.get('netdev') ?? '').split('\n')) {
    const m = /^\s*([^:\s]+):\s*(.*)$/.exec(line)
    if (!m || m[1] === 'lo') continue
    const f = m[2]!.trim().split(/\s+/).map(Number)
    netBytes += (f[0] ?? 0) + (f[8] ?? 0)
  }
  const total_ = mem.MemTotal
  const available = mem.MemAvailable ?? (mem.MemFree ?? 0) + (mem.Buffers ?? 0) + (mem.Cached ?? 0)
  return {
    cpuTotal: total,
    cpuIdle: idle,
    ios,
    sectors,
    netBytes,
    ...(total_ ? {memoryPct: Math.min(100, ((total_ - available) / total_) * 100)} : {}),
  }
}

export interface SampledWindow {
  readonly utilisation: NonNullable<AgentFile['utilisation']>
  readonly connections: ConnectionAggregator
  readonly samples: number
}

/** Summaries over the readings (n readings give n − 1 rate samples). */
export function summariseReadings(
  readings: readonly Reading[],
  intervalSeconds: number,
  connections = new ConnectionAggregator(),
): SampledWindow {
  const cpu = new MetricSeries()
  const memory = new MetricSeries()
  const iops = new MetricSeries()
  const mibps = new MetricSeries()
  const mbps = new MetricSeries()
  let prev: Counters | undefined
  let prevUptime = 0
  let samples = 0
  for (const r of readings) {
    const c = counters(r)
    const tool = r.sections.has('ss') ? 'ss' : 'netstat'
    connections.observe(parseSockets(r.sections.get(tool) ?? '', tool), r.at)
    if (prev) {
      const dt = r.uptime - prevUptime
      if (dt > 0) {
        samples++
        const dTotal = c.cpuTotal - prev.cpuTotal
        if (dTotal > 0) cpu.add(Math.min(100, Math.max(0, (1 - (c.cpuIdle - prev.cpuIdle) / dTotal) * 100)))
        memory.add(c.memoryPct)
        iops.add(Math.max(0, c.ios - prev.ios) / dt)
        mibps.add((Math.max(0, c.sectors - prev.sectors) * 512) / (1024 * 1024) / dt)
        mbps.add((Math.max(0, c.netBytes - prev.netBytes) * 8) / 1e6 / dt)
      }
    }
    prev = c
    prevUptime = r.uptime
  }
  const windowStart = readings[0]?.at
  const windowEnd = readings.at(-1)?.at
  const all = [cpu, memory, iops, mibps, mbps]
  const summary = (m: MetricSeries): NonNullable<AgentFile['utilisation']>['cpuPct'] => m.summary(windowStart, windowEnd)
  const utilisation: NonNullable<AgentFile['utilisation']> = {
    ...(windowStart ? {windowStart} : {}),
    ...(windowEnd ? {windowEnd} : {}),
    intervalSeconds,
    ...(cpu.samples ? {cpuPct: summary(cpu)} : {}),
    ...(memory.samples ? {memoryPct: summary(memory)} : {}),
    ...(iops.samples ? {diskIops: summary(iops)} : {}),
    ...(mibps.samples ? {diskThroughputMiBps: summary(mibps)} : {}),
    ...(mbps.samples ? {networkMbps: summary(mbps)} : {}),
    percentileMethod: all.every((m) => m.exact) ? EXACT_METHOD : SKETCH_METHOD,
  }
  return {utilisation, connections, samples}
}
