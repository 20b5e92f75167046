import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {asciiFold, pascal, plainText} from '../../src/generate/common/text.js'
import {markdownText} from '../../src/generate/templates.js'

/** plainText as it was before its fast path for text that needs no change: the oracle. */
function slowPlainText(s: string, max = 255): string {
  const flat = s
    .normalize('NFC')
    .replace(/[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu, ' ')
    .replace(/\{\{/g, '{ {')
    .replace(/\}\}/g, '} }')
    .replace(/\$\{/g, '$ {')
    .replace(/\s+/g, ' ')
    .trim()
  return [...flat].slice(0, max).join('').trim()
}

describe('plainText', () => {
  it.each([
    ['web01.example.com', 'web01.example.com'],
    ['', ''],
    [' lead', 'lead'],
    ['trail ', 'trail'],
    ['two  spaces', 'two spaces'],
    ['{{resolve:ssm:x}}', '{ {resolve:ssm:x} }'],
    ['${AWS::Region}', '$ {AWS::Region}'],
    ['{{{', '{ {{'],
    ['tab\there', 'tab here'],
    ['Zürich', 'Zürich'],
  ])('%j → %j', (input, expected) => {
    expect(plainText(input)).toBe(expected)
  })

  it('cuts to max characters', () => {
    expect(plainText('abcdef', 4)).toBe('abcd')
    expect(plainText('abc def', 4)).toBe('abc')
  })

  it('property: the same as the full set of passes, for ASCII-heavy and arbitrary text', () => {
    const ascii = fc.string({unit: fc.constantFrom('a', 'Z', '0', ' ', '{', '}', '$', '-', '\t', '\n', '~', '\u007f', 'é')})
    fc.assert(
      fc.property(fc.oneof(ascii, fc.string(), fc.string({unit: 'grapheme'})), fc.integer({min: 0, max: 12}), (s, max) => {
        expect(plainText(s, max)).toBe(slowPlainText(s, max))
        expect(plainText(s)).toBe(slowPlainText(s))
      }),
      {numRuns: 2000, seed: 20261130},
    )
  })
})

describe('markdownText', () => {
  it('property: the same as escaping every character class, with or without anything to escape', () => {
    const slow = (v: unknown): string =>
      v === undefined || v === null
        ? ''
        : String(v)
            .replace(/\r?\n|\r/g, ' ')
            .replace(/&/g, '&amp;')
            .replace(/</g, '&lt;')
            .replace(/>/g, '&gt;')
            .replace(/[\\`*_[\]|~]/g, (c) => `\\${c}`)
    const unit = fc.constantFrom('a', ' ', '\r', '\n', '&', '<', '>', '\\', '`', '*', '_', '[', ']', '|', '~', 'é')
    fc.assert(
      fc.property(fc.oneof(fc.string({unit}), fc.string(), fc.integer(), fc.constant(undefined), fc.constant(null)), (v) => {
        expect(markdownText(v)).toBe(slow(v))
      }),
      {numRuns: 1000, seed: 20261130},
    )
  })
})

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

describe('plainText on text built from what it removes', () => {
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
        expect(plainText(s, max)).toBe(slowPlainText(s, max))
        expect(plainText(s)).toBe(slowPlainText(s))
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
