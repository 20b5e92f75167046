/**
 * Utilisation from /proc readings taken over SSH (`discover ssh --sample`). Pure: rates come from
 * the difference between consecutive readings (src/collect/procfs.ts, as the agent computes them),
 * over the host's own uptime clock.
 */
import {ConnectionAggregator} from '../collect/connections.js'
import {EXACT_METHOD, MetricSeries, SKETCH_METHOD} from '../collect/metrics.js'
import type {AgentFile} from '../model/agent-file.js'
import {procCounters, procRates, type ProcCounters} from '../collect/procfs.js'
import {parseSockets} from './parse.js'

export interface Reading {
  /** Seconds since boot on the host. */
  readonly uptime: number
  /** When the reading arrived here (ISO), for first/last seen of connections. */
  readonly at: string
  readonly sections: ReadonlyMap<string, string>
}

function counters(r: Reading): ProcCounters {
  const stat = r.sections.get('stat') ?? ''
  return procCounters({stat, meminfo: stat, diskstats: r.sections.get('diskstats') ?? '', netdev: r.sections.get('netdev') ?? ''})
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
  let prev: ProcCounters | undefined
  let prevUptime = 0
  let samples = 0
  for (const r of readings) {
    const c = counters(r)
    const tool = r.sections.has('ss') ? 'ss' : 'netstat'
    connections.observe(parseSockets(r.sections.get(tool) ?? '', tool), r.at)
    if (prev) {
      const rates = procRates(prev, c, r.uptime - prevUptime)
      if (rates) {
        samples++
        cpu.add(rates.cpuPct)
        memory.add(rates.memoryPct)
        iops.add(rates.diskIops)
        mibps.add(rates.diskMiBps)
        mbps.add(rates.networkMbps)
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
