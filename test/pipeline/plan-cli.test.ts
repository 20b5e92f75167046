/** `migrate-plan plan` as a real process: exit codes, --json manifest, quiet in pipes, byte-identical reruns. */
import {cpSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {PlanResult} from '../../commands/plan.js'
import {runPipeline} from '../../src/pipeline.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {ACME, AS_OF} from '../report/helpers.js'
import {tree} from './helpers.js'

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir('mp-plan-cli-')
})
afterAll(() => tmp.cleanup())

describe('plan command', () => {
  it('runs the example estate offline, prints the manifest with --json, stays quiet on a pipe, and reruns byte for byte', () => {
    const out = join(tmp.dir, 'out')
    const r = runCli(['plan', ACME, '--out', out, '--as-of', AS_OF, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stderr).toBe('')
    const m = r.json<PlanResult>()
    expect(m.out).toBe(out)
    expect(m.exitCode).toBe(0)
    expect(m.outputs.map((o) => o.name)).toEqual(['workspace', 'landing-zone', 'cloudformation', 'runbooks', 'report', 'export'])
    const report = m.outputs.find((o) => o.name === 'report')!
    expect(readFileSync(join(out, report.path)).length).toBe(report.files[0]!.bytes)
    const before = tree(out, 'workspace')
    const human = runCli(['plan', ACME, '--out', out, '--as-of', AS_OF])
    expect(human.code, human.stderr).toBe(0)
    expect(human.stderr).toBe('')
    expect(human.stdout).toContain(join(out, 'report.html'))
    expect(human.stdout).toMatch(/CloudFormation\s+\S+cloudformation\s+\(\d+ files\)/)
    const after = tree(out, 'workspace')
    expect([...after.keys()]).toEqual([...before.keys()])
    for (const [p, bytes] of before) expect(Buffer.compare(after.get(p)!, bytes), p).toBe(0)
  }, 300_000)

  it('generates CloudFormation on a thread of its own: the same files as in one thread; a failure elsewhere waits for it and leaves no partial file', async () => {
    const threaded = join(tmp.dir, 'threaded')
    const r = runCli(['plan', ACME, '--out', threaded, '--as-of', AS_OF, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const m = r.json<PlanResult>()
    expect(m.phases.find((p) => p.phase === 'cloudformation')?.thread).toBe(true)
    expect(m.phases.filter((p) => p.thread)).toHaveLength(1)
    // The run's own wall time, not the sum of overlapping phases.
    expect(m.seconds).toBeGreaterThan(0)
    // The same run in one thread (runPipeline from the sources never starts the thread).
    const single = join(tmp.dir, 'single')
    const inOne = await runPipeline({inputs: [ACME], out: single, asOf: AS_OF, cloudFormationThread: false})
    expect(inOne.phases.some((p) => p.thread)).toBe(false)
    // The phases in the same order whichever thread made the stacks (pipeline.test.ts has the order).
    expect(m.phases.map((p) => p.phase)).toEqual(inOne.phases.map((p) => p.phase))
    expect(inOne.outputs).toEqual(m.outputs.map((o) => (o.name === 'workspace' ? {...o, path: 'workspace'} : o)))
    const a = tree(join(threaded, 'cloudformation'))
    const b = tree(join(single, 'cloudformation'))
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort())
    expect(a.size).toBeGreaterThan(10)
    for (const [p, bytes] of b) expect(Buffer.compare(a.get(p)!, bytes), p).toBe(0)

    // The report cannot be written (a folder is in its place) while the thread works.
    const failing = join(tmp.dir, 'failing')
    mkdirSync(join(failing, 'report.html', 'x'), {recursive: true})
    const f = runCli(['plan', ACME, '--out', failing, '--as-of', AS_OF])
    expect(f.code).not.toBe(0)
    expect(f.stderr).toMatch(/EISDIR/)
    expect(f.stderr).not.toMatch(/Warning/)
    const left = tree(failing)
    expect([...left.keys()].filter((p) => p.includes('.tmp-'))).toEqual([])
    // The thread finished its folder: complete, with its manifest, the same files.
    for (const [p, bytes] of b) expect(Buffer.compare(left.get(`cloudformation/${p}`)!, bytes), p).toBe(0)
  }, 300_000)

  it('without organisation.emailDomain writes the rest, names the setting and exits 1', () => {
    const input = join(tmp.dir, 'acme')
    cpSync(ACME, input, {recursive: true})
    const yaml = join(input, 'migrate-plan.yaml')
    writeFileSync(yaml, readFileSync(yaml, 'utf8').replace(/^\s*emailDomain:.*$/m, ''))
    const out = join(tmp.dir, 'no-email')
    const r = runCli(['plan', input, '--out', out, '--as-of', AS_OF])
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/landing-zone, cloudformation, runbooks: organisation\.emailDomain is not set/)
    expect(existsSync(join(out, 'report.html'))).toBe(true)
    expect(existsSync(join(out, 'export/xlsx/migrate-plan.xlsx'))).toBe(true)
    expect(existsSync(join(out, 'landing-zone'))).toBe(false)
  }, 300_000)

  it('bad input: exit 2 and nothing written', () => {
    const bad = join(tmp.dir, 'bad.csv')
    writeFileSync(bad, 'colour,taste\nred,sweet\n')
    const out = join(tmp.dir, 'bad-out')
    const r = runCli(['plan', bad, '--out', out])
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(/cannot tell what format this is/)
    expect(existsSync(out)).toBe(false)
  }, 120_000)
})
