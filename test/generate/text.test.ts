import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {plainText} from '../../src/generate/common/text.js'
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
