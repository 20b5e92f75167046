import {existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {wavesSettingsSchema} from '../../src/model/settings.js'
import {buildPlan, type PlanAssessment} from '../../src/plan/plan.js'
import {ROOT} from '../helpers/cli.js'
import {flows, servers, type SrvSpec} from './helpers.js'

const SPECS: SrvSpec[] = [
  {name: 'dns01', ip: '10.0.0.2', env: 'prod'},
  {name: 'shop-web01', ip: '10.1.0.10', env: 'prod', app: 'shop', criticality: 'high'},
  {name: 'shop-app01', ip: '10.1.0.11', env: 'prod', listens: [8080]},
  {name: 'shop-db01', ip: '10.1.0.12', env: 'prod', listens: [5432]},
  {name: 'crm-app01', ip: '10.2.0.10', env: 'prod'},
  {name: 'crm-db01', ip: '10.2.0.11', env: 'prod', listens: [1433]},
  {name: 'hr-dev01', ip: '10.5.0.10', env: 'dev', app: 'hr-dev', criticality: 'low'},
  {name: 'legacy01', ip: '10.7.0.10', env: 'prod'},
  {name: 'old01', ip: '10.8.0.10', env: 'prod'},
]
const CONNS = [
  '10.1.0.10>10.1.0.11:8080*5000',
  '10.1.0.11>10.1.0.12:5432*20000',
  '10.2.0.10>10.2.0.11:1433*9000',
  '10.1.0.11>10.2.0.10:443*700',
  '10.1.0.10>10.0.0.2:53/udp*100',
  '10.2.0.10>10.0.0.2:53/udp*100',
  '10.5.0.10>10.0.0.2:53/udp*100',
  '10.2.0.11>10.7.0.10:445*50',
  '10.1.0.12>10.9.9.9:9000*10',
  '10.1.0.10>198.51.100.1:443*40',
]
const ASSESSMENT: PlanAssessment = {
  servers: [
    {serverId: 'srv-crm-db01', strategy: 'replatform', target: {service: 'rds', instanceType: 'db.m6i.large'}},
    {serverId: 'srv-legacy01', strategy: 'retain', target: {service: 'none'}},
    {serverId: 'srv-old01', strategy: 'retire', target: {service: 'none'}},
    {serverId: 'srv-shop-web01', strategy: 'rehost', target: {service: 'ec2', instanceType: 'm7i.large'}},
  ],
}

const plan = (o: {specs?: SrvSpec[]; conns?: string[]; waves?: object; assessment?: PlanAssessment} = {}) =>
  buildPlan({
    servers: servers(o.specs ?? SPECS),
    connections: flows(...(o.conns ?? CONNS)),
    waves: wavesSettingsSchema.parse({maxServersPerWave: 3, startDate: '2027-01-04', cadenceDays: 14, ...o.waves}),
    onPremisesCidrs: [],
    ...(o.assessment ? {assessment: o.assessment} : {}),
  })

describe('buildPlan', () => {
  it('is byte-identical for the same input, whatever the input order', () => {
    const a = JSON.stringify(plan({assessment: ASSESSMENT}))
    const b = JSON.stringify(plan({assessment: ASSESSMENT}))
    const c = JSON.stringify(plan({specs: [...SPECS].reverse(), conns: [...CONNS].reverse(), assessment: ASSESSMENT}))
    expect(b).toBe(a)
    expect(c).toBe(a)
  })

  it('matches the golden plan (UPDATE_GOLDEN=1 rewrites it)', () => {
    const dir = join(ROOT, 'test/golden/waves-small')
    const file = join(dir, 'plan.json')
    const text = `${JSON.stringify(plan({assessment: ASSESSMENT}), null, 2)}\n`
    if (process.env.UPDATE_GOLDEN || !existsSync(file)) {
      mkdirSync(dir, {recursive: true})
      writeFileSync(file, text)
    }
    expect(text).toBe(readFileSync(file, 'utf8'))
  })

  it('uses the assessment: retired servers are not waved, retained ones are listed apart, strategies and targets carried', () => {
    const p = plan({assessment: ASSESSMENT})
    expect(p.strategySource).toBe('assessment')
    expect(p.retired.map((s) => s.name)).toEqual(['old01'])
    expect(p.retained.map((s) => s.name)).toEqual(['legacy01'])
    expect(p.servers.map((s) => s.name)).not.toContain('old01')
    expect(p.servers.map((s) => s.name)).not.toContain('legacy01')
    expect(p.servers.find((s) => s.name === 'crm-db01')).toMatchObject({
      strategy: 'replatform',
      target: {service: 'rds', instanceType: 'db.m6i.large'},
    })
    expect(p.onPremisesDependencies).toContainEqual(
      expect.objectContaining({server: 'srv-crm-db01', endpoint: 'srv-legacy01', ports: ['tcp/445'], direction: 'out'}),
    )
    expect(p.onPremisesDependencies).toContainEqual(expect.objectContaining({server: 'srv-shop-db01', endpoint: 'ip:10.9.9.9'}))
  })

  it('without an assessment every server is a rehost candidate, and the plan says so', () => {
    const p = plan()
    expect(p.strategySource).toBe('none')
    expect(new Set(p.servers.map((s) => s.strategy))).toEqual(new Set(['rehost']))
    expect(p.diagnostics.map((d) => d.code)).toContain('NO_ASSESSMENT')
  })

  it('dates waves, lists shared-service prerequisites and cross-wave dependencies with ports', () => {
    const p = plan({assessment: ASSESSMENT})
    expect(p.sharedServices.map((s) => [s.name, s.kinds, s.neededByWave])).toEqual([['dns01', ['dns'], 1]])
    expect(p.waves[0]).toMatchObject({number: 1, pilot: true, start: '2027-01-04', cutover: '2027-01-17', prerequisites: ['dns01 (dns)']})
    expect(p.waves.every((w) => w.servers <= 3)).toBe(true)
    // shop (3 servers) fills a wave; crm, which shop calls on 443, moves before it
    const shop = p.groups.find((g) => g.name === 'shop')!
    const crm = p.groups.find((g) => g.servers.includes('srv-crm-app01'))!
    expect(crm.wave).toBeLessThan(shop.wave!)
    expect(p.crossWaveDependencies).toEqual([
      expect.objectContaining({clientGroup: 'shop', serverGroup: crm.name, ports: ['tcp/443'], observations: 700, dependentFirst: false}),
    ])
    for (const w of p.waves) for (const pl of w.placements) expect(pl.reasons.length).toBeGreaterThan(0)
    expect(p.waves.find((w) => w.placements.some((x) => x.group === crm.id))!.risk.reasons.map((r) => r.factor)).toContain('change')
  })
})
