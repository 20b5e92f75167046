import {readdirSync, readFileSync, statSync} from 'node:fs'
import {join} from 'node:path'

import {parse} from 'csv-parse/sync'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {importPaths} from '../../src/importers/run.js'
import {agentFileSchema} from '../../src/model/agent-file.js'
import type {Server} from '../../src/model/server.js'
import {generateEstate} from '../../src/synth/estate.js'
import {byteSwapUuid, writeAgentFiles} from '../../src/synth/writers/agent.js'
import {AWS_IMPORT_TEMPLATE_HEADER, writeAwsImportTemplate} from '../../src/synth/writers/aws-template.js'
import {CONNECTIONS_CSV_HEADER, writeConnectionsCsv} from '../../src/synth/writers/connections-csv.js'
import {writeRvtoolsCsv} from '../../src/synth/writers/rvtools-csv.js'
import {writeRvtoolsXlsx} from '../../src/synth/writers/rvtools-xlsx.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, tempDir} from '../helpers/cli.js'

const estate = generateEstate({servers: 160, connectionRecords: 4000, seed: 11, sharedServices: 9})
const vms = estate.servers
const templates = estate.templates ?? []
let tmp: ReturnType<typeof tempDir>
const out = (p: string): string => join(tmp.dir, 'out', p)

beforeAll(async () => {
  tmp = tempDir('mp-synth-')
  const {mkdirSync} = await import('node:fs')
  mkdirSync(out('rvtools-csv'), {recursive: true})
  await writeRvtoolsXlsx(estate, out('RVTools_export.xlsx'))
  await writeRvtoolsCsv(estate, out('rvtools-csv'))
  await writeConnectionsCsv(estate, out('connections.csv'))
  await writeAwsImportTemplate(estate, out('aws-import-template.csv'))
  // Every third Linux server reads its UUID byte-swapped, as older VMware virtual hardware shows it.
  await writeAgentFiles(estate, out('agents'), {
    swapUuid: (s) => s.osFamily === 'linux' && Number(s.moref.slice(3)) % 3 === 0,
    batchSize: 50,
  })
})
afterAll(() => tmp.cleanup())

async function importInto(name: string, paths: readonly string[]): Promise<{servers: Server[]; connections: number; ws: Workspace}> {
  const ws = Workspace.open(join(tmp.dir, name), {create: true})
  await importPaths(ws, paths, {cwd: ROOT})
  return {servers: ws.servers(), connections: ws.connectionCount(), ws}
}

const byName = (servers: readonly Server[]): Map<string, Server> => new Map(servers.map((s) => [s.vmName ?? s.hostname ?? s.name, s]))

describe('synthetic estate writers, read back by the importers', () => {
  it('RVTools xlsx: one server per VM, templates skipped, sizes as generated', async () => {
    const {servers, ws} = await importInto('ws-xlsx', [out('RVTools_export.xlsx')])
    ws.close()
    expect(servers).toHaveLength(vms.length)
    expect(templates.length).toBeGreaterThan(0)
    const got = byName(servers)
    for (const t of templates) expect(got.has(t.name)).toBe(false)
    for (const vm of vms) {
      const s = got.get(vm.name)!
      expect(s, vm.name).toBeDefined()
      expect(s.vcpus).toBe(vm.vcpus)
      expect(s.memoryMib).toBe(vm.memoryMib)
      expect(s.biosUuid).toBe(vm.uuid)
      expect(s.vmMoref).toBe(vm.moref)
      expect(s.powerState).toBe(vm.powerState)
      expect(s.disks?.map((d) => d.sizeGib)).toEqual(vm.disksGib)
      expect(s.macs).toEqual([vm.mac])
      if (vm.powerState === 'on') {
        expect(s.ips).toEqual([vm.ip])
        expect(s.fqdn).toBe(vm.fqdn)
        expect(s.filesystems?.map((f) => f.mount)).toEqual(vm.partitions?.map((p) => p.mount))
      }
      expect(s.tags?.Application).toBe(vm.attributes?.Application)
      expect(s.environment).toBe(vm.environment)
    }
  })

  it('RVTools per-tab CSVs read back to the same servers as the workbook', async () => {
    const files = readdirSync(out('rvtools-csv')).sort()
    expect(files).toEqual(
      ['vCPU', 'vDisk', 'vHost', 'vInfo', 'vMemory', 'vMetaData', 'vNetwork', 'vPartition'].map((t) => `RVTools_tab${t}.csv`).sort(),
    )
    const csv = await importInto('ws-csv', [out('rvtools-csv')])
    const xlsx = await importInto('ws-xlsx2', [out('RVTools_export.xlsx')])
    const strip = (s: Server) => ({...s, provenance: undefined, sourceIds: undefined})
    expect(csv.servers.map(strip)).toEqual(xlsx.servers.map(strip))
    csv.ws.close()
    xlsx.ws.close()
  })

  it('connections CSV: every record imported, with its columns', async () => {
    const text = readFileSync(out('connections.csv'), 'utf8')
    const rows = parse(text, {columns: true}) as Record<string, string>[]
    expect(Object.keys(rows[0]!)).toEqual([...CONNECTIONS_CSV_HEADER])
    expect(rows).toHaveLength(4000)
    const first = estate.connections()[Symbol.iterator]().next().value!
    expect(rows[0]).toMatchObject({source_ip: first.sourceIp, destination_port: String(first.destinationPort), count: String(first.count)})
    const {connections, ws} = await importInto('ws-conn', [out('connections.csv')])
    expect(connections).toBe(4000)
    const total = ws.aggregatedConnections().reduce((a, c) => a + c.count, 0)
    let expected = 0
    for (const c of estate.connections()) expected += c.count
    expect(total).toBe(expected)
    ws.close()
  })

  it('AWS Migration Hub import template: the 32 documented columns, one server per row', async () => {
    const text = readFileSync(out('aws-import-template.csv'), 'utf8')
    const header = text.slice(0, text.indexOf('\n')).split(',')
    expect(header).toEqual([...AWS_IMPORT_TEMPLATE_HEADER])
    expect(header).toHaveLength(32)
    const {servers, ws} = await importInto('ws-aws', [out('aws-import-template.csv')])
    ws.close()
    expect(servers).toHaveLength(vms.length)
    const got = new Map(servers.map((s) => [s.biosUuid, s]))
    for (const vm of vms) {
      const s = got.get(vm.uuid)!
      expect(s.memoryMib, vm.name).toBe(vm.memoryMib)
      expect(s.vcpus).toBe(vm.vcpus)
      if (vm.powerState === 'on') expect(s.cpuUtilisation?.avg).toBeCloseTo(vm.utilisation.cpuPct.avg!, 5)
      else expect(s.cpuUtilisation).toBeUndefined()
    }
  })

  it('agent files validate against the schema and merge with the RVTools rows, byte-swapped UUIDs included', async () => {
    const files = readdirSync(out('agents'))
    const running = vms.filter((s) => s.powerState === 'on')
    expect(files).toHaveLength(running.length)
    let swapped = 0
    for (const f of files) {
      const doc = agentFileSchema.parse(JSON.parse(readFileSync(out(`agents/${f}`), 'utf8')))
      const vm = vms.find((s) => s.ip === doc.host.ips[0])!
      if (doc.host.systemUuid?.toLowerCase() !== vm.uuid) {
        expect(doc.host.systemUuid?.toLowerCase()).toBe(byteSwapUuid(vm.uuid))
        swapped++
      }
      // Connections are the server's own, seen from its side.
      for (const c of doc.connections) expect(c.localIp).toBe(vm.ip)
    }
    expect(swapped).toBeGreaterThan(3)
    const {servers, ws} = await importInto('ws-all', [out('RVTools_export.xlsx'), out('agents')])
    ws.close()
    expect(servers).toHaveLength(vms.length)
    for (const s of servers.filter((x) => x.powerState === 'on')) {
      expect(s.sourceIds, s.name).toHaveLength(2)
      expect(s.provenance.cpuUtilisation?.[0]?.kind).toBe('measured')
    }
  })

  it('the workbook is byte-identical when written again, with fixed zip and document dates', async () => {
    const again = join(tmp.dir, 'again.xlsx')
    await writeRvtoolsXlsx(estate, again)
    expect(readFileSync(again).equals(readFileSync(out('RVTools_export.xlsx')))).toBe(true)
    expect(statSync(again).size).toBeGreaterThan(10_000)
    // The core properties carry the estate's date, not the time of writing.
    const {default: yauzl} = await import('yauzl')
    const core = await new Promise<string>((resolve, reject) => {
      yauzl.open(again, {lazyEntries: true}, (err, zip) => {
        if (err) return reject(err)
        zip.on('entry', (e: import('yauzl').Entry) => {
          if (e.getLastModDate().getUTCFullYear() !== 2026) reject(new Error(`${e.fileName} dated ${e.getLastModDate().toISOString()}`))
          if (e.fileName !== 'docProps/core.xml') return zip.readEntry()
          zip.openReadStream(e, (err2, stream) => {
            if (err2) return reject(err2)
            const chunks: Buffer[] = []
            stream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8')))
          })
        })
        zip.readEntry()
      })
    })
    expect(core).toContain('<dcterms:created xsi:type="dcterms:W3CDTF">2026-01-19T00:00:00Z</dcterms:created>')
  })
})
