import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import type {AssessResult} from '../../commands/assess.js'
import type {Assessment} from '../../src/model/assessment.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
  const r = runCli([
    'import',
    join(ROOT, 'test/fixtures/agent/web01.json'),
    join(ROOT, 'test/fixtures/connections/basic.csv'),
    '-w',
    tmp.dir,
  ])
  expect(r.code, r.stderr).toBe(0)
})
afterEach(() => tmp.cleanup())

describe('migrate-plan assess', () => {
  it('assesses the workspace, stores the document, prints it with --json, byte-identical on a second run', () => {
    const a = runCli(['assess', '-w', tmp.dir, '--as-of', '2026-11-30', '--json'])
    expect(a.code, a.stderr).toBe(0)
    const doc = a.json<AssessResult>()
    expect(doc.schemaVersion).toBe('migrate-plan.assessment/1')
    expect(doc.asOf).toBe('2026-11-30')
    expect(doc.servers).toHaveLength(1)
    const web = doc.servers[0]!
    expect(web).toMatchObject({name: 'web01', strategy: 'rehost', target: {service: 'ec2', via: 'mgn'}})
    expect(web.sizing).toMatchObject({basis: 'performance', cpu: {statistic: 'p95', utilisationPct: 31}})
    expect(web.compute.lambda.estimate.inputs.requests).toMatch(/^agent: 900 inbound connections on tcp\/443/)
    const ws = Workspace.open(tmp.dir, {readonly: true})
    try {
      expect(ws.loadDocument<Assessment>('assessment')).toEqual(doc)
    } finally {
      ws.close()
    }
    const again = runCli(['assess', '-w', tmp.dir, '--as-of', '2026-11-30', '--json'])
    expect(again.stdout).toBe(a.stdout)
  })

  it('prints a summary table for people', () => {
    const r = runCli(['assess', '-w', tmp.dir, '--as-of', '2026-11-30'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.stdout).toMatch(
      /^Assessment of 1 servers in us-east-1 \(catalog embedded-[0-9a-f]{12}, rules builtin-[0-9a-f]{12}, as of 2026-11-30\)/,
    )
    expect(r.stdout).toMatch(/rehost\s+ec2\s+1/)
    expect(r.stdout).toMatch(/on-demand\s+[\d,.]+\s+1\s+0\s+1/)
    expect(r.stdout).toMatch(/reserved-3yr\s+-\s+0\s+1\s+0\s+not available offline/)
  })

  it('a usage file changes the Lambda estimate; an entry for an unknown server is a warning and exit 1', () => {
    const usage = join(tmp.dir, 'usage.yaml')
    writeFileSync(
      usage,
      'servers:\n  web01: {requestsPerMonth: 100000, durationMs: 100, memoryMb: 256}\n  ghost01: {requestsPerMonth: 5}\n',
    )
    const r = runCli(['assess', '-w', tmp.dir, '--as-of', '2026-11-30', '--usage', usage, '--json'])
    expect(r.code).toBe(1)
    const doc = r.json<AssessResult>()
    expect(doc.servers[0]!.compute.lambda.estimate).toMatchObject({
      requestsPerMonth: 100000,
      durationMs: 100,
      memoryMb: 256,
      inputs: {requests: 'usage file'},
    })
    expect(doc.diagnostics).toEqual([{code: 'USAGE_UNMATCHED', message: 'the usage file names "ghost01", which matches no server'}])
  })

  it('user rules add to and override the built-in ones', () => {
    const rules = join(tmp.dir, 'rules.yaml')
    writeFileSync(
      rules,
      `rules:
  - id: retain-prod-web
    stage: strategy
    priority: 950
    description: Web servers stay until the CDN project is done
    when: {fact: software.names, contains: nginx}
    then: {strategy: retain, target: none, message: "web tier waits for the CDN project"}
`,
    )
    const r = runCli(['assess', '-w', tmp.dir, '--as-of', '2026-11-30', '--rules', rules, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const doc = r.json<AssessResult>()
    expect(doc.rules.userFile).toBe(rules)
    expect(doc.servers[0]).toMatchObject({strategy: 'retain', target: {service: 'none'}, rationale: 'web tier waits for the CDN project'})
    expect(doc.servers[0]!.rules.find((x) => x.decided)).toMatchObject({
      id: 'retain-prod-web',
      facts: {'software.names': ['java', 'nginx']},
    })
  })

  it('bad input is exit 2 with one clear message: a rules file reading an unknown fact, a bad region, a bad date', () => {
    const rules = join(tmp.dir, 'bad.yaml')
    writeFileSync(
      rules,
      'rules:\n  - id: x\n    stage: finding\n    description: d\n    when: {fact: cpu.p59, lessThan: 5}\n    then: {finding: {severity: low}, message: m}\n',
    )
    const bad = runCli(['assess', '-w', tmp.dir, '--rules', rules])
    expect(bad.code).toBe(2)
    expect(bad.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/bad\.yaml, column "rules\[0\]": rule "x" reads "cpu\.p59"/)
    expect(runCli(['assess', '-w', tmp.dir, '--region', 'Europe']).code).toBe(2)
    expect(runCli(['assess', '-w', tmp.dir, '--as-of', '30/11/2026']).code).toBe(2)
  })

  it('another region prices from that region', () => {
    const doc = runCli(['assess', '-w', tmp.dir, '--as-of', '2026-11-30', '--region', 'eu-west-1', '--json']).json<AssessResult>()
    expect(doc.region).toBe('eu-west-1')
    expect(doc.servers[0]!.ec2!.models[0]!.lines![0]!.price!.sourceId).toBe('tedivm-2022-11-22')
    expect(doc.catalog.sources).toEqual({'tedivm-2022-11-22': '2022-11-22'})
  })
})
