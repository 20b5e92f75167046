import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {
  breakEvenRequests,
  ec2Costs,
  fargateEstimate,
  fargateTaskSize,
  lambdaEstimate,
  lambdaMonthly,
  regionServices,
  storageLines,
} from '../../src/assess/costing.js'
import {loadCatalog} from '../../src/catalog/catalog.js'
import {assessSettingsSchema, type AssessSettings} from '../../src/model/settings.js'

const catalog = loadCatalog()
const settings = (o: Partial<AssessSettings> = {}): AssessSettings => ({...assessSettingsSchema.parse({}), ...o})
const east = regionServices(catalog, 'us-east-1', settings())!
const lambdaPrices = east.lambda!
const model = (c: ReturnType<typeof ec2Costs>, m: string) => c.models.find((x) => x.model === m)!

describe('EC2 monthly cost per pricing model (730 hours)', () => {
  it('m5.large us-east-1 Linux: 0.096 USD/h → 70.08 on demand; 1-year reserved 0.056393 → 41.17; no 3-year, no Savings Plans offline', () => {
    const c = ec2Costs({
      catalog,
      region: 'us-east-1',
      instanceType: 'm5.large',
      osPriceOs: 'linux',
      sqlServer: false,
      settings: settings(),
      storage: [],
    })
    expect(model(c, 'on-demand')).toMatchObject({monthlyUsd: 70.08, complete: true})
    expect(model(c, 'on-demand').lines![0]).toEqual({
      item: 'm5.large linux',
      quantity: 730,
      unit: 'hour',
      price: {usd: 0.096, sourceId: 'karpenter-pricing-2026-07-20'},
      monthlyUsd: 70.08,
    })
    expect(model(c, 'reserved-1yr').monthlyUsd).toBeCloseTo(0.056393 * 730, 10)
    expect(model(c, 'reserved-1yr').offering).toBe('standard All Upfront, effective hourly')
    expect(c.models.map((m) => m.model)).toEqual(['on-demand', 'reserved-1yr'])
    expect(c.unavailable).toEqual(['reserved-3yr', 'savings-plan-1yr', 'savings-plan-3yr'])
  })

  it('Windows licence included (0.188 → 137.24) vs bring your own (Linux rate 70.08, Dedicated Hosts noted)', () => {
    const li = ec2Costs({
      catalog,
      region: 'us-east-1',
      instanceType: 'm5.large',
      osPriceOs: 'windows',
      sqlServer: false,
      settings: settings(),
      storage: [],
    })
    expect(li.priceOs).toBe('windows')
    expect(model(li, 'on-demand').monthlyUsd).toBeCloseTo(137.24, 10)
    expect(li.unavailable).toContain('reserved-1yr') // no Windows RI rate offline
    expect(li.licences.map((l) => [l.model, l.chosen, l.monthlyUsd])).toEqual([
      ['included', true, 0.188 * 730],
      ['byol', false, 0.096 * 730],
    ])
    expect(li.licences[1]!.note).toMatch(/Dedicated Hosts/)
    const byol = ec2Costs({
      catalog,
      region: 'us-east-1',
      instanceType: 'm5.large',
      osPriceOs: 'windows',
      sqlServer: false,
      settings: settings({windowsLicense: 'byol'}),
      storage: [],
    })
    expect(byol.priceOs).toBe('linux')
    expect(model(byol, 'on-demand').monthlyUsd).toBeCloseTo(70.08, 10)
  })

  it('SQL Server licence included is unpriced (not in any source), so the cost is marked incomplete', () => {
    const c = ec2Costs({
      catalog,
      region: 'us-east-1',
      instanceType: 'm5.large',
      osPriceOs: 'windows',
      sqlServer: true,
      settings: settings(),
      storage: [],
    })
    const od = model(c, 'on-demand')
    expect(od.complete).toBe(false)
    expect(od.monthlyUsd).toBeCloseTo(137.24, 10)
    expect(od.lines![1]).toMatchObject({item: 'SQL Server licence (included)', note: expect.stringMatching(/not available offline/)})
    expect(od.lines![1]!.monthlyUsd).toBeUndefined()
  })

  it('EBS: unpriced without a source; an assumed price from the settings is used and marked assumed', () => {
    const storage = {volumeType: 'gp3' as const, sizeGib: 100, iops: 4000, throughputMibps: 125, basis: 'used' as const, explanation: []}
    const none = storageLines(storage, east, settings(), '2026-11-30')
    expect(none.every((l) => l.monthlyUsd === undefined)).toBe(true)
    const assumed = storageLines(storage, east, settings({assumedPrices: {ebsGp3GibMonth: 0.08, ebsGp3IopsMonth: 0.005}}), '2026-11-30')
    expect(assumed.map((l) => [l.item, l.quantity, l.monthlyUsd])).toEqual([
      ['gp3 storage 100 GiB', 100, 8],
      ['gp3 IOPS above 3000', 1000, 5],
    ])
    expect(assumed[0]!.price).toEqual({
      usd: 0.08,
      basis: 'assumed',
      rule: 'assess.assumedPrices.ebsGp3GibMonth',
      sourceId: 'migrate-plan.yaml',
    })
  })
})

describe('Lambda: requests × per-request + GB-seconds × per-GB-second (tiered, per architecture)', () => {
  it('1 M requests × 200 ms × 512 MB on x86_64 = 0.20 + 100,000 GB-s × 0.0000166667 = 1.86667 USD', () => {
    const m = lambdaMonthly(lambdaPrices, 'x86_64', 1_000_000, 200, 512, false)
    expect(m.gbSeconds).toBe(100_000)
    expect(m.requestUsd).toBeCloseTo(0.2, 12)
    expect(m.durationUsd).toBeCloseTo(1.66667, 10)
  })

  it('the same on arm64: 100,000 × 0.0000133334 = 1.33334 + 0.20', () => {
    const m = lambdaMonthly(lambdaPrices, 'arm64', 1_000_000, 200, 512, false)
    expect(m.requestUsd + m.durationUsd!).toBeCloseTo(1.53334, 10)
  })

  it('crosses into the second x86 tier: 7 billion GB-s = 6e9 × 1.66667e-5 + 1e9 × 1.5e-5', () => {
    const m = lambdaMonthly(lambdaPrices, 'x86_64', 7e9, 1000, 1024, false)
    expect(m.durationUsd).toBeCloseTo(6e9 * 1.66667e-5 + 1e9 * 1.5e-5, 4)
  })

  it('beyond the last arm64 tier the sources give, the cost is unknown, not extrapolated', () => {
    expect(lambdaMonthly(lambdaPrices, 'arm64', 20e9, 1000, 1024, false).durationUsd).toBeUndefined()
    const e = lambdaEstimate({
      services: east,
      architecture: 'arm64',
      requestsPerMonth: 20e9,
      durationMs: 1000,
      memoryMb: 1024,
      inputs: {requests: 'x', duration: 'x', memory: 'x'},
      freeTier: false,
    })
    expect(e.monthlyUsd).toBeUndefined()
    expect(e.lines[1]!.note).toMatch(/beyond the last duration tier/)
  })

  it('the free tier (opt-in) takes off 1 M requests and 400,000 GB-s', () => {
    const m = lambdaMonthly(lambdaPrices, 'x86_64', 3_000_000, 200, 1024, true)
    // 3 M × 0.2 s × 1 GB = 600,000 GB-s → 200,000 billed; 2 M requests billed
    expect(m.billedRequests).toBe(2_000_000)
    expect(m.billedGbSeconds).toBe(200_000)
    expect(m.requestUsd + m.durationUsd!).toBeCloseTo(0.4 + 200_000 * 1.66667e-5, 10)
  })

  it('grows with requests (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({min: 0, max: 1e9}),
        fc.integer({min: 0, max: 1e9}),
        fc.integer({min: 1, max: 60_000}),
        fc.integer({min: 128, max: 10_240}),
        fc.constantFrom<'x86_64' | 'arm64'>('x86_64', 'arm64'),
        (a, b, ms, mb, arch) => {
          const [lo, hi] = a <= b ? [a, b] : [b, a]
          const c = (r: number) => {
            const m = lambdaMonthly(lambdaPrices, arch, r, ms, mb, false)
            return m.durationUsd === undefined ? Infinity : m.requestUsd + m.durationUsd
          }
          return c(lo) <= c(hi)
        },
      ),
    )
  })

  it('break-even against m5.large on demand (70.08): 70.08 / (2e-7 + 0.1 GB-s × 1.66667e-5) ≈ 37.54 M requests/month', () => {
    const r = breakEvenRequests(lambdaPrices, {architecture: 'x86_64', durationMs: 200, memoryMb: 512, freeTier: false}, 70.08)!
    expect(Math.abs(r - 70.08 / (2e-7 + 0.1 * 1.66667e-5))).toBeLessThan(1)
    const at = lambdaMonthly(lambdaPrices, 'x86_64', r, 200, 512, false)
    expect(at.requestUsd + at.durationUsd!).toBeCloseTo(70.08, 4)
  })

  it('a steady, right-sized load favours EC2: 50 requests/s around the clock costs more on Lambda than m5.large', () => {
    const requests = 50 * 3600 * 730 // 131.4 M per month
    const e = lambdaEstimate({
      services: east,
      architecture: 'x86_64',
      requestsPerMonth: requests,
      durationMs: 200,
      memoryMb: 512,
      inputs: {requests: 'x', duration: 'x', memory: 'x'},
      freeTier: false,
      ec2MonthlyUsd: 70.08,
    })
    expect(e.monthlyUsd).toBeCloseTo(requests * (2e-7 + 0.1 * 1.66667e-5), 6) // 245.28
    expect(e.monthlyUsd!).toBeGreaterThan(70.08)
    expect(e.breakEvenRequestsPerMonth!).toBeLessThan(requests)
    // … while a quiet one (100,000 requests/month) is far cheaper on Lambda
    const quiet = lambdaEstimate({
      ...{
        services: east,
        architecture: 'x86_64' as const,
        durationMs: 200,
        memoryMb: 512,
        inputs: {requests: 'x', duration: 'x', memory: 'x'},
        freeTier: false,
      },
      requestsPerMonth: 100_000,
      ec2MonthlyUsd: 70.08,
    })
    expect(quiet.monthlyUsd!).toBeCloseTo(0.186667, 6)
  })

  it('unknown volume: no cost, but still a break-even', () => {
    const e = lambdaEstimate({
      services: east,
      architecture: 'x86_64',
      durationMs: 200,
      memoryMb: 512,
      inputs: {requests: 'unknown', duration: 'x', memory: 'x'},
      freeTier: false,
      ec2MonthlyUsd: 70.08,
    })
    expect(e.monthlyUsd).toBeUndefined()
    expect(e.note).toMatch(/request volume unknown/)
    expect(e.breakEvenRequestsPerMonth).toBeGreaterThan(0)
  })

  it('outside us-east-1: missing unless us-east-1 prices are assumed, and then marked assumed', () => {
    expect(regionServices(catalog, 'eu-west-1', settings())?.lambda).toBeUndefined()
    const assumed = regionServices(catalog, 'eu-west-1', settings({assumeUsEast1ServicePrices: true}))!
    expect(assumed.lambda!.request.x86_64).toMatchObject({usd: 2e-7, basis: 'assumed', rule: 'assume-us-east-1-service-prices'})
    expect(assumed.fargate!.linuxX86!.vcpuHour.basis).toBe('assumed')
  })
})

describe('Fargate', () => {
  it('picks the smallest valid task size', () => {
    expect(fargateTaskSize(1, 6177)).toEqual({vcpu: 1, memoryGb: 7})
    expect(fargateTaskSize(0.2, 400)).toEqual({vcpu: 0.25, memoryGb: 0.5})
    expect(fargateTaskSize(2, 20 * 1024)).toEqual({vcpu: 4, memoryGb: 20})
    expect(fargateTaskSize(9, 10 * 1024)).toEqual({vcpu: 16, memoryGb: 32})
    expect(fargateTaskSize(16, 130 * 1024)).toBeUndefined()
  })

  it('1 vCPU / 2 GB Linux x86: (0.04048 + 2 × 0.004445) × 730 = 36.0401 USD/month', () => {
    const f = fargateEstimate(east, 'linux-x86_64', 1, 2048)!
    expect(f.monthlyUsd).toBeCloseTo(36.0401, 8)
    const w = fargateEstimate(east, 'windows-x86_64', 1, 2048)!
    expect(w.monthlyUsd).toBeCloseTo((0.09148 + 2 * 0.01005 + 0.046) * 730, 8)
  })
})
