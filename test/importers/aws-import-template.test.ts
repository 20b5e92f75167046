import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {UserInputError} from '../../src/errors.js'
import {AWS_TEMPLATE_FIELDS} from '../../src/importers/aws-import-template.js'
import {importPaths, type ImportRunOptions} from '../../src/importers/run.js'
import type {Server} from '../../src/model/server.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const FIXTURE = join(ROOT, 'test/fixtures/aws-import-template/servers.csv')
const HEADER = AWS_TEMPLATE_FIELDS.join(',')

let tmp: ReturnType<typeof tempDir>
let ws: Workspace
beforeEach(() => {
  tmp = tempDir()
  ws = Workspace.open(join(tmp.dir, 'ws'), {create: true})
})
afterEach(() => {
  ws.close()
  tmp.cleanup()
})

const run = (paths: string[], opts: ImportRunOptions = {}) => importPaths(ws, paths, {cwd: ROOT, ...opts})
const byName = (name: string): Server => ws.servers().find((s) => s.name === name)!
const state = () => ({sources: ws.sources().length, servers: ws.serverCount(), connections: ws.connectionCount(), all: ws.servers()})

/** A template file with the given rows; cells by field name, the rest empty. */
function template(name: string, rows: Partial<Record<(typeof AWS_TEMPLATE_FIELDS)[number], string>>[], header = HEADER): string {
  const fields = header.split(',')
  const quote = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)
  const lines = rows.map((r) => fields.map((f) => quote((r as Record<string, string>)[f] ?? '')).join(','))
  const file = join(tmp.dir, name)
  writeFileSync(file, [header, ...lines].join('\n') + '\n')
  return file
}

async function failure(paths: string[], opts: ImportRunOptions = {}): Promise<UserInputError> {
  const before = state()
  const error = await run(paths, opts).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(UserInputError)
  expect(state()).toEqual(before)
  return error as UserInputError
}

describe('aws-import-template', () => {
  it('detects the template and maps every field with its unit', async () => {
    const result = await run([FIXTURE])
    expect(result.units.map((u) => [u.format, u.outcome.source.servers])).toEqual([['aws-import-template', 5]])

    const web = byName('web01')
    expect(web).toMatchObject({
      externalId: 'CMDB-1001',
      biosUuid: '4210a3c5-7b1e-4f2a-9c3d-5e6f7a8b9c01',
      hostname: 'web01',
      fqdn: 'web01.corp.example',
      ips: ['10.20.1.11', '10.20.9.11'],
      macs: ['00:50:56:a1:0b:11'],
      vmMoref: 'vm-1011',
      vcenter: '7d3c2f10-1b2a-4c5d-8e9f-0a1b2c3d4e5f',
      vmName: 'web01',
      isVirtual: true,
      cpuSockets: 2,
      cpuCores: 4,
      vcpus: 4,
      osName: 'Red Hat Enterprise Linux 8',
      osVersion: '8.6',
      osFamily: 'linux',
      memoryMib: 8192,
      // used 4096 / 6144 of 8192 MB
      memoryUtilisation: {avg: 50, max: 75},
      cpuUtilisation: {avg: 23.5, max: 71.2},
      // (512 + 1536) KB/s = 2 MiB/s; (4096 + 8192) KB/s = 12 MiB/s
      diskThroughput: {avg: 2, max: 12},
      diskIops: {avg: 100, max: 800},
      // (2048 + 1024) KB/s × 1024 × 8 / 10^6 = 25.165824 Mbit/s
      networkThroughput: {avg: 25.165824, max: 125.82912},
      applications: ['Payments', 'Storefront'],
      tags: {environment: 'prod', tier: 'web', owner: 'ecom'},
      environment: 'prod',
    })
    expect(web.provenance.applications?.[0]).toMatchObject({format: 'aws-import-template', kind: 'declared', ref: 'row 2'})
    expect(web.provenance.tags?.[0]?.kind).toBe('declared')
    expect(web.provenance.environment?.[0]?.kind).toBe('declared')
    expect(web.provenance.cpuUtilisation?.[0]?.kind).toBe('reported')
    expect(web.provenance.memoryMib?.[0]?.kind).toBe('reported')

    // A row with empty cells leaves those facts unknown, never 0.
    const batch = byName('batch07')
    expect(batch.diskThroughput).toBeUndefined()
    expect(batch.memoryUtilisation).toBeUndefined()
    expect(batch.environment).toBe('test') // from the `env:` tag
    // IP-only and MoRef-only rows are servers too.
    expect(ws.servers().some((s) => s.ips?.includes('10.20.5.40') && s.memoryUtilisation?.max === 50)).toBe(true)
    expect(byName('legacy-app-02')).toMatchObject({vmMoref: 'vm-2001', applications: ['Legacy']})
  })

  it('importing the same file twice adds nothing', async () => {
    await run([FIXTURE])
    const before = state()
    const again = await run([FIXTURE])
    expect(again.units[0]!.outcome.status).toBe('unchanged')
    expect(state()).toEqual(before)
  })

  it('reads the doc spelling VMWare.VCenterId, a UTF-8 BOM and a semicolon-delimited Excel export with decimal commas', async () => {
    const header = HEADER.replace('VMware.VCenterId', 'VMWare.VCenterId').replace(/,/g, ';')
    const file = join(tmp.dir, 'excel.csv')
    const row = ['X-1', '', '10.1.1.1', '', 'app9', 'vm-9', 'vc-1', '', '', '2', '', '', '', '2048', '1024,5', '', '12,5', '']
    writeFileSync(file, `\uFEFF${header}\r\n${row.join(';')}\r\n`)
    await run([file])
    expect(byName('app9')).toMatchObject({
      vcenter: 'vc-1',
      vmMoref: 'vm-9',
      vcpus: 2,
      cpuUtilisation: {avg: 12.5},
      memoryUtilisation: {avg: 50.0244140625},
    })
  })

  it('notes RAM.UsedSizeInMB above the total (read as 100%) and used without a total (ignored)', async () => {
    const file = template('ram.csv', [
      {HostName: 'a1', 'RAM.TotalSizeInMB': '1024', 'RAM.UsedSizeInMB.Max': '2048'},
      {HostName: 'a2', 'RAM.UsedSizeInMB.Avg': '512'},
    ])
    const r = await run([file])
    expect(r.units[0]!.outcome.source.notes.map((n) => n.code).sort()).toEqual([
      'AWS_TEMPLATE_RAM_USED_OVER_TOTAL',
      'AWS_TEMPLATE_RAM_USED_WITHOUT_TOTAL',
    ])
    expect(byName('a1').memoryUtilisation).toEqual({max: 100})
    expect(byName('a2').memoryUtilisation).toBeUndefined()
  })

  it.each([
    ['a negative size', {HostName: 'x', 'RAM.TotalSizeInMB': '-8'}, /row 2, column "RAM\.TotalSizeInMB": -8 is below the minimum of 0/],
    [
      'text in a number column',
      {HostName: 'x', 'CPU.NumberOfCores': 'four'},
      /row 2, column "CPU\.NumberOfCores": expected a number, got "four"/,
    ],
    ['a percentage above 100', {HostName: 'x', 'CPU.UsagePct.Max': '140'}, /column "CPU\.UsagePct\.Max": 140 is above the maximum of 100/],
    [
      'an infinite number',
      {HostName: 'x', 'DiskReadsOpsPerSecond.Avg': '1e999'},
      /column "DiskReadsOpsPerSecond\.Avg": expected a finite number/,
    ],
    ['a row without identifiers', {'OS.Name': 'Linux'}, /row 2: the row has none of the identifying fields/],
    [
      'a MoRef without its vCenter',
      {HostName: 'x', 'VMware.MoRefId': 'vm-1'},
      /column "VMware\.VCenterId": VMware\.MoRefId and VMware\.VCenterId must be given together/,
    ],
    ['a bad IP', {IPAddress: '10.0.0.1, not-an-ip'}, /column "IPAddress": not an IP address: "not-an-ip"/],
  ])('rejects %s with file, row, column and a hint, and changes nothing', async (_what, cells, message) => {
    await run([FIXTURE])
    const file = template('bad.csv', [{HostName: 'ok', 'CPU.NumberOfCores': '2'}, cells])
    const error = await failure([file])
    expect(error.message.replace('row 3', 'row 2')).toMatch(message)
    expect(error.message).toMatch(/bad\.csv, row 3/)
    expect(error.hint).toBeTruthy()
  })

  it('a header without any identifier column is a missing-column error', async () => {
    const file = template('noid.csv', [{'OS.Name': 'x'}], 'SMBiosId,OS.Name,CPU.NumberOfCores,RAM.TotalSizeInMB')
    const error = await failure([file], {format: 'aws-import-template'})
    expect(error.message).toMatch(/noid\.csv, row 1: missing required column: ExternalId \(or IPAddress, MACAddress, HostName/)
  })

  it('through the CLI: imports with --json, and a wrong --format exits 2 leaving the workspace as it was', () => {
    const wsDir = join(tmp.dir, 'cli')
    const ok = runCli(['import', FIXTURE, '-w', wsDir, '--json'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json<{sources: {format: string; servers: number}[]; totalServers: number}>()).toMatchObject({
      sources: [{format: 'aws-import-template', servers: 5}],
      totalServers: 5,
    })
    const wrong = runCli(['import', FIXTURE, '-w', wsDir, '--format', 'azure-migrate'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/this is not an Azure Migrate import CSV.*It looks like aws-import-template/s)
    const stats = runCli(['inventory', 'stats', '-w', wsDir, '--json'])
    expect(stats.json<{servers: number}>().servers).toBe(5)
  }, 180_000)
})
