/**
 * Community detection for move groups: Louvain-style local moving with a connectivity refinement
 * (each community is split into its connected parts before aggregation, as Leiden guarantees),
 * optimising a *constant* resolution quality instead of modularity:
 *
 *   H = Σ_c [ W_in(c) − r · K_c² / 2 ]      (W_in: weight inside c, K_c: total strength of c)
 *
 * Moving node i into community C gains w_iC − r · k_i · K_C. Unlike modularity (whose penalty is
 * divided by the total weight of the whole graph), the penalty does not shrink as the estate
 * grows, so two small applications joined by a trickle of traffic are never merged just because
 * the estate is large: no resolution limit. Modularity is computed separately, for reporting.
 *
 * Nodes may carry a label (an application the user named): two nodes with different labels never
 * end up in one community. Deterministic: node order is shuffled by a seeded PRNG, ties keep the
 * current community or take the lowest id.
 */

/** Undirected weighted graph in compressed sparse row form; each edge appears in both rows. */
export interface WeightedGraph {
  readonly n: number
  /** Row i spans targets[offsets[i] .. offsets[i+1]). */
  readonly offsets: Int32Array
  readonly targets: Int32Array
  readonly weights: Float64Array
  /** Weight of edges folded inside the node (counted once). */
  readonly self: Float64Array
  /** Label per node, −1 for none. */
  readonly labels: Int32Array
}

export interface CommunityOptions {
  /** r in the quality above. @default 0.01 */
  readonly resolution?: number
  /** Seed of the node-order shuffle. @default 1 */
  readonly seed?: number
  /** Aggregation levels at most. @default 50 */
  readonly maxLevels?: number
}

/** Build a graph from an undirected edge list (duplicates are summed; self-loops go to `self`). */
export function graphFromEdges(
  n: number,
  edges: readonly (readonly [number, number, number])[] | {u: Int32Array; v: Int32Array; w: Float64Array; length: number},
  labels?: Int32Array,
): WeightedGraph {
  const list = Array.isArray(edges)
    ? {
        u: Int32Array.from(edges as readonly (readonly [number, number, number])[], (e) => e[0]),
        v: Int32Array.from(edges as readonly (readonly [number, number, number])[], (e) => e[1]),
        w: Float64Array.from(edges as readonly (readonly [number, number, number])[], (e) => e[2]),
        length: edges.length,
      }
    : (edges as {u: Int32Array; v: Int32Array; w: Float64Array; length: number})
  const self = new Float64Array(n)
  const degree = new Int32Array(n + 1)
  for (let e = 0; e < list.length; e++) {
    const u = list.u[e]!
    const v = list.v[e]!
    if (u === v) self[u] = self[u]! + list.w[e]!
    else {
      degree[u]!++
      degree[v]!++
    }
  }
  const offsets = new Int32Array(n + 1)
  for (let i = 0; i < n; i++) offsets[i + 1] = offsets[i]! + degree[i]!
  const fill = offsets.slice(0, n)
  const targets = new Int32Array(offsets[n]!)
  const weights = new Float64Array(offsets[n]!)
  for (let e = 0; e < list.length; e++) {
    const u = list.u[e]!
    const v = list.v[e]!
    if (u === v) continue
    const w = list.w[e]!
    targets[fill[u]!] = v
    weights[fill[u]!++] = w
    targets[fill[v]!] = u
    weights[fill[v]!++] = w
  }
  const g = {n, offsets, targets, weights, self, labels: labels ?? new Int32Array(n).fill(-1)}
  return dedupe(g)
}

/** Sum parallel edges within each row (row order kept by first appearance). */
function dedupe(g: WeightedGraph): WeightedGraph {
  const {n, offsets, targets, weights} = g
  const pos = new Int32Array(n).fill(-1)
  const outOffsets = new Int32Array(n + 1)
  const outTargets = new Int32Array(targets.length)
  const outWeights = new Float64Array(targets.length)
  let k = 0
  for (let i = 0; i < n; i++) {
    const start = k
    for (let e = offsets[i]!; e < offsets[i + 1]!; e++) {
      const j = targets[e]!
      const p = pos[j]!
      if (p >= start) outWeights[p] = outWeights[p]! + weights[e]!
      else {
        pos[j] = k
        outTargets[k] = j
        outWeights[k++] = weights[e]!
      }
    }
    outOffsets[i + 1] = k
  }
  return {...g, offsets: outOffsets, targets: outTargets.slice(0, k), weights: outWeights.slice(0, k)}
}

/** Weighted degree of each node: edges plus twice the folded self weight. */
function strengths(g: WeightedGraph): Float64Array {
  const k = new Float64Array(g.n)
  for (let i = 0; i < g.n; i++) {
    let s = 2 * g.self[i]!
    for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) s += g.weights[e]!
    k[i] = s
  }
  return k
}

/** mulberry32: small, fast, seedable. */
function prng(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const EPS = 1e-12

/** One local-moving pass to convergence (Leiden's queue); returns a community per node. */
function moveNodes(g: WeightedGraph, k: Float64Array, r: number, random: () => number): Int32Array {
  const n = g.n
  const comm = new Int32Array(n)
  const total = new Float64Array(n)
  const size = new Int32Array(n)
  const commLabel = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    comm[i] = i
    total[i] = k[i]!
    size[i] = 1
    commLabel[i] = g.labels[i]!
  }
  const empty: number[] = []
  // Seeded Fisher–Yates order.
  const queue = new Int32Array(n)
  for (let i = 0; i < n; i++) queue[i] = i
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = queue[i]!
    queue[i] = queue[j]!
    queue[j] = t
  }
  const inQueue = new Uint8Array(n).fill(1)
  let head = 0
  let length = n
  const nw = new Float64Array(n)
  const seen = new Uint8Array(n)
  const touched: number[] = []
  while (length > 0) {
    const i = queue[head]!
    head = head + 1 === n ? 0 : head + 1
    length--
    inQueue[i] = 0
    const ci = comm[i]!
    const ki = k[i]!
    const li = g.labels[i]!
    for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
      const c = comm[g.targets[e]!]!
      if (!seen[c]) {
        seen[c] = 1
        touched.push(c)
      }
      nw[c] = nw[c]! + g.weights[e]!
    }
    total[ci] = total[ci]! - ki
    size[ci]!--
    if (li >= 0) commLabel[ci] = -1
    let best = ci
    let bestGain = nw[ci]! - r * ki * total[ci]!
    for (const c of touched) {
      if (c === ci) continue
      const lc = commLabel[c]!
      if (li >= 0 && lc >= 0 && lc !== li) continue
      const gain = nw[c]! - r * ki * total[c]!
      if (gain > bestGain + EPS || (gain > bestGain - EPS && best !== ci && c < best)) {
        best = c
        bestGain = gain
      }
    }
    // Alone is worth 0: leave when every community costs more than it brings.
    if (bestGain < -EPS) {
      best = size[ci] === 0 ? ci : (empty.pop() ?? ci)
    }
    for (const c of touched) {
      nw[c] = 0
      seen[c] = 0
    }
    touched.length = 0
    if (size[ci] === 0 && best !== ci) empty.push(ci)
    total[best] = total[best]! + ki
    size[best]!++
    if (li >= 0) commLabel[best] = li
    comm[i] = best
    if (best !== ci) {
      for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
        const j = g.targets[e]!
        if (!inQueue[j] && comm[j] !== best) {
          inQueue[j] = 1
          queue[(head + length) % n] = j
          length++
        }
      }
    }
  }
  return comm
}

/** Split every community into its connected parts; ids renumbered 0.. in node order. */
function refineConnected(g: WeightedGraph, comm: Int32Array): {membership: Int32Array; count: number} {
  const n = g.n
  const out = new Int32Array(n).fill(-1)
  const stack: number[] = []
  let count = 0
  for (let s = 0; s < n; s++) {
    if (out[s]! >= 0) continue
    const c = comm[s]!
    out[s] = count
    stack.push(s)
    while (stack.length > 0) {
      const i = stack.pop()!
      for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
        const j = g.targets[e]!
        if (out[j]! < 0 && comm[j] === c) {
          out[j] = count
          stack.push(j)
        }
      }
    }
    count++
  }
  return {membership: out, count}
}

/** Collapse each community into one node. */
function aggregate(g: WeightedGraph, membership: Int32Array, count: number): WeightedGraph {
  const n = g.n
  const start = new Int32Array(count + 1)
  for (let i = 0; i < n; i++) start[membership[i]! + 1]!++
  for (let c = 0; c < count; c++) start[c + 1] = start[c + 1]! + start[c]!
  const members = new Int32Array(n)
  const fill = start.slice(0, count)
  for (let i = 0; i < n; i++) members[fill[membership[i]!]!++] = i
  const self = new Float64Array(count)
  const labels = new Int32Array(count).fill(-1)
  const offsets = new Int32Array(count + 1)
  const targets: number[] = []
  const weights: number[] = []
  const acc = new Float64Array(count)
  const seen = new Uint8Array(count)
  const touched: number[] = []
  for (let c = 0; c < count; c++) {
    for (let m = start[c]!; m < start[c + 1]!; m++) {
      const i = members[m]!
      self[c] = self[c]! + g.self[i]!
      if (g.labels[i]! >= 0) labels[c] = g.labels[i]!
      for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
        const d = membership[g.targets[e]!]!
        if (d === c) {
          self[c] = self[c]! + g.weights[e]! / 2
          continue
        }
        if (!seen[d]) {
          seen[d] = 1
          touched.push(d)
        }
        acc[d] = acc[d]! + g.weights[e]!
      }
    }
    for (const d of touched) {
      targets.push(d)
      weights.push(acc[d]!)
      acc[d] = 0
      seen[d] = 0
    }
    touched.length = 0
    offsets[c + 1] = targets.length
  }
  return {n: count, offsets, targets: Int32Array.from(targets), weights: Float64Array.from(weights), self, labels}
}

/**
 * Communities of `g`, numbered 0.. in order of their first node. Connected by construction:
 * no community holds two parts that share no edge.
 */
export function detectCommunities(g: WeightedGraph, options: CommunityOptions = {}): Int32Array {
  const r = options.resolution ?? 0.01
  const random = prng(options.seed ?? 1)
  const maxLevels = options.maxLevels ?? 50
  let membership = new Int32Array(g.n)
  for (let i = 0; i < g.n; i++) membership[i] = i
  let level = g
  for (let l = 0; l < maxLevels; l++) {
    const k = strengths(level)
    const moved = moveNodes(level, k, r, random)
    const refined = refineConnected(level, moved)
    if (refined.count === level.n) break
    membership = membership.map((m) => refined.membership[m]!)
    level = aggregate(level, refined.membership, refined.count)
  }
  // Renumber by first appearance so that ids do not depend on aggregation details.
  const ids = new Int32Array(g.n).fill(-1)
  const out = new Int32Array(g.n)
  let next = 0
  for (let i = 0; i < g.n; i++) {
    const m = membership[i]!
    if (ids[m]! < 0) ids[m] = next++
    out[i] = ids[m]!
  }
  return out
}

/** Newman modularity (resolution 1) of a partition of `g`; 0 for a graph without weight. */
export function modularity(g: WeightedGraph, membership: Int32Array): number {
  let m2 = 0
  let count = 0
  for (const c of membership) if (c + 1 > count) count = c + 1
  const inside = new Float64Array(count)
  const total = new Float64Array(count)
  for (let i = 0; i < g.n; i++) {
    const c = membership[i]!
    inside[c] = inside[c]! + 2 * g.self[i]!
    total[c] = total[c]! + 2 * g.self[i]!
    for (let e = g.offsets[i]!; e < g.offsets[i + 1]!; e++) {
      const w = g.weights[e]!
      total[c] = total[c]! + w
      if (membership[g.targets[e]!] === c) inside[c] = inside[c]! + w
    }
  }
  for (let c = 0; c < count; c++) m2 += total[c]!
  if (m2 === 0) return 0
  let q = 0
  for (let c = 0; c < count; c++) q += inside[c]! / m2 - (total[c]! / m2) ** 2
  return q
}
