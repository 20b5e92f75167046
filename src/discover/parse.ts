/**
 * Command output of a Linux host → the agent file model (collector kind `ssh`). Pure: every function
 * takes text and returns values in model units (MiB, GiB, percent, MiB/s, Mbit/s).
 */
import type {ObservedSocket} from '../collect/connections.js'
import {PSEUDO_FS} from '../collect/host-facts.js'
import {redactCommand} from '../collect/redact.js'
export {parseMeminfo} from '../collect/procfs.js'
import type {AgentFile} from '../model/agent-file.js'

const GIB_KB = 1024 * 1024
const round2 = (v: number): number => Math.round(v * 100) / 100

/** `KEY="value"` lines of /etc/os-release. */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {}
  for (const line of text.split('\n')) {
    const m = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim())
    if (m) out[m[1]!] = m[2]!.replace(/^["']|["']$/g, '').replace(/\\(.)/g, '$1')
  }
  return out
}

export function parseCpuinfo(text: string, nproc?: number): AgentFile['cpu'] {
  const blocks = text.split(/\n\s*\n/).filter((b) => /^processor\s*:/m.test(b))
  const field = (b: string, name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(b)?.[1]?.trim()
  const first = blocks[0] ?? text
  const model = field(first, 'model name') ?? field(first, 'Hardware') ?? field(first, 'cpu model')
  const sockets = new Set(blocks.map((b) => field(b, 'physical id')).filter((v) => v !== undefined))
  const coreIds = new Set(blocks.map((b) => `${field(b, 'physical id')}/${field(b, 'core id')}`).filter((v) => !v.includes('undefined')))
  const threads = blocks.length || nproc
  const mhz = Number(field(first, 'cpu MHz'))
  return {
    ...(model ? {model} : {}),
    ...(sockets.size > 0 ? {sockets: sockets.size} : {}),
    ...(coreIds.size > 0 ? {cores: coreIds.size} : {}),
    ...(threads ? {threads} : {}),
    ...(Number.isFinite(mhz) && mhz > 0 ? {mhz: Math.round(mhz)} : {}),
  }
}

/** `df -P -T -k`: file systems with size and use, pseudo file systems left out. */
export function parseDf(text: string): AgentFile['filesystems'] {
  const out: AgentFile['filesystems'][number][] = []
  const seen = new Set<string>()
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/)
    if (f.length < 7) continue
    const [, type, blocks, used] = f
    const mount = f.slice(6).join(' ')
    if (PSEUDO_FS.test(type!) || seen.has(mount) || !/^\d+$/.test(blocks!)) continue
    seen.add(mount)
    out.push({mount, fsType: type!, sizeGib: round2(Number(blocks) / GIB_KB), usedGib: round2(Number(used) / GIB_KB)})
  }
  return out
}

/** `lsblk -b -d -n -P -o NAME,SIZE,TYPE`: whole disks. */
export function parseLsblk(text: string): AgentFile['disks'] {
  const out: AgentFile['disks'][number][] = []
  for (const line of text.split('\n')) {
    const kv = Object.fromEntries([...line.matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1], m[2]]))
    if (kv.TYPE !== 'disk' || !kv.NAME || !/^\d+$/.test(kv.SIZE ?? '') || /^(loop|ram|zram|nbd|fd)\d*/.test(kv.NAME)) continue
    out.push({name: `/dev/${kv.NAME}`, type: 'disk', sizeGib: round2(Number(kv.SIZE) / 1024 ** 3)})
  }
  return out
}

/** `ip -o addr show` and `ip -o link show` → NICs (loopback left out). */
export function parseIp(addrText: string, linkText: string): AgentFile['nics'] {
  const nics = new Map<string, {name: string; mac?: string; ips: string[]}>()
  const get = (name: string): {name: string; mac?: string; ips: string[]} => {
    const n = name.replace(/@.*$/, '').replace(/:$/, '')
    if (!nics.has(n)) nics.set(n, {name: n, ips: []})
    return nics.get(n)!
  }
  for (const line of linkText.split('\n')) {
    const m = /^\d+:\s+(\S+?):?\s.*\blink\/(\w+)(?:\s+([0-9a-f:]{17}))?/.exec(line)
    if (!m || m[2] === 'loopback') continue
    const nic = get(m[1]!)
    if (m[3] && m[3] !== '00:00:00:00:00:00') nic.mac = m[3]
  }
  for (const line of addrText.split('\n')) {
    const m = /^\d+:\s+(\S+)\s+(inet6?)\s+([0-9a-f.:]+)\//i.exec(line)
    if (!m || m[1] === 'lo') continue
    get(m[1]!).ips.push(m[3]!.toLowerCase())
  }
  return [...nics.values()]
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((n) => ({name: n.name, ...(n.mac ? {mac: n.mac} : {}), ips: n.ips}))
}

function splitAddress(a: string): {ip: string; port: number} | undefined {
  const i = a.lastIndexOf(':')
  if (i < 0) return undefined
  const port = a.slice(i + 1)
  const ip = a
    .slice(0, i)
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '')
  return {ip: ip === '*' ? '0.0.0.0' : ip, port: port === '*' ? 0 : Number(port)}
}

/** `ss -tunap` or `netstat -tunap` → sockets, with the process when shown. */
export function parseSockets(text: string, tool: 'ss' | 'netstat'): ObservedSocket[] {
  const out: ObservedSocket[] = []
  for (const line of text.split('\n')) {
    const f = line.trim().split(/\s+/)
    const proto = f[0]?.toLowerCase() ?? ''
    const protocol = proto.startsWith('tcp') ? 'tcp' : proto.startsWith('udp') ? 'udp' : undefined
    if (!protocol) continue
    let state: string
    let local: string | undefined
    let remote: string | undefined
    let proc: string | undefined
    if (tool === 'ss') {
      ;[, state = '', , , local, remote] = f
      proc = /users:\(\("([^"]+)"/.exec(line)?.[1]
    } else {
      local = f[3]
      remote = f[4]
      const stateOrProc = f[5] ?? ''
      state = protocol === 'udp' && !/^[A-Z_]+$/.test(stateOrProc) ? 'UNCONN' : stateOrProc
      const pidProg = protocol === 'udp' && state === 'UNCONN' ? f[5] : f[6]
      proc = pidProg && pidProg !== '-' ? pidProg.split('/').slice(1).join('/').replace(/:$/, '') || undefined : undefined
    }
    const l = local ? splitAddress(local) : undefined
    const r = remote ? splitAddress(remote) : undefined
    if (!l || !r || !Number.isInteger(l.port) || !Number.isInteger(r.port)) continue
    out.push({
      protocol,
      localIp: l.ip,
      localPort: l.port,
      remoteIp: r.ip,
      remotePort: r.port,
      state: state === 'ESTAB' ? 'ESTABLISHED' : state.toUpperCase(),
      ...(proc ? {process: proc} : {}),
    })
  }
  return out
}

/** `ps -eo pid=,ppid=,user=,pcpu=,rss=,args=` joined with `ps -eo pid=,comm=`; kernel threads left out. */
export function parsePs(psText: string, commText: string): AgentFile['processes'] {
  const names = new Map<number, string>()
  for (const line of commText.split('\n')) {
    const m = /^\s*(\d+)\s+(.+)$/.exec(line)
    if (m) names.set(Number(m[1]), m[2]!.trim())
  }
  const out: AgentFile['processes'][number][] = []
  for (const line of psText.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+([\d.]+)\s+(\d+)\s*(.*)$/.exec(line)
    if (!m) continue
    const pid = Number(m[1])
    const ppid = Number(m[2])
    if (pid === 2 || ppid === 2) continue
    const args = m[6]!.trim()
    const name = names.get(pid) ?? args.split(/\s+/)[0]?.split('/').at(-1) ?? String(pid)
    out.push({
      pid,
      name: name.slice(0, 1024),
      user: m[3]!,
      cpuPct: Number(m[4]),
      memoryMib: round2(Number(m[5]) / 1024),
      ...(args ? {command: redactCommand(args)} : {}),
    })
  }
  return out.sort((a, b) => a.pid! - b.pid!)
}

/** `systemd-detect-virt` output → hypervisor words hypervisorOf understands; `none` → undefined. */
export function virtFromDetect(text: string | undefined): string | undefined {
  const v = (text ?? '').trim().toLowerCase()
  if (!v || v === 'none') return undefined
  const names: Record<string, string> = {
    kvm: 'KVM',
    qemu: 'KVM',
    vmware: 'VMware',
    microsoft: 'Hyper-V',
    xen: 'Xen',
    oracle: 'VirtualBox',
    amazon: 'Amazon EC2',
  }
  return names[v] ?? v
}
