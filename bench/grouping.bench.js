// Grouping quality: how well move groups recover planted applications (adjusted Rand index) and
// the modularity of the result, next to igraph's multilevel (Louvain) and graphology's Louvain on
// the same weighted graph, in the same run. Labels are withheld: this measures traffic alone.
//
// Cases: a realistic estate from src/synth (planted applications, shared services, low-traffic
// noise), the same with 5× the noise, and 20,000 small applications (2–12 servers).
// Target: ARI ≥ 0.95 on each. igraph: Debian's python3-igraph via /usr/bin/python3.
import {spawnSync} from 'node:child_process'
import {existsSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {dirname, join} from 'node:path'
import {fileURLToPath} from 'node:url'

import Graph from 'graphology'
import louvain from 'graphology-communities-louvain'

import {detectCommunities, graphFromEdges} from '../dist/src/plan/community.js'
import {buildGraph} from '../dist/src/plan/graph.js'
import {groupServers} from '../dist/src/plan/grouping.js'
import {adjustedRandIndex} from '../dist/src/plan/metrics.js'
import {findHubs, findSharedServices} from '../dist/src/plan/shared.js'
import {modularity} from '../dist/src/plan/community.js'
import {figure, peakRssMib, timed} from './lib.js'

const here = dirname(fileURLToPath(import.meta.url))
const PYTHON = '/usr/bin/python3'
const quick = process.env.BENCH_QUICK === '1'

function igraphAvailable() {
  if (!existsSync(PYTHON)) return 'no /usr/bin/python3'
  const r = spawnSync(PYTHON, ['-c', 'import igraph; print(igraph.__version__)'], {encoding: 'utf8'})
  return r.status === 0 ? true : 'python3-igraph is not installed (apt-get install -y python3-igraph)'
}

async function loadGenerator() {
  const synth = join(here, '../dist/src/synth/index.js')
  if (existsSync(synth)) {
    const m = await import(synth)
    if (typeof m.generateEstate === 'function') return {name: 'src/synth generateEstate', generate: (o) => m.generateEstate(o)}
  }
  const m = await import('./estate.js')
  return {name: 'bench/estate.js (planted partition)', generate: (o) => m.plantedEstate({...o, records: o.connectionRecords})}
}

/** Servers as planning sees them, labels withheld so that grouping works from traffic alone. */
function planServers(estate) {
  return estate.servers.map((s, i) => ({
    id: `srv-${String(i).padStart(7, '0')}`,
    name: s.name,
    ips: [s.ip ?? s.ips[0]],
    flags: [],
    listeners: (s.listens ?? s.listeners ?? []).map((l) => ({protocol: l.protocol, ip: '0.0.0.0', port: l.port, process: l.process})),
    environment: s.environment,
  }))
}

function runIgraph(weighted, truth) {
  const dir = mkdtempSync(join(tmpdir(), 'mp-igraph-'))
  try {
    const lines = [String(weighted.n)]
    for (let i = 0; i < weighted.n; i++)
      for (let e = weighted.offsets[i]; e < weighted.offsets[i + 1]; e++)
        if (weighted.targets[e] > i) lines.push(`${i} ${weighted.targets[e]} ${weighted.weights[e]}`)
    writeFileSync(join(dir, 'edges.txt'), `${lines.join('\n')}\n`)
    const r = spawnSync(PYTHON, [join(here, 'igraph_multilevel.py'), join(dir, 'edges.txt')], {encoding: 'utf8', maxBuffer: 1 << 29})
    if (r.status !== 0) throw new Error(r.stderr)
    const out = r.stdout.trim().split('\n')
    const info = JSON.parse(out.pop())
    const membership = out.map(Number)
    return {...info, ari: adjustedRandIndex(membership, truth), groups: new Set(membership).size}
  } finally {
    rmSync(dir, {recursive: true, force: true})
  }
}

function runGraphology(weighted, truth) {
  const g = new Graph({type: 'undirected'})
  for (let i = 0; i < weighted.n; i++) g.addNode(i)
  for (let i = 0; i < weighted.n; i++)
    for (let e = weighted.offsets[i]; e < weighted.offsets[i + 1]; e++)
      if (weighted.targets[e] > i) g.addEdge(i, weighted.targets[e], {weight: weighted.weights[e]})
  let seed = 1
  const rng = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646
  const t0 = performance.now()
  const parts = louvain(g, {rng, getEdgeWeight: 'weight'})
  const seconds = (performance.now() - t0) / 1000
  const membership = Array.from({length: weighted.n}, (_, i) => parts[i])
  const ids = new Map()
  const m = Int32Array.from(membership, (c) => (ids.has(c) ? ids.get(c) : (ids.set(c, ids.size), ids.size - 1)))
  return {ari: adjustedRandIndex(m, truth), modularity: modularity(weighted, m), seconds, groups: ids.size}
}

async function runCase(label, generator, options, igraph) {
  console.log(`\n  -- ${label} (${generator.name}) --`)
  const [estate, genSeconds] = await timed(async () => generator.generate(options))
  const servers = planServers(estate)
  const [graph, graphSeconds] = await timed(async () => buildGraph(servers, estate.connections()))
  const apps = new Set([...estate.truth.values()].filter((t) => !t.startsWith('shared:'))).size
  figure('servers / planted applications', `${servers.length.toLocaleString('en-US')} / ${apps.toLocaleString('en-US')}`)
  figure(
    'connection records / server edges',
    `${graph.summary.records.toLocaleString('en-US')} / ${graph.summary.serverEdges.toLocaleString('en-US')}`,
  )
  figure('generate + build graph', genSeconds + graphSeconds, 's')

  const [result, groupSeconds] = await timed(async () => {
    const shared = findSharedServices(graph)
    const excluded = new Set(shared.map((s) => s.node))
    let grouping = groupServers(graph, excluded)
    const hubs = findHubs(graph, grouping.groupOf, excluded)
    if (hubs.length > 0) {
      for (const h of hubs) excluded.add(h.node)
      grouping = groupServers(graph, excluded)
    }
    return {shared: [...shared, ...hubs], grouping}
  })
  const plantedShared = new Set(estate.servers.filter((s) => estate.truth.get(s.name)?.startsWith('shared:')).map((s) => s.name))
  const foundShared = new Set(result.shared.map((s) => graph.nodes[s.node].name))
  const hit = [...foundShared].filter((n) => plantedShared.has(n)).length
  figure('shared services found / planted / false', `${hit} / ${plantedShared.size} / ${foundShared.size - hit}`)

  // ARI over the servers that were grouped (shared services out), against the planted applications.
  const {grouping} = result
  const truth = Array.from(grouping.weightedNodes, (i) => estate.truth.get(graph.nodes[i].name))
  const ours = Array.from(grouping.weightedNodes, (i) => grouping.groupOf[i])
  figure('ours: ARI vs planted applications', adjustedRandIndex(ours, truth), '', '≥ 0.95')
  figure('ours: modularity', grouping.modularity.toFixed(5))
  figure('ours: groups', grouping.groups.length)
  figure('ours: shared services + grouping time', groupSeconds, 's')

  // The same algorithm with modularity's resolution (r = 1/2m) shows the resolution limit.
  const w = grouping.weighted
  let m2 = 0
  for (let i = 0; i < w.n; i++) for (let e = w.offsets[i]; e < w.offsets[i + 1]; e++) m2 += w.weights[e]
  const plain = detectCommunities(w, {resolution: 1 / m2})
  figure('same search at modularity resolution: ARI', adjustedRandIndex(plain, truth))
  figure('same search at modularity resolution: modularity', modularity(w, plain).toFixed(5))

  if (igraph === true) {
    // igraph on raw observation counts (no per-server normalisation), as a tool would be fed.
    const pos = new Map(Array.from(grouping.weightedNodes, (node, k) => [node, k]))
    const raw = []
    for (const e of graph.edges) {
      const a = pos.get(e.client)
      const b = pos.get(e.server)
      if (a !== undefined && b !== undefined) raw.push([a, b, e.count])
    }
    const rawIg = runIgraph(graphFromEdges(w.n, raw), truth)
    figure('igraph multilevel on raw counts: ARI', rawIg.ari)
    figure('igraph multilevel on raw counts: modularity', rawIg.modularity.toFixed(5))
    const ig = runIgraph(w, truth)
    figure(`igraph ${ig.igraph} multilevel, our weights: ARI`, ig.ari)
    figure('igraph multilevel: modularity', ig.modularity.toFixed(5))
    figure('igraph multilevel: groups / seconds', `${ig.groups.toLocaleString('en-US')} / ${ig.seconds.toFixed(2)}`)
  } else {
    figure('igraph multilevel', `UNAVAILABLE: ${igraph}`)
  }
  const gl = runGraphology(w, truth)
  figure('graphology-communities-louvain: ARI', gl.ari)
  figure('graphology-communities-louvain: modularity', gl.modularity.toFixed(5))
  figure('graphology-communities-louvain: seconds', gl.seconds, 's')
}

const igraph = igraphAvailable()
const generator = await loadGenerator()
const scale = quick ? 0.1 : 1
await runCase('realistic estate with low-traffic noise', generator, {servers: Math.round(20_000 * scale), seed: 1}, igraph)
await runCase('realistic estate, 5× the noise', generator, {servers: Math.round(20_000 * scale), seed: 2, noise: 0.1}, igraph)
// 20,000 applications of 2–12 servers: about 7 servers each on average.
await runCase('20,000 small applications', generator, {servers: Math.round(140_000 * scale), seed: 3}, igraph)
figure('peak RSS', peakRssMib(), 'MiB')
