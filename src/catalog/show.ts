/**
 * Views of the catalog for `catalog show`: an overview (sources, regions, counts, gaps) or one
 * instance type with every price the catalog has for it and where each came from. Pure.
 */
import {
  PRICE_OSES,
  type Catalog,
  type CatalogRule,
  type CatalogSource,
  type InstanceTypeSpec,
  type PriceBasis,
  type PriceOs,
} from '../model/catalog.js'
import {HOURS_PER_MONTH, compareTypeNames} from './catalog.js'

export interface RegionOverview {
  readonly region: string
  readonly refreshed: boolean
  /** Types priced on demand, per OS, and how many of those are derived. */
  readonly onDemand: Readonly<Record<PriceOs, {readonly priced: number; readonly derived: number}>>
  /** Types with at least one reserved rate. */
  readonly reserved: number
  /** Services with prices in this region (lambda, fargate, ebs …). */
  readonly services: readonly string[]
}

export interface CatalogOverview {
  readonly kind: 'overview'
  readonly version: string
  readonly origin: Catalog['origin']
  readonly instanceTypesWithSpecification: number
  readonly regions: readonly RegionOverview[]
  readonly sources: readonly CatalogSource[]
  readonly rules: readonly CatalogRule[]
  readonly gaps: readonly string[]
}

export interface PriceRow {
  readonly region: string
  readonly os: PriceOs
  /** `on-demand`, or `reserved <term> <class> <purchase option>`. */
  readonly model: string
  readonly usdPerHour: number
  /** usdPerHour × 730. */
  readonly usdPerMonth: number
  readonly sourceId: string
  readonly date: string
  readonly basis: PriceBasis
  readonly rule?: string
}

export interface CatalogTypeView {
  readonly kind: 'type'
  readonly version: string
  readonly type: string
  /** Undefined when no source gives the type's specification. */
  readonly specification?: InstanceTypeSpec
  readonly prices: readonly PriceRow[]
  /** Region/OS pairs of the shown regions without an on-demand price. */
  readonly missing: readonly string[]
  readonly sources: readonly CatalogSource[]
}

export function catalogOverview(catalog: Catalog, region?: string): CatalogOverview {
  const regions = (region ? [region] : catalog.regions).map((r): RegionOverview => {
    const prices = catalog.ec2.get(r)
    const onDemand = Object.fromEntries(
      PRICE_OSES.map((os) => {
        const m = prices?.onDemand[os]
        let derived = 0
        for (const p of m?.values() ?? []) if (p.basis !== 'read') derived++
        return [os, {priced: m?.size ?? 0, derived}]
      }),
    ) as Record<PriceOs, {priced: number; derived: number}>
    const reservedTypes = new Set<string>()
    for (const m of Object.values(prices?.reserved ?? {})) for (const t of m.keys()) reservedTypes.add(t)
    const svc = catalog.services.get(r)
    return {
      region: r,
      refreshed: catalog.refreshedRegions.includes(r),
      onDemand,
      reserved: reservedTypes.size,
      services: svc ? Object.keys(svc).sort() : [],
    }
  })
  return {
    kind: 'overview',
    version: catalog.version,
    origin: catalog.origin,
    instanceTypesWithSpecification: catalog.instanceTypes.size,
    regions,
    sources: catalog.sources,
    rules: catalog.rules,
    gaps: catalog.gaps,
  }
}

export function catalogTypeView(catalog: Catalog, type: string, region?: string): CatalogTypeView {
  const regions = region ? [region] : catalog.regions
  const prices: PriceRow[] = []
  const missing: string[] = []
  const used = new Set<string>()
  for (const r of regions) {
    const ec2 = catalog.ec2.get(r)
    for (const os of PRICE_OSES) {
      const od = ec2?.onDemand[os]?.get(type)
      if (od) {
        prices.push(row(r, os, 'on-demand', od.usd, od))
        used.add(od.sourceId)
      } else {
        missing.push(`${r} ${os}`)
      }
      for (const rv of ec2?.reserved[os]?.get(type) ?? []) {
        prices.push(row(r, os, `reserved ${rv.term} ${rv.offeringClass} ${rv.purchaseOption}`, rv.usd, rv))
        used.add(rv.sourceId)
      }
    }
  }
  const specification = catalog.instanceTypes.get(type)
  for (const s of specification?.specSources ?? []) used.add(s)
  return {
    kind: 'type',
    version: catalog.version,
    type,
    ...(specification ? {specification} : {}),
    prices,
    missing,
    sources: catalog.sources.filter((s) => used.has(s.id)),
  }
}

function row(
  region: string,
  os: PriceOs,
  model: string,
  usd: number,
  p: {sourceId: string; date: string; basis: PriceBasis; rule?: string},
): PriceRow {
  return {
    region,
    os,
    model,
    usdPerHour: usd,
    usdPerMonth: usd * HOURS_PER_MONTH,
    sourceId: p.sourceId,
    date: p.date,
    basis: p.basis,
    ...(p.rule ? {rule: p.rule} : {}),
  }
}

/** Instance type names that start like `prefix` (for "did you mean" hints). */
export function similarTypes(catalog: Catalog, name: string, limit = 5): string[] {
  const family = name.split('.')[0] ?? name
  return [...catalog.instanceTypes.keys()]
    .filter((n) => n.startsWith(`${family}.`))
    .sort(compareTypeNames)
    .slice(0, limit)
}
