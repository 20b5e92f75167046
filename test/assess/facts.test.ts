import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {uniqueSorted} from '../../src/assess/facts.js'

/** The definition uniqueSorted replaces. */
const reference = <T extends string | number>(xs: readonly T[]): T[] => [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))

describe('uniqueSorted', () => {
  it('equals [...new Set(xs)].sort() for lists of ports', () => {
    const port = fc.oneof(fc.integer({min: 0, max: 65535}), fc.constantFrom(80, 443, 8080, 22), fc.double({noNaN: true}))
    fc.assert(
      fc.property(fc.array(port, {maxLength: 40}), (xs) => {
        expect(uniqueSorted(xs)).toEqual(reference(xs))
      }),
      {numRuns: 3000},
    )
  })
  it('equals [...new Set(xs)].sort() for lists of names', () => {
    const name = fc.oneof(
      fc.constantFrom('nginx', 'postgresql', 'iis', 'Nginx', ''),
      fc.string({maxLength: 6}),
      fc.string({unit: 'binary', maxLength: 4}),
    )
    fc.assert(
      fc.property(fc.array(name, {maxLength: 40}), (xs) => {
        expect(uniqueSorted(xs)).toEqual(reference(xs))
      }),
      {numRuns: 3000},
    )
  })
})
