/**
 * Writing generated files: every file lands atomically (temp file + rename), so a reader never
 * sees half a file and a crash leaves the previous version in place. A manifest in the output
 * folder lists what migrate-plan wrote there, so a rerun removes files it no longer produces
 * (and nothing else): the same inputs give the same folder.
 */
import {randomBytes} from 'node:crypto'
import {closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync} from 'node:fs'
import {dirname, isAbsolute, join, normalize, relative, resolve, sep} from 'node:path'

import {UserInputError} from '../errors.js'
import {writeBehind} from './write-behind.js'

export const MANIFEST_FILE = '.migrate-plan-files.json'

/**
 * Content made piece by piece as it is written, for a file too large to hold in memory whole (the
 * JSON export of 100,000 servers is 441 MB). `pieces()` may reuse a piece's memory once the next
 * piece is asked for, so a reader must use (or copy) each piece before going on.
 */
export interface StreamedContent {
  readonly pieces: () => Iterable<Uint8Array>
}

export type FileContent = string | Uint8Array | StreamedContent

/**
 * Text made a piece at a time, as UTF-8 pieces of about `pieceBytes` in one reused buffer (see
 * StreamedContent): a large file is never one string, and no fresh memory is touched per piece.
 */
export function* utf8Pieces(texts: Iterable<string>, pieceBytes = UTF8_PIECE_BYTES): Generator<Uint8Array> {
  let piece = Buffer.allocUnsafe(pieceBytes)
  let used = 0
  for (const text of texts) {
    // At most 3 UTF-8 bytes per UTF-16 unit: hand the piece on first when the text may not fit.
    if (used + text.length * 3 > piece.length) {
      if (used > 0) yield piece.subarray(0, used)
      used = 0
      if (text.length * 3 > piece.length) piece = Buffer.allocUnsafe(text.length * 3)
    }
    used += piece.write(text, used, 'utf8')
  }
  if (used > 0) yield piece.subarray(0, used)
}

const UTF8_PIECE_BYTES = 4 << 20

/** Relative path → content. */
export type FileMap = Readonly<Record<string, FileContent>>

/** Content as one buffer (for tests and small files: a streamed file is assembled in memory). */
export function contentBytes(content: FileContent): Buffer {
  if (typeof content === 'string') return Buffer.from(content, 'utf8')
  if (content instanceof Uint8Array) return Buffer.from(content.buffer, content.byteOffset, content.byteLength)
  return Buffer.concat([...content.pieces()].map((p) => Buffer.from(p)))
}

function checkRelative(path: string): string {
  const n = normalize(path)
  if (!path || isAbsolute(path) || n.startsWith('..') || n.split(sep).includes('..')) {
    throw new Error(`refusing to write outside the output folder: ${JSON.stringify(path)}`)
  }
  return n
}

/** The temporary file a file is written to before it is renamed into place. */
const tmpPath = (path: string): string => `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`

/** Write one file atomically, creating its folder. Returns the bytes written. */
export function writeFileAtomic(path: string, content: FileContent): number {
  mkdirSync(dirname(path), {recursive: true})
  const tmp = tmpPath(path)
  try {
    let bytes: number
    if (typeof content === 'string' || content instanceof Uint8Array) {
      writeFileSync(tmp, content)
      bytes = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength
    } else {
      bytes = writePieces(tmp, content)
    }
    renameSync(tmp, path)
    return bytes
  } catch (error) {
    rmSync(tmp, {force: true})
    throw error
  }
}

function writePieces(path: string, content: StreamedContent): number {
  const fd = openSync(path, 'w')
  let bytes = 0
  try {
    for (const piece of content.pieces()) {
      for (let at = 0; at < piece.byteLength;) at += writeSync(fd, piece, at)
      bytes += piece.byteLength
    }
  } finally {
    closeSync(fd)
  }
  return bytes
}

export interface WriteResult {
  readonly dir: string
  /** Paths written, relative to dir, sorted. */
  readonly written: readonly string[]
  /** Paths from an earlier run that this run no longer produces, removed. */
  readonly removed: readonly string[]
  /** Bytes written, by path (as in `written`). */
  readonly bytes: Readonly<Record<string, number>>
}

/** Write a set of files under `dir` (created when missing), each atomically, and prune stale ones. */
export function writeFiles(dir: string, files: FileMap): WriteResult {
  const folder = new OutputFolder(dir)
  const paths = Object.keys(files).sort()
  for (const p of paths) folder.write(p, files[p]!)
  return folder.finish()
}

/**
 * An output folder written a file at a time, for generators whose files are too large to hold
 * until the last is made (CloudFormation at 100,000 servers is over 400 MB of YAML). Each file
 * lands atomically; a helper thread writes it while the caller goes on (src/util/write-behind.ts),
 * so a write that fails is thrown by a later write or by {@link finish}, which waits for every
 * file to land, then writes the manifest and removes what an earlier run wrote and this one did
 * not, as {@link writeFiles} does.
 */
export class OutputFolder {
  readonly dir: string
  private readonly bytes = new Map<string, number>()

  constructor(dir: string) {
    this.dir = resolve(dir)
    if (existsSync(this.dir) && !statSync(this.dir).isDirectory()) {
      throw new UserInputError('OUTPUT_NOT_DIR', `${this.dir} is not a folder`, {hint: 'Give --out a folder path.'})
    }
  }

  /** Write one file (a path relative to the folder, `/`-separated), atomically. */
  write(path: string, content: FileContent): void {
    const p = checkRelative(path)
    if (this.bytes.has(p)) throw new Error(`${JSON.stringify(path)} written twice`)
    const file = join(this.dir, p)
    this.bytes.set(
      p,
      writeBehind().write(file, tmpPath(file), typeof content === 'string' || content instanceof Uint8Array ? content : content.pieces()),
    )
  }

  /** Wait for every file to land, write the manifest and prune files of the previous run that this one did not write. */
  finish(): WriteResult {
    // Only this folder's failures: another folder's, abandoned without waiting, are its caller's.
    const failed = writeBehind()
      .sync()
      .find((e) => this.bytes.has(relative(this.dir, e.path)))
    if (failed) throw failed
    const paths = [...this.bytes.keys()].sort()
    const manifestPath = join(this.dir, MANIFEST_FILE)
    const previous: string[] = existsSync(manifestPath) ? safeList(readFileSync(manifestPath, 'utf8')) : []
    const now = new Set(paths)
    const removed = previous.filter((p) => !now.has(p)).map(checkRelative)
    for (const p of removed) rmSync(join(this.dir, p), {force: true})
    writeFileAtomic(manifestPath, `${JSON.stringify({generator: 'migrate-plan', files: paths}, null, 2)}\n`)
    const bytes: Record<string, number> = {}
    for (const p of paths) bytes[p] = this.bytes.get(p)!
    return {dir: this.dir, written: paths, removed, bytes}
  }

  /**
   * After a failure: remove the files this run wrote that the previous manifest does not list
   * (nothing else would ever remove them); the files it does list are the caller's to keep or clear.
   */
  abandon(): void {
    writeBehind().sync() // failures: the one being handled, or files removed below
    const manifestPath = join(this.dir, MANIFEST_FILE)
    const previous = new Set(existsSync(manifestPath) ? safeList(readFileSync(manifestPath, 'utf8')) : [])
    for (const p of this.bytes.keys()) if (!previous.has(p)) rmSync(join(this.dir, p), {force: true})
    this.bytes.clear()
  }
}

function safeList(text: string): string[] {
  try {
    const data = JSON.parse(text) as {files?: unknown}
    return Array.isArray(data.files) ? data.files.filter((f): f is string => typeof f === 'string') : []
  } catch {
    return []
  }
}
