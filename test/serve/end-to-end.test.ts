/**
 * Done-when of the collectors: `collect` on this machine pushing to `serve`, the single-file
 * collector sampling and pushing too, and `discover ssh` against a local sshd, all landing in one
 * workspace that `inventory list` shows. Real processes throughout; nothing leaves 127.0.0.1.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {existsSync, mkdirSync, readdirSync, writeFileSync} from 'node:fs'
import {hostname} from 'node:os'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {CollectResult} from '../../commands/collect.js'
import type {DiscoverSshResult} from '../../commands/discover/ssh.js'
import type {InventoryListResult} from '../../commands/inventory/list.js'
import type {ServeResult} from '../../commands/serve.js'
import type {Server} from '../../src/model/server.js'
import {BUNDLE, ensureBundle} from '../collect/bundle.js'
import {freePort, knownHostsLine, sshdUnavailable, startSshd, TEST_USER, type TestSshd} from '../discover/sshd.js'
import {BIN, ROOT, runCli, tempDir} from '../helpers/cli.js'

const TOKEN = 'e2e-token-0123456789abcdef'
const unavailable = sshdUnavailable()
if (unavailable) console.warn(`skipping the end-to-end collection test: ${unavailable}`)

/** `serve` as a child process; resolves once it prints the URL it listens on. */
async function startServe(ws: string): Promise<{child: ChildProcess; url: string; stdout: () => string; stderr: () => string}> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '-w', ws, '--json'], {
    cwd: ROOT,
    env: {...process.env, MIGRATE_PLAN_TOKEN: TOKEN, NO_COLOR: '1'},
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let out = ''
  let err = ''
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()))
  const url = await new Promise<string>((resolve, reject) => {
    child.stderr!.on('data', (c: Buffer) => {
      err += c.toString()
      const m = /listening on (http\S+)/.exec(err)
      if (m) resolve(m[1]!)
    })
    child.once('exit', (code) => reject(new Error(`serve exited ${code}: ${err}`)))
  })
  return {child, url, stdout: () => out, stderr: () => err}
}

describe.skipIf(unavailable !== undefined)('collect + serve + discover ssh into one workspace', () => {
  let tmp: ReturnType<typeof tempDir>
  let sshd: TestSshd
  beforeAll(async () => {
    ensureBundle()
    tmp = tempDir('mp-e2e-')
    sshd = await startSshd(tmp.dir)
  })
  afterAll(async () => {
    await sshd?.stop()
    tmp?.cleanup()
  })

  it('lands every collector in the workspace shown by inventory list', {timeout: 300_000}, async () => {
    const ws = join(tmp.dir, 'ws')
    const serve = await startServe(ws)
    try {
      // 1. The agent on this machine, through the oclif command, pushing a snapshot.
      const agentDir = join(tmp.dir, 'agent')
      mkdirSync(agentDir)
      const pushed = runCli(['collect', '--push', serve.url, '--json'], {cwd: agentDir, env: {MIGRATE_PLAN_TOKEN: TOKEN}})
      expect(pushed.code, pushed.stderr).toBe(0)
      const pushResult = pushed.json<CollectResult>()
      expect(pushResult.push).toMatchObject({status: 'acknowledged', httpStatus: 201, attempts: 1})
      expect(pushResult.file).toBeUndefined() // acknowledged, so the default-named local file is gone
      expect(readdirSync(agentDir)).toEqual([])

      // 2. The single-file collector: a short sampling window; the push fails first (wrong port), the file is kept …
      const closed = await freePort()
      const out = join(agentDir, 'sampled.json')
      const failed = spawnSync(
        process.execPath,
        [
          BUNDLE,
          '--duration',
          '3s',
          '--interval',
          '1s',
          '--out',
          out,
          '--push',
          `http://127.0.0.1:${closed}`,
          '--retries',
          '2',
          '--retry-delay',
          '100ms',
          '--json',
        ],
        {cwd: agentDir, encoding: 'utf8', env: {PATH: process.env.PATH, MIGRATE_PLAN_TOKEN: TOKEN}},
      )
      expect(failed.status, failed.stderr).toBe(1)
      expect(JSON.parse(failed.stdout) as CollectResult).toMatchObject({file: out, push: {status: 'failed', attempts: 2}})
      expect(existsSync(out)).toBe(true)
      // … a wrong token is refused at once, without retrying …
      const refused = spawnSync(
        process.execPath,
        [BUNDLE, '--resend', out, '--push', serve.url, '--token', 'wrong-token-0123456789', '--json'],
        {encoding: 'utf8'},
      )
      expect(refused.status).toBe(1)
      expect(JSON.parse(refused.stdout) as CollectResult).toMatchObject({push: {status: 'rejected', httpStatus: 401, attempts: 1}})
      // … and --resend delivers it once the server is reachable.
      const resent = spawnSync(process.execPath, [BUNDLE, '--resend', out, '--push', serve.url, '--json'], {
        encoding: 'utf8',
        env: {PATH: process.env.PATH, MIGRATE_PLAN_TOKEN: TOKEN},
      })
      expect(resent.status, resent.stderr).toBe(0)
      expect(JSON.parse(resent.stdout) as CollectResult).toMatchObject({mode: 'resend', push: {status: 'acknowledged'}})

      // 3. Agentless discovery of the same machine through the local sshd, while serve is running.
      const kh = join(tmp.dir, 'known_hosts')
      writeFileSync(kh, knownHostsLine(sshd, sshd.port))
      const disc = runCli(
        [
          'discover',
          'ssh',
          '--cidr',
          '127.0.0.1/32',
          '--user',
          TEST_USER,
          '--port',
          String(sshd.port),
          '--key',
          sshd.userKey,
          '--known-hosts',
          kh,
          '-w',
          ws,
          '--json',
        ],
        {
          env: {SSH_AUTH_SOCK: ''},
        },
      )
      expect(disc.code, disc.stderr).toBe(0)
      expect(disc.json<DiscoverSshResult>().hosts[0]).toMatchObject({status: 'ok', imported: 'imported'})
    } finally {
      serve.child.kill('SIGTERM')
      await new Promise((r) => serve.child.once('exit', r))
    }
    expect(serve.child.exitCode, serve.stderr()).toBe(0)
    expect(JSON.parse(serve.stdout()) as ServeResult).toMatchObject({imported: 2, unchanged: 0, unauthorized: 1, failed: 0})

    // One workspace: the agent's push, the sampled push and the SSH discovery are one server (same host).
    const list = runCli(['inventory', 'list', '-w', ws, '--json']).json<InventoryListResult>()
    expect(list.total).toBe(1)
    const me = list.servers[0]!
    expect(me).toMatchObject({name: hostname().split('.')[0], utilisation: 'measured', formats: ['agent']})
    const show = runCli(['inventory', 'show', me.id, '-w', ws, '--json']).json<Server>()
    expect(show.sourceIds).toEqual([1, 2, 3])
    expect(show.cpuUtilisation?.samples).toBeGreaterThanOrEqual(2)
    const human = runCli(['inventory', 'list', '-w', ws])
    expect(human.stdout).toContain(me.name)
    expect(human.stdout).toMatch(/1 of 1 servers/)
  })
})
