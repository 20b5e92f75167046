import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import {afterAll, describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {MAX_STACK_RESOURCES} from '../../src/generate/cloudformation/index.js'
import {runPipeline} from '../../src/pipeline.js'
import {writeSplitInputs} from '../fixtures/generate/split-estate.js'

describe('workload stacks over CloudFormation’s resource quota', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mp-cfn-split-'))
  afterAll(() => rmSync(dir, {recursive: true, force: true}))

  it('are split into -part-NN stacks of whole move groups, each within 500 resources, every server in exactly one', async () => {
    const inputs = join(dir, 'inputs')
    await writeSplitInputs(inputs)
    const out = join(dir, 'out')
    const result = await runPipeline({inputs: [inputs], out, asOf: '2027-01-01'})
    const cfn = result.outputs.find((o) => o.name === 'cloudformation')!
    expect(cfn.status).toBe('written')

    const waveFiles = cfn.files.map((f) => f.path).filter((p) => p.startsWith('waves/') && p.endsWith('.yaml'))
    const parts = waveFiles.filter((p) => /-part-\d\d\.yaml$/.test(p))
    expect(parts.length).toBeGreaterThan(1)
    // A split stack has no unsplit sibling of the same name.
    for (const p of parts) expect(waveFiles).not.toContain(p.replace(/-part-\d\d\.yaml$/, '.yaml'))

    const instancesOf = new Map<string, string>()
    for (const file of waveFiles) {
      const doc = parse(readFileSync(join(out, 'cloudformation', file), 'utf8')) as {
        Resources: Record<string, {Type: string; Properties?: {Tags?: {Key: string; Value: string}[]}}>
      }
      expect(Object.keys(doc.Resources).length, file).toBeLessThanOrEqual(MAX_STACK_RESOURCES)
      for (const r of Object.values(doc.Resources)) {
        if (r.Type !== 'AWS::EC2::SecurityGroup') continue
        const names = r.Properties?.Tags?.find((t) => t.Key === 'migrate-plan:servers')?.Value ?? ''
        for (const name of names.split(', ').filter(Boolean)) {
          expect(instancesOf.has(name), `${name} in ${file} and ${instancesOf.get(name)}`).toBe(false)
          instancesOf.set(name, file)
        }
      }
    }
    // Every planned server with a security group (EC2 and web units) appears once, in some stack.
    expect(instancesOf.size).toBeGreaterThan(300)
    // The runbook tells the operator about parts.
    const runbooks = readdirSync(join(out, 'runbooks'), {recursive: true}).map(String)
    const md = runbooks.find((f) => f.endsWith('runbook.md'))!
    expect(readFileSync(join(out, 'runbooks', md), 'utf8')).toMatch(/-part-NN/)
  }, 300_000)
})
