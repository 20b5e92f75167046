/**
 * The whole job in process: every output written from the example estate, byte-identical when run
 * again, a missing setting skips only the outputs that need it, bad input or settings write nothing.
 */
import {cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {runInNewContext} from 'node:vm'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ConfigError, UserInputError} from '../../src/errors.js'
import type {Assessment} from '../../src/model/assessment.js'
import type {Plan} from '../../src/model/plan.js'
import {runPipeline, type PipelineResult} from '../../src/pipeline.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {tempDir} from '../helpers/cli.js'
import {tree} from './helpers.js'
import {ACME, AS_OF, HOSTILE} from '../report/helpers.js'

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir('mp-pipeline-')
})
afterAll(() => tmp.cleanup())

describe('plan on the example estate', () => {
  let out: string
  let first: PipelineResult
  beforeAll(async () => {
    out = join(tmp.dir, 'acme-out')
    first = await runPipeline({inputs: [ACME], out, asOf: AS_OF})
  }, 300_000)

  it('leaves no garbage-collection function exposed after the full collection it forces', () => {
    // runPipeline sets --expose-gc only to take `gc` once (see collectGarbage); later contexts must not see it.
    expect(runInNewContext('typeof gc')).toBe('undefined')
  })

  it('writes the workspace, landing zone, CloudFormation, runbooks, report and exports', () => {
    expect(first.exitCode).toBe(0)
    expect(first.problems).toEqual([])
    expect(first.servers).toBe(69)
    expect(first.settingsFrom).toBe(join(ACME, 'migrate-plan.yaml'))
    expect(first.outputs.map((o) => [o.name, o.status])).toEqual([
      ['workspace', 'written'],
      ['landing-zone', 'written'],
      ['cloudformation', 'written'],
      ['runbooks', 'written'],
      ['report', 'written'],
      ['export', 'written'],
    ])
    for (const o of first.outputs.filter((x) => x.name !== 'workspace')) {
      expect(o.files.length, o.name).toBeGreaterThan(0)
      for (const f of o.files) {
        const path = o.name === 'report' ? join(out, o.path) : join(out, o.path, f.path)
        expect(readFileSync(path).length, path).toBe(f.bytes)
      }
    }
    const exp = first.outputs.find((o) => o.name === 'export')!.files.map((f) => f.path)
    expect(exp).toEqual([
      'csv/dependencies.csv',
      'csv/findings.csv',
      'csv/groups.csv',
      'csv/servers.csv',
      'csv/shared_services.csv',
      'csv/waves.csv',
      'json/assessment.json',
      'json/plan.json',
      'xlsx/migrate-plan.xlsx',
    ])
    expect(first.phases.map((p) => p.phase)).toEqual([
      'settings',
      'import',
      'assess',
      'waves',
      'landing-zone',
      'cloudformation',
      'runbooks',
      'report',
      'export',
    ])
    for (const p of first.phases) expect(p.seconds).toBeGreaterThanOrEqual(0)
  })

  it('leaves a workspace the step commands can use, holding the documents the exports show', () => {
    const ws = Workspace.open(join(out, 'workspace'), {readonly: true})
    try {
      expect(ws.serverCount()).toBe(69)
      expect(ws.settings.organisation.emailDomain).toBe('acme.example')
      const a = ws.loadDocument<Assessment>('assessment')!
      expect(a.asOf).toBe(AS_OF)
      expect(JSON.parse(readFileSync(join(out, 'export/json/assessment.json'), 'utf8'))).toStrictEqual(a)
      expect(JSON.parse(readFileSync(join(out, 'export/json/plan.json'), 'utf8'))).toStrictEqual(ws.loadDocument<Plan>('plan'))
    } finally {
      ws.close()
    }
    expect(readdirSync(out).filter((f) => f.startsWith('.workspace'))).toEqual([])
  })

  it('writes byte-identical files when run again on the same inputs', async () => {
    const before = tree(out, 'workspace')
    const again = await runPipeline({inputs: [ACME], out, asOf: AS_OF})
    expect(again.exitCode).toBe(0)
    const after = tree(out, 'workspace')
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    for (const [path, bytes] of before) expect(Buffer.compare(after.get(path)!, bytes), path).toBe(0)
    expect(again.outputs.flatMap((o) => o.removed)).toEqual([])
  }, 300_000)
})

describe('a missing setting', () => {
  it('skips only the outputs that need it, names the setting, exit code 1; stale files from an earlier run go', async () => {
    const input = join(tmp.dir, 'acme-no-email')
    cpSync(ACME, input, {recursive: true})
    const out = join(tmp.dir, 'no-email-out')
    const full = await runPipeline({inputs: [input], out, asOf: AS_OF})
    expect(full.exitCode).toBe(0)
    expect(existsSync(join(out, 'landing-zone/control-tower/landing-zone-manifest.json'))).toBe(true)
    const yaml = readFileSync(join(input, 'migrate-plan.yaml'), 'utf8')
    writeFileSync(join(input, 'migrate-plan.yaml'), yaml.replace(/^\s*emailDomain:.*$/m, ''))
    const r = await runPipeline({inputs: [input], out, asOf: AS_OF})
    expect(r.exitCode).toBe(1)
    const skipped = r.outputs.filter((o) => o.status === 'skipped')
    expect(skipped.map((o) => o.name)).toEqual(['landing-zone', 'cloudformation', 'runbooks'])
    for (const o of skipped) expect(o.setting).toBe('organisation.emailDomain')
    expect(r.problems.map((p) => [p.output, p.setting])).toEqual([
      ['landing-zone', 'organisation.emailDomain'],
      ['cloudformation', 'organisation.emailDomain'],
      ['runbooks', 'organisation.emailDomain'],
    ])
    expect(r.outputs.filter((o) => o.status === 'written').map((o) => o.name)).toEqual(['workspace', 'report', 'export'])
    expect(skipped[0]!.removed.length).toBeGreaterThan(0)
    expect(existsSync(join(out, 'landing-zone/control-tower/landing-zone-manifest.json'))).toBe(false)
    expect(readFileSync(join(out, 'report.html'), 'utf8')).toContain('No landing-zone design: organisation.emailDomain is not set')
  }, 300_000)
})

describe('bad input or settings write nothing', () => {
  it.each([
    ['a path that does not exist', (d: string) => [join(d, 'missing.csv')], UserInputError, 'IMPORT_NOT_FOUND'],
    [
      'a file of no known format',
      (d: string) => {
        writeFileSync(join(d, 'what.csv'), 'colour,taste\nred,sweet\n')
        return [join(d, 'what.csv')]
      },
      UserInputError,
      'IMPORT_UNKNOWN_FORMAT',
    ],
    [
      'a bad migrate-plan.yaml among the inputs',
      (d: string) => {
        mkdirSync(join(d, 'in'))
        cpSync(join(HOSTILE, 'servers.csv'), join(d, 'in', 'servers.csv'))
        writeFileSync(join(d, 'in', 'migrate-plan.yaml'), 'assess:\n  region: moon-1\n')
        return [join(d, 'in')]
      },
      ConfigError,
      'SETTINGS_INVALID',
    ],
    [
      'two different settings files',
      (d: string) => {
        mkdirSync(join(d, 'a'))
        mkdirSync(join(d, 'b'))
        writeFileSync(join(d, 'a', 'migrate-plan.yaml'), 'waves: {cadenceDays: 7}\n')
        writeFileSync(join(d, 'b', 'migrate-plan.yaml'), 'waves: {cadenceDays: 21}\n')
        return [join(d, 'a'), join(d, 'b')]
      },
      ConfigError,
      'PLAN_SETTINGS_AMBIGUOUS',
    ],
  ] as const)('%s', async (_name, make, type, code) => {
    const dir = join(tmp.dir, `bad-${code}`)
    mkdirSync(dir, {recursive: true})
    const inputs = make(dir)
    const out = join(dir, 'out')
    const error = await runPipeline({inputs, out, asOf: AS_OF}).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(type)
    expect((error as UserInputError).code).toBe(code)
    expect(existsSync(out)).toBe(false)
  })

  it('a bad row found while importing: the existing output folder is left exactly as it was', async () => {
    const dir = join(tmp.dir, 'bad-row')
    mkdirSync(dir)
    const out = join(dir, 'out')
    mkdirSync(out)
    writeFileSync(join(out, 'keep.txt'), 'mine')
    writeFileSync(
      join(dir, 'connections.csv'),
      'source_ip,source_port,destination_ip,destination_port,transport_protocol,count\n10.0.0.1,1,10.0.0.2,not-a-port,tcp,1\n',
    )
    const error = await runPipeline({
      inputs: [join(HOSTILE, 'servers.csv'), join(dir, 'connections.csv')],
      out,
      format: undefined,
      asOf: AS_OF,
    }).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(UserInputError)
    expect(readdirSync(out)).toEqual(['keep.txt'])
  })
})

describe('an existing workspace', () => {
  it('imports into it and stores the documents there; its own settings win over the inputs’', async () => {
    const wsDir = join(tmp.dir, 'own-ws')
    mkdirSync(wsDir)
    writeFileSync(join(wsDir, 'migrate-plan.yaml'), readFileSync(join(HOSTILE, 'migrate-plan.yaml'), 'utf8'))
    const out = join(tmp.dir, 'own-ws-out')
    const r = await runPipeline({
      inputs: [join(HOSTILE, 'servers.csv'), join(HOSTILE, 'connections.csv')],
      out,
      workspace: wsDir,
      format: undefined,
      asOf: AS_OF,
    }).catch((e: unknown) => e)
    // The hostile servers.csv needs --format generic-csv: without it the run stops before writing.
    expect(r).toBeInstanceOf(UserInputError)
    expect(existsSync(out)).toBe(false)
    const ok = await runPipeline({inputs: [join(HOSTILE, 'servers.csv')], out, workspace: wsDir, format: 'generic-csv', asOf: AS_OF})
    expect(ok.workspace).toBe(wsDir)
    expect(ok.settingsFrom).toBe(join(wsDir, 'migrate-plan.yaml'))
    expect(ok.servers).toBe(6)
    expect(existsSync(join(out, 'workspace'))).toBe(false)
    const ws = Workspace.open(wsDir, {readonly: true})
    try {
      expect(ws.loadDocument<Assessment>('assessment')?.servers).toHaveLength(6)
      expect(ws.loadDocument<Plan>('plan')?.schemaVersion).toBe('migrate-plan.plan/1')
    } finally {
      ws.close()
    }
  }, 300_000)
})
