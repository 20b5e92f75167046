/**
 * The effective catalog: the embedded data (src/catalog/data, see PROVENANCE.md) with any
 * `catalog refresh` document from the workspace applied on top. Lookups return `undefined` for a
 * price no source gives; they never return 0 for "unknown".
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'

import {
  CATALOG_SCHEMA_VERSION,
  type Catalog,
  type CatalogRefreshDocument,
  type CatalogRule,
  type CatalogSource,
  type InstanceTypeSpec,
  type Price,
  type PriceOs,
  type RegionEc2Prices,
  type RefreshedReserved,
  type RegionServicePrices,
  type ReservedPrice,
} from '../model/catalog.js'

/** Hours in a month for every monthly figure in migrate-plan (AWS's own convention: 8,760 / 12). */
export const HOURS_PER_MONTH = 730
/** Hours in a year and in the reserved terms. */
export const HOURS_PER_YEAR = 8760

interface EmbeddedEc2Data {
  readonly schemaVersion: string
  readonly sources: CatalogSource[]
  readonly rules: CatalogRule[]
  readonly regions: string[]
  readonly instanceTypes: InstanceTypeSpec[]
  readonly windowsLicenceFeeUsdPerHour: Record<string, number>
  readonly onDemand: {
    region: string
    os: PriceOs
    sourceId: string
    date: string
    basis: 'read' | 'derived'
    rule?: string
    prices: Record<string, number>
  }[]
  readonly reserved: {
    region: string
    os: PriceOs
    term: '1yr' | '3yr'
    offeringClass: 'standard' | 'convertible'
    purchaseOption: 'No Upfront' | 'Partial Upfront' | 'All Upfront'
    sourceId: string
    date: string
    basis: 'read'
    prices: Record<string, number>
  }[]
  readonly gaps: string[]
}

interface EmbeddedServicesData {
  readonly sources: CatalogSource[]
  readonly regions: Record<string, RegionServicePrices>
}

export interface EmbeddedData {
  readonly ec2: EmbeddedEc2Data
  readonly services: EmbeddedServicesData
  /** sha256 of both files, for the catalog version. */
  readonly hash: string
}

let embedded: EmbeddedData | undefined

/** The embedded data, read once per process. */
export function loadEmbeddedData(): EmbeddedData {
  if (!embedded) {
    const ec2Text = readFileSync(new URL('./data/ec2.json', import.meta.url), 'utf8')
    const servicesText = readFileSync(new URL('./data/services.json', import.meta.url), 'utf8')
    embedded = {
      ec2: JSON.parse(ec2Text) as EmbeddedEc2Data,
      services: JSON.parse(servicesText) as EmbeddedServicesData,
      hash: createHash('sha256').update(ec2Text).update(servicesText).digest('hex'),
    }
  }
  return embedded
}

const REFRESH_RULES: readonly CatalogRule[] = [
  {
    id: 'refresh-replaces-region',
    description:
      'A region refreshed from the AWS Price List API replaces every embedded EC2 price of that region; specifications read from DescribeInstanceTypes replace the embedded ones of the same type.',
  },
  {
    id: 'reserved-effective-hourly',
    description: 'Reserved effective hourly rate = upfront fee / hours in the term (8,760 per year) + recurring hourly rate.',
  },
]

/** The embedded catalog, with the workspace's refresh document applied when given. */
export function loadCatalog(refresh?: CatalogRefreshDocument): Catalog {
  return buildCatalog(loadEmbeddedData(), refresh)
}

export function buildCatalog(data: EmbeddedData, refresh?: CatalogRefreshDocument): Catalog {
  const types = new Map<string, InstanceTypeSpec>()
  for (const t of data.ec2.instanceTypes) types.set(t.name, t)

  const onDemand = new Map<string, Map<PriceOs, Map<string, Price>>>()
  const reserved = new Map<string, Map<PriceOs, Map<string, ReservedPrice[]>>>()
  const slot = <V>(m: Map<string, Map<PriceOs, Map<string, V>>>, region: string, os: PriceOs): Map<string, V> => {
    let byOs = m.get(region)
    if (!byOs) m.set(region, (byOs = new Map()))
    let byType = byOs.get(os)
    if (!byType) byOs.set(os, (byType = new Map()))
    return byType
  }
  for (const g of data.ec2.onDemand) {
    const target = slot(onDemand, g.region, g.os)
    // One shared Price object per (group, value) keeps 100k-server assessments small in memory.
    for (const [type, usd] of Object.entries(g.prices)) {
      if (!target.has(type)) target.set(type, {usd, sourceId: g.sourceId, date: g.date, basis: g.basis, ...(g.rule ? {rule: g.rule} : {})})
    }
  }
  for (const g of data.ec2.reserved) {
    const target = slot(reserved, g.region, g.os)
    for (const [type, usd] of Object.entries(g.prices)) {
      const list = target.get(type) ?? []
      list.push({
        usd,
        sourceId: g.sourceId,
        date: g.date,
        basis: g.basis,
        term: g.term,
        offeringClass: g.offeringClass,
        purchaseOption: g.purchaseOption,
      })
      target.set(type, list)
    }
  }

  const sources: CatalogSource[] = [...data.ec2.sources, ...data.services.sources]
  const rules: CatalogRule[] = [...data.ec2.rules]
  const refreshedRegions: string[] = []
  const gaps = [...data.ec2.gaps]
  const services = new Map<string, RegionServicePrices>(Object.entries(data.services.regions))
  let version = `embedded-${data.hash.slice(0, 12)}`

  if (refresh && Object.keys(refresh.regions).length > 0) {
    rules.push(...REFRESH_RULES)
    const hash = createHash('sha256')
    for (const region of Object.keys(refresh.regions).sort()) {
      const r = refresh.regions[region]!
      refreshedRegions.push(region)
      const sourceId = `aws-price-list-${region}-${r.publicationDate}`
      hash.update(JSON.stringify({...r, fetchedAt: undefined}))
      sources.push({
        id: sourceId,
        title: `AWS Price List API (GetProducts AmazonEC2) and EC2 DescribeInstanceTypes, ${region}`,
        url: 'https://pricing.us-east-1.amazonaws.com (GetProducts); https://ec2.amazonaws.com (DescribeInstanceTypes)',
        date: r.publicationDate,
        kind: 'aws-api',
        notes: `Fetched ${r.fetchedAt}: ${r.counts.products} products in ${r.counts.pages} pages, ${r.counts.instanceTypes} instance types.`,
      })
      for (const spec of r.instanceTypes) types.set(spec.name, spec)
      onDemand.set(region, new Map())
      reserved.set(region, new Map())
      for (const [os, prices] of Object.entries(r.onDemand) as [PriceOs, Record<string, {usd: number}>][]) {
        const target = slot(onDemand, region, os)
        for (const [type, p] of Object.entries(prices)) target.set(type, {usd: p.usd, sourceId, date: r.publicationDate, basis: 'read'})
      }
      for (const [os, byType] of Object.entries(r.reserved) as [PriceOs, Record<string, readonly RefreshedReserved[]>][]) {
        const target = slot(reserved, region, os)
        for (const [type, list] of Object.entries(byType)) {
          target.set(
            type,
            list.map((x) => ({
              usd: x.usd,
              sourceId,
              date: r.publicationDate,
              basis: 'derived',
              rule: 'reserved-effective-hourly',
              term: x.term,
              offeringClass: x.offeringClass,
              purchaseOption: x.purchaseOption,
              upfrontUsd: x.upfrontUsd,
              hourlyUsd: x.hourlyUsd,
            })),
          )
        }
      }
      const ebs = Object.entries(r.ebsStorageGibMonth)
      if (ebs.length > 0) {
        const current = services.get(region) ?? {}
        services.set(region, {
          ...current,
          ebs: {
            ...current.ebs,
            storageGibMonth: Object.fromEntries(
              ebs.map(([volume, p]) => [volume, {usd: p.usd, sourceId, date: r.publicationDate, basis: 'read'} satisfies Price]),
            ),
          },
        })
      }
    }
    version = `${version}+refreshed-${hash.digest('hex').slice(0, 12)}`
  }

  const ec2 = new Map<string, RegionEc2Prices>()
  for (const region of [...new Set([...onDemand.keys(), ...reserved.keys()])].sort()) {
    ec2.set(region, {
      onDemand: Object.fromEntries(onDemand.get(region) ?? []),
      reserved: Object.fromEntries(reserved.get(region) ?? []),
    })
  }

  return {
    schemaVersion: CATALOG_SCHEMA_VERSION,
    version,
    origin: refreshedRegions.length > 0 ? 'embedded+refreshed' : 'embedded',
    sources,
    rules,
    regions: [...ec2.keys()],
    refreshedRegions,
    instanceTypes: types,
    ec2,
    services,
    gaps,
  }
}

export function instanceType(catalog: Catalog, name: string): InstanceTypeSpec | undefined {
  return catalog.instanceTypes.get(name)
}

/** On-demand hourly price of `type` running `os` in `region`; undefined when no source gives it. */
export function onDemandPrice(catalog: Catalog, region: string, type: string, os: PriceOs): Price | undefined {
  return catalog.ec2.get(region)?.onDemand[os]?.get(type)
}

/** Reserved rates of `type` running `os` in `region` (effective hourly), possibly empty. */
export function reservedPrices(catalog: Catalog, region: string, type: string, os: PriceOs): readonly ReservedPrice[] {
  return catalog.ec2.get(region)?.reserved[os]?.get(type) ?? []
}

export function servicePrices(catalog: Catalog, region: string): RegionServicePrices | undefined {
  return catalog.services.get(region)
}

export function source(catalog: Catalog, id: string): CatalogSource | undefined {
  return catalog.sources.find((s) => s.id === id)
}

/** Every instance type name with a price or a specification, sorted. */
export function knownTypeNames(catalog: Catalog): string[] {
  const names = new Set(catalog.instanceTypes.keys())
  for (const r of catalog.ec2.values()) for (const m of Object.values(r.onDemand)) for (const n of m.keys()) names.add(n)
  return [...names].sort(compareTypeNames)
}

const SIZE_ORDER = ['nano', 'micro', 'small', 'medium', 'large', 'xlarge']
/** Family first, then size (nano < micro < … < xlarge < 2xlarge < … < metal). */
export function compareTypeNames(a: string, b: string): number {
  const [fa = '', sa = ''] = a.split('.')
  const [fb = '', sb = ''] = b.split('.')
  if (fa !== fb) return fa < fb ? -1 : 1
  const rank = (s: string): number => {
    const i = SIZE_ORDER.indexOf(s)
    if (i >= 0) return i
    const m = /^(\d+)xlarge$/.exec(s)
    if (m) return 5 + Number(m[1])
    return 10_000
  }
  return rank(sa) - rank(sb) || (sa < sb ? -1 : sa > sb ? 1 : 0)
}
