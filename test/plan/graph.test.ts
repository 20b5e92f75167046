import {describe, expect, it} from 'vitest'

import {buildGraph} from '../../src/plan/graph.js'
import {AddressClassifier} from '../../src/plan/ip.js'
import {flows, servers} from './helpers.js'

describe('buildGraph', () => {
  const estate = servers([
    {name: 'web', ip: '10.0.0.1', listens: [443]},
    {name: 'db', ip: '10.0.0.2', listens: [5432]},
  ])

  it('resolves addresses to servers, aggregates ports and counts, keeps client → server', () => {
    const g = buildGraph(estate, flows('10.0.0.1>10.0.0.2:5432*10', '10.0.0.1>10.0.0.2:5432*5', '10.0.0.1>10.0.0.2:6432*1'))
    expect(g.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['srv-db', 'server'],
      ['srv-web', 'server'],
    ])
    expect(g.edges).toHaveLength(1)
    const e = g.edges[0]!
    expect([g.nodes[e.client]!.name, g.nodes[e.server]!.name, e.count]).toEqual(['web', 'db', 16])
    expect(e.ports.map((p) => [p.port, p.count])).toEqual([
      [5432, 15],
      [6432, 1],
    ])
    expect(g.summary).toMatchObject({records: 3, observations: 16, unresolvedObservations: 0, serverEdges: 1})
  })

  it('keeps unmatched endpoints as internet or internal nodes and reports unresolved traffic', () => {
    const g = buildGraph(
      estate,
      flows(
        '10.0.0.1>203.0.113.5:443*30',
        '10.0.0.1>10.9.9.9:22*10',
        '172.20.0.1>10.0.0.2:5432*10',
        '10.0.0.1>10.0.0.2:5432*50',
        '10.0.0.1>192.0.2.1:53/udp*50',
      ),
      {onPremisesCidrs: ['192.0.2.0/24']},
    )
    const byName = Object.fromEntries(g.nodes.map((n) => [n.name, n.kind]))
    expect(byName).toMatchObject({'203.0.113.5': 'internet', '10.9.9.9': 'internal', '172.20.0.1': 'internal', '192.0.2.1': 'internal'})
    expect(g.summary.externalNodes).toEqual({internet: 1, internal: 3})
    expect(g.summary.unresolvedObservations).toBe(100)
    expect(g.summary.unresolvedShare).toBeCloseTo(100 / 150)
  })

  it('drops loopback and self traffic, and turns round records whose only listener is the source', () => {
    const g = buildGraph(estate, flows('127.0.0.1>127.0.0.1:5432*4', '10.0.0.1>10.0.0.1:443*2', '10.0.0.2>10.0.0.1:5432*7'))
    expect(g.summary.localRecords).toBe(2)
    expect(g.summary.reversedRecords).toBe(1)
    expect(g.nodes[g.edges[0]!.client]!.name).toBe('web')
  })

  it('resolves NIC addresses and reports an address claimed by two servers', () => {
    const two = [
      {...estate[0]!, nics: [{ips: ['10.1.0.1']}]},
      {...estate[1]!, ips: ['10.0.0.2', '10.0.0.1']},
    ]
    const g = buildGraph(two, flows('10.1.0.1>10.0.0.2:5432'))
    expect(g.summary.ambiguousIps).toEqual(['10.0.0.1'])
    expect(g.nodes[g.edges[0]!.client]!.name).toBe('web')
  })
})

describe('AddressClassifier', () => {
  it.each([
    ['10.1.2.3', 'internal'],
    ['172.31.255.255', 'internal'],
    ['172.32.0.1', 'internet'],
    ['192.168.1.1', 'internal'],
    ['100.64.0.1', 'internal'],
    ['8.8.8.8', 'internet'],
    ['127.0.0.1', 'loopback'],
    ['::1', 'loopback'],
    ['fd00::1', 'internal'],
    ['fe80::1', 'internal'],
    ['2001:db8::1', 'internet'],
    ['::ffff:10.0.0.1', 'internal'],
    ['198.18.0.1', 'internal'],
  ])('%s is %s', (ip, kind) => {
    expect(new AddressClassifier(['198.18.0.0/15']).classify(ip)).toBe(kind)
  })
})

describe('buildGraph from grouped records', () => {
  const estate = servers([
    {name: 'web', ip: '10.0.0.1', listens: [443]},
    {name: 'db', ip: '10.0.0.2', listens: [5432]},
  ])

  it('a grouped record counts as the records it stands for: the same graph and summary as the raw stream', () => {
    const raw = flows(
      '10.0.0.1>10.0.0.2:5432*10',
      '10.0.0.1>10.0.0.2:5432*5',
      '10.0.0.2>10.0.0.1:5432*7',
      '10.0.0.2>10.0.0.2:5432*3',
      '10.0.0.2>10.0.0.2:5432*1',
    )
    const grouped = [
      {...flows('10.0.0.1>10.0.0.2:5432*15')[0]!, records: 2},
      flows('10.0.0.2>10.0.0.1:5432*7')[0]!,
      {...flows('10.0.0.2>10.0.0.2:5432*4')[0]!, records: 2},
    ]
    const a = buildGraph(estate, raw)
    const b = buildGraph(estate, grouped)
    expect(b).toEqual(a)
    expect(b.summary).toMatchObject({records: 5, localRecords: 2, reversedRecords: 1})
  })

  it('keeps the alphabetically first 16 process names of a port, whatever the order of the records', () => {
    const names = Array.from({length: 20}, (_, i) => `p${String(i).padStart(2, '0')}`)
    const record = (process: string) => ({
      sourceIp: '10.0.0.1',
      destinationIp: '10.0.0.2',
      destinationPort: 5432,
      protocol: 'tcp' as const,
      count: 1,
      process,
    })
    const forward = buildGraph(estate, names.map(record))
    const backward = buildGraph(estate, [...names].reverse().map(record))
    expect(forward.edges[0]!.ports[0]!.processes).toEqual(names.slice(0, 16))
    expect(backward).toEqual(forward)
  })
})
