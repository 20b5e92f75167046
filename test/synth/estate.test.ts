import {createHash} from 'node:crypto'

import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {generateEstate, resolveOptions} from '../../src/synth/estate.js'
import type {SynthEstate, SynthServer} from '../../src/synth/types.js'

/** Digest of every connection record, in order. */
function connectionDigest(estate: SynthEstate): {rows: number; digest: string} {
  const h = createHash('sha256')
  let rows = 0
  for (const c of estate.connections()) {
    rows++
    h.update(
      `${c.sourceIp},${c.sourcePort},${c.destinationIp},${c.destinationPort},${c.protocol},${c.process},${c.count},${c.firstSeen},${c.lastSeen}\n`,
    )
  }
  return {rows, digest: h.digest('hex')}
}

const groups = (estate: SynthEstate): Map<string, SynthServer[]> => {
  const out = new Map<string, SynthServer[]>()
  for (const s of estate.servers) {
    const g = estate.truth.get(s.name)!
    out.set(g, [...(out.get(g) ?? []), s])
  }
  return out
}

describe('generateEstate', () => {
  const estate = generateEstate({servers: 1500, connectionRecords: 30_000, seed: 7, sharedServices: 14})

  it('is deterministic for a seed, and another seed gives another estate', () => {
    const again = generateEstate({servers: 1500, connectionRecords: 30_000, seed: 7, sharedServices: 14})
    expect(again.servers).toEqual(estate.servers)
    expect(connectionDigest(again)).toEqual(connectionDigest(estate))
    const other = generateEstate({servers: 1500, connectionRecords: 30_000, seed: 8, sharedServices: 14})
    expect(other.servers.map((s) => s.uuid)).not.toEqual(estate.servers.map((s) => s.uuid))
    expect(connectionDigest(other).digest).not.toBe(connectionDigest(estate).digest)
  })

  it('yields the same connection sequence on every call, exactly connectionRecords of them', () => {
    const a = connectionDigest(estate)
    expect(a.rows).toBe(30_000)
    expect(connectionDigest(estate)).toEqual(a)
  })

  it('generates connections lazily: a billion records cost nothing until read', () => {
    const huge = generateEstate({servers: 300, connectionRecords: 1_000_000_000, seed: 1})
    const first: unknown[] = []
    for (const c of huge.connections()) {
      first.push(c)
      if (first.length === 5) break
    }
    expect(first).toHaveLength(5)
  })

  it('has the requested number of servers, unique identities, and ground truth for every one', () => {
    expect(estate.servers).toHaveLength(1500)
    for (const key of ['name', 'ip', 'mac', 'uuid', 'moref'] as const) {
      expect(new Set(estate.servers.map((s) => s[key])).size, key).toBe(1500)
    }
    for (const s of estate.servers) {
      const g = estate.truth.get(s.name)
      expect(g, s.name).toBeDefined()
      expect(g).toBe(s.app ?? `shared:${s.service}`)
    }
    expect(estate.truth.size).toBe(1500)
    // Templates are in the RVTools export only.
    for (const t of estate.templates ?? []) expect(estate.truth.has(t.name)).toBe(false)
  })

  it('plants shared services and applications of the requested sizes', () => {
    const g = groups(estate)
    const shared = [...g.keys()].filter((k) => k.startsWith('shared:')).sort()
    expect(shared).toEqual([
      'shared:ad',
      'shared:backup',
      'shared:dns',
      'shared:monitoring',
      'shared:ntp',
      'shared:patching',
      'shared:smtp',
    ])
    expect(estate.servers.filter((s) => s.tier === 'shared')).toHaveLength(estate.options.sharedServices)
    for (const [name, members] of g) {
      if (name.startsWith('shared:')) continue
      expect(members.length, name).toBeLessThanOrEqual(12)
      expect(new Set(members.map((m) => m.environment)).size, name).toBe(1)
    }
    // Applications have a back end: a database in every one with more than one server.
    const withDb = [...g].filter(([k, m]) => !k.startsWith('shared:') && m.length >= 2 && m.some((s) => s.tier === 'db'))
    expect(withDb.length).toBe([...g].filter(([k, m]) => !k.startsWith('shared:') && m.length >= 2).length)
  })

  it('mixes operating systems, idle and powered-off servers as asked', () => {
    const n = estate.servers.length
    const windows = estate.servers.filter((s) => s.osFamily === 'windows').length / n
    expect(windows).toBeGreaterThan(0.3)
    expect(windows).toBeLessThan(0.4)
    const off = estate.servers.filter((s) => s.powerState === 'off').length / n
    expect(off).toBeGreaterThan(0.01)
    expect(off).toBeLessThan(0.06)
    const idle = estate.servers.filter((s) => s.idle).length / n
    expect(idle).toBeGreaterThan(0.01)
    expect(idle).toBeLessThan(0.12)
    const oses = new Set(estate.servers.map((s) => s.osId))
    for (const os of ['win2012r2', 'win2016', 'win2019', 'win2022', 'rhel7', 'rhel8', 'rhel9', 'centos7', 'ubuntu2204', 'sles15']) {
      expect(oses.has(os as SynthServer['osId']), os).toBe(true)
    }
  })

  it('gives every running server a consistent utilisation summary, and powered-off ones none', () => {
    for (const s of estate.servers) {
      if (s.powerState === 'off') {
        expect(s.utilisation.cpuPct, s.name).toEqual({})
        continue
      }
      for (const m of [s.utilisation.cpuPct, s.utilisation.memoryPct]) {
        expect(m.avg).toBeDefined()
        expect(m.p50!).toBeLessThanOrEqual(m.p95!)
        expect(m.p95!).toBeLessThanOrEqual(m.p99!)
        expect(m.p99!).toBeLessThanOrEqual(m.max!)
        expect(m.max!).toBeLessThanOrEqual(100)
        expect(m.avg!).toBeLessThanOrEqual(m.max!)
        expect(m.samples).toBe(14 * 1440)
      }
      if (s.idle) expect(s.utilisation.cpuPct.p95!, s.name).toBeLessThan(5)
    }
    // Roles show: databases work harder than web servers, on average.
    const mean = (tier: string) => {
      const xs = estate.servers.filter((s) => s.tier === tier && s.powerState === 'on' && !s.idle && s.environment === 'prod')
      return xs.reduce((a, s) => a + s.utilisation.cpuPct.avg!, 0) / xs.length
    }
    expect(mean('db')).toBeGreaterThan(mean('web'))
    expect(mean('cache')).toBeLessThan(mean('app'))
  })

  it('sends most traffic inside applications, some to shared services, a little noise, none to powered-off servers', () => {
    const appOf = new Map(estate.servers.map((s) => [s.ip, estate.truth.get(s.name)!]))
    const off = new Set(estate.servers.filter((s) => s.powerState === 'off').map((s) => s.ip))
    let inside = 0
    let shared = 0
    let between = 0
    let external = 0
    const appsSeen = new Set<string>()
    for (const c of estate.connections()) {
      expect(off.has(c.sourceIp) || off.has(c.destinationIp)).toBe(false)
      expect(c.sourceIp).not.toBe(c.destinationIp)
      expect(c.count).toBeGreaterThanOrEqual(1)
      expect(c.firstSeen! <= c.lastSeen!).toBe(true)
      const a = appOf.get(c.sourceIp)
      const b = appOf.get(c.destinationIp)!
      expect(b, c.destinationIp).toBeDefined()
      if (a === undefined) external++
      else if (a.startsWith('shared:') || b.startsWith('shared:')) shared++
      else if (a === b) {
        inside++
        appsSeen.add(a)
      } else between++
    }
    const total = 30_000
    expect(inside + external).toBeGreaterThan(total * 0.6)
    expect(shared / total).toBeGreaterThan(0.2)
    expect(shared / total).toBeLessThan(0.3)
    expect(between / total).toBeGreaterThan(0.01)
    expect(between / total).toBeLessThan(0.03)
    // Every application with two running, non-idle servers has traffic inside it.
    for (const [name, members] of groups(estate)) {
      if (name.startsWith('shared:')) continue
      if (members.filter((m) => m.powerState === 'on').length >= 2) expect(appsSeen.has(name), name).toBe(true)
    }
  })

  it('uses most servers as clients of shared services', () => {
    const sharedIps = new Set(estate.servers.filter((s) => s.tier === 'shared').map((s) => s.ip))
    const clients = new Set<string>()
    for (const c of estate.connections()) {
      if (sharedIps.has(c.destinationIp)) clients.add(c.sourceIp)
      if (sharedIps.has(c.sourceIp)) clients.add(c.destinationIp)
    }
    const running = estate.servers.filter((s) => s.powerState === 'on').length
    expect(clients.size / running).toBeGreaterThan(0.9)
  })

  it('rejects options that cannot make an estate', () => {
    expect(() => resolveOptions({servers: 0})).toThrow(RangeError)
    expect(() => resolveOptions({servers: 10, appSize: [5, 2]})).toThrow(RangeError)
    expect(() => resolveOptions({servers: 10, noise: 1.5})).toThrow(RangeError)
    expect(() => resolveOptions({servers: 10, sharedServices: 11})).toThrow(RangeError)
    expect(() => resolveOptions({servers: 10, windowEnd: 'soon'})).toThrow(RangeError)
  })

  it('works for any small option set (property)', () => {
    fc.assert(
      fc.property(
        fc.record({
          servers: fc.integer({min: 1, max: 120}),
          seed: fc.integer({min: 0, max: 1000}),
          min: fc.integer({min: 1, max: 6}),
          extra: fc.integer({min: 0, max: 8}),
          connectionRecords: fc.integer({min: 0, max: 500}),
          noise: fc.double({min: 0, max: 0.2, noNaN: true}),
          sharedServices: fc.integer({min: 0, max: 10}),
          windowsFraction: fc.double({min: 0, max: 1, noNaN: true}),
        }),
        (o) => {
          const sharedServices = Math.min(o.sharedServices, o.servers)
          const e = generateEstate({...o, sharedServices, appSize: [o.min, o.min + o.extra]})
          expect(e.servers).toHaveLength(o.servers)
          expect(e.truth.size).toBe(o.servers)
          let rows = 0
          for (const c of e.connections()) {
            rows++
            expect(c.destinationPort).toBeGreaterThan(0)
          }
          // Every record is emitted unless fewer than two servers run (nothing could talk).
          const running = e.servers.filter((s) => s.powerState === 'on').length
          expect(rows).toBe(running >= 2 ? o.connectionRecords : 0)
          for (const [name, members] of groups(e)) {
            if (!name.startsWith('shared:')) expect(members.length).toBeLessThanOrEqual(o.min + o.extra)
          }
        },
      ),
      {numRuns: 60},
    )
  })
})
