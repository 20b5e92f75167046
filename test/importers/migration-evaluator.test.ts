import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import ExcelJS from 'exceljs'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {UserInputError} from '../../src/errors.js'
import {importPaths, type ImportRunOptions} from '../../src/importers/run.js'
import type {Server} from '../../src/model/server.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const DIR = join(ROOT, 'test/fixtures/migration-evaluator')
const HEADER =
  'Server Name,CPU Cores,Memory (MB),Provisioned Storage (GB),Operating System,Is Virtual?,Hypervisor Name,Cpu String,Environment,SQL Edition,Application,Cpu Utilization Peak (%),Memory Utilization Peak (%),Time In-Use (%),Annual Cost (USD),Storage Type'

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

describe('migration-evaluator', () => {
  it('maps the CSV template; utilisation written as fractions becomes percent', async () => {
    const r = await run([join(DIR, 'inventory.csv')])
    expect(r.units.map((u) => [u.format, u.outcome.source.servers])).toEqual([['migration-evaluator', 4]])
    expect(r.units[0]!.outcome.source.notes.map((n) => n.code)).toEqual(['ME_UTILISATION_FRACTIONS'])
    const sql = byName('sql01')
    expect(sql).toMatchObject({
      fqdn: 'sql01.corp.example',
      vcpus: 8,
      memoryMib: 65536,
      storageProvisionedGib: 1200,
      osName: 'Windows Server 2019 Datacenter',
      osFamily: 'windows',
      isVirtual: true,
      hostSystem: 'esx-04.corp.example',
      cpuModel: 'Intel(R) Xeon(R) Gold 6230 CPU @ 2.10GHz',
      environment: 'Production',
      applications: ['Order Management'],
      software: [
        {name: 'sql-server', category: 'database', version: '2017', edition: 'Enterprise', evidence: ['declared in column "SQL Edition"']},
      ],
      cpuUtilisation: {max: 72},
      memoryUtilisation: {max: 95},
      annualCostUsd: 18500.5,
      tags: {'Time In-Use (%)': '100', 'Storage Type': 'SSD'},
    })
    expect(sql.provenance.software?.[0]?.kind).toBe('declared')
    expect(sql.provenance.annualCostUsd?.[0]?.kind).toBe('declared')
    expect(sql.provenance.cpuUtilisation?.[0]?.kind).toBe('reported')
    // A physical server's "CPU Cores" are physical cores; its vCPUs stay unknown.
    expect(byName('build02')).toMatchObject({isVirtual: false, cpuCores: 16, tags: {'Time In-Use (%)': '35'}})
    expect(byName('build02').vcpus).toBeUndefined()
    expect(byName('build02').software).toBeUndefined() // SQL Edition: None
    expect(byName('dev-sql03')).toMatchObject({cpuUtilisation: {max: 5}, software: [{name: 'sql-server', edition: 'Express'}]})
    expect(byName('dev-sql03').annualCostUsd).toBeUndefined()
  })

  it('reads the "Template" sheet of the workbook, skipping blank rows and noting the storage sheets', async () => {
    const r = await run([join(DIR, 'inventory.xlsx')])
    expect(r.units.map((u) => [u.format, u.outcome.source.servers])).toEqual([['migration-evaluator', 3]])
    expect(r.units[0]!.outcome.source.notes.map((n) => n.code)).toEqual(['ME_SHEETS_SKIPPED', 'ME_UTILISATION_FRACTIONS'])
    expect(byName('sql11')).toMatchObject({
      vcpus: 8,
      memoryMib: 32768,
      cpuUtilisation: {max: 62.5},
      memoryUtilisation: {max: 90},
      software: [{name: 'sql-server', version: '2019', edition: 'Standard'}],
    })
    expect(byName('sql11').provenance.vcpus?.[0]?.ref).toBe('Template!3')
    expect(byName('file11').provenance.vcpus).toBeUndefined()
    expect(byName('file11').provenance.cpuCores?.[0]?.ref).toBe('Template!5')
  })

  it('reads a column with values above 1 as percent, and "60%" text as percent whatever the column holds', async () => {
    const file = csv('pct.csv', `${HEADER}\na1,2,4096,50,Linux,Yes,,,,,,45,0.5,100,,\na2,2,4096,50,Linux,Yes,,,,,,60%,0.25,,,\n`)
    const r = await run([file])
    expect(byName('a1')).toMatchObject({cpuUtilisation: {max: 45}, memoryUtilisation: {max: 50}, tags: {'Time In-Use (%)': '100'}})
    expect(byName('a2')).toMatchObject({cpuUtilisation: {max: 60}, memoryUtilisation: {max: 25}})
    expect(r.units[0]!.outcome.source.notes[0]!.message).toMatch(/fractions.*Memory Utilization Peak \(%\)$/)
  })

  it.each([
    ['a negative memory', 'b1,2,-1024,50,Linux,Yes', /row 3, column "Memory \(MB\)": -1024 is below the minimum of 0/],
    ['text in CPU Cores', 'b1,two,1024,50,Linux,Yes', /row 3, column "CPU Cores": expected a number, got "two"/],
    ['a peak above 100%', 'b1,2,1024,50,Linux,Yes,,,,,,150', /row 3, column "Cpu Utilization Peak \(%\)": 150 is above the maximum of 100/],
    ['a row without a server name', ',2,1024', /row 3, column "Server Name": the row has no Server Name/],
    ['a negative cost', 'b1,2,1024,50,Linux,Yes,,,,,,,,,-5', /row 3, column "Annual Cost \(USD\)": -5 is below/],
  ])('rejects %s with its location and changes nothing', async (_what, line, message) => {
    await run([join(DIR, 'inventory.csv')])
    const error = await failure([csv('bad.csv', `${HEADER}\nok1,2,1024,10,Linux,Yes\n${line}\n`)])
    expect(error.message).toMatch(/bad\.csv, /)
    expect(error.message).toMatch(message)
    expect(error.hint).toBeTruthy()
  })

  it('a workbook whose Template sheet lacks required columns names them and the sheet', async () => {
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('Template').addRow(['Server Name', 'Operating System'])
    wb.getWorksheet('Template')!.addRow(['x1', 'Linux'])
    const file = join(tmp.dir, 'me.xlsx')
    await wb.xlsx.writeFile(file)
    const error = await failure([file])
    expect(error.message).toMatch(/me\.xlsx, sheet "Template", row 1: missing required columns: CPU Cores; Memory \(MB\)/)
  })

  it('a CSV missing CPU Cores is recognised and the missing column named', async () => {
    const error = await failure([csv('nocores.csv', 'Server Name,Memory (MB),Provisioned Storage (GB)\nx,1024,10\n')])
    expect(error.message).toMatch(/nocores\.csv, row 1: missing required column: CPU Cores/)
  })

  it('a truncated workbook is one clear error', async () => {
    const bytes = readFileSync(join(DIR, 'inventory.xlsx'))
    const file = join(tmp.dir, 'cut.xlsx')
    writeFileSync(file, bytes.subarray(0, Math.floor(bytes.length / 2)))
    const error = await failure([file], {format: 'migration-evaluator'})
    expect(error.code).toBe('IMPORT_XLSX_TRUNCATED')
  })

  it('through the CLI: both files of the folder, then --format on the wrong file exits 2 and changes nothing', () => {
    const wsDir = join(tmp.dir, 'cli')
    const ok = runCli(['import', DIR, '-w', wsDir, '--json'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json<{sources: {format: string; servers: number}[]; totalServers: number}>()).toMatchObject({
      sources: [
        {format: 'migration-evaluator', servers: 4},
        {format: 'migration-evaluator', servers: 3},
      ],
      totalServers: 7,
    })
    const wrong = runCli([
      'import',
      join(ROOT, 'test/fixtures/aws-import-template/servers.csv'),
      '-w',
      wsDir,
      '--format',
      'migration-evaluator',
    ])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr.replace(/\s*›\s*/g, ' ')).toMatch(
      /this is not a Migration Evaluator inventory template.*It looks like aws-import-template/s,
    )
    expect(runCli(['inventory', 'stats', '-w', wsDir, '--json']).json<{servers: number}>().servers).toBe(7)
  }, 180_000)
})
