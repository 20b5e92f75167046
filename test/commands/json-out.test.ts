import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {prettyJsonPieces, writePrettyJson} from '../../src/cli/json-out.js'
import {jsonPieces, jsonUtf8Parts} from '../../src/util/json-pieces.js'

const pretty = (v: unknown): string => [...prettyJsonPieces(v)].join('')

/** All the parts of `jsonUtf8Parts`, joined. */
function jsonUtf8(value: unknown, partBytes = 1 << 20): Buffer {
  const parts: Buffer[] = []
  jsonUtf8Parts(value, partBytes, (b) => parts.push(Buffer.from(b)))
  return Buffer.concat(parts)
}

describe('--json output in pieces', () => {
  it('is JSON.stringify(value, null, 2) for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 6}), (v) => pretty(v) === JSON.stringify(v, null, 2)),
      {numRuns: 2000, seed: 20_261_130},
    )
  })

  it('drops undefined and function properties, turns them into null in arrays, and calls toJSON', () => {
    const v = {
      a: undefined,
      b: [undefined, () => 1, {c: undefined, d: 'x\ny "q"'}],
      when: new Date(Date.UTC(2026, 10, 30)),
      nested: {deeper: {deepest: [1, {e: undefined}, [], {}]}},
      empty: [],
      none: {},
      f: () => 2,
    }
    expect(pretty(v)).toBe(JSON.stringify(v, null, 2))
    expect(pretty([undefined])).toBe(JSON.stringify([undefined], null, 2))
  })

  it('writes a document larger than one write in several chunks that join to the same text', () => {
    const doc = {
      schemaVersion: '1',
      servers: Array.from({length: 20_000}, (_, i) => ({id: `srv-${i}`, tags: {env: 'prod'}, n: [i, i / 3]})),
    }
    const chunks: string[] = []
    writePrettyJson(doc, (c) => chunks.push(c))
    expect(chunks.length).toBeGreaterThan(1)
    expect(chunks.join('')).toBe(`${JSON.stringify(doc, null, 2)}\n`)
  })

  it('compact pieces are JSON.stringify(value), and their UTF-8 bytes in parts, for any JSON value', () => {
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 6}), (v) => {
        const want = JSON.stringify(v)
        return [...jsonPieces(v)].join('') === want && jsonUtf8(v).equals(Buffer.from(want, 'utf8'))
      }),
      {numRuns: 2000, seed: 20_261_130},
    )
  })

  it('parts across many chunks, with characters outside Latin-1 and astral ones', () => {
    const doc = {
      schemaVersion: '1',
      servers: Array.from({length: 60_000}, (_, i) => ({
        id: `srv-${i}`,
        message: i % 7 === 0 ? 'PostgreSQL → Aurora 😀 – é' : 'plain',
        n: i / 7,
      })),
    }
    const bytes = jsonUtf8(doc)
    expect(bytes.length).toBeGreaterThan(1 << 21)
    expect(bytes.equals(Buffer.from(JSON.stringify(doc), 'utf8'))).toBe(true)
  })

  it('jsonUtf8Parts hands on the same bytes in parts of at most the given size, never cutting a character', () => {
    const doc = {
      schemaVersion: '1',
      servers: Array.from({length: 30_000}, (_, i) => ({id: `srv-${i}`, message: i % 5 === 0 ? 'PostgreSQL → Aurora 😀 – é' : 'plain'})),
    }
    const want = Buffer.from(JSON.stringify(doc), 'utf8')
    for (const size of [4, 7, 4096, 1 << 20, want.length, want.length + 1]) {
      const parts: Buffer[] = []
      const n = jsonUtf8Parts(doc, size, (b) => parts.push(Buffer.from(b)))
      expect(n).toBe(parts.length)
      expect(n).toBeGreaterThanOrEqual(Math.ceil(want.length / size))
      expect(parts.every((p) => p.length > 0 && p.length <= size)).toBe(true)
      // Every part is whole UTF-8: no character is cut between two parts.
      expect(parts.every((p) => Buffer.from(p.toString('utf8'), 'utf8').equals(p))).toBe(true)
      expect(Buffer.concat(parts).equals(want)).toBe(true)
    }
    expect(() => jsonUtf8Parts(doc, 3, () => {})).toThrow(RangeError)
    fc.assert(
      fc.property(fc.jsonValue({maxDepth: 4}), fc.integer({min: 4, max: 64}), (v, size) => {
        const parts: Buffer[] = []
        jsonUtf8Parts(v, size, (b) => parts.push(Buffer.from(b)))
        return Buffer.concat(parts).equals(Buffer.from(JSON.stringify(v), 'utf8'))
      }),
      {numRuns: 500, seed: 20_261_130},
    )
  })
})
