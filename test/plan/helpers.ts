/** Small hand-drawn estates for plan tests. */
import type {ConnectionInput, PlanServer} from '../../src/plan/graph.js'

export interface SrvSpec {
  readonly name: string
  readonly ip: string
  readonly env?: string
  readonly app?: string
  readonly criticality?: string
  readonly listens?: readonly number[]
  readonly folder?: string
  readonly tags?: Record<string, string>
}

export function servers(specs: readonly SrvSpec[]): PlanServer[] {
  return specs.map((s) => ({
    id: `srv-${s.name}`,
    name: s.name,
    ips: [s.ip],
    flags: [],
    osFamily: 'linux',
    ...(s.env ? {environment: s.env} : {}),
    ...(s.app ? {applications: [s.app]} : {}),
    ...(s.criticality ? {criticality: s.criticality} : {}),
    ...(s.folder ? {folder: s.folder} : {}),
    ...(s.tags ? {tags: s.tags} : {}),
    ...(s.listens ? {listeners: s.listens.map((port) => ({protocol: 'tcp' as const, ip: '0.0.0.0', port}))} : {}),
  }))
}

/** `a>b:5432/tcp*100` style: client > server : port / protocol * count. */
export function flows(...specs: string[]): ConnectionInput[] {
  return specs.map((spec) => {
    const m = /^([\d.a-f:]+)>([\d.a-f:]+):(\d+)(?:\/(tcp|udp))?(?:\*(\d+))?$/.exec(spec)
    if (!m) throw new Error(`bad flow ${spec}`)
    return {
      sourceIp: m[1]!,
      destinationIp: m[2]!,
      destinationPort: Number(m[3]),
      protocol: (m[4] ?? 'tcp') as 'tcp' | 'udp',
      count: Number(m[5] ?? 1),
    }
  })
}
