import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import ExcelJS from 'exceljs'
import {parse as parseYaml} from 'yaml'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {UserInputError} from '../../src/errors.js'
import {GENERIC_FIELDS} from '../../src/importers/generic-csv.js'
import {importPaths, type ImportRunOptions} from '../../src/importers/run.js'
import type {Server} from '../../src/model/server.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const DIR = join(ROOT, 'test/fixtures/generic')
const CMDB = join(DIR, 'cmdb-servicenow.csv')
const MAP = parseYaml(readFileSync(join(DIR, 'cmdb-map.yaml'), 'utf8')) as Record<string, string>

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

const run = (paths: string[], opts: ImportRunOptions = {}) => importPaths(ws, paths, {cwd: ROOT, format: 'generic-csv', ...opts})
const byName = (name: string): Server => ws.servers().find((s) => s.name === name)!
const state = () => ({sources: ws.sources().length, servers: ws.serverCount(), connections: ws.connectionCount(), all: ws.servers()})
const csv = (name: string, body: string): string => {
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

describe('generic-csv', () => {
  it('maps a CMDB export with a mapping file: every field, all declared', async () => {
    const r = await run([CMDB], {map: MAP})
    expect(r.units.map((u) => [u.format, u.outcome.source.kind, u.outcome.source.servers])).toEqual([['generic-csv', 'declared', 3]])
    expect(r.units[0]!.outcome.source.notes.map((n) => n.code)).toEqual(['GENERIC_MAPPING'])
    const web = byName('web01')
    expect(web).toMatchObject({
      hostname: 'web01',
      fqdn: 'web01.corp.example',
      ips: ['10.50.1.10'],
      osName: 'Red Hat Enterprise Linux 8',
      osVersion: '8.8',
      osFamily: 'linux',
      vcpus: 4,
      memoryMib: 8192,
      storageProvisionedGib: 120,
      environment: 'Production',
      applications: ['Payments', 'Storefront'],
      owner: 'alice.ng',
      businessUnit: 'E-commerce',
      criticality: '1 - most critical',
      // the VMware serial-number form of the BIOS UUID
      biosUuid: '421a2b3c-4d5e-6f70-8192-a3b4c5d6e7f8',
      annualCostUsd: 2400,
      description: 'Storefront web tier',
      tags: {'install-status': 'Installed'},
    })
    expect(web.provenance.vcpus?.[0]).toMatchObject({format: 'generic-csv', kind: 'declared', ref: 'row 2'})
    // a thousands separator and an embedded quote
    expect(byName('db01')).toMatchObject({storageProvisionedGib: 1500, description: 'SQL Server for storefront, "primary"'})
    expect(byName('mon01').annualCostUsd).toBeUndefined()
    expect(byName('mon01').fqdn).toBeUndefined()
  })

  it('without a map, matches common header names and says which mapping it used and what it left out', async () => {
    const r = await run([CMDB])
    const notes = r.units[0]!.outcome.source.notes
    expect(notes[0]).toEqual({
      code: 'GENERIC_AUTO_MAPPING',
      message:
        'no --map given; matched columns by name: hostname=Name, fqdn=Fully qualified domain name, ips=IP Address, vcpus=CPU count, memory_mib=RAM (MB), os=Operating System, os_version=OS Version, applications=Business service, owner=Owned by, business_unit=Department, criticality=Business criticality, description=Short description',
    })
    expect(notes[1]).toEqual({
      code: 'GENERIC_UNMAPPED',
      message: 'columns not imported: Disk space (GB), Used for, Install status, Serial number, Cost (USD/yr)',
    })
    expect(byName('db01')).toMatchObject({vcpus: 8, memoryMib: 65536})
    expect(byName('db01').storageProvisionedGib).toBeUndefined()
  })

  it('reads a semicolon export with decimal commas, GB memory and power states by synonym', async () => {
    await run([join(DIR, 'synonyms.csv')])
    expect(byName('app07')).toMatchObject({
      memoryMib: 16384,
      storageProvisionedGib: 250.5,
      powerState: 'on',
      datacenter: 'Paris-1',
      vcpus: 2,
    })
    expect(byName('app08')).toMatchObject({
      powerState: 'off',
      flags: expect.arrayContaining(['powered-off']),
      applications: ['HR', 'Intranet'],
    })
  })

  it('reads the first sheet of a workbook', async () => {
    const wb = new ExcelJS.Workbook()
    const sheet = wb.addWorksheet('Servers')
    sheet.addRow(['Hostname', 'vCPUs', 'Memory (MB)', 'tag source'])
    sheet.addRow(['xl01', 2, 4096, 'cmdb'])
    wb.addWorksheet('Notes').addRow(['Hostname'])
    wb.getWorksheet('Notes')!.addRow(['not-a-server'])
    const file = join(tmp.dir, 'cmdb.xlsx')
    await wb.xlsx.writeFile(file)
    await run([file], {map: {hostname: 'Hostname', vcpus: 'vCPUs', memory_mib: 'Memory (MB)', 'tag:source': 'tag source'}})
    expect(ws.serverCount()).toBe(1)
    expect(byName('xl01')).toMatchObject({vcpus: 2, memoryMib: 4096, tags: {source: 'cmdb'}})
    expect(byName('xl01').provenance.vcpus?.[0]?.ref).toBe('Servers!2')
  })

  it('a unit-less Memory column is read as MiB, and a value that looks like GiB is refused with the fix', async () => {
    const ok = csv('ok.csv', 'Name,Memory\nm1,2048\n')
    const r = await run([ok])
    expect(r.units[0]!.outcome.source.notes.map((n) => n.code)).toContain('GENERIC_UNIT_ASSUMED')
    expect(byName('m1').memoryMib).toBe(2048)
    const bad = csv('gib.csv', 'Name,Memory\nm2,16\n')
    const error = await failure([bad])
    expect(error.message).toMatch(/gib\.csv, row 2, column "Memory": memory 16 looks like GiB/)
    expect(error.hint).toMatch(/--map memory_gib="Memory"/)
  })

  it('an unknown field in the map lists the fields and the file’s columns', async () => {
    const error = await failure([CMDB], {map: {hostname: 'Name', ram: 'RAM (MB)'}})
    expect(error.message).toMatch(/cmdb-servicenow\.csv: unknown field "ram" in --map/)
    expect(error.hint).toMatch(
      /Fields: hostname, fqdn, ips, .*tag:<name>\. The file's columns: Name, Fully qualified domain name, IP Address/,
    )
  })

  it('a map naming a column the file does not have lists the file’s columns', async () => {
    const error = await failure([CMDB], {map: {hostname: 'Server'}})
    expect(error.message).toMatch(/cmdb-servicenow\.csv, row 1: --map hostname=Server: the file has no column "Server"/)
    expect(error.hint).toMatch(/^The file's columns: Name, Fully qualified domain name, IP Address, Operating System/)
  })

  it('without a map and no name-like column, says how to map', async () => {
    const error = await failure([csv('anon.csv', 'alpha,beta\n1,2\n')])
    expect(error.code).toBe('GENERIC_NO_NAME_COLUMN')
    expect(error.hint).toMatch(/--map hostname=<column>.*The file's columns: alpha, beta/)
  })

  it.each([
    ['a negative memory', 'n1,-1,10', /row 3, column "RAM \(MB\)": -1 is below the minimum of 0/],
    ['text vCPUs', 'n1,1024,x', /row 3, column "CPU count": expected a number, got "x"/],
    ['a fractional vCPU count', 'n1,1024,2.5', /row 3, column "CPU count": expected a whole number, got 2\.5/],
    ['a row without a name', ',1024,2', /row 3: the row names no server/],
  ])('rejects %s with file, row and column; nothing is written', async (_what, line, message) => {
    await run([CMDB], {map: MAP})
    const error = await failure([csv('bad.csv', `Name,RAM (MB),CPU count\nok,512,1\n${line}\n`)])
    expect(error.message).toMatch(/bad\.csv, /)
    expect(error.message).toMatch(message)
  })

  it('the same file with the same map is unchanged; with another map it is read again', async () => {
    await run([CMDB], {map: MAP})
    expect((await run([CMDB], {map: {...MAP}})).units[0]!.outcome.status).toBe('unchanged')
    const swapped = await run([CMDB], {map: {hostname: 'Name', vcpus: 'CPU count'}})
    expect(swapped.units[0]!.outcome.status).toBe('imported')
    // a map naming a missing column fails even though the file itself was imported before
    const error = await failure([CMDB], {map: {hostname: 'Nope'}})
    expect(error.code).toBe('GENERIC_MAP_NO_COLUMN')
  })

  it('documents a description and synonyms for every field', () => {
    for (const [name, f] of Object.entries(GENERIC_FIELDS)) {
      expect(name).toMatch(/^[a-z_]+$/)
      expect(f.description.length).toBeGreaterThan(3)
      expect(f.synonyms.length).toBeGreaterThan(0)
    }
  })

  it('through the CLI: never auto-detected; --map @file imports; a --map naming a missing column exits 2', () => {
    const wsDir = join(tmp.dir, 'cli')
    const auto = runCli(['import', CMDB, '-w', wsDir])
    expect(auto.code).toBe(2)
    expect(auto.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/cannot tell what format this is.*--format generic-csv --map hostname=/s)
    const ok = runCli(['import', CMDB, '-w', wsDir, '--format', 'generic-csv', '--map', `@${join(DIR, 'cmdb-map.yaml')}`, '--json'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json<{totalServers: number; sources: {format: string}[]}>()).toMatchObject({
      totalServers: 3,
      sources: [{format: 'generic-csv'}],
    })
    const other = csv('other.csv', 'Host;Cores;RAM (GB)\nq1;2;8\n')
    const bad = runCli([
      'import',
      other,
      CMDB,
      '-w',
      wsDir,
      '--format',
      'generic-csv',
      '--map',
      'hostname=Host,vcpus=Cores,memory_gib=RAM (GB)',
      '--json',
    ])
    expect(bad.code).toBe(2)
    // the mapping fits other.csv but not the CMDB file: nothing is imported, not even other.csv
    expect(bad.json<{error: {code: string; message: string}}>().error).toMatchObject({
      code: 'GENERIC_MAP_NO_COLUMN',
      message: expect.stringMatching(/cmdb-servicenow\.csv, row 1: --map hostname=Host/),
    })
    const after = Workspace.open(wsDir, {readonly: true})
    try {
      expect([after.sources().length, after.serverCount()]).toEqual([1, 3])
    } finally {
      after.close()
    }
  }, 180_000)
})
