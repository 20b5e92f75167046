import {describe, expect, it} from 'vitest'

import {Random} from '../../src/synth/random.js'

const draw = (r: Random, n: number): number[] => Array.from({length: n}, () => r.uint32())

describe('Random (sfc32)', () => {
  it('gives the same sequence for the same seed and a different one for another seed', () => {
    expect(draw(new Random(1), 50)).toEqual(draw(new Random(1), 50))
    expect(draw(new Random('acme'), 50)).toEqual(draw(new Random('acme'), 50))
    expect(draw(new Random(1), 50)).not.toEqual(draw(new Random(2), 50))
  })

  it('forks independent streams without advancing the parent', () => {
    const a = new Random(7)
    const b = new Random(7)
    const child = a.fork('connections')
    draw(child, 10)
    expect(draw(a, 5)).toEqual(draw(b, 5))
    expect(draw(new Random(7).fork('x'), 5)).toEqual(draw(new Random(7).fork('x'), 5))
    expect(draw(new Random(7).fork('x'), 5)).not.toEqual(draw(new Random(7).fork('y'), 5))
  })

  it('keeps draws in range and reasonably uniform', () => {
    const r = new Random(3)
    const counts = new Array<number>(6).fill(0)
    for (let i = 0; i < 60_000; i++) {
      const x = r.int(1, 6)
      expect(x).toBeGreaterThanOrEqual(1)
      expect(x).toBeLessThanOrEqual(6)
      counts[x - 1]!++
      const f = r.next()
      expect(f).toBeGreaterThanOrEqual(0)
      expect(f).toBeLessThan(1)
    }
    for (const c of counts) expect(Math.abs(c - 10_000)).toBeLessThan(500)
  })

  it('picks by weight', () => {
    const r = new Random(5)
    let a = 0
    for (let i = 0; i < 20_000; i++)
      if (
        r.weighted([
          ['a', 3],
          ['b', 1],
        ] as const) === 'a'
      )
        a++
    expect(a / 20_000).toBeGreaterThan(0.72)
    expect(a / 20_000).toBeLessThan(0.78)
    expect(() => r.pick([])).toThrow()
  })
})
