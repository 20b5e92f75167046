/**
 * The sheets of an RVTools 4.x export of a synthetic estate, as header + rows of typed cells, shared
 * by the xlsx and the per-tab CSV writers.
 *
 * Headers: vInfo, vCPU, vMemory, vDisk, vPartition and vHost are exactly those of the genuine 4.x
 * sample in ../shared/reference/rvtools/rvtools-4x-kubev2v-example1/, with the columns that sample
 * lost to anonymisation put back where RVTools 4.x has them: vInfo `DNS Name` (after
 * `Config status`), `Annotation` and the vCenter custom-attribute columns (before `Datacenter`, as
 * in the sample's vMemory and vDisk), `SMBIOS UUID` (before `VM UUID`, RVTools 4.4 and later) and
 * `VI SDK Server` / `VI SDK UUID` (last). The sample's own
 * custom attributes (`owner`, `mmtest-tags`) are replaced by the estate's.
 * vNetwork: NO genuine sample exists (see the reference PROVENANCE.md); its columns here are a
 * plausible reconstruction following the conventions of the other 4.x sheets, not a copy of RVTools.
 * vMetaData: the four columns RVTools 4.x writes (RVTools major version, version, creation time, server).
 */
import {OS_CATALOG} from '../catalog.js'
import {hash32} from '../random.js'
import type {SynthEstate, SynthServer} from '../types.js'

export type RvCell = string | number | Date | undefined

export type RvSheetName = 'vInfo' | 'vCPU' | 'vMemory' | 'vDisk' | 'vPartition' | 'vNetwork' | 'vHost' | 'vMetaData'

/** Sheets in RVTools' own order. */
export const RV_SHEETS: readonly RvSheetName[] = ['vInfo', 'vCPU', 'vMemory', 'vDisk', 'vPartition', 'vNetwork', 'vHost', 'vMetaData']

export interface RvSheet {
  readonly name: RvSheetName
  readonly header: readonly string[]
  /** Rows, lazily: a 100,000-VM vInfo never sits in memory. */
  rows(): Iterable<RvCell[]>
}

export interface RvtoolsOptions {
  /** Sheets to produce, in this order. @default RV_SHEETS */
  readonly sheets?: readonly RvSheetName[]
  /** Custom-attribute columns. @default every attribute key of the servers, in first-seen order */
  readonly customAttributes?: readonly string[]
  /** RVTools version in vMetaData. @default 4.6.1.0 */
  readonly rvtoolsVersion?: string
}

const ATTRS = '<custom attributes>'

const VINFO = [
  'VM',
  'Powerstate',
  'Template',
  'SRM Placeholder',
  'Config status',
  'DNS Name',
  'Connection state',
  'Guest state',
  'Heartbeat',
  'Consolidation Needed',
  'PowerOn',
  'Suspended To Memory',
  'Suspend time',
  'Suspend Interval',
  'Creation date',
  'Change Version',
  'CPUs',
  'Overall Cpu Readiness',
  'Memory',
  'Active Memory',
  'NICs',
  'Disks',
  'Total disk capacity MiB',
  'Fixed Passthru HotPlug',
  'min Required EVC Mode Key',
  'Latency Sensitivity',
  'Op Notification Timeout',
  'EnableUUID',
  'CBT',
  'Primary IP Address',
  'Network #1',
  'Network #2',
  'Network #3',
  'Network #4',
  'Network #5',
  'Network #6',
  'Network #7',
  'Network #8',
  'Num Monitors',
  'Video Ram KiB',
  'Resource pool',
  'Folder ID',
  'Folder',
  'vApp',
  'DAS protection',
  'FT State',
  'FT Role',
  'FT Latency',
  'FT Bandwidth',
  'FT Sec. Latency',
  'Vm Failover In Progress',
  'Provisioned MiB',
  'In Use MiB',
  'Unshared MiB',
  'HA Restart Priority',
  'HA Isolation Response',
  'HA VM Monitoring',
  'Cluster rule(s)',
  'Cluster rule name(s)',
  'Boot Required',
  'Boot delay',
  'Boot retry delay',
  'Boot retry enabled',
  'Boot BIOS setup',
  'Reboot PowerOff',
  'EFI Secure boot',
  'Firmware',
  'HW version',
  'HW upgrade status',
  'Annotation',
  ATTRS,
  'Datacenter',
  'Cluster',
  'Host',
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
] as const

const VCPU = [
  'VM',
  'Powerstate',
  'Template',
  'SRM Placeholder',
  'CPUs',
  'Sockets',
  'Cores p/s',
  'Max',
  'Overall',
  'Level',
  'Shares',
  'Reservation',
  'Entitlement',
  'DRS Entitlement',
  'Limit',
  'Hot Add',
  'Hot Remove',
  'Numa Hotadd Exposed',
  'Datacenter',
  'Cluster',
  'Host',
  'Folder',
  'OS according to the configuration file',
  'OS according to the VMware Tools',
] as const

const VMEMORY = [
  'VM',
  'Powerstate',
  'Template',
  'SRM Placeholder',
  'Size MiB',
  'Memory Reservation Locked To Max',
  'Overhead',
  'Max',
  'Consumed',
  'Consumed Overhead',
  'Private',
  'Shared',
  'Swapped',
  'Ballooned',
  'Active',
  'Entitlement',
  'DRS Entitlement',
  'Level',
  'Shares',
  'Reservation',
  'Limit',
  'Hot Add',
  'Annotation',
  ATTRS,
  'Datacenter',
  'Cluster',
  'Host',
  'Folder',
  'OS according to the configuration file',
  'OS according to the VMware Tools',
  'VM ID',
] as const

const VDISK = [
  'VM',
  'Powerstate',
  'Template',
  'SRM Placeholder',
  'Disk',
  'Disk Key',
  'Disk UUID',
  'Disk Path',
  'Capacity MiB',
  'Raw',
  'Disk Mode',
  'Sharing mode',
  'Thin',
  'Eagerly Scrub',
  'Split',
  'Write Through',
  'Level',
  'Shares',
  'Reservation',
  'Limit',
  'Controller',
  'Label',
  'SCSI Unit #',
  'Unit #',
  'Shared Bus',
  'Raw LUN ID',
  'Raw Comp. Mode',
  'Annotation',
  ATTRS,
  'Datacenter',
  'Cluster',
  'Host',
  'Folder',
  'OS according to the configuration file',
  'OS according to the VMware Tools',
  'VM ID',
] as const

const VPARTITION = [
  'VM',
  'Powerstate',
  'Template',
  'SRM Placeholder',
  'Disk Key',
  'Disk',
  'Capacity MiB',
  'Consumed MiB',
  'Free MiB',
  'Free %',
  'Datacenter',
  'Cluster',
  'Host',
  'OS according to the configuration file',
  'OS according to the VMware Tools',
] as const

/** Plausible reconstruction (no genuine 4.x vNetwork sample exists): see the module comment. */
const VNETWORK = [
  'VM',
  'Powerstate',
  'Template',
  'SRM Placeholder',
  'NIC label',
  'Adapter',
  'Network',
  'Switch',
  'Connected',
  'Starts Connected',
  'Mac Address',
  'Type',
  'IPv4 Address',
  'IPv6 Address',
  'Direct Path IO',
  'Annotation',
  ATTRS,
  'Datacenter',
  'Cluster',
  'Host',
  'Folder',
  'OS according to the configuration file',
  'OS according to the VMware Tools',
  'VM ID',
  'VM UUID',
  'VI SDK Server',
  'VI SDK UUID',
] as const

const VHOST = [
  'Host',
  'Datacenter',
  'Cluster',
  'Config status',
  'Compliance Check State',
  'in Maintenance Mode',
  'in Quarantine Mode',
  'vSAN Fault Domain Name',
  'CPU Model',
  'Speed',
  'HT Available',
  'HT Active',
  '# CPU',
  'Cores per CPU',
  '# Cores',
  'CPU usage %',
  '# Memory',
  'Memory Tiering Type',
  'Memory usage %',
  'Console',
  '# NICs',
  '# HBAs',
  '# VMs total',
  '# VMs',
  'VMs per Core',
  '# vCPUs',
  'vCPUs per Core',
  'vRAM',
  'VM Used memory',
  'VM Memory Swapped',
  'VM Memory Ballooned',
  'VMotion support',
  'Storage VMotion support',
  'Current EVC',
  'Max EVC',
  'ATS Heartbeat',
  'ATS Locking',
  'Current CPU power man. policy',
  'Supported CPU power man.',
  'Host Power Policy',
  'Boot time',
  'DNS Servers',
  'DHCP',
  'NTPD running',
  'Time Zone',
  'Time Zone Name',
  'GMT Offset',
  'Vendor',
  'Model',
] as const

const VMETADATA = ['RVTools major version', 'RVTools version', 'xlsx creation datetime', 'Server'] as const

const TF = (b: boolean): string => (b ? 'True' : 'False')
const HOST_CORES = 40
const HOST_MEMORY_MIB = 786_432
const HOST_MHZ = 2494

/** Header of a sheet with the custom-attribute placeholder expanded. */
function expand(header: readonly string[], attrs: readonly string[]): string[] {
  return header.flatMap((h) => (h === ATTRS ? [...attrs] : [h]))
}

function day(iso: string): Date {
  return new Date(Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : iso))
}

/** A deterministic pseudo-UUID from text (for disks, the vCenter, …). */
function uuidFrom(text: string, prefix = ''): string {
  let h = prefix
  for (let i = 0; h.length < 32; i++) h += hash32(`${text}#${i}`).toString(16).padStart(8, '0')
  h = h.slice(0, 32)
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`
}

/** vCenter's instance UUID of a VM (RVTools `VM UUID`): derived from its BIOS UUID, 50… like vCenter's. */
export function instanceUuid(vm: SynthServer): string {
  return uuidFrom(`${vm.uuid}/instance`, '50')
}

/** The port group a VM's address lives on. */
export function portGroup(vm: SynthServer): string {
  if (!vm.ip) return 'VM Network'
  const [a, b, c] = vm.ip.split('.')
  return `PG-${vm.environment === 'prod' || vm.tier === 'shared' ? 'Prod' : 'NonProd'}-${a}.${b}.${c}.0_24`
}

/** RVTools sheets of an estate. Rows are produced lazily from the estate's servers and templates. */
export function rvtoolsSheets(estate: SynthEstate, options: RvtoolsOptions = {}): RvSheet[] {
  const vms: readonly SynthServer[] = [...estate.servers, ...(estate.templates ?? [])]
  const attrs = options.customAttributes ?? attributeKeys(vms)
  const vcenter = estate.options.vcenter
  const vcenterUuid = uuidFrom(vcenter)
  const exportTime = day(estate.options.windowEnd)
  const sdkType = 'VMware vCenter Server 8.0.2 build-22617221'
  const sdkApi = '8.0.2.0'

  const common = (vm: SynthServer): Record<string, RvCell> => {
    const os = vm.osId ? OS_CATALOG[vm.osId] : undefined
    const on = vm.powerState === 'on'
    const values: Record<string, RvCell> = {
      VM: vm.name,
      Powerstate: on ? 'poweredOn' : 'poweredOff',
      Template: TF(vm.template === true),
      'SRM Placeholder': 'False',
      Datacenter: vm.datacenter,
      Cluster: vm.cluster,
      Host: vm.host ?? '',
      Folder: vm.folder,
      'OS according to the configuration file': os?.configName ?? vm.osName,
      // The running guest reports itself only while VMware Tools run.
      'OS according to the VMware Tools': on ? vm.osName : '',
      'VM ID': vm.moref,
      // RVTools 4.4+: `SMBIOS UUID` is the BIOS UUID (config.uuid, what the guest reads), `VM UUID`
      // the vCenter instance UUID (config.instanceUuid, 50… by convention).
      'SMBIOS UUID': vm.uuid,
      'VM UUID': instanceUuid(vm),
      'VI SDK Server': vcenter,
      'VI SDK UUID': vcenterUuid,
      Annotation: vm.annotation ?? '',
    }
    for (const a of attrs) values[a] = vm.attributes?.[a] ?? ''
    return values
  }

  // Rows are filled through a column index: merging ~90-key objects per row made the GC the bottleneck.
  const indexes = new Map<readonly string[], Map<string, number>>()
  const row = (header: readonly string[], vm: SynthServer | undefined, values: Record<string, RvCell>): RvCell[] => {
    let ix = indexes.get(header)
    if (!ix) {
      ix = new Map(header.map((h, i) => [h, i]))
      indexes.set(header, ix)
    }
    const out = new Array<RvCell>(header.length)
    const fill = (from: Record<string, RvCell>): void => {
      for (const k in from) {
        const i = ix.get(k)
        if (i !== undefined) out[i] = from[k]
      }
    }
    if (vm) fill(common(vm))
    fill(values)
    return out
  }
  const live = (vm: SynthServer): boolean => vm.powerState === 'on'

  const sheets: Record<RvSheetName, () => RvSheet> = {
    vInfo: () => {
      const header = expand(VINFO, attrs)
      return {
        name: 'vInfo',
        header,
        *rows() {
          for (const vm of vms) {
            const on = live(vm)
            const os = vm.osId ? OS_CATALOG[vm.osId] : undefined
            const created = day(vm.created ?? '2024-01-01')
            const diskMib = vm.disksGib.reduce((s, g) => s + g, 0) * 1024
            const partMib = Math.round((vm.partitions ?? []).reduce((s, p) => s + p.capacityGib, 0) * 1024)
            const usedMib = Math.round(vm.usedGib * 1024)
            const modern = os ? !/2008|2012|centos6|rhel7|centos7|sles12/i.test(os.id) : true
            const memActive =
              on && vm.utilisation.memoryPct.avg !== undefined ? Math.round((vm.memoryMib * vm.utilisation.memoryPct.avg) / 200) : 0
            yield row(header, vm, {
              'Config status': 'green',
              'DNS Name': on ? vm.fqdn : '',
              'Connection state': 'connected',
              'Guest state': on ? 'running' : 'notRunning',
              Heartbeat: on ? 'green' : 'gray',
              'Consolidation Needed': 'False',
              PowerOn: on ? new Date(exportTime.getTime() - (hash32(vm.name) % 90) * 86_400_000 - 3_600_000) : '',
              'Suspended To Memory': '',
              'Suspend time': '',
              'Suspend Interval': 0,
              'Creation date': created,
              'Change Version': new Date(created.getTime() + (hash32(`${vm.name}/cv`) % 300) * 86_400_000),
              CPUs: vm.vcpus,
              'Overall Cpu Readiness': '',
              Memory: vm.memoryMib,
              'Active Memory': memActive,
              NICs: 1,
              Disks: vm.disksGib.length,
              'Total disk capacity MiB': on ? partMib : 0,
              'Fixed Passthru HotPlug': 'False',
              'min Required EVC Mode Key': '',
              'Latency Sensitivity': 'normal',
              'Op Notification Timeout': '',
              EnableUUID: '',
              CBT: 'True',
              'Primary IP Address': on ? vm.ip : '',
              'Network #1': portGroup(vm),
              'Network #2': '',
              'Network #3': '',
              'Network #4': '',
              'Network #5': '',
              'Network #6': '',
              'Network #7': '',
              'Network #8': '',
              'Num Monitors': 1,
              'Video Ram KiB': 8192,
              'Resource pool': `/${vm.datacenter}/${vm.cluster}/Resources`,
              'Folder ID': `group-v${1000 + (hash32(vm.folder) % 9000)}`,
              vApp: '',
              'DAS protection': '',
              'FT State': 'notConfigured',
              'FT Role': '',
              'FT Latency': 'gray',
              'FT Bandwidth': -1,
              'FT Sec. Latency': -1,
              'Vm Failover In Progress': '',
              'Provisioned MiB': diskMib + (on ? vm.memoryMib : 0),
              'In Use MiB': usedMib + (on ? vm.memoryMib : 0),
              'Unshared MiB': usedMib,
              'HA Restart Priority': 'medium',
              'HA Isolation Response': 'none',
              'HA VM Monitoring': 'vmMonitoringDisabled',
              'Cluster rule(s)': '',
              'Cluster rule name(s)': '',
              'Boot Required': 'False',
              'Boot delay': 0,
              'Boot retry delay': 10000,
              'Boot retry enabled': 'False',
              'Boot BIOS setup': 'False',
              'Reboot PowerOff': 'False',
              'EFI Secure boot': TF(modern && vm.osFamily === 'windows'),
              Firmware: modern ? 'efi' : 'bios',
              'HW version': modern ? 19 : 13,
              'HW upgrade status': 'none',
              'Customization Info': '',
              'Guest Detailed Data': on ? (os?.detailed ?? '') : '',
              'VI SDK Server type': sdkType,
              'VI SDK API Version': sdkApi,
            })
          }
        },
      }
    },
    vCPU: () => ({
      name: 'vCPU',
      header: [...VCPU],
      *rows() {
        for (const vm of vms) {
          const on = live(vm)
          const cores = vm.vcpus >= 8 && vm.vcpus % 2 === 0 ? 2 : 1
          const max = vm.vcpus * HOST_MHZ
          const used = on ? Math.round((max * (vm.utilisation.cpuPct.avg ?? 0)) / 100) : 0
          yield row(VCPU, vm, {
            CPUs: vm.vcpus,
            Sockets: vm.vcpus / cores,
            'Cores p/s': cores,
            Max: on ? max : 0,
            Overall: used,
            Level: 'normal',
            Shares: vm.vcpus * 1000,
            Reservation: 0,
            Entitlement: used,
            'DRS Entitlement': used,
            Limit: -1,
            'Hot Add': 'False',
            'Hot Remove': 'False',
            'Numa Hotadd Exposed': 'False',
          })
        }
      },
    }),
    vMemory: () => {
      const header = expand(VMEMORY, attrs)
      return {
        name: 'vMemory',
        header,
        *rows() {
          for (const vm of vms) {
            const on = live(vm)
            const pct = on ? (vm.utilisation.memoryPct.avg ?? 0) : 0
            const consumed = Math.round((vm.memoryMib * Math.min(100, pct * 1.2)) / 100)
            const active = Math.round((vm.memoryMib * pct) / 200)
            yield row(header, vm, {
              'Size MiB': vm.memoryMib,
              'Memory Reservation Locked To Max': 'False',
              Overhead: on ? Math.round(30 + vm.memoryMib / 200) : 0,
              Max: vm.memoryMib,
              Consumed: consumed,
              'Consumed Overhead': on ? 40 : 0,
              Private: Math.round(consumed * 0.97),
              Shared: Math.round(consumed * 0.03),
              Swapped: 0,
              Ballooned: 0,
              Active: active,
              Entitlement: on ? vm.memoryMib : 0,
              'DRS Entitlement': consumed,
              Level: 'normal',
              Shares: vm.memoryMib * 10,
              Reservation: 0,
              Limit: -1,
              'Hot Add': 'False',
            })
          }
        },
      }
    },
    vDisk: () => {
      const header = expand(VDISK, attrs)
      return {
        name: 'vDisk',
        header,
        *rows() {
          for (const vm of vms) {
            const windows = vm.osFamily === 'windows'
            for (const [i, gib] of vm.disksGib.entries()) {
              yield row(header, vm, {
                Disk: `Hard disk ${i + 1}`,
                'Disk Key': 2000 + i,
                'Disk UUID': uuidFrom(`${vm.uuid}/disk${i}`, '6000C29').replace(/^(.{8})/, (m) => m.toUpperCase()),
                'Disk Path': `[${vm.cluster.toLowerCase()}-ds${(hash32(vm.name) % 8) + 1}] ${vm.name}/${vm.name}${i === 0 ? '' : `_${i}`}.vmdk`,
                'Capacity MiB': gib * 1024,
                Raw: 'False',
                'Disk Mode': 'persistent',
                'Sharing mode': 'sharingNone',
                Thin: TF(vm.tier !== 'db'),
                'Eagerly Scrub': 'False',
                Split: 'False',
                'Write Through': 'False',
                Level: 'normal',
                Shares: 1000,
                Reservation: 0,
                Limit: -1,
                Controller: windows ? 'LSI Logic SAS' : 'VMware paravirtual SCSI',
                Label: 'SCSI controller 0',
                'SCSI Unit #': 7,
                'Unit #': i,
                'Shared Bus': 'noSharing',
                'Raw LUN ID': '',
                'Raw Comp. Mode': '',
              })
            }
          }
        },
      }
    },
    vPartition: () => ({
      name: 'vPartition',
      header: [...VPARTITION],
      *rows() {
        // Partitions are reported by VMware Tools, so only running guests have them.
        for (const vm of vms) {
          if (!live(vm)) continue
          for (const p of vm.partitions ?? []) {
            const cap = Math.round(p.capacityGib * 1024)
            const used = Math.round(p.usedGib * 1024)
            yield row(VPARTITION, vm, {
              'Disk Key': '',
              Disk: p.mount,
              'Capacity MiB': cap,
              'Consumed MiB': used,
              'Free MiB': cap - used,
              'Free %': cap > 0 ? Math.round(((cap - used) / cap) * 100) : 0,
            })
          }
        }
      },
    }),
    vNetwork: () => {
      const header = expand(VNETWORK, attrs)
      return {
        name: 'vNetwork',
        header,
        *rows() {
          for (const vm of vms) {
            const on = live(vm)
            yield row(header, vm, {
              'NIC label': 'Network adapter 1',
              Adapter: vm.osFamily === 'windows' && /2008/.test(vm.osName) ? 'E1000E' : 'Vmxnet3',
              Network: portGroup(vm),
              Switch: `dvs-${vm.datacenter.toLowerCase()}`,
              Connected: TF(on),
              'Starts Connected': 'True',
              'Mac Address': vm.mac,
              Type: 'assigned',
              'IPv4 Address': on ? vm.ip : '',
              'IPv6 Address': '',
              'Direct Path IO': 'False',
            })
          }
        },
      }
    },
    vHost: () => ({
      name: 'vHost',
      header: [...VHOST],
      *rows() {
        const hosts = new Map<
          string,
          {dc: string; cluster: string; vms: number; on: number; vcpus: number; vram: number; used: number; cpuMhz: number}
        >()
        for (const vm of vms) {
          if (!vm.host) continue
          const h = hosts.get(vm.host) ?? {dc: vm.datacenter, cluster: vm.cluster, vms: 0, on: 0, vcpus: 0, vram: 0, used: 0, cpuMhz: 0}
          h.vms++
          if (live(vm)) {
            h.on++
            h.vcpus += vm.vcpus
            h.vram += vm.memoryMib
            h.used += Math.round((vm.memoryMib * (vm.utilisation.memoryPct.avg ?? 0)) / 100)
            h.cpuMhz += (vm.vcpus * HOST_MHZ * (vm.utilisation.cpuPct.avg ?? 0)) / 100
          }
          hosts.set(vm.host, h)
        }
        const dns = estate.servers
          .filter((s) => s.service === 'dns' || s.service === 'ad')
          .slice(0, 2)
          .map((s) => s.ip)
          .join(', ')
        for (const [name, h] of [...hosts].sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
          yield row(VHOST, undefined, {
            Host: name,
            Datacenter: h.dc,
            Cluster: h.cluster,
            'Config status': 'green',
            'Compliance Check State': '',
            'in Maintenance Mode': 'False',
            'in Quarantine Mode': 'False',
            'vSAN Fault Domain Name': '',
            'CPU Model': 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
            Speed: HOST_MHZ,
            'HT Available': 'True',
            'HT Active': 'True',
            '# CPU': 2,
            'Cores per CPU': HOST_CORES / 2,
            '# Cores': HOST_CORES,
            'CPU usage %': Math.min(100, Math.round((h.cpuMhz / (HOST_CORES * HOST_MHZ)) * 100 + 2)),
            '# Memory': HOST_MEMORY_MIB,
            'Memory Tiering Type': 'noTiering',
            'Memory usage %': Math.min(100, Math.round((h.used / HOST_MEMORY_MIB) * 100 + 3)),
            Console: 0,
            '# NICs': 4,
            '# HBAs': 2,
            '# VMs total': h.vms,
            '# VMs': h.on,
            'VMs per Core': Math.round((h.on / HOST_CORES) * 1000) / 1000,
            '# vCPUs': h.vcpus,
            'vCPUs per Core': Math.round((h.vcpus / HOST_CORES) * 1000) / 1000,
            vRAM: h.vram,
            'VM Used memory': h.used,
            'VM Memory Swapped': 0,
            'VM Memory Ballooned': 0,
            'VMotion support': 'True',
            'Storage VMotion support': 'True',
            'Current EVC': '',
            'Max EVC': 'intel-cascadelake',
            'ATS Heartbeat': 1,
            'ATS Locking': 1,
            'Current CPU power man. policy': 'Balanced',
            'Supported CPU power man.': 'ACPI C-states',
            'Host Power Policy': 'dynamic',
            'Boot time': new Date(exportTime.getTime() - (40 + (hash32(name) % 60)) * 86_400_000),
            'DNS Servers': dns,
            DHCP: 'False',
            'NTPD running': 'True',
            'Time Zone': 'UTC',
            'Time Zone Name': 'UTC',
            'GMT Offset': 0,
            Vendor: 'Dell Inc.',
            Model: 'PowerEdge R740',
          })
        }
      },
    }),
    vMetaData: () => ({
      name: 'vMetaData',
      header: [...VMETADATA],
      *rows() {
        const version = options.rvtoolsVersion ?? '4.6.1.0'
        yield [Number(version.split('.')[0]), version, exportTime, vcenter]
      },
    }),
  }
  return (options.sheets ?? RV_SHEETS).map((name) => sheets[name]())
}

/** Custom-attribute keys of the VMs, in first-seen order. */
export function attributeKeys(vms: readonly SynthServer[]): string[] {
  const keys = new Set<string>()
  for (const vm of vms) for (const k of Object.keys(vm.attributes ?? {})) keys.add(k)
  return [...keys]
}
