import {spawn} from 'node:child_process'
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {CatalogRefreshResult} from '../../commands/catalog/refresh.js'
import type {CatalogShowResult} from '../../commands/catalog/show.js'
import {BIN, ROOT, runCli, tempDir, type CliResult} from '../helpers/cli.js'
import {recordedAws, startFakeAws, type FakeAws, type FakeAwsOptions} from '../aws/fake-aws.js'

let tmp: ReturnType<typeof tempDir>
let fake: FakeAws | undefined
beforeEach(() => {
  tmp = tempDir()
})
afterEach(async () => {
  await fake?.close()
  fake = undefined
  tmp.cleanup()
})

/** Like runCli, but asynchronous so that the fake AWS server in this process can answer. No AWS_* from the outside. */
function runCliAsync(args: readonly string[], env: Record<string, string>): Promise<CliResult> {
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('AWS_') && k !== 'MIGRATE_PLAN_WORKSPACE'))
  writeFileSync(join(tmp.dir, 'aws-config'), '')
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {
      ...clean,
      NO_COLOR: '1',
      AWS_CONFIG_FILE: join(tmp.dir, 'aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(tmp.dir, 'aws-config'),
      AWS_EC2_METADATA_DISABLED: 'true',
      ...env,
    },
  })
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  return new Promise((resolve) =>
    child.on('close', (code) =>
      resolve({
        code: code ?? -1,
        stdout,
        stderr,
        json<T>() {
          return JSON.parse(stdout) as T
        },
      }),
    ),
  )
}

const keys = {AWS_ACCESS_KEY_ID: 'AKIDFAKEFAKEFAKE', AWS_SECRET_ACCESS_KEY: 'fake-secret'}

async function refresh(options: FakeAwsOptions, region: string, env: Record<string, string> = keys, json = true): Promise<CliResult> {
  fake ??= await startFakeAws(options)
  const args = ['catalog', 'refresh', '--region', region, '--endpoint-url', fake.endpoint, '--max-attempts', '2', '-w', tmp.dir]
  return runCliAsync(json ? [...args, '--json'] : args, env)
}

describe('catalog show', () => {
  it('shows m5.large with its prices and sources, without a workspace', () => {
    const r = runCli(['catalog', 'show', 'm5.large', '--region', 'us-east-1', '-w', tmp.dir, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const v = r.json<CatalogShowResult>()
    expect(v.kind).toBe('type')
    if (v.kind !== 'type') return
    expect(v.prices.find((p) => p.os === 'linux' && p.model === 'on-demand')).toMatchObject({
      usdPerHour: 0.096,
      usdPerMonth: 70.08,
      sourceId: 'karpenter-pricing-2026-07-20',
    })
    const human = runCli(['catalog', 'show', 'm5.large', '--region', 'us-east-1', '-w', tmp.dir])
    expect(human.stdout).toMatch(/us-east-1\s+linux\s+on-demand\s+0\.096\s+70\.08\s+read\s+karpenter-pricing-2026-07-20 2026-07-20/)
  })

  it('an unknown type or region is bad input (exit 2) with a hint', () => {
    const t = runCli(['catalog', 'show', 'm5.huge', '-w', tmp.dir])
    expect(t.code).toBe(2)
    expect(t.stderr).toMatch(/no instance type "m5.huge"[\s\S]*m5\.large/)
    const r = runCli(['catalog', 'show', '--region', 'mars-north-1', '-w', tmp.dir])
    expect(r.code).toBe(2)
  })
})

describe('catalog refresh (real SDK clients, recorded responses on 127.0.0.1)', () => {
  it('stores eu-west-1 in the workspace; catalog show then uses it', async () => {
    const r = await refresh(recordedAws(), 'eu-west-1')
    expect(r.code, r.stderr).toBe(0)
    const out = r.json<CatalogRefreshResult>()
    expect(out).toMatchObject({
      region: 'eu-west-1',
      publicationDate: '2021-01-15',
      onDemand: {linux: 1, windows: 0},
      reservedTypes: 1,
      instanceTypes: 1,
    })
    expect(out.catalogVersion).toMatch(/\+refreshed-/)
    const show = runCli(['catalog', 'show', 't2.micro', '--region', 'eu-west-1', '-w', tmp.dir, '--json']).json<CatalogShowResult>()
    if (show.kind !== 'type') throw new Error('expected a type view')
    expect(show.prices.find((p) => p.model === 'on-demand')).toMatchObject({
      usdPerHour: 0.0126,
      sourceId: 'aws-price-list-eu-west-1-2021-01-15',
    })
    expect(show.prices.filter((p) => p.model.startsWith('reserved 3yr'))).toHaveLength(6)
    // the refreshed region replaced the embedded one: m5.large is no longer priced there
    const m5 = runCli(['catalog', 'show', 'm5.large', '--region', 'eu-west-1', '-w', tmp.dir, '--json']).json<CatalogShowResult>()
    expect(m5.kind === 'type' && m5.prices).toEqual([])
  })

  const failures: {name: string; options: FakeAwsOptions; env?: Record<string, string>; message: RegExp}[] = [
    {
      name: 'throttling',
      options: {pricing: () => ({kind: 'json', status: 400, type: 'ThrottlingException', message: 'Rate exceeded'})},
      message: /throttled/,
    },
    {
      name: 'access denied',
      options: {
        pricing: () => ({
          kind: 'json',
          status: 400,
          type: 'AccessDeniedException',
          message: 'not authorized to perform: pricing:GetProducts',
        }),
      },
      message: /access denied/,
    },
    {name: 'no credentials', options: recordedAws(), env: {}, message: /no AWS credentials/},
  ]
  for (const c of failures) {
    it(`${c.name}: exit 3, one clear message, and the stored catalog is unchanged`, async () => {
      const first = await refresh(recordedAws(), 'eu-west-1')
      expect(first.code, first.stderr).toBe(0)
      const before = runCli(['catalog', 'show', '-w', tmp.dir, '--json']).json<CatalogShowResult>()
      await fake!.close()
      fake = await startFakeAws(c.options)
      const r = await refresh(c.options, 'us-east-1', c.env ?? keys, false)
      expect(r.code, r.stderr).toBe(3)
      const message = r.stderr.replace(/\s*›\s*/g, ' ')
      expect(message).toMatch(c.message)
      expect(message).toMatch(/catalog was not changed/)
      expect(message).not.toMatch(/NodeVersionSupportWarning|at .*\.js:\d+/)
      const after = runCli(['catalog', 'show', '-w', tmp.dir, '--json']).json<CatalogShowResult>()
      expect(after).toEqual(before)
    })
  }
})
