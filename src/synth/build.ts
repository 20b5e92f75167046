/**
 * Turns a compact server description (name, tier, OS, environment, software) into a complete
 * SynthServer: identity (UUID, MAC, MoRef), sizing, partitions, listeners and a utilisation
 * summary consistent with its role. Used by `generateEstate` and by the hand-shaped example.
 */
import type {MetricSummary} from '../model/server.js'
import {BASE_LISTENS, ENVIRONMENT_LOAD, OS_CATALOG, SOFTWARE, TIER_PROFILES, type OsId, type SoftwareListen} from './catalog.js'
import type {Random} from './random.js'
import type {SynthServer, SynthTier} from './types.js'

export type SynthEnvironment = SynthServer['environment']

/** What a caller must say about a server; everything else has a role-based default. */
export interface ServerSpec {
  readonly name: string
  readonly tier: SynthTier
  readonly os: OsId
  readonly environment: SynthEnvironment
  readonly ip: string
  /** Planted application; undefined for shared services. */
  readonly app?: string
  /** Shared service id when tier is `shared`. */
  readonly service?: string
  /** Every shared service it provides when more than `service` (a domain controller is also DNS). */
  readonly services?: readonly string[]
  /** Software ids (keys of SOFTWARE); they give the listeners. @default none */
  readonly software?: readonly string[]
  readonly vcpus?: number
  readonly memoryMib?: number
  /** Disk sizes, GiB, OS disk first. @default OS disk plus the tier's data disk */
  readonly disksGib?: readonly number[]
  /** Share of the disks in use, 0–1. @default random 0.35–0.8 */
  readonly usedShare?: number
  readonly powerState?: 'on' | 'off'
  /** Idle: a few percent CPU at most, almost no traffic (retire candidate). @default false */
  readonly idle?: boolean
  /** Multiplies the tier's usual load (1 = typical for its tier and environment). @default random around 1 */
  readonly load?: number
  readonly folder?: string
  readonly datacenter?: string
  readonly cluster?: string
  readonly host?: string
  readonly attributes?: Readonly<Record<string, string>>
  readonly annotation?: string
  readonly template?: boolean
  /** YYYY-MM-DD. @default a date in the three years before the window */
  readonly created?: string
  /** Extra listeners beyond the software's and the OS's usual ones. */
  readonly extraListens?: readonly {readonly protocol: 'tcp' | 'udp'; readonly port: number; readonly process: string}[]
}

export interface BuildContext {
  readonly domain: string
  /** Position of the server in the estate: makes the MAC address and MoRef unique. */
  readonly index: number
  /** End of the observation window, ISO-8601; utilisation summaries cover the window before it. */
  readonly windowEnd: string
  readonly windowDays: number
}

const round1 = (x: number): number => Math.round(x * 10) / 10
/** Percentages approach 100 smoothly: a saturated server shows p95 97, p99 99, not a wall of 100s. */
const clampPct = (x: number): number => (x <= 0 ? 0 : x <= 80 ? x : 100 - 20 * Math.exp(-(x - 80) / 20))

const isoCache = new Map<string, string>()

/** ISO timestamp of `days` before `end`, without milliseconds. Memoised: estates ask for few distinct ones. */
export function isoDaysBefore(end: string, days: number): string {
  const key = `${end}|${days}`
  let hit = isoCache.get(key)
  if (hit === undefined) {
    hit = new Date(Date.parse(end) - days * 86_400_000).toISOString().replace('.000Z', 'Z')
    if (isoCache.size < 100_000) isoCache.set(key, hit)
  }
  return hit
}

/** A vCenter-style BIOS UUID (config.uuid): vCenter-generated ones start with 42. */
export function vmUuid(rng: Random): string {
  const h = `42${rng.hex(30)}`
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** vCenter-assigned MAC address (00:50:56:80:00:00 – 00:50:56:bf:ff:ff), unique per index up to 4M. */
export function vmMac(index: number): string {
  const b = [0x80 | ((index >> 16) & 0x3f), (index >> 8) & 0xff, index & 0xff]
  return `00:50:56:${b.map((x) => x.toString(16).padStart(2, '0')).join(':')}`
}

/**
 * Allocates addresses from per-environment blocks so that servers of one environment share
 * subnets: shared services 10.0–10.3, prod 10.16–10.31, dev 10.32–10.39, test 10.40–10.47,
 * staging 10.48–10.55. Host numbers .10–.249 (gateways and appliances live below .10).
 */
export class IpAllocator {
  private readonly next = new Map<string, number>()
  private static readonly BASE: Readonly<Record<string, number>> = {shared: 0, prod: 16, dev: 32, test: 40, staging: 48}
  private static readonly SPAN: Readonly<Record<string, number>> = {shared: 4, prod: 16, dev: 8, test: 8, staging: 8}

  allocate(block: 'shared' | SynthEnvironment): string {
    const k = this.next.get(block) ?? 0
    this.next.set(block, k + 1)
    const perSubnet = 240
    const subnet = Math.floor(k / perSubnet)
    const second = IpAllocator.BASE[block]! + Math.floor(subnet / 256)
    if (second >= IpAllocator.BASE[block]! + IpAllocator.SPAN[block]!)
      throw new Error(`IpAllocator: ${block} block exhausted after ${k} addresses`)
    return `10.${second}.${subnet % 256}.${10 + (k % perSubnet)}`
  }

  /** Keep the next `size` addresses in one /24: skip to the next subnet when they would not fit. */
  alignSubnet(block: 'shared' | SynthEnvironment, size: number): void {
    const k = this.next.get(block) ?? 0
    if ((k % 240) + Math.min(size, 240) > 240) this.next.set(block, k + (240 - (k % 240)))
  }
}

/**
 * Utilisation summary of one percentage metric from its average and how peaky it is. CPU is
 * right-skewed (median below the mean, rare spikes); memory is flat (`flat`: everything near the mean).
 */
function summary(
  avg: number,
  peak: number,
  rng: Random,
  samples: number,
  windowStart: string,
  windowEnd: string,
  flat = false,
): MetricSummary {
  // Raw values first, then one monotone cap, so that p50 ≤ p95 ≤ p99 ≤ max holds after capping.
  const p50 = avg * (flat ? rng.float(0.97, 1.01) : rng.float(0.72, 0.95))
  const p95 = Math.max(p50, avg * peak)
  const p99 = p95 * (flat ? rng.float(1.01, 1.04) : rng.float(1.08, 1.3))
  const max = p99 * (flat ? rng.float(1.0, 1.05) : rng.float(1.1, 1.6))
  const c = (x: number): number => round1(clampPct(x))
  return {avg: c(avg), p50: c(p50), p95: c(p95), p99: c(p99), max: c(max), samples, windowStart, windowEnd}
}

function rate(avg: number, peak: number, rng: Random, samples: number, windowStart: string, windowEnd: string): MetricSummary {
  const p50 = avg * rng.float(0.6, 0.9)
  const p95 = avg * peak
  const p99 = p95 * rng.float(1.1, 1.4)
  const max = p99 * rng.float(1.2, 2.5)
  return {avg: round1(avg), p50: round1(p50), p95: round1(p95), p99: round1(p99), max: round1(max), samples, windowStart, windowEnd}
}

/** A utilisation summary consistent with a server's role, environment and state. */
export function utilisationFor(
  tier: SynthTier,
  environment: SynthEnvironment,
  opts: {readonly idle: boolean; readonly powerState: 'on' | 'off'; readonly load: number},
  rng: Random,
  ctx: Pick<BuildContext, 'windowEnd' | 'windowDays'>,
): SynthServer['utilisation'] {
  if (opts.powerState === 'off') return {cpuPct: {}, memoryPct: {}}
  const profile = TIER_PROFILES[tier]
  const samples = ctx.windowDays * 1440
  const start = isoDaysBefore(ctx.windowEnd, ctx.windowDays)
  const end = ctx.windowEnd
  if (opts.idle) {
    const cpu = rng.float(0.2, 1.2)
    return {
      cpuPct: summary(cpu, rng.float(1.5, 2.5), rng, samples, start, end),
      memoryPct: summary(rng.float(10, 24), rng.float(1.02, 1.08), rng, samples, start, end, true),
      diskIops: rate(rng.float(0.5, 3), 2, rng, samples, start, end),
      diskThroughputMiBps: rate(rng.float(0.01, 0.1), 2, rng, samples, start, end),
      networkMbps: rate(rng.float(0.005, 0.05), 2, rng, samples, start, end),
    }
  }
  const envLoad = ENVIRONMENT_LOAD[environment]
  const cpu = profile.cpuPct * envLoad * opts.load
  const mem = Math.min(85, profile.memoryPct * (0.75 + 0.25 * envLoad) * Math.sqrt(opts.load))
  const iops = profile.iops * envLoad * opts.load
  const net = profile.networkMbps * envLoad * opts.load
  return {
    cpuPct: summary(cpu, rng.float(profile.cpuPeak[0], profile.cpuPeak[1]), rng, samples, start, end),
    memoryPct: summary(mem, rng.float(1.04, 1.18), rng, samples, start, end, true),
    diskIops: rate(iops, rng.float(2, 3.5), rng, samples, start, end),
    diskThroughputMiBps: rate(iops / 40, rng.float(2, 4), rng, samples, start, end),
    networkMbps: rate(net, rng.float(2, 4), rng, samples, start, end),
  }
}

/** Default vCPUs, memory and disks for a tier in an environment. */
export function sizeFor(
  tier: SynthTier,
  environment: SynthEnvironment,
  family: 'windows' | 'linux',
  rng: Random,
): {vcpus: number; memoryMib: number; disksGib: number[]} {
  const p = TIER_PROFILES[tier]
  const shrink = environment === 'prod' || environment === 'staging' ? 1 : 0.5
  const vcpus = Math.max(1, Math.round(rng.pick(p.vcpus) * shrink))
  const memoryGib = Math.max(2, Math.round(rng.pick(p.memoryGib) * shrink))
  const osDisk = family === 'windows' ? rng.pick([80, 100, 120]) : rng.pick([40, 50, 60])
  const data = Math.round(rng.pick(p.dataDiskGib) * shrink)
  return {vcpus, memoryMib: memoryGib * 1024, disksGib: data > 0 ? [osDisk, data] : [osDisk]}
}

const DATA_MOUNT: Readonly<Partial<Record<SynthTier, string>>> = {
  db: '/var/lib/data',
  file: '/export',
  broker: '/var/lib/broker',
  app: '/opt/app',
  batch: '/data',
  web: '/var/www',
}

/** Guest partitions of the disks: what RVTools vPartition and the agent's filesystems show. */
export function partitionsFor(
  family: 'windows' | 'linux',
  tier: SynthTier,
  disksGib: readonly number[],
  usedShare: number,
): {mount: string; capacityGib: number; usedGib: number; fsType: string}[] {
  const out: {mount: string; capacityGib: number; usedGib: number; fsType: string}[] = []
  disksGib.forEach((size, i) => {
    // Filesystems are a little smaller than their disks (partition table, metadata).
    const usable = Math.round(size * 0.98 * 10) / 10
    if (family === 'windows') {
      const letter = String.fromCharCode(67 + i) // C:, D:, E: …
      const share = i === 0 ? Math.min(0.9, usedShare + 0.1) : usedShare
      out.push({mount: `${letter}:\\`, capacityGib: usable, usedGib: round1(usable * share), fsType: 'NTFS'})
    } else if (i === 0) {
      out.push({mount: '/boot', capacityGib: 1, usedGib: 0.3, fsType: 'xfs'})
      out.push({
        mount: '/',
        capacityGib: round1(usable - 1),
        usedGib: round1((usable - 1) * Math.min(0.85, usedShare * 0.8 + 0.15)),
        fsType: 'xfs',
      })
    } else {
      const mount = i === 1 ? (DATA_MOUNT[tier] ?? '/data') : `/data${i}`
      out.push({mount, capacityGib: usable, usedGib: round1(usable * usedShare), fsType: 'xfs'})
    }
  })
  return out
}

type Listen = SynthServer['listens'][number]
const listenCache = new Map<string, readonly Listen[]>()

/**
 * Listeners of a server: its software's plus the OS's usual remote-admin and agent ports. The
 * result is frozen and shared between servers with the same software (100,000 servers, few stacks).
 */
export function listensFor(
  family: 'windows' | 'linux',
  software: readonly string[],
  extra: ServerSpec['extraListens'] = [],
): readonly Listen[] {
  const key = extra.length === 0 ? `${family}|${software.join(',')}` : undefined
  const hit = key === undefined ? undefined : listenCache.get(key)
  if (hit) return hit
  const out = Object.freeze(computeListens(family, software, extra).map((l) => Object.freeze(l)))
  if (key !== undefined) listenCache.set(key, out)
  return out
}

function computeListens(
  family: 'windows' | 'linux',
  software: readonly string[],
  extra: NonNullable<ServerSpec['extraListens']>,
): {protocol: 'tcp' | 'udp'; port: number; process: string}[] {
  const seen = new Set<string>()
  const out: {protocol: 'tcp' | 'udp'; port: number; process: string}[] = []
  const add = (l: SoftwareListen, process: string): void => {
    const k = `${l.protocol}/${l.port}`
    if (seen.has(k)) return
    seen.add(k)
    out.push({protocol: l.protocol, port: l.port, process})
  }
  for (const id of software) {
    const s = SOFTWARE[id]
    if (!s) throw new Error(`unknown synthetic software ${JSON.stringify(id)}`)
    for (const l of s.listens) add(l, s.process[family])
  }
  for (const l of extra) add(l, l.process)
  for (const l of BASE_LISTENS[family]) add(l, l.process)
  return out.sort((a, b) => a.port - b.port || (a.protocol < b.protocol ? -1 : a.protocol > b.protocol ? 1 : 0))
}

/** Build one complete server from its spec. Draws from `rng` in a fixed order: same spec and stream → same server. */
export function buildServer(spec: ServerSpec, rng: Random, ctx: BuildContext): SynthServer {
  const os = OS_CATALOG[spec.os]
  const family = os.family === 'windows' ? 'windows' : 'linux'
  const uuid = vmUuid(rng)
  const size = sizeFor(spec.tier, spec.environment, family, rng)
  const usedShare = spec.usedShare ?? rng.float(0.35, 0.8)
  const load = spec.load ?? rng.logNormal(1, 0.4)
  const powerState = spec.powerState ?? 'on'
  const idle = spec.idle ?? false
  const disksGib = spec.disksGib ?? size.disksGib
  const partitions = partitionsFor(family, spec.tier, disksGib, usedShare)
  const utilisation = utilisationFor(spec.tier, spec.environment, {idle, powerState, load}, rng, ctx)
  const createdDaysBefore = rng.int(30, 1100)
  const software = spec.software ?? []
  const fqdn = `${spec.name.toLowerCase()}.${ctx.domain}`
  return {
    name: spec.name,
    fqdn,
    ip: spec.ip,
    mac: vmMac(ctx.index),
    uuid,
    moref: `vm-${1001 + ctx.index}`,
    osFamily: os.family,
    osName: os.toolsName,
    osId: os.id,
    vcpus: spec.vcpus ?? size.vcpus,
    memoryMib: spec.memoryMib ?? size.memoryMib,
    disksGib,
    usedGib: round1(partitions.reduce((s, p) => s + p.usedGib, 0)),
    partitions,
    powerState,
    ...(spec.app === undefined ? {} : {app: spec.app}),
    tier: spec.tier,
    ...(spec.service === undefined ? {} : {service: spec.service}),
    ...(spec.services === undefined ? {} : {services: spec.services}),
    environment: spec.environment,
    idle,
    software,
    listens: listensFor(family, software, spec.extraListens),
    utilisation,
    folder: spec.folder ?? '',
    datacenter: spec.datacenter ?? 'DC1',
    cluster: spec.cluster ?? 'Cluster01',
    ...(spec.host === undefined ? {} : {host: spec.host}),
    ...(spec.attributes === undefined ? {} : {attributes: spec.attributes}),
    ...(spec.annotation === undefined ? {} : {annotation: spec.annotation}),
    ...(spec.template ? {template: true} : {}),
    created: spec.created ?? isoDaysBefore(ctx.windowEnd, createdDaysBefore).slice(0, 10),
  }
}
