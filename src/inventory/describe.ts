/** Human renderings of the inventory for the terminal. Pure. */
import {gib, mib, show} from '../cli/format.js'
import type {FactKey, MetricSummary, Provenance, Server} from '../model/server.js'
import type {InventoryStats, Total} from './inventory.js'

export interface FactRow {
  readonly field: string
  readonly value: string
  readonly kind: string
  readonly from: string
}

function metric(m: MetricSummary): string {
  const parts = (['avg', 'p50', 'p95', 'p99', 'max'] as const).filter((k) => m[k] !== undefined).map((k) => `${k} ${show(m[k])}`)
  if (m.samples !== undefined) parts.push(`${m.samples} samples`)
  return parts.join(', ')
}

function valueText(key: FactKey, v: unknown): string {
  if (v === undefined) return '-'
  if (key === 'memoryMib') return mib(v as number) ?? '-'
  if (key === 'storageProvisionedGib' || key === 'storageUsedGib') return gib(v as number) ?? '-'
  if (key.endsWith('Utilisation') || key === 'diskIops' || key === 'diskThroughput' || key === 'networkThroughput')
    return metric(v as MetricSummary)
  if (Array.isArray(v)) {
    if (v.length === 0) return '-'
    if (typeof v[0] === 'string') return v.join(', ')
    const labels = v.map((x: Record<string, unknown>) =>
      typeof x.port === 'number'
        ? `${String(x.protocol)}/${x.port}`
        : typeof x.name === 'string'
          ? x.name
          : typeof x.mount === 'string'
            ? x.mount
            : '?',
    )
    const shown = [...new Set(labels)].slice(0, 12).join(', ')
    return `${v.length}: ${shown}${labels.length > 12 ? ', …' : ''}`
  }
  if (typeof v === 'boolean') return v ? 'yes' : 'no'
  if (typeof v === 'object' && v !== null)
    return Object.entries(v)
      .map(([k, x]) => `${k}=${String(x)}`)
      .join(', ')
  return show(v as string | number)
}

function fromText(p: Provenance): string {
  return `${p.file}${p.ref ? ` (${p.ref})` : ''} [${p.format}]${p.observedAt ? ` @ ${p.observedAt}` : ''}`
}

/** One row per known fact, with its provenance. */
export function describeFacts(server: Server): FactRow[] {
  const rows: FactRow[] = []
  for (const key of Object.keys(server.provenance).sort() as FactKey[]) {
    const prov = server.provenance[key] ?? []
    rows.push({
      field: key,
      value: valueText(key, server[key]),
      kind: [...new Set(prov.map((p) => p.kind))].join('+'),
      from: prov.map(fromText).join('; '),
    })
  }
  return rows
}

function totalText(t: Total, unit: (v: number) => string): string {
  return `${unit(t.value)}${t.unknown > 0 ? ` (unknown for ${t.unknown} server${t.unknown === 1 ? '' : 's'})` : ''}`
}

export function renderStats(s: InventoryStats): string {
  const pct = (n: number): string => `${(n * 100).toFixed(0)}%`
  const lines = [
    `servers        ${s.servers}${s.poweredOff > 0 ? ` (${s.poweredOff} powered off)` : ''}`,
    `vCPUs          ${totalText(s.vcpus, (v) => String(v))}`,
    `memory         ${totalText(s.memoryGib, (v) => mib(v * 1024) ?? '-')}`,
    `storage        ${totalText(s.storageGib, (v) => gib(v) ?? '-')}`,
    `OS families    ${Object.entries(s.osFamilies)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `environments   ${Object.entries(s.environments)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    `utilisation    measured ${s.utilisation.measured}, reported ${s.utilisation.reported}, none ${s.utilisation.none}` +
      (s.dataConfidence === undefined ? '' : ` (data confidence ${pct(s.dataConfidence)})`),
    `sources        ${Object.entries(s.sources)
      .map(([k, v]) => `${k} ${v}`)
      .join(', ')}`,
    '',
    'top operating systems:',
    ...s.operatingSystems.slice(0, 10).map((o) => `  ${String(o.servers).padStart(6)}  ${show(o.name)}`),
  ]
  return lines.join('\n')
}
