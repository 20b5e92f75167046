/**
 * Building inline SVG as text. Every piece of text and every attribute value goes through
 * {@link esc}, so a name from the inventory can never become markup; numbers are written with a
 * fixed precision so the same input gives the same bytes. Pure.
 */

// XML 1.0 forbids most control characters even as references: replace them.
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Escape text or an attribute value for HTML and SVG. */
export function esc(value: unknown): string {
  return String(value ?? '')
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
}

/** A coordinate or length with at most one decimal. */
export const num = (n: number): string => {
  const r = Math.round(n * 10) / 10
  return Object.is(r, -0) ? '0' : String(r)
}

export type Attrs = Readonly<Record<string, string | number | undefined>>

function attrs(a: Attrs): string {
  return Object.entries(a)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : esc(v)}"`)
    .join('')
}

/** An element; `children` are already-built markup (from these helpers). */
export function el(name: string, a: Attrs = {}, children: string | readonly string[] = ''): string {
  const inner = typeof children === 'string' ? children : children.join('')
  return inner === '' ? `<${name}${attrs(a)}/>` : `<${name}${attrs(a)}>${inner}</${name}>`
}

/** A text element; the content is escaped. */
export function text(x: number, y: number, content: string, a: Attrs = {}): string {
  return `<text${attrs({x, y, ...a})}>${esc(content)}</text>`
}

/** Cut a label to `max` characters with an ellipsis. */
export function clip(s: string, max: number): string {
  const chars = [...s]
  return chars.length <= max ? s : `${chars.slice(0, Math.max(1, max - 1)).join('')}…`
}

/** A tooltip (`<title>`), escaped. */
export const title = (s: string): string => `<title>${esc(s)}</title>`

/** The outer element: scales with its container, labelled for screen readers. */
export function svg(width: number, height: number, label: string, children: readonly string[], id?: string): string {
  return el(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${num(width)} ${num(height)}`,
      width: num(width),
      height: num(height),
      role: 'img',
      'aria-label': label,
      class: 'chart',
      ...(id ? {id} : {}),
    },
    [title(label), ...children],
  )
}

/** Readable colours (WCAG AA against white for text; distinguishable for bars). */
export const COLOURS = {
  ink: '#1f2933',
  muted: '#52606d',
  grid: '#d9e2ec',
  primary: '#1f6fb2',
  secondary: '#c05621',
  good: '#2f855a',
  warn: '#b7791f',
  bad: '#c53030',
  pale: '#e8f0f8',
  series: ['#1f6fb2', '#c05621', '#2f855a', '#6b46c1', '#b7791f', '#c53030', '#2c7a7b', '#97266d', '#4a5568', '#744210'],
} as const
