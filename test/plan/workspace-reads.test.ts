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
  it('planningServers returns the planning facts of servers(), without provenance; connectionRows streams every record', async () => {
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
      expect(rows).toHaveLength(ws.connectionCount())
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
