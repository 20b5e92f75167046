/**
 * The handlebars templates the generators render (templates/ at the package root), and the
 * handlebars environment they render with. Loading the template files is the one piece of file
 * access in src/generate: commands call {@link loadTemplates} and hand the sources to the pure
 * generators, so tests can pass their own.
 */
import {existsSync, readFileSync} from 'node:fs'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import Handlebars from 'handlebars'

/** Template path (relative to templates/) → source text. */
export type TemplateSources = Readonly<Record<string, string>>

export const TEMPLATE_FILES = [
  'generated/landing-zone-readme.md.hbs',
  'generated/cloudformation-readme.md.hbs',
  'generated/runbooks-readme.md.hbs',
  'runbooks/wave.md.hbs',
  'runbooks/wave.html.hbs',
] as const
export type TemplateFile = (typeof TEMPLATE_FILES)[number]

/** The package's templates/ folder, found from this module (src/ under tsx, dist/src/ when built). */
export function templatesDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'templates', 'runbooks'))) return join(dir, 'templates')
    dir = dirname(dir)
  }
  throw new Error('templates/ folder not found next to the migrate-plan package')
}

export function loadTemplates(dir = templatesDir()): TemplateSources {
  return Object.fromEntries(TEMPLATE_FILES.map((f) => [f, readFileSync(join(dir, f), 'utf8')]))
}

/** Markdown metacharacters that could start emphasis, code, links, images or table cells inside a line. */
const MD_SPECIAL = /[\\`*_[\]|~]/g
/** Anything {@link markdownText} changes: most names and ids have none of it. */
const MD_ANY = /[\r\n&<>\\`*_[\]|~]/

/**
 * Text for one line of Markdown: line breaks become spaces, `& < >` become entities (so no raw HTML
 * survives) and inline Markdown metacharacters are backslash-escaped (no links, code or table breaks).
 */
export function markdownText(value: unknown): string {
  if (value === undefined || value === null) return ''
  const text = String(value)
  if (!MD_ANY.test(text)) return text
  return text
    .replace(/\r?\n|\r/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MD_SPECIAL, (c) => `\\${c}`)
}

/**
 * A handlebars environment: default `{{x}}` HTML-escapes; `{{md x}}` escapes for Markdown;
 * `{{join list ", "}}`, `{{#if (eq a b)}}`. Templates compile in strict mode, so a missing field
 * is an error instead of an empty string.
 */
export function handlebars(): typeof Handlebars {
  const hb = Handlebars.create()
  hb.registerHelper('md', (v: unknown) => new hb.SafeString(markdownText(v)))
  hb.registerHelper('join', (list: unknown, sep: unknown) =>
    Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : ', ') : '',
  )
  hb.registerHelper(
    'mdjoin',
    (list: unknown, sep: unknown) =>
      new hb.SafeString(Array.isArray(list) ? list.map(markdownText).join(typeof sep === 'string' ? sep : ', ') : ''),
  )
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  hb.registerHelper('inc', (n: unknown) => Number(n) + 1)
  // The built-in #each, with each iteration's output flattened as it is made (see flat): the pieces
  // of one row die young instead of living, as one long chain, until the whole template is done.
  const each = hb.helpers.each as Handlebars.HelperDelegate
  hb.registerHelper('each', function (this: unknown, context: unknown, options?: Handlebars.HelperOptions) {
    if (!options?.fn) return each.call(this, context, options)
    const fn = options.fn
    return each.call(this, context, {...options, fn: (item: unknown, o?: Handlebars.RuntimeOptions) => flat(fn(item, o))})
  })
  return hb
}

/** Compiled templates per sources object: `generate runbooks` renders two templates per wave. */
const compiled = new WeakMap<TemplateSources, Map<string, HandlebarsTemplateDelegate>>()

/** Compile (once per sources object and file) and render one template from the sources. */
export function render(sources: TemplateSources, file: TemplateFile, view: object): string {
  let cache = compiled.get(sources)
  if (!cache) {
    cache = new Map()
    compiled.set(sources, cache)
  }
  let template = cache.get(file)
  if (!template) {
    const source = sources[file]
    if (source === undefined) throw new Error(`template ${file} missing`)
    template = handlebars().compile(source, {strict: true})
    cache.set(file, template)
  }
  return flat(template(view))
}

/**
 * The same string, stored flat. Handlebars builds its output with `+=`, which V8 keeps as a tree of
 * pieces until something reads it, several times the size of the text (a 10 MB table: 63 MB of
 * heap); the 51 runbooks of a 100,000-server plan stayed that way until written, and flattening
 * them then cost seconds. `Number()` reads the string, so V8 flattens it now.
 */
function flat(s: string): string {
  void Number(s)
  return s
}
