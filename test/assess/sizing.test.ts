import {describe, expect, it} from 'vitest'

import {CandidateIndex, familyAllowed, pickStatistic, sizeCompute, sizeDimension, sizeStorage} from '../../src/assess/sizing.js'
import {loadCatalog} from '../../src/catalog/catalog.js'
import {assessSettingsSchema, type AssessSettings} from '../../src/model/settings.js'

const catalog = loadCatalog()
const settings = (o: Partial<AssessSettings> = {}): AssessSettings => ({...assessSettingsSchema.parse({}), ...o})
const x86 = {allowed: ['x86_64' as const], reason: 'test'}
const noBurst = {considered: false, reason: 'test'}

describe('utilisation statistic', () => {
  it('uses the configured percentile, else falls back to a more conservative one and says so', () => {
    expect(pickStatistic({avg: 10, p95: 31, max: 71}, 'p95')).toEqual({stat: 'p95', value: 31, note: 'p95'})
    expect(pickStatistic({avg: 10, max: 71}, 'p95')).toEqual({stat: 'max', value: 71, note: 'p95 unknown, used max'})
    expect(pickStatistic({avg: 10}, 'p95')).toEqual({note: 'p95 and every more conservative statistic unknown'})
    expect(pickStatistic(undefined, 'p95')).toEqual({note: 'utilisation unknown'})
    expect(pickStatistic({avg: 10, p99: 40}, 'avg')).toMatchObject({stat: 'avg', value: 10})
  })
})

describe('dimension sizing', () => {
  const s = {percentile: 'p95' as const, comfortFactor: 1.3}
  it('performance-based: p95 × allocation × comfort, with the calculation spelled out', () => {
    const d = sizeDimension(8, {p95: 50}, s, 1, 'vCPU')
    expect(d).toMatchObject({basis: 'performance', statistic: 'p95', utilisationPct: 50, required: 5.2})
    expect(d.explanation).toBe('p95 50% of 8 vCPU x comfort 1.3 = 5.2 vCPU')
  })
  it('a floor applies and is said', () => {
    const d = sizeDimension(2, {p95: 10}, s, 1, 'vCPU')
    expect(d.required).toBe(1)
    expect(d.explanation).toMatch(/floor 1 vCPU$/)
  })
  it('falls back to max when p95 is unknown', () => {
    expect(sizeDimension(4, {max: 50}, s, 1, 'vCPU')).toMatchObject({
      statistic: 'max',
      required: 2.6,
      explanation: expect.stringMatching(/^p95 unknown, used max 50%/),
    })
  })
  it('as-is when utilisation is unknown', () => {
    expect(sizeDimension(4096, undefined, s, 1024, 'MiB')).toMatchObject({
      basis: 'as-is',
      required: 4096,
      explanation: 'utilisation unknown: as allocated, 4096 MiB',
    })
  })
  it('unknown allocation stays unknown', () => {
    expect(sizeDimension(undefined, {p95: 50}, s, 1, 'vCPU')).toEqual({basis: 'unknown', explanation: 'allocated vCPU unknown'})
  })
})

describe('instance selection', () => {
  it('family entries: a letter matches the family line, a full name matches exactly', () => {
    expect(familyAllowed('m5', ['m'])).toBe(true)
    expect(familyAllowed('m7i-flex', ['m'])).toBe(true)
    expect(familyAllowed('mac1', ['m'])).toBe(false)
    expect(familyAllowed('m6i', ['m5'])).toBe(false)
    expect(familyAllowed('m5', ['m5'])).toBe(true)
  })

  it('chooses the cheapest fitting type and the two next candidates, all priced for the OS', () => {
    const st = settings()
    const sz = sizeCompute({
      server: {vcpus: 8, memoryMib: 32768, cpuUtilisation: {p95: 40}, memoryUtilisation: {p95: 40}},
      settings: st,
      priceOs: 'linux',
      architecture: x86,
      burstable: noBurst,
      index: new CandidateIndex(catalog, 'us-east-1', st.families),
    })
    // needs 8 × 0.4 × 1.3 = 4.16 vCPU and 32768 × 0.4 × 1.3 = 17039 MiB → 8 vCPU / 32 GiB class
    expect(sz.basis).toBe('performance')
    expect(sz.chosen!.vcpus).toBeGreaterThanOrEqual(5)
    expect(sz.chosen!.memoryMib).toBeGreaterThanOrEqual(17040)
    expect(sz.chosen!.burstable).toBe(false)
    expect(sz.alternatives).toHaveLength(2)
    const prices = [sz.chosen!, ...sz.alternatives].map((c) => c.hourlyUsd)
    expect([...prices].sort((a, b) => a - b)).toEqual(prices)
    expect(sz.chosen!.monthlyUsd).toBeCloseTo(sz.chosen!.hourlyUsd * 730, 10)
  })

  it('a 2 vCPU / 8 GiB server without utilisation stays at 2 vCPU / 8 GiB; the cheapest such type in us-east-1 is m5a.large (0.086)', () => {
    const st = settings()
    const sz = sizeCompute({
      server: {vcpus: 2, memoryMib: 8192},
      settings: st,
      priceOs: 'linux',
      architecture: x86,
      burstable: noBurst,
      index: new CandidateIndex(catalog, 'us-east-1', st.families),
    })
    expect(sz.basis).toBe('as-is')
    expect(sz.chosen).toMatchObject({instanceType: 'm5a.large', vcpus: 2, memoryMib: 8192, hourlyUsd: 0.086})
  })

  it('burstable types only when considered; Graviton only when allowed', () => {
    const st = settings()
    const index = new CandidateIndex(catalog, 'us-east-1', st.families)
    const server = {vcpus: 2, memoryMib: 4096, cpuUtilisation: {avg: 5, p95: 20}, memoryUtilisation: {p95: 50}}
    const withBurst = sizeCompute({
      server,
      settings: st,
      priceOs: 'linux',
      architecture: x86,
      burstable: {considered: true, reason: 'low'},
      index,
    })
    expect(withBurst.chosen!.burstable).toBe(true)
    const withArm = sizeCompute({
      server,
      settings: st,
      priceOs: 'linux',
      architecture: {allowed: ['x86_64', 'arm64'], reason: 'ok'},
      burstable: noBurst,
      index,
    })
    expect(withArm.chosen!.arch).toBe('arm64')
    const plain = sizeCompute({server, settings: st, priceOs: 'linux', architecture: x86, burstable: noBurst, index})
    expect(plain.chosen!.arch).toBe('x86_64')
    expect(plain.chosen!.burstable).toBe(false)
  })

  it('Windows is ranked on Windows prices (no Graviton type has one)', () => {
    const st = settings()
    const sz = sizeCompute({
      server: {vcpus: 2, memoryMib: 8192},
      settings: st,
      priceOs: 'windows',
      architecture: {allowed: ['x86_64', 'arm64'], reason: 'test'},
      burstable: noBurst,
      index: new CandidateIndex(catalog, 'us-east-1', st.families),
    })
    expect(sz.chosen!.arch).toBe('x86_64')
  })

  it('nothing fits: says why instead of inventing a type', () => {
    const st = settings({families: ['t']})
    const sz = sizeCompute({
      server: {vcpus: 64, memoryMib: 512 * 1024},
      settings: st,
      priceOs: 'linux',
      architecture: x86,
      burstable: {considered: true, reason: 'x'},
      index: new CandidateIndex(catalog, 'us-east-1', st.families),
    })
    expect(sz.chosen).toBeUndefined()
    expect(sz.unsized).toMatch(/no allowed type provides 64 vCPU/)
  })

  it('unknown capacity: unsized', () => {
    const st = settings()
    const sz = sizeCompute({
      server: {},
      settings: st,
      priceOs: 'linux',
      architecture: x86,
      burstable: noBurst,
      index: new CandidateIndex(catalog, 'us-east-1', st.families),
    })
    expect(sz).toMatchObject({basis: 'unknown', unsized: 'neither vCPU nor memory is known'})
  })
})

describe('storage', () => {
  it('gp3 from used capacity with head-room, baseline IOPS/throughput when low', () => {
    const s = sizeStorage({storageUsedGib: 100, diskIops: {p95: 500}, diskThroughput: {p95: 20}}, settings())
    expect(s).toMatchObject({volumeType: 'gp3', sizeGib: 120, basis: 'used', iops: 3000, throughputMibps: 125})
  })
  it('provisioned IOPS and throughput above the gp3 baseline, capped at gp3 limits', () => {
    expect(sizeStorage({storageUsedGib: 500, diskIops: {p95: 5000}, diskThroughput: {p95: 200}}, settings())).toMatchObject({
      iops: 6500,
      throughputMibps: 260,
    })
    expect(sizeStorage({storageUsedGib: 500, diskIops: {p95: 50000}}, settings())).toMatchObject({iops: 16000})
  })
  it('provisioned when used is unknown; root minimum; unknown when nothing is known', () => {
    expect(
      sizeStorage(
        {
          disks: [
            {name: 'a', sizeGib: 40},
            {name: 'b', sizeGib: 60},
          ],
        },
        settings(),
      ),
    ).toMatchObject({sizeGib: 100, basis: 'provisioned'})
    expect(sizeStorage({storageUsedGib: 3, osFamily: 'windows'}, settings())).toMatchObject({sizeGib: 30})
    const none = sizeStorage({}, settings())
    expect(none.sizeGib).toBeUndefined()
    expect(none.basis).toBe('unknown')
  })
})
