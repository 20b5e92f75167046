/**
 * The agent for real: the single-file collector run with plain node from an empty folder, resumed
 * after kill -9, stopped with SIGTERM, run as an unprivileged user, and the oclif `collect` command.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {chmodSync, copyFileSync, existsSync, readdirSync, readFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {afterEach, beforeAll, beforeEach, describe, expect, it} from 'vitest'

import type {CollectResult} from '../../src/collect/collect.js'
import type {CollectState} from '../../src/collect/state.js'
import {agentFileSchema, type AgentFile} from '../../src/model/agent-file.js'
import type {InventoryListResult} from '../../commands/inventory/list.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {BUNDLE, ensureBundle} from './bundle.js'

let tmp: ReturnType<typeof tempDir>
beforeAll(ensureBundle)
beforeEach(() => {
  tmp = tempDir('mp-collect-')
})
afterEach(() => tmp.cleanup())

function readJson<T>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T
}

function exited(child: ChildProcess): Promise<{code: number | null; signal: NodeJS.Signals | null}> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({code, signal})))
}

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs
  for (;;) {
    let v: T | undefined
    try {
      v = probe()
    } catch {
      v = undefined
    }
    if (v !== undefined) return v
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

describe('single-file collector', {timeout: 180_000}, () => {
  it('runs a snapshot with plain node from an empty folder; the CLI imports the result', () => {
    const dir = join(tmp.dir, 'server')
    spawnSync('mkdir', [dir])
    copyFileSync(BUNDLE, join(dir, 'migrate-plan-collector.cjs'))
    expect(readdirSync(dir)).toEqual(['migrate-plan-collector.cjs'])
    const r = spawnSync(process.execPath, ['migrate-plan-collector.cjs', '--json'], {
      cwd: dir,
      encoding: 'utf8',
      env: {PATH: process.env.PATH},
    })
    expect(r.status, r.stderr).toBe(0)
    const result = JSON.parse(r.stdout) as CollectResult
    const file = join(dir, `${hostname()}.migrate-plan.json`)
    expect(result).toMatchObject({mode: 'snapshot', file, hostname: hostname()})
    const doc = agentFileSchema.parse(readJson(file))
    expect(doc.collector).toMatchObject({kind: 'agent', mode: 'snapshot', privileged: true})
    expect(doc.os.platform).toBe(process.platform)
    expect(doc.memory.totalMib).toBeGreaterThan(0)
    expect(doc.processes.some((p) => p.pid === process.pid)).toBe(true)
    expect(doc.utilisation).toBeUndefined()

    const ws = join(tmp.dir, 'ws')
    const imp = runCli(['import', file, '-w', ws, '--json'])
    expect(imp.code, imp.stderr).toBe(0)
    const list = runCli(['inventory', 'list', '-w', ws, '--json']).json<InventoryListResult>()
    expect(list.servers.map((s) => s.name)).toEqual([hostname().split('.')[0]])
  })

  it('takes the same flags as `collect` and refuses bad ones with exit 2', () => {
    const help = spawnSync(process.execPath, [BUNDLE, '--help'], {encoding: 'utf8'})
    const cliHelp = runCli(['collect', '--help'])
    for (const flag of [
      '--out',
      '--duration',
      '--interval',
      '--flush-interval',
      '--state',
      '--push',
      '--token',
      '--ca',
      '--retries',
      '--retry-delay',
      '--resend',
    ]) {
      expect(help.stdout).toContain(flag)
      expect(cliHelp.stdout).toContain(flag)
    }
    const bad = spawnSync(process.execPath, [BUNDLE, '--interval', '60'], {encoding: 'utf8', cwd: tmp.dir})
    expect(bad.status).toBe(2)
    expect(bad.stderr).toMatch(/--interval "60" is not a duration/)
    const unknown = spawnSync(process.execPath, [BUNDLE, '--bogus'], {encoding: 'utf8', cwd: tmp.dir})
    expect(unknown.status).toBe(2)
  })

  it('resumes the window after kill -9, losing at most one flush interval', async () => {
    const out = join(tmp.dir, 'host.json')
    const state = `${out}.state`
    const args = [BUNDLE, '--out', out, '--duration', '14s', '--interval', '1s', '--flush-interval', '1s', '--json']
    const first = spawn(process.execPath, args, {cwd: tmp.dir, stdio: 'ignore'})
    const gone = exited(first)
    const before = await until('three flushed samples', () => {
      const s = readJson<CollectState>(state)
      return s.metrics.cpuPct.count >= 3 ? s : undefined
    })
    first.kill('SIGKILL')
    expect((await gone).signal).toBe('SIGKILL')
    const atKill = readJson<CollectState>(state) // what survived the kill
    expect(atKill.metrics.cpuPct.count).toBeGreaterThanOrEqual(before.metrics.cpuPct.count)
    expect(existsSync(out)).toBe(false)

    const second = spawnSync(process.execPath, args, {cwd: tmp.dir, encoding: 'utf8', timeout: 60_000})
    expect(second.status, second.stderr).toBe(0)
    expect(second.stderr).toMatch(/resuming the window started/)
    const result = JSON.parse(second.stdout) as CollectResult
    expect(result).toMatchObject({resumed: true, interrupted: false, windowStart: before.windowStart})
    const doc = agentFileSchema.parse(readJson(out))
    const u = doc.utilisation!
    expect(u.windowStart).toBe(before.windowStart)
    expect(u.cpuPct!.samples).toBe(result.samples)
    expect(result.samples).toBeGreaterThan(atKill.metrics.cpuPct.count) // flushed samples kept, new ones added
    expect(u.memoryPct!.samples).toBe(result.samples)
    expect(u.percentileMethod).toMatch(/^exact/)
    expect(Date.parse(u.windowEnd!) - Date.parse(u.windowStart!)).toBeGreaterThanOrEqual(12_000)
    expect(existsSync(state)).toBe(false) // a finished window leaves no state behind
  })

  it('SIGTERM saves the state and writes the window so far; the next run finishes it', async () => {
    const out = join(tmp.dir, 'host.json')
    const args = [BUNDLE, '--out', out, '--duration', '1h', '--interval', '1s', '--flush-interval', '5m', '--json']
    const child = spawn(process.execPath, args, {cwd: tmp.dir, stdio: ['ignore', 'pipe', 'pipe']})
    let stdout = ''
    child.stdout!.on('data', (c: Buffer) => (stdout += c.toString()))
    const gone = exited(child)
    await until('the first flush', () => (existsSync(`${out}.state`) ? true : undefined))
    await new Promise((r) => setTimeout(r, 2500))
    child.kill('SIGTERM')
    expect((await gone).code).toBe(1)
    const result = JSON.parse(stdout) as CollectResult
    expect(result.interrupted).toBe(true)
    expect(result.samples).toBeGreaterThanOrEqual(1)
    const doc = agentFileSchema.parse(readJson(out))
    expect(doc.limitations.join('\n')).toMatch(/window interrupted after \d+ samples/)
    const saved = readJson<CollectState>(`${out}.state`)
    expect(saved.metrics.cpuPct.count).toBe(result.samples)
    // Another window length is refused rather than mixed in.
    const other = spawnSync(process.execPath, [BUNDLE, '--out', out, '--duration', '2h', '--interval', '1s'], {
      encoding: 'utf8',
      cwd: tmp.dir,
    })
    expect(other.status).toBe(2)
    expect(other.stderr).toMatch(/belongs to another window/)
  })

  it('runs without root, collects what it can and lists what it could not see', () => {
    if (process.getuid?.() !== 0) return // the test needs root to drop to an unprivileged user
    chmodSync(tmp.dir, 0o777)
    const bundle = join(tmp.dir, 'collector.cjs')
    copyFileSync(BUNDLE, bundle)
    chmodSync(bundle, 0o755)
    const out = join(tmp.dir, 'nobody.json')
    const r = spawnSync(process.execPath, [bundle, '--out', out], {
      cwd: tmp.dir,
      encoding: 'utf8',
      uid: 65534,
      gid: 65534,
      env: {PATH: process.env.PATH},
    })
    expect(r.status, r.stderr).toBe(0)
    const doc: AgentFile = agentFileSchema.parse(readJson(out))
    expect(doc.collector.privileged).toBe(false)
    expect(doc.processes.length).toBeGreaterThan(1)
    expect(doc.limitations.join('\n')).toMatch(/not running as root|without root|needs root/)
  })
})

describe('collect command', {timeout: 120_000}, () => {
  it('writes a snapshot and answers --json with its result', () => {
    const out = join(tmp.dir, 'cli.json')
    const r = runCli(['collect', '--out', out, '--json'])
    expect(r.code, r.stderr).toBe(0)
    expect(r.json<CollectResult>()).toMatchObject({mode: 'snapshot', file: out})
    const doc = agentFileSchema.parse(readJson(out))
    expect(doc.collector.version).toMatch(/^\d+\.\d+\.\d+/)
  })
})
