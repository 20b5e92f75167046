/**
 * Right-sizing: what a server needs (performance-based where utilisation is known, as allocated
 * where it is not), the cheapest current-generation instance type that provides it, and gp3
 * storage sized from used capacity with IOPS and throughput from disk metrics. Pure.
 */
import {HOURS_PER_MONTH, compareTypeNames, onDemandPrice} from '../catalog/catalog.js'
import type {Candidate, DimensionSizing, Sizing, StorageSizing} from '../model/assessment.js'
import type {Catalog, CpuArchitecture, InstanceTypeSpec, PriceOs} from '../model/catalog.js'
import type {MetricSummary, Server} from '../model/server.js'
import type {AssessSettings} from '../model/settings.js'
import {flat} from '../util/flat.js'

export type Statistic = AssessSettings['percentile']
/** From least to most conservative; a missing statistic falls back to the next more conservative one. */
const STATISTICS: readonly Statistic[] = ['avg', 'p50', 'p95', 'p99', 'max']

/** gp3 as AWS documents it: 3,000 IOPS and 125 MiB/s included; at most 16,000 IOPS and 1,000 MiB/s per volume. */
export const GP3 = {baselineIops: 3000, baselineMibps: 125, maxIops: 16_000, maxMibps: 1000, minGib: 1} as const
/** Smallest root volume the usual AMIs need, GiB. */
const ROOT_GIB = {windows: 30, other: 8} as const

/** Families matching an allowed entry: `m` matches m5, m6i, m7i-flex (letters then a digit); `m7i` matches exactly. */
export function familyAllowed(family: string, allowed: readonly string[]): boolean {
  for (const a of allowed) {
    if (/\d/.test(a) ? family === a : new RegExp(`^${a}\\d`).test(family)) return true
  }
  return false
}

const r2 = (n: number): number => Math.round(n * 100) / 100

/** Picks the utilisation statistic to size on; says which and why. */
export function pickStatistic(m: MetricSummary | undefined, wanted: Statistic): {stat?: Statistic; value?: number; note: string} {
  if (!m) return {note: 'utilisation unknown'}
  const start = STATISTICS.indexOf(wanted)
  for (let i = start; i < STATISTICS.length; i++) {
    const s = STATISTICS[i]!
    const v = m[s]
    if (v !== undefined && Number.isFinite(v)) return {stat: s, value: v, note: s === wanted ? `${s}` : `${wanted} unknown, used ${s}`}
  }
  return {note: `${wanted} and every more conservative statistic unknown`}
}

export function sizeDimension(
  allocated: number | undefined,
  metric: MetricSummary | undefined,
  s: Pick<AssessSettings, 'percentile' | 'comfortFactor'>,
  floor: number,
  unit: 'vCPU' | 'MiB',
): DimensionSizing {
  if (allocated === undefined) return {basis: 'unknown', explanation: `allocated ${unit} unknown`}
  const pick = pickStatistic(metric, s.percentile)
  if (pick.value === undefined) {
    const required = Math.max(floor, allocated)
    return {
      allocated,
      required,
      basis: 'as-is',
      explanation: flat`${pick.note}: as allocated, ${allocated} ${unit}${required > allocated ? `; floor ${floor} ${unit}` : ''}`,
    }
  }
  const raw = (allocated * pick.value * s.comfortFactor) / 100
  const required = Math.max(floor, raw)
  return {
    allocated,
    statistic: pick.stat!,
    utilisationPct: pick.value,
    required,
    basis: 'performance',
    explanation: flat`${pick.note} ${r2(pick.value)}% of ${allocated} ${unit} x comfort ${s.comfortFactor} = ${r2(raw)} ${unit}${required > raw ? `; floor ${floor} ${unit}` : ''}`,
  }
}

interface Ranked {
  readonly spec: InstanceTypeSpec
  readonly hourly: number
  /** Shared by every server that gets this type (never mutated). */
  readonly candidate: Candidate
}

/** Eligible types per (region, price list, architectures, burstable, families), cheapest first. Reused across servers. */
export class CandidateIndex {
  private readonly cache = new Map<string, Ranked[]>()
  constructor(
    private readonly catalog: Catalog,
    private readonly region: string,
    private readonly families: readonly string[],
  ) {}

  list(priceOs: PriceOs, archs: readonly CpuArchitecture[], burstable: boolean): readonly Ranked[] {
    const key = `${priceOs}|${archs.join(',')}|${burstable}`
    let list = this.cache.get(key)
    if (!list) {
      list = []
      for (const spec of this.catalog.instanceTypes.values()) {
        if (spec.currentGeneration !== true || spec.mac || (spec.gpus ?? 0) > 0) continue
        if (!spec.arch || !archs.includes(spec.arch)) continue
        if (spec.burstable && !burstable) continue
        if (spec.name.endsWith('.metal') || /\.metal-/.test(spec.name)) continue
        if (!familyAllowed(spec.family, this.families)) continue
        const p = onDemandPrice(this.catalog, this.region, spec.name, priceOs)
        if (!p) continue
        list.push({spec, hourly: p.usd, candidate: candidate(spec, p.usd)})
      }
      list.sort(
        (a, b) =>
          a.hourly - b.hourly ||
          a.spec.vcpus - b.spec.vcpus ||
          a.spec.memoryMib - b.spec.memoryMib ||
          compareTypeNames(a.spec.name, b.spec.name),
      )
      this.cache.set(key, list)
    }
    return list
  }
}

const candidate = (spec: InstanceTypeSpec, hourly: number): Candidate => ({
  instanceType: spec.name,
  vcpus: spec.vcpus,
  memoryMib: spec.memoryMib,
  ...(spec.arch ? {arch: spec.arch} : {}),
  burstable: spec.burstable,
  hourlyUsd: hourly,
  monthlyUsd: hourly * HOURS_PER_MONTH,
})

export interface ComputeSizingInput {
  readonly server: Pick<Server, 'vcpus' | 'memoryMib' | 'cpuUtilisation' | 'memoryUtilisation'>
  readonly settings: AssessSettings
  /** Price list used to rank the types (the OS the instance will be billed as). */
  readonly priceOs: PriceOs
  readonly architecture: {readonly allowed: readonly CpuArchitecture[]; readonly reason: string}
  readonly burstable: {readonly considered: boolean; readonly reason: string}
  readonly index: CandidateIndex
}

export function sizeCompute(input: ComputeSizingInput): Sizing {
  const {server, settings} = input
  const cpu = sizeDimension(server.vcpus, server.cpuUtilisation, settings, settings.minVcpus, 'vCPU')
  const memory = sizeDimension(server.memoryMib, server.memoryUtilisation, settings, settings.minMemoryMib, 'MiB')
  const basis =
    cpu.basis === 'performance' && memory.basis === 'performance'
      ? 'performance'
      : cpu.basis === 'unknown' && memory.basis === 'unknown'
        ? 'unknown'
        : cpu.basis === 'as-is' && memory.basis === 'as-is'
          ? 'as-is'
          : 'partial'
  const {architecture, burstable} = input
  // Object literals with the keys in output order rather than spreads of a common base (one object per server, not two).
  if (cpu.required === undefined && memory.required === undefined) {
    return {basis, cpu, memory, architecture, burstable, alternatives: [], unsized: 'neither vCPU nor memory is known'}
  }
  const needCpu = cpu.required ?? settings.minVcpus
  const needMem = memory.required ?? settings.minMemoryMib
  const list = input.index.list(input.priceOs, architecture.allowed, burstable.considered)
  // The cheapest type that fits, and the next two as alternatives (an array of the exact size:
  // it is kept, and push would leave spare capacity).
  let chosen: Candidate | undefined
  let second: Candidate | undefined
  let third: Candidate | undefined
  for (const r of list) {
    if (r.spec.vcpus >= needCpu && r.spec.memoryMib >= needMem) {
      if (!chosen) chosen = r.candidate
      else if (!second) second = r.candidate
      else {
        third = r.candidate
        break
      }
    }
  }
  const alternatives = third ? [second!, third] : second ? [second] : []
  const missing =
    cpu.required === undefined
      ? 'vCPU unknown: sized on memory with the vCPU floor'
      : memory.required === undefined
        ? 'memory unknown: sized on vCPU with the memory floor'
        : undefined
  if (!chosen) {
    const unsized =
      list.length === 0
        ? `no ${input.priceOs} price for any allowed type (${settings.families.join(', ')}) in the catalog for this region`
        : `no allowed type provides ${r2(needCpu)} vCPU and ${Math.ceil(needMem)} MiB`
    return {basis, cpu, memory, architecture, burstable, alternatives, unsized}
  }
  return missing
    ? {basis, cpu, memory, architecture, burstable, chosen, alternatives, note: missing}
    : {basis, cpu, memory, architecture, burstable, chosen, alternatives}
}

/** Sum of a field over a list; undefined when the list is empty or any item lacks the field. */
function sumKnown<T>(items: readonly T[], value: (item: T) => number | undefined): number | undefined {
  let sum = 0
  for (const item of items) {
    const x = value(item)
    if (x === undefined) return undefined
    sum += x
  }
  return items.length > 0 ? sum : undefined
}

const IOPS_UNKNOWN = `IOPS unknown: gp3 baseline ${GP3.baselineIops}`
const THROUGHPUT_UNKNOWN = `throughput unknown: gp3 baseline ${GP3.baselineMibps} MiB/s`

export function sizeStorage(
  server: Pick<Server, 'storageUsedGib' | 'storageProvisionedGib' | 'disks' | 'filesystems' | 'diskIops' | 'diskThroughput' | 'osFamily'>,
  settings: AssessSettings,
): StorageSizing {
  const filesystems = server.filesystems ?? []
  const disks = server.disks ?? []
  const used = server.storageUsedGib ?? sumKnown(filesystems, (f) => f.usedGib) ?? sumKnown(disks, (d) => d.usedGib)
  const provisioned = server.storageProvisionedGib ?? sumKnown(disks, (d) => d.sizeGib) ?? sumKnown(filesystems, (f) => f.sizeGib)
  const root = server.osFamily === 'windows' ? ROOT_GIB.windows : ROOT_GIB.other
  // One line each for size, IOPS and throughput, then an array of exactly three: push would leave
  // spare capacity in every server's array, which is kept.
  let sizeLine: string
  let sizeGib: number | undefined
  let basis: StorageSizing['basis'] = 'unknown'
  if (used !== undefined && used > 0) {
    sizeGib = Math.max(root, Math.ceil(used * settings.storageComfortFactor))
    basis = 'used'
    sizeLine = flat`used ${r2(used)} GiB x comfort ${settings.storageComfortFactor} -> ${sizeGib} GiB${sizeGib === root ? ` (root volume minimum ${root} GiB)` : ''}`
  } else if (provisioned !== undefined && provisioned > 0) {
    sizeGib = Math.max(root, Math.ceil(provisioned))
    basis = 'provisioned'
    sizeLine = flat`used capacity unknown: provisioned ${r2(provisioned)} GiB kept`
  } else {
    sizeLine = 'neither used nor provisioned storage is known'
  }
  let iopsLine: string
  const iopsPick = pickStatistic(server.diskIops, settings.percentile)
  let iops: number = GP3.baselineIops
  if (iopsPick.value !== undefined) {
    const need = Math.ceil(iopsPick.value * settings.comfortFactor)
    iops = Math.min(GP3.maxIops, Math.max(GP3.baselineIops, need))
    iopsLine = flat`IOPS ${iopsPick.note} ${r2(iopsPick.value)} x ${settings.comfortFactor} = ${need} -> ${iops}${need <= GP3.baselineIops ? ' (gp3 baseline)' : need > GP3.maxIops ? ` (gp3 maximum; needs io2)` : ''}`
  } else {
    iopsLine = IOPS_UNKNOWN
  }
  let throughputLine: string
  const tpPick = pickStatistic(server.diskThroughput, settings.percentile)
  let throughput: number = GP3.baselineMibps
  if (tpPick.value !== undefined) {
    const need = Math.ceil(tpPick.value * settings.comfortFactor)
    throughput = Math.min(GP3.maxMibps, Math.max(GP3.baselineMibps, need))
    throughputLine = flat`throughput ${tpPick.note} ${r2(tpPick.value)} MiB/s x ${settings.comfortFactor} = ${need} MiB/s -> ${throughput} MiB/s${need <= GP3.baselineMibps ? ' (gp3 baseline)' : ''}`
  } else {
    throughputLine = THROUGHPUT_UNKNOWN
  }
  const explanation = [sizeLine, iopsLine, throughputLine]
  return sizeGib === undefined
    ? {volumeType: 'gp3', iops, throughputMibps: throughput, basis, explanation}
    : {volumeType: 'gp3', sizeGib, iops, throughputMibps: throughput, basis, explanation}
}
