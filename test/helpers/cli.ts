/** Run the built CLI (bin/run.js → dist/) as a child process: real argv parsing, real exit codes. */
import {spawnSync} from 'node:child_process'
import {mkdtempSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join, resolve} from 'node:path'

export const ROOT = resolve(import.meta.dirname, '../..')
export const BIN = join(ROOT, 'bin/run.js')

export interface CliResult {
  readonly code: number
  readonly stdout: string
  readonly stderr: string
  /** stdout parsed as JSON (for --json runs). */
  json<T = unknown>(): T
}

export function runCli(args: readonly string[], opts: {cwd?: string; env?: Record<string, string>; input?: string} = {}): CliResult {
  const env: Record<string, string | undefined> = {...process.env, NO_COLOR: '1', FORCE_COLOR: '0', ...opts.env}
  if (!opts.env?.MIGRATE_PLAN_WORKSPACE) delete env.MIGRATE_PLAN_WORKSPACE
  const r = spawnSync(process.execPath, [BIN, ...args], {
    cwd: opts.cwd ?? ROOT,
    env,
    input: opts.input,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  })
  const stdout = r.stdout ?? ''
  return {
    code: r.status ?? -1,
    stdout,
    stderr: r.stderr ?? '',
    json<T>() {
      return JSON.parse(stdout) as T
    },
  }
}

/** A fresh temporary folder, removed by the returned cleanup. */
export function tempDir(prefix = 'mp-test-'): {dir: string; cleanup: () => void} {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  return {dir, cleanup: () => rmSync(dir, {recursive: true, force: true})}
}
