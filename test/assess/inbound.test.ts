/**
 * The workspace streams inbound evidence grouped by (destination, port, client) instead of the
 * aggregated connections (grouped by client, destination, port, protocol). The inbound facts of
 * every server must be the same from either.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {HTTP_PORTS, buildInboundIndex} from '../../src/assess/facts.js'
import {importPaths} from '../../src/importers/run.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, tempDir} from '../helpers/cli.js'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.cleanup())

describe('inbound evidence from the workspace', () => {
  it('inboundConnections gives every server the inbound facts aggregatedConnections gives', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    try {
      await importPaths(ws, [join(ROOT, 'test/fixtures/waves/servers.csv')], {format: 'generic-csv'})
      const extra = join(tmp.dir, 'more.csv')
      // the same client, server and port over tcp and udp, several days, a record without dates
      writeFileSync(
        extra,
        [
          'source_ip,source_port,destination_ip,destination_port,transport_protocol,process_name,count,first_seen,last_seen',
          '10.1.0.10,1,10.1.0.11,8080,tcp,nginx,10,2026-01-01T00:00:00Z,2026-01-03T00:00:00Z',
          '10.1.0.10,2,10.1.0.11,8080,udp,nginx,5,2025-12-30T00:00:00Z,2026-01-02T00:00:00Z',
          '10.1.0.10,3,10.1.0.11,8080,tcp,curl,7,,2026-01-09T12:00:00Z',
          '10.9.9.9,4,10.1.0.11,443,tcp,,3,2026-01-02T00:00:00Z,2026-01-04T00:00:00Z',
          '10.9.9.8,5,10.1.0.11,443,tcp,,1,,',
        ].join('\n') + '\n',
      )
      await importPaths(ws, [join(ROOT, 'test/fixtures/waves/connections.csv'), extra])
      const rows = Array.from(ws.inboundConnections(), (r) => ({...r}))
      expect(rows.reduce((n, r) => n + r.count, 0)).toBe(ws.aggregatedConnections().reduce((n, c) => n + c.count, 0))
      const fromAggregated = buildInboundIndex(ws.aggregatedConnections())
      const fromStream = buildInboundIndex(ws.inboundConnections())
      const servers = ws.servers()
      expect(servers.length).toBeGreaterThan(5)
      let seen = 0
      for (const s of servers) {
        for (const ports of [HTTP_PORTS, new Set([8080]), new Set([5432, 443])]) {
          const want = fromAggregated.get(s, ports)
          expect(fromStream.get(s, ports), s.name).toEqual(want)
          if (want.connections) seen++
        }
      }
      expect(seen).toBeGreaterThan(3)
      const web = servers.find((s) => s.ips?.includes('10.1.0.11'))!
      expect(fromStream.get(web, new Set([8080, 443]))).toMatchObject({
        httpConnections: 5000 + 2 + 10 + 5 + 7 + 3 + 1,
        clients: 4,
        windowDays: 10.5,
      })
    } finally {
      ws.close()
    }
  })
})
