import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {Interner, byPriority} from '../../src/assess/strategy.js'

/** The definition Interner.shared replaces: one key string per call, objects numbered by identity. */
function referenceShared(): (parts: readonly unknown[], make: () => object) => object {
  const byKey = new Map<string, object>()
  const ids = new WeakMap<object, number>()
  let nextId = 1
  return (parts, make) => {
    let key = ''
    for (const p of parts) {
      if (p !== null && typeof p === 'object') {
        let id = ids.get(p)
        if (id === undefined) ids.set(p, (id = nextId++))
        key += `#${id}\u0000`
      } else key += `${typeof p}:${String(p)}\u0000`
    }
    let x = byKey.get(key)
    if (!x) byKey.set(key, (x = Object.freeze(make())))
    return x
  }
}

describe('Interner.shared', () => {
  it('shares exactly when the key string of the previous definition is the same', () => {
    const objects = [{a: 1}, {a: 1}, [1], []]
    const part = fc.oneof(
      fc.constantFrom(undefined, null, true, false, 0, -0, 1, 1.5, NaN, '0', '1', '', 'ec2', 'undefined', 'null'),
      fc.constantFrom(...objects),
    )
    fc.assert(
      fc.property(fc.array(fc.array(part, {maxLength: 4}), {maxLength: 30}), (calls) => {
        const intern = new Interner()
        const reference = referenceShared()
        const got = calls.map((parts, i) => intern.shared('k', parts, () => ({i})))
        const want = calls.map((parts, i) => reference(parts, () => ({i})))
        for (let i = 0; i < calls.length; i++) {
          expect(got[i]).toEqual(want[i])
          for (let j = 0; j < i; j++) expect(got[i] === got[j]).toBe(want[i] === want[j])
        }
      }),
      {numRuns: 2000},
    )
  })
})

describe('byPriority', () => {
  it('orders as the sort by priority, then rule order, it replaces', () => {
    const priority = fc.option(fc.oneof(fc.integer({min: -3, max: 3}), fc.constantFrom(-0, 0.5, 100)), {nil: undefined})
    fc.assert(
      fc.property(fc.array(priority, {maxLength: 8}), (priorities) => {
        const firings = priorities.map((p, order) => ({rule: p === undefined ? {} : {priority: p}, order}))
        const want = [...firings].sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.order - b.order)
        expect(byPriority([...firings])).toEqual(want)
      }),
      {numRuns: 3000},
    )
  })
})
