/**
 * YAML 1.1 text for generated templates and configuration files.
 *
 * The `yaml` library's stringify, with the options below, defines the output. It builds a node
 * tree and a context object per value, which at 100,000 servers (~650,000 CloudFormation
 * resources) took minutes. So the layout of the shapes generators produce (plain objects, arrays,
 * strings, numbers, booleans) is written here directly, byte for byte what the library writes:
 * block collections, `- ` items indented under their key, empty collections as `[]`/`{}`, keys
 * with an `undefined` value left out, no anchors, no line folding.
 *
 * Scalars: only strings that are plainly safe (letters, digits and a few punctuation marks, no
 * `: `, starting with a letter, `_`, `$` or `/`, and not a YAML 1.1 boolean or null word such as
 * `yes`, `on`, `n`; or an IPv4 CIDR) are written as they are. Every other string, and every number and boolean, is
 * written by the library itself, in the same position (indentation, key or value) it would have
 * in the whole document, and remembered. So quoting never depends on this file's rules being
 * complete, only speed does. Anything else (null, a Date, a Map, a class instance …) sends the
 * whole value to the library.
 */
import {stringify} from 'yaml'

/** The library options the output is defined by. */
export const YAML_OPTIONS = {
  version: '1.1',
  lineWidth: 0,
  minContentWidth: 0,
  aliasDuplicateObjects: false,
  indentSeq: true,
} as const

/**
 * YAML 1.1 output, so words YAML 1.1 readers take as booleans or numbers (`yes`, `on`, `0x1F`,
 * `1_000`) are quoted; no anchors or aliases; no line folding.
 */
export function toYaml(value: unknown): string {
  return emitYaml(value) ?? libraryYaml(value)
}

/** This file's writer alone: `undefined` for a value it leaves to the library (tests use it to see which wrote what). */
export function emitYaml(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object') return undefined
  try {
    return writeDocument(value)
  } catch (e) {
    if (e instanceof Unsupported) return undefined
    throw e
  }
}

/** The library's own output, for comparison in tests and for values this writer does not handle. */
export function libraryYaml(value: unknown): string {
  return stringify(value, YAML_OPTIONS)
}

/** A value outside the shapes written here: the whole document goes to the library. */
class Unsupported extends Error {}

/** Strings written plain without asking the library; anything else is asked. */
const SAFE_PLAIN = /^[A-Za-z_$/][\w ./@=+\-:,()$*{}]*$/
/** …unless it has `: ` or ends with a colon or a space, */
const UNSAFE_PLAIN = /: |[: ]$/
/** …or is a word YAML 1.1 reads as a boolean, null or special float (any case). */
const RESERVED_WORD = /^(?:y|yes|n|no|true|false|on|off|null|nan|inf)$/i
/** The library makes keys longer than 1024 characters explicit (`? key`). */
const MAX_PLAIN_KEY = 1000

/** An IPv4 CIDR (`10.1.2.3/32`): neither a YAML 1.1 number nor a date, and millions of them at 100,000 servers. */
const SAFE_CIDR = /^\d{1,3}(?:\.\d{1,3}){3}\/\d{1,2}$/

const isSafePlain = (s: string): boolean => (SAFE_PLAIN.test(s) && !UNSAFE_PLAIN.test(s) && !RESERVED_WORD.test(s)) || SAFE_CIDR.test(s)

const pads: string[] = ['']
const pad = (n: number): string => {
  while (pads.length <= n) pads.push(' '.repeat(pads.length))
  return pads[n]!
}

/** A plain object (not a Map, Date, class instance …). */
function isPlainObject(v: object): v is Record<string, unknown> {
  const proto = Object.getPrototypeOf(v) as unknown
  return proto === Object.prototype || proto === null
}

/** The text being written: appending to one string was 7 times faster than joining an array of pieces. */
let out = ''

function writeDocument(value: object): string {
  out = ''
  try {
    writeNode(value, 0)
    out += '\n'
    // The text is a rope of a million pieces for a large template: flatten it (reading a character
    // does, in V8) before it is kept, or 1,760 of them held 4 GB until written.
    out.charCodeAt(0)
    return out
  } finally {
    out = ''
  }
}

function hasDefined(map: Record<string, unknown>, keys: readonly string[]): boolean {
  for (const key of keys) if (map[key] !== undefined) return true
  return false
}

/**
 * A value whose first line starts at the cursor and whose other lines are indented by `indent`
 * (the library's `ctx.indent`): map pairs and sequence items `- ` at `indent`.
 */
function writeNode(v: unknown, indent: number): void {
  if (typeof v !== 'object' || v === null) writeScalar(v, indent)
  else if (Array.isArray(v)) writeSeq(v, indent)
  else {
    if (!isPlainObject(v)) throw new Unsupported()
    const keys = Object.keys(v)
    if (hasDefined(v, keys)) writeMap(v, keys, indent)
    else out += '{}'
  }
}

function writeSeq(v: readonly unknown[], indent: number): void {
  if (v.length === 0) {
    out += '[]'
    return
  }
  const nextItem = `\n${pad(indent)}- `
  for (let i = 0; i < v.length; i++) {
    out += i > 0 ? nextItem : '- '
    writeNode(v[i], indent + 2)
  }
}

/** A map with at least one defined value; `keys` are its own keys (an `undefined` value is left out). */
function writeMap(map: Record<string, unknown>, keys: readonly string[], indent: number): void {
  const nl = '\n' + pad(indent)
  const inner = indent + 2
  const innerNl = '\n' + pad(inner)
  let first = true
  for (const key of keys) {
    const item = map[key]
    if (item === undefined) continue
    const k = keyText(key, inner)
    if (first) {
      out += k
      first = false
    } else out += nl + k
    if (typeof item !== 'object' || item === null) {
      out += ': '
      writeScalar(item, inner)
    } else if (Array.isArray(item)) {
      if (item.length === 0) out += ': []'
      else {
        // An explicit key (`? long key`, then `:` on the next line) has even a collection on the `:` line.
        out += k.includes('\n') ? ': ' : ':' + innerNl
        writeSeq(item, inner)
      }
    } else {
      if (!isPlainObject(item)) throw new Unsupported()
      const itemKeys = Object.keys(item)
      if (!hasDefined(item, itemKeys)) out += ': {}'
      else {
        out += k.includes('\n') ? ': ' : ':' + innerNl
        writeMap(item, itemKeys, inner)
      }
    }
  }
}

function writeScalar(v: unknown, indent: number): void {
  switch (typeof v) {
    case 'string':
      out += stringText(v, indent)
      return
    case 'number':
      out += numberText(v)
      return
    case 'boolean':
      out += v ? trueText() : falseText()
      return
  }
  throw new Unsupported()
}

// ---- scalars the library writes ------------------------------------------------------------

/** Single-line strings are written the same at any depth below the root; others per depth. */
const stringsOneLine = new Map<string, string>()
const stringsAtDepth = new Map<string, string>()
const keysAtDepth = new Map<string, string>()
const numbers = new Map<number, string>()
let trueCache: string | undefined
let falseCache: string | undefined

/** Most caches hold one entry per distinct string; past this they start again. */
const MAX_CACHED = 200_000

function remember(cache: Map<string, string>, key: string, text: string): string {
  if (cache.size >= MAX_CACHED) cache.clear()
  cache.set(key, text)
  return text
}

function stringText(s: string, indent: number): string {
  if (isSafePlain(s)) return s
  if (!s.includes('\n')) return stringsOneLine.get(s) ?? remember(stringsOneLine, s, valueAt(s, 2))
  const key = `${indent}\n${s}`
  return stringsAtDepth.get(key) ?? remember(stringsAtDepth, key, valueAt(s, indent))
}

function keyText(k: string, indent: number): string {
  if (k.length <= MAX_PLAIN_KEY && isSafePlain(k)) return k
  const key = `${indent}\n${k}`
  return keysAtDepth.get(key) ?? remember(keysAtDepth, key, keyAt(k, indent))
}

function numberText(n: number): string {
  if (Object.is(n, -0)) return valueAt(n, 2)
  let text = numbers.get(n)
  if (text === undefined) {
    text = valueAt(n, 2)
    if (numbers.size >= MAX_CACHED) numbers.clear()
    numbers.set(n, text)
  }
  return text
}

const trueText = () => (trueCache ??= valueAt(true, 2))
const falseText = () => (falseCache ??= valueAt(false, 2))

/** `a:` lines nesting a pair at `indent` (≥ 2) columns of continuation indentation. */
function nest(value: unknown, depth: number): {doc: unknown; prefix: string} {
  let doc = value
  let prefix = ''
  for (let d = 0; d < depth; d++) {
    doc = {a: doc}
    if (d < depth - 1) prefix += `${pad(2 * d)}a:\n`
  }
  return {doc, prefix}
}

/** The library's text for a scalar that is a map value or sequence item indented by `indent`. */
function valueAt(value: string | number | boolean, indent: number): string {
  const {doc, prefix} = nest(value, indent / 2)
  const head = `${prefix}${pad(indent - 2)}a: `
  const text = libraryYaml(doc)
  if (!text.startsWith(head) || !text.endsWith('\n')) throw new Unsupported()
  return text.slice(head.length, -1)
}

/** The library's text for a map key whose continuation indentation is `indent` (≥ 2), up to its colon. */
function keyAt(key: string, indent: number): string {
  const {doc, prefix} = nest({[key]: 0}, indent / 2 - 1)
  const head = indent > 2 ? `${prefix}${pad(indent - 4)}a:\n${pad(indent - 2)}` : ''
  const tail = ': 0\n'
  const text = libraryYaml(doc)
  if (!text.startsWith(head) || !text.endsWith(tail) || text.length < head.length + tail.length) throw new Unsupported()
  return text.slice(head.length, -tail.length)
}
