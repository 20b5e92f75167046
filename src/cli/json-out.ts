/**
 * `--json` output that scales: the same text as `JSON.stringify(value, null, 2)`, produced in
 * pieces. A 100,000-server Assessment is longer than the longest string V8 can hold, and oclif's
 * own logJson re-tokenises its whole output with regular expressions (minutes at that size).
 */
import {jsonPieces, writeJsonPieces} from '../util/json-pieces.js'

/** Pieces whose concatenation is `JSON.stringify(value, null, 2)`. */
export function prettyJsonPieces(value: unknown): Generator<string> {
  return jsonPieces(value, true)
}

/** Writes `value` as pretty JSON and a line break, about a megabyte at a time. */
export function writePrettyJson(value: unknown, write: (chunk: string) => void): void {
  writeJsonPieces(value, true, write)
  write('\n')
}
