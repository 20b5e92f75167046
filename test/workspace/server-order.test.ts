import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {ImportSink} from '../../src/importers/types.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {tempDir} from '../helpers/cli.js'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.cleanup())

/** SQLite's NOCASE: ASCII letters folded, then compared code by code (these names are all in the BMP). */
const nocase = (s: string): string => s.replace(/[A-Z]/g, (c) => c.toLowerCase())
const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

describe('Workspace.eachServer', () => {
  it('gives every server once, by name (ASCII case folded) then id, whatever order they were stored in', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    const names = ['web02', 'Alpha', 'alpha', 'zed', '_batch', 'émile', 'Beta', 'beta', 'ALPHA', 'db01', 'Zed', 'web10', 'web1']
    const add = (fingerprint: string, list: readonly string[], ip: (i: number) => string) =>
      ws.importSources([
        {
          request: {format: 'generic-csv', path: `${fingerprint}.csv`, fingerprint, kind: 'declared'},
          read: async (sink: ImportSink) => {
            list.forEach((name, i) => sink.server({facts: {hostname: name, ips: [ip(i)]}, ref: `row ${i}`}))
            return {}
          },
        },
      ])
    await add('first', names, (i) => `10.0.0.${i + 1}`)
    // A second source for some of them: those servers store a merge (data), the others are read from their one record.
    const [second] = await add('second', ['zed', 'Alpha', 'web1'], (i) => `10.0.0.${[4, 2, 13][i]}`)
    expect(second!.mergedServers).toBe(3)
    const got = [...ws.eachServer()]
    ws.close()
    expect(got).toHaveLength(names.length)
    expect(new Set(got.map((s) => s.id)).size).toBe(names.length)
    const expected = [...got].sort((a, b) => cmp(nocase(a.name), nocase(b.name)) || cmp(a.id, b.id))
    expect(got.map((s) => s.id)).toEqual(expected.map((s) => s.id))
    expect(got[0]!.name).toBe('_batch')
    expect(got.at(-1)!.name).toBe('émile')
  })
})
