import {parse} from 'csv-parse/sync'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {csvCell, escapeXml, quoteDot, renderGraph} from '../../src/plan/export.js'
import {buildGraph} from '../../src/plan/graph.js'
import {flows, servers} from './helpers.js'

const EVIL = '=HYPERLINK("http://x")<b>&"\\\n</node>'

describe('graph export', () => {
  const g = buildGraph(
    servers([
      {name: EVIL, ip: '10.0.0.1'},
      {name: 'db', ip: '10.0.0.2'},
    ]),
    flows('10.0.0.1>10.0.0.2:5432*7', '10.0.0.1>203.0.113.9:443*2'),
  )
  const input = {graph: g, attributes: (i: number) => (i === 1 ? {group: 'g"1', wave: 2} : {shared: 'dns'})}
  const text = (f: 'graphml' | 'dot' | 'csv') => [...renderGraph(f, input)].join('\n')

  it('GraphML is well-formed XML with every name escaped', () => {
    const xml = text('graphml')
    expect(xml).not.toContain('<b>')
    expect(xml).toContain('&lt;b&gt;&amp;&quot;\\&#10;&lt;/node&gt;')
    expect(xml.split('\n').filter((l) => l.includes('<node ')).length).toBe(3)
    expect(xml).toContain(`<edge id="e0" source="${escapeXml(g.nodes[g.edges[0]!.client]!.id)}" target="srv-db">`)
    expect(xml).toMatch(/<data key="ports">tcp\/5432<\/data>/)
  })

  it('DOT quotes ids and labels', () => {
    const dot = text('dot')
    expect(dot).toContain(`label=${quoteDot(EVIL)}`)
    expect(quoteDot(EVIL)).toBe('"=HYPERLINK(\\"http://x\\")<b>&\\"\\\\\\n</node>"')
    expect(dot).toMatch(/"srv-.*" -> "ip:203\.0\.113\.9" \[label="tcp\/443", observations=2\];/)
  })

  it('CSV has one row per edge and neutralises formulas', () => {
    const rows = parse(text('csv'), {columns: true}) as Record<string, string>[]
    expect(rows).toHaveLength(2)
    expect(rows[0]!.client_name).toBe(`'${EVIL}`)
    expect(rows.find((r) => r.server_name === 'db')).toMatchObject({
      server_group: 'g"1',
      server_wave: '2',
      ports: 'tcp/5432',
      observations: '7',
    })
  })

  it('escaping round-trips any text (property)', () => {
    fc.assert(
      fc.property(fc.string({unit: 'grapheme'}), (s) => {
        const row = parse(`${csvCell(s)}\n`, {relax_quotes: false}) as string[][]
        const cell = row[0]?.[0] ?? ''
        expect(cell).toBe(/^[=+\-@\t\r]/.test(s) ? `'${s}` : s === '' ? '' : s)
        const unxml = escapeXml(s)
          .replace(/&#10;/g, '\n')
          .replace(/&#13;/g, '\r')
          .replace(/&#9;/g, '\t')
          .replace(/&lt;/g, '<')
          .replace(/&gt;/g, '>')
          .replace(/&quot;/g, '"')
          .replace(/&apos;/g, "'")
          .replace(/&amp;/g, '&')
        expect(unxml).toBe(s.replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD'))
        expect(quoteDot(s)).toMatch(/^"([^"\\\n]|\\.)*"$/s)
      }),
    )
  })
})
