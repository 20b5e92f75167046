import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {byServer} from '../../src/workspace/workspace.js'

type Row = readonly [serverId: string, position: number]

/** Ids as the workspace makes them (`srv-` + hex), some sharing their first 8 digits, and some of other forms. */
const serverId = fc.oneof(
  fc.stringMatching(/^srv-[0-9a-f]{10}$/),
  fc.constantFrom('srv-00000000aa', 'srv-00000000ab', 'srv-ffffffff01'),
  fc.stringMatching(/^srv-[0-9a-z-]{0,12}$/),
  fc.string({maxLength: 14}),
)

function check(ids: readonly string[]): readonly Row[] {
  const rows: Row[] = ids.map((id, i) => [id, i])
  const out = byServer(rows)
  // The same rows, each once.
  expect([...out].sort((a, b) => a[1] - b[1])).toEqual(rows)
  // A server's records keep their order.
  const last = new Map<string, number>()
  for (const [id, position] of out) {
    expect(position).toBeGreaterThan(last.get(id) ?? -1)
    last.set(id, position)
  }
  return out
}

describe('byServer: the order records are written in', () => {
  it('is a permutation that keeps each server’s records in order, grouped by server id (its first 12 characters when packed)', () => {
    fc.assert(
      fc.property(fc.array(serverId, {maxLength: 300}), (ids) => {
        const out = check(ids)
        const packed = ids.every((id) => /^srv-[0-9a-f]{8}/.test(id))
        const key = (id: string): string => (packed ? id.slice(0, 12) : id)
        for (let i = 1; i < out.length; i++) expect(key(out[i - 1]![0]) <= key(out[i]![0])).toBe(true)
      }),
    )
  })

  it('sorts workspace ids exactly as the string comparison does when their first 8 digits differ', () => {
    const ids = Array.from(
      {length: 5000},
      (_, i) => `srv-${((i * 2654435761) >>> 0).toString(16).padStart(8, '0')}${(i % 256).toString(16).padStart(2, '0')}`,
    )
    const twice = [...ids, ...ids.slice(0, 1000)]
    const out = check(twice)
    expect(out.map((r) => r[0])).toEqual([...twice].sort())
  })
})
