/**
 * A small deterministic layered layout (Sugiyama style) for dependency pictures: clients on the
 * left, the servers they call on the right. Steps: break cycles (depth-first, in node order),
 * assign layers by longest path, then order each layer by the barycentre of its neighbours in a
 * few alternating sweeps. Same input → same positions; no randomness, no floating-point ties left
 * to sort order (ties fall back to the input order). O((V + E) × sweeps). Pure.
 */

export interface LayoutEdge {
  readonly from: number
  readonly to: number
}

export interface LayoutResult {
  /** Column of each node (0 = leftmost). */
  readonly layer: readonly number[]
  /** Row of each node within its column (0 = top). */
  readonly row: readonly number[]
  readonly layers: number
  /** Nodes in the tallest column. */
  readonly height: number
}

export interface LayoutOptions {
  /** Fixed column per node (e.g. the wave); others are layered by their edges. */
  readonly fixedLayer?: readonly (number | undefined)[]
  /** Ordering sweeps. @default 6 */
  readonly sweeps?: number
  /** Most nodes in one column before it wraps into extra columns. @default unlimited */
  readonly maxPerColumn?: number
}

export function layeredLayout(nodeCount: number, edges: readonly LayoutEdge[], options: LayoutOptions = {}): LayoutResult {
  const out: number[][] = Array.from({length: nodeCount}, () => [])
  for (const e of edges) if (e.from !== e.to && e.from < nodeCount && e.to < nodeCount) out[e.from]!.push(e.to)
  for (const list of out) list.sort((a, b) => a - b)

  let layer: number[]
  if (options.fixedLayer) {
    layer = Array.from({length: nodeCount}, (_, i) => options.fixedLayer![i] ?? 0)
  } else {
    // Cycle removal: keep the edges of a depth-first forest plus forward and cross edges; drop back edges.
    const state = new Uint8Array(nodeCount) // 0 new, 1 on stack, 2 done
    const dag: number[][] = Array.from({length: nodeCount}, () => [])
    for (let root = 0; root < nodeCount; root++) {
      if (state[root] !== 0) continue
      const stack: [number, number][] = [[root, 0]]
      state[root] = 1
      while (stack.length > 0) {
        const top = stack[stack.length - 1]!
        const [v, k] = top
        if (k < out[v]!.length) {
          top[1]++
          const w = out[v]![k]!
          if (state[w] === 1) continue // back edge
          dag[v]!.push(w)
          if (state[w] === 0) {
            state[w] = 1
            stack.push([w, 0])
          }
        } else {
          state[v] = 2
          stack.pop()
        }
      }
    }
    // Longest path from the sources, in topological order (Kahn, smallest index first).
    const indeg = new Int32Array(nodeCount)
    for (const list of dag) for (const w of list) indeg[w]!++
    const isSource = Array.from(indeg, (d) => d === 0)
    layer = new Array<number>(nodeCount).fill(0)
    const queue: number[] = []
    for (let v = 0; v < nodeCount; v++) if (indeg[v] === 0) queue.push(v)
    for (let head = 0; head < queue.length; head++) {
      const v = queue[head]!
      for (const w of dag[v]!) {
        if (layer[v]! + 1 > layer[w]!) layer[w] = layer[v]! + 1
        if (--indeg[w]! === 0) queue.push(w)
      }
    }
    // Pull sources towards their first dependent, so a lone client sits next to what it calls.
    for (let v = 0; v < nodeCount; v++) {
      if (!isSource[v]) continue
      let first = Infinity
      for (const w of dag[v]!) first = Math.min(first, layer[w]!)
      if (first !== Infinity) layer[v] = Math.max(layer[v]!, first - 1)
    }
  }

  // Optional wrap of over-tall columns into extra columns (only for layouts without fixed layers).
  const layers = layer.reduce((m, l) => Math.max(m, l + 1), 0)
  const columns: number[][] = Array.from({length: layers}, () => [])
  for (let v = 0; v < nodeCount; v++) columns[layer[v]!]!.push(v)

  // Neighbours in both directions for barycentres.
  const nbr: number[][] = Array.from({length: nodeCount}, () => [])
  for (let v = 0; v < nodeCount; v++)
    for (const w of out[v]!) {
      nbr[v]!.push(w)
      nbr[w]!.push(v)
    }
  const pos = new Float64Array(nodeCount)
  const place = (): void => {
    for (const col of columns) col.forEach((v, i) => (pos[v] = i))
  }
  place()
  const sweeps = options.sweeps ?? 6
  for (let s = 0; s < sweeps; s++) {
    const order = s % 2 === 0 ? columns : [...columns].reverse()
    for (const col of order) {
      const key = new Map<number, number>()
      for (const v of col) {
        const ns = nbr[v]!.filter((w) => layer[w] !== layer[v])
        key.set(v, ns.length === 0 ? pos[v]! : ns.reduce((a, w) => a + pos[w]!, 0) / ns.length)
      }
      col.sort((a, b) => key.get(a)! - key.get(b)! || pos[a]! - pos[b]! || a - b)
      col.forEach((v, i) => (pos[v] = i))
    }
  }
  const max = options.maxPerColumn
  const finalLayer = [...layer]
  const row = new Array<number>(nodeCount).fill(0)
  let shift = 0
  const height = {value: 0}
  for (let c = 0; c < columns.length; c++) {
    const col = columns[c]!
    const wraps = max && col.length > max ? Math.ceil(col.length / max) : 1
    col.forEach((v, i) => {
      finalLayer[v] = c + shift + (wraps > 1 ? Math.floor(i / max!) : 0)
      row[v] = wraps > 1 ? i % max! : i
    })
    height.value = Math.max(height.value, wraps > 1 ? max! : col.length)
    shift += wraps - 1
  }
  return {layer: finalLayer, row, layers: layers + shift, height: height.value}
}
