/**
 * looksLikeIp runs twice per connection row (millions of rows), so its IPv4 check is a character
 * scan. It must accept and refuse exactly what the regular-expression definition did.
 */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {looksLikeIp} from '../../src/importers/connections-csv.js'

/** The definition before the scan. */
const reference = (s: string): boolean =>
  /^\d{1,3}(\.\d{1,3}){3}$/.test(s) ? s.split('.').every((o) => Number(o) <= 255) : /^[0-9a-f:.]+$/i.test(s) && s.includes(':')

describe('looksLikeIp', () => {
  it.each([
    ['10.0.0.1', true],
    ['255.255.255.255', true],
    ['0.0.0.0', true],
    ['001.002.003.004', true],
    ['256.1.1.1', false],
    ['1.2.3.256', false],
    ['1.2.3', false],
    ['1.2.3.4.5', false],
    ['1..2.3', false],
    ['.1.2.3', false],
    ['1.2.3.', false],
    ['1234.1.1.1', false],
    ['1.2.3.4 ', false],
    ['fe80::1', true],
    ['::ffff:10.0.0.1', true],
    ['', false],
    ['host.example', false],
  ])('%j → %s', (s, want) => {
    expect(looksLikeIp(s)).toBe(want)
    expect(reference(s)).toBe(want)
  })

  it('agrees with the regular-expression definition on random dotted and coloned texts', () => {
    const part = fc.oneof(fc.integer({min: 0, max: 999}).map(String), fc.constantFrom('', '0', '00', '1000', 'a', ' ', '-1', '٣'))
    const text = fc.oneof(
      fc.array(part, {minLength: 1, maxLength: 6}).map((p) => p.join('.')),
      fc.array(part, {minLength: 1, maxLength: 6}).map((p) => p.join(':')),
      fc.string({maxLength: 20}),
    )
    fc.assert(
      fc.property(text, (s) => looksLikeIp(s) === reference(s)),
      {numRuns: 5000, seed: 20_261_130},
    )
  })
})
