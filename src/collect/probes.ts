/**
 * What the agent reads from the host, through systeminformation (the only module that imports it,
 * with sampler.ts). Each probe returns model values in model units and, when it could not see
 * something, says so in `limitations`; nothing here writes anywhere.
 */
import {readdir, readFile} from 'node:fs/promises'
import {hostname as osHostname, networkInterfaces} from 'node:os'

import si from 'systeminformation'

import type {AgentFile} from '../model/agent-file.js'
import {normaliseIp, type AgentListener, type ObservedSocket} from './connections.js'
import {hypervisorOf, PSEUDO_FS} from './host-facts.js'
import {redactArgv, redactCommand} from './redact.js'
import {countCronEntries} from './software.js'

export type HostPart = Pick<AgentFile, 'host' | 'os' | 'cpu' | 'memory' | 'disks' | 'filesystems' | 'nics'>

export interface HostSnapshot extends HostPart {
  /** true as root/Administrator, false when known not to be, undefined when unknown. */
  readonly privileged?: boolean
  readonly limitations: readonly string[]
}

const MIB = 1024 * 1024
const GIB = 1024 * MIB
const round2 = (v: number): number => Math.round(v * 100) / 100

/** Whether this process has administrator rights; undefined where it cannot tell (Windows). */
export function isPrivileged(): boolean | undefined {
  return typeof process.getuid === 'function' ? process.getuid() === 0 : undefined
}

const clean = (s: string | undefined | null): string | undefined => {
  const t = (s ?? '').trim()
  return t && t !== '-' && !/^(to be filled|default string|not specified|none|unknown|system serial number|0)$/i.test(t) ? t : undefined
}

async function readSys(path: string): Promise<string | undefined> {
  try {
    return (await readFile(path, 'utf8')).trim()
  } catch {
    return undefined
  }
}

/**
 * Network interfaces other than loopback. On Linux from Node and /sys (fast); elsewhere through
 * systeminformation, whose Linux path runs a dozen shell commands per interface.
 */
export async function probeNics(): Promise<AgentFile['nics']> {
  if (process.platform !== 'linux') {
    const ifaces = await si.networkInterfaces().catch(() => [])
    return (Array.isArray(ifaces) ? ifaces : [ifaces])
      .filter((n) => !n.internal)
      .map((n) => ({
        name: n.iface,
        ...(clean(n.mac) && n.mac !== '00:00:00:00:00:00' ? {mac: n.mac.toLowerCase()} : {}),
        ips: [n.ip4, n.ip6].filter((ip): ip is string => Boolean(ip)).map(normaliseIp),
        ...(n.speed && n.speed > 0 ? {speedMbps: n.speed} : {}),
        ...(typeof n.virtual === 'boolean' ? {virtual: n.virtual} : {}),
      }))
  }
  const out: AgentFile['nics'][number][] = []
  for (const [name, addrs] of Object.entries(networkInterfaces()).sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    const list = addrs ?? []
    if (list.length === 0 || list.every((a) => a.internal)) continue
    const mac = list.find((a) => a.mac && a.mac !== '00:00:00:00:00:00')?.mac
    const speed = Number(await readSys(`/sys/class/net/${name}/speed`))
    const virtual = (await readSys(`/sys/class/net/${name}/device/uevent`)) === undefined
    out.push({
      name,
      ...(mac ? {mac: mac.toLowerCase()} : {}),
      ips: list.map((a) => normaliseIp(a.address)),
      ...(Number.isFinite(speed) && speed > 0 ? {speedMbps: speed} : {}),
      virtual,
    })
  }
  return out
}

/** Host identity, OS, CPU, memory, disks, filesystems and NICs. */
export async function probeHost(): Promise<HostSnapshot> {
  const limitations: string[] = []
  const [os, system, uuid, cpu, mem, layout, fs, nics] = await Promise.all([
    si.osInfo(),
    si.system(),
    si.uuid(),
    si.cpu(),
    si.mem(),
    si.diskLayout().catch(() => []),
    si.fsSize().catch(() => []),
    probeNics(),
  ])
  const privileged = isPrivileged()
  const systemUuid = clean(system.uuid) ?? clean(uuid.hardware)
  if (!systemUuid) {
    limitations.push(
      privileged === false
        ? 'system UUID (reading /sys/class/dmi/id/product_uuid or dmidecode needs root)'
        : 'system UUID (not exposed by this machine)',
    )
  }
  const manufacturer = clean(system.manufacturer)
  const model = clean(system.model)
  const hypervisor = hypervisorOf(manufacturer, model, system.virtualHost)
  const seenMounts = new Set<string>()
  const filesystems: AgentFile['filesystems'] = []
  for (const f of fs) {
    if (PSEUDO_FS.test(f.type ?? '') || seenMounts.has(f.mount) || !f.mount) continue
    seenMounts.add(f.mount)
    filesystems.push({
      mount: f.mount,
      ...(f.type ? {fsType: f.type} : {}),
      ...(f.size > 0 ? {sizeGib: round2(f.size / GIB)} : {}),
      ...(f.size > 0 ? {usedGib: round2(f.used / GIB)} : {}),
    })
  }
  const disks: AgentFile['disks'] = layout
    .filter((d) => d.size > 0)
    .map((d) => ({name: d.device || d.name, ...(d.type ? {type: d.type} : {}), sizeGib: round2(d.size / GIB)}))
  if (disks.length === 0) limitations.push('physical disk layout (none reported; filesystem sizes are given instead)')
  const host = os.hostname || osHostname()
  const fqdn = clean(os.fqdn)
  return {
    host: {
      hostname: host,
      ...(fqdn && fqdn.includes('.') ? {fqdn} : {}),
      ...(systemUuid ? {systemUuid: systemUuid.toLowerCase()} : {}),
      ...(clean(system.serial) ? {serial: clean(system.serial)} : {}),
      ...(manufacturer ? {manufacturer} : {}),
      ...(model ? {model} : {}),
      virtual: system.virtual || hypervisor !== undefined,
      ...(hypervisor ? {hypervisor} : {}),
      ips: [...new Set(nics.flatMap((n) => n.ips))].sort(),
      macs: [...new Set(nics.map((n) => n.mac).filter((m): m is string => Boolean(m)))].sort(),
    },
    os: {
      platform: os.platform || process.platform,
      ...(clean(os.distro) ? {name: clean(os.distro)} : {}),
      ...(clean(os.release) ? {version: clean(os.release)} : {}),
      ...(clean(os.kernel) ? {kernel: clean(os.kernel)} : {}),
      ...(clean(os.arch) ? {arch: os.arch} : {}),
    },
    cpu: {
      ...(clean(`${cpu.manufacturer} ${cpu.brand}`) ? {model: clean(`${cpu.manufacturer} ${cpu.brand}`)} : {}),
      ...(cpu.processors > 0 ? {sockets: cpu.processors} : {}),
      ...(cpu.physicalCores > 0 ? {cores: cpu.physicalCores} : {}),
      ...(cpu.cores > 0 ? {threads: cpu.cores} : {}),
      ...(cpu.speed > 0 ? {mhz: Math.round(cpu.speed * 1000)} : {}),
    },
    memory: mem.total > 0 ? {totalMib: Math.round(mem.total / MIB)} : {},
    disks,
    filesystems,
    nics,
    ...(privileged === undefined ? {} : {privileged}),
    limitations,
  }
}

/** Sockets from systeminformation, as {@link ObservedSocket}s. */
export async function probeSockets(): Promise<ObservedSocket[]> {
  const rows = await si.networkConnections().catch(() => [])
  const out: ObservedSocket[] = []
  for (const r of rows) {
    const protocol = r.protocol.toLowerCase().startsWith('udp') ? 'udp' : r.protocol.toLowerCase().startsWith('tcp') ? 'tcp' : undefined
    const localPort = Number(r.localPort)
    const remotePort = r.peerPort === '*' ? 0 : Number(r.peerPort)
    if (!protocol || !Number.isInteger(localPort) || !Number.isInteger(remotePort)) continue
    if (localPort < 0 || localPort > 65535 || remotePort < 0 || remotePort > 65535) continue
    out.push({
      protocol,
      localIp: r.localAddress,
      localPort,
      remoteIp: r.peerAddress,
      remotePort,
      state: (r.state ?? '').toUpperCase(),
      ...(r.process ? {process: r.process} : {}),
      ...(r.pid ? {pid: r.pid} : {}),
    })
  }
  return out
}

export type AgentProcess = AgentFile['processes'][number]

async function linuxArgv(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8')
    const argv = raw.split('\0')
    if (argv.at(-1) === '') argv.pop()
    return argv.length > 0 ? argv : undefined
  } catch {
    return undefined
  }
}

/** Running processes with redacted command lines; kernel threads are left out. */
export async function probeProcesses(): Promise<{processes: AgentProcess[]; limitations: string[]}> {
  const data = await si.processes()
  const linux = process.platform === 'linux'
  const processes: AgentProcess[] = []
  let hiddenCommands = 0
  for (const p of data.list) {
    if (linux && (p.pid === 2 || p.parentPid === 2)) continue
    let command: string | undefined
    const argv = linux ? await linuxArgv(p.pid) : undefined
    if (argv) command = redactArgv(argv)
    else {
      const text = [p.path && !p.command.includes('/') && !p.command.includes('\\') ? `${p.path}/${p.command}` : p.command, p.params]
        .filter(Boolean)
        .join(' ')
        .trim()
      if (text) command = redactCommand(text)
      else hiddenCommands++
    }
    processes.push({
      pid: p.pid,
      name: p.name.slice(0, 1024),
      ...(p.user ? {user: p.user.slice(0, 1024)} : {}),
      ...(Number.isFinite(p.cpu) && p.cpu >= 0 ? {cpuPct: round2(p.cpu)} : {}),
      ...(p.memRss > 0 ? {memoryMib: round2(p.memRss / 1024)} : {}),
      ...(command ? {command} : {}),
    })
  }
  processes.sort((a, b) => (a.pid ?? 0) - (b.pid ?? 0))
  const limitations = hiddenCommands > 0 ? [`command lines of ${hiddenCommands} processes (not readable by this user)`] : []
  return {processes, limitations}
}

/** Listening sockets of one look, with their process when visible. */
export function listenersOf(sockets: readonly ObservedSocket[]): AgentListener[] {
  return sockets
    .filter((s) => s.state === 'LISTEN')
    .map((s) => ({protocol: s.protocol, ip: normaliseIp(s.localIp), port: s.localPort, ...(s.process ? {process: s.process} : {})}))
}

/** Scheduled jobs in the system and user crontabs that this user can read. */
export async function probeCron(): Promise<{entries?: number; limitations: string[]}> {
  if (process.platform === 'win32') return {limitations: ['scheduled tasks (Windows Task Scheduler is not read)']}
  let entries = 0
  let readAny = false
  const limitations: string[] = []
  const readText = async (path: string): Promise<void> => {
    try {
      entries += countCronEntries(await readFile(path, 'utf8'))
      readAny = true
    } catch {
      /* missing or unreadable: covered by the folder checks below */
    }
  }
  await readText('/etc/crontab')
  for (const dir of ['/etc/cron.d', '/var/spool/cron/crontabs', '/var/spool/cron']) {
    let names: string[]
    try {
      names = (await readdir(dir, {withFileTypes: true})).filter((e) => e.isFile()).map((e) => e.name)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code === 'EACCES' || code === 'EPERM') limitations.push(`crontabs in ${dir} (not readable without root)`)
      continue
    }
    for (const name of names.sort()) if (!name.startsWith('.')) await readText(`${dir}/${name}`)
  }
  return readAny ? {entries, limitations} : {limitations}
}
