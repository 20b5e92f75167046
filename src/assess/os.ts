/**
 * Operating system classification from what the inventory says (name, version, family): the
 * distribution and version, the EC2 price list it is billed under, and its end of vendor support
 * (src/assess/data/end-of-support.json). Pure apart from reading that packaged table once.
 */
import {readFileSync} from 'node:fs'

import type {PriceOs} from '../model/catalog.js'
import type {OsFamily, Server} from '../model/server.js'

export interface OsInfo {
  readonly family?: OsFamily
  /** `windows-server`, `windows-desktop`, `rhel`, `centos`, `ubuntu`, `sles`, `debian`, `amazon-linux`, `oracle-linux`, `rocky`, `almalinux`, `aix`, `solaris`, `hp-ux`, `freebsd`, `linux-other`. */
  readonly distro?: string
  /** Normalised version: `2012 R2` for Windows Server, `18.04` for Ubuntu, the major number otherwise. */
  readonly version?: string
  readonly major?: number
  /** What the inventory said, for messages. */
  readonly label: string
  /** EC2 price list for the OS itself (licence questions aside); undefined when the OS is unknown or cannot run on EC2. */
  readonly priceOs?: PriceOs
  readonly endOfSupport?: {readonly date: string; readonly source: string}
}

interface EosTable {
  readonly sources: Record<string, string>
  readonly entries: readonly {distro: string; version: string; date: string; source: string}[]
}

let eos: EosTable | undefined
function eosTable(): EosTable {
  eos ??= JSON.parse(readFileSync(new URL('./data/end-of-support.json', import.meta.url), 'utf8')) as EosTable
  return eos
}

const WINDOWS_NT: readonly [RegExp, string][] = [
  [/^5\.2/, '2003'],
  [/^6\.0/, '2008'],
  [/^6\.1/, '2008 R2'],
  [/^6\.2/, '2012'],
  [/^6\.3/, '2012 R2'],
  [/^10\.0\.14393/, '2016'],
  [/^10\.0\.17763/, '2019'],
  [/^10\.0\.20348/, '2022'],
  [/^10\.0\.26100/, '2025'],
]

const DISTROS: readonly [RegExp, string, OsFamily][] = [
  [/windows.*server|windows\s+20(03|08|12|16|19|22|25)/i, 'windows-server', 'windows'],
  [/windows/i, 'windows-desktop', 'windows'],
  [/red\s*hat|\brhel\b/i, 'rhel', 'linux'],
  [/centos/i, 'centos', 'linux'],
  [/ubuntu/i, 'ubuntu', 'linux'],
  [/suse|\bsles\b/i, 'sles', 'linux'],
  [/debian/i, 'debian', 'linux'],
  [/amazon\s*linux/i, 'amazon-linux', 'linux'],
  [/oracle\s*(enterprise\s*)?linux/i, 'oracle-linux', 'linux'],
  [/rocky/i, 'rocky', 'linux'],
  [/alma/i, 'almalinux', 'linux'],
  [/\baix\b/i, 'aix', 'unix'],
  [/solaris|sunos/i, 'solaris', 'unix'],
  [/hp-?ux/i, 'hp-ux', 'unix'],
  [/freebsd/i, 'freebsd', 'unix'],
  [/linux/i, 'linux-other', 'linux'],
]

const cache = new Map<string, OsInfo>()

/** Classify a server's OS. Unknown stays unknown: no distro, no price list. Results are shared per distinct input. */
export function classifyOs(s: Pick<Server, 'osName' | 'osVersion' | 'osFamily'>): OsInfo {
  const key = `${s.osName ?? ''}\u0000${s.osVersion ?? ''}\u0000${s.osFamily ?? ''}`
  let info = cache.get(key)
  if (!info) {
    info = classify(s)
    if (cache.size < 10_000) cache.set(key, info)
  }
  return info
}

function classify(s: Pick<Server, 'osName' | 'osVersion' | 'osFamily'>): OsInfo {
  const name = s.osName ?? ''
  const version = s.osVersion ?? ''
  const label = [s.osName, s.osVersion].filter(Boolean).join(' ') || (s.osFamily ? `${s.osFamily} (no name)` : 'unknown')
  const hit = DISTROS.find(([re]) => re.test(name))
  const family = s.osFamily ?? hit?.[2]
  const distro = hit?.[1] ?? (family === 'linux' ? 'linux-other' : undefined)
  let v: string | undefined
  if (distro === 'windows-server') {
    // "Windows Server 2016 or later" (a VMware guest type) says little: the kernel version decides then.
    const nt = WINDOWS_NT.find(([re]) => re.test(version))?.[1]
    const m = /20(03|08|12|16|19|22|25)(\s*R2)?/i.exec(name) ?? /20(03|08|12|16|19|22|25)(\s*R2)?/i.exec(version)
    v = nt && (!m || /or later/i.test(name)) ? nt : m ? `20${m[1]}${m[2] ? ' R2' : ''}` : nt
  } else if (distro === 'ubuntu') {
    const m = /(\d{2}\.\d{2})/.exec(name) ?? /(\d{2}\.\d{2})/.exec(version)
    v = m?.[1]
  } else if (distro === 'amazon-linux') {
    const m = /amazon\s*linux\s*(2023|2)\b/i.exec(name) ?? /^(2023|2)\b/.exec(version)
    v = m ? m[1] : /amazon\s*linux\s*(ami)?\s*20\d\d\.\d\d/i.test(name) ? '1' : undefined
  } else if (distro) {
    // The major version: from the name (`Red Hat Enterprise Linux 7 (64-bit)`), else the version (`7.9`, `12 SP5`).
    const m = /\b(\d{1,2})(?:\.\d+)*\b(?!-bit)/.exec(name.replace(/\(\d+-bit\)/g, '')) ?? /^(\d{1,2})\b/.exec(version.trim())
    v = m?.[1]
  }
  const major = v === undefined ? undefined : Number.parseInt(v, 10)
  const priceOs: PriceOs | undefined =
    family === 'windows' ? 'windows' : distro === 'rhel' ? 'rhel' : distro === 'sles' ? 'suse' : family === 'linux' ? 'linux' : undefined
  const entry = distro && v ? eosTable().entries.find((e) => e.distro === distro && e.version === v) : undefined
  return {
    ...(family ? {family} : {}),
    ...(distro ? {distro} : {}),
    ...(v ? {version: v} : {}),
    ...(major === undefined || Number.isNaN(major) ? {} : {major}),
    label,
    ...(priceOs ? {priceOs} : {}),
    ...(entry ? {endOfSupport: {date: entry.date, source: eosTable().sources[entry.source] ?? entry.source}} : {}),
  }
}

/** Whole days from `from` to `to` (YYYY-MM-DD), negative when `to` is earlier. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000)
}

/** Compares dotted versions numerically: `18.04` vs `20.04`, `8` vs `10`. */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.\s]/).map((x) => Number.parseInt(x, 10) || 0)
  const pb = b.split(/[.\s]/).map((x) => Number.parseInt(x, 10) || 0)
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0)
    if (d !== 0) return d
  }
  return 0
}
