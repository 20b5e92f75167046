import {spawnSync} from 'node:child_process'
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {
  HOURS_PER_MONTH,
  buildCatalog,
  compareTypeNames,
  loadCatalog,
  loadEmbeddedData,
  onDemandPrice,
  reservedPrices,
  servicePrices,
} from '../../src/catalog/catalog.js'
import {catalogOverview, catalogTypeView} from '../../src/catalog/show.js'
import {CATALOG_REFRESH_SCHEMA_VERSION, PRICE_OSES, type CatalogRefreshDocument} from '../../src/model/catalog.js'
import {ROOT, tempDir} from '../helpers/cli.js'

const catalog = loadCatalog()

describe('embedded catalog: prices the sources state', () => {
  it('m5.large us-east-1 Linux on-demand is 0.096 USD/h (karpenter 2026-07-20) → 70.08 USD/month', () => {
    const p = onDemandPrice(catalog, 'us-east-1', 'm5.large', 'linux')
    expect(p).toEqual({usd: 0.096, sourceId: 'karpenter-pricing-2026-07-20', date: '2026-07-20', basis: 'read'})
    expect(HOURS_PER_MONTH).toBe(730)
    expect(p!.usd * HOURS_PER_MONTH).toBeCloseTo(70.08, 10)
  })

  it('m5.large us-east-1 Windows licence included is 0.188 read from ec2instances.info, not the BYOL-equal 0.096 in tedivm', () => {
    expect(onDemandPrice(catalog, 'us-east-1', 'm5.large', 'windows')).toEqual({
      usd: 0.188,
      sourceId: 'ec2instancesinfo-2023-08-30',
      date: '2023-08-30',
      basis: 'read',
    })
  })

  it('m5.large eu-west-1: Linux 0.107 read; Windows derived as 0.107 + 0.092 licence fee, marked derived with its rule', () => {
    expect(onDemandPrice(catalog, 'eu-west-1', 'm5.large', 'linux')).toMatchObject({
      usd: 0.107,
      sourceId: 'tedivm-2022-11-22',
      basis: 'read',
    })
    const w = onDemandPrice(catalog, 'eu-west-1', 'm5.large', 'windows')
    expect(w).toMatchObject({usd: 0.199, basis: 'derived', rule: 'windows-licence-fee', sourceId: 'tedivm-2022-11-22'})
    expect(catalog.rules.map((r) => r.id)).toContain('windows-licence-fee')
    expect(loadEmbeddedData().ec2.windowsLicenceFeeUsdPerHour['m5.large']).toBe(0.092)
  })

  it('regional prices differ and are read per region', () => {
    const r = (region: string) => onDemandPrice(catalog, region, 'm5.large', 'linux')?.usd
    expect([r('us-west-2'), r('eu-central-1'), r('ap-southeast-2')]).toEqual([0.096, 0.115, 0.12])
    expect(onDemandPrice(catalog, 'us-west-2', 'm5.large', 'rhel')?.usd).toBe(0.156)
  })

  it('a missing price is undefined, never 0: Windows on Graviton, SUSE equal to Linux, an unknown region', () => {
    expect(onDemandPrice(catalog, 'us-east-1', 'm6g.large', 'windows')).toBeUndefined()
    expect(onDemandPrice(catalog, 'us-east-1', 't3.micro', 'suse')).toBeUndefined()
    expect(onDemandPrice(catalog, 'xx-nowhere-1', 'm5.large', 'linux')).toBeUndefined()
  })

  it('reserved: us-east-1 Linux 1-year standard all upfront only; no 3-year rate offline', () => {
    const rs = reservedPrices(catalog, 'us-east-1', 'm5.large', 'linux')
    expect(rs).toEqual([
      {
        usd: 0.056393,
        sourceId: 'ec2instancesinfo-2023-08-30',
        date: '2023-08-30',
        basis: 'read',
        term: '1yr',
        offeringClass: 'standard',
        purchaseOption: 'All Upfront',
      },
    ])
    expect(reservedPrices(catalog, 'eu-west-1', 'm5.large', 'linux')).toEqual([])
    expect(reservedPrices(catalog, 'us-east-1', 'm5.large', 'windows')).toEqual([])
  })

  it('Lambda and Fargate unit prices as the secondary sources state them (us-east-1 only)', () => {
    const s = servicePrices(catalog, 'us-east-1')!
    expect(s.lambda!.request.x86_64.usd).toBeCloseTo(0.2 / 1e6, 15)
    expect(s.lambda!.duration.x86_64.map((t) => [t.upTo, t.price.usd])).toEqual([
      [6e9, 1.66667e-5],
      [15e9, 1.5e-5],
      [undefined, 1.3334e-5],
    ])
    expect(s.lambda!.duration.arm64.map((t) => t.price.usd)).toEqual([1.33334e-5, 1.20001e-5])
    expect(s.lambda!.durationTiersIncomplete.arm64).toBe(true)
    expect(s.fargate!.linuxX86).toMatchObject({vcpuHour: {usd: 0.04048}, gbHour: {usd: 0.004445}})
    expect(s.ebs).toBeUndefined()
    expect(servicePrices(catalog, 'eu-west-1')?.lambda).toBeUndefined()
  })

  it('has the required regions, and specs with architecture', () => {
    for (const r of ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2']) expect(catalog.regions).toContain(r)
    expect(catalog.instanceTypes.get('m6g.large')).toMatchObject({vcpus: 2, memoryMib: 8192, arch: 'arm64', burstable: false})
    expect(catalog.instanceTypes.get('t3.micro')).toMatchObject({vcpus: 2, memoryMib: 1024, arch: 'x86_64', burstable: true})
    expect(catalog.instanceTypes.get('m7i.large')).toMatchObject({vcpus: 2, memoryMib: 8192, currentGeneration: true})
    // c7i is priced (karpenter) but no source gives its specification
    expect(catalog.instanceTypes.get('c7i.large')).toBeUndefined()
    expect(onDemandPrice(catalog, 'us-east-1', 'c7i.large', 'linux')?.usd).toBeGreaterThan(0)
  })

  it('every price is positive, names a known source and a date, and derived ones name a known rule', () => {
    const sourceIds = new Set(catalog.sources.map((s) => s.id))
    const ruleIds = new Set(catalog.rules.map((r) => r.id))
    let n = 0
    for (const [region, r] of catalog.ec2) {
      for (const os of PRICE_OSES) {
        for (const [type, p] of r.onDemand[os] ?? []) {
          n++
          if (!(p.usd > 0) || !sourceIds.has(p.sourceId) || !/^\d{4}-\d{2}-\d{2}$/.test(p.date))
            throw new Error(`${region} ${os} ${type}: ${JSON.stringify(p)}`)
          if (p.basis !== 'read' && !ruleIds.has(p.rule ?? '')) throw new Error(`${region} ${os} ${type}: derived without rule`)
        }
      }
    }
    expect(n).toBeGreaterThan(20_000)
  })
})

describe('catalog views', () => {
  it('overview counts per region, with derived counts', () => {
    const o = catalogOverview(catalog, 'eu-west-1')
    expect(o.regions).toHaveLength(1)
    expect(o.regions[0]!.onDemand.windows).toEqual({priced: 421, derived: 111})
    expect(o.gaps.join(' ')).toMatch(/No EBS prices/)
  })

  it('a type view lists each price with source and monthly figure, and what is missing', () => {
    const v = catalogTypeView(catalog, 'm6g.large', 'us-east-1')
    expect(v.prices.find((p) => p.os === 'linux' && p.model === 'on-demand')).toMatchObject({usdPerHour: 0.077, usdPerMonth: 0.077 * 730})
    expect(v.missing).toContain('us-east-1 windows')
  })

  it('orders sizes naturally', () => {
    expect(['m5.2xlarge', 'm5.large', 'm5.metal', 'm5.xlarge', 'm5.12xlarge', 'c5.large'].sort(compareTypeNames)).toEqual([
      'c5.large',
      'm5.large',
      'm5.xlarge',
      'm5.2xlarge',
      'm5.12xlarge',
      'm5.metal',
    ])
  })
})

describe('refresh overlay', () => {
  const refresh: CatalogRefreshDocument = {
    schemaVersion: CATALOG_REFRESH_SCHEMA_VERSION,
    regions: {
      'eu-west-1': {
        region: 'eu-west-1',
        fetchedAt: '2026-11-30T10:00:00.000Z',
        publicationDate: '2021-01-15',
        instanceTypes: [],
        onDemand: {linux: {'t2.micro': {usd: 0.0126, sku: 'STTHYT3WDDQU8UBR'}}},
        reserved: {
          linux: {
            't2.micro': [
              {usd: 0.0082, sku: 'X', term: '3yr', offeringClass: 'standard', purchaseOption: 'All Upfront', upfrontUsd: 215, hourlyUsd: 0},
            ],
          },
        },
        ebsStorageGibMonth: {gp3: {usd: 0.088, sku: 'Y'}},
        counts: {products: 1, pages: 1, instanceTypes: 0},
      },
    },
  }

  it('replaces the refreshed region entirely and leaves the others embedded', () => {
    const c = buildCatalog(loadEmbeddedData(), refresh)
    expect(c.origin).toBe('embedded+refreshed')
    expect(c.version).toMatch(/^embedded-[0-9a-f]{12}\+refreshed-[0-9a-f]{12}$/)
    expect(onDemandPrice(c, 'eu-west-1', 't2.micro', 'linux')).toEqual({
      usd: 0.0126,
      sourceId: 'aws-price-list-eu-west-1-2021-01-15',
      date: '2021-01-15',
      basis: 'read',
    })
    expect(onDemandPrice(c, 'eu-west-1', 'm5.large', 'linux')).toBeUndefined()
    expect(onDemandPrice(c, 'us-east-1', 'm5.large', 'linux')?.usd).toBe(0.096)
    expect(reservedPrices(c, 'eu-west-1', 't2.micro', 'linux')[0]).toMatchObject({term: '3yr', usd: 0.0082, basis: 'derived'})
    expect(servicePrices(c, 'eu-west-1')?.ebs?.storageGibMonth.gp3?.usd).toBe(0.088)
  })

  it('the version ignores when the refresh ran, only what it read', () => {
    const a = buildCatalog(loadEmbeddedData(), refresh).version
    const later = structuredClone(refresh)
    ;(later.regions['eu-west-1'] as {fetchedAt: string}).fetchedAt = '2027-01-01T00:00:00.000Z'
    expect(buildCatalog(loadEmbeddedData(), later).version).toBe(a)
  })
})

const SHARED = join(ROOT, '../shared/data')
describe.skipIf(!existsSync(SHARED))('build script', () => {
  it('rebuilds the committed data byte for byte from the shared sources', () => {
    const tmp = tempDir()
    try {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-catalog.js'), SHARED], {
        env: {...process.env, CATALOG_OUT_DIR: tmp.dir},
        encoding: 'utf8',
      })
      expect(r.status, r.stderr).toBe(0)
      for (const f of ['ec2.json', 'services.json'])
        expect(readFileSync(join(tmp.dir, f), 'utf8')).toBe(readFileSync(join(ROOT, 'src/catalog/data', f), 'utf8'))
    } finally {
      tmp.cleanup()
    }
  })
})
