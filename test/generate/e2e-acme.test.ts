/**
 * End to end on the bundled example estate (examples/acme): import the RVTools export, assess,
 * plan waves, then every generator, the CloudFormation with --validate. Uses the real engines of
 * the other layers, so it catches what the hand-made fixtures cannot.
 */
import {copyFileSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {GenerateCloudFormationResult} from '../../commands/generate/cloudformation.js'
import type {GenerateLandingZoneResult} from '../../commands/generate/landing-zone.js'
import type {GenerateRunbooksResult} from '../../commands/generate/runbooks.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const flat = (s: string) => s.replace(/\s*\n\s*›\s*/g, ' ')

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir()
  copyFileSync(join(ROOT, 'examples/acme/migrate-plan.yaml'), join(tmp.dir, 'migrate-plan.yaml'))
  const imported = runCli(['import', join(ROOT, 'examples/acme/RVTools_export.xlsx'), '-w', tmp.dir])
  expect(imported.code, imported.stderr).toBe(0)
}, 600_000)
afterAll(() => tmp.cleanup())

describe('Acme example: import → assess → waves → generate', () => {
  it('runbooks before the plan exists: exit 2 naming the command to run', () => {
    const r = runCli(['generate', 'runbooks', '--out', join(tmp.dir, 'runbooks'), '-w', tmp.dir])
    expect(r.code).toBe(2)
    expect(flat(r.stderr)).toMatch(/Run `migrate-plan (assess|waves)` first/)
  })

  it('landing zone, CloudFormation (validated: 0 errors) and runbooks for every wave', {timeout: 1_200_000}, () => {
    expect(runCli(['assess', '-w', tmp.dir]).code).toBe(0)
    expect(runCli(['waves', '-w', tmp.dir]).code).toBe(0)
    const lz = runCli(['generate', 'landing-zone', '--out', join(tmp.dir, 'lz'), '-w', tmp.dir, '--json'])
    expect(lz.code, lz.stderr).toBe(0)
    expect(lz.json<GenerateLandingZoneResult>().accounts.map((a) => a.name)).toEqual(
      expect.arrayContaining([
        'log-archive',
        'audit',
        'network',
        'shared-services',
        'retail-prod',
        'finance-prod',
        'operations-prod',
        'it-prod',
      ]),
    )
    const cfn = runCli(['generate', 'cloudformation', '--out', join(tmp.dir, 'cfn'), '--validate', '-w', tmp.dir, '--json'])
    expect(cfn.code, cfn.stderr).toBe(0)
    const c = cfn.json<GenerateCloudFormationResult>()
    expect(c.validation?.errors).toEqual([])
    expect(c.validation?.warnings).toEqual([])
    expect(c.stacks.filter((s) => s.kind === 'workload').length).toBeGreaterThan(1)
    const rb = runCli(['generate', 'runbooks', '--out', join(tmp.dir, 'runbooks'), '-w', tmp.dir, '--json'])
    expect(rb.code, rb.stderr).toBe(0)
    const waves = rb.json<GenerateRunbooksResult>().waves
    expect(waves.length).toBeGreaterThan(1)
    for (const w of waves) {
      const md = readFileSync(join(tmp.dir, 'runbooks', w.folder, 'runbook.md'), 'utf8')
      expect(md).toContain('## 9. Rollback plan')
      if (w.rehost)
        expect(readFileSync(join(tmp.dir, 'runbooks', w.folder, 'mgn-import.csv'), 'utf8')).toMatch(/^mgn:region,mgn:wave:name,/)
    }
  })
})
