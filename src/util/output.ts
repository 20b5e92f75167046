/**
 * Writing generated files: every file lands atomically (temp file + rename), so a reader never
 * sees half a file and a crash leaves the previous version in place. A manifest in the output
 * folder lists what migrate-plan wrote there, so a rerun removes files it no longer produces
 * (and nothing else): the same inputs give the same folder.
 */
import {randomBytes} from 'node:crypto'
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {dirname, isAbsolute, join, normalize, resolve, sep} from 'node:path'

import {UserInputError} from '../errors.js'

export const MANIFEST_FILE = '.migrate-plan-files.json'

/** Relative path → content. */
export type FileMap = Readonly<Record<string, string | Uint8Array>>

function checkRelative(path: string): string {
  const n = normalize(path)
  if (!path || isAbsolute(path) || n.startsWith('..') || n.split(sep).includes('..')) {
    throw new Error(`refusing to write outside the output folder: ${JSON.stringify(path)}`)
  }
  return n
}

/** Write one file atomically, creating its folder. */
export function writeFileAtomic(path: string, content: string | Uint8Array): void {
  mkdirSync(dirname(path), {recursive: true})
  const tmp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`
  try {
    writeFileSync(tmp, content)
    renameSync(tmp, path)
  } catch (error) {
    rmSync(tmp, {force: true})
    throw error
  }
}

export interface WriteResult {
  readonly dir: string
  /** Paths written, relative to dir, sorted. */
  readonly written: readonly string[]
  /** Paths from an earlier run that this run no longer produces, removed. */
  readonly removed: readonly string[]
}

/** Write a set of files under `dir` (created when missing), each atomically, and prune stale ones. */
export function writeFiles(dir: string, files: FileMap): WriteResult {
  const root = resolve(dir)
  if (existsSync(root) && !statSync(root).isDirectory()) {
    throw new UserInputError('OUTPUT_NOT_DIR', `${root} is not a folder`, {hint: 'Give --out a folder path.'})
  }
  const paths = Object.keys(files).map(checkRelative).sort()
  for (const p of paths) writeFileAtomic(join(root, p), files[p] ?? files[p.split(sep).join('/')]!)
  const manifestPath = join(root, MANIFEST_FILE)
  const previous: string[] = existsSync(manifestPath) ? safeList(readFileSync(manifestPath, 'utf8')) : []
  const now = new Set(paths)
  const removed = previous.filter((p) => !now.has(p)).map(checkRelative)
  for (const p of removed) rmSync(join(root, p), {force: true})
  writeFileAtomic(manifestPath, `${JSON.stringify({generator: 'migrate-plan', files: paths}, null, 2)}\n`)
  return {dir: root, written: paths, removed}
}

function safeList(text: string): string[] {
  try {
    const data = JSON.parse(text) as {files?: unknown}
    return Array.isArray(data.files) ? data.files.filter((f): f is string => typeof f === 'string') : []
  } catch {
    return []
  }
}
