/**
 * RVTools tabs: which tab a sheet or a per-tab CSV is (by sheet name, file name or header), the
 * columns the importer reads, and the prefixed header names of RVTools' own CSV export
 * (`vInfoVMName`, `vInfoCPUs` …) mapped back to the workbook's names.
 */
import {basename, extname} from 'node:path'

import {headerKey} from './table.js'
import type {FileProbe} from './types.js'

export type RvTab = 'vInfo' | 'vCPU' | 'vMemory' | 'vDisk' | 'vPartition' | 'vNetwork' | 'vHost' | 'vMetaData' | 'vSource'

/** Tabs the importer reads, in the order their data takes precedence (vInfo first). */
export const RV_TABS: readonly RvTab[] = ['vInfo', 'vCPU', 'vMemory', 'vDisk', 'vPartition', 'vNetwork', 'vHost', 'vMetaData', 'vSource']

/** Per-VM tabs other than vInfo, in precedence order for facts vInfo does not give. */
export const VM_DETAIL_TABS = ['vCPU', 'vMemory', 'vDisk', 'vPartition', 'vNetwork'] as const
export type VmDetailTab = (typeof VM_DETAIL_TABS)[number]

const TAB_BY_LOWER: ReadonlyMap<string, RvTab> = new Map(RV_TABS.map((t) => [t.toLowerCase(), t]))

/**
 * Header spellings of every column the importer reads. The first is the RVTools 4.x name; 3.x
 * says `MB` where 4.x says `MiB` (the values are MiB in both: vSphere reports mebibytes).
 */
export const COLS = {
  vm: ['VM'],
  power: ['Powerstate'],
  template: ['Template'],
  srm: ['SRM Placeholder'],
  dns: ['DNS Name'],
  cpus: ['CPUs'],
  memory: ['Memory'],
  provisioned: ['Provisioned MiB', 'Provisioned MB'],
  inUse: ['In Use MiB', 'In Use MB'],
  totalDisk: ['Total disk capacity MiB', 'Total disk capacity MB'],
  primaryIp: ['Primary IP Address'],
  pool: ['Resource pool'],
  folder: ['Folder'],
  firmware: ['Firmware'],
  annotation: ['Annotation'],
  datacenter: ['Datacenter'],
  cluster: ['Cluster'],
  host: ['Host'],
  osConfig: ['OS according to the configuration file'],
  osTools: ['OS according to the VMware Tools'],
  vmId: ['VM ID'],
  vmUuid: ['VM UUID'],
  smbiosUuid: ['SMBIOS UUID'],
  viServer: ['VI SDK Server'],
  sockets: ['Sockets'],
  size: ['Size MiB', 'Size MB'],
  disk: ['Disk'],
  capacity: ['Capacity MiB', 'Capacity MB'],
  thin: ['Thin'],
  consumed: ['Consumed MiB', 'Consumed MB'],
  free: ['Free MiB', 'Free MB'],
  freePct: ['Free %'],
  nicLabel: ['NIC label'],
  adapter: ['Adapter'],
  network: ['Network'],
  mac: ['Mac Address'],
  ipv4: ['IPv4 Address', 'IP Address'],
  ipv6: ['IPv6 Address'],
  cpuModel: ['CPU Model'],
  speed: ['Speed'],
  esxVersion: ['ESX Version'],
  metaCreated: ['xlsx creation datetime'],
} as const satisfies Record<string, readonly string[]>

/**
 * Columns that follow a tab's vCenter custom-attribute columns. In RVTools 4.x those sit between
 * `Annotation` and the first of these (normally `Datacenter`).
 */
export const AFTER_CUSTOM_ATTRIBUTES: ReadonlySet<string> = new Set(
  [
    'Datacenter',
    'Cluster',
    'Host',
    'Folder',
    'OS according to the configuration file',
    'OS according to the VMware Tools',
    'Customization Info',
    'Guest Detailed Data',
    'VM ID',
    'SMBIOS UUID',
    'VM UUID',
    'VI SDK Server type',
    'VI SDK API Version',
    'VI SDK Server',
    'VI SDK UUID',
  ].map(headerKey),
)

/** The sheet name of a workbook tab the importer reads, matched case-insensitively. */
export function tabOfSheet(sheet: string): RvTab | undefined {
  return TAB_BY_LOWER.get(sheet.trim().toLowerCase())
}

const FILE_TAB = /^(.*?)(vinfo|vcpu|vmemory|vdisk|vpartition|vnetwork|vhost|vmetadata|vsource)$/i

/**
 * The tab a CSV's file name says it is: `vInfo.csv`, `RVTools_tabvInfo.csv`, `vc01_vInfo.csv`.
 * `prefix` is what comes before the tab name, lower case: files of one export share it.
 */
export function tabOfFileName(path: string): {readonly tab: RvTab; readonly prefix: string} | undefined {
  const base = basename(path, extname(path))
  const m = FILE_TAB.exec(base)
  if (!m) return undefined
  const prefix = m[1]!
  if (prefix !== '' && !/(?:tab|[^a-z0-9])$/i.test(prefix)) return undefined
  return {tab: TAB_BY_LOWER.get(m[2]!.toLowerCase())!, prefix: prefix.toLowerCase()}
}

const squash = (s: string): string => s.toLowerCase().replace(/[^a-z0-9%#]/g, '')

/** Every column name the importer knows, by its squashed form (`provisionedmib` → `Provisioned MiB`). */
const DISPLAY_BY_SQUASHED: ReadonlyMap<string, string> = new Map(
  Object.values(COLS)
    .flat()
    .map((n) => [squash(n), n]),
)

/** Prefixed names whose tail is not the workbook name without spaces (seen in public readers of RVTools CSVs). */
const PREFIXED_EXCEPTIONS: Readonly<Record<string, string>> = {
  vmname: 'VM',
  uuid: 'VM UUID',
  guesthostname: 'DNS Name',
  provisioned: 'Provisioned MiB',
  inuse: 'In Use MiB',
  os: 'OS according to the configuration file',
  ostools: 'OS according to the VMware Tools',
  cpumhz: 'Speed',
  ip4address: 'IPv4 Address',
  ip6address: 'IPv6 Address',
}

/** Whether a header uses RVTools' prefixed CSV names (`vInfoVMName`, `vHostName`). */
export function isPrefixedHeader(tab: RvTab, names: readonly string[]): boolean {
  const first = squash(names[0] ?? '')
  return first === `${tab.toLowerCase()}vmname` || (tab === 'vHost' && first === 'vhostname')
}

/** Map prefixed CSV names to workbook names; names it does not know are kept. */
export function canonicalHeader(tab: RvTab, names: readonly string[]): string[] {
  const prefix = tab.toLowerCase()
  return names.map((name) => {
    const s = squash(name)
    if (!s.startsWith(prefix) || s.length === prefix.length) return name
    const tail = s.slice(prefix.length)
    if (tab === 'vHost' && tail === 'name') return 'Host'
    return PREFIXED_EXCEPTIONS[tail] ?? DISPLAY_BY_SQUASHED.get(tail) ?? name
  })
}

/** The tab a header looks like, from its columns alone. */
export function tabOfHeader(names: readonly string[]): RvTab | undefined {
  const first = squash(names[0] ?? '')
  const prefixed = /^(vinfo|vcpu|vmemory|vdisk|vpartition|vnetwork)vmname$/.exec(first)
  if (prefixed) return TAB_BY_LOWER.get(prefixed[1]!)
  if (first === 'vhostname') return 'vHost'
  const keys = new Set(names.map(headerKey))
  const has = (...alts: readonly string[]): boolean => alts.some((a) => keys.has(headerKey(a)))
  if (has(...COLS.metaCreated) || has('RVTools major version')) return 'vMetaData'
  if (first === 'vm') {
    if (has(...COLS.cpus) && has(...COLS.memory)) {
      const rvtoolsOnly = [COLS.power, COLS.template, COLS.provisioned, COLS.inUse, COLS.vmId, COLS.viServer, COLS.osTools]
      if (rvtoolsOnly.some((alts) => has(...alts))) return 'vInfo'
    }
    if (has(...COLS.size)) return 'vMemory'
    if (has(...COLS.disk) && has(...COLS.capacity)) {
      if (has(...COLS.consumed) || has(...COLS.free)) return 'vPartition'
      if (has(...COLS.thin) || has('Disk Mode') || has('Controller')) return 'vDisk'
    }
    if (has(...COLS.cpus) && (has(...COLS.sockets) || has('Cores p/s'))) return 'vCPU'
    if ((has(...COLS.mac) || has(...COLS.ipv4) || has(...COLS.nicLabel)) && (has(...COLS.network) || has(...COLS.adapter)))
      return 'vNetwork'
    return undefined
  }
  if (first === 'host' && (has(...COLS.cpuModel) || has('# Cores') || has('# CPU'))) return 'vHost'
  if (first === 'name' && has(...COLS.viServer) && has('API version')) return 'vSource'
  return undefined
}

/** The tab of a per-tab CSV: its header decides; its file name is enough when the header is RVTools-like. */
export function tabOfCsv(probe: FileProbe): RvTab | undefined {
  if (probe.type !== 'csv' || !probe.header || probe.header.length === 0) return undefined
  const byHeader = tabOfHeader(probe.header)
  if (byHeader) return byHeader
  const byName = tabOfFileName(probe.path)
  if (!byName) return undefined
  const first = squash(probe.header[0]!)
  const plausible =
    byName.tab === 'vHost'
      ? first === 'host' || first === 'vhostname'
      : byName.tab === 'vSource' || byName.tab === 'vMetaData'
        ? first !== ''
        : first === 'vm' || first === `${byName.tab.toLowerCase()}vmname`
  return plausible ? byName.tab : undefined
}
