import {readdirSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ExportResult} from '../../commands/export/index.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {hostileWorkspace} from '../report/helpers.js'

let tmp: ReturnType<typeof tempDir>
let wsDir: string

beforeAll(async () => {
  tmp = tempDir('mp-export-cli-')
  wsDir = join(tmp.dir, 'ws')
  ;(await hostileWorkspace(wsDir)).close()
})
afterAll(() => tmp.cleanup())

const snapshot = (dir: string): Record<string, string> =>
  Object.fromEntries(
    readdirSync(dir)
      .sort()
      .map((f) => [f, readFileSync(join(dir, f)).toString('base64')]),
  )

describe('export command', () => {
  it.each(['csv', 'xlsx', 'json'] as const)(
    'writes %s, reports what it wrote (the xlsx twice: the same bytes again)',
    (format) => {
      const out = join(tmp.dir, format)
      const r = runCli(['export', '-w', wsDir, '--format', format, '--out', out, '--json'])
      expect(r.code, r.stderr).toBe(0)
      const res = r.json<ExportResult>()
      expect(res.format).toBe(format)
      expect(res.plan).toBe(true)
      expect(res.written).toEqual(
        format === 'csv'
          ? ['dependencies.csv', 'findings.csv', 'groups.csv', 'servers.csv', 'shared_services.csv', 'waves.csv']
          : format === 'xlsx'
            ? ['migrate-plan.xlsx']
            : ['assessment.json', 'plan.json'],
      )
      expect(res.tables.servers ?? res.tables.assessment).toBe(6)
      if (format !== 'xlsx') return
      const first = snapshot(out)
      const again = runCli(['export', '-w', wsDir, '--format', format, '--out', out])
      expect(again.code, again.stderr).toBe(0)
      expect(again.stdout).toMatch(/files in /)
      expect(snapshot(out)).toEqual(first)
    },
    180_000,
  )

  it('refuses a workspace without an assessment (exit 2) and writes nothing', () => {
    const empty = join(tmp.dir, 'empty')
    Workspace.open(empty, {create: true}).close()
    const out = join(tmp.dir, 'nothing')
    const r = runCli(['export', '-w', empty, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/no assessment/)
    expect(() => readdirSync(out)).toThrow()
  }, 120_000)
})
