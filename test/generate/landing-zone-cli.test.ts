import {copyFileSync, existsSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {GenerateLandingZoneResult} from '../../commands/generate/landing-zone.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

/** oclif wraps error lines; join them back. */
const flat = (s: string) => s.replace(/\s*\n\s*›\s*/g, ' ')

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
  copyFileSync(join(ROOT, 'test/fixtures/generate/migrate-plan.yaml'), join(tmp.dir, 'migrate-plan.yaml'))
  const r = runCli(['import', join(ROOT, 'test/fixtures/generate/servers.csv'), '--format', 'generic-csv', '-w', tmp.dir])
  expect(r.code, r.stderr).toBe(0)
})
afterEach(() => tmp.cleanup())

describe('generate landing-zone (CLI)', () => {
  it('writes the landing zone from the workspace, the same bytes twice, and prunes nothing it still writes', () => {
    const out = join(tmp.dir, 'lz')
    const r = runCli(['generate', 'landing-zone', '--out', out, '-w', tmp.dir, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = r.json<GenerateLandingZoneResult>()
    expect(result.accounts.map((a) => a.name)).toEqual([
      'log-archive',
      'audit',
      'network',
      'shared-services',
      'finance-nonprod',
      'finance-prod',
      'retail-nonprod',
      'retail-prod',
    ])
    expect(result.accounts.find((a) => a.name === 'retail-prod')).toMatchObject({servers: 4, vpc: expect.stringMatching(/^10\.64\./)})
    expect(result.written).toBeGreaterThan(30)
    const manifest = readFileSync(join(out, 'control-tower/landing-zone-manifest.json'), 'utf8')
    const again = runCli(['generate', 'landing-zone', '--out', out, '-w', tmp.dir, '--json'])
    expect(again.json<GenerateLandingZoneResult>().removed).toEqual([])
    expect(readFileSync(join(out, 'control-tower/landing-zone-manifest.json'), 'utf8')).toBe(manifest)
    // The CSV neutralises the spreadsheet formula that came in as a business unit's server name.
    expect(readFileSync(join(out, 'organizations/accounts.csv'), 'utf8')).not.toMatch(/^=/m)
  })

  it('human output lists the accounts', () => {
    const r = runCli(['generate', 'landing-zone', '--out', join(tmp.dir, 'lz'), '-w', tmp.dir])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(/retail-prod\s+Workloads\/Prod\s+10\.64\.\d+\.0\/20\s+aws\+retail-prod@acme\.example/)
  })

  it('a missing e-mail domain exits 2 naming the setting, and writes nothing', () => {
    const yaml = readFileSync(join(tmp.dir, 'migrate-plan.yaml'), 'utf8').replace(/^ {2}emailDomain:.*\n/m, '')
    writeFileSync(join(tmp.dir, 'migrate-plan.yaml'), yaml)
    const out = join(tmp.dir, 'lz')
    const r = runCli(['generate', 'landing-zone', '--out', out, '-w', tmp.dir])
    expect(r.code).toBe(2)
    expect(flat(r.stderr)).toMatch(/organisation\.emailDomain is not set/)
    expect(existsSync(out)).toBe(false)
  })

  it('overlapping on-premises ranges exit 2 naming the setting', () => {
    const yaml = readFileSync(join(tmp.dir, 'migrate-plan.yaml'), 'utf8').replace(
      '[10.10.0.0/16, 10.20.0.0/16]',
      '[10.0.0.0/8, 10.20.0.0/16]',
    )
    writeFileSync(join(tmp.dir, 'migrate-plan.yaml'), yaml)
    const r = runCli(['generate', 'landing-zone', '--out', join(tmp.dir, 'lz'), '-w', tmp.dir])
    expect(r.code).toBe(2)
    expect(flat(r.stderr)).toMatch(/organisation\.onPremisesCidrs: 10\.0\.0\.0\/8 \(item 1\) and 10\.20\.0\.0\/16 \(item 2\) overlap/)
  })
})
