import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {importPaths} from '../../src/importers/run.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, tempDir} from '../helpers/cli.js'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.cleanup())

describe('workspace reads for wave planning', () => {
  it('planningServers returns the planning facts of servers(), without provenance; connectionRows streams every record, grouped', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    try {
      await importPaths(ws, [join(ROOT, 'test/fixtures/waves/servers.csv')], {format: 'generic-csv'})
      await importPaths(ws, [join(ROOT, 'test/fixtures/waves/connections.csv'), join(ROOT, 'test/fixtures/agent/web01.json')])
      const full = ws.servers()
      const slim = ws.planningServers()
      expect(slim.map((s) => s.id)).toEqual(full.map((s) => s.id).sort())
      for (const s of slim) {
        const f = full.find((x) => x.id === s.id)!
        expect(s).not.toHaveProperty('provenance')
        expect(s).toEqual({
          id: f.id,
          name: f.name,
          ...Object.fromEntries(
            (
              [
                'ips',
                'nics',
                'listeners',
                'applications',
                'tags',
                'folder',
                'description',
                'environment',
                'criticality',
                'software',
                'osFamily',
                'flags',
              ] as const
            )
              .filter((k) => f[k] !== undefined)
              .map((k) => [k, f[k]]),
          ),
        })
      }
      const rows = Array.from(ws.connectionRows(), (r) => ({...r})) // the row object is reused: copy while iterating
      expect(rows.reduce((n, r) => n + r.records, 0)).toBe(ws.connectionCount())
      expect(rows).toContainEqual(
        expect.objectContaining({
          sourceIp: '10.1.0.11',
          destinationIp: '10.1.0.12',
          destinationPort: 5432,
          protocol: 'tcp',
          count: 20000,
          process: 'java',
        }),
      )
      expect(slim.find((s) => s.name === 'web01')!.listeners).toHaveLength(2)
    } finally {
      ws.close()
    }
  })
})

describe('connectionRows groups repeated records', () => {
  it('sums counts and bytes of records with the same endpoints, port, protocol and process, and says how many they were', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    try {
      const csv = join(tmp.dir, 'conns.csv')
      writeFileSync(
        csv,
        [
          'source_ip,source_port,destination_ip,destination_port,transport_protocol,process_name,count,bytes',
          '10.0.0.1,50001,10.0.0.2,5432,tcp,java,3,100',
          '10.0.0.1,50002,10.0.0.2,5432,tcp,java,4,',
          '10.0.0.1,50003,10.0.0.2,5432,tcp,java,5,20',
          '10.0.0.1,50004,10.0.0.2,5432,tcp,python,1,',
          '10.0.0.1,50005,10.0.0.2,5432,udp,java,2,',
          '10.0.0.3,50006,10.0.0.2,5432,tcp,,6,',
          '10.0.0.3,50007,10.0.0.2,5432,tcp,,1,',
        ].join('\n') + '\n',
      )
      await importPaths(ws, [csv])
      const key = (r: {sourceIp: string; protocol: string; process?: string}): string => `${r.sourceIp} ${r.protocol} ${r.process}`
      const rows = Array.from(ws.connectionRows(), (r) => ({...r})).sort((a, b) => (key(a) < key(b) ? -1 : 1))
      const base = {destinationIp: '10.0.0.2', destinationPort: 5432}
      expect(rows).toEqual(
        [
          {...base, sourceIp: '10.0.0.1', protocol: 'tcp', process: 'java', count: 12, bytes: 120, records: 3},
          {...base, sourceIp: '10.0.0.1', protocol: 'tcp', process: 'python', count: 1, bytes: undefined, records: 1},
          {...base, sourceIp: '10.0.0.1', protocol: 'udp', process: 'java', count: 2, bytes: undefined, records: 1},
          {...base, sourceIp: '10.0.0.3', protocol: 'tcp', process: undefined, count: 7, bytes: undefined, records: 2},
        ].sort((a, b) => (key(a) < key(b) ? -1 : 1)),
      )
      expect(ws.connectionCount()).toBe(7)
    } finally {
      ws.close()
    }
  })
})
