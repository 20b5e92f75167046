import {createHash} from 'node:crypto'
import {join} from 'node:path'
import {gunzipSync} from 'node:zlib'

import fc from 'fast-check'
import {SaxesParser} from 'saxes'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type {ServerAssessment} from '../../src/model/assessment.js'
import {loadReportDocuments} from '../../src/pipeline.js'
import {barChart, ouTree, estateGraph} from '../../src/report/charts.js'
import {rightSizing, type ReportDocuments} from '../../src/report/documents.js'
import {reportFigures} from '../../src/report/figures.js'
import {embedJson, packJson, renderReport} from '../../src/report/html.js'
import {layeredLayout} from '../../src/report/layout.js'
import {esc} from '../../src/report/svg.js'
import {loadReportTemplates} from '../../src/report/templates.js'
import type {Workspace} from '../../src/workspace/workspace.js'
import {expectGolden} from '../generate/golden.js'
import {tempDir} from '../helpers/cli.js'
import {acmeWorkspace, HOSTILE_NAMES, hostileWorkspace} from './helpers.js'

let tmp: ReturnType<typeof tempDir>
let acme: Workspace
let hostile: Workspace
let acmeDocs: ReportDocuments
let hostileDocs: ReportDocuments

beforeAll(async () => {
  tmp = tempDir('mp-report-')
  acme = await acmeWorkspace(join(tmp.dir, 'acme'))
  hostile = await hostileWorkspace(join(tmp.dir, 'hostile'))
  acmeDocs = loadReportDocuments(acme, {applications: true})
  hostileDocs = loadReportDocuments(hostile, {applications: true})
}, 180_000)
afterAll(() => {
  acme.close()
  hostile.close()
  tmp.cleanup()
})

/** Parse markup as XML: element names and text nodes, or throw when it is not well-formed. */
function xml(markup: string): {elements: string[]; texts: string[]} {
  const p = new SaxesParser()
  const elements: string[] = []
  const texts: string[] = []
  p.on('opentag', (t) => elements.push(t.name))
  p.on('text', (t) => texts.push(t))
  p.write(markup).close()
  return {elements, texts}
}

const SVG_ELEMENTS = new Set(['svg', 'title', 'g', 'rect', 'text', 'line', 'path', 'polyline', 'circle', 'clipPath', 'defs', 'marker'])

describe('report figures', () => {
  it('are the Assessment’s own totals', () => {
    const f = reportFigures(acmeDocs)
    const s = acmeDocs.assessment.summary
    expect(f.estate.servers).toBe(s.servers)
    for (const m of s.monthly) {
      const row = f.costs.find((c) => c.model === m.model)!
      expect(row.monthlyUsd).toBe(m.monthlyUsd)
      expect(row.threeYearUsd).toBe(m.monthlyUsd * 36)
      expect(row.pricedServers).toBe(m.pricedServers)
    }
    expect(f.onPremises?.threeYearUsd).toBe(s.tco?.onPremises3yrUsd)
    expect(Object.fromEntries(f.strategies.filter((x) => x.servers > 0).map((x) => [x.label, x.servers]))).toEqual(s.byStrategy)
    expect(Object.fromEntries(f.targets.map((x) => [x.label, x.servers]))).toEqual(s.byTarget)
    expect(Object.fromEntries(f.findings.bySeverity.filter((x) => x.servers > 0).map((x) => [x.label, x.servers]))).toEqual(s.findings)
    const cpu = acmeDocs.assessment.servers.map((x) => x.sizing.cpu.allocated).filter((x): x is number => x !== undefined)
    expect(f.estate.vcpus.value).toBe(cpu.reduce((a, b) => a + b, 0))
    expect(f.confidence.measured + f.confidence.reported + f.confidence.none).toBe(s.servers)
    expect(f.utilisation.cpu.reduce((a, b) => a + b.servers, 0) + f.utilisation.cpuUnknown).toBe(s.servers)
    expect(f.rightSizing.reduce((a, b) => a + b.servers, 0)).toBe(s.servers)
  })

  it('match the golden file for the Acme example (UPDATE_GOLDEN=1 rewrites)', () => {
    expectGolden('report-acme', {'figures.json': `${JSON.stringify(reportFigures(acmeDocs), null, 2)}\n`})
  })

  const sized = (basis: string, cpu: number | undefined, mem: number | undefined, chosen?: [number, number]): ServerAssessment =>
    ({
      findings: [],
      rules: [],
      sizing: {
        basis,
        cpu: {allocated: cpu, basis: 'performance', explanation: ''},
        memory: {allocated: mem, basis: 'performance', explanation: ''},
        ...(chosen
          ? {chosen: {instanceType: 'x', vcpus: chosen[0], memoryMib: chosen[1], burstable: false, hourlyUsd: 0, monthlyUsd: 0}}
          : {}),
        alternatives: [],
      },
    }) as unknown as ServerAssessment

  it.each([
    ['performance', 4, 8192, [2, 4096], 'down-sized'],
    ['performance', 4, 8192, [4, 4096], 'down-sized'],
    ['performance', 2, 4096, [4, 8192], 'up-sized'],
    ['performance', 4, 4096, [2, 8192], 'reshaped'],
    ['performance', 4, 8192, [4, 8192], 'same size'],
    ['partial', 4, undefined, [2, 8192], 'down-sized'],
    ['as-is', 4, 8192, [4, 8192], 'as allocated'],
    ['unknown', undefined, undefined, undefined, 'not sized'],
  ] as const)('right-sizing %s %s vCPU %s MiB → %j is %s', (basis, cpu, mem, chosen, expected) => {
    expect(rightSizing(sized(basis, cpu, mem, chosen as [number, number] | undefined))).toBe(expected)
  })

  it('calls a server idle when the assessment says so', () => {
    const s = {...sized('performance', 4, 8192, [2, 4096]), findings: [{id: 'possibly-idle', severity: 'low', message: '', rule: 'x'}]}
    expect(rightSizing(s as ServerAssessment)).toBe('idle')
  })
})

describe('escaping', () => {
  it('embeds JSON that cannot end its script block and parses back to the value', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({unit: 'binary', maxLength: 30}), (value, s) => {
        const v = {value, s: `${s}</script><!--\u2028\u2029&`}
        const text = embedJson(v)
        expect(text).not.toMatch(/[<>&\u2028\u2029]/)
        expect(JSON.parse(text)).toStrictEqual(JSON.parse(JSON.stringify(v)))
      }),
      {numRuns: 200},
    )
  })

  it('packs JSON as base64 gzip that cannot end its script block, unpacks to the value, and is the same bytes every time', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.string({unit: 'binary', maxLength: 30}), (value, s) => {
        const v = {value, s: `${s}</script><!--\u2028\u2029&`}
        const text = packJson(v)
        expect(text).toMatch(/^[A-Za-z0-9+/]*={0,2}$/)
        const gz = Buffer.from(text, 'base64')
        expect([...gz.subarray(0, 10)]).toEqual([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, gz[8], 255])
        expect(JSON.parse(gunzipSync(gz).toString('utf8'))).toStrictEqual(JSON.parse(JSON.stringify(v)))
        expect(packJson(v)).toBe(text)
      }),
      {numRuns: 200},
    )
  })

  it('keeps any label text in charts (well-formed SVG, only chart elements, the label as a text node)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({unit: 'binary', maxLength: 20}), {minLength: 1, maxLength: 5}), (labels) => {
        const out = barChart(
          't',
          labels.map((label, i) => ({label, value: i + 1})),
        )
        const {elements, texts} = xml(out)
        expect(elements.every((e) => SVG_ELEMENTS.has(e))).toBe(true)
        expect(elements.filter((e) => e === 'rect')).toHaveLength(labels.length)
        for (const l of labels) expect(out).toContain(esc(l.length > 26 ? [...l].slice(0, 25).join('') : l).slice(0, 10))
        expect(texts.length).toBeGreaterThan(0)
      }),
      {numRuns: 150},
    )
  })

  it('charts of the hostile estate are well-formed SVG with the names as text', () => {
    const {elements, texts} = xml(estateGraph(hostileDocs.plan!).svg)
    expect(elements.every((e) => SVG_ELEMENTS.has(e))).toBe(true)
    expect(texts.join(' ')).toContain('"><img src=x onerror=alert(1)>')
    expect(elements).not.toContain('img')
  })

  it('the hostile report has no markup from the inventory outside its data blocks, and no raw "<" inside them', () => {
    const {html} = renderReport(hostileDocs, loadReportTemplates())
    const outsideScripts = html
      .replace(/<script type="application\/(?:json|gzip)" id="[a-z-]+">[^<]*<\/script>/g, '')
      .replace(/<script>[\s\S]*?<\/script>/, '')
    for (const name of HOSTILE_NAMES) if (/[<>"&]/.test(name)) expect(outsideScripts).not.toContain(name)
    expect(outsideScripts).not.toMatch(/<img|<script|<[^>]*\bonerror\s*=/i)
    expect(outsideScripts).toContain('&lt;script&gt;alert(1)&lt;/script&gt;')
    expect((html.match(/<script\b/g) ?? []).length).toBe(3)
    expect(html).not.toMatch(/\{\{(?:#if|\/if|#unless|>|raw |int |usd|f\.)/)
    expect(outsideScripts).not.toMatch(/\bundefined\b|\bNaN\b|\[object Object\]/)
  })

  it('without an e-mail domain the report says which setting is missing', () => {
    expect(hostileDocs.landingZone).toBeDefined()
    const {html} = renderReport(
      {...hostileDocs, landingZone: undefined, landingZoneMissing: 'organisation.emailDomain is not set'},
      loadReportTemplates(),
    )
    expect(html).toContain('No landing-zone design: organisation.emailDomain is not set')
  })
})

describe('rendering', () => {
  it('is deterministic and shows a timestamp only when asked', () => {
    const t = loadReportTemplates()
    const a = renderReport(acmeDocs, t).html
    expect(renderReport(acmeDocs, t).html).toBe(a)
    expect(a).not.toMatch(/generated \d{4}-/)
    expect(renderReport(acmeDocs, t, {generatedAt: '2026-03-01T10:00:00.000Z'}).html).toContain('generated 2026-03-01T10:00:00.000Z')
  })

  it('allows only its own script by hash and loads nothing', () => {
    const t = loadReportTemplates()
    const {html} = renderReport(acmeDocs, t)
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/
      .exec(html)![1]!
      .replace(/&#x27;/g, "'")
      .replace(/&#x3D;/g, '=')
    const hash = createHash('sha256').update(t.script, 'utf8').digest('base64')
    expect(csp).toBe(
      `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`,
    )
    expect(html).toContain(`<script>${t.script}</script>`)
    expect(html).not.toMatch(/\b(src|href)="(https?:)?\/\//)
    expect(html).not.toMatch(/@import|url\(http/)
  })

  it('draws the landing-zone tree with every account', () => {
    const lz = acmeDocs.landingZone!
    const {texts} = xml(ouTree(lz))
    for (const a of lz.accounts) expect(texts.some((t) => t.startsWith(a.name.slice(0, 20)))).toBe(true)
  })
})

describe('layout', () => {
  it('puts clients left of the servers they call in a DAG, deterministically', () => {
    fc.assert(
      fc.property(fc.integer({min: 1, max: 40}), fc.array(fc.tuple(fc.nat(), fc.nat()), {maxLength: 80}), (n, pairs) => {
        const edges = pairs
          .map(([a, b]) => [a % n, b % n] as const)
          .filter(([a, b]) => a < b)
          .map(([from, to]) => ({from, to}))
        const l = layeredLayout(n, edges)
        for (const e of edges) expect(l.layer[e.from]!).toBeLessThan(l.layer[e.to]!)
        expect(layeredLayout(n, edges)).toStrictEqual(l)
        const seen = new Set(l.layer.map((x, i) => `${x}:${l.row[i]}`))
        expect(seen.size).toBe(n)
      }),
      {numRuns: 200},
    )
  })

  it('handles cycles and wraps tall columns', () => {
    const l = layeredLayout(3, [
      {from: 0, to: 1},
      {from: 1, to: 2},
      {from: 2, to: 0},
    ])
    expect(new Set(l.layer).size).toBe(3)
    const wide = layeredLayout(100, [], {maxPerColumn: 40})
    expect(wide.height).toBe(40)
    expect(wide.layers).toBe(3)
  })

  it('per-application pictures: servers in the middle, callers left, what they call right', () => {
    const apps = acmeDocs.applications!.graphs
    expect(apps.map((g) => g.group).sort()).toEqual(acmeDocs.plan!.groups.map((g) => g.id).sort())
    for (const g of apps) {
      const memberLayers = g.nodes.filter((n) => n.kind === 'member').map((n) => n.layer)
      expect(memberLayers.length).toBe(acmeDocs.plan!.groups.find((x) => x.id === g.group)!.servers.length)
      const calledByMember = new Set(g.edges.filter((e) => g.nodes[e.from]!.kind === 'member').map((e) => e.to))
      for (const e of g.edges) {
        const a = g.nodes[e.from]!
        const b = g.nodes[e.to]!
        if (a.kind === 'more' || b.kind === 'more') continue
        // Only callers: left of every member. Only called: right of every member.
        if (a.kind !== 'member' && b.kind === 'member' && !calledByMember.has(e.from))
          expect(a.layer).toBeLessThan(Math.min(...memberLayers))
        if (a.kind === 'member' && b.kind !== 'member') expect(b.layer).toBeGreaterThan(Math.max(...memberLayers))
      }
    }
  })
})
