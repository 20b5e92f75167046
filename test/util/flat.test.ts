import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {flat} from '../../src/util/flat.js'

/** A template literal's text: each cooked piece, with each value converted as `${value}` does. */
const templateText = (strings: readonly string[], values: readonly unknown[]): string =>
  strings.reduce((text, s, i) => (i === 0 ? s : `${text}${values[i - 1] as string}${s}`), '')

const asTemplate = (strings: string[]): TemplateStringsArray => Object.assign([...strings], {raw: [...strings]})

describe('flat', () => {
  it('gives the text of the same template literal', () => {
    const value = fc.oneof(
      fc.string(),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom(undefined, null, -0, NaN, Infinity),
      fc.array(fc.oneof(fc.integer(), fc.string()), {maxLength: 3}),
    )
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.string(), value), {maxLength: 8}), fc.string(), (pairs, last) => {
        const strings = [...pairs.map(([s]) => s), last]
        const values = pairs.map(([, v]) => v)
        expect(flat(asTemplate(strings), ...values)).toBe(templateText(strings, values))
      }),
      {numRuns: 3000},
    )
  })
  it('as a tag', () => {
    const note = 'p95'
    const pct = 37.4
    expect(flat`${note} ${pct}% of ${4} ${'vCPU'}${undefined}${null}`).toBe(`${note} ${pct}% of ${4} ${'vCPU'}${undefined}${null}`)
  })
})
