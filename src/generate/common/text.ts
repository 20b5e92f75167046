/**
 * Making inventory strings safe for the files we write. Names come from spreadsheets, CMDBs and
 * agents: anything can be in them (`a: b`, `!Ref x`, `{{resolve:…}}`, `${AWS::Region}`, markup,
 * line breaks, unicode). Serialisers (YAML, JSON, CSV, handlebars) quote and escape; these helpers
 * remove what would still mean something to the consumer after quoting.
 */

// C0/C1 controls, bidi overrides and zero-width characters: invisible or reordering text.
const CONTROL = /[\u0000-\u001F\u007F-\u009F\u200B-\u200F\u202A-\u202E\u2066-\u2069\uFEFF]/gu
const ASCII_WORD = /^[A-Za-z0-9]+$/

/**
 * One line of plain text: controls and line breaks become spaces, runs of spaces collapse, and
 * CloudFormation's dynamic references (`{{resolve:…}}`) and `Fn::Sub` variables (`${…}`) are
 * broken up, so a value can never be resolved or substituted by CloudFormation. Cut to `max`.
 */
export function plainText(s: string, max = 255): string {
  if (isPlain(s, max)) return s
  const flat = s
    .normalize('NFC')
    .replace(CONTROL, ' ')
    .replace(/\{\{/g, '{ {')
    .replace(/\}\}/g, '} }')
    .replace(/\$\{/g, '$ {')
    .replace(/\s+/g, ' ')
    .trim()
  // Cut by code point, not UTF-16 unit; a text no longer than `max` units has at most `max` code points.
  return flat.length <= max ? flat : [...flat].slice(0, max).join('').trim()
}

/**
 * True when {@link plainText} would return `s` unchanged: printable ASCII (which NFC and the
 * control-character pass leave alone), spaces only single and inside, no `{{`, `}}` or `${`, at
 * most `max` characters. Most names and ids are; checking is far cheaper than the seven passes.
 */
function isPlain(s: string, max: number): boolean {
  const n = s.length
  if (n > max) return false
  let prev = 0
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x20 || c > 0x7e) return false
    if (c === 0x20 && (i === 0 || i === n - 1 || prev === 0x20)) return false
    if (c === 0x7b && (prev === 0x7b || prev === 0x24)) return false // {{ or ${
    if (c === 0x7d && prev === 0x7d) return false // }}
    prev = c
  }
  return true
}

/** ASCII fold: `Zürich Café` → `Zurich Cafe`; characters without an ASCII form are dropped. */
export function asciiFold(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^\x20-\x7E]/g, '')
}

/** kebab-case ASCII: `Retail & Digital` → `retail-digital`; empty input gives `fallback`. */
export function slug(s: string, max = 40, fallback = 'unnamed'): string {
  const out = asciiFold(s)
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, max)
    .replace(/-+$/g, '')
  return out || fallback
}

/** PascalCase ASCII letters and digits: `shop-web01` → `ShopWeb01`. */
export function pascal(s: string): string {
  // A single ASCII word (`ShopWeb01`, `Ingress`, `12`), as logical ids are mostly built from.
  if (ASCII_WORD.test(s)) return s[0]!.toUpperCase() + s.slice(1)
  return asciiFold(s)
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('')
}

/**
 * An AWS tag value: letters, digits, spaces and `_ . : / = + - @` (the character set every service
 * accepts); anything else becomes `_`. At most 256 characters.
 */
export function tagValue(s: string): string {
  const out = plainText(s, 256).replace(/[^\p{L}\p{N}\s_.:/=+\-@]/gu, '_')
  return out || '_'
}

/** A value for a name-like property that allows `[A-Za-z0-9-]`, starting with a letter. */
export function resourceName(s: string, max: number, fallback = 'x'): string {
  let out = slug(s, max, fallback)
  if (!/^[a-z]/.test(out)) out = `${fallback[0] ?? 'x'}-${out}`.slice(0, max).replace(/-+$/g, '')
  return out
}
