import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {parse} from 'csv-parse/sync'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ExportGraphResult} from '../../commands/export/graph.js'
import type {WavesResult} from '../../commands/waves/index.js'
import type {WavesGroupsResult} from '../../commands/waves/groups.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const fixture = (p: string) => join(ROOT, 'test/fixtures/waves', p)
let tmp: ReturnType<typeof tempDir>

beforeAll(() => {
  tmp = tempDir()
  const a = runCli(['import', fixture('servers.csv'), '--format', 'generic-csv', '-w', tmp.dir])
  expect(a.code, a.stderr).toBe(0)
  const b = runCli(['import', fixture('connections.csv'), '-w', tmp.dir])
  expect(b.code, b.stderr).toBe(0)
})
afterAll(() => tmp.cleanup())

describe('waves commands', () => {
  it('waves groups --json lists groups with members, evidence and links, and the shared services', () => {
    const r = runCli(['waves', 'groups', '-w', tmp.dir, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const out = r.json<WavesGroupsResult>()
    expect(out.sharedServices.map((s) => [s.name, s.kinds])).toEqual([
      ['ad01', ['directory']],
      ['dns01', ['dns']],
    ])
    const byName = Object.fromEntries(out.groups.map((g) => [g.name, g]))
    expect(byName.shop!.servers).toHaveLength(3)
    expect(byName.shop!.evidence.map((e) => e.kind)).toEqual(['label', 'traffic'])
    expect(Object.values(byName).find((g) => g.servers.length === 4)!.evidence[0]!.detail).toMatch(
      /^grouped by traffic: billing-app01, crm-app01, crm-app02, shared-db01/,
    )
    expect(byName.shop!.links).toEqual([expect.objectContaining({direction: 'in', ports: ['tcp/8080'], observations: 2, flows: 1})])
    expect(out.graph.unresolvedObservations).toBe(50)
  })

  it('waves --json plans dated waves, stores the plan, and is byte-identical run after run', () => {
    const args = ['waves', '-w', tmp.dir, '--json', '--start-date', '2027-01-04', '--max-servers', '4', '--blackout', '2027-01-18']
    const r = runCli(args)
    expect(r.code, r.stderr).toBe(0)
    const plan = r.json<WavesResult>()
    expect(plan.schemaVersion).toBe('migrate-plan.plan/1')
    expect(plan.strategySource).toBe('none')
    expect(plan.waves[0]).toMatchObject({pilot: true, start: '2027-01-04'})
    expect(plan.waves[1]!.start).toBe('2027-01-19')
    expect(plan.waves.every((w) => w.servers <= 4)).toBe(true)
    expect(plan.sharedServices.find((s) => s.name === 'dns01')!.neededByWave).toBe(1)
    expect(runCli(args).stdout).toBe(r.stdout)
    const human = runCli(['waves', '-w', tmp.dir, '--max-servers', '4'])
    expect(human.stdout).toMatch(/Pilot\s+day 0\s+1\s+1\s+dev/)
    expect(human.stdout).toMatch(/2 shared services/)
  })

  it('pins a group to a wave, and refuses an unknown name with exit 2', () => {
    const r = runCli(['waves', '-w', tmp.dir, '--json', '--pin', 'shop=4'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json<WavesResult>().groups.find((g) => g.name === 'shop')!.wave).toBe(4)
    const bad = runCli(['waves', '-w', tmp.dir, '--pin', 'shp=2'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toMatch(/no move group or application is called "shp"/)
  })

  it('export graph writes DOT with names quoted', () => {
    const dot = runCli(['export', 'graph', '-w', tmp.dir, '--format', 'dot'])
    expect(dot.code, dot.stderr).toBe(0)
    expect(dot.stdout).toMatch(/^digraph dependencies \{/)
    expect(dot.stdout).toContain(`label="=cmd|' /C calc'!A0"`)
    expect(dot.stdout).toContain('group="evil\\"app"')
  })

  it('export graph writes CSV with formulas neutralised', () => {
    const file = join(tmp.dir, 'deps.csv')
    const csv = runCli(['export', 'graph', '-w', tmp.dir, '--format', 'csv', '--output', file, '--json'])
    expect(csv.code, csv.stderr).toBe(0)
    expect(csv.json<ExportGraphResult>()).toMatchObject({format: 'csv', edges: 19})
    const rows = parse(readFileSync(file, 'utf8'), {columns: true}) as Record<string, string>[]
    expect(rows.find((x) => x.client_name!.includes('calc'))!.client_name).toBe(`'=cmd|' /C calc'!A0`)
    expect(rows.find((x) => x.server_name === 'dns01')!.server_shared_service).toBe('dns')
  })

  it('export graph writes GraphML, and --json without --output is refused', () => {
    const xml = runCli(['export', 'graph', '-w', tmp.dir, '--format', 'graphml'])
    expect(xml.stdout).toContain('<data key="group">evil&quot;app</data>')
    expect(runCli(['export', 'graph', '-w', tmp.dir, '--json']).code).toBe(2)
  })
})
