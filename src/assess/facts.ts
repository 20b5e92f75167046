/**
 * The facts the rules read, derived from a merged server, the connections that reach it and the
 * user's usage file. Unknown stays undefined (a rule on it then neither fires nor fails). Every fact
 * path a rule may use is listed in {@link KNOWN_FACTS}, so that a typo in a rule file is an error.
 */
import type {InboundRecord} from '../model/connection.js'
import type {BareServer, Disk, MetricSummary} from '../model/server.js'
import type {OsInfo} from './os.js'
import type {ServerUsage} from './usage.js'

/** Ports that serve HTTP(S) when something listens on them. */
export const HTTP_PORTS: ReadonlySet<number> = new Set([80, 443, 8000, 8008, 8080, 8081, 8443, 8888, 3000, 5000, 9000, 9080, 9443])
/**
 * Ports every server of a kind listens on for management, not as its service: SSH, RDP, WinRM,
 * Windows RPC/NetBIOS/SMB, rpcbind, monitoring and backup agents. They say nothing about the workload.
 */
export const MANAGEMENT_PORTS: ReadonlySet<number> = new Set([
  22, 111, 135, 137, 138, 139, 445, 3389, 5985, 5986, 47001, 161, 323, 9100, 9102, 10050, 10051, 5666,
])

/** Every fact path a rule may read, besides `server.tags.<key>`, `usage.<field>` and `settings.<key>`. */
export const KNOWN_FACTS: readonly string[] = [
  'server.id',
  'server.name',
  'server.environment',
  'server.powerState',
  'server.hypervisor',
  'server.vmware',
  'server.isVirtual',
  'server.flags',
  'server.applications',
  'server.criticality',
  'os.family',
  'os.distro',
  'os.version',
  'os.major',
  'os.label',
  'os.priceOs',
  'os.endOfSupport',
  'os.endOfSupportPassed',
  'os.daysToEndOfSupport',
  'os.architecture',
  'capacity.vcpus',
  'capacity.cores',
  'capacity.memoryGib',
  'capacity.storageGib',
  'cpu.avg',
  'cpu.p95',
  'cpu.max',
  'cpu.sizing',
  'cpu.peakToAverage',
  'memory.avg',
  'memory.p95',
  'memory.max',
  'network.avg',
  'network.p95',
  'network.max',
  'disk.iops',
  'disk.throughputMibps',
  'disk.readRatio',
  'software.names',
  'software.categories',
  'software.known',
  'listeners.ports',
  'listeners.httpPorts',
  'listeners.servicePorts',
  'listeners.httpCount',
  'listeners.nonHttpCount',
  'listeners.known',
  'inbound.connections',
  'inbound.httpConnections',
  'inbound.clients',
  'inbound.windowDays',
  'inbound.requestsPerMonth',
  'sizing.vcpus',
  'sizing.memoryGib',
  'sizing.basis',
  'sizing.instanceType',
  'storage.sizeGib',
  'storage.iops',
  'graviton.compatible',
  'cost.ec2Monthly',
  'cost.lambdaMonthly',
  'cost.fargateMonthly',
  'cost.lambdaSavingsPct',
  'cost.fargateSavingsPct',
  'fit.ec2',
  'fit.lambda',
  'fit.fargate',
  'pin.strategy',
]

export function isKnownFact(path: string): boolean {
  return KNOWN_FACTS.includes(path) || /^server\.tags\.[^.]+$/.test(path)
}

/** Inbound evidence per server, built once from all connections. */
export interface InboundIndex {
  get(server: Pick<BareServer, 'ips'>, httpPorts: ReadonlySet<number>): InboundFacts
}

export interface InboundFacts {
  readonly connections?: number
  readonly httpConnections?: number
  readonly clients?: number
  readonly windowDays?: number
  readonly requestsPerMonth?: number
  /** Ports that received the HTTP connections, for the evidence text. */
  readonly httpPortsSeen: readonly number[]
}

const DAY_MS = 86_400_000
/** Days per month in the 730-hour convention. */
export const DAYS_PER_MONTH = 730 / 24

interface PortStats {
  count: number
  first?: string
  last?: string
}
interface DestinationStats {
  connections: number
  clients: Set<string>
  ports: Map<number, PortStats>
}

/** Read once, in any order: only sums, minimums, maximums and sets are kept. */
export function buildInboundIndex(connections: Iterable<InboundRecord>): InboundIndex {
  const byDestination = new Map<string, DestinationStats>()
  for (const c of connections) {
    let d = byDestination.get(c.destinationIp)
    if (!d) byDestination.set(c.destinationIp, (d = {connections: 0, clients: new Set(), ports: new Map()}))
    d.connections += c.count
    d.clients.add(c.sourceIp)
    let p = d.ports.get(c.destinationPort)
    if (!p) d.ports.set(c.destinationPort, (p = {count: 0}))
    p.count += c.count
    if (c.firstSeen && (!p.first || c.firstSeen < p.first)) p.first = c.firstSeen
    if (c.lastSeen && (!p.last || c.lastSeen > p.last)) p.last = c.lastSeen
  }
  return {
    get(server, httpPorts) {
      const ips = server.ips ?? []
      let connectionsIn = 0
      let http = 0
      let first: string | undefined
      let last: string | undefined
      let clients = 0
      const seenClients = ips.length > 1 ? new Set<string>() : undefined
      const ports: number[] = []
      let seen = false
      for (const ip of ips) {
        const d = byDestination.get(ip)
        if (!d) continue
        seen = true
        connectionsIn += d.connections
        if (seenClients) for (const c of d.clients) seenClients.add(c)
        else clients = d.clients.size
        for (const [port, p] of d.ports) {
          if (!httpPorts.has(port)) continue
          http += p.count
          if (!ports.includes(port)) ports.push(port)
          if (p.first && (!first || p.first < first)) first = p.first
          if (p.last && (!last || p.last > last)) last = p.last
        }
      }
      if (!seen) return NO_INBOUND
      const windowDays = first && last ? (Date.parse(last) - Date.parse(first)) / DAY_MS : undefined
      const usable = windowDays !== undefined && Number.isFinite(windowDays) && windowDays >= 1 / 24
      // Built key by key in the same order as before (no spread objects per server).
      const facts: {-readonly [K in keyof InboundFacts]: InboundFacts[K]} = {
        connections: connectionsIn,
        httpConnections: http,
        clients: seenClients ? seenClients.size : clients,
      } as InboundFacts
      if (usable) {
        facts.windowDays = windowDays
        if (http > 0) facts.requestsPerMonth = Math.round((http / windowDays) * DAYS_PER_MONTH)
      }
      facts.httpPortsSeen = ports.length > 1 ? ports.sort((a, b) => a - b) : ports
      return facts
    },
  }
}

const NO_INBOUND: InboundFacts = Object.freeze({httpPortsSeen: []})

const ratio = (m: MetricSummary | undefined, top: 'p95' | 'max'): number | undefined =>
  m?.avg !== undefined && m.avg > 0 && m[top] !== undefined ? m[top]! / m.avg : undefined

export interface FactInput {
  readonly server: BareServer
  readonly os: OsInfo
  readonly asOfDays?: number
  readonly inbound: InboundFacts
  readonly usage?: ServerUsage
  readonly pin?: string
  readonly sizingStat?: number
}

/** The facts of one server, before sizing/cost/fit facts are added. */
export function baseFacts(input: FactInput): Record<string, unknown> {
  const s = input.server
  const software = s.software ?? []
  const listeners = (s.listeners ?? []).filter((l) => !isLoopback(l.ip))
  const ports = uniqueSorted(listeners.map((l) => l.port))
  const servicePorts = ports.filter((p) => !MANAGEMENT_PORTS.has(p) && p < 49152)
  const httpPorts = servicePorts.filter((p) => HTTP_PORTS.has(p))
  const disks = s.disks ?? []
  const readIops = sumKnown(disks, 'readIops')
  const writeIops = sumKnown(disks, 'writeIops')
  const storageGib = s.storageProvisionedGib ?? sumKnown(disks, 'sizeGib')
  const eos = input.os.endOfSupport
  return {
    server: {
      id: s.id,
      name: s.name,
      environment: s.environment?.toLowerCase(),
      powerState: s.powerState,
      hypervisor: s.hypervisor,
      vmware: s.hypervisor ? /vmware|esx/i.test(s.hypervisor) : s.vcenter || s.vmMoref ? true : undefined,
      isVirtual: s.isVirtual,
      flags: s.flags,
      applications: s.applications,
      criticality: s.criticality?.toLowerCase(),
      tags: s.tags,
    },
    os: {
      family: input.os.family,
      distro: input.os.distro,
      version: input.os.version,
      major: input.os.major,
      label: input.os.label,
      priceOs: input.os.priceOs,
      endOfSupport: eos?.date,
      endOfSupportPassed: eos && input.asOfDays !== undefined ? input.asOfDays <= 0 : undefined,
      daysToEndOfSupport: eos ? input.asOfDays : undefined,
      architecture: s.architecture,
    },
    capacity: {
      vcpus: s.vcpus,
      cores: s.cpuCores,
      memoryGib: s.memoryMib === undefined ? undefined : s.memoryMib / 1024,
      storageGib,
    },
    cpu: {
      avg: s.cpuUtilisation?.avg,
      p95: s.cpuUtilisation?.p95,
      max: s.cpuUtilisation?.max,
      sizing: input.sizingStat,
      peakToAverage: ratio(s.cpuUtilisation, 'p95'),
    },
    memory: {avg: s.memoryUtilisation?.avg, p95: s.memoryUtilisation?.p95, max: s.memoryUtilisation?.max},
    network: {avg: s.networkThroughput?.avg, p95: s.networkThroughput?.p95, max: s.networkThroughput?.max},
    disk: {
      iops: s.diskIops?.p95,
      throughputMibps: s.diskThroughput?.p95,
      readRatio:
        readIops !== undefined && writeIops !== undefined && readIops + writeIops > 0 ? readIops / (readIops + writeIops) : undefined,
    },
    software: {
      names: software.length > 0 ? uniqueSorted(software.map((x) => x.name.toLowerCase())) : undefined,
      categories: software.length > 0 ? uniqueSorted(software.map((x) => x.category)) : undefined,
      known: software.length > 0 ? true : undefined,
    },
    listeners: {
      ports: ports.length > 0 ? ports : undefined,
      httpPorts: listeners.length > 0 ? httpPorts : undefined,
      servicePorts: listeners.length > 0 ? servicePorts : undefined,
      httpCount: listeners.length > 0 ? httpPorts.length : undefined,
      nonHttpCount: listeners.length > 0 ? servicePorts.length - httpPorts.length : undefined,
      known: listeners.length > 0 ? true : undefined,
    },
    inbound: {
      connections: input.inbound.connections,
      httpConnections: input.inbound.httpConnections,
      clients: input.inbound.clients,
      windowDays: input.inbound.windowDays,
      requestsPerMonth: input.usage?.requestsPerMonth ?? input.inbound.requestsPerMonth,
    },
    usage: input.usage ?? {},
    pin: {strategy: input.pin},
  }
}

/** `^(127\.|::1$)`, without a regular expression: a loopback listener serves nothing remote. */
const isLoopback = (ip: string): boolean => ip.startsWith('127.') || ip === '::1'

/** Lists at most this long are deduplicated and sorted in place of a Set and a sort call. */
const SHORT_LIST = 16

/**
 * The distinct values in ascending order. The lists are short (a server's ports or software), so
 * an insertion sort with `includes` replaces `[...new Set(xs)].sort()` and its allocations; the
 * result is the same (strings or numbers, one type per list, compared with < and >).
 */
export function uniqueSorted<T extends string | number>(xs: readonly T[]): T[] {
  if (xs.length > SHORT_LIST) return [...new Set(xs)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  const out: T[] = []
  for (const item of xs) {
    const x = (item === 0 ? 0 : item) as T // as in a Set, -0 is kept as 0
    if (out.includes(x)) continue
    let i = out.length
    while (i > 0 && out[i - 1]! > x) {
      out[i] = out[i - 1]!
      i--
    }
    out[i] = x
  }
  return out
}

/** Sum of a disk field; undefined when any disk lacks it, or there are no disks. */
function sumKnown(disks: readonly Disk[], field: 'readIops' | 'writeIops' | 'sizeGib'): number | undefined {
  let sum = 0
  for (const d of disks) {
    const x = d[field]
    if (x === undefined) return undefined
    sum += x
  }
  return disks.length > 0 ? sum : undefined
}
