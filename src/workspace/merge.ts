/**
 * Merges every record the sources hold about one server into one Server, keeping per-field
 * provenance. Pure: the workspace reads the records and writes the result.
 *
 * Precedence for a single-valued fact: measured > reported > declared, then the source format's
 * priority (agent over spreadsheets), then the newer observation, then the later import.
 * List-like facts (IPs, MACs, applications, tags, listeners, software) are unions.
 */
import {
  FACT_KIND_RANK,
  type DetectedSoftware,
  type FactKey,
  type FactKind,
  type Listener,
  type Provenance,
  type Server,
  type ServerFacts,
  type ServerFlag,
} from '../model/server.js'

/** How much a format's word counts for, between facts of the same kind. */
export const FORMAT_PRIORITY: Readonly<Record<string, number>> = {
  agent: 100,
  'aws-import-template': 60,
  'migration-evaluator': 55,
  'azure-migrate': 55,
  rvtools: 50,
  'generic-csv': 30,
}

export interface StoredRecord {
  readonly sourceId: number
  readonly format: string
  readonly file: string
  readonly ref?: string
  readonly kind: FactKind
  /** Per-fact kind overrides (e.g. RVTools allocation is declared, but none of it is measured). */
  readonly kinds?: Partial<Record<FactKey, FactKind>>
  readonly observedAt?: string
  readonly facts: ServerFacts
}

type UnionKey = 'ips' | 'macs' | 'applications' | 'tags' | 'listeners' | 'software'
const UNION_KEYS: ReadonlySet<string> = new Set<UnionKey>(['ips', 'macs', 'applications', 'tags', 'listeners', 'software'])

function kindOf(r: StoredRecord, key: FactKey): FactKind {
  return r.kinds?.[key] ?? r.kind
}

/** Negative when `a` should win over `b` for `key`. */
function compare(a: StoredRecord, b: StoredRecord, key: FactKey): number {
  const k = FACT_KIND_RANK[kindOf(b, key)] - FACT_KIND_RANK[kindOf(a, key)]
  if (k !== 0) return k
  const f = (FORMAT_PRIORITY[b.format] ?? 0) - (FORMAT_PRIORITY[a.format] ?? 0)
  if (f !== 0) return f
  if (a.observedAt !== b.observedAt) {
    if (a.observedAt === undefined) return 1
    if (b.observedAt === undefined) return -1
    return a.observedAt < b.observedAt ? 1 : -1
  }
  if (a.sourceId !== b.sourceId) return b.sourceId - a.sourceId
  return (a.ref ?? '').localeCompare(b.ref ?? '')
}

function provenanceOf(r: StoredRecord, key: FactKey): Provenance {
  return {
    sourceId: r.sourceId,
    format: r.format,
    file: r.file,
    ...(r.ref === undefined ? {} : {ref: r.ref}),
    kind: kindOf(r, key),
    ...(r.observedAt === undefined ? {} : {observedAt: r.observedAt}),
  }
}

function isPresent(v: unknown): boolean {
  if (v === undefined || v === null) return false
  if (typeof v === 'string') return v.trim() !== ''
  if (Array.isArray(v)) return v.length > 0
  if (typeof v === 'object') return Object.keys(v).length > 0
  if (typeof v === 'number') return Number.isFinite(v)
  return true
}

function unionStrings(values: readonly (readonly string[])[], normalise: (s: string) => string): string[] {
  const seen = new Map<string, string>()
  for (const list of values)
    for (const v of list) {
      const k = normalise(v)
      if (k && !seen.has(k)) seen.set(k, v.trim())
    }
  return [...seen.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v)
}

function mergeUnion(key: UnionKey, ordered: readonly StoredRecord[]): unknown {
  switch (key) {
    case 'ips':
      return unionStrings(
        ordered.map((r) => r.facts.ips ?? []),
        (s) => s.trim().toLowerCase(),
      )
    case 'macs':
      return unionStrings(
        ordered.map((r) => r.facts.macs ?? []),
        (s) => s.trim().toLowerCase().replace(/-/g, ':'),
      )
    case 'applications':
      return unionStrings(
        ordered.map((r) => r.facts.applications ?? []),
        (s) => s.trim().toLowerCase(),
      )
    case 'tags': {
      const out: Record<string, string> = {}
      // lowest precedence first so that better sources overwrite
      for (const r of [...ordered].reverse()) Object.assign(out, r.facts.tags ?? {})
      return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
    }
    case 'listeners': {
      const seen = new Map<string, Listener>()
      for (const r of ordered)
        for (const l of r.facts.listeners ?? []) {
          const k = `${l.protocol}/${l.ip}/${l.port}`
          if (!seen.has(k)) seen.set(k, l)
        }
      return [...seen.values()].sort((a, b) => a.port - b.port || a.protocol.localeCompare(b.protocol) || a.ip.localeCompare(b.ip))
    }
    case 'software': {
      const byName = new Map<string, DetectedSoftware>()
      for (const r of ordered)
        for (const s of r.facts.software ?? []) {
          const prev = byName.get(s.name)
          if (!prev) byName.set(s.name, s)
          else
            byName.set(s.name, {
              ...prev,
              version: prev.version ?? s.version,
              edition: prev.edition ?? s.edition,
              evidence: [...new Set([...prev.evidence, ...s.evidence])].sort(),
            })
        }
      return [...byName.values()].sort((a, b) => a.name.localeCompare(b.name))
    }
  }
}

/** Merge the records of one server. `records` may come in any order; the result does not depend on it. */
export function mergeServer(id: string, records: readonly StoredRecord[]): Server {
  const keys = new Set<FactKey>()
  for (const r of records) for (const k of Object.keys(r.facts) as FactKey[]) if (isPresent(r.facts[k])) keys.add(k)

  const merged: Record<string, unknown> = {}
  const provenance: Partial<Record<FactKey, Provenance[]>> = {}
  // One provenance entry per record and kind, shared by every fact it gave (most servers have one
  // record, and one entry serves all of their facts).
  const entries = new Map<StoredRecord, Map<FactKind, Provenance>>()
  const entry = (r: StoredRecord, key: FactKey): Provenance => {
    let byKind = entries.get(r)
    if (!byKind) entries.set(r, (byKind = new Map()))
    const kind = kindOf(r, key)
    let p = byKind.get(kind)
    if (!p) byKind.set(kind, (p = provenanceOf(r, key)))
    return p
  }
  const single = records.length === 1
  for (const key of [...keys].sort()) {
    const ordered = single ? records : records.filter((r) => isPresent(r.facts[key])).sort((a, b) => compare(a, b, key))
    if (UNION_KEYS.has(key)) {
      merged[key] = mergeUnion(key as UnionKey, ordered)
      provenance[key] = ordered.map((r) => entry(r, key))
    } else {
      const best = ordered[0]!
      merged[key] = best.facts[key]
      provenance[key] = [entry(best, key)]
    }
  }
  const facts = merged as ServerFacts
  const flags: ServerFlag[] = []
  if (facts.powerState === 'off') flags.push('powered-off')
  if (facts.powerState === 'suspended') flags.push('suspended')
  if (!facts.cpuUtilisation && !facts.memoryUtilisation) flags.push('no-utilisation')
  if (!facts.osName && !facts.osFamily) flags.push('no-os')
  if (facts.vcpus === undefined || facts.memoryMib === undefined) flags.push('no-capacity')
  const name = serverName(facts, id)
  return {
    id,
    name,
    ...facts,
    sourceIds: [...new Set(records.map((r) => r.sourceId))].sort((a, b) => a - b),
    provenance,
    flags,
  }
}

/** The name a merged server is listed under: its host name, else VM name, FQDN, external id, or id. */
export function serverName(facts: ServerFacts, id: string): string {
  return facts.hostname ?? facts.vmName ?? facts.fqdn ?? facts.externalId ?? id
}
