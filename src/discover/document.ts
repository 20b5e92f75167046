/** One host's command output (and optional readings) → an agent file with collector kind `ssh`. Pure. */
import {ConnectionAggregator} from '../collect/connections.js'
import {hypervisorOf} from '../collect/host-facts.js'
import {countCronEntries, detectSoftware} from '../collect/software.js'
import type {AGENT_FILE_SCHEMA_VERSION, AgentFile} from '../model/agent-file.js'
import {parseCpuinfo, parseDf, parseIp, parseLsblk, parseMeminfo, parseOsRelease, parsePs, parseSockets, virtFromDetect} from './parse.js'
import {summariseReadings, type Reading} from './sample.js'

const SCHEMA_VERSION: typeof AGENT_FILE_SCHEMA_VERSION = 'migrate-plan.agent/1'

export interface SshDocumentInput {
  readonly sections: ReadonlyMap<string, string>
  /** Readings of `--sample`, when sampled. */
  readonly readings?: readonly Reading[]
  readonly intervalSeconds?: number
  readonly version: string
  /** When the inventory was read (ISO). */
  readonly at: string
}

const clean = (s: string | undefined): string | undefined => {
  const t = (s ?? '').trim()
  return t && !/^(to be filled.*|default string|not specified|none|unknown|system serial number|0)$/i.test(t) ? t : undefined
}

/** Build the agent file; `undefined` sections simply leave their facts out and say why. */
export function buildSshDocument(input: SshDocumentInput): AgentFile {
  const sec = (name: string): string | undefined => {
    const v = input.sections.get(name)
    return v === undefined || v === '' ? undefined : v
  }
  const limitations: string[] = []
  const [, kernel, arch] = (sec('uname') ?? '').split('\n').map((l) => l.trim())
  const root = sec('uid') === '0'
  const os = parseOsRelease(sec('os-release') ?? '')
  const nproc = Number(sec('nproc'))
  const mem = parseMeminfo(sec('meminfo') ?? '')
  const nics = parseIp(sec('ip-addr') ?? '', sec('ip-link') ?? '')
  if (!sec('ip-addr')) limitations.push('network interfaces (the ip command is missing)')
  const uuid = clean(sec('product_uuid')) ?? clean(sec('dmidecode'))
  if (!uuid) limitations.push(root ? 'system UUID (not exposed by this machine)' : 'system UUID (product_uuid and dmidecode need root)')
  const vendor = clean(sec('sys_vendor'))
  const product = clean(sec('product_name'))
  const serial = clean(sec('product_serial'))
  const virt = virtFromDetect(sec('virt'))
  const hypervisor = hypervisorOf(vendor, product, virt)
  const hostname = (sec('hostname') ?? '').split('\n')[0]!.trim() || 'unknown'
  const fqdn = sec('fqdn')?.split('\n')[0]?.trim()
  const disks = parseLsblk(sec('lsblk') ?? '')
  if (disks.length === 0) limitations.push('physical disk layout (lsblk found none; filesystem sizes are given instead)')
  const processes = parsePs(sec('ps') ?? '', sec('comm') ?? '')
  if (processes.length === 0) limitations.push('processes (ps gave nothing)')
  const tool = input.sections.has('ss') ? 'ss' : 'netstat'
  const sockets = parseSockets(sec(tool) ?? '', tool)
  if (!sec('ss') && !sec('netstat')) limitations.push('sockets (neither ss nor netstat answered)')

  const connections = new ConnectionAggregator()
  connections.observe(sockets, input.at)
  let utilisation: AgentFile['utilisation']
  if (input.readings && input.readings.length > 0) {
    const w = summariseReadings(input.readings, input.intervalSeconds ?? 0, connections)
    utilisation = w.utilisation
    if (w.samples === 0) limitations.push('utilisation (the sampling run returned fewer than two readings)')
  }
  const hidden = sockets.filter((s) => !s.process && /^(LISTEN|ESTABLISHED)$/.test(s.state ?? '')).length
  if (hidden > 0 && !root)
    limitations.push(`owning process of ${hidden} sockets (other users' sockets are hidden when not logged in as root)`)
  if (!root) limitations.push('user crontabs (readable by root only)')
  const listeners = connections.listenerList()
  const cron = sec('cron')
  const software = detectSoftware({
    processes: processes.map((p) => ({
      name: p.name,
      ...(p.pid === undefined ? {} : {pid: p.pid}),
      ...(p.command ? {command: p.command} : {}),
    })),
    listeners,
    ...(cron === undefined && !input.sections.has('cron') ? {} : {cronEntries: countCronEntries(cron ?? '')}),
  })
  return {
    schemaVersion: SCHEMA_VERSION,
    collector: {kind: 'ssh', version: input.version, mode: utilisation ? 'sampling' : 'snapshot', privileged: root},
    collectedAt: input.readings?.at(-1)?.at ?? input.at,
    host: {
      hostname,
      ...(fqdn && fqdn.includes('.') && fqdn !== hostname ? {fqdn} : {}),
      ...(uuid ? {systemUuid: uuid.toLowerCase()} : {}),
      ...(serial ? {serial} : {}),
      ...(vendor ? {manufacturer: vendor} : {}),
      ...(product ? {model: product} : {}),
      ...(virt !== undefined || hypervisor !== undefined ? {virtual: true} : sec('virt') === 'none' ? {virtual: false} : {}),
      ...(hypervisor ? {hypervisor} : {}),
      ips: [...new Set(nics.flatMap((n) => n.ips))].sort(),
      macs: [...new Set(nics.map((n) => n.mac).filter((m): m is string => Boolean(m)))].sort(),
    },
    os: {
      platform: 'linux',
      ...(os.NAME ? {name: os.NAME} : {}),
      ...(os.VERSION_ID ? {version: os.VERSION_ID} : {}),
      ...(kernel ? {kernel} : {}),
      ...(arch ? {arch} : {}),
    },
    cpu: parseCpuinfo(sec('cpuinfo') ?? '', Number.isFinite(nproc) && nproc > 0 ? nproc : undefined),
    memory: mem.MemTotal ? {totalMib: Math.round(mem.MemTotal / 1024)} : {},
    disks,
    filesystems: parseDf(sec('df') ?? ''),
    nics,
    ...(utilisation ? {utilisation} : {}),
    processes,
    listeners,
    connections: connections.list(),
    software,
    limitations,
  }
}
