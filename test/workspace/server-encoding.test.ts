import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import type {Provenance, Server} from '../../src/model/server.js'
import {decodeServer, encodeServer} from '../../src/workspace/workspace.js'

const rv: Provenance = {
  sourceId: 1,
  format: 'rvtools',
  file: 'RVTools_export.xlsx',
  ref: 'vInfo!12',
  kind: 'declared',
  observedAt: '2026-01-19T00:00:00Z',
}
const agent: Provenance = {sourceId: 2, format: 'agent', file: 'agents/web01.json', kind: 'measured', observedAt: '2026-02-02T00:00:00Z'}

const server: Server = {
  id: 'srv-0123456789',
  name: 'web01',
  hostname: 'web01',
  vcpus: 4,
  memoryMib: 8192,
  ips: ['10.0.0.1'],
  sourceIds: [1, 2],
  provenance: {hostname: [agent, rv], vcpus: [agent], memoryMib: [rv], ips: [agent, rv]},
  flags: [],
}

describe('stored form of merged servers', () => {
  it('stores each provenance entry once and decodes to the same server, key order included', () => {
    const stored = encodeServer(server)
    expect(stored.split('"RVTools_export.xlsx"')).toHaveLength(2)
    expect(stored.length).toBeLessThan(JSON.stringify(server).length)
    const back = decodeServer(stored)
    expect(back).toEqual(server)
    expect(JSON.stringify(back)).toBe(JSON.stringify(server))
  })

  it('reads rows stored in the plain form', () => {
    expect(decodeServer(JSON.stringify(server))).toEqual(server)
  })

  it('round-trips any provenance (property)', () => {
    const prov = fc.record(
      {
        sourceId: fc.integer({min: 1, max: 5}),
        format: fc.constantFrom('rvtools', 'agent', 'aws-import-template'),
        file: fc.string(),
        ref: fc.string(),
        kind: fc.constantFrom('declared' as const, 'reported' as const, 'measured' as const),
        observedAt: fc.constantFrom('2026-01-19T00:00:00Z', '2026-02-02T00:00:00Z'),
      },
      {requiredKeys: ['sourceId', 'format', 'file', 'kind']},
    )
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom('vcpus', 'memoryMib', 'ips', 'osName', 'hostname', 'tags'), fc.array(prov, {maxLength: 4})),
        (p) => {
          const s = {...server, provenance: p} as Server
          expect(JSON.stringify(decodeServer(encodeServer(s)))).toBe(JSON.stringify(s))
        },
      ),
    )
  })
})
