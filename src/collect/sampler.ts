/**
 * One utilisation sample of the whole host, through systeminformation: CPU busy %, memory used %,
 * disk IOPS and MiB/s (reads + writes), network Mbit/s (in + out, physical and virtual NICs, not
 * loopback), and the sockets open at that moment. Rates are over the time since the previous sample.
 */
import si from 'systeminformation'

import type {ObservedSocket} from './connections.js'
import {probeNics, probeSockets} from './probes.js'

export interface Sample {
  readonly cpuPct?: number
  readonly memoryPct?: number
  readonly diskIops?: number
  readonly diskMiBps?: number
  readonly networkMbps?: number
  readonly sockets: readonly ObservedSocket[]
}

const finite = (v: number | null | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined)

export class Sampler {
  private ifaces = ''

  /** Take the baseline readings the first sample's rates are computed from. */
  async init(): Promise<void> {
    this.ifaces = (await probeNics()).map((n) => n.name).join(',')
    await Promise.all([
      si.currentLoad().catch(() => undefined),
      si.disksIO().catch(() => undefined),
      si.fsStats().catch(() => undefined),
      this.ifaces ? si.networkStats(this.ifaces).catch(() => undefined) : undefined,
    ])
  }

  async sample(withSockets = true): Promise<Sample> {
    const [load, mem, io, fs, net, sockets] = await Promise.all([
      si.currentLoad().catch(() => undefined),
      si.mem().catch(() => undefined),
      si.disksIO().catch(() => undefined),
      si.fsStats().catch(() => undefined),
      this.ifaces ? si.networkStats(this.ifaces).catch(() => undefined) : undefined,
      withSockets ? probeSockets() : [],
    ])
    let networkMbps: number | undefined
    for (const n of net ?? []) {
      const rx = finite(n.rx_sec)
      const tx = finite(n.tx_sec)
      if (rx === undefined && tx === undefined) continue
      networkMbps = (networkMbps ?? 0) + (((rx ?? 0) + (tx ?? 0)) * 8) / 1e6
    }
    const total = mem?.total ?? 0
    const available = mem ? (mem.available > 0 ? mem.available : mem.free + (mem.buffcache ?? 0)) : 0
    const txSec = finite(fs?.tx_sec ?? undefined)
    return {
      cpuPct: finite(load?.currentLoad),
      memoryPct: total > 0 ? Math.min(100, ((total - available) / total) * 100) : undefined,
      diskIops: finite(io?.tIO_sec ?? undefined),
      diskMiBps: txSec === undefined ? undefined : txSec / (1024 * 1024),
      networkMbps,
      sockets,
    }
  }
}
