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
 * `yes`, `on`, `n`) are written as they are. Every other string, and every number and boolean, is
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

const isSafePlain = (s: string): boolean => SAFE_PLAIN.test(s) && !UNSAFE_PLAIN.test(s) && !RESERVED_WORD.test(s)

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

function writeDocument(value: object): string {
  const out: string[] = []
  writeCollection(value, 0, out)
  out.push('\n')
  return out.join('')
}

/** Does this collection have an item to write (a map's `undefined` values are left out)? */
function hasItems(v: object): boolean {
  if (Array.isArray(v)) return v.length > 0
  if (!isPlainObject(v)) throw new Unsupported()
  for (const k in v) if (Object.hasOwn(v, k) && v[k] !== undefined) return true
  return false
}

/**
 * A collection whose first line starts at the cursor and whose other lines are indented by
 * `indent` (the library's `ctx.indent`): map pairs at `indent`, sequence items `- ` at `indent`.
 */
function writeCollection(v: object, indent: number, out: string[]): void {
  if (Array.isArray(v)) {
    if (v.length === 0) {
      out.push('[]')
      return
    }
    const nl = '\n' + pad(indent)
    for (let i = 0; i < v.length; i++) {
      if (i > 0) out.push(nl)
      out.push('- ')
      writeNode(v[i], indent + 2, out)
    }
    return
  }
  if (!hasItems(v)) {
    out.push('{}')
    return
  }
  const map = v as Record<string, unknown>
  const nl = '\n' + pad(indent)
  const inner = indent + 2
  let first = true
  for (const key of Object.keys(map)) {
    const item = map[key]
    if (item === undefined) continue
    if (!first) out.push(nl)
    first = false
    const k = keyText(key, inner)
    out.push(k, ':')
    // An explicit key (`? long key` then `:` on the next line) has even a collection on the `:` line.
    if (item !== null && typeof item === 'object' && hasItems(item) && !k.includes('\n')) {
      out.push('\n', pad(inner))
      writeCollection(item, inner, out)
    } else {
      out.push(' ')
      writeNode(item, inner, out)
    }
  }
}

/** A value at the cursor, its scalar text or continuation lines indented by `indent`. */
function writeNode(v: unknown, indent: number, out: string[]): void {
  switch (typeof v) {
    case 'string':
      out.push(stringText(v, indent))
      return
    case 'number':
      out.push(numberText(v))
      return
    case 'boolean':
      out.push(v ? trueText() : falseText())
      return
    case 'object':
      if (v !== null) {
        writeCollection(v, indent, out)
        return
      }
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
