/**
 * Views of the merged inventory for `inventory list/show/stats`. Pure functions over servers.
 */
import type {FactKind, OsFamily, Server} from '../model/server.js'

/** How good the utilisation data of a server is: measured by us, reported by a tool, or none. */
export type UtilisationConfidence = FactKind | 'none'

export function utilisationConfidence(s: Server): UtilisationConfidence {
  const p = s.provenance.cpuUtilisation?.[0] ?? s.provenance.memoryUtilisation?.[0]
  if (!p) return 'none'
  return p.kind === 'declared' ? 'reported' : p.kind
}

export interface ServerSummary {
  readonly id: string
  readonly name: string
  readonly fqdn?: string
  readonly ips: readonly string[]
  readonly osFamily?: OsFamily
  readonly os?: string
  readonly vcpus?: number
  readonly memoryMib?: number
  readonly storageGib?: number
  readonly powerState?: string
  readonly environment?: string
  readonly applications: readonly string[]
  readonly utilisation: UtilisationConfidence
  readonly formats: readonly string[]
  readonly flags: readonly string[]
}

export function summarise(s: Server): ServerSummary {
  const formats = new Set<string>()
  for (const list of Object.values(s.provenance)) for (const p of list ?? []) formats.add(p.format)
  return {
    id: s.id,
    name: s.name,
    ...(s.fqdn ? {fqdn: s.fqdn} : {}),
    ips: s.ips ?? [],
    ...(s.osFamily ? {osFamily: s.osFamily} : {}),
    ...(s.osName ? {os: [s.osName, s.osVersion].filter(Boolean).join(' ')} : {}),
    ...(s.vcpus === undefined ? {} : {vcpus: s.vcpus}),
    ...(s.memoryMib === undefined ? {} : {memoryMib: s.memoryMib}),
    ...(storageOf(s) === undefined ? {} : {storageGib: storageOf(s)}),
    ...(s.powerState ? {powerState: s.powerState} : {}),
    ...(s.environment ? {environment: s.environment} : {}),
    applications: s.applications ?? [],
    utilisation: utilisationConfidence(s),
    formats: [...formats].sort(),
    flags: s.flags,
  }
}

/** Provisioned storage, else the sum of disks, else used. */
export function storageOf(s: Server): number | undefined {
  if (s.storageProvisionedGib !== undefined) return s.storageProvisionedGib
  const disks = (s.disks ?? []).filter((d) => d.sizeGib !== undefined)
  if (disks.length > 0) return disks.reduce((a, d) => a + d.sizeGib!, 0)
  return s.storageUsedGib
}

export interface InventoryFilter {
  /** Case-insensitive substring of name, FQDN, IP, OS or application. */
  readonly search?: string
  readonly osFamily?: OsFamily
  readonly format?: string
  readonly environment?: string
  readonly application?: string
  readonly flag?: string
  readonly utilisation?: UtilisationConfidence
}

export function filterServers(servers: readonly Server[], f: InventoryFilter): Server[] {
  const q = f.search?.toLowerCase()
  return servers.filter((s) => {
    if (f.osFamily && s.osFamily !== f.osFamily) return false
    if (f.environment && s.environment?.toLowerCase() !== f.environment.toLowerCase()) return false
    if (f.application && !(s.applications ?? []).some((a) => a.toLowerCase() === f.application!.toLowerCase())) return false
    if (f.flag && !s.flags.includes(f.flag as never)) return false
    if (f.utilisation && utilisationConfidence(s) !== f.utilisation) return false
    if (f.format && !Object.values(s.provenance).some((l) => (l ?? []).some((p) => p.format === f.format))) return false
    if (q) {
      const hay = [s.name, s.fqdn, s.osName, ...(s.ips ?? []), ...(s.applications ?? [])].filter(Boolean).join(' ').toLowerCase()
      if (!hay.includes(q)) return false
    }
    return true
  })
}

/** A total that knows how many servers it could not count. */
export interface Total {
  readonly value: number
  /** Servers contributing to `value`. */
  readonly known: number
  /** Servers for which the quantity is unknown. */
  readonly unknown: number
}

export interface InventoryStats {
  readonly servers: number
  readonly poweredOff: number
  readonly vcpus: Total
  readonly memoryGib: Total
  readonly storageGib: Total
  readonly osFamilies: Readonly<Record<string, number>>
  /** Most common OS names, count descending then name. */
  readonly operatingSystems: readonly {readonly name: string; readonly servers: number}[]
  readonly environments: Readonly<Record<string, number>>
  /** Data confidence: servers by how their utilisation is known. */
  readonly utilisation: Readonly<Record<UtilisationConfidence, number>>
  /** Share of servers with measured or reported utilisation, 0–1; undefined for an empty estate. */
  readonly dataConfidence?: number
  readonly sources: Readonly<Record<string, number>>
  readonly flags: Readonly<Record<string, number>>
}

function total(values: readonly (number | undefined)[]): Total {
  let value = 0
  let known = 0
  for (const v of values)
    if (v !== undefined) {
      value += v
      known++
    }
  return {value, known, unknown: values.length - known}
}

function countBy(keys: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {}
  for (const k of [...keys].sort()) out[k] = (out[k] ?? 0) + 1
  return out
}

export function inventoryStats(servers: readonly Server[]): InventoryStats {
  const conf = {measured: 0, reported: 0, declared: 0, none: 0} as Record<UtilisationConfidence, number>
  for (const s of servers) conf[utilisationConfidence(s)]++
  const osNames = countBy(servers.map((s) => s.osName ?? 'unknown'))
  const formats: string[] = []
  for (const s of servers) {
    const f = new Set<string>()
    for (const l of Object.values(s.provenance)) for (const p of l ?? []) f.add(p.format)
    formats.push(...f)
  }
  return {
    servers: servers.length,
    poweredOff: servers.filter((s) => s.powerState === 'off').length,
    vcpus: total(servers.map((s) => s.vcpus)),
    memoryGib: total(servers.map((s) => (s.memoryMib === undefined ? undefined : s.memoryMib / 1024))),
    storageGib: total(servers.map(storageOf)),
    osFamilies: countBy(servers.map((s) => s.osFamily ?? 'unknown')),
    operatingSystems: Object.entries(osNames)
      .map(([name, n]) => ({name, servers: n}))
      .sort((a, b) => b.servers - a.servers || a.name.localeCompare(b.name)),
    environments: countBy(servers.map((s) => s.environment ?? 'unknown')),
    utilisation: conf,
    ...(servers.length === 0 ? {} : {dataConfidence: (conf.measured + conf.reported) / servers.length}),
    sources: countBy(formats),
    flags: countBy(servers.flatMap((s) => s.flags)),
  }
}
