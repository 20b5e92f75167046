import {copyFileSync, readFileSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type ImportCmd from '../../commands/import.js'
import type {InventoryListResult} from '../../commands/inventory/list.js'
import type {InventoryStatsResult} from '../../commands/inventory/stats.js'
import type {Server} from '../../src/model/server.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

type ImportResult = Awaited<ReturnType<ImportCmd['run']>>

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.cleanup())

const fixture = (p: string) => join(ROOT, 'test/fixtures', p)

describe('import + inventory', () => {
  it('imports an agent file and a connections CSV, then lists, shows and counts', () => {
    const r = runCli(['import', fixture('agent/web01.json'), fixture('connections/basic.csv'), '-w', tmp.dir, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = r.json<ImportResult>()
    expect(result.sources.map((s) => [s.format, s.status, s.servers, s.connections])).toEqual([
      ['agent', 'imported', 1, 3],
      ['connections-csv', 'imported', 0, 3],
    ])

    const list = runCli(['inventory', 'list', '-w', tmp.dir, '--json']).json<InventoryListResult>()
    expect(list.servers.map((s) => [s.name, s.vcpus, s.memoryMib, s.utilisation])).toEqual([['web01', 2, 8192, 'measured']])

    const show = runCli(['inventory', 'show', 'web01.corp.example', '-w', tmp.dir, '--json'])
    expect(show.code).toBe(0)
    const server = show.json<Server>()
    expect(server.provenance.vcpus?.[0]).toMatchObject({format: 'agent', kind: 'measured', file: expect.stringMatching(/web01\.json$/)})

    const human = runCli(['inventory', 'show', 'web01', '-w', tmp.dir])
    expect(human.stdout).toMatch(/cpuUtilisation\s+avg 12\.5, p50 10, p95 31/)

    const stats = runCli(['inventory', 'stats', '-w', tmp.dir, '--json']).json<InventoryStatsResult>()
    expect(stats).toMatchObject({servers: 1, vcpus: {value: 2, known: 1, unknown: 0}, dataConfidence: 1})
  })

  it('the workspace can come from the environment', () => {
    const r = runCli(['import', fixture('agent/web01.json')], {env: {MIGRATE_PLAN_WORKSPACE: tmp.dir}})
    expect(r.code, r.stderr).toBe(0)
    expect(statSync(join(tmp.dir, 'workspace.db')).isFile()).toBe(true)
  })

  it('re-importing the same file adds nothing', () => {
    runCli(['import', fixture('agent/web01.json'), '-w', tmp.dir])
    const again = runCli(['import', fixture('agent/web01.json'), '-w', tmp.dir, '--json']).json<ImportResult>()
    expect(again.sources[0]!.status).toBe('unchanged')
    expect(again.totalServers).toBe(1)
  })

  it('one bad file fails the whole import with exit 2 and leaves the workspace as it was', () => {
    runCli(['import', fixture('agent/web01.json'), '-w', tmp.dir])
    const dbBefore = readFileSync(join(tmp.dir, 'workspace.db'))
    const bad = join(tmp.dir, 'bad.csv')
    writeFileSync(bad, 'source_ip,source_port,destination_ip,destination_port,transport_protocol\n10.0.0.1,1,10.0.0.2,-80,tcp\n')
    copyFileSync(fixture('connections/basic.csv'), join(tmp.dir, 'good.csv'))
    const r = runCli(['import', join(tmp.dir, 'good.csv'), bad, '-w', tmp.dir])
    expect(r.code).toBe(2)
    expect(r.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/bad\.csv, row 2, column "destination_port": -80 is below the minimum of 0/)
    const list = runCli(['inventory', 'stats', '-w', tmp.dir, '--json']).json<InventoryStatsResult>()
    expect(list.servers).toBe(1)
    const sources = runCli(['import', join(tmp.dir, 'good.csv'), '-w', tmp.dir, '--json']).json<ImportResult>()
    expect(sources.sources[0]!.status).toBe('imported') // it was not half-imported before
    expect(dbBefore.length).toBeGreaterThan(0)
  })

  it.each([
    [['import', 'no/such/file.csv'], /no such file or folder/],
    [['import', fixture('agent/web01.json'), '--format', 'connections-csv'], /this is not a connections CSV.*It looks like agent/s],
  ])('%j exits 2 with a clear message', (args, message) => {
    const r = runCli([...args, '-w', tmp.dir])
    expect(r.code).toBe(2)
    expect(r.stderr.replace(/\s*›\s*/g, ' ')).toMatch(message)
  })

  it('an unknown file type says what it looks like and how to force a format', () => {
    const f = join(tmp.dir, 'mystery.csv')
    writeFileSync(f, 'alpha,beta\n1,2\n')
    const r = runCli(['import', f, '-w', tmp.dir, '--json'])
    expect(r.code).toBe(2)
    expect(r.json<{error: {code: string; message: string}}>().error).toMatchObject({
      code: 'IMPORT_UNKNOWN_FORMAT',
      message: expect.stringMatching(/header starts alpha, beta/),
    })
  })

  it('inventory commands on a folder with no workspace exit 2', () => {
    const r = runCli(['inventory', 'list', '-w', join(tmp.dir, 'empty')])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no workspace in/)
  })

  it('every command has a summary, examples and --json', () => {
    for (const cmd of [['import'], ['inventory', 'list'], ['inventory', 'show'], ['inventory', 'stats']]) {
      const help = runCli([...cmd, '--help'])
      expect(help.code).toBe(0)
      expect(help.stdout).toMatch(/EXAMPLES/)
      expect(help.stdout).toMatch(/--json/)
    }
  })
})
