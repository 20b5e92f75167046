/**
 * The report's charts as inline SVG text: bars, histograms, the EC2-vs-Lambda cost curve with its
 * break-even point, the wave timeline (Gantt), the estate's dependency picture by move group and
 * the landing-zone OU/account tree. Every label goes through `esc` (src/report/svg.ts). Pure and
 * deterministic: same figures, same bytes.
 */
import type {LandingZoneDesign} from '../generate/landing-zone/design.js'
import type {MoveGroup, Plan, Wave} from '../model/plan.js'
import type {Bucket, CostRow, LambdaCandidate} from './figures.js'
import {compact, int, usd} from './format.js'
import {layeredLayout} from './layout.js'
import {clip, COLOURS, el, num, svg, text, title} from './svg.js'

const FONT = 12

export interface BarRow {
  readonly label: string
  readonly value: number
  /** Shown after the bar; defaults to the value. */
  readonly display?: string
  readonly colour?: string
}

/** Horizontal bars, one per row. */
export function barChart(label: string, rows: readonly BarRow[], options: {width?: number; labelWidth?: number} = {}): string {
  const width = options.width ?? 640
  const lw = options.labelWidth ?? 170
  const barMax = width - lw - 110
  const max = Math.max(1e-9, ...rows.map((r) => r.value))
  const h = 26
  const parts: string[] = []
  rows.forEach((r, i) => {
    const y = 8 + i * h
    const w = r.value > 0 ? Math.max(1, (r.value / max) * barMax) : 0
    parts.push(
      el('g', {}, [
        title(`${r.label}: ${r.display ?? int(r.value)}`),
        text(lw - 8, y + 14, clip(r.label, 26), {'text-anchor': 'end', 'font-size': FONT, fill: COLOURS.ink}),
        el('rect', {x: lw, y, width: w, height: 18, fill: r.colour ?? COLOURS.primary, rx: 2}),
        text(lw + w + 6, y + 14, r.display ?? int(r.value), {'font-size': FONT, fill: COLOURS.ink}),
      ]),
    )
  })
  return svg(width, 16 + rows.length * h, label, parts)
}

/** Monthly cost per pricing model, with the on-premises monthly equivalent when known. */
export function costChart(costs: readonly CostRow[], onPremisesMonthly?: number): string {
  const rows: BarRow[] = costs
    .filter((c) => c.available)
    .map((c) => ({
      label: c.label,
      value: c.monthlyUsd,
      display: `${usd(c.monthlyUsd)}/month (${int(c.pricedServers)} priced)`,
    }))
  if (onPremisesMonthly !== undefined)
    rows.push({label: 'On-premises', value: onPremisesMonthly, display: `${usd(onPremisesMonthly)}/month`, colour: COLOURS.secondary})
  return barChart('Projected monthly cost per pricing model', rows, {labelWidth: 150, width: 680})
}

/** Vertical histogram of 10 buckets, plus the unknown count as text. */
export function histogram(label: string, buckets: readonly Bucket[], unknown: number, colour: string = COLOURS.primary): string {
  const width = 360
  const height = 200
  const left = 36
  const bottom = 160
  const top = 14
  const bw = (width - left - 10) / buckets.length
  const max = Math.max(1, ...buckets.map((b) => b.servers))
  const parts: string[] = []
  for (let t = 0; t <= 4; t++) {
    const v = (max * t) / 4
    const y = bottom - ((bottom - top) * t) / 4
    parts.push(el('line', {x1: left, y1: y, x2: width - 8, y2: y, stroke: COLOURS.grid}))
    parts.push(text(left - 4, y + 4, compact(Math.round(v)), {'text-anchor': 'end', 'font-size': 10, fill: COLOURS.muted}))
  }
  buckets.forEach((b, i) => {
    const h = ((bottom - top) * b.servers) / max
    const x = left + i * bw
    parts.push(
      el('g', {}, [
        title(`${b.label}: ${int(b.servers)} servers`),
        el('rect', {x: x + 2, y: bottom - h, width: bw - 4, height: h, fill: colour}),
      ]),
    )
    if (i % 2 === 0) parts.push(text(x + 2, bottom + 14, `${i * 10}%`, {'font-size': 10, fill: COLOURS.muted}))
  })
  parts.push(text(width - 8, bottom + 14, '100%', {'text-anchor': 'end', 'font-size': 10, fill: COLOURS.muted}))
  parts.push(text(left, bottom + 34, `${int(unknown)} servers without data`, {'font-size': FONT, fill: COLOURS.muted}))
  return svg(width, height, label, parts)
}

/**
 * Monthly cost against requests per month (log scale) for one Lambda candidate: EC2 is flat,
 * Lambda grows with the requests. The points marked are the Assessment's own: the break-even
 * volume (where Lambda costs what EC2 does) and the estimated volume with its Lambda cost. The
 * Lambda line is drawn through them (through the origin when only one is known).
 */
export function lambdaChart(c: LambdaCandidate, index: number): string | undefined {
  const ec2 = c.ec2MonthlyUsd
  const pts: {x: number; y: number; kind: 'estimate' | 'break-even'}[] = []
  if (c.requestsPerMonth !== undefined && c.requestsPerMonth > 0 && c.lambdaMonthlyUsd !== undefined)
    pts.push({x: c.requestsPerMonth, y: c.lambdaMonthlyUsd, kind: 'estimate'})
  if (c.breakEvenRequestsPerMonth !== undefined && c.breakEvenRequestsPerMonth > 0 && ec2 !== undefined)
    pts.push({x: c.breakEvenRequestsPerMonth, y: ec2, kind: 'break-even'})
  if (ec2 === undefined || pts.length === 0) return undefined
  const [p, q] = pts.length === 2 && pts[0]!.x !== pts[1]!.x ? [pts[0]!, pts[1]!] : [{x: 0, y: 0}, pts[0]!]
  const slope = (q.y - p.y) / (q.x - p.x)
  const cost = (r: number): number => Math.max(0, p.y + slope * (r - p.x))
  const lo = Math.max(0, Math.floor(Math.log10(Math.min(...pts.map((t) => t.x)))) - 1)
  const hi = Math.ceil(Math.log10(Math.max(...pts.map((t) => t.x)))) + 1
  const yMax = Math.max(ec2 * 2, ...pts.map((t) => t.y * 1.25), 1)
  const width = 420
  const height = 230
  const L = 56
  const R = width - 12
  const T = 12
  const B = 180
  const X = (r: number): number => L + ((Math.log10(Math.max(r, 10 ** lo)) - lo) / (hi - lo)) * (R - L)
  const Y = (usdv: number): number => B - (Math.min(usdv, yMax) / yMax) * (B - T)
  const parts: string[] = []
  for (let e = lo; e <= hi; e++) {
    parts.push(el('line', {x1: X(10 ** e), y1: T, x2: X(10 ** e), y2: B, stroke: COLOURS.grid}))
    parts.push(text(X(10 ** e), B + 14, compact(10 ** e), {'text-anchor': 'middle', 'font-size': 10, fill: COLOURS.muted}))
  }
  for (let t = 0; t <= 4; t++) {
    const v = (yMax * t) / 4
    parts.push(el('line', {x1: L, y1: Y(v), x2: R, y2: Y(v), stroke: COLOURS.grid}))
    parts.push(text(L - 4, Y(v) + 4, usd(v), {'text-anchor': 'end', 'font-size': 10, fill: COLOURS.muted}))
  }
  parts.push(text((L + R) / 2, B + 30, 'requests per month (log scale)', {'text-anchor': 'middle', 'font-size': 11, fill: COLOURS.muted}))
  parts.push(el('line', {x1: L, y1: Y(ec2), x2: R, y2: Y(ec2), stroke: COLOURS.primary, 'stroke-width': 2.5}))
  parts.push(text(R - 2, Y(ec2) - 5, `EC2 ${usd(ec2, true)}/month`, {'text-anchor': 'end', 'font-size': 11, fill: COLOURS.primary}))
  const samples: string[] = []
  const clipId = `lambda-clip-${index}`
  for (let k = 0; k <= 80; k++) {
    const r = 10 ** (lo + ((hi - lo) * k) / 80)
    samples.push(`${num(X(r))},${num(B - (cost(r) / yMax) * (B - T))}`)
  }
  parts.push(el('clipPath', {id: clipId}, el('rect', {x: L, y: T, width: R - L, height: B - T})))
  parts.push(
    el('polyline', {
      points: samples.join(' '),
      fill: 'none',
      stroke: COLOURS.secondary,
      'stroke-width': 2.5,
      'clip-path': `url(#${clipId})`,
    }),
  )
  parts.push(text(L + 4, T + 12, 'Lambda', {'font-size': 11, fill: COLOURS.secondary}))
  for (const t of pts) {
    const label =
      t.kind === 'break-even' ? `break-even ${compact(t.x)} req/month` : `estimated ${compact(t.x)} req/month: ${usd(t.y, true)}`
    parts.push(
      el('g', {}, [
        title(
          t.kind === 'break-even'
            ? `Break-even: ${int(t.x)} requests per month`
            : `Estimated volume: ${int(t.x)} requests per month, Lambda ${usd(t.y, true)}`,
        ),
        el('circle', {cx: X(t.x), cy: Y(t.y), r: 5, fill: t.kind === 'break-even' ? COLOURS.bad : COLOURS.good}),
        text(X(t.x) + (X(t.x) > (L + R) / 2 ? -8 : 8), Y(t.y) + (t.kind === 'break-even' ? 18 : -10), label, {
          'text-anchor': X(t.x) > (L + R) / 2 ? 'end' : 'start',
          'font-size': 10,
          fill: COLOURS.ink,
        }),
      ]),
    )
  }
  return svg(width, height, `EC2 vs Lambda monthly cost for ${c.name}`, parts)
}

/** Most waves drawn in the timeline; the rest are listed in the waves table and the exports. */
export const GANTT_MAX_WAVES = 60

/** The wave timeline: one bar per wave from its day offset over its window. */
export function gantt(waves: readonly Wave[], cadenceDays: number): string {
  const shown = waves.slice(0, GANTT_MAX_WAVES)
  const width = 760
  const lw = 90
  const R = width - 130
  const rowH = 22
  const top = 26
  const end = Math.max(1, ...shown.map((w) => w.dayOffset + windowDays(w, cadenceDays)))
  const X = (d: number): number => lw + (d / end) * (R - lw)
  const parts: string[] = []
  const step = niceStep(end / 8)
  const firstStart = shown[0]?.start
  for (let d = 0; d <= end; d += step) {
    parts.push(el('line', {x1: X(d), y1: top - 6, x2: X(d), y2: top + shown.length * rowH, stroke: COLOURS.grid}))
    parts.push(
      text(X(d), top - 10, firstStart ? addDays(firstStart, d) : `day ${d}`, {
        'text-anchor': 'middle',
        'font-size': 10,
        fill: COLOURS.muted,
      }),
    )
  }
  shown.forEach((w, i) => {
    const y = top + i * rowH
    const x = X(w.dayOffset)
    const wd = Math.max(2, X(w.dayOffset + windowDays(w, cadenceDays)) - x)
    parts.push(
      el('g', {}, [
        title(
          `${w.name}: ${w.start ? `${w.start} to ${w.cutover ?? ''}` : `day ${w.dayOffset}`}, ${w.servers} servers, ${w.placements.length} groups, risk ${w.risk.score}`,
        ),
        text(lw - 8, y + 15, w.name, {'text-anchor': 'end', 'font-size': FONT, fill: COLOURS.ink}),
        el('rect', {x, y: y + 3, width: wd, height: rowH - 6, rx: 3, fill: w.pilot ? COLOURS.good : COLOURS.primary}),
        text(x + wd + 6, y + 15, `${int(w.servers)} server${w.servers === 1 ? '' : 's'}, risk ${w.risk.score}`, {
          'font-size': 11,
          fill: COLOURS.ink,
        }),
      ]),
    )
  })
  const more = waves.length - shown.length
  if (more > 0)
    parts.push(
      text(lw, top + shown.length * rowH + 18, `… and ${int(more)} more waves (see the waves table and export)`, {
        'font-size': FONT,
        fill: COLOURS.muted,
      }),
    )
  return svg(width, top + shown.length * rowH + (more > 0 ? 30 : 10), 'Wave timeline', parts)
}

function windowDays(w: Wave, cadence: number): number {
  if (w.start && w.cutover) return Math.max(1, daysBetween(w.start, w.cutover) + 1)
  return cadence
}

function daysBetween(a: string, b: string): number {
  return Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / 86_400_000)
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10)
}

function niceStep(raw: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(1, raw)))
  for (const m of [1, 2, 5, 7, 10]) if (m * p >= raw) return Math.max(1, m * p)
  return Math.max(1, 10 * p)
}

/** Most move groups drawn in the estate picture; the others are folded into one node per column. */
export const ESTATE_MAX_GROUPS = 150
/** Most links drawn in the estate picture (the strongest by observations). */
export const ESTATE_MAX_LINKS = 300
/** Most wave columns; more waves are drawn in ranges. */
export const ESTATE_MAX_COLUMNS = 24

interface EstateNode {
  readonly label: string
  readonly tip: string
  readonly column: number
  readonly kind: 'group' | 'folded' | 'shared'
  readonly group?: string
}

/**
 * The estate's dependency picture: shared services in the first column, then the move groups in
 * wave columns, joined by their links (client → server). Edges where the client moves before the
 * server it depends on are red. Large estates keep the most connected groups.
 */
export function estateGraph(plan: Plan): {svg: string; groupsShown: number; groupsFolded: number; linksOmitted: number} {
  const groups = plan.groups
  const waveNumbers = [...new Set(groups.map((g) => g.wave ?? Number.MAX_SAFE_INTEGER))].sort((a, b) => a - b)
  const perColumn = Math.max(1, Math.ceil(waveNumbers.length / ESTATE_MAX_COLUMNS))
  const columnOfWave = new Map(waveNumbers.map((w, i) => [w, 1 + Math.floor(i / perColumn)]))
  const columnLabels: string[] = ['shared services']
  for (let c = 0; c * perColumn < waveNumbers.length; c++) {
    const ws = waveNumbers.slice(c * perColumn, (c + 1) * perColumn)
    const name = (w: number): string => (w === Number.MAX_SAFE_INTEGER ? 'not waved' : `wave ${w}`)
    columnLabels.push(ws.length === 1 ? name(ws[0]!) : `${name(ws[0]!)}–${String(ws.at(-1)!)}`)
  }
  const weight = new Map<string, number>()
  for (const g of groups)
    weight.set(
      g.id,
      g.links.reduce((s, l) => s + l.observations, 0),
    )
  const ranked = [...groups].sort(
    (a, b) => weight.get(b.id)! - weight.get(a.id)! || b.servers.length - a.servers.length || (a.name < b.name ? -1 : 1),
  )
  const kept = new Set(ranked.slice(0, ESTATE_MAX_GROUPS).map((g) => g.id))
  const nodes: EstateNode[] = []
  const nodeOf = new Map<string, number>()
  const sharedShown = plan.sharedServices.slice(0, 30)
  for (const s of sharedShown)
    nodes.push({
      label: s.name,
      tip: `${s.name}: shared service (${s.kinds.join(', ')}), ${s.clients} clients${s.neededByWave ? `, needed by wave ${s.neededByWave}` : ''}`,
      column: 0,
      kind: 'shared',
    })
  if (plan.sharedServices.length > sharedShown.length)
    nodes.push({
      label: `${plan.sharedServices.length - sharedShown.length} more`,
      tip: `${plan.sharedServices.length - sharedShown.length} more shared services`,
      column: 0,
      kind: 'folded',
    })
  const folded = new Map<number, {groups: number; servers: number}>()
  for (const g of [...groups].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const col = columnOfWave.get(g.wave ?? Number.MAX_SAFE_INTEGER)!
    if (kept.has(g.id)) {
      nodeOf.set(g.id, nodes.length)
      nodes.push({
        label: g.name,
        tip: `${g.name}: ${g.servers.length} servers${g.wave ? `, wave ${g.wave}` : ''}${g.environment ? `, ${g.environment}` : ''}`,
        column: col,
        kind: 'group',
        group: g.id,
      })
    } else {
      const f = folded.get(col) ?? {groups: 0, servers: 0}
      f.groups++
      f.servers += g.servers.length
      folded.set(col, f)
    }
  }
  const foldedNode = new Map<number, number>()
  for (const [col, f] of [...folded].sort((a, b) => a[0] - b[0])) {
    foldedNode.set(col, nodes.length)
    nodes.push({
      label: `${int(f.groups)} more groups`,
      tip: `${int(f.groups)} smaller or less connected groups (${int(f.servers)} servers) in ${columnLabels[col]}`,
      column: col,
      kind: 'folded',
    })
  }
  const indexOf = (g: MoveGroup): number => nodeOf.get(g.id) ?? foldedNode.get(columnOfWave.get(g.wave ?? Number.MAX_SAFE_INTEGER)!)!
  const byId = new Map(groups.map((g) => [g.id, g]))
  const dependentFirst = new Set(
    plan.crossWaveDependencies.filter((c) => c.dependentFirst).map((c) => `${c.clientGroup}\0${c.serverGroup}`),
  )
  const edgeAcc = new Map<string, {from: number; to: number; observations: number; late: boolean}>()
  for (const g of groups)
    for (const l of g.links) {
      const other = byId.get(l.group)
      if (l.direction !== 'out' || !other) continue
      const from = indexOf(g)
      const to = indexOf(other)
      if (from === to) continue
      const key = `${from}>${to}`
      const e = edgeAcc.get(key) ?? {from, to, observations: 0, late: false}
      e.observations += l.observations
      e.late ||= dependentFirst.has(`${g.name}\0${other.name}`)
      edgeAcc.set(key, e)
    }
  const allEdges = [...edgeAcc.values()]
  // The strongest links only: a thousand curves make the picture unreadable and slow to draw.
  const edges = [...allEdges]
    .sort((a, b) => b.observations - a.observations || a.from - b.from || a.to - b.to)
    .slice(0, ESTATE_MAX_LINKS)
    .sort((a, b) => a.from - b.from || a.to - b.to)
  const lay = layeredLayout(nodes.length, edges, {fixedLayer: nodes.map((n) => n.column)})
  const colW = 190
  const boxW = 150
  const rowH = 30
  const top = 34
  const width = Math.max(400, columnLabels.length * colW + 20)
  const height = top + Math.max(1, lay.height) * rowH + 10
  const pos = (i: number): {x: number; y: number} => ({x: 10 + nodes[i]!.column * colW, y: top + lay.row[i]! * rowH})
  const parts: string[] = []
  columnLabels.forEach((l, c) =>
    parts.push(
      text(10 + c * colW + boxW / 2, 18, l, {'text-anchor': 'middle', 'font-size': FONT, 'font-weight': 'bold', fill: COLOURS.ink}),
    ),
  )
  const maxObs = Math.max(1, ...edges.map((e) => e.observations))
  parts.push(el('defs', {}, [arrowMarker('arrow-estate', '#627d98'), arrowMarker('arrow-estate-late', COLOURS.bad)]))
  for (const e of edges) {
    parts.push(
      el('path', {
        d: curve(pos(e.from), pos(e.to), boxW, 11),
        fill: 'none',
        stroke: e.late ? COLOURS.bad : '#9fb3c8',
        'stroke-width': 1 + 3 * Math.sqrt(e.observations / maxObs),
        'marker-end': `url(#${e.late ? 'arrow-estate-late' : 'arrow-estate'})`,
      }),
    )
  }
  nodes.forEach((n, i) => {
    const {x, y} = pos(i)
    const fill = n.kind === 'shared' ? '#fbd38d' : n.kind === 'folded' ? '#e2e8f0' : COLOURS.pale
    parts.push(
      el('g', {class: `estate-node ${n.kind}`, ...(n.group ? {'data-group': n.group} : {})}, [
        title(n.tip),
        el('rect', {x, y, width: boxW, height: 22, rx: 4, fill, stroke: '#829ab1'}),
        text(x + 6, y + 15, clip(n.label, 22), {'font-size': 11, fill: COLOURS.ink}),
      ]),
    )
  })
  return {
    svg: svg(width, height, 'Estate dependencies by move group and wave', parts),
    groupsShown: nodeOf.size,
    groupsFolded: groups.length - nodeOf.size,
    linksOmitted: allEdges.length - edges.length,
  }
}

/** An arrowhead for `marker-end`, drawn at the end of the path in its direction. */
export function arrowMarker(id: string, colour: string): string {
  return el(
    'marker',
    {id, viewBox: '0 0 10 10', refX: 10, refY: 5, markerWidth: 7, markerHeight: 7, markerUnits: 'userSpaceOnUse', orient: 'auto'},
    el('path', {d: 'M0,0 L10,5 L0,10 z', fill: colour}),
  )
}

/**
 * A link between two boxes (top-left corners, width `w`, middle at `mid`): rightwards from the
 * client's right edge to the server's left edge, leftwards the other way round, and a bulge to the
 * right when both are in one column.
 */
export function curve(a: {x: number; y: number}, b: {x: number; y: number}, w: number, mid: number): string {
  const y1 = a.y + mid
  const y2 = b.y + mid
  let x1: number
  let x2: number
  let c1: number
  let c2: number
  if (b.x > a.x) {
    x1 = a.x + w
    x2 = b.x
    const bend = Math.max(30, (x2 - x1) / 2)
    c1 = x1 + bend
    c2 = x2 - bend
  } else if (b.x < a.x) {
    x1 = a.x
    x2 = b.x + w
    const bend = Math.max(30, (x1 - x2) / 2)
    c1 = x1 - bend
    c2 = x2 + bend
  } else {
    x1 = a.x + w
    x2 = b.x + w
    const bulge = 24 + Math.min(60, Math.abs(y2 - y1) / 4)
    c1 = x1 + bulge
    c2 = x2 + bulge
  }
  return `M${num(x1)},${num(y1)} C${num(c1)},${num(y1)} ${num(c2)},${num(y2)} ${num(x2)},${num(y2)}`
}

/** The landing zone's OUs and accounts as a left-to-right tree. */
export function ouTree(design: LandingZoneDesign): string {
  interface TNode {
    label: string
    tip: string
    kind: 'root' | 'ou' | 'account'
    children: TNode[]
    y?: number
    depth: number
  }
  const root: TNode = {label: design.organisation, tip: `Organization root: ${design.organisation}`, kind: 'root', children: [], depth: 0}
  const byPath = new Map<string, TNode>()
  for (const ou of design.ous) {
    const parent = ou.parent ? byPath.get(ou.parent) : root
    if (!parent) continue
    const node: TNode = {label: ou.name, tip: `${ou.path}: ${ou.purpose}`, kind: 'ou', children: [], depth: parent.depth + 1}
    parent.children.push(node)
    byPath.set(ou.path, node)
  }
  for (const a of design.accounts) {
    const parent = byPath.get(a.ou) ?? root
    parent.children.push({
      label: `${a.name} (${int(a.servers.length)} servers)`,
      tip: `${a.name} <${a.email}>: ${a.purpose}; ${int(a.servers.length)} servers`,
      kind: 'account',
      children: [],
      depth: parent.depth + 1,
    })
  }
  let leaf = 0
  const assign = (n: TNode): number => {
    if (n.children.length === 0) return (n.y = leaf++)
    const ys = n.children.map(assign)
    return (n.y = (ys[0]! + ys.at(-1)!) / 2)
  }
  assign(root)
  const colW = 200
  const rowH = 26
  const boxW = 180
  const parts: string[] = []
  const maxDepth = {value: 0}
  const draw = (n: TNode): void => {
    maxDepth.value = Math.max(maxDepth.value, n.depth)
    const x = 10 + n.depth * colW
    const y = 10 + n.y! * rowH
    for (const c of n.children) {
      const cx = 10 + c.depth * colW
      const cy = 10 + c.y! * rowH
      parts.push(
        el('path', {
          d: `M${num(x + boxW)},${num(y + 10)} C${num(x + boxW + 12)},${num(y + 10)} ${num(cx - 12)},${num(cy + 10)} ${num(cx)},${num(cy + 10)}`,
          fill: 'none',
          stroke: '#9fb3c8',
        }),
      )
      draw(c)
    }
    const fill = n.kind === 'account' ? '#f0fff4' : n.kind === 'ou' ? COLOURS.pale : '#fefcbf'
    parts.push(
      el('g', {}, [
        title(n.tip),
        el('rect', {x, y, width: boxW, height: 20, rx: 4, fill, stroke: '#829ab1'}),
        text(x + 6, y + 14, clip(n.label, 27), {'font-size': 11, fill: COLOURS.ink}),
      ]),
    )
  }
  draw(root)
  return svg(20 + (maxDepth.value + 1) * colW, 20 + leaf * rowH, 'Landing zone: organizational units and accounts', parts)
}
