/**
 * Collects the tabs of one RVTools export, in whatever order they arrive (an xlsx streams its
 * sheets in zip order, e.g. vPartition before vInfo), and emits one server record per VM once
 * everything is read. What it keeps is per VM: one record per vInfo row and, for every other
 * per-VM tab, one compact record per VM (its disks, partitions or NICs), never whole sheets.
 *
 * Joining a detail row to its vInfo row: by VM UUID, then by VI SDK Server + VM ID, then by
 * VI SDK Server + VM name (only when the two rows do not carry different IDs). A key that two
 * vInfo rows share joins nothing.
 */
import {isIP} from 'node:net'

import {UserInputError, type InputLocation} from '../errors.js'
import type {Architecture, Disk, Filesystem, Nic, OsFamily, PowerState, ServerFacts} from '../model/server.js'
import {normaliseUuid, usableIp} from '../workspace/identity.js'
import {osFamilyOf} from './agent.js'
import {
  AFTER_CUSTOM_ATTRIBUTES,
  COLS,
  VM_DETAIL_TABS,
  canonicalHeader,
  isPrefixedHeader,
  type RvTab,
  type VmDetailTab,
} from './rvtools-tabs.js'
import {Header, headerKey, isBlankRow, splitList, type Cell, type RowHandler} from './table.js'
import type {ImportSink, ReadResult, ServerRecordInput} from './types.js'

const MIB_PER_GIB = 1024
/** Individual notes of one kind before they are summarised. */
const NOTES_PER_CODE = 50

/** Facts every per-VM tab repeats; vInfo's win, the others fill gaps (a short vInfo row). */
interface Common {
  power?: PowerState
  datacenter?: string
  cluster?: string
  host?: string
  folder?: string
  osConfig?: string
  osTools?: string
  annotation?: string
  tags?: Record<string, string>
}

interface VmRow extends Common {
  readonly ref: string
  readonly name: string
  readonly vc?: string
  readonly vmId?: string
  readonly vmUuid?: string
  readonly smbiosUuid?: string
  readonly template: boolean
  readonly srm: boolean
  readonly dns?: string
  readonly primaryIp?: string
  readonly pool?: string
  readonly firmware?: string
  readonly cpus?: number
  readonly memoryMib?: number
  readonly provisionedMib?: number
  readonly inUseMib?: number
  readonly totalDiskMib?: number
  /** Detail records joined to this VM, in tab precedence then row order. Filled by finish(). */
  details?: Detail[]
}

/** What one per-VM tab says about one VM (all of its rows in that tab). */
interface Detail extends Common {
  readonly tab: VmDetailTab
  readonly ref: string
  readonly name: string
  readonly vc?: string
  readonly vmId?: string
  readonly vmUuid?: string
  cpus?: number
  sockets?: number
  memoryMib?: number
  disks?: Disk[]
  filesystems?: Filesystem[]
  nics?: Nic[]
}

interface HostInfo {
  readonly cpuModel?: string
  readonly mhz?: number
  readonly esxVersion?: string
}

/** Column positions shared by the per-VM tabs, resolved once per sheet. */
interface VmCols {
  readonly vm: number
  readonly vmId: number
  readonly vmUuid: number
  readonly vc: number
  readonly power: number
  readonly datacenter: number
  readonly cluster: number
  readonly host: number
  readonly folder: number
  readonly osConfig: number
  readonly osTools: number
  readonly annotation: number
  readonly tags: readonly {readonly name: string; readonly col: number}[]
}

/** Where a table came from, for messages. */
export interface TableSource {
  readonly file: string
  /** Sheet name (xlsx only). */
  readonly sheet?: string
  /** Numbers use a decimal comma (semicolon-delimited CSV). */
  readonly decimalComma?: boolean
}

export class RvToolsCollector {
  private readonly vms: VmRow[] = []
  /**
   * Set by {@link streamVms}: each vInfo row is emitted as it is read instead of kept until
   * finish(). Kept, 100,000 VMs were about 150 MB that every young-generation collection of the
   * import copied once more, then promoted.
   */
  private streaming = false
  /** VMs read from vInfo (kept or emitted). */
  private vmRows = 0
  /** VM names seen per vCenter, to note duplicates (emit()). */
  private readonly vmNames = new Map<string, number>()
  /**
   * Notes of emit() while streaming, and their counts per code: sunk and counted at finish(),
   * where the kept VMs' notes come, so that notes and their summaries keep the same order.
   */
  private readonly emitNotes: {code: string; message: string; ref: string}[] = []
  private readonly emitCounts = new Map<string, number>()
  /** The vCenter of the rows that name none: the only one vSource lists (set at the first emit() when there is one). */
  private defaultVc: string | undefined
  private readonly details = new Map<VmDetailTab, Map<string, Detail>>(VM_DETAIL_TABS.map((t) => [t, new Map()]))
  /** Host name (full and short, lower case) → host; null when two hosts share the key. */
  private readonly hosts = new Map<string, HostInfo | null>()
  private readonly sourceServers = new Set<string>()
  private readonly noteCounts = new Map<string, number>()
  private readonly seenTabs = new Set<RvTab>()
  private observedAt: string | undefined
  private rows = 0

  constructor(private readonly sink: ImportSink) {}

  /** A row handler for one table, or undefined to skip it (not a tab the importer reads, or seen already). */
  table(tab: RvTab | undefined, names: readonly string[], source: TableSource): RowHandler | undefined {
    if (!tab || this.seenTabs.has(tab)) return undefined
    this.seenTabs.add(tab)
    const lookupNames = isPrefixedHeader(tab, names) ? canonicalHeader(tab, names) : names
    const location: InputLocation = source.sheet ? {file: source.file, sheet: source.sheet} : {file: source.file}
    // Messages name the file's own headers; lookups use the workbook names.
    const h = new Header(names, location, source.decimalComma ?? false)
    const lookup = lookupNames === names ? h : new Header(lookupNames, location)
    switch (tab) {
      case 'vInfo':
        return this.vInfo(h, lookup)
      case 'vCPU':
      case 'vMemory':
      case 'vDisk':
      case 'vPartition':
      case 'vNetwork':
        return this.detailTab(tab, h, lookup)
      case 'vHost':
        return this.vHost(h, lookup)
      case 'vMetaData':
        return this.vMetaData(h, lookup)
      case 'vSource':
        return this.vSource(h, lookup)
    }
  }

  /**
   * Emit every VM as its vInfo row is read. Only for an export whose vInfo comes after every
   * other tab it has and which has no per-VM tab (vCPU, vDisk …): those are joined to vInfo rows
   * only once all of them are known. Gives the same records, notes and order as keeping them.
   */
  streamVms(): void {
    if (this.seenTabs.has('vInfo') || [...this.details.values()].some((m) => m.size > 0))
      throw new Error('streamVms() is for a vInfo read after every other tab, with no per-VM tab')
    this.streaming = true
  }

  /** Whether a table of this tab was read (its header seen). */
  saw(tab: RvTab): boolean {
    return this.seenTabs.has(tab)
  }

  private tick(): void {
    if ((++this.rows & 0xfff) === 0) this.sink.progress(this.rows)
  }

  private note(code: string, message: string, ref?: string): void {
    const n = (this.noteCounts.get(code) ?? 0) + 1
    this.noteCounts.set(code, n)
    if (n <= NOTES_PER_CODE) this.sink.note(ref ? {code, message, ref} : {code, message})
  }

  private vmCols(h: Header, lookup: Header): VmCols {
    const annotation = lookup.col(...COLS.annotation)
    const tags: {name: string; col: number}[] = []
    if (annotation >= 0) {
      // vCenter custom attributes: the columns between Annotation and the standard tail (Datacenter …).
      const keys = lookup.names.map(headerKey)
      const end = keys.findIndex((k, i) => i > annotation && AFTER_CUSTOM_ATTRIBUTES.has(k))
      if (end > annotation) {
        for (let i = annotation + 1; i < end; i++) {
          const name = h.names[i]?.trim()
          if (name) tags.push({name, col: i})
        }
      }
    }
    return {
      vm: lookup.col(...COLS.vm),
      vmId: lookup.col(...COLS.vmId),
      vmUuid: lookup.col(...COLS.vmUuid),
      vc: lookup.col(...COLS.viServer),
      power: lookup.col(...COLS.power),
      datacenter: lookup.col(...COLS.datacenter),
      cluster: lookup.col(...COLS.cluster),
      host: lookup.col(...COLS.host),
      folder: lookup.col(...COLS.folder),
      osConfig: lookup.col(...COLS.osConfig),
      osTools: lookup.col(...COLS.osTools),
      annotation,
      tags,
    }
  }

  /** Reads the facts every per-VM tab repeats into `into`. */
  private readCommon(h: Header, c: VmCols, cells: readonly Cell[], into: Common): void {
    into.power = powerStateOf(h.str(cells, c.power))
    into.datacenter = h.str(cells, c.datacenter)
    into.cluster = h.str(cells, c.cluster)
    into.host = h.str(cells, c.host)
    into.folder = h.str(cells, c.folder)
    into.osConfig = h.str(cells, c.osConfig)
    into.osTools = h.str(cells, c.osTools)
    into.annotation = h.str(cells, c.annotation)
    for (const t of c.tags) {
      const v = h.str(cells, t.col)
      if (v !== undefined) (into.tags ??= {})[t.name] = v
    }
  }

  private noName(tab: RvTab, cells: readonly Cell[], row: number): void {
    if (isBlankRow(cells)) return // formatted-but-empty rows
    this.note('RVTOOLS_NO_VM_NAME', `${tab} row ${row} has data but no VM name; skipped`, `${tab}!${row}`)
  }

  private vInfo(h: Header, lookup: Header): RowHandler {
    if (h.location.sheet !== undefined && !h.names.some((n) => /[a-z]/i.test(n))) {
      // Every header cell is a shared string; none came through (ExcelJS's streaming reader can lose them).
      throw new UserInputError(
        'RVTOOLS_HEADER_UNREAD',
        "the vInfo header row has no text: the workbook's shared strings could not be read",
        {
          location: h.at(1, 0),
          hint: 'Open the workbook in Excel and save it again as "Excel Workbook (.xlsx)", or export its tabs as CSV files into one folder.',
        },
      )
    }
    const req = lookup.require({vm: COLS.vm, cpus: COLS.cpus, memory: COLS.memory})
    const c = this.vmCols(h, lookup)
    const template = lookup.col(...COLS.template)
    const srm = lookup.col(...COLS.srm)
    const smbios = lookup.col(...COLS.smbiosUuid)
    const dns = lookup.col(...COLS.dns)
    const primaryIp = lookup.col(...COLS.primaryIp)
    const pool = lookup.col(...COLS.pool)
    const firmware = lookup.col(...COLS.firmware)
    const provisioned = lookup.col(...COLS.provisioned)
    const inUse = lookup.col(...COLS.inUse)
    const totalDisk = lookup.col(...COLS.totalDisk)
    const size = {min: 0}
    return (cells, row) => {
      this.tick()
      const name = h.str(cells, req.vm)
      if (name === undefined) return this.noName('vInfo', cells, row)
      const vm: VmRow = {
        ref: `vInfo!${row}`,
        name,
        vc: h.str(cells, c.vc),
        vmId: h.str(cells, c.vmId),
        vmUuid: h.str(cells, c.vmUuid)?.toLowerCase(),
        smbiosUuid: h.str(cells, smbios),
        template: h.bool(cells, template) === true,
        srm: h.bool(cells, srm) === true,
        dns: h.str(cells, dns),
        primaryIp: h.str(cells, primaryIp),
        pool: h.str(cells, pool),
        firmware: h.str(cells, firmware),
        cpus: h.num(cells, req.cpus, row, {min: 0, integer: true}),
        memoryMib: h.num(cells, req.memory, row, size),
        provisionedMib: h.num(cells, provisioned, row, size),
        inUseMib: h.num(cells, inUse, row, size),
        totalDiskMib: h.num(cells, totalDisk, row, size),
      }
      this.readCommon(h, c, cells, vm)
      this.vmRows++
      if (this.streaming) this.emit(vm)
      else this.vms.push(vm)
    }
  }

  /** The record of `tab` for the VM of this row: one per VM, however many rows the VM has there. */
  private detailFor(tab: VmDetailTab, h: Header, c: VmCols, cells: readonly Cell[], name: string, row: number): Detail {
    const vc = h.str(cells, c.vc)
    const vmId = h.str(cells, c.vmId)
    const vmUuid = h.str(cells, c.vmUuid)?.toLowerCase()
    const key = vmUuid ? `u:${vmUuid}` : vmId ? `i:${vc ?? ''}|${vmId}` : `n:${vc ?? ''}|${name}`
    const store = this.details.get(tab)!
    let d = store.get(key)
    if (!d) {
      d = {tab, ref: `${tab}!${row}`, name, vc, vmId, vmUuid}
      this.readCommon(h, c, cells, d)
      store.set(key, d)
    }
    return d
  }

  private detailTab(tab: VmDetailTab, h: Header, lookup: Header): RowHandler | undefined {
    const c = this.vmCols(h, lookup)
    if (c.vm < 0) {
      this.note('RVTOOLS_TAB_SKIPPED', `${tab} has no VM column, so its rows cannot be matched to VMs; tab skipped`)
      return undefined
    }
    const size = {min: 0}
    const each = (read: (d: Detail, cells: readonly Cell[], row: number) => void): RowHandler => {
      return (cells, row) => {
        this.tick()
        const name = h.str(cells, c.vm)
        if (name === undefined) return this.noName(tab, cells, row)
        read(this.detailFor(tab, h, c, cells, name, row), cells, row)
      }
    }
    switch (tab) {
      case 'vCPU': {
        const cpus = lookup.col(...COLS.cpus)
        const sockets = lookup.col(...COLS.sockets)
        return each((d, cells, row) => {
          d.cpus ??= h.num(cells, cpus, row, {min: 0, integer: true})
          d.sockets ??= h.num(cells, sockets, row, {min: 0, integer: true})
        })
      }
      case 'vMemory': {
        const sizeCol = lookup.col(...COLS.size)
        return each((d, cells, row) => {
          d.memoryMib ??= h.num(cells, sizeCol, row, size)
        })
      }
      case 'vDisk': {
        const disk = lookup.col(...COLS.disk)
        const capacity = lookup.col(...COLS.capacity)
        const thin = lookup.col(...COLS.thin)
        return each((d, cells, row) => {
          const mib = h.num(cells, capacity, row, size)
          const t = h.bool(cells, thin)
          const out: {name: string; sizeGib?: number; thin?: boolean} = {name: h.str(cells, disk) ?? `disk ${(d.disks?.length ?? 0) + 1}`}
          if (mib !== undefined) out.sizeGib = mib / MIB_PER_GIB
          if (t !== undefined) out.thin = t
          ;(d.disks ??= []).push(out)
        })
      }
      case 'vPartition': {
        const disk = lookup.col(...COLS.disk)
        const capacity = lookup.col(...COLS.capacity)
        const consumed = lookup.col(...COLS.consumed)
        const free = lookup.col(...COLS.free)
        return each((d, cells, row) => {
          const mount = h.str(cells, disk)
          if (mount === undefined) return
          const cap = h.num(cells, capacity, row, size)
          const freeMib = h.num(cells, free, row, size)
          const used =
            h.num(cells, consumed, row, size) ?? (cap !== undefined && freeMib !== undefined ? Math.max(0, cap - freeMib) : undefined)
          const out: {mount: string; sizeGib?: number; usedGib?: number} = {mount}
          if (cap !== undefined) out.sizeGib = cap / MIB_PER_GIB
          if (used !== undefined) out.usedGib = used / MIB_PER_GIB
          ;(d.filesystems ??= []).push(out)
        })
      }
      case 'vNetwork': {
        const label = lookup.col(...COLS.nicLabel)
        const adapter = lookup.col(...COLS.adapter)
        const network = lookup.col(...COLS.network)
        const mac = lookup.col(...COLS.mac)
        const ipv4 = lookup.col(...COLS.ipv4)
        const ipv6 = lookup.col(...COLS.ipv6)
        return each((d, cells) => {
          const ips = [...splitList(h.str(cells, ipv4)), ...splitList(h.str(cells, ipv6))].filter((ip) => isIP(ip) !== 0)
          const m = normaliseMac(h.str(cells, mac))
          const nicName = h.str(cells, label) ?? h.str(cells, adapter)
          const net = h.str(cells, network)
          const out: {name?: string; mac?: string; ips: string[]; network?: string} = {ips}
          if (nicName !== undefined) out.name = nicName
          if (m !== undefined) out.mac = m
          if (net !== undefined) out.network = net
          ;(d.nics ??= []).push(out)
        })
      }
    }
  }

  private vHost(h: Header, lookup: Header): RowHandler | undefined {
    const host = lookup.col(...COLS.host)
    if (host < 0) return undefined
    const model = lookup.col(...COLS.cpuModel)
    const speed = lookup.col(...COLS.speed)
    const esx = lookup.col(...COLS.esxVersion)
    return (cells, row) => {
      this.tick()
      const name = h.str(cells, host)?.toLowerCase()
      if (name === undefined) return
      const info: HostInfo = {cpuModel: h.str(cells, model), mhz: h.num(cells, speed, row, {min: 0}), esxVersion: h.str(cells, esx)}
      const keys = [name]
      const short = shortName(name)
      if (short !== undefined && short !== name) keys.push(short)
      for (const k of keys) this.hosts.set(k, this.hosts.has(k) ? null : info)
    }
  }

  private vMetaData(h: Header, lookup: Header): RowHandler | undefined {
    const created = lookup.col(...COLS.metaCreated)
    if (created < 0) return undefined
    return (cells) => {
      this.observedAt ??= h.date(cells, created)
    }
  }

  private vSource(h: Header, lookup: Header): RowHandler | undefined {
    const server = lookup.col(...COLS.viServer)
    if (server < 0) return undefined
    return (cells) => {
      const s = h.str(cells, server)
      if (s !== undefined) this.sourceServers.add(s)
    }
  }

  private hostInfo(name: string | undefined): HostInfo | undefined {
    if (name === undefined || this.hosts.size === 0) return undefined
    const k = name.toLowerCase()
    const hit = this.hosts.get(k) ?? this.hosts.get(shortName(k) ?? k)
    return hit ?? undefined
  }

  /** Join the tabs, emit one server per VM (templates and SRM placeholders skipped), return the export's date. */
  finish(): ReadResult {
    if (this.vmRows === 0) this.note('RVTOOLS_NO_VMS', 'vInfo has no VM rows: no VMs imported')
    // Only other tabs need the join index; a lone vInfo (the 100k-VM benchmark) skips building it.
    const hasDetails = [...this.details.values()].some((m) => m.size > 0)
    const index = hasDetails ? this.indexVms() : new Map<string, number>()
    for (const tab of VM_DETAIL_TABS) {
      let unmatched = 0
      const examples: string[] = []
      for (const d of this.details.get(tab)!.values()) {
        const i = this.lookup(index, d)
        if (i < 0) {
          unmatched++
          if (examples.length < 5) examples.push(d.name)
          continue
        }
        const vm = this.vms[i]!
        ;(vm.details ??= []).push(d)
      }
      if (unmatched > 0) {
        this.note(
          'RVTOOLS_UNMATCHED',
          `${unmatched} VM${unmatched > 1 ? 's' : ''} in ${tab} match no single vInfo row and were left out (${examples.join(', ')}${unmatched > examples.length ? ', …' : ''})`,
          tab,
        )
      }
    }
    for (const vm of this.vms) this.emit(vm)
    for (const note of this.emitNotes) this.sink.note(note)
    for (const [code, n] of this.emitCounts) this.noteCounts.set(code, n)
    for (const [code, n] of this.noteCounts) {
      if (n > NOTES_PER_CODE) this.sink.note({code, message: `… and ${n - NOTES_PER_CODE} more like this`})
    }
    this.sink.progress(this.rows)
    return this.observedAt ? {observedAt: this.observedAt} : {}
  }

  /** One VM's record to the sink (templates and SRM placeholders skipped); every sheet it needs has been read. */
  private emit(vm: VmRow): void {
    if (vm.template) {
      this.emitNote('RVTOOLS_TEMPLATE', `${vm.name} is a template, not a server; skipped`, vm.ref)
      return
    }
    if (vm.srm) {
      this.emitNote('RVTOOLS_SRM_PLACEHOLDER', `${vm.name} is an SRM placeholder (the protected VM lives elsewhere); skipped`, vm.ref)
      return
    }
    const defaultVc = (this.defaultVc ??= this.sourceServers.size === 1 ? [...this.sourceServers][0] : undefined)
    const nameKey = `${(vm.vc ?? defaultVc ?? '').toLowerCase()}|${vm.name}`
    const seen = (this.vmNames.get(nameKey) ?? 0) + 1
    this.vmNames.set(nameKey, seen)
    if (seen === 2) {
      this.emitNote(
        'RVTOOLS_DUPLICATE_NAME',
        `more than one VM is called ${vm.name}${vm.vc ? ` in ${vm.vc}` : ''}; without DNS names, IPs or SMBIOS UUIDs they may be merged into one server`,
        vm.ref,
      )
    }
    // The export's own date (vMetaData) is known: each record carries it.
    const record = this.record(vm, defaultVc)
    this.sink.server(this.observedAt ? {...record, observedAt: this.observedAt} : record)
  }

  private emitNote(code: string, message: string, ref: string): void {
    if (!this.streaming) return this.note(code, message, ref)
    const n = (this.emitCounts.get(code) ?? 0) + 1
    this.emitCounts.set(code, n)
    if (n <= NOTES_PER_CODE) this.emitNotes.push({code, message, ref})
  }

  /** Join keys of every vInfo row → its position, or -1 when two rows share the key. */
  private indexVms(): Map<string, number> {
    const index = new Map<string, number>()
    const put = (key: string, i: number): void => {
      index.set(key, index.has(key) ? -1 : i)
    }
    this.vms.forEach((vm, i) => {
      const vc = vm.vc?.toLowerCase() ?? ''
      if (vm.vmUuid) put(`u:${vm.vmUuid}`, i)
      if (vm.vmId) {
        put(`i:${vc}|${vm.vmId}`, i)
        if (vc) put(`i:*|${vm.vmId}`, i)
      }
      put(`n:${vc}|${vm.name}`, i)
      if (vc) put(`n:*|${vm.name}`, i)
    })
    return index
  }

  private lookup(index: Map<string, number>, d: Detail): number {
    const vc = d.vc?.toLowerCase() ?? ''
    const find = (kind: 'i' | 'n', value: string): number | undefined => {
      // A row that names its vCenter matches VMs of that vCenter, or VMs whose vCenter vInfo does not say.
      if (vc) return index.get(`${kind}:${vc}|${value}`) ?? index.get(`${kind}:|${value}`)
      return index.get(`${kind}:*|${value}`) ?? index.get(`${kind}:|${value}`)
    }
    if (d.vmUuid) {
      const i = index.get(`u:${d.vmUuid}`)
      if (i !== undefined && i >= 0) return i
    }
    if (d.vmId) {
      const i = find('i', d.vmId)
      if (i !== undefined && i >= 0) return i
    }
    const i = find('n', d.name)
    if (i === undefined || i < 0) return -1
    // By name only when the IDs do not contradict it (a short vInfo row may carry no ID at all).
    const vm = this.vms[i]!
    if (d.vmId && vm.vmId && d.vmId !== vm.vmId) return -1
    if (d.vmUuid && vm.vmUuid && d.vmUuid !== vm.vmUuid) return -1
    return i
  }

  private record(vm: VmRow, defaultVc: string | undefined): ServerRecordInput {
    const details = vm.details ?? []
    const pick = <K extends keyof Common>(k: K): Common[K] => {
      if (vm[k] !== undefined) return vm[k]
      for (const d of details) if (d[k] !== undefined) return d[k]
      return undefined
    }
    const fromTab = <K extends 'cpus' | 'sockets' | 'memoryMib'>(k: K): number | undefined => {
      for (const d of details) if (d[k] !== undefined) return d[k]
      return undefined
    }
    const disks: Disk[] = []
    const filesystems: Filesystem[] = []
    const nics: Nic[] = []
    let tags: Record<string, string> | undefined = vm.tags ? {...vm.tags} : undefined
    for (const d of details) {
      if (d.disks) disks.push(...d.disks)
      if (d.filesystems) filesystems.push(...d.filesystems)
      if (d.nics) nics.push(...d.nics)
      if (d.tags) for (const [k, v] of Object.entries(d.tags)) if (!(tags ??= {})[k]) tags[k] = v
    }

    // A short vInfo row may lack the VM ID; the tabs joined to it carry it, with their vCenter.
    const idFrom = vm.vmId !== undefined ? vm : (details.find((d) => d.vmId !== undefined) ?? vm)
    // The two OS columns are one pair: a detail tab's only when vInfo has neither (a short row).
    const vInfoOs = vm.osTools !== undefined || vm.osConfig !== undefined
    const osTools = vInfoOs ? vm.osTools : pick('osTools')
    const osConfig = vInfoOs ? vm.osConfig : pick('osConfig')
    const osName = osTools ?? osConfig
    const hostSystem = pick('host')
    const host = this.hostInfo(hostSystem)
    const dns = guestDnsName(vm.dns)
    const fqdn = dns?.includes('.') ? dns : undefined
    const hostname = dns?.split('.')[0] || vm.name

    const ips: string[] = []
    const addIp = (ip: string | undefined): void => {
      if (ip && isIP(ip) !== 0 && usableIp(ip) && !ips.includes(ip)) ips.push(ip)
    }
    for (const ip of splitList(vm.primaryIp)) addIp(ip)
    for (const n of nics) for (const ip of n.ips) addIp(ip)
    const macs = [...new Set(nics.map((n) => n.mac).filter((m): m is string => m !== undefined))]

    const diskGib = disks.some((d) => d.sizeGib !== undefined) ? disks.reduce((s, d) => s + (d.sizeGib ?? 0), 0) : undefined
    const fsUsedGib = filesystems.some((f) => f.usedGib !== undefined) ? filesystems.reduce((s, f) => s + (f.usedGib ?? 0), 0) : undefined
    const provisionedMib = vm.provisionedMib ?? vm.totalDiskMib
    const cpus = positive(vm.cpus) ?? positive(fromTab('cpus'))
    const memoryMib = positive(vm.memoryMib) ?? positive(fromTab('memoryMib'))

    const facts: ServerFacts = {
      hostname,
      fqdn,
      vmName: vm.name,
      biosUuid: normaliseUuid(vm.smbiosUuid),
      vmMoref: idFrom.vmId,
      vcenter: idFrom.vc ?? vm.vc ?? defaultVc,
      ips: nonEmpty(ips),
      macs: nonEmpty(macs),
      osName,
      osFamily: guestOsFamily(osName),
      architecture: guestArchitecture(osTools, osConfig, host?.cpuModel),
      isVirtual: true,
      hypervisor: host?.esxVersion ?? 'VMware vSphere',
      datacenter: pick('datacenter'),
      cluster: pick('cluster'),
      hostSystem,
      folder: pick('folder'),
      resourcePool: vm.pool,
      powerState: pick('power'),
      firmware: vm.firmware,
      vcpus: cpus,
      cpuSockets: positive(fromTab('sockets')),
      cpuModel: collapseSpaces(host?.cpuModel),
      cpuMhz: positive(host?.mhz),
      memoryMib,
      storageProvisionedGib: provisionedMib !== undefined ? provisionedMib / MIB_PER_GIB : diskGib,
      storageUsedGib: vm.inUseMib !== undefined ? vm.inUseMib / MIB_PER_GIB : fsUsedGib,
      disks: nonEmpty(disks),
      filesystems: nonEmpty(filesystems),
      nics: nonEmpty(nics),
      description: pick('annotation'),
      ...businessContext(tags),
    }
    return {ref: vm.ref, facts}
  }
}

/** Tags, plus the business facts a custom attribute is plainly named after (`Environment`, `Owner` …). */
function businessContext(
  tags: Record<string, string> | undefined,
): Pick<ServerFacts, 'tags' | 'environment' | 'applications' | 'owner' | 'businessUnit' | 'criticality'> {
  if (!tags || Object.keys(tags).length === 0) return {}
  const out: {
    tags: Record<string, string>
    environment?: string
    applications?: string[]
    owner?: string
    businessUnit?: string
    criticality?: string
  } = {
    tags,
  }
  for (const [k, v] of Object.entries(tags)) {
    const key = k
      .trim()
      .toLowerCase()
      .replace(/[\s_-]+/g, ' ')
    if ((key === 'environment' || key === 'env') && out.environment === undefined) out.environment = v
    else if (/^app(lication)?s?$/.test(key) && out.applications === undefined) out.applications = splitList(v)
    else if (key === 'owner' && out.owner === undefined) out.owner = v
    else if ((key === 'business unit' || key === 'businessunit') && out.businessUnit === undefined) out.businessUnit = v
    else if (key === 'criticality' && out.criticality === undefined) out.criticality = v
  }
  return out
}

/**
 * An empty list is left out, as the workspace would drop it anyway: a VM without the detail tabs
 * then has no gap but undefined ones, and its facts are stored without being copied first.
 */
function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length > 0 ? list : undefined
}

/** 0 CPUs or 0 MiB of memory is what RVTools shows for a VM whose configuration it could not read: unknown. */
function positive(n: number | undefined): number | undefined {
  return n !== undefined && n > 0 ? n : undefined
}

export function powerStateOf(s: string | undefined): PowerState | undefined {
  switch (s?.toLowerCase()) {
    case 'poweredon':
      return 'on'
    case 'poweredoff':
      return 'off'
    case 'suspended':
      return 'suspended'
    default:
      return undefined
  }
}

/**
 * The guest's DNS name as VMware Tools reports it, without a trailing dot; undefined for an IP
 * address or an unconfigured `localhost…`, which identify nothing.
 */
function guestDnsName(raw: string | undefined): string | undefined {
  const dns = raw?.trim().replace(/\.$/, '')
  if (!dns || isIP(dns) !== 0 || /^localhost(\.|$)/i.test(dns)) return undefined
  return dns
}

function shortName(host: string): string | undefined {
  if (isIP(host) !== 0) return undefined
  return host.split('.')[0] || undefined
}

function collapseSpaces(s: string | undefined): string | undefined {
  return s?.replace(/\s+/g, ' ')
}

function normaliseMac(mac: string | undefined): string | undefined {
  if (!mac) return undefined
  const m = mac.trim().toLowerCase().replace(/-/g, ':')
  if (!/^[0-9a-f]{2}(:[0-9a-f]{2}){5}$/.test(m) || m === '00:00:00:00:00:00') return undefined
  return m
}

/** vSphere guest OS names, e.g. `Red Hat Enterprise Linux 9 (64-bit)`, `VMware Photon OS (64-bit)`. */
export function guestOsFamily(os: string | undefined): OsFamily | undefined {
  if (!os) return undefined
  if (/photon|coreos|flatcar/i.test(os)) return 'linux'
  return osFamilyOf(undefined, os)
}

/**
 * vSphere guest OS names end in `(64-bit)` or `(32-bit)`. ESXi runs on x86 unless its host CPU
 * says otherwise (ESXi on Arm), so 64-bit means x86_64 there.
 */
export function guestArchitecture(
  osTools: string | undefined,
  osConfig: string | undefined,
  hostCpu: string | undefined,
): Architecture | undefined {
  const os = `${osTools ?? ''} ${osConfig ?? ''}`
  const arm = /\barm|aarch64/i.test(os) || (hostCpu !== undefined && /\b(arm|aarch64|ampere|neoverse|cortex)/i.test(hostCpu))
  const bits = /64-bit/i.test(osTools ?? '')
    ? 64
    : /32-bit/i.test(osTools ?? '')
      ? 32
      : /64-bit/i.test(osConfig ?? '')
        ? 64
        : /32-bit/i.test(osConfig ?? '')
          ? 32
          : 0
  if (bits === 64) return arm ? 'arm64' : 'x86_64'
  if (bits === 32) return arm ? 'other' : 'i386'
  return undefined
}
