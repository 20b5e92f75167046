/**
 * A real OpenSSH server for the tests, on 127.0.0.1, with a throwaway config, host key and user
 * (recipe in RECIPES.md). A second port answers SSH but its sessions hang (ForceCommand sleep):
 * a slow host. Stopped by PID.
 */
import {spawn, spawnSync, type ChildProcess} from 'node:child_process'
import {chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync} from 'node:fs'
import {createServer, connect} from 'node:net'
import {join} from 'node:path'

export const SSHD = '/usr/sbin/sshd'
export const TEST_USER = 'mptest'

/** Why the SSH tests cannot run here, or undefined when they can. */
export function sshdUnavailable(): string | undefined {
  if (!existsSync(SSHD)) return `${SSHD} is absent (apt-get install openssh-server; .ci/run installs it)`
  if (process.getuid?.() !== 0) return 'the SSH tests need root to create their test user and run sshd'
  return undefined
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as {port: number}).port
      s.close(() => resolve(port))
    })
  })
}

function run(cmd: string, args: string[]): string {
  const r = spawnSync(cmd, args, {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${r.stderr}`)
  return r.stdout
}

export function keygen(file: string, type = 'ed25519'): {private: string; public: string} {
  run('ssh-keygen', ['-q', '-t', type, '-N', '', '-C', 'mp-test', '-f', file])
  return {private: file, public: readFileSync(`${file}.pub`, 'utf8').trim()}
}

export interface TestSshd {
  readonly port: number
  /** Port whose sessions never finish. */
  readonly slowPort: number
  /** `ssh-ed25519 AAAA…` of the server. */
  readonly hostKey: string
  /** Authorised private key of the test user. */
  readonly userKey: string
  readonly pid: number
  stop(): Promise<void>
}

async function waitForPort(port: number, child: ChildProcess, log: () => string): Promise<void> {
  const end = Date.now() + 20_000
  for (;;) {
    if (child.exitCode !== null) throw new Error(`sshd exited: ${log()}`)
    const ok = await new Promise<boolean>((resolve) => {
      const c = connect(port, '127.0.0.1')
      c.once('connect', () => {
        c.destroy()
        resolve(true)
      })
      c.once('error', () => resolve(false))
    })
    if (ok) return
    if (Date.now() > end) throw new Error(`sshd did not listen on ${port}: ${log()}`)
    await new Promise((r) => setTimeout(r, 100))
  }
}

export async function startSshd(dir: string): Promise<TestSshd> {
  chmodSync(dir, 0o755)
  mkdirSync('/run/sshd', {recursive: true})
  if (spawnSync('id', [TEST_USER]).status !== 0) run('useradd', ['-m', '-s', '/bin/sh', TEST_USER])
  run('usermod', ['-p', '*', TEST_USER]) // a locked '!' password is refused with UsePAM no
  const hostKey = keygen(join(dir, 'hostkey'))
  const userKey = keygen(join(dir, 'userkey'))
  mkdirSync(join(dir, 'keys'), {mode: 0o755})
  chmodSync(join(dir, 'keys'), 0o755)
  writeFileSync(join(dir, 'keys', TEST_USER), `${userKey.public}\n`, {mode: 0o644})
  const port = await freePort()
  const slowPort = await freePort()
  const config = join(dir, 'sshd_config')
  writeFileSync(
    config,
    [
      `Port ${port}`,
      `Port ${slowPort}`,
      'ListenAddress 127.0.0.1',
      `HostKey ${hostKey.private}`,
      `PidFile ${join(dir, 'sshd.pid')}`,
      `AuthorizedKeysFile ${join(dir, 'keys')}/%u`,
      'StrictModes no',
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'PermitRootLogin no',
      `AllowUsers ${TEST_USER}`,
      'LogLevel VERBOSE',
      `Match LocalPort ${slowPort}`,
      '  ForceCommand sleep 600',
      '',
    ].join('\n'),
  )
  run(SSHD, ['-t', '-f', config])
  const child = spawn(SSHD, ['-D', '-e', '-f', config], {stdio: ['ignore', 'ignore', 'pipe']})
  let stderr = ''
  child.stderr!.on('data', (c: Buffer) => (stderr += c.toString()))
  await waitForPort(port, child, () => stderr)
  await waitForPort(slowPort, child, () => stderr)
  return {
    port,
    slowPort,
    hostKey: hostKey.public.split(' ').slice(0, 2).join(' '),
    userKey: userKey.private,
    pid: child.pid!,
    async stop() {
      if (child.exitCode !== null) return
      const gone = new Promise((r) => child.once('exit', r))
      process.kill(child.pid!, 'SIGTERM')
      await gone
    },
  }
}

/** A known_hosts line for the test server on a port. */
export function knownHostsLine(sshd: TestSshd, port: number, key = sshd.hostKey): string {
  return `[127.0.0.1]:${port} ${key}\n`
}

export {copyFileSync}
