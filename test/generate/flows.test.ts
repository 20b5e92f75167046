/** Server-level flows from the dependency graph, against the definition: one flow per key, summed. */
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {flowsFromGraph, packFlows, unpackFlows, type Flow} from '../../src/generate/cloudformation/flows.js'
import {buildGraph, type ConnectionInput, type DependencyGraph} from '../../src/plan/graph.js'
import {servers} from '../plan/helpers.js'

/** The definition: every port use keyed by (client id, server id, protocol, port), internet clients as one. */
function definition(graph: DependencyGraph): Flow[] {
  const out = new Map<string, Flow>()
  const idOf = (i: number): string => (graph.nodes[i]!.kind === 'internet' ? 'internet' : graph.nodes[i]!.id)
  for (const e of graph.edges) {
    const client = idOf(e.client)
    const server = idOf(e.server)
    if (server === 'internet') continue
    for (const p of e.ports) {
      const key = JSON.stringify([client, server, p.protocol, p.port])
      const prev = out.get(key)
      out.set(key, {client, server, protocol: p.protocol, port: p.port, observations: (prev?.observations ?? 0) + p.count})
    }
  }
  // Server, then client, then port as a number (443 before 5432), then protocol.
  return [...out.values()].sort((a, b) =>
    a.server !== b.server
      ? a.server < b.server
        ? -1
        : 1
      : a.client !== b.client
        ? a.client < b.client
          ? -1
          : 1
        : a.port - b.port || (a.protocol < b.protocol ? -1 : 1),
  )
}

describe('flowsFromGraph', () => {
  const estate = servers([
    {name: 'web', ip: '10.0.0.1', listens: [443]},
    {name: 'app', ip: '10.0.0.2', listens: [8080]},
    {name: 'db', ip: '10.0.0.3', listens: [5432]},
  ])
  // Servers, internal endpoints no server owns, and internet addresses (several, which collapse).
  const ips = ['10.0.0.1', '10.0.0.2', '10.0.0.3', '10.9.9.9', '172.16.0.5', '8.8.8.8', '1.1.1.1', '203.0.113.7']
  const connection = fc.record({
    sourceIp: fc.constantFrom(...ips),
    destinationIp: fc.constantFrom(...ips),
    destinationPort: fc.constantFrom(22, 443, 5432, 8080),
    protocol: fc.constantFrom<'tcp' | 'udp'>('tcp', 'udp'),
    count: fc.integer({min: 1, max: 50}),
  })

  it('is one flow per (client, server, protocol, port), internet clients summed as one, in server, client, port order', () => {
    fc.assert(
      fc.property(fc.array(connection, {maxLength: 60}), (records: ConnectionInput[]) => {
        const graph = buildGraph(estate, records)
        expect(flowsFromGraph(graph)).toEqual(definition(graph))
      }),
      {numRuns: 500, seed: 20261130},
    )
  })

  it('sums the internet clients of one server port', () => {
    const graph = buildGraph(estate, [
      {sourceIp: '8.8.8.8', destinationIp: '10.0.0.1', destinationPort: 443, protocol: 'tcp', count: 3},
      {sourceIp: '1.1.1.1', destinationIp: '10.0.0.1', destinationPort: 443, protocol: 'tcp', count: 4},
      {sourceIp: '10.0.0.1', destinationIp: '10.0.0.2', destinationPort: 8080, protocol: 'tcp', count: 2},
    ])
    expect(flowsFromGraph(graph)).toEqual([
      {client: 'srv-web', server: 'srv-app', protocol: 'tcp', port: 8080, observations: 2},
      {client: 'internet', server: 'srv-web', protocol: 'tcp', port: 443, observations: 7},
    ])
  })
})

describe('packFlows / unpackFlows (flows handed to the CloudFormation thread)', () => {
  const flow = fc.record({
    client: fc.oneof(fc.constantFrom('internet', 'srv-a', 'srv-b', 'ip:10.9.9.9'), fc.string({maxLength: 6})),
    server: fc.oneof(fc.constantFrom('srv-a', 'srv-b', 'ip:172.16.0.5'), fc.string({maxLength: 6})),
    protocol: fc.constantFrom<'tcp' | 'udp'>('tcp', 'udp'),
    port: fc.integer({min: 0, max: 65535}),
    observations: fc.oneof(fc.integer({min: 0, max: 2 ** 40}), fc.double({min: 0, max: 1e9, noNaN: true})),
  })

  it('give back the same flows in the same order, through a structured clone, each id sent once', () => {
    fc.assert(
      fc.property(fc.array(flow, {maxLength: 80}), (flows: Flow[]) => {
        const packed = packFlows(flows)
        expect(new Set(packed.ids).size).toBe(packed.ids.length)
        expect(unpackFlows(structuredClone(packed))).toEqual(flows)
      }),
      {numRuns: 300, seed: 20261201},
    )
  })

  it('refuse what the columns cannot hold rather than change it', () => {
    const f: Flow = {client: 'srv-a', server: 'srv-b', protocol: 'tcp', port: 443, observations: 1}
    expect(() => packFlows([{...f, port: 70000}])).toThrow(/tcp\/70000/)
    expect(() => packFlows([{...f, protocol: 'icmp' as 'tcp'}])).toThrow(/icmp/)
  })
})
