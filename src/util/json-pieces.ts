/**
 * JSON text in pieces: the same text as `JSON.stringify(value)` (or `JSON.stringify(value, null,
 * 2)` when pretty), produced a container element at a time. A 100,000-server Assessment as one
 * string is longer than V8 allows once pretty-printed, and even compact it is a 400 MB (or, with
 * one character outside Latin-1, an 800 MB) string built at once.
 */

/** Depth to which containers are walked; below it each value is one JSON.stringify call. */
const WALK_DEPTH = 2

const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol'

/** Pieces whose concatenation is `JSON.stringify(value)`, or `JSON.stringify(value, null, 2)` when `pretty`. */
export function* jsonPieces(value: unknown, pretty = false, depth = WALK_DEPTH, indent = ''): Generator<string> {
  if (depth === 0 || value === null || typeof value !== 'object' || typeof (value as {toJSON?: unknown}).toJSON === 'function') {
    const s = (pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value)) as string | undefined
    if (s === undefined) return
    // JSON text has no raw line breaks inside strings, so every line break is indentation.
    yield indent === '' ? s : s.replaceAll('\n', `\n${indent}`)
    return
  }
  const inner = pretty ? `${indent}  ` : ''
  const open = pretty ? '\n' : ''
  const close = pretty ? `\n${indent}` : ''
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]'
      return
    }
    yield `[${open}`
    for (let i = 0; i < value.length; i++) {
      yield inner
      const v: unknown = value[i]
      if (omitted(v)) yield 'null'
      else yield* jsonPieces(v, pretty, depth - 1, inner)
      if (i < value.length - 1) yield pretty ? ',\n' : ','
    }
    yield `${close}]`
    return
  }
  const entries = Object.entries(value).filter(([, v]) => !omitted(v))
  if (entries.length === 0) {
    yield '{}'
    return
  }
  yield `{${open}`
  for (const [i, [k, v]] of entries.entries()) {
    yield `${inner}${JSON.stringify(k)}:${pretty ? ' ' : ''}`
    yield* jsonPieces(v, pretty, depth - 1, inner)
    if (i < entries.length - 1) yield pretty ? ',\n' : ','
  }
  yield `${close}}`
}

/** Calls `write` with the pieces joined into strings of about a megabyte. */
export function writeJsonPieces(value: unknown, pretty: boolean, write: (chunk: string) => void): void {
  let buffer = ''
  for (const piece of jsonPieces(value, pretty)) {
    buffer += piece
    if (buffer.length >= 1 << 20) {
      write(buffer)
      buffer = ''
    }
  }
  if (buffer !== '') write(buffer)
}

const encoder = new TextEncoder()

/**
 * `JSON.stringify(value)` as UTF-8 bytes handed to `part` in consecutive pieces of at most
 * `partBytes` (at least 4: one character), so that a document of hundreds of MB is never whole in
 * memory. Each piece of the JSON is encoded straight into one reused buffer: a part is only valid
 * during its call. Returns the number of parts (at least 1).
 */
export function jsonUtf8Parts(value: unknown, partBytes: number, part: (bytes: Buffer) => void): number {
  if (!(partBytes >= 4)) throw new RangeError(`jsonUtf8Parts: a part must hold at least 4 bytes, not ${partBytes}`)
  const out = Buffer.allocUnsafe(partBytes)
  let length = 0
  let parts = 0
  for (let piece of jsonPieces(value)) {
    for (;;) {
      const {read, written} = encoder.encodeInto(piece, out.subarray(length))
      length += written
      if (read === piece.length) break
      // The part is full (or has no room for the next character): hand it on, go on with the rest.
      part(out.subarray(0, length))
      parts++
      length = 0
      piece = piece.slice(read)
    }
  }
  if (length > 0 || parts === 0) {
    part(out.subarray(0, length))
    parts++
  }
  return parts
}
