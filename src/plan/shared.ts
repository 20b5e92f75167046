/**
 * Shared services: servers that the whole estate leans on (DNS, directory, NTP, mail relays,
 * monitoring, backup, patching, log collectors) and hubs with clients in many move groups. They are
 * taken out of grouping and become prerequisites: in AWS, or reachable over hybrid connectivity,
 * before the first wave that talks to them. Pure.
 */
import type {SharedServiceKind} from '../model/plan.js'
import type {DependencyGraph} from './graph.js'
import {portLabel} from './graph.js'

interface PortRule {
  readonly kind: SharedServiceKind
  /** `tcp/53` style keys. */
  readonly ports: readonly string[]
}

const both = (...ports: number[]): string[] => ports.flatMap((p) => [`tcp/${p}`, `udp/${p}`])

/** `tcp/88` before `tcp/389`: protocol, then port number. */
export function comparePortLabels(a: string, b: string): number {
  const [pa, na] = a.split('/')
  const [pb, nb] = b.split('/')
  return pa! < pb! ? -1 : pa! > pb! ? 1 : Number(na) - Number(nb)
}

/** Ports clients use to reach a shared service (the service listens). */
export const INBOUND_SHARED_PORTS: readonly PortRule[] = [
  {kind: 'dns', ports: both(53)},
  // LDAP, LDAPS, Kerberos, kpasswd, Global Catalog (plain and TLS)
  {kind: 'directory', ports: [...both(389, 88, 464), 'tcp/636', 'tcp/3268', 'tcp/3269']},
  {kind: 'ntp', ports: ['udp/123']},
  {kind: 'smtp', ports: ['tcp/25', 'tcp/465', 'tcp/587']},
  // Zabbix trapper, NSCA, SNMP traps
  {kind: 'monitoring', ports: ['tcp/10051', 'tcp/5667', 'udp/162']},
  // Veeam, NetBackup (PBX, vnetd), Commvault, Bacula storage daemon
  {kind: 'backup', ports: ['tcp/9392', 'tcp/1556', 'tcp/13724', 'tcp/8400', 'tcp/8403', 'tcp/9103']},
  // WSUS, Puppet, Salt, Red Hat Satellite capsule
  {kind: 'patching', ports: ['tcp/8530', 'tcp/8531', 'tcp/8140', 'tcp/4505', 'tcp/4506', 'tcp/5647']},
  // syslog, RELP/syslog-TLS, Splunk forwarders, Beats → Logstash, GELF
  {kind: 'logging', ports: [...both(514), 'tcp/6514', 'tcp/9997', 'tcp/5044', 'udp/12201']},
]

/** Ports a poller uses towards many servers (the shared service is the client). */
export const OUTBOUND_SHARED_PORTS: readonly PortRule[] = [
  // Zabbix agent, NRPE, SNMP, Prometheus node and Windows exporters
  {kind: 'monitoring', ports: ['tcp/10050', 'tcp/5666', 'udp/161', 'tcp/9100', 'tcp/9182']},
  // Bacula file daemon, NetBackup bpcd, Veeam transport
  {kind: 'backup', ports: ['tcp/9102', 'tcp/13782', 'tcp/6162']},
]

/** Listening process names that identify a shared service, with at least one client. */
const PROCESS_KINDS: readonly (readonly [RegExp, SharedServiceKind])[] = [
  [/^(named|dnsmasq|unbound|dns\.exe|pdns_server|coredns)$/i, 'dns'],
  [/^(slapd|ns-slapd|lsass(\.exe)?|krb5kdc|samba)$/i, 'directory'],
  [/^(ntpd|chronyd|w32time)$/i, 'ntp'],
  [/^(postfix|master|sendmail|exim4?|smtpd)$/i, 'smtp'],
  [/^(zabbix_server|zabbix_proxy|nagios|icinga2?|check_mk|prometheus)$/i, 'monitoring'],
]

export interface SharedServiceFinding {
  readonly node: number
  readonly kinds: readonly SharedServiceKind[]
  readonly ports: readonly string[]
  /** Distinct nodes that talk to it on shared ports, or that it polls. */
  readonly clients: number
  readonly evidence: readonly string[]
}

export interface SharedServiceOptions {
  /** Distinct clients on a shared-service port that make a server that service. @default 2 */
  readonly minClients?: number
  /** Share of the server's observations that must be on that service's ports. @default 0.5 */
  readonly minShare?: number
  /** With at least this many clients the share does not matter. @default 20 */
  readonly manyClients?: number
}

const ruleIndex = (rules: readonly PortRule[]): Map<string, SharedServiceKind> => {
  const m = new Map<string, SharedServiceKind>()
  for (const r of rules) for (const p of r.ports) m.set(p, r.kind)
  return m
}
const INBOUND = ruleIndex(INBOUND_SHARED_PORTS)
const OUTBOUND = ruleIndex(OUTBOUND_SHARED_PORTS)

interface Tally {
  readonly kinds: Map<SharedServiceKind, Set<number>>
  readonly observations: Map<SharedServiceKind, number>
  readonly ports: Set<string>
}

/** Well-known shared services, recognised by the ports their clients use and the processes that listen. */
export function findSharedServices(graph: DependencyGraph, options: SharedServiceOptions = {}): SharedServiceFinding[] {
  const minClients = options.minClients ?? 2
  const minShare = options.minShare ?? 0.5
  const manyClients = options.manyClients ?? 20
  const n = graph.serverCount
  const tallies = new Map<number, Tally>()
  const tally = (node: number): Tally => {
    let t = tallies.get(node)
    if (!t) tallies.set(node, (t = {kinds: new Map(), observations: new Map(), ports: new Set()}))
    return t
  }
  const inbound = new Uint32Array(n)
  const traffic = new Float64Array(n)
  for (const e of graph.edges) {
    if (e.server < n) {
      inbound[e.server]!++
      traffic[e.server] = traffic[e.server]! + e.count
    }
    if (e.client < n) traffic[e.client] = traffic[e.client]! + e.count
    for (const p of e.ports) {
      const key = portLabel(p.protocol, p.port)
      const inKind = e.server < n ? INBOUND.get(key) : undefined
      if (inKind) {
        const t = tally(e.server)
        let set = t.kinds.get(inKind)
        if (!set) t.kinds.set(inKind, (set = new Set()))
        set.add(e.client)
        t.observations.set(inKind, (t.observations.get(inKind) ?? 0) + p.count)
        t.ports.add(key)
      }
      const outKind = e.client < n ? OUTBOUND.get(key) : undefined
      if (outKind) {
        const t = tally(e.client)
        let set = t.kinds.get(outKind)
        if (!set) t.kinds.set(outKind, (set = new Set()))
        set.add(e.server)
        t.observations.set(outKind, (t.observations.get(outKind) ?? 0) + p.count)
        t.ports.add(key)
      }
    }
  }
  const out: SharedServiceFinding[] = []
  for (let node = 0; node < n; node++) {
    const server = graph.nodes[node]!.server!
    const t = tallies.get(node)
    const kinds = new Set<SharedServiceKind>()
    const evidence: string[] = []
    let clients = 0
    const ports = new Set<string>()
    if (t) {
      for (const [kind, peers] of [...t.kinds].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
        if (peers.size < minClients) continue
        // A server that mostly does something else (an application server that a stray client
        // once reached on its monitoring-agent port) is not a shared service, unless many use it.
        const share = (t.observations.get(kind) ?? 0) / Math.max(1, traffic[node]!)
        if (share < minShare && peers.size < manyClients) continue
        kinds.add(kind)
        clients = Math.max(clients, peers.size)
        const own = [...t.ports].filter((p) => INBOUND.get(p) === kind || OUTBOUND.get(p) === kind).sort(comparePortLabels)
        for (const p of own) ports.add(p)
        const polls = own.some((p) => OUTBOUND.get(p) === kind)
        evidence.push(`${kind}: ${peers.size} ${polls ? 'servers polled' : 'clients'} on ${own.join(', ')}`)
      }
    }
    if (inbound[node]! > 0) {
      for (const l of server.listeners ?? []) {
        for (const [re, kind] of PROCESS_KINDS) {
          if (l.process && re.test(l.process) && !kinds.has(kind)) {
            kinds.add(kind)
            ports.add(portLabel(l.protocol, l.port))
            evidence.push(`${kind}: process ${l.process} listens on ${portLabel(l.protocol, l.port)}`)
          }
        }
      }
      for (const s of server.software ?? []) {
        if (s.category === 'directory' && !kinds.has('directory')) {
          kinds.add('directory')
          evidence.push(`directory: runs ${s.name}`)
        }
      }
    }
    if (kinds.size === 0) continue
    out.push({
      node,
      kinds: [...kinds].sort(),
      ports: [...ports].sort(comparePortLabels),
      clients: Math.max(clients, inbound[node]!),
      evidence,
    })
  }
  return out
}

export interface HubOptions {
  /** Distinct client servers (or polled servers) that make a hub. @default 20 */
  readonly minClients?: number
  /** Move groups other than its own that those clients must span. @default 3 */
  readonly minGroups?: number
}

/**
 * Hubs: servers with at least `minClients` distinct client servers that belong to at least
 * `minGroups` move groups other than the hub's own, or that reach that many servers themselves
 * (jump hosts, scanners, pollers on unlisted ports). A web farm of 30 servers all calling one
 * application server is not a hub: its clients are one group.
 */
export function findHubs(
  graph: DependencyGraph,
  groupOf: ArrayLike<number>,
  skip: ReadonlySet<number>,
  options: HubOptions = {},
): SharedServiceFinding[] {
  const minClients = options.minClients ?? 20
  const minGroups = options.minGroups ?? 3
  const n = graph.serverCount
  const clients: (number[] | undefined)[] = new Array(n)
  const targets: (number[] | undefined)[] = new Array(n)
  for (const e of graph.edges) {
    if (e.client >= n || e.server >= n || skip.has(e.client) || skip.has(e.server)) continue
    ;(clients[e.server] ??= []).push(e.client)
    ;(targets[e.client] ??= []).push(e.server)
  }
  const out: SharedServiceFinding[] = []
  for (let node = 0; node < n; node++) {
    if (skip.has(node)) continue
    const evidence: string[] = []
    let count = 0
    for (const [list, what] of [
      [clients[node], 'client servers'],
      [targets[node], 'servers it connects to'],
    ] as const) {
      if (!list || list.length < minClients) continue
      const own = groupOf[node]
      const groups = new Set<number>()
      for (const c of list) if (groupOf[c] !== own && groupOf[c]! >= 0) groups.add(groupOf[c]!)
      if (groups.size < minGroups) continue
      count = Math.max(count, list.length)
      evidence.push(
        `hub: ${list.length} ${what} in ${groups.size} other move groups (threshold ${minClients} servers, ${minGroups} groups)`,
      )
    }
    if (evidence.length > 0) out.push({node, kinds: ['hub'], ports: [], clients: count, evidence})
  }
  return out
}
