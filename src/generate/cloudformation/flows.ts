/**
 * Observed flows at server level, the input security groups are derived from. The command builds
 * them from the workspace's dependency graph (src/plan/graph.ts); tests give them by hand.
 */
import type {Protocol} from '../../model/connection.js'
import type {DependencyGraph} from '../../plan/graph.js'

export interface Flow {
  /** Server id, `internet`, or `ip:<address>` for an internal endpoint no server owns. */
  readonly client: string
  /** Server id or `ip:<address>`. */
  readonly server: string
  readonly protocol: Protocol
  readonly port: number
  readonly observations: number
}

/** One flow per (client, server, protocol, port) of the graph; internet clients collapse to `internet`. */
export function flowsFromGraph(graph: DependencyGraph): Flow[] {
  const out = new Map<string, Flow>()
  const idOf = (i: number): string => {
    const n = graph.nodes[i]!
    return n.kind === 'internet' ? 'internet' : n.id
  }
  for (const e of graph.edges) {
    const client = idOf(e.client)
    const server = idOf(e.server)
    if (server === 'internet') continue
    for (const p of e.ports) {
      const key = `${client}|${server}|${p.protocol}|${p.port}`
      const prev = out.get(key)
      out.set(key, {client, server, protocol: p.protocol, port: p.port, observations: (prev?.observations ?? 0) + p.count})
    }
  }
  return [...out.values()].sort((a, b) =>
    a.server < b.server
      ? -1
      : a.server > b.server
        ? 1
        : a.client < b.client
          ? -1
          : a.client > b.client
            ? 1
            : a.port - b.port || (a.protocol < b.protocol ? -1 : 1),
  )
}
