/**
 * The dependency graph for other tools: GraphML (yEd, Gephi, Cytoscape), DOT (Graphviz) and CSV
 * (one row per edge). Renderers are pure generators of text lines; names from the inventory are
 * escaped for each format and CSV cells that a spreadsheet would run as a formula are neutralised.
 */
import type {DependencyGraph} from './graph.js'
import {portLabel} from './graph.js'

export type GraphFormat = 'graphml' | 'dot' | 'csv'
export const GRAPH_FORMATS: readonly GraphFormat[] = ['graphml', 'dot', 'csv']

/** Extra per-node attributes: group name, shared-service kinds, wave. */
export interface NodeAttributes {
  readonly group?: string
  readonly shared?: string
  readonly wave?: number
}

export interface GraphExportInput {
  readonly graph: DependencyGraph
  /** By node index. */
  readonly attributes: (node: number) => NodeAttributes
}

// XML 1.0 allows tab, LF, CR and the ranges below; anything else cannot appear even escaped.
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu

/** Text and attribute values; line breaks and tabs as character references so attributes keep them. */
export function escapeXml(s: string): string {
  return s
    .replace(XML_INVALID, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;')
    .replace(/\n/g, '&#10;')
    .replace(/\r/g, '&#13;')
    .replace(/\t/g, '&#9;')
}

/** A DOT double-quoted ID: backslash and quote escaped, line breaks as \n. */
export function quoteDot(s: string): string {
  return `"${s
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/[\u0000-\u001F\u007F]/g, ' ')}"`
}

/** RFC 4180 cell; a cell starting with = + - @ tab or CR gets a leading apostrophe (OWASP CSV injection). */
export function csvCell(value: string | number | undefined): string {
  if (value === undefined) return ''
  let s = String(value)
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

function edgePorts(e: DependencyGraph['edges'][number]): string {
  return e.ports.map((p) => portLabel(p.protocol, p.port)).join(' ')
}

function edgeProcesses(e: DependencyGraph['edges'][number]): string {
  return [...new Set(e.ports.flatMap((p) => p.processes))].sort().join(' ')
}

/** Lines of the graph in the chosen format (each without its line break). */
export function* renderGraph(format: GraphFormat, input: GraphExportInput): Generator<string> {
  if (format === 'graphml') yield* graphml(input)
  else if (format === 'dot') yield* dot(input)
  else yield* csv(input)
}

function* graphml({graph, attributes}: GraphExportInput): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8"?>'
  yield '<graphml xmlns="http://graphml.graphdrawing.org/xmlns" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">'
  const keys = [
    ['name', 'node', 'string'],
    ['kind', 'node', 'string'],
    ['group', 'node', 'string'],
    ['shared', 'node', 'string'],
    ['wave', 'node', 'int'],
    ['environment', 'node', 'string'],
    ['ports', 'edge', 'string'],
    ['processes', 'edge', 'string'],
    ['observations', 'edge', 'long'],
  ] as const
  for (const [id, on, type] of keys) yield `  <key id="${id}" for="${on}" attr.name="${id}" attr.type="${type}"/>`
  yield '  <graph id="dependencies" edgedefault="directed">'
  for (const [i, node] of graph.nodes.entries()) {
    const a = attributes(i)
    const data: [string, string | number | undefined][] = [
      ['name', node.name],
      ['kind', node.kind],
      ['group', a.group],
      ['shared', a.shared],
      ['wave', a.wave],
      ['environment', node.server?.environment],
    ]
    const body = data
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `<data key="${k}">${escapeXml(String(v))}</data>`)
      .join('')
    yield `    <node id="${escapeXml(node.id)}">${body}</node>`
  }
  for (const [k, e] of graph.edges.entries()) {
    const body = [
      `<data key="ports">${escapeXml(edgePorts(e))}</data>`,
      ...(edgeProcesses(e) ? [`<data key="processes">${escapeXml(edgeProcesses(e))}</data>`] : []),
      `<data key="observations">${e.count}</data>`,
    ].join('')
    yield `    <edge id="e${k}" source="${escapeXml(graph.nodes[e.client]!.id)}" target="${escapeXml(graph.nodes[e.server]!.id)}">${body}</edge>`
  }
  yield '  </graph>'
  yield '</graphml>'
}

function* dot({graph, attributes}: GraphExportInput): Generator<string> {
  yield 'digraph dependencies {'
  yield '  node [shape=box, fontname="Helvetica"];'
  for (const [i, node] of graph.nodes.entries()) {
    const a = attributes(i)
    const attrs = [
      `label=${quoteDot(node.name)}`,
      `kind=${quoteDot(node.kind)}`,
      ...(a.group ? [`group=${quoteDot(a.group)}`] : []),
      ...(a.shared ? [`shared=${quoteDot(a.shared)}`, 'style=filled', 'fillcolor="#f2e3b3"'] : []),
      ...(a.wave !== undefined ? [`wave=${a.wave}`] : []),
      ...(node.kind === 'server' ? [] : ['shape=ellipse']),
    ]
    yield `  ${quoteDot(node.id)} [${attrs.join(', ')}];`
  }
  for (const e of graph.edges) {
    yield `  ${quoteDot(graph.nodes[e.client]!.id)} -> ${quoteDot(graph.nodes[e.server]!.id)} [label=${quoteDot(edgePorts(e))}, observations=${e.count}];`
  }
  yield '}'
}

function* csv({graph, attributes}: GraphExportInput): Generator<string> {
  const header = [
    'client_id',
    'client_name',
    'client_kind',
    'client_group',
    'client_wave',
    'server_id',
    'server_name',
    'server_kind',
    'server_group',
    'server_wave',
    'server_shared_service',
    'ports',
    'processes',
    'observations',
  ]
  yield header.join(',')
  for (const e of graph.edges) {
    const c = graph.nodes[e.client]!
    const s = graph.nodes[e.server]!
    const ca = attributes(e.client)
    const sa = attributes(e.server)
    yield [
      c.id,
      c.name,
      c.kind,
      ca.group,
      ca.wave,
      s.id,
      s.name,
      s.kind,
      sa.group,
      sa.wave,
      sa.shared,
      edgePorts(e),
      edgeProcesses(e),
      e.count,
    ]
      .map(csvCell)
      .join(',')
  }
}
