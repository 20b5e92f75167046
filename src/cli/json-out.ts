/**
 * `--json` output that scales: the same text as `JSON.stringify(value, null, 2)`, produced in
 * pieces. A 100,000-server Assessment is longer than the longest string V8 can hold, and oclif's
 * own logJson re-tokenises its whole output with regular expressions (minutes at that size).
 */

/** Depth to which containers are walked; below it each value is one JSON.stringify call. */
const WALK_DEPTH = 2

const omitted = (v: unknown): boolean => v === undefined || typeof v === 'function' || typeof v === 'symbol'

/** Pieces whose concatenation is `JSON.stringify(value, null, 2)` (for the JSON documents this tool prints). */
export function* prettyJsonPieces(value: unknown, depth = WALK_DEPTH, indent = ''): Generator<string> {
  if (depth === 0 || value === null || typeof value !== 'object' || typeof (value as {toJSON?: unknown}).toJSON === 'function') {
    const s = JSON.stringify(value, null, 2) as string | undefined
    if (s === undefined) return
    // JSON text has no raw line breaks inside strings, so every line break is indentation.
    yield indent === '' ? s : s.replaceAll('\n', `\n${indent}`)
    return
  }
  const inner = `${indent}  `
  if (Array.isArray(value)) {
    if (value.length === 0) {
      yield '[]'
      return
    }
    yield '[\n'
    for (let i = 0; i < value.length; i++) {
      yield inner
      const v: unknown = value[i]
      if (omitted(v)) yield 'null'
      else yield* prettyJsonPieces(v, depth - 1, inner)
      yield i < value.length - 1 ? ',\n' : '\n'
    }
    yield `${indent}]`
    return
  }
  const entries = Object.entries(value).filter(([, v]) => !omitted(v))
  if (entries.length === 0) {
    yield '{}'
    return
  }
  yield '{\n'
  for (const [i, [k, v]] of entries.entries()) {
    yield `${inner}${JSON.stringify(k)}: `
    yield* prettyJsonPieces(v, depth - 1, inner)
    yield i < entries.length - 1 ? ',\n' : '\n'
  }
  yield `${indent}}`
}

/** Writes `value` as pretty JSON and a line break, about a megabyte at a time. */
export function writePrettyJson(value: unknown, write: (chunk: string) => void): void {
  let buffer = ''
  for (const piece of prettyJsonPieces(value)) {
    buffer += piece
    if (buffer.length >= 1 << 20) {
      write(buffer)
      buffer = ''
    }
  }
  write(`${buffer}\n`)
}
