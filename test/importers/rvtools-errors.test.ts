import {copyFileSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import {UserInputError} from '../../src/errors.js'
import {importPaths} from '../../src/importers/run.js'
import type {Server} from '../../src/model/server.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const FIX = join(ROOT, 'test/fixtures/rvtools')
const KUBE_CSV = readFileSync(join(FIX, 'kubev2v-4x/vInfo.csv'), 'utf8')

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('mp-rvtools-err-')
})
afterEach(() => tmp.cleanup())

/** A folder holding one RVTools export made of the given per-tab CSVs. */
function exportDir(name: string, files: Record<string, string>): string {
  const dir = join(tmp.dir, name)
  mkdirSync(dir, {recursive: true})
  for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text)
  return dir
}

/** Replace one cell of a CSV line (no quoted commas in the kubev2v vInfo rows used here). */
function withCell(csv: string, row: number, column: string, value: string): string {
  const lines = csv.split('\n')
  const col = lines[0]!.split(',').indexOf(column)
  const cells = lines[row - 1]!.split(',')
  cells[col] = value
  lines[row - 1] = cells.join(',')
  return lines.join('\n')
}

/**
 * Import a good export, then the bad input; the bad one must fail with a UserInputError and
 * leave the workspace exactly as the good import left it.
 */
async function expectRejected(bad: string[]): Promise<UserInputError> {
  const ws = Workspace.open(join(tmp.dir, 'ws'), {create: true})
  try {
    await importPaths(ws, [join(FIX, 'nutanix-3x')], {cwd: tmp.dir})
    const before = {servers: ws.servers(), sources: ws.sources()}
    const error = await importPaths(ws, bad, {cwd: tmp.dir}).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UserInputError)
    expect((error as UserInputError).exitCode).toBe(2)
    expect(ws.servers()).toEqual(before.servers)
    expect(ws.sources()).toEqual(before.sources)
    return error as UserInputError
  } finally {
    ws.close()
  }
}

describe('RVTools bad input', () => {
  it('a truncated xlsx: one message naming the file, and a hint', async () => {
    const whole = readFileSync(join(FIX, 'kubev2v-4x.xlsx'))
    const cut = join(tmp.dir, 'RVTools_export.xlsx')
    writeFileSync(cut, whole.subarray(0, Math.floor(whole.length * 0.6)))
    const e = await expectRejected([cut])
    expect(e.code).toBe('IMPORT_XLSX_TRUNCATED')
    expect(e.location).toEqual({file: cut})
    expect(e.message).toMatch(/RVTools_export\.xlsx: the xlsx file is truncated or damaged/)
    expect(e.hint).toMatch(/incomplete: copy or download it again/)
  })

  it('a vInfo without a Memory column names what is missing and what is there', async () => {
    const dir = exportDir('no-memory', {'vInfo.csv': 'VM,Powerstate,Template,CPUs,Provisioned MiB\nweb01,poweredOn,False,2,10240\n'})
    const e = await expectRejected([dir])
    expect(e.code).toBe('IMPORT_MISSING_COLUMN')
    expect(e.location).toEqual({file: 'no-memory/vInfo.csv', row: 1})
    expect(e.message).toBe('no-memory/vInfo.csv, row 1: missing required column: Memory')
    expect(e.hint).toMatch(/The header has: VM, Powerstate, Template, CPUs, Provisioned MiB/)
  })

  it.each([
    ['Provisioned MiB', '-105742', 'IMPORT_OUT_OF_RANGE', '-105742 is below the minimum of 0', /cannot be negative/],
    ['CPUs', 'four', 'IMPORT_NOT_A_NUMBER', 'expected a number, got "four"', /leave it empty/],
    ['CPUs', '2.5', 'IMPORT_NOT_AN_INTEGER', 'expected a whole number, got 2.5', undefined],
    ['Memory', '-1', 'IMPORT_OUT_OF_RANGE', '-1 is below the minimum of 0', /cannot be negative/],
  ])('vInfo %s = %j is refused with file, row and column', async (column, value, code, message, hint) => {
    const dir = exportDir('bad', {
      'vInfo.csv': withCell(KUBE_CSV, 4, column, value),
      'vCPU.csv': readFileSync(join(FIX, 'kubev2v-4x/vCPU.csv'), 'utf8'),
    })
    const e = await expectRejected([dir])
    expect(e.code).toBe(code)
    expect(e.location).toEqual({file: 'bad/vInfo.csv', row: 4, column})
    expect(e.message).toBe(`bad/vInfo.csv, row 4, column ${JSON.stringify(column)}: ${message}`)
    if (hint) expect(e.hint).toMatch(hint)
  })

  it('a negative disk size in vDisk names the vDisk file', async () => {
    const vDisk = readFileSync(join(FIX, 'kubev2v-4x/vDisk.csv'), 'utf8').replace(',103424,', ',-103424,')
    const dir = exportDir('bad-disk', {'vInfo.csv': KUBE_CSV, 'vDisk.csv': vDisk})
    const e = await expectRejected([dir])
    expect(e.message).toBe('bad-disk/vDisk.csv, row 2, column "Capacity MiB": -103424 is below the minimum of 0')
  })

  it('an unbalanced quote in a tab is a CSV error naming that file and row', async () => {
    const dir = exportDir('bad-quote', {
      'vInfo.csv': KUBE_CSV,
      'vMemory.csv': 'VM,Size MiB,Annotation\nvm-1,2048,"unterminated\nvm-2,2048,x\n',
    })
    const e = await expectRejected([dir])
    expect(e.code).toMatch(/^IMPORT_CSV_/)
    expect(e.message).toMatch(/vMemory\.csv, row 2: malformed CSV/)
    expect(e.hint).toMatch(/quote/)
  })

  it('--format rvtools on something else says what it looks like', async () => {
    const f = join(tmp.dir, 'servers.csv')
    writeFileSync(f, 'hostname,vcpus\nweb01,2\n')
    const ws = Workspace.open(join(tmp.dir, 'ws'), {create: true})
    try {
      await expect(importPaths(ws, [f], {format: 'rvtools', cwd: tmp.dir})).rejects.toMatchObject({
        code: 'IMPORT_WRONG_FORMAT',
        message: expect.stringMatching(/this is not an RVTools export/),
      })
    } finally {
      ws.close()
    }
  })
})

describe('migrate-plan import (RVTools), through the built CLI', () => {
  beforeAll(() => {
    // CLI tests run bin/run.js → dist/: build first (npm run build) when src changed.
    expect(readFileSync(join(ROOT, 'dist/src/importers/rvtools.js'), 'utf8')).toMatch(/rvtools/)
  })

  it('imports two export folders, shows where facts came from, and adds nothing the second time', () => {
    const ws = join(tmp.dir, 'ws')
    const r = runCli(['import', 'test/fixtures/rvtools/kubev2v-4x', 'test/fixtures/rvtools/handmade-4x', '-w', ws, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = r.json<{
      sources: {path: string; format: string; status: string; servers: number; notes: number}[]
      totalServers: number
    }>()
    expect(result.sources.map((s) => [s.path, s.format, s.status, s.servers, s.notes])).toEqual([
      ['test/fixtures/rvtools/handmade-4x', 'rvtools', 'imported', 5, 3],
      ['test/fixtures/rvtools/kubev2v-4x', 'rvtools', 'imported', 9, 0],
    ])
    expect(result.totalServers).toBe(14)

    const show = runCli(['inventory', 'show', 'web01.corp.example', '-w', ws, '--json'])
    expect(show.code, show.stderr).toBe(0)
    const server = show.json<Server>()
    expect(server).toMatchObject({
      vcpus: 4,
      memoryMib: 8192,
      tags: {Applications: 'shop, checkout', 'Business Unit': 'Retail', Environment: 'prod', owner: 'team-web'},
    })
    expect(server.provenance.vcpus).toEqual([
      expect.objectContaining({
        format: 'rvtools',
        file: 'test/fixtures/rvtools/handmade-4x',
        ref: 'vInfo!2',
        kind: 'declared',
        observedAt: '2025-03-04T10:15:00Z',
      }),
    ])

    const again = runCli(['import', 'test/fixtures/rvtools/kubev2v-4x', '-w', ws, '--json'])
    expect(again.json<{sources: {status: string}[]; totalServers: number}>()).toMatchObject({
      sources: [{status: 'unchanged'}],
      totalServers: 14,
    })
  })

  it('a truncated workbook exits 2 with the file in the message, and the workspace keeps what it had', () => {
    const ws = join(tmp.dir, 'ws')
    expect(runCli(['import', 'test/fixtures/rvtools/kubev2v-4x', '-w', ws]).code).toBe(0)
    const cut = join(tmp.dir, 'cut.xlsx')
    copyFileSync(join(FIX, 'kubev2v-4x.xlsx'), cut)
    writeFileSync(cut, readFileSync(cut).subarray(0, 100_000))
    const r = runCli(['import', cut, '-w', ws, '--json'])
    expect(r.code).toBe(2)
    expect(r.json<{error: {code: string; message: string}}>().error).toMatchObject({
      code: 'IMPORT_XLSX_TRUNCATED',
      message: expect.stringContaining('cut.xlsx: the xlsx file is truncated or damaged'),
    })
    const stats = runCli(['inventory', 'stats', '-w', ws, '--json']).json<{servers: number}>()
    expect(stats.servers).toBe(9)
  })
})
