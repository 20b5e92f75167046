import {describe, expect, it} from 'vitest'

import {detectCommunities, graphFromEdges, modularity} from '../../src/plan/community.js'
import {buildGraph} from '../../src/plan/graph.js'
import {folderLabel, groupServers} from '../../src/plan/grouping.js'
import {adjustedRandIndex} from '../../src/plan/metrics.js'
import {findHubs, findSharedServices} from '../../src/plan/shared.js'
import {flows, servers, type SrvSpec} from './helpers.js'

const names = (g: ReturnType<typeof buildGraph>, members: readonly number[]) => members.map((m) => g.nodes[m]!.name)
const grouped = (specs: SrvSpec[], conns: string[], excludeShared = true) => {
  const g = buildGraph(servers(specs), flows(...conns))
  const shared = excludeShared ? findSharedServices(g) : []
  const r = groupServers(g, new Set(shared.map((s) => s.node)))
  return {g, shared, r, sets: r.groups.map((x) => names(g, x.members).sort().join(' ')).sort()}
}

describe('shared services', () => {
  it('a DNS hub is recognised by its port and left out of every group', () => {
    const specs: SrvSpec[] = [
      {name: 'dns1', ip: '10.0.0.53'},
      ...['a1', 'a2', 'b1', 'b2'].map((n, i) => ({name: n, ip: `10.0.1.${i + 1}`})),
    ]
    const {g, shared, sets} = grouped(specs, [
      '10.0.1.1>10.0.1.2:8080*500',
      '10.0.1.3>10.0.1.4:8080*500',
      ...[1, 2, 3, 4].map((i) => `10.0.1.${i}>10.0.0.53:53/udp*5000`),
    ])
    expect(shared.map((s) => [g.nodes[s.node]!.name, s.kinds, s.clients])).toEqual([['dns1', ['dns'], 4]])
    // Without taking DNS out, its heavy traffic would glue a and b together.
    expect(sets).toEqual(['a1 a2', 'b1 b2'])
  })

  it('a server with clients in many groups is a hub; a web farm behind one app server is not', () => {
    const specs: SrvSpec[] = [
      {name: 'hub', ip: '10.9.0.1'},
      {name: 'farm-app', ip: '10.8.0.1'},
    ]
    const conns: string[] = []
    for (let a = 0; a < 6; a++) {
      specs.push({name: `x${a}-1`, ip: `10.1.${a}.1`}, {name: `x${a}-2`, ip: `10.1.${a}.2`})
      conns.push(`10.1.${a}.1>10.1.${a}.2:5432*1000`, `10.1.${a}.1>10.9.0.1:7000*10`, `10.1.${a}.2>10.9.0.1:7000*10`)
    }
    for (let w = 0; w < 12; w++) {
      specs.push({name: `farm-web${w}`, ip: `10.8.1.${w}`})
      conns.push(`10.8.1.${w}>10.8.0.1:8080*100`)
    }
    const g = buildGraph(servers(specs), flows(...conns))
    const first = groupServers(g, new Set())
    const hubs = findHubs(g, first.groupOf, new Set(), {minClients: 10, minGroups: 3})
    expect(hubs.map((h) => g.nodes[h.node]!.name)).toEqual(['hub'])
    expect(hubs[0]!.evidence[0]).toMatch(/12 client servers in \d+ other move groups/)
  })
})

describe('groupServers', () => {
  it('keeps a three-tier application together', () => {
    const {sets, r} = grouped(
      [
        {name: 'shop-web01', ip: '10.0.0.1'},
        {name: 'shop-web02', ip: '10.0.0.2'},
        {name: 'shop-app01', ip: '10.0.0.3'},
        {name: 'shop-db01', ip: '10.0.0.4'},
      ],
      ['10.0.0.1>10.0.0.3:8080*300', '10.0.0.2>10.0.0.3:8080*280', '10.0.0.3>10.0.0.4:5432*9000'],
    )
    expect(sets).toEqual(['shop-app01 shop-db01 shop-web01 shop-web02'])
    expect(r.groups[0]!.name).toBe('shop')
    expect(r.groups[0]!.evidence[0]!.kind).toBe('traffic')
  })

  it('two applications sharing a database move as one group; with labels the database follows its heavier user', () => {
    const specs: SrvSpec[] = [
      {name: 'a-app', ip: '10.0.0.1'},
      {name: 'b-app', ip: '10.0.0.2'},
      {name: 'db', ip: '10.0.0.3'},
    ]
    const conns = ['10.0.0.1>10.0.0.3:5432*5000', '10.0.0.2>10.0.0.3:5432*1000']
    expect(grouped(specs, conns).sets).toEqual(['a-app b-app db'])
    const labelled = grouped([{...specs[0]!, app: 'A'}, {...specs[1]!, app: 'B'}, specs[2]!], conns)
    expect(labelled.sets).toEqual(['a-app db', 'b-app'])
    expect(labelled.r.groups.map((x) => x.name)).toEqual(['A', 'B'])
  })

  it('a trickle of traffic does not merge two busy applications', () => {
    const {sets} = grouped(
      [
        {name: 'p1', ip: '10.0.0.1'},
        {name: 'p2', ip: '10.0.0.2'},
        {name: 'q1', ip: '10.0.1.1'},
        {name: 'q2', ip: '10.0.1.2'},
      ],
      ['10.0.0.1>10.0.0.2:5432*40000', '10.0.1.1>10.0.1.2:5432*30000', '10.0.0.2>10.0.1.1:443*3'],
    )
    expect(sets).toEqual(['p1 p2', 'q1 q2'])
  })

  it('a cycle of three servers is one group', () => {
    const {sets} = grouped(
      [
        {name: 'c1', ip: '10.0.0.1'},
        {name: 'c2', ip: '10.0.0.2'},
        {name: 'c3', ip: '10.0.0.3'},
      ],
      ['10.0.0.1>10.0.0.2:8080*100', '10.0.0.2>10.0.0.3:8080*100', '10.0.0.3>10.0.0.1:8080*100'],
    )
    expect(sets).toEqual(['c1 c2 c3'])
  })

  it('labels win over traffic, tags and folders count as labels, and a weak link cannot capture servers', () => {
    const {sets, r, g} = grouped(
      [
        {name: 'w', ip: '10.0.0.1', app: 'shop'},
        {name: 'a', ip: '10.0.0.2'},
        {name: 'd', ip: '10.0.0.3'},
        {name: 'x', ip: '10.0.0.4', tags: {Application: 'intruder'}},
        {name: 'f1', ip: '10.0.0.5', folder: '/DC1/vm/Prod/payroll'},
        {name: 'f2', ip: '10.0.0.6', folder: '/DC1/vm/Prod/payroll'},
        {name: 'g1', ip: '10.0.0.7', folder: '/DC1/vm/Prod'},
      ],
      ['10.0.0.1>10.0.0.2:8080*5000', '10.0.0.2>10.0.0.3:5432*20000', '10.0.0.4>10.0.0.2:8080*2', '10.0.0.5>10.0.0.1:443*9000'],
    )
    expect(sets).toEqual(['a d w', 'f1 f2', 'g1', 'x'])
    const payroll = r.groups.find((x) => x.name === 'payroll')!
    expect(payroll.evidence[0]!.detail).toBe('2 servers labelled payroll (folder)')
    expect(r.groups.find((x) => names(g, x.members).includes('x'))!.name).toBe('intruder')
    expect(r.groups.find((x) => x.name === 'g1')!.evidence.map((e) => e.kind)).toEqual(['isolated'])
  })

  it('is deterministic and independent of input order', () => {
    const specs: SrvSpec[] = Array.from({length: 40}, (_, i) => ({name: `s${i}`, ip: `10.0.${Math.floor(i / 4)}.${i % 4}`}))
    const conns = specs.flatMap((s, i) =>
      i % 4 === 3 ? [] : [`10.0.${Math.floor(i / 4)}.${i % 4}>10.0.${Math.floor(i / 4)}.${(i % 4) + 1}:80*${100 + i}`],
    )
    conns.push('10.0.0.1>10.0.5.1:22*2', '10.0.3.3>10.0.7.0:22*1')
    const a = grouped(specs, conns).sets
    const b = grouped([...specs].reverse(), [...conns].reverse()).sets
    expect(a).toEqual(b)
    expect(a).toHaveLength(10)
  })
})

describe('folderLabel', () => {
  it.each([
    ['/DC1/vm/payroll', 'payroll'],
    ['/DC1/vm/Prod', undefined],
    ['Discovered virtual machine', undefined],
    ['', undefined],
    ['/vm/Linux', undefined],
    ['CRM\\crm-prod', 'crm-prod'],
  ])('%s → %s', (folder, label) => {
    expect(folderLabel(folder)).toBe(label)
  })
})

describe('community detection', () => {
  // 300 cliques of 4 in a ring, neighbours joined by one weak edge: the classic resolution-limit case.
  const ring = (k: number, weak: number) => {
    const edges: [number, number, number][] = []
    for (let c = 0; c < k; c++) {
      for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) edges.push([c * 4 + i, c * 4 + j, 1])
      edges.push([c * 4, ((c + 1) % k) * 4 + 1, weak])
    }
    return graphFromEdges(k * 4, edges)
  }
  const truth = (k: number) => Array.from({length: k * 4}, (_, i) => Math.floor(i / 4))

  it('recovers every small clique of a large ring (no resolution limit)', () => {
    const g = ring(300, 0.05)
    const found = detectCommunities(g, {resolution: 0.05})
    expect(adjustedRandIndex(found, truth(300))).toBe(1)
    expect(modularity(g, found)).toBeGreaterThan(0.98)
  })

  it('merges cliques when the links between them are as strong as inside', () => {
    const found = detectCommunities(ring(10, 1), {resolution: 0.001})
    expect(new Set(found).size).toBeLessThan(10)
  })

  it('never puts two labels in one community', () => {
    const labels = new Int32Array(8).fill(-1)
    labels[0] = 0
    labels[4] = 1
    const g = graphFromEdges(
      8,
      [
        [0, 1, 1],
        [1, 2, 1],
        [2, 3, 1],
        [3, 4, 1],
        [4, 5, 1],
        [5, 6, 1],
        [6, 7, 1],
      ],
      labels,
    )
    const found = detectCommunities(g, {resolution: 0.0001})
    expect(found[0]).not.toBe(found[4])
  })
})

describe('adjustedRandIndex', () => {
  it.each([
    [[1, 1, 2, 2], [5, 5, 7, 7], 1],
    [[1, 1, 2, 2], [1, 2, 1, 2], -0.5],
    [[0, 0, 0, 1, 1, 1], [0, 0, 1, 1, 2, 2], 0.24242424242424243],
  ])('%j vs %j = %d', (a, b, ari) => {
    expect(adjustedRandIndex(a, b)).toBeCloseTo(ari, 10)
  })
})
