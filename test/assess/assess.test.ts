import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {assess, pinLookup, type AssessInput} from '../../src/assess/assess.js'
import {DAYS_PER_MONTH} from '../../src/assess/facts.js'
import {renderSummary} from '../../src/assess/render.js'
import {parseUsage} from '../../src/assess/usage.js'
import {loadCatalog} from '../../src/catalog/catalog.js'
import {PRICING_MODELS} from '../../src/model/assessment.js'
import {assessSettingsSchema, type AssessSettings} from '../../src/model/settings.js'
import {server, smallEstate, sw, tcp} from './estate.js'

const catalog = loadCatalog()
const settings = (o: Partial<AssessSettings> = {}): AssessSettings => ({...assessSettingsSchema.parse({}), ...o})
const run = (o: Partial<AssessInput> = {}) => {
  const e = smallEstate()
  return assess({servers: e.servers, connections: e.connections, catalog, settings: settings(), asOf: '2026-11-30', ...o})
}
const byName = (a: ReturnType<typeof run>, name: string) => a.servers.find((s) => s.name === name)!

describe('assess()', () => {
  it('is deterministic: same input → byte-identical document, whatever the input order', () => {
    const e = smallEstate()
    const a = JSON.stringify(assess({servers: e.servers, connections: e.connections, catalog, settings: settings(), asOf: '2026-11-30'}))
    const b = JSON.stringify(
      assess({servers: [...e.servers].reverse(), connections: e.connections, catalog, settings: settings(), asOf: '2026-11-30'}),
    )
    expect(b).toBe(a)
    const doc = JSON.parse(a) as ReturnType<typeof run>
    expect(doc.servers.map((s) => s.serverId)).toEqual([...doc.servers.map((s) => s.serverId)].sort())
  })

  it('decides a strategy and target for each server of the small estate', () => {
    const a = run()
    const verdicts = Object.fromEntries(
      a.servers.map((s) => [s.name, `${s.strategy} ${s.target.service}${s.target.detail ? ` ${s.target.detail}` : ''}`]),
    )
    expect(verdicts).toEqual({
      web01: 'refactor lambda',
      api01: 'rehost ec2',
      db01: 'replatform aurora aurora-postgresql',
      sql01: 'replatform rds sqlserver',
      app02: 'rehost ec2',
      old01: 'retire none',
      mq01: 'replatform amazon-mq rabbitmq',
      cache01: 'replatform elasticache redis',
      files01: 'replatform fsx-windows',
      nfs01: 'replatform efs',
      aix01: 'retain none',
      mystery: 'rehost ec2',
    })
  })

  it('estimates requests from inbound HTTP connections over the window, and says how', () => {
    const web = byName(run(), 'web01')
    const expected = Math.round((42_000 / 14) * DAYS_PER_MONTH)
    expect(web.compute.lambda.estimate.requestsPerMonth).toBe(expected)
    expect(web.compute.lambda.estimate.inputs.requests).toBe(
      'agent: 42000 inbound connections on tcp/443 over 14 days, each counted as one request (a lower bound)',
    )
    expect(web.compute.lambda.estimate.inputs.memory).toBe('agent: node serving HTTP uses 300 MiB')
    expect(web.compute.lambda.estimate.memoryMb).toBe(300)
    expect(web.rules.find((r) => r.decided)!.id).toBe('refactor-lambda')
  })

  it('Lambda cost grows with the request volume until EC2 wins: the same web server at 200 M requests/month is rehosted', () => {
    const e = smallEstate()
    const usage = parseUsage('servers:\n  web01: {requestsPerMonth: 200000000, durationMs: 200, memoryMb: 512}\n', 'usage.yaml')
    const a = assess({servers: e.servers, connections: e.connections, catalog, settings: settings(), asOf: '2026-11-30', usage})
    const web = byName(a, 'web01')
    const l = web.compute.lambda.estimate
    expect(l.inputs.requests).toBe('usage file')
    expect(l.monthlyUsd).toBeCloseTo(200e6 * (2e-7 + 0.1 * 1.66667e-5), 6)
    expect(l.monthlyUsd!).toBeGreaterThan(web.compute.ec2.monthlyUsd!)
    expect(l.breakEvenRequestsPerMonth!).toBeLessThan(200e6)
    expect(web.strategy).toBe('rehost')
  })

  it('a steady, busy service stays on EC2 (Lambda fit drops)', () => {
    const api = byName(run(), 'api01')
    expect(api.compute.lambda.reasons.join('\n')).toMatch(/ec2-steady-busy/)
    expect(api.strategy).toBe('rehost')
    expect(api.sizing.basis).toBe('performance')
  })

  it('right-sizes from utilisation and says so; sizes as allocated without it', () => {
    const a = run()
    expect(byName(a, 'db01').sizing.memory.explanation).toBe('p95 80% of 32768 MiB x comfort 1.3 = 34078.72 MiB')
    expect(byName(a, 'sql01').sizing).toMatchObject({basis: 'as-is', cpu: {required: 4}, memory: {required: 16384}})
    expect(byName(a, 'sql01').findings.map((f) => f.id)).toEqual(
      expect.arrayContaining(['os-end-of-support', 'no-utilisation', 'sql-server-licence']),
    )
  })

  it('keeps unknown unknown: a server with no capacity gets no type, no cost and a finding, never zeros', () => {
    const m = byName(run(), 'mystery')
    expect(m.sizing.chosen).toBeUndefined()
    expect(m.ec2).toBeUndefined()
    expect(m.targetMonthlyUsd).toEqual({})
    expect(m.targetUnpriced).toMatch(/no EC2 type chosen/)
    expect(m.findings.map((f) => f.id)).toEqual(expect.arrayContaining(['unsized', 'os-unknown']))
  })

  it('targets without prices say so and point at the EC2 equivalent; retired servers cost nothing', () => {
    const a = run()
    expect(byName(a, 'db01').targetUnpriced).toMatch(
      /^no aurora prices in the catalog; rehosted on EC2 it would cost [\d.]+ USD\/month on demand/,
    )
    expect(byName(a, 'old01').targetMonthlyUsd['on-demand']).toBe(0)
    expect(a.summary.unpricedTargets).toEqual({aurora: 1, rds: 1, 'amazon-mq': 1, elasticache: 1, 'fsx-windows': 1, efs: 1, ec2: 1})
  })

  it('summary totals are the sums of the servers’ target costs per pricing model', () => {
    const a = run()
    for (const m of PRICING_MODELS) {
      const priced = a.servers.filter((s) => s.targetMonthlyUsd[m] !== undefined)
      const total = a.summary.monthly.find((x) => x.model === m)!
      expect(total.pricedServers).toBe(priced.length)
      expect(total.unpricedServers).toBe(a.servers.length - priced.length)
      expect(total.monthlyUsd).toBeCloseTo(
        priced.reduce((s, x) => s + x.targetMonthlyUsd[m]!, 0),
        9,
      )
    }
    expect(a.summary.byStrategy).toEqual({refactor: 1, rehost: 3, replatform: 6, retire: 1, retain: 1})
    expect(a.catalog.sources).toHaveProperty('karpenter-pricing-2026-07-20', '2026-07-20')
  })

  it('3-year TCO from on-premises inputs; the server with its own annual cost uses it', () => {
    const a = run({settings: settings({onPremises: {perServerYear: 1200, perCoreYear: 300}})})
    const api = byName(a, 'api01')
    expect(api.tco).toMatchObject({
      onPremises3yrUsd: 3 * (1200 + 300 * 4),
      onPremisesBasis: 'settings assess.onPremises: 1200/server + 300 x 4 cores per year',
    })
    expect(api.tco!.aws3yrUsd['on-demand']).toBeCloseTo(api.targetMonthlyUsd['on-demand']! * 36, 9)
    expect(byName(a, 'sql01').tco).toMatchObject({onPremises3yrUsd: 27_000, onPremisesBasis: 'inventory: 9000 USD/year'})
    expect(byName(a, 'aix01').tco!.aws3yrUsd['on-demand']).toBe(byName(a, 'aix01').tco!.onPremises3yrUsd) // retained: stays on premises
    // some servers are unpriced on AWS, so no estate-wide AWS figure is claimed
    expect(a.summary.tco!.aws3yrUsd).toEqual({})
  })

  it('outside us-east-1, Lambda and Fargate are not priced unless assumed (then marked)', () => {
    const eu = run({settings: settings({region: 'eu-west-1'})})
    expect(byName(eu, 'web01').compute.lambda.estimate.monthlyUsd).toBeUndefined()
    expect(byName(eu, 'web01').strategy).toBe('rehost')
    const assumed = run({settings: settings({region: 'eu-west-1', assumeUsEast1ServicePrices: true})})
    const l = byName(assumed, 'web01').compute.lambda.estimate
    expect(l.monthlyUsd).toBeGreaterThan(0)
    expect(l.lines[0]!.price).toMatchObject({basis: 'assumed', rule: 'assume-us-east-1-service-prices'})
    expect(byName(assumed, 'web01').ec2!.models[0]!.lines![0]!.price!.sourceId).toBe('tedivm-2022-11-22')
  })

  it('pins from the settings, by name', () => {
    const a = run({settings: settings({pins: {db01: 'rehost'}})})
    expect(byName(a, 'db01')).toMatchObject({strategy: 'rehost', target: {service: 'ec2'}})
    expect(byName(a, 'db01').rationale).toBe('pinned to rehost in migrate-plan.yaml (assess.pins)')
  })

  it('usage entries that match no server become diagnostics', () => {
    const usage = parseUsage('servers:\n  nosuch: {requestsPerMonth: 5}\n', 'usage.yaml')
    expect(run({usage}).diagnostics).toEqual([{code: 'USAGE_UNMATCHED', message: 'the usage file names "nosuch", which matches no server'}])
  })

  it('a bad usage file is a UserInputError with the field', () => {
    expect(() => parseUsage('servers:\n  web01: {requestsPerMonth: -1}\n', 'u.yaml')).toThrowError(
      /u\.yaml, column "servers\.web01\.requestsPerMonth"/,
    )
    expect(() => parseUsage('servers:\n  web01: {requests: 5}\n', 'u.yaml')).toThrowError(/u\.yaml/)
  })

  it('Graviton when allowed and compatible', () => {
    const s = server('arm01', {
      osName: 'Ubuntu',
      osVersion: '22.04',
      osFamily: 'linux',
      vcpus: 2,
      memoryMib: 8192,
      software: sw(['nginx', 'web-server']),
      listeners: tcp([80, 'nginx'], [5432, 'postgres']),
    })
    const a = assess({servers: [s], connections: [], catalog, settings: settings({allowGraviton: true}), asOf: '2026-11-30'})
    expect(a.servers[0]!.sizing.chosen!.arch).toBe('arm64')
    expect(a.servers[0]!.sizing.architecture.reason).toMatch(/^Graviton allowed/)
  })

  it('the summary table names the break-even per Lambda candidate', () => {
    const text = renderSummary(run())
    expect(text).toMatch(/Lambda candidates/)
    expect(text).toMatch(/web01\s+1\.00\s+91,250\s+0\.11\s+54\.90\s+46,657,877\s+refactor → lambda/)
    expect(text).not.toMatch(/^old01/m)
    expect(text).toMatch(/reserved-3yr\s+0\.11\s+3\s+9\s+0\s+not available offline/)
  })
})

describe('pinLookup', () => {
  it('answers as pins[key] does', () => {
    const strategy = fc.constantFrom('retire', 'retain', 'rehost', 'refactor' as const)
    const key = fc.oneof(
      fc.constantFrom('srv-1', 'db01', 'constructor', 'toString', '__proto__', 'hasOwnProperty', ''),
      fc.string({maxLength: 5}),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(key, strategy), {maxLength: 5}), fc.array(key, {maxLength: 10}), (entries, keys) => {
        const pins = assessSettingsSchema.parse({pins: Object.fromEntries(entries.filter(([k]) => k !== '' && k !== '__proto__'))}).pins
        const pinOf = pinLookup(pins)
        for (const k of keys) expect(pinOf(k)).toBe(pins[k])
      }),
      {numRuns: 1000},
    )
  })
})
