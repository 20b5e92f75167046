/**
 * The Azure Migrate "import using CSV" template (docs/formats.md#azure-migrate). Two header
 * spellings are known: the documentation's (`Server name`, `Memory`, `Disk 1 size`) and the one
 * written by converters such as rvtools2azmigrate, with a `*` on required columns and the unit in
 * the name (`*Memory (In MB)`, `Disk 1 size (In GB)`). Both mean the same units: memory MB,
 * disk size GB, throughput MB per second, operations per second, utilisation percent.
 *
 * The template has one value per performance metric and does not say which statistic it is.
 * Azure Migrate sizes directly from it where its appliance would use the configured percentile
 * (95th by default), so it is recorded as p95.
 */
import {UserInputError} from '../errors.js'
import type {Disk, DetectedSoftware, ServerFacts} from '../model/server.js'
import {osFamilyOf} from './agent.js'
import {LIMITS, readCapacity, readPercent, readRate} from './cells.js'
import {readCsv} from './csv.js'
import {Header, headerKey, isBlankRow, splitList, type Cell} from './table.js'
import type {FileProbe, Importer} from './types.js'
import {mibPerSecToMbitps, sumBoth, tidy} from './units.js'
import {
  dropEmpty,
  isIpAddress,
  labelKinds,
  macList,
  metric,
  nameFacts,
  parseArchitecture,
  parseFirmware,
  parseVirtual,
  softwareFromName,
  uuidOf,
} from './values.js'

/** Most disks and applications the template allows. */
const MAX_DISKS = 8
const MAX_APPS = 5

type Unit = 'mb' | 'gb' | 'mbps' | 'ops' | 'none'
const UNIT_TEXT: Readonly<Record<Unit, readonly string[]>> = {
  mb: ['mb', 'in mb'],
  gb: ['gb', 'in gb'],
  mbps: ['mb per second', 'in mb per second', 'mbps', 'in mbps', 'mb/s', 'mb/sec'],
  ops: ['operations per second', 'ops per second', 'iops', 'per second'],
  none: [],
}

/** Template fields by their documented name, lower case, with the unit a parenthesis may state. */
const FIELDS: Readonly<Record<string, {readonly key: string; readonly unit: Unit}>> = {
  'server name': {key: 'name', unit: 'none'},
  'ip address': {key: 'ips', unit: 'none'},
  'ip addresses': {key: 'ips', unit: 'none'},
  cores: {key: 'cores', unit: 'none'},
  'number of cores': {key: 'cores', unit: 'none'},
  memory: {key: 'memory', unit: 'mb'},
  'os name': {key: 'osName', unit: 'none'},
  'os version': {key: 'osVersion', unit: 'none'},
  'os architecture': {key: 'arch', unit: 'none'},
  'number of disks': {key: 'diskCount', unit: 'none'},
  'cpu utilization percentage': {key: 'cpu', unit: 'none'},
  'memory utilization percentage': {key: 'mem', unit: 'none'},
  'network adapters': {key: 'nicCount', unit: 'none'},
  'total disks read ops': {key: 'totalReadOps', unit: 'ops'},
  'total disks write ops': {key: 'totalWriteOps', unit: 'ops'},
  'total disks read throughput': {key: 'totalReadMBps', unit: 'mbps'},
  'total disks write throughput': {key: 'totalWriteMBps', unit: 'mbps'},
  'network in throughput': {key: 'netIn', unit: 'mbps'},
  'network out throughput': {key: 'netOut', unit: 'mbps'},
  'firmware type': {key: 'firmware', unit: 'none'},
  'boot type': {key: 'firmware', unit: 'none'},
  'server type': {key: 'serverType', unit: 'none'},
  hypervisor: {key: 'hypervisor', unit: 'none'},
  'hypervisor version number': {key: 'hypervisorVersion', unit: 'none'},
  'virtual machine id': {key: 'vmId', unit: 'none'},
  'virtual machine manager id': {key: 'vmmId', unit: 'none'},
  'mac address': {key: 'macs', unit: 'none'},
  'mac addresses': {key: 'macs', unit: 'none'},
  'bios id': {key: 'biosId', unit: 'none'},
  'custom server id': {key: 'customId', unit: 'none'},
  'business unit': {key: 'businessUnit', unit: 'none'},
  'business owner': {key: 'owner', unit: 'none'},
  'business application name': {key: 'businessApp', unit: 'none'},
  location: {key: 'location', unit: 'none'},
  groups: {key: 'groups', unit: 'none'},
  'server decommission date': {key: 'decommission', unit: 'none'},
}
const DISK_FIELDS: Readonly<Record<string, Unit>> = {
  size: 'gb',
  'read ops': 'ops',
  'write ops': 'ops',
  'read throughput': 'mbps',
  'write throughput': 'mbps',
}

interface Parsed {
  readonly key: string
  readonly unit: Unit
}

/** `*Memory (In MB)` → {key: 'memory', unit: 'mb'}; `Disk 3 read ops` → {key: 'disk3.read ops'}; unknown → undefined. */
function parseHeader(raw: string): (Parsed & {readonly stated?: string}) | undefined {
  const k = headerKey(raw).replace(/^\*\s*/, '')
  const m = /^(.*?)\s*\(([^()]*)\)$/.exec(k)
  const base = m ? m[1]! : k
  const stated = m ? m[2]!.trim() : undefined
  const known = FIELDS[base]
  if (known) return {...known, ...(stated === undefined ? {} : {stated})}
  const disk = /^disk (\d+) (size|read ops|write ops|read throughput|write throughput)$/.exec(base)
  if (disk) return {key: `disk${disk[1]}.${disk[2]}`, unit: DISK_FIELDS[disk[2]!]!, ...(stated === undefined ? {} : {stated})}
  const app = /^application (\d+) (name|type|version|license expiry)$/.exec(base)
  if (app) return {key: `app${app[1]}.${app[2]}`, unit: 'none'}
  return undefined
}

const REQUIRED = ['name', 'cores', 'memory', 'osName'] as const

function looksLikeAzure(p: FileProbe): boolean {
  if (p.type !== 'csv' || !p.header) return false
  const keys = new Set(p.header.map((h) => parseHeader(h)?.key))
  // The name and two more required columns: a file missing the others is still recognised, so that
  // reading it can say exactly which required column is missing.
  return keys.has('name') && REQUIRED.filter((k) => keys.has(k)).length >= 3
}

export const azureMigrateImporter: Importer = {
  format: 'azure-migrate',
  label: 'an Azure Migrate import CSV (Server name, Cores, Memory, OS name, Disk N …)',
  kind: 'reported',
  detect: (unit) => unit.probes.length === 1 && looksLikeAzure(unit.probes[0]!),
  async read(unit, sink) {
    const probe = unit.probes[0]!
    let rows = 0
    await readCsv(probe, (_sheet, names) => {
      const h = new Header(names, {file: unit.display}, probe.delimiter === ';')
      const col = new Map<string, number>()
      names.forEach((n, i) => {
        const p = parseHeader(n)
        if (!p || col.has(p.key)) return
        if (p.stated !== undefined && p.unit !== 'none' && !UNIT_TEXT[p.unit].includes(p.stated)) {
          throw new UserInputError(
            'AZURE_UNEXPECTED_UNIT',
            `column ${JSON.stringify(n)} states the unit "${p.stated}"; the template uses ${unitName(p.unit)}`,
            {
              location: {file: unit.display, row: 1, column: n},
              hint: `Convert the column to ${unitName(p.unit)} and name it without the unit (e.g. ${JSON.stringify(n.replace(/\s*\([^()]*\)\s*$/, ''))}).`,
            },
          )
        }
        col.set(p.key, i)
      })
      const missing = REQUIRED.filter((k) => !col.has(k))
      if (missing.length > 0) {
        const label: Record<(typeof REQUIRED)[number], string> = {name: 'Server name', cores: 'Cores', memory: 'Memory', osName: 'OS name'}
        throw new UserInputError(
          'IMPORT_MISSING_COLUMN',
          `missing required column${missing.length > 1 ? 's' : ''}: ${missing.map((k) => label[k]).join('; ')}`,
          {
            location: {file: unit.display, row: 1},
            hint: `The header has: ${names
              .filter((n) => n.trim())
              .slice(0, 20)
              .join(
                ', ',
              )}. Azure Migrate requires Server name, Cores, Memory and OS name; if this is another kind of servers table, import it with --format generic-csv.`,
          },
        )
      }
      const at = (key: string): number => col.get(key) ?? -1
      return (cells: readonly Cell[], row: number) => {
        if (isBlankRow(cells)) return
        const str = (key: string): string | undefined => h.str(cells, at(key))
        const rate = (key: string): number | undefined => readRate(h, cells, at(key), row)
        const name = str('name')
        if (!name) {
          throw new UserInputError('AZURE_NO_SERVER_NAME', 'the row has no Server name', {
            location: h.at(row, at('name')),
            hint: 'Server name is required on every row; delete rows that are not servers.',
          })
        }
        const ips = splitList(str('ips'))
        for (const ip of ips) {
          if (!isIpAddress(ip)) {
            throw new UserInputError('AZURE_BAD_IP', `not an IP address: ${JSON.stringify(ip).slice(0, 60)}`, {
              location: h.at(row, at('ips')),
              hint: 'Give IP addresses separated by commas or semicolons.',
            })
          }
        }
        const disks: Disk[] = []
        for (let n = 1; n <= MAX_DISKS; n++) {
          const p = `disk${n}.`
          const d: Disk = {
            name: `Disk ${n}`,
            ...defined('sizeGib', readCapacity(h, cells, at(`${p}size`), row, LIMITS.storageGib)),
            ...defined('readIops', rate(`${p}read ops`)),
            ...defined('writeIops', rate(`${p}write ops`)),
            ...defined('readMiBps', rate(`${p}read throughput`)),
            ...defined('writeMiBps', rate(`${p}write throughput`)),
          }
          if (Object.keys(d).length > 1) disks.push(d)
        }
        const sizes = disks.filter((d) => d.sizeGib !== undefined)
        const software: DetectedSoftware[] = []
        for (let n = 1; n <= MAX_APPS; n++) {
          const appName = str(`app${n}.name`)
          const version = str(`app${n}.version`)
          const sw = appName && softwareFromName(appName, `declared in column "Application ${n} name"`, version ? {version} : {})
          if (sw) software.push(sw)
        }
        const osName = str('osName')
        const hypervisor = str('hypervisor')
        const tags: Record<string, string> = {}
        for (const [key, tag] of [
          ['groups', 'Azure Migrate group'],
          ['vmId', 'Virtual machine ID'],
          ['hypervisorVersion', 'Hypervisor version number'],
          ['decommission', 'Server decommission date'],
        ] as const) {
          const v = str(key)
          if (v) tags[tag] = v
        }
        const businessApp = str('businessApp')
        const facts: ServerFacts = dropEmpty({
          ...nameFacts(name),
          ips: [...new Set([...ips, ...(nameFacts(name).ips ?? [])])],
          macs: macList(splitList(str('macs'))),
          biosUuid: uuidOf(str('biosId')),
          externalId: str('customId'),
          vcenter: hypervisor && /vmware/i.test(hypervisor) ? str('vmmId') : undefined,
          // The template's "Cores" are the processor cores allocated to the server: a VM's vCPUs.
          vcpus: readCapacity(h, cells, at('cores'), row, LIMITS.count),
          memoryMib: readCapacity(h, cells, at('memory'), row, LIMITS.memoryMib),
          osName,
          osVersion: str('osVersion'),
          osFamily: osName ? osFamilyOf(undefined, osName) : undefined,
          architecture: parseArchitecture(str('arch')),
          firmware: parseFirmware(str('firmware')),
          isVirtual: parseVirtual(str('serverType')),
          hypervisor,
          datacenter: str('location'),
          disks,
          storageProvisionedGib: sizes.length > 0 ? tidy(sizes.reduce((s, d) => s + d.sizeGib!, 0)) : undefined,
          cpuUtilisation: metric({p95: readPercent(h, cells, at('cpu'), row)}),
          memoryUtilisation: metric({p95: readPercent(h, cells, at('mem'), row)}),
          diskIops: metric({p95: sumBoth(rate('totalReadOps'), rate('totalWriteOps')) ?? sumDisks(disks, 'readIops', 'writeIops')}),
          diskThroughput: metric({
            p95: sumBoth(rate('totalReadMBps'), rate('totalWriteMBps')) ?? sumDisks(disks, 'readMiBps', 'writeMiBps'),
          }),
          networkThroughput: metric({p95: mbit(sumBoth(rate('netIn'), rate('netOut')))}),
          software,
          applications: businessApp ? [businessApp] : [],
          businessUnit: str('businessUnit'),
          owner: str('owner'),
          tags,
        })
        const kinds = labelKinds(facts)
        sink.server({ref: `row ${row}`, facts, ...(kinds ? {kinds} : {})})
        if ((++rows & 0xfff) === 0) sink.progress(rows)
      }
    })
    return {}
  },
}

function unitName(u: Unit): string {
  return {mb: 'MB', gb: 'GB', mbps: 'MB per second', ops: 'operations per second', none: 'no unit'}[u]
}

function defined<K extends string>(key: K, v: number | undefined): Partial<Record<K, number>> {
  return v === undefined ? {} : ({[key]: v} as Record<K, number>)
}

/** Read + write summed over the disks, when every disk listed gives both; otherwise unknown. */
function sumDisks(disks: readonly Disk[], read: 'readIops' | 'readMiBps', write: 'writeIops' | 'writeMiBps'): number | undefined {
  if (disks.length === 0 || disks.some((d) => d[read] === undefined || d[write] === undefined)) return undefined
  return tidy(disks.reduce((s, d) => s + d[read]! + d[write]!, 0))
}

function mbit(v: number | undefined): number | undefined {
  return v === undefined ? undefined : tidy(mibPerSecToMbitps(v))
}
