import {copyFileSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {parse as parseCsv} from 'csv-parse/sync'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {GenerateRunbooksResult} from '../../commands/generate/runbooks.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir()
  copyFileSync(join(ROOT, 'test/fixtures/generate/migrate-plan.yaml'), join(tmp.dir, 'migrate-plan.yaml'))
  for (const args of [['import', join(ROOT, 'test/fixtures/generate/servers.csv'), '--format', 'generic-csv'], ['assess'], ['waves']]) {
    const r = runCli([...args, '-w', tmp.dir])
    expect(r.code, r.stderr).toBe(0)
  }
}, 300_000)
afterAll(() => tmp.cleanup())

describe('generate runbooks (CLI, after import → assess → waves)', () => {
  it('writes a runbook per wave and an MGN import CSV whose cells cannot run as formulas', () => {
    const out = join(tmp.dir, 'runbooks')
    const r = runCli(['generate', 'runbooks', '--out', out, '-w', tmp.dir, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = r.json<GenerateRunbooksResult>()
    expect(result.waves.length).toBeGreaterThan(0)
    const rows = result.waves.flatMap((w) =>
      w.rehost ? (parseCsv(readFileSync(join(out, w.folder, 'mgn-import.csv'), 'utf8'), {columns: true}) as Record<string, string>[]) : [],
    )
    expect(rows.length).toBe(result.waves.reduce((n, w) => n + w.rehost, 0))
    for (const row of rows) for (const cell of Object.values(row)) expect(cell).not.toMatch(/^[=+\-@]/)
    expect(rows.map((x) => x['mgn:server:tag:Name'])).toContain(`'=cmd|' /C calc'!A0`)
    for (const w of result.waves) expect(readFileSync(join(out, w.folder, 'runbook.html'), 'utf8')).toMatch(/^<!DOCTYPE html>/)
  })

  it('an unknown --wave exits 2', () => {
    const r = runCli(['generate', 'runbooks', '--out', join(tmp.dir, 'rb'), '--wave', '42', '-w', tmp.dir])
    expect(r.code).toBe(2)
  })
})
