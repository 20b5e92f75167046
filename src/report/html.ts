/**
 * The single-file HTML report: handlebars templates (templates/report/), inline CSS, inline SVG
 * charts, a little vanilla JavaScript for the server table and the per-application pictures, and
 * the data those need embedded as JSON. No network: a Content-Security-Policy allows nothing to be
 * loaded and only the report's own script (by its hash) to run, so even markup that slipped
 * through could not execute. Deterministic: no timestamp unless one is given. Pure (templates are
 * passed in; see src/report/templates.ts).
 */
import {createHash} from 'node:crypto'
import {gzipSync} from 'node:zlib'

import Handlebars from 'handlebars'

import {costChart, ESTATE_MAX_LINKS, estateGraph, gantt, histogram, lambdaChart, ouTree} from './charts.js'
import {joinServers, type JoinedServer, type ReportDocuments} from './documents.js'
import type {AppGraph, AppNodeKind} from './dependencies.js'
import {reportFigures, modelLabel, type ReportFigures} from './figures.js'
import {dec, gib, int, pct, usd, UNKNOWN} from './format.js'
import {COLOURS} from './svg.js'
import {Numbering} from '../util/numbering.js'

export interface ReportTemplates {
  /** templates/report/report.hbs */
  readonly page: string
  /** Partial name → source (templates/report/partials/*.hbs). */
  readonly partials: Readonly<Record<string, string>>
  /** templates/report/report.css */
  readonly css: string
  /** templates/report/report.js */
  readonly script: string
}

export interface RenderReportOptions {
  /** Shown in the header when given (`--timestamp`); absent by default so reruns are byte-identical. */
  readonly generatedAt?: string
}

/** Columns of the embedded server table, in order. `num` columns sort numerically. */
export const TABLE_COLUMNS = [
  {key: 'name', label: 'Server', type: 'text'},
  {key: 'environment', label: 'Environment', type: 'text'},
  {key: 'group', label: 'Application (move group)', type: 'text'},
  {key: 'wave', label: 'Wave', type: 'num'},
  {key: 'strategy', label: 'Strategy', type: 'text'},
  {key: 'target', label: 'Target', type: 'text'},
  {key: 'type', label: 'Type', type: 'text'},
  {key: 'vcpus', label: 'vCPUs', type: 'num'},
  {key: 'memory', label: 'Memory (GiB)', type: 'num'},
  {key: 'cpu', label: 'CPU %', type: 'num'},
  {key: 'sizing', label: 'Right-sizing', type: 'text'},
  {key: 'cost', label: 'On-demand $/month', type: 'money'},
  {key: 'findings', label: 'Findings', type: 'num'},
  {key: 'os', label: 'Operating system', type: 'text'},
] as const

type TableCell = string | number | null

function tableRow(j: JoinedServer): TableCell[] {
  const a = j.a
  const mem = a.sizing.memory.allocated ?? j.inv?.memoryMib
  const group = j.group?.name ?? (j.role === 'shared-service' ? 'shared service' : j.role === 'waved' ? null : `(${j.role})`)
  const cost = a.targetMonthlyUsd['on-demand']
  return [
    a.name,
    j.planned?.environment ?? j.inv?.environment ?? null,
    group,
    j.planned?.wave ?? null,
    a.strategy,
    a.target.service,
    a.target.instanceType ?? (a.target.service === 'ec2' ? a.sizing.chosen?.instanceType : undefined) ?? null,
    a.sizing.cpu.allocated ?? j.inv?.vcpus ?? null,
    mem === undefined ? null : Math.round((mem / 1024) * 10) / 10,
    a.sizing.cpu.utilisationPct ?? null,
    j.rightSizing,
    cost === undefined ? null : Math.round(cost * 100) / 100,
    a.findings.length,
    j.inv?.os ?? null,
  ]
}

const KIND_CODES: readonly AppNodeKind[] = ['member', 'group', 'shared', 'server', 'internal', 'internet', 'more']

/**
 * The server table as embedded: text columns other than the name are interned (each cell is an
 * index into the column's list of distinct values, in order of first use), which keeps 100,000
 * rows to a few megabytes. The page decodes it once.
 */
export function tablePayload(joined: readonly JoinedServer[]): {
  columns: typeof TABLE_COLUMNS
  dict: Record<number, string[]>
  rows: TableCell[][]
} {
  const rows = joined.map(tableRow)
  const dict: Record<number, string[]> = {}
  TABLE_COLUMNS.forEach((c, k) => {
    if (c.type !== 'text' || c.key === 'name') return
    const values: string[] = []
    const index = new Map<string, number>()
    for (const r of rows) {
      const v = r[k]
      if (typeof v !== 'string') continue
      let n = index.get(v)
      if (n === undefined) {
        n = values.length
        values.push(v)
        index.set(v, n)
      }
      r[k] = n
    }
    dict[k] = values
  })
  return {columns: TABLE_COLUMNS, dict, rows}
}

/**
 * Application pictures as embedded: a node is [kind, column, row, ref] where ref is the server's
 * row in the server table (servers), the picture's index (other move groups) or the label itself
 * (on-premises, internet, folded); an edge is [from, to, observations, ports index].
 */
export function appPayload(
  apps: readonly AppGraph[],
  joined: readonly JoinedServer[],
): {kinds: readonly AppNodeKind[]; ports: string[]; graphs: unknown[]} {
  const rowOf = new Map(joined.map((j, i) => [j.a.serverId, i]))
  const graphOf = new Map(apps.map((g, i) => [g.group, i]))
  const ports = new Numbering<string>()
  const graphs = apps.map((g) => ({
    id: g.group,
    name: g.name,
    layers: g.layers,
    height: g.height,
    omitted: g.omitted,
    nodes: g.nodes.map((n) => {
      const ref =
        n.kind === 'group'
          ? graphOf.get(n.ref ?? '')
          : n.kind === 'member' || n.kind === 'shared' || n.kind === 'server'
            ? rowOf.get(n.ref ?? '')
            : undefined
      return [KIND_CODES.indexOf(n.kind), n.layer, n.row, ref ?? n.label]
    }),
    edges: g.edges.map((e) => [e.from, e.to, e.count, ports.of(e.ports)]),
  }))
  return {kinds: KIND_CODES, ports: ports.values, graphs}
}

/**
 * JSON for a `<script type="application/json">` block: `<`, `>` and `&` as \u escapes (so no
 * `</script>` or `<!--` can end or change the block), and U+2028/U+2029 escaped too.
 */
/**
 * JSON, gzipped, in base64: how the report carries the per-application pictures' data (11 MB of
 * JSON at 100,000 servers, 4 MB packed), which the page unpacks with DecompressionStream. The gzip
 * header's time is 0 and its operating-system byte is set to 255 (unknown), so the same data gives
 * the same bytes on any platform. Base64 cannot close the script element it sits in.
 */
export function packJson(value: unknown): string {
  const gz = gzipSync(Buffer.from(JSON.stringify(value), 'utf8'))
  gz[9] = 255
  return gz.toString('base64')
}

export function embedJson(value: unknown): string {
  return JSON.stringify(value).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

function handlebars(): typeof Handlebars {
  const hb = Handlebars.create()
  hb.registerHelper('usd', (v: unknown) => usd(typeof v === 'number' ? v : undefined))
  hb.registerHelper('usdc', (v: unknown) => usd(typeof v === 'number' ? v : undefined, true))
  hb.registerHelper('int', (v: unknown) => int(typeof v === 'number' ? v : undefined))
  hb.registerHelper('dec', (v: unknown) => dec(typeof v === 'number' ? v : undefined))
  hb.registerHelper('pct', (v: unknown) => pct(typeof v === 'number' ? v : undefined))
  hb.registerHelper('gib', (v: unknown) => gib(typeof v === 'number' ? v : undefined))
  hb.registerHelper('eq', (a: unknown, b: unknown) => a === b)
  hb.registerHelper('join', (list: unknown, sep: unknown) =>
    Array.isArray(list) ? list.map(String).join(typeof sep === 'string' ? sep : ', ') : '',
  )
  hb.registerHelper('raw', (v: unknown) => new hb.SafeString(typeof v === 'string' ? v : ''))
  return hb
}

export interface RenderedReport {
  readonly html: string
  readonly figures: ReportFigures
}

/** Render the report. */
export function renderReport(docs: ReportDocuments, templates: ReportTemplates, options: RenderReportOptions = {}): RenderedReport {
  const joined = joinServers(docs)
  const figures = reportFigures(docs, joined)
  const plan = docs.plan
  const estate = plan && plan.groups.length > 0 ? estateGraph(plan) : undefined
  const candidates = figures.lambda.candidates
  const lambdaCharts = candidates
    .slice(0, 12)
    .map((c, i) => ({c, svg: lambdaChart(c, i)}))
    .filter((x): x is {c: (typeof candidates)[number]; svg: string} => x.svg !== undefined)
  const apps = docs.applications?.graphs ?? []
  const tableData = tablePayload(joined)
  const appData = appPayload(apps, joined)
  const cadence = plan?.settings.cadenceDays ?? 14
  const waves = plan?.waves ?? []
  const groupName = new Map((plan?.groups ?? []).map((g) => [g.id, g.name]))
  const costs = figures.costs.map((c) => ({...c, priced: c.available}))
  const view = {
    f: figures,
    generatedAt: options.generatedAt ?? null,
    css: templates.css,
    script: templates.script,
    costs,
    bestModel: bestModel(figures),
    onPremises: figures.onPremises ?? null,
    hasPlan: plan !== undefined,
    charts: {
      cost: costChart(figures.costs, figures.onPremises?.monthlyUsd),
      cpu: histogram(
        `CPU utilisation (${figures.utilisation.statistic}) across servers`,
        figures.utilisation.cpu,
        figures.utilisation.cpuUnknown,
      ),
      memory: histogram(
        `Memory utilisation (${figures.utilisation.statistic}) across servers`,
        figures.utilisation.memory,
        figures.utilisation.memoryUnknown,
        COLOURS.secondary,
      ),
      gantt: waves.length > 0 ? gantt(waves, cadence) : null,
      estate: estate?.svg ?? null,
      ouTree: docs.landingZone ? ouTree(docs.landingZone) : null,
    },
    estateNote: estate ? estateNote(estate, plan!.groups.length) : null,
    strategies: figures.strategies.map((s) => ({...s, share: figures.estate.servers ? s.servers / figures.estate.servers : 0})),
    lambdaCharts,
    lambdaRows: candidates.slice(0, 200),
    lambdaMore: Math.max(0, candidates.length - 200),
    findingGroups: figures.findings.groups.map((g) => ({...g, more: g.servers - g.names.length})),
    waves: waves.map((w) => ({
      ...w,
      groupNames: w.placements.map((p) => groupName.get(p.group) ?? p.group).slice(0, 8),
      moreGroups: Math.max(0, w.placements.length - 8),
      when: w.start ? `${w.start} → ${w.cutover ?? ''}` : `day ${w.dayOffset}`,
    })),
    sharedServices: plan?.sharedServices ?? [],
    crossWave: plan?.crossWaveDependencies.length ?? 0,
    dependentFirst: plan?.crossWaveDependencies.filter((c) => c.dependentFirst).length ?? 0,
    groups: plan?.groups.length ?? 0,
    graph: plan?.graph ?? null,
    landingZone: docs.landingZone
      ? {
          organisation: docs.landingZone.organisation,
          homeRegion: docs.landingZone.homeRegion,
          governedRegions: docs.landingZone.governedRegions.join(', '),
          accounts: docs.landingZone.accounts.map((a) => ({
            name: a.name,
            email: a.email,
            ou: a.ou,
            servers: a.servers.length,
            purpose: a.purpose,
          })),
        }
      : null,
    landingZoneMissing: docs.landingZoneMissing ?? null,
    appsCount: apps.length,
    tableColumns: TABLE_COLUMNS,
    tableData: new Handlebars.SafeString(embedJson(tableData)),
    appData: new Handlebars.SafeString(packJson(appData)),
    unknown: UNKNOWN,
    modelLabel,
  }
  const hb = handlebars()
  for (const [name, source] of Object.entries(templates.partials)) hb.registerPartial(name, source)
  const scriptHash = createHash('sha256').update(templates.script, 'utf8').digest('base64')
  const html = hb.compile(templates.page, {strict: false, noEscape: false})({
    ...view,
    csp: `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${scriptHash}'; base-uri 'none'; form-action 'none'`,
  })
  return {html, figures}
}

/**
 * The cheapest commitment model priced for every server that is priced on demand, when it is
 * cheaper than on-demand (the summary shows it next to on-demand); null otherwise.
 */
function bestModel(f: ReportFigures): {label: string; monthlyUsd: number; threeYearUsd: number} | null {
  const od = f.costs.find((c) => c.model === 'on-demand')
  if (!od?.available) return null
  const full = f.costs.filter(
    (c) => c.available && c.model !== 'on-demand' && c.pricedServers === od.pricedServers && c.monthlyUsd < od.monthlyUsd,
  )
  const best = [...full].sort((a, b) => a.monthlyUsd - b.monthlyUsd)[0]
  return best ? {label: best.label, monthlyUsd: best.monthlyUsd, threeYearUsd: best.threeYearUsd} : null
}

function estateNote(e: {groupsShown: number; groupsFolded: number; linksOmitted: number}, groups: number): string | null {
  const parts: string[] = []
  if (e.groupsFolded > 0)
    parts.push(
      `the ${int(e.groupsShown)} most connected of ${int(groups)} move groups are drawn; the others are folded into one node per column`,
    )
  if (e.linksOmitted > 0) parts.push(`the ${int(ESTATE_MAX_LINKS)} strongest links are drawn, ${int(e.linksOmitted)} weaker ones are not`)
  return parts.length > 0 ? `${parts.join('; ')}.`.replace(/^./, (c) => c.toUpperCase()) : null
}
