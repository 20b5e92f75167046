/**
 * One utilisation sample of the whole host: CPU busy %, memory used %, disk IOPS and MiB/s (reads +
 * writes), network Mbit/s (in + out, not loopback), and the sockets open at that moment. Rates are
 * over the time since the previous sample.
 *
 * On Linux the sampler reads /proc itself (a few file reads per sample; the owners of sockets are
 * looked up in /proc/PID/fd at most every {@link OWNER_SCAN_MS}), because running netstat, lsblk and
 * shell scripts through systeminformation every sample costs about 0.1 s of CPU each time. Elsewhere
 * it uses systeminformation.
 */
import {readdirSync, readFileSync, readlinkSync} from 'node:fs'
import {readFile} from 'node:fs/promises'

import si from 'systeminformation'

import type {ObservedSocket} from './connections.js'
import {parseProcNet, procCounters, procRates, type ProcCounters} from './procfs.js'
import {probeNics, probeSockets} from './probes.js'

export interface Sample {
  readonly cpuPct?: number
  readonly memoryPct?: number
  readonly diskIops?: number
  readonly diskMiBps?: number
  readonly networkMbps?: number
  readonly sockets: readonly ObservedSocket[]
}

export interface HostSampler {
  /** Take the baseline readings the first sample's rates are computed from. */
  init(): Promise<void>
  sample(): Promise<Sample>
}

/** The sampler for this platform. */
export function createSampler(): HostSampler {
  if (process.platform === 'linux') {
    try {
      readFileSync('/proc/stat', 'utf8')
      return new ProcSampler()
    } catch {
      /* no /proc: fall through */
    }
  }
  return new SiSampler()
}

/** Shortest time between two scans of /proc/PID/fd for socket owners. */
export const OWNER_SCAN_MS = 30_000

const read = (path: string): Promise<string> => readFile(path, 'utf8').catch(() => '')

export class ProcSampler implements HostSampler {
  private prev: {counters: ProcCounters; t: number} | undefined
  private owners = new Map<number, string>()
  private lastScan = Number.NEGATIVE_INFINITY

  private async reading(): Promise<{counters: ProcCounters; t: number}> {
    const [stat, meminfo, diskstats, netdev] = await Promise.all([
      read('/proc/stat'),
      read('/proc/meminfo'),
      read('/proc/diskstats'),
      read('/proc/net/dev'),
    ])
    return {counters: procCounters({stat, meminfo, diskstats, netdev}), t: performance.now() / 1000}
  }

  async init(): Promise<void> {
    this.prev = await this.reading()
  }

  async sample(): Promise<Sample> {
    const cur = await this.reading()
    const rates = this.prev ? procRates(this.prev.counters, cur.counters, cur.t - this.prev.t) : undefined
    this.prev = cur
    return {
      ...(rates?.cpuPct === undefined ? {} : {cpuPct: rates.cpuPct}),
      ...(cur.counters.memoryPct === undefined ? {} : {memoryPct: cur.counters.memoryPct}),
      ...(rates ? {diskIops: rates.diskIops, diskMiBps: rates.diskMiBps, networkMbps: rates.networkMbps} : {}),
      sockets: await this.sockets(),
    }
  }

  private async sockets(): Promise<ObservedSocket[]> {
    const files = [
      ['/proc/net/tcp', 'tcp'],
      ['/proc/net/tcp6', 'tcp'],
      ['/proc/net/udp', 'udp'],
      ['/proc/net/udp6', 'udp'],
    ] as const
    const texts = await Promise.all(files.map(([f]) => read(f)))
    const found = files.flatMap(([, protocol], i) => parseProcNet(texts[i]!, protocol))
    const wanted = found.filter((s) => s.inode > 0 && /^(LISTEN|ESTABLISHED|UNCONN)$/.test(s.socket.state ?? ''))
    if (wanted.some((s) => !this.owners.has(s.inode)) && performance.now() - this.lastScan >= OWNER_SCAN_MS) {
      this.scanOwners(new Set(wanted.map((s) => s.inode)))
    }
    return found.map(({socket, inode}) => {
      const owner = this.owners.get(inode)
      return owner ? {...socket, process: owner} : socket
    })
  }

  /** Socket inode → process name, from /proc/PID/fd links (other users' are unreadable without root). */
  private scanOwners(live: ReadonlySet<number>): void {
    this.lastScan = performance.now()
    const owners = new Map<number, string>()
    let pids: string[]
    try {
      pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d))
    } catch {
      return
    }
    for (const pid of pids) {
      let fds: string[]
      try {
        fds = readdirSync(`/proc/${pid}/fd`)
      } catch {
        continue
      }
      let name: string | undefined
      for (const fd of fds) {
        let link: string
        try {
          link = readlinkSync(`/proc/${pid}/fd/${fd}`)
        } catch {
          continue
        }
        const m = /^socket:\[(\d+)\]$/.exec(link)
        if (!m || !live.has(Number(m[1]))) continue
        try {
          name ??= readFileSync(`/proc/${pid}/comm`, 'utf8').trim()
        } catch {
          break
        }
        owners.set(Number(m[1]), name)
      }
    }
    this.owners = owners
  }
}

const finite = (v: number | null | undefined): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : undefined)

/** Through systeminformation: Windows, macOS and other systems without /proc. */
export class SiSampler implements HostSampler {
  private ifaces = ''

  async init(): Promise<void> {
    this.ifaces = (await probeNics()).map((n) => n.name).join(',')
    await Promise.all([
      si.currentLoad().catch(() => undefined),
      si.disksIO().catch(() => undefined),
      si.fsStats().catch(() => undefined),
      this.ifaces ? si.networkStats(this.ifaces).catch(() => undefined) : undefined,
    ])
  }

  async sample(): Promise<Sample> {
    const [load, mem, io, fs, net, sockets] = await Promise.all([
      si.currentLoad().catch(() => undefined),
      si.mem().catch(() => undefined),
      si.disksIO().catch(() => undefined),
      si.fsStats().catch(() => undefined),
      this.ifaces ? si.networkStats(this.ifaces).catch(() => undefined) : undefined,
      probeSockets(),
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
