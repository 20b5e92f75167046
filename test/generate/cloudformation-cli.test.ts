import {copyFileSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import type {GenerateCloudFormationResult} from '../../commands/generate/cloudformation.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const flat = (s: string) => s.replace(/\s*\n\s*›\s*/g, ' ')

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir()
  copyFileSync(join(ROOT, 'test/fixtures/generate/migrate-plan.yaml'), join(tmp.dir, 'migrate-plan.yaml'))
  const r = runCli(['import', join(ROOT, 'test/fixtures/generate/servers.csv'), '--format', 'generic-csv', '-w', tmp.dir])
  expect(r.code, r.stderr).toBe(0)
})
afterAll(() => tmp.cleanup())

describe('generate cloudformation (CLI, end to end through assess and waves)', () => {
  it('says which command to run first when the assessment or the plan is missing (exit 2)', () => {
    const noAssessment = runCli(['generate', 'cloudformation', '--out', join(tmp.dir, 'cfn'), '-w', tmp.dir])
    expect(noAssessment.code).toBe(2)
    expect(flat(noAssessment.stderr)).toMatch(/no assessment yet.*Run `migrate-plan assess` first/)
    expect(runCli(['assess', '-w', tmp.dir]).code).toBe(0)
    const noPlan = runCli(['generate', 'cloudformation', '--out', join(tmp.dir, 'cfn'), '-w', tmp.dir])
    expect(noPlan.code).toBe(2)
    expect(flat(noPlan.stderr)).toMatch(/no wave plan yet.*Run `migrate-plan waves` first/)
  })

  it('import → assess → waves → generate cloudformation --validate: every template valid, exit 0', {timeout: 600_000}, () => {
    expect(runCli(['waves', '-w', tmp.dir]).code).toBe(0)
    const out = join(tmp.dir, 'cfn')
    const r = runCli(['generate', 'cloudformation', '--out', out, '--validate', '-w', tmp.dir, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = r.json<GenerateCloudFormationResult>()
    expect(result.validation).toMatchObject({errors: [], warnings: []})
    expect(result.validation!.templates).toBe(result.stacks.length)
    expect(result.stacks.some((s) => s.kind === 'workload')).toBe(true)
    for (const s of result.stacks) expect(() => parse(readFileSync(join(out, s.file), 'utf8'))).not.toThrow()
    const wave = runCli(['generate', 'cloudformation', '--out', out, '--wave', '99', '-w', tmp.dir])
    expect(wave.code).toBe(2)
    expect(flat(wave.stderr)).toMatch(/the plan has no wave 99/)
  })
})
