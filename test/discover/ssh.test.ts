/**
 * discover ssh against a real OpenSSH server on 127.0.0.1 (started and stopped by these tests):
 * success, wrong user key, unknown / changed / hashed / revoked host keys, unreachable port, slow
 * host, ssh-agent authentication and sampling.
 */
import {spawn, spawnSync} from 'node:child_process'
import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {DiscoverSshResult} from '../../commands/discover/ssh.js'
import type {InventoryListResult} from '../../commands/inventory/list.js'
import {runDiscovery, type DiscoverRunOptions} from '../../src/discover/run.js'
import {agentFileSchema} from '../../src/model/agent-file.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {runCli, tempDir} from '../helpers/cli.js'
import {freePort, keygen, knownHostsLine, sshdUnavailable, startSshd, TEST_USER, type TestSshd} from './sshd.js'

const unavailable = sshdUnavailable()
if (unavailable) console.warn(`skipping discover ssh tests: ${unavailable}`)

describe.skipIf(unavailable !== undefined)('discover ssh against a real sshd', {timeout: 120_000}, () => {
  let tmp: ReturnType<typeof tempDir>
  let sshd: TestSshd
  let knownHosts: string
  let wrongKey: string
  beforeAll(async () => {
    tmp = tempDir('mp-ssh-')
    sshd = await startSshd(tmp.dir)
    knownHosts = join(tmp.dir, 'known_hosts')
    writeFileSync(knownHosts, knownHostsLine(sshd, sshd.port) + knownHostsLine(sshd, sshd.slowPort))
    wrongKey = keygen(join(tmp.dir, 'wrongkey')).private
  })
  afterAll(async () => {
    await sshd?.stop()
    tmp?.cleanup()
  })

  const options = (over: Partial<DiscoverRunOptions>): DiscoverRunOptions => ({
    cidrs: [],
    port: 22,
    knownHostsFile: knownHosts,
    acceptNew: false,
    concurrency: 4,
    timeoutMs: 8000,
    version: 'test',
    ...over,
  })

  it(
    'lists every host with its outcome: success, wrong key, unreachable, slow; exit 1; the success is imported',
    {timeout: 180_000},
    async () => {
      const closed = await freePort()
      const hosts = join(tmp.dir, 'hosts.txt')
      writeFileSync(
        hosts,
        [
          '# host[:port] user key',
          `127.0.0.1:${sshd.port} ${TEST_USER} ${sshd.userKey}`,
          `127.0.0.1:${sshd.port} ${TEST_USER} ${wrongKey}`,
          `127.0.0.1:${closed} ${TEST_USER} ${sshd.userKey}`,
          `127.0.0.1:${sshd.slowPort} ${TEST_USER} ${sshd.userKey}`,
          '',
        ].join('\n'),
      )
      const ws = join(tmp.dir, 'ws-cli')
      const out = join(tmp.dir, 'out')
      const r = runCli(['discover', 'ssh', hosts, '--known-hosts', knownHosts, '--timeout', '4s', '--out-dir', out, '-w', ws, '--json'], {
        env: {SSH_AUTH_SOCK: ''},
      })
      expect(r.code, r.stderr).toBe(1)
      const result = r.json<DiscoverSshResult>()
      expect(result.hosts.map((h) => [h.port, h.status, h.error?.code])).toEqual([
        [sshd.port, 'ok', undefined],
        [sshd.port, 'failed', 'AUTH_FAILED'],
        [closed, 'failed', 'UNREACHABLE'],
        [sshd.slowPort, 'failed', 'TIMEOUT'],
      ])
      expect(result).toMatchObject({ok: 1, failed: 3, totalServers: 1})
      expect(result.hosts[0]).toMatchObject({hostKey: 'known', imported: 'imported', file: expect.stringMatching(/\.migrate-plan\.json$/)})
      const doc = agentFileSchema.parse(JSON.parse(readFileSync(result.hosts[0]!.file!, 'utf8')))
      expect(doc.collector).toMatchObject({kind: 'ssh', mode: 'snapshot', privileged: false})
      expect(doc.os).toMatchObject({platform: 'linux', name: expect.any(String)})
      expect(doc.memory.totalMib).toBeGreaterThan(0)
      expect(doc.cpu.threads).toBeGreaterThan(0)
      expect(doc.processes.length).toBeGreaterThan(1)
      expect(doc.listeners.some((l) => l.port === sshd.port)).toBe(true)
      expect(doc.limitations.join('\n')).toMatch(/root/)

      const list = runCli(['inventory', 'list', '-w', ws, '--json']).json<InventoryListResult>()
      expect(list.servers).toHaveLength(1)
      expect(list.servers[0]!.formats).toEqual(['agent'])

      const human = runCli(['discover', 'ssh', hosts, '--known-hosts', knownHosts, '--timeout', '3s', '--no-import'], {
        env: {SSH_AUTH_SOCK: ''},
      })
      expect(human.code).toBe(1)
      expect(human.stdout).toMatch(/AUTH_FAILED/)
      expect(human.stdout).toMatch(/1 ok, 3 failed/)
    },
  )

  it('fails unknown host keys unless --accept-new, which records them; then they are known', async () => {
    const kh = join(tmp.dir, 'kh-new')
    const target = `127.0.0.1:${sshd.port} ${TEST_USER} ${sshd.userKey}\n`
    const hosts = join(tmp.dir, 'hosts-new.txt')
    writeFileSync(hosts, target)
    const first = await runDiscovery(options({hostsFile: hosts, knownHostsFile: kh}))
    expect(first.hosts[0]).toMatchObject({status: 'failed', error: {code: 'HOST_KEY_UNKNOWN'}})
    const accepted = await runDiscovery(options({hostsFile: hosts, knownHostsFile: kh, acceptNew: true}))
    expect(accepted.hosts[0]).toMatchObject({status: 'ok', hostKey: 'recorded'})
    expect(readFileSync(kh, 'utf8')).toBe(knownHostsLine(sshd, sshd.port))
    const again = await runDiscovery(options({hostsFile: hosts, knownHostsFile: kh}))
    expect(again.hosts[0]).toMatchObject({status: 'ok', hostKey: 'known'})
    // A known_hosts file that cannot be written: the host is discovered, the failure reported.
    const unwritable = await runDiscovery(options({hostsFile: hosts, knownHostsFile: join(hosts, 'known_hosts'), acceptNew: true}))
    expect(unwritable.hosts[0]).toMatchObject({status: 'ok', hostKey: 'recorded'})
    expect(unwritable.knownHostsErrors).toEqual([
      expect.stringMatching(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${sshd.port}: .*(ENOTDIR|EEXIST)`)),
    ])
  })

  it('refuses a changed host key even with --accept-new, and a revoked one', async () => {
    const other = keygen(join(tmp.dir, 'otherhost')).public.split(' ').slice(0, 2).join(' ')
    const hosts = join(tmp.dir, 'hosts-changed.txt')
    writeFileSync(hosts, `127.0.0.1:${sshd.port} ${TEST_USER} ${sshd.userKey}\n`)
    const changed = join(tmp.dir, 'kh-changed')
    writeFileSync(changed, knownHostsLine(sshd, sshd.port, other))
    const r = await runDiscovery(options({hostsFile: hosts, knownHostsFile: changed, acceptNew: true}))
    expect(r.hosts[0]).toMatchObject({status: 'failed', error: {code: 'HOST_KEY_CHANGED', message: expect.stringMatching(/line 1/)}})
    expect(readFileSync(changed, 'utf8')).toBe(knownHostsLine(sshd, sshd.port, other)) // nothing recorded
    const revoked = join(tmp.dir, 'kh-revoked')
    writeFileSync(revoked, `@revoked * ${sshd.hostKey}\n${knownHostsLine(sshd, sshd.port)}`)
    const rv = await runDiscovery(options({hostsFile: hosts, knownHostsFile: revoked}))
    expect(rv.hosts[0]).toMatchObject({status: 'failed', error: {code: 'HOST_KEY_REVOKED'}})
  })

  it('reads hashed known_hosts entries (ssh-keygen -H)', async () => {
    const hashed = join(tmp.dir, 'kh-hashed')
    writeFileSync(hashed, knownHostsLine(sshd, sshd.port))
    expect(spawnSync('ssh-keygen', ['-q', '-H', '-f', hashed]).status).toBe(0)
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|/)
    const hosts = join(tmp.dir, 'hosts-hashed.txt')
    writeFileSync(hosts, `127.0.0.1:${sshd.port} ${TEST_USER} ${sshd.userKey}\n`)
    const r = await runDiscovery(options({hostsFile: hosts, knownHostsFile: hashed}))
    expect(r.hosts[0]).toMatchObject({status: 'ok', hostKey: 'known'})
  })

  it('authenticates through ssh-agent, and says so when there is neither key nor agent', async () => {
    const socket = join(tmp.dir, 'agent.sock')
    const agent = spawn('ssh-agent', ['-D', '-a', socket], {stdio: 'ignore'})
    try {
      for (let i = 0; i < 50 && spawnSync('ssh-add', ['-l'], {env: {SSH_AUTH_SOCK: socket}}).status === 2; i++)
        await new Promise((r) => setTimeout(r, 100))
      const add = spawnSync('ssh-add', [sshd.userKey], {env: {SSH_AUTH_SOCK: socket}, encoding: 'utf8'})
      expect(add.status, add.stderr).toBe(0)
      const ws = Workspace.open(join(tmp.dir, 'ws-agent'), {create: true})
      try {
        const r = await runDiscovery(
          options({cidrs: ['127.0.0.1/32'], user: TEST_USER, port: sshd.port, agentSocket: socket, workspace: ws}),
        )
        expect(r.hosts[0]).toMatchObject({status: 'ok', imported: 'imported'})
        const again = await runDiscovery(options({cidrs: ['127.0.0.1/32'], user: TEST_USER, port: sshd.port}))
        expect(again.hosts[0]).toMatchObject({status: 'failed', error: {code: 'NO_CREDENTIALS'}})
      } finally {
        ws.close()
      }
    } finally {
      agent.kill('SIGTERM')
    }
  })

  it('samples utilisation with --sample', async () => {
    const hosts = join(tmp.dir, 'hosts-sample.txt')
    writeFileSync(hosts, `127.0.0.1:${sshd.port} ${TEST_USER} ${sshd.userKey}\n`)
    const out = join(tmp.dir, 'sampled')
    const r = await runDiscovery(options({hostsFile: hosts, sample: {durationMs: 3000, intervalMs: 1000}, outDir: out}))
    expect(r.hosts[0]!.status).toBe('ok')
    const doc = agentFileSchema.parse(JSON.parse(readFileSync(r.hosts[0]!.file!, 'utf8')))
    expect(doc.collector.mode).toBe('sampling')
    const u = doc.utilisation!
    expect(u.intervalSeconds).toBe(1)
    expect(u.cpuPct!.samples).toBeGreaterThanOrEqual(2)
    expect(u.memoryPct!.max).toBeGreaterThan(0)
    expect(u.memoryPct!.max).toBeLessThanOrEqual(100)
    expect(u.diskIops).toBeDefined()
    expect(u.networkMbps).toBeDefined()
  })
})
