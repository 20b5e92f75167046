/** The text helpers against their plain definitions, on random text full of what they remove. */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {asciiFold, pascal, plainText} from '../../src/generate/common/text.js'

const CONTROL = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu

/** plainText as first written: every replacement on every string, then a cut by code point. */
function plainTextDefinition(s: string, max = 255): string {
  const flat = s
    .normalize('NFC')
    .replace(CONTROL, ' ')
    .replace(/\{\{/g, '{ {')
    .replace(/\}\}/g, '} }')
    .replace(/\$\{/g, '$ {')
    .replace(/\s+/g, ' ')
    .trim()
  return [...flat].slice(0, max).join('').trim()
}

/** pascal as first written. */
const pascalDefinition = (s: string): string =>
  asciiFold(s)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')

describe('pascal', () => {
  it('property: the same as its definition', () => {
    const pieces = ['a', 'Z', 'shop', 'Web', '0', '12', '-', '_', ' ', '.', 'é', 'ß', 'ﬁ', '😀', '\u0000', '']
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...pieces), {maxLength: 12}), (a) => {
        expect(pascal(a.join(''))).toBe(pascalDefinition(a.join('')))
      }),
      {numRuns: 3000, seed: 20261130},
    )
    for (const s of ['ShopWeb01', 'shopWeb', 'Ingress', '12', 'x', '']) expect(pascal(s)).toBe(pascalDefinition(s))
  })
})

describe('plainText', () => {
  it('property: the same as its definition, for any text and length', () => {
    const pieces = [
      ...['a', 'Z', '0', '-', '_', '.', ':', '#', '!', '~', '{', '}', '{{', '}}', '$', '${', ' ', '  ', '\t', '\n', '\r\n', '\u00a0'],
      ...[
        '\u0000',
        '\u001f',
        '\u007f',
        '\u0085',
        '\u200b',
        '\u202e',
        '\u2066',
        '\ufeff',
        '\u2028',
        'é',
        'e\u0301',
        'ﬁ',
        '😀',
        '\ud800',
        '日本',
      ],
    ]
    const text = fc.array(fc.constantFrom(...pieces), {maxLength: 40}).map((a) => a.join(''))
    fc.assert(
      fc.property(text, fc.integer({min: 0, max: 60}), (s, max) => {
        expect(plainText(s, max)).toBe(plainTextDefinition(s, max))
        expect(plainText(s)).toBe(plainTextDefinition(s))
      }),
      {numRuns: 5000, seed: 20261130},
    )
  })

  it('keeps printable ASCII as it is and cuts it at max', () => {
    expect(plainText('shop-web01 (prod), tier: web')).toBe('shop-web01 (prod), tier: web')
    expect(plainText('a'.repeat(300))).toBe('a'.repeat(255))
    expect(plainText(' x  y ')).toBe('x y')
    expect(plainText('${AWS::Region} {{resolve:x}}')).toBe('$ {AWS::Region} { {resolve:x} }')
  })
})
