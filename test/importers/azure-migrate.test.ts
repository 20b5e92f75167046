import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {UserInputError} from '../../src/errors.js'
import {importPaths, type ImportRunOptions} from '../../src/importers/run.js'
import type {Server} from '../../src/model/server.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const DIR = join(ROOT, 'test/fixtures/azure-migrate')

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
const csv = (name: string, body: string | Buffer): string => {
  const file = join(tmp.dir, name)
  writeFileSync(file, body)
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

describe('azure-migrate', () => {
  it('maps the documented header: per-disk groups, totals, MB/s network to Mbit/s, identity and business columns', async () => {
    const r = await run([join(DIR, 'doc-headers.csv')])
    expect(r.units.map((u) => [u.format, u.outcome.source.servers])).toEqual([['azure-migrate', 2]])
    const api = byName('api01')
    expect(api).toMatchObject({
      fqdn: 'api01.corp.example',
      ips: ['10.30.1.15', '10.30.9.15'],
      vcpus: 4,
      memoryMib: 16384,
      osName: 'Ubuntu Linux',
      osVersion: '20.04',
      osFamily: 'linux',
      architecture: 'x86_64',
      firmware: 'uefi',
      isVirtual: true,
      hypervisor: 'VMware',
      vcenter: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
      biosUuid: '4235c1d2-9e8f-4a7b-b6c5-d4e3f2a1b015',
      externalId: 'CMDB-2015',
      macs: ['00:50:56:8e:41:15'],
      disks: [
        {name: 'Disk 1', sizeGib: 64, readIops: 120, writeIops: 80, readMiBps: 6.5, writeMiBps: 3.5},
        {name: 'Disk 2', sizeGib: 512, readIops: 400, writeIops: 250, readMiBps: 24, writeMiBps: 16},
      ],
      storageProvisionedGib: 576,
      cpuUtilisation: {p95: 38.5},
      memoryUtilisation: {p95: 71},
      // the Total columns win over the per-disk sums (850 either way here; 50 MiB/s)
      diskIops: {p95: 850},
      diskThroughput: {p95: 50},
      // (12.5 + 7.5) MB/s × 2^20 × 8 / 10^6
      networkThroughput: {p95: 167.77216},
      software: [{name: 'tomcat', category: 'app-server', version: '9.0.65'}],
      applications: ['Loyalty'],
      businessUnit: 'Retail',
      owner: 'jane.doe@corp.example',
      datacenter: 'Frankfurt DC1',
      tags: {'Virtual machine ID': '5012a3b4-0c5d-4e6f-8a9b-0c1d2e3f4a15'},
    })
    expect(api.provenance.applications?.[0]?.kind).toBe('declared')
    expect(api.provenance.diskIops?.[0]?.kind).toBe('reported')
    // Without Total columns the per-disk values are summed; a physical server has no vCenter.
    const sql = byName('sql02')
    expect(sql).toMatchObject({isVirtual: false, diskIops: {p95: 4800}, diskThroughput: {p95: 260}, macs: ['00:50:56:8e:41:20']})
    expect(sql.software).toEqual([
      {name: 'sql-server', category: 'database', version: '15.0.2000', evidence: ['declared in column "Application 1 name"']},
    ])
    expect(sql.networkThroughput).toBeUndefined()
    expect(sql.vcenter).toBeUndefined()
  })

  it('maps the rvtools2azmigrate header (* on required columns, units in the names)', async () => {
    await run([join(DIR, 'rvtools2azmigrate.csv')])
    expect(byName('files01')).toMatchObject({
      ips: ['10.30.4.40', '10.30.8.40'],
      vcpus: 4,
      memoryMib: 12288,
      osFamily: 'windows',
      architecture: 'x86_64',
      firmware: 'uefi',
      disks: [
        {name: 'Disk 1', sizeGib: 80},
        {name: 'Disk 2', sizeGib: 1024},
      ],
      storageProvisionedGib: 1104,
    })
    // No performance columns filled: utilisation stays unknown.
    expect(byName('mq01').cpuUtilisation).toBeUndefined()
    expect(byName('mq01').diskIops).toBeUndefined()
  })

  it('reads a UTF-16 "Unicode text" export from Excel', async () => {
    const text = 'Server name\tCores\tMemory\tOS name\r\nhv-01\t2\t2048\tWindows Server 2016\r\n'
    const file = csv('unicode.txt', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]))
    await run([file])
    expect(byName('hv-01')).toMatchObject({vcpus: 2, memoryMib: 2048, osFamily: 'windows'})
  })

  it.each([
    ['a negative disk size', 'x1,2,1024,Linux,-5', /row 3, column "Disk 1 size": -5 is below the minimum of 0/],
    ['text in Memory', 'x1,2,lots,Linux', /row 3, column "Memory": expected a number, got "lots"/],
    ['a utilisation above 100', 'x1,2,1024,Linux,,,,,,140', /row 3, column "CPU utilization percentage": 140 is above the maximum of 100/],
    ['a row without a server name', ',2,1024,Linux', /row 3, column "Server name": the row has no Server name/],
  ])('rejects %s with its location and changes nothing', async (_what, line, message) => {
    await run([join(DIR, 'doc-headers.csv')])
    const header =
      'Server name,Cores,Memory,OS name,Disk 1 size,Disk 1 read ops,Disk 1 write ops,Disk 1 read throughput,Disk 1 write throughput,CPU utilization percentage'
    const error = await failure([csv('bad.csv', `${header}\nok,1,512,Linux\n${line}\n`)])
    expect(error.message).toMatch(/bad\.csv, /)
    expect(error.message).toMatch(message)
    expect(error.hint).toBeTruthy()
  })

  it('a column stating another unit than the template is refused rather than misread', async () => {
    const error = await failure([csv('gb.csv', '*Server name,*Cores,*Memory (In GB),*OS name\nx,2,16,Linux\n')])
    expect(error.message).toMatch(
      /gb\.csv, row 1, column "\*Memory \(In GB\)": column "\*Memory \(In GB\)" states the unit "in gb"; the template uses MB/,
    )
  })

  it('missing required columns are named; a file with too little of the template is not taken for it', async () => {
    const error = await failure([csv('partial.csv', 'Server name,Cores,OS name,Disk 1 size\nx,2,Linux,10\n')])
    expect(error.message).toMatch(/partial\.csv, row 1: missing required column: Memory/)
    expect(error.hint).toMatch(/The header has: Server name, Cores, OS name, Disk 1 size/)
    const other = await failure([csv('other.csv', 'Server name,OS name\nx,Linux\n')], {format: 'azure-migrate'})
    expect(other.code).toBe('IMPORT_WRONG_FORMAT')
    expect(other.message).toMatch(/this is not an Azure Migrate import CSV/)
  })

  it('through the CLI: imports the folder, and --format aws-import-template on it exits 2 and changes nothing', () => {
    const wsDir = join(tmp.dir, 'cli')
    const ok = runCli(['import', DIR, '-w', wsDir, '--json'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json<{totalServers: number}>().totalServers).toBe(4)
    const wrong = runCli(['import', join(DIR, 'doc-headers.csv'), '-w', wsDir, '--format', 'aws-import-template', '--json'])
    expect(wrong.code).toBe(2)
    expect(wrong.json<{error: {code: string; message: string}}>().error).toMatchObject({
      code: 'IMPORT_WRONG_FORMAT',
      message: expect.stringMatching(/It looks like azure-migrate|not an AWS Migration Hub import template/),
    })
    expect(runCli(['inventory', 'stats', '-w', wsDir, '--json']).json<{servers: number}>().servers).toBe(4)
  }, 180_000)
})
