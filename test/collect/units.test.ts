import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {ConnectionAggregator, type ObservedSocket} from '../../src/collect/connections.js'
import {formatDuration, parseDuration} from '../../src/collect/duration.js'
import {EXACT_SAMPLE_LIMIT, MetricSeries, SKETCH_RELATIVE_ACCURACY} from '../../src/collect/metrics.js'
import {parseCollectOptions} from '../../src/collect/options.js'

describe('parseDuration', () => {
  it.each([
    ['90s', 90_000],
    ['10m', 600_000],
    ['2h', 7_200_000],
    ['14d', 1_209_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['1w', 604_800_000],
    ['1.5h', 5_400_000],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text, 'duration')).toBe(ms)
  })

  it.each(['60', '', '10x', 'm', '-5s', '1h 30m'])('refuses %j with exit-2 error', (text) => {
    expect(() => parseDuration(text, 'interval')).toThrow(/is not a duration/)
  })

  it('formats back what it parses', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 400 * 86_400}), (s) => {
        expect(parseDuration(formatDuration(s * 1000), 'x')).toBe(s * 1000)
      }),
    )
  })
})

/** Exact percentile by the numpy default definition, for reference. */
function reference(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b)
  const h = (s.length - 1) * p
  const lo = Math.floor(h)
  return s[lo]! + (h - lo) * (s[Math.min(lo + 1, s.length - 1)]! - s[lo]!)
}

describe('MetricSeries', () => {
  it('gives exact avg, percentiles and max while under the limit (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.integer({min: 0, max: 100_000}).map((v) => v / 1000),
          {minLength: 1, maxLength: 500},
        ),
        (values) => {
          const m = new MetricSeries()
          for (const v of values) m.add(v)
          const s = m.summary()!
          expect(m.exact).toBe(true)
          expect(s.samples).toBe(values.length)
          expect(s.max).toBe(Math.max(...values))
          for (const [key, p] of [
            ['p50', 0.5],
            ['p95', 0.95],
            ['p99', 0.99],
          ] as const) {
            // Summaries are rounded to 0.001.
            expect(Math.abs(s[key]! - reference(values, p))).toBeLessThanOrEqual(0.0005 + 1e-9)
          }
          expect(Math.abs(s.avg! - values.reduce((a, b) => a + b, 0) / values.length)).toBeLessThanOrEqual(0.0005 + 1e-9)
        },
      ),
      {numRuns: 300, seed: 1},
    )
  })

  it('keeps the stated relative error bound once it folds into a sketch', () => {
    const m = new MetricSeries(1000)
    const values: number[] = []
    let x = 12345
    for (let i = 0; i < 20_000; i++) {
      x = (x * 1103515245 + 12345) % 2 ** 31
      const v = Math.round(((x / 2 ** 31) ** 3 * 100 + 0.01) * 1000) / 1000 // skewed, like CPU use
      values.push(v)
      m.add(v)
    }
    expect(m.exact).toBe(false)
    const sorted = [...values].sort((a, b) => a - b)
    for (const p of [0.5, 0.95, 0.99]) {
      const truth = sorted[Math.round((sorted.length - 1) * p)]!
      expect(Math.abs(m.percentile(p)! - truth) / truth).toBeLessThanOrEqual(SKETCH_RELATIVE_ACCURACY + 1e-9)
    }
    expect(m.summary()!.max).toBe(Math.max(...values))
  })

  it('survives a round trip through its saved state, in both modes', () => {
    for (const n of [10, EXACT_SAMPLE_LIMIT + 10]) {
      const m = new MetricSeries()
      for (let i = 0; i < n; i++) m.add(i % 97)
      const back = MetricSeries.from(JSON.parse(JSON.stringify(m.toJSON())))
      expect(back.summary()).toEqual(m.summary())
      back.add(5)
      expect(back.samples).toBe(n + 1)
    }
  })

  it('ignores readings that are not measurements', () => {
    const m = new MetricSeries()
    for (const v of [undefined, Number.NaN, -1, Infinity]) m.add(v)
    expect(m.summary()).toBeUndefined()
  })
})

const sock = (s: Partial<ObservedSocket>): ObservedSocket => ({
  protocol: 'tcp',
  localIp: '10.0.0.5',
  localPort: 0,
  remoteIp: '10.0.0.9',
  remotePort: 0,
  state: 'ESTABLISHED',
  ...s,
})

describe('ConnectionAggregator', () => {
  it('aggregates across samples without the ephemeral port, once per sample, with direction', () => {
    const a = new ConnectionAggregator()
    const listen = sock({localIp: '0.0.0.0', localPort: 5432, remoteIp: '0.0.0.0', state: 'LISTEN', process: 'postgres'})
    a.observe(
      [
        listen,
        sock({localPort: 5432, remoteIp: '10.0.0.7', remotePort: 40001, process: 'postgres'}),
        sock({localPort: 5432, remoteIp: '10.0.0.7', remotePort: 40002}),
        sock({localPort: 51000, remoteIp: '10.0.0.20', remotePort: 443, process: 'curl'}),
        sock({localIp: '127.0.0.1', localPort: 5432, remoteIp: '127.0.0.1', remotePort: 40003}),
        sock({localPort: 51001, remoteIp: '10.0.0.20', remotePort: 443, state: 'TIME_WAIT'}),
      ],
      '2026-01-01T00:00:00.000Z',
    )
    a.observe([listen, sock({localPort: 5432, remoteIp: '::ffff:10.0.0.7', remotePort: 40099})], '2026-01-01T00:01:00.000Z')
    expect(a.list()).toEqual([
      {
        protocol: 'tcp',
        localIp: '10.0.0.5',
        localPort: 5432,
        remoteIp: '10.0.0.7',
        remotePort: 0,
        direction: 'inbound',
        process: 'postgres',
        count: 2,
        firstSeen: '2026-01-01T00:00:00.000Z',
        lastSeen: '2026-01-01T00:01:00.000Z',
      },
      {
        protocol: 'tcp',
        localIp: '10.0.0.5',
        localPort: 0,
        remoteIp: '10.0.0.20',
        remotePort: 443,
        direction: 'outbound',
        process: 'curl',
        count: 1,
        firstSeen: '2026-01-01T00:00:00.000Z',
        lastSeen: '2026-01-01T00:00:00.000Z',
      },
    ])
    expect(a.listenerList()).toEqual([{protocol: 'tcp', ip: '0.0.0.0', port: 5432, process: 'postgres'}])
    expect(ConnectionAggregator.from(JSON.parse(JSON.stringify(a.toJSON()))).toJSON()).toEqual(a.toJSON())
  })

  it('counts what it cannot keep past its limit', () => {
    const a = new ConnectionAggregator(2)
    a.observe(
      [1, 2, 3, 4].map((i) => sock({localPort: 50000 + i, remoteIp: `10.1.0.${i}`, remotePort: 80})),
      't',
    )
    expect(a.list()).toHaveLength(2)
    expect(a.droppedCount).toBe(2)
  })
})

describe('parseCollectOptions', () => {
  it('applies the documented defaults', () => {
    const o = parseCollectOptions({}, '/tmp/x', {})
    expect(o).toMatchObject({intervalMs: 60_000, flushMs: 300_000, outGiven: false})
    expect(o.durationMs).toBeUndefined()
    expect(o.out).toMatch(/^\/tmp\/x\/.+\.migrate-plan\.json$/)
    expect(o.statePath).toBe(`${o.out}.state`)
  })

  it('reads the token from the environment and checks push settings', () => {
    const o = parseCollectOptions({push: 'http://127.0.0.1:9/', duration: '14d'}, '/tmp', {MIGRATE_PLAN_TOKEN: 't0ken'})
    expect(o.push).toMatchObject({token: 't0ken', retries: 8, retryDelayMs: 2000})
    expect(o.durationMs).toBe(14 * 86_400_000)
  })

  it.each([
    [{interval: '500ms'}, /at least 1s/],
    [{duration: '30s', interval: '60s'}, /between --interval and 400d/],
    [{push: 'ftp://x'}, /http or https/],
    [{push: 'http://x'}, /needs a token/],
    [{resend: 'a.json'}, /needs --push/],
    [{push: 'http://x', token: 't', retries: '0'}, /whole number/],
  ])('refuses %j', (raw, message) => {
    expect(() => parseCollectOptions(raw, '/tmp', {})).toThrow(message)
  })
})
