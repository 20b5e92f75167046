import {describe, expect, it} from 'vitest'

import {ConfigError} from '../../src/errors.js'
import {scheduleWaves} from '../../src/plan/dates.js'
import {applyWaveFlags} from '../../src/plan/flags.js'
import {criticalityRank, environmentRank, planWaves, type WaveGroupInput, type WaveOptions} from '../../src/plan/waves.js'
import {wavesSettingsSchema} from '../../src/model/settings.js'

const group = (name: string, size: number, env?: string, extra: Partial<WaveGroupInput> = {}): WaveGroupInput => ({
  id: `grp-${name}`,
  name,
  aliases: [],
  servers: Array.from({length: size}, (_, i) => `${name}-${i + 1}`),
  ...(env ? {environment: env} : {}),
  ...extra,
})
const options = (o: Partial<WaveOptions> = {}): WaveOptions => ({
  maxServersPerWave: 10,
  pilot: {enabled: false, maxServers: 5},
  environmentOrder: ['dev', 'test', 'staging', 'prod'],
  pins: {},
  moveTogether: [],
  ...o,
})
/** wave number of each group by name */
const where = (groups: readonly WaveGroupInput[], r: ReturnType<typeof planWaves>) =>
  Object.fromEntries(groups.map((g, i) => [g.name, r.waveOfGroup[i]]))

describe('planWaves', () => {
  it('never fills a wave over capacity and splits a group larger than a wave', () => {
    const groups = [group('big', 23, 'prod'), group('a', 6, 'prod'), group('b', 5, 'prod'), group('c', 4, 'prod')]
    const r = planWaves(groups, [], options())
    expect(r.waves.every((w) => w.servers <= 10)).toBe(true)
    expect(r.waves.reduce((s, w) => s + w.servers, 0)).toBe(38)
    const big = r.waves.flatMap((w) => w.chunks.filter((c) => c.group === 0).map((c) => [w.number, c.servers.length]))
    expect(big.map(([, n]) => n!).reduce((s, n) => s + n, 0)).toBe(23)
    const chunk = r.waves.flatMap((w) => w.chunks).find((c) => c.group === 0)!
    expect(chunk.reasons.join(' ')).toMatch(/split over waves \d+–\d+: 23 servers exceed a wave \(10 servers\)/)
  })

  it('moves dependencies before or with their dependents', () => {
    // web depends on app depends on db; each fills a wave on its own
    const groups = [group('web', 8, 'prod'), group('app', 8, 'prod'), group('db', 8, 'prod')]
    const r = planWaves(
      groups,
      [
        {client: 0, server: 1, observations: 100},
        {client: 1, server: 2, observations: 100},
      ],
      options(),
    )
    expect(where(groups, r)).toEqual({db: 1, app: 2, web: 3})
    expect(r.waves[1]!.chunks[0]!.reasons[0]).toBe('with or after its dependencies: db (wave 1)')
  })

  it('keeps a dependency cycle in one wave when it fits, and breaks it at the weakest link when it does not', () => {
    const groups = [group('x', 3, 'prod'), group('y', 3, 'prod'), group('z', 3, 'prod')]
    const cycle = [
      {client: 0, server: 1, observations: 500},
      {client: 1, server: 2, observations: 400},
      {client: 2, server: 0, observations: 5},
    ]
    expect(where(groups, planWaves(groups, cycle, options()))).toEqual({x: 1, y: 1, z: 1})
    const tight = planWaves(groups, cycle, options({maxServersPerWave: 3}))
    // z → x is the weakest link: z moves first, then y (z's dependent), then x
    expect(where(groups, tight)).toEqual({z: 1, y: 2, x: 3})
    expect(tight.waves[0]!.chunks[0]!.reasons.join(' ')).toMatch(/moves before x \(5 observations\)/)
  })

  it('moves dev and test before production, whatever the dependencies', () => {
    const groups = [group('p', 4, 'Production'), group('t', 4, 'UAT'), group('d', 4, 'dev')]
    const r = planWaves(groups, [{client: 2, server: 0, observations: 1000}], options({maxServersPerWave: 4}))
    expect(where(groups, r)).toEqual({d: 1, t: 2, p: 3})
    expect(r.waves[0]!.chunks[0]!.reasons.join(' ')).toMatch(/moves before p \(1000 observations, a later environment\)/)
  })

  it('honours pins, including by application alias, and rejects unknown names and overfull pins', () => {
    const groups = [group('a', 2, 'prod'), group('b', 2, 'prod', {aliases: ['payroll']}), group('c', 2, 'prod')]
    const r = planWaves(groups, [], options({pins: {payroll: 3}}))
    expect(where(groups, r).b).toBe(3)
    expect(r.waves[2]!.chunks[0]!.reasons).toEqual(['pinned to wave 3 (waves.pins / --pin)'])
    expect(() => planWaves(groups, [], options({pins: {payrol: 2}}))).toThrow(ConfigError)
    expect(() => planWaves(groups, [], options({pins: {payrol: 2}}))).toThrow(/no move group or application is called "payrol"/)
    expect(() => planWaves([group('a', 8), group('b', 8)], [], options({pins: {a: 1, b: 1}}))).toThrow(/wave 1 has no room left for b/)
  })

  it('moves groups named in moveTogether in one wave', () => {
    const groups = [group('a', 3, 'dev'), group('b', 3, 'prod'), group('c', 6, 'dev')]
    const r = planWaves(groups, [], options({moveTogether: [['a', 'b']], maxServersPerWave: 6}))
    expect(where(groups, r).a).toBe(where(groups, r).b)
    expect(
      r.waves
        .flatMap((w) => w.chunks)
        .find((c) => c.group === 0)!
        .reasons.join(' '),
    ).toMatch(/moves together with b/)
  })

  it('starts with a pilot of small independent non-production groups, lowest criticality first', () => {
    const groups = [
      group('prod-small', 1, 'prod'),
      group('dev-critical', 2, 'dev', {criticality: 'high'}),
      group('dev-low', 2, 'dev', {criticality: 'low'}),
      group('test-dependent', 1, 'test'),
      group('dev-big', 9, 'dev'),
      group('unknown-env', 1),
    ]
    const r = planWaves(groups, [{client: 3, server: 4, observations: 10}], options({pilot: {enabled: true, maxServers: 3}}))
    expect(r.waves[0]!.pilot).toBe(true)
    expect(r.waves[0]!.chunks.map((c) => groups[c.group]!.name)).toEqual(['dev-low'])
    expect(r.waves[0]!.servers).toBeLessThanOrEqual(3)
    const none = planWaves([group('p', 2, 'prod')], [], options({pilot: {enabled: true, maxServers: 3}}))
    expect(none.waves[0]!.pilot).toBe(false)
    expect(none.notes[0]).toMatch(/no group qualifies for a pilot/)
  })
})

describe('scheduleWaves', () => {
  it('uses relative days without a start date, never today', () => {
    expect(scheduleWaves(3, {cadenceDays: 14, blackoutDates: []}).map((d) => [d.dayOffset, d.start])).toEqual([
      [0, undefined],
      [14, undefined],
      [28, undefined],
    ])
  })

  it('moves a wave whose start or cutover falls in a blackout, and the later waves follow', () => {
    const d = scheduleWaves(4, {startDate: '2026-12-07', cadenceDays: 14, blackoutDates: ['2026-12-24..2027-01-03', '2027-01-18']})
    expect(d.map((x) => [x.start, x.cutover])).toEqual([
      ['2026-12-07', '2026-12-20'],
      // nominal 2026-12-21 would cut over on 2027-01-03 (blackout): the first day that neither starts
      // nor cuts over in a blackout is the 22nd (cutover 2027-01-04)
      ['2026-12-22', '2027-01-04'],
      // nominal 2027-01-05 would cut over on 2027-01-18 (blackout)
      ['2027-01-06', '2027-01-19'],
      ['2027-01-20', '2027-02-02'],
    ])
    expect(d[1]!.reasons[0]).toMatch(/moved from 2026-12-21 to 2026-12-22/)
    expect(d.every((x) => !['2027-01-18'].includes(x.start!) && !['2027-01-18'].includes(x.cutover!))).toBe(true)
  })

  it('rejects dates that do not exist', () => {
    expect(() => scheduleWaves(1, {startDate: '2027-02-30', cadenceDays: 7, blackoutDates: []})).toThrow(/"2027-02-30" is not a date/)
  })
})

describe('ranks and flags', () => {
  it.each([
    ['dev', 0],
    ['Development', 0],
    ['QA', 1],
    ['pre-prod', 2],
    ['PRD', 3],
    [undefined, 3],
    ['weird', 3],
  ])('environment %s ranks %d', (env, rank) => expect(environmentRank(env, ['dev', 'test', 'staging', 'prod'])).toBe(rank))
  it.each([
    ['low', 0],
    ['Tier 3', 0],
    [undefined, 1],
    ['medium', 1],
    ['Business Critical', 2],
    ['high', 2],
  ])('criticality %s ranks %d', (c, rank) => expect(criticalityRank(c)).toBe(rank))

  it('applies flags over settings and rejects bad ones', () => {
    const base = wavesSettingsSchema.parse({pins: {hr: 2}, blackoutDates: ['2027-01-01']})
    const w = applyWaveFlags(base, {maxServers: 40, pin: ['payroll=3'], blackout: ['2027-05-01'], moveTogether: ['a, b'], pilot: false})
    expect(w).toMatchObject({
      maxServersPerWave: 40,
      pins: {hr: 2, payroll: 3},
      blackoutDates: ['2027-01-01', '2027-05-01'],
      moveTogether: [['a', 'b']],
    })
    expect(w.pilot.enabled).toBe(false)
    expect(() => applyWaveFlags(base, {pin: ['payroll']})).toThrow(/cannot read --pin "payroll"/)
    expect(() => applyWaveFlags(base, {startDate: '11/01/2027'})).toThrow(/startDate/)
  })
})
