/**
 * A generic servers table (a CMDB export) with a column mapping: `--format generic-csv --map
 * hostname=Name,memory_mib=RAM`, `--map @map.yaml` or a mapping named in migrate-plan.yaml
 * (docs/formats.md#generic-csv). CSV, or the first sheet of an xlsx workbook. Everything in it
 * was typed by people, so every fact is `declared`.
 *
 * Without a mapping, columns are matched by common header names (Name/Hostname/Server, CPU/vCPU/
 * Cores, RAM/Memory (MB), …) and a note says which mapping was used. It never auto-detects: a
 * catch-all format would claim every CSV.
 */
import {UserInputError} from '../errors.js'
import type {ServerFacts} from '../model/server.js'
import {osFamilyOf} from './agent.js'
import {LIMITS, readCapacity, readNumber} from './cells.js'
import {readCsv} from './csv.js'
import {Header, headerKey, isBlankRow, splitList, type Cell, type TableVisitor} from './table.js'
import type {ImportSink, ImportUnit, Importer} from './types.js'
import {gibToMib, tidy} from './units.js'
import {dropEmpty, isIpAddress, macList, nameFacts, parsePowerState, parseVirtual, uuidOf} from './values.js'
import {readXlsx} from './xlsx.js'

/** A field of the generic format: what it means and the headers that match it without a mapping. */
export interface GenericField {
  readonly description: string
  readonly synonyms: readonly string[]
}

/**
 * The documented fields, in documentation order. `tag:<name>` (any name) is accepted too.
 * Synonyms are compared case-insensitively with inner whitespace collapsed.
 */
export const GENERIC_FIELDS = {
  hostname: {
    description: 'host name (a short name, an FQDN or an IP address)',
    synonyms: [
      'hostname',
      'host name',
      'host',
      'name',
      'server',
      'server name',
      'servername',
      'computer name',
      'computername',
      'machine name',
      'device name',
      'ci name',
    ],
  },
  fqdn: {description: 'fully qualified domain name', synonyms: ['fqdn', 'dns name', 'fully qualified domain name', 'dns hostname']},
  ips: {
    description: 'IP addresses, separated by commas or semicolons',
    synonyms: ['ip', 'ips', 'ip address', 'ip addresses', 'ipaddress', 'primary ip', 'ip_address'],
  },
  macs: {description: 'MAC addresses', synonyms: ['mac', 'mac address', 'mac addresses', 'macaddress']},
  uuid: {description: 'BIOS / SMBIOS / VM UUID', synonyms: ['uuid', 'bios uuid', 'smbios uuid', 'system uuid', 'vm uuid', 'bios id']},
  external_id: {
    description: 'the CMDB id of the server',
    synonyms: ['id', 'ci id', 'asset id', 'asset tag', 'sys_id', 'cmdb id', 'external id', 'externalid'],
  },
  vm_name: {description: 'VM name in the hypervisor', synonyms: ['vm name', 'vm', 'virtual machine']},
  vcpus: {
    description: 'logical processors (vCPUs)',
    synonyms: [
      'vcpus',
      'vcpu',
      'cpus',
      'cpu',
      'cores',
      'cpu cores',
      'cpu count',
      'num cpus',
      'number of cpus',
      'logical processors',
      'cpu (count)',
    ],
  },
  cpu_sockets: {description: 'CPU sockets', synonyms: ['sockets', 'cpu sockets']},
  memory_mib: {
    description: 'memory in MiB (MB)',
    synonyms: [
      'memory (mb)',
      'ram (mb)',
      'memory mb',
      'ram mb',
      'memory_mb',
      'ram_mb',
      'memory (mib)',
      'memory mib',
      'memory_mib',
      'memory',
      'ram',
    ],
  },
  memory_gib: {
    description: 'memory in GiB (GB)',
    synonyms: ['memory (gb)', 'ram (gb)', 'memory gb', 'ram gb', 'memory_gb', 'ram_gb', 'memory (gib)', 'memory_gib'],
  },
  storage_gib: {
    description: 'provisioned storage in GiB (GB)',
    synonyms: [
      'storage (gb)',
      'disk (gb)',
      'disk size (gb)',
      'storage gb',
      'disk gb',
      'provisioned storage (gb)',
      'total disk (gb)',
      'storage_gb',
      'storage_gib',
      'storage',
      'disk',
      'disk space',
    ],
  },
  storage_used_gib: {
    description: 'used storage in GiB (GB)',
    synonyms: ['used storage (gb)', 'storage used (gb)', 'disk used (gb)', 'used storage', 'storage used'],
  },
  os: {description: 'operating system name', synonyms: ['os', 'operating system', 'os name', 'platform']},
  os_version: {description: 'operating system version', synonyms: ['os version', 'operating system version']},
  is_virtual: {
    description: 'virtual or physical (yes/no, Virtual/Physical)',
    synonyms: ['is virtual', 'is virtual?', 'virtual', 'virtual/physical', 'server type'],
  },
  environment: {description: 'environment (prod, test …)', synonyms: ['environment', 'env', 'stage', 'lifecycle']},
  applications: {
    description: 'applications the server belongs to, separated by commas or semicolons',
    synonyms: ['application', 'applications', 'app', 'apps', 'business service', 'business application'],
  },
  owner: {description: 'owner', synonyms: ['owner', 'owned by', 'server owner', 'technical owner', 'managed by']},
  business_unit: {description: 'business unit', synonyms: ['business unit', 'department', 'division', 'bu']},
  criticality: {description: 'business criticality', synonyms: ['criticality', 'business criticality', 'impact']},
  power_state: {
    description: 'power state (on/off/suspended, poweredOn …)',
    synonyms: ['power state', 'powerstate', 'power', 'power status'],
  },
  datacenter: {description: 'data centre or site', synonyms: ['datacenter', 'data center', 'datacentre', 'site', 'location']},
  cluster: {description: 'hypervisor cluster', synonyms: ['cluster']},
  description: {description: 'free-text description', synonyms: ['description', 'short description', 'comments', 'notes']},
  annual_cost_usd: {
    description: 'annual cost of the server in USD',
    synonyms: ['annual cost (usd)', 'annual cost', 'yearly cost', 'cost per year'],
  },
} as const satisfies Record<string, GenericField>

export type GenericFieldName = keyof typeof GENERIC_FIELDS
const FIELD_NAMES = Object.keys(GENERIC_FIELDS) as GenericFieldName[]
const IDENTITY_FIELDS: readonly GenericFieldName[] = ['hostname', 'fqdn', 'ips', 'uuid', 'external_id', 'vm_name']

/** Header synonyms whose unit is not stated: the unit we assume is said in a note, and checked where a mistake is likely. */
const UNITLESS = new Set(['memory', 'ram', 'storage', 'disk', 'disk space'])
/** A "memory" value below this many MiB is almost certainly in GiB. */
const MIN_PLAUSIBLE_MIB = 128

interface Mapping {
  /** field → column position */
  readonly cols: ReadonlyMap<string, number>
  /** Fields matched by a header name that does not state its unit. */
  readonly unitless: ReadonlySet<string>
  readonly auto: boolean
}

function resolveMapping(
  names: readonly string[],
  map: Readonly<Record<string, string>> | undefined,
  where: {file: string; sheet?: string},
): Mapping {
  const h = new Header(names, where)
  const found = names.filter((n) => n.trim())
  const list = `${found.slice(0, 30).join(', ')}${found.length > 30 ? ', …' : ''}`
  const cols = new Map<string, number>()
  if (map && Object.keys(map).length > 0) {
    for (const [field, column] of Object.entries(map)) {
      const f = field.trim()
      if (!(f in GENERIC_FIELDS) && !/^tag:.+/.test(f)) {
        throw new UserInputError('GENERIC_UNKNOWN_FIELD', `unknown field ${JSON.stringify(f)} in --map`, {
          location: where,
          hint: `Fields: ${FIELD_NAMES.join(', ')}, tag:<name>. The file's columns: ${list}.`,
        })
      }
      const i = h.col(column)
      if (i < 0) {
        throw new UserInputError('GENERIC_MAP_NO_COLUMN', `--map ${f}=${column}: the file has no column ${JSON.stringify(column)}`, {
          location: {...where, row: 1},
          hint: `The file's columns: ${list}.`,
        })
      }
      cols.set(f, i)
    }
    return {cols, unitless: new Set(), auto: false}
  }
  const unitless = new Set<string>()
  const taken = new Set<number>()
  for (const f of FIELD_NAMES) {
    for (const s of GENERIC_FIELDS[f].synonyms) {
      const i = h.col(s)
      if (i < 0 || taken.has(i)) continue
      cols.set(f, i)
      taken.add(i)
      if (UNITLESS.has(headerKey(s))) unitless.add(f)
      break
    }
  }
  if (!IDENTITY_FIELDS.some((f) => cols.has(f))) {
    throw new UserInputError('GENERIC_NO_NAME_COLUMN', 'no column names the servers (host name, FQDN, IP address, UUID or id)', {
      location: {...where, row: 1},
      hint: `Map the columns with --map, e.g. --map hostname=<column>,vcpus=<column>,memory_mib=<column>. The file's columns: ${list}.`,
    })
  }
  return {cols, unitless, auto: true}
}

/** Streams the rows of the unit's table: a CSV, or the first sheet of a workbook. */
async function readTable(unit: ImportUnit, visitor: TableVisitor): Promise<void> {
  const probe = unit.probes[0]!
  if (probe.type === 'csv') return readCsv(probe, visitor)
  const first = probe.sheets?.[0]
  if (first === undefined) {
    throw new UserInputError('GENERIC_NO_SHEET', 'the workbook has no sheets', {
      location: {file: unit.display},
      hint: 'Export the table again.',
    })
  }
  await readXlsx(probe.path, (sheet, header) => (sheet === first ? visitor(sheet, header) : undefined))
}

export const genericCsvImporter: Importer = {
  format: 'generic-csv',
  label: 'a generic servers CSV with a column mapping (--map)',
  kind: 'declared',
  autoDetect: false,
  detect: (unit) =>
    unit.probes.length === 1 &&
    ((unit.probes[0]!.type === 'csv' && (unit.probes[0]!.header ?? []).some((h) => h.trim() !== '')) ||
      (unit.probes[0]!.type === 'xlsx' && (unit.probes[0]!.sheets ?? []).length > 0)),
  async read(unit, sink, options) {
    const probe = unit.probes[0]!
    let rows = 0
    let badUuids = 0
    let badPower = 0
    let headerSeen = false
    await readTable(unit, (sheet, names) => {
      headerSeen = true
      const xlsx = probe.type === 'xlsx'
      const where = {file: unit.display, ...(xlsx ? {sheet} : {})}
      const m = resolveMapping(names, options.map, where)
      noteMapping(m, names, sink)
      const h = new Header(names, where, probe.delimiter === ';')
      return (cells: readonly Cell[], row: number) => {
        if (isBlankRow(cells)) return
        const facts = rowFacts(h, m, cells, row)
        if (!IDENTITY_FIELDS.some((f) => m.cols.has(f) && h.str(cells, m.cols.get(f)!) !== undefined)) {
          throw new UserInputError(
            'GENERIC_NO_IDENTIFIER',
            'the row names no server (its host name, FQDN, IP, UUID, id and VM name are empty)',
            {
              location: {...where, row},
              hint: 'Fill in a name for the server, or delete the row.',
            },
          )
        }
        if (facts.biosUuid === undefined && m.cols.has('uuid') && h.str(cells, m.cols.get('uuid')!)) badUuids++
        if (facts.powerState === undefined && m.cols.has('power_state') && h.str(cells, m.cols.get('power_state')!)) badPower++
        sink.server({ref: xlsx ? `${sheet}!${row}` : `row ${row}`, facts})
        if ((++rows & 0xfff) === 0) sink.progress(rows)
      }
    })
    if (!headerSeen) {
      throw new UserInputError('IMPORT_EMPTY', 'the table has no header row', {
        location: {file: unit.display},
        hint: 'The first row must name the columns.',
      })
    }
    if (badUuids > 0)
      sink.note({code: 'GENERIC_BAD_UUID', message: `${badUuids} UUID value(s) are not UUIDs and were not used to match servers`})
    if (badPower > 0)
      sink.note({
        code: 'GENERIC_BAD_POWER_STATE',
        message: `${badPower} power state value(s) were not understood (use on, off or suspended)`,
      })
    return {}
  },
}

function noteMapping(m: Mapping, names: readonly string[], sink: ImportSink): void {
  const used = [...m.cols].map(([f, i]) => `${f}=${names[i]}`)
  sink.note({
    code: m.auto ? 'GENERIC_AUTO_MAPPING' : 'GENERIC_MAPPING',
    message: `${m.auto ? 'no --map given; matched columns by name' : 'columns mapped'}: ${used.join(', ')}`,
  })
  for (const f of m.unitless) {
    sink.note({
      code: 'GENERIC_UNIT_ASSUMED',
      message: `column ${JSON.stringify(names[m.cols.get(f)!])} states no unit; read as ${f === 'memory_mib' ? 'MiB' : 'GiB'} (give --map ${f === 'memory_mib' ? 'memory_gib' : f}=… to say otherwise)`,
    })
  }
  const mapped = new Set(m.cols.values())
  const rest = names.filter((n, i) => n.trim() && !mapped.has(i))
  if (rest.length > 0) {
    sink.note({code: 'GENERIC_UNMAPPED', message: `columns not imported: ${rest.slice(0, 20).join(', ')}${rest.length > 20 ? ', …' : ''}`})
  }
}

function rowFacts(h: Header, m: Mapping, cells: readonly Cell[], row: number): ServerFacts {
  const col = (f: string): number => m.cols.get(f) ?? -1
  const str = (f: string): string | undefined => h.str(cells, col(f))
  const ips = splitList(str('ips'))
  for (const ip of ips) {
    if (!isIpAddress(ip)) {
      throw new UserInputError('GENERIC_BAD_IP', `not an IP address: ${JSON.stringify(ip).slice(0, 60)}`, {
        location: h.at(row, col('ips')),
        hint: 'Give IP addresses separated by commas or semicolons, or map another column to ips.',
      })
    }
  }
  let memoryMib = readCapacity(h, cells, col('memory_mib'), row, LIMITS.memoryMib)
  if (memoryMib !== undefined && m.unitless.has('memory_mib') && memoryMib < MIN_PLAUSIBLE_MIB) {
    throw new UserInputError(
      'GENERIC_MEMORY_UNIT',
      `memory ${memoryMib} looks like GiB, but the column states no unit and is read as MiB`,
      {
        location: h.at(row, col('memory_mib')),
        hint: `Say the unit with --map memory_gib=${JSON.stringify(h.names[col('memory_mib')])} (or memory_mib=… if it really is MiB).`,
      },
    )
  }
  const gib = readCapacity(h, cells, col('memory_gib'), row, LIMITS.memoryMib / 1024)
  if (memoryMib === undefined && gib !== undefined) memoryMib = tidy(gibToMib(gib))
  const tags: Record<string, string> = {}
  for (const [f, i] of m.cols) {
    if (!f.startsWith('tag:')) continue
    const v = h.str(cells, i)
    if (v !== undefined) tags[f.slice(4).trim()] = v
  }
  const name = nameFacts(str('hostname'))
  const fqdn = str('fqdn')
  const osName = str('os')
  const costCell = cells[col('annual_cost_usd')]
  const cost =
    typeof costCell === 'string' && /^\s*(\$|usd)\s*[\d.,]+\s*$/i.test(costCell)
      ? readNumber(h, withCell(cells, col('annual_cost_usd'), costCell.replace(/\$|usd/i, '')), col('annual_cost_usd'), row, {
          min: 0,
          max: LIMITS.usd,
        })
      : readNumber(h, cells, col('annual_cost_usd'), row, {min: 0, max: LIMITS.usd})
  return dropEmpty({
    ...name,
    fqdn: fqdn ? fqdn.toLowerCase().replace(/\.$/, '') : name.fqdn,
    ...(fqdn && !name.hostname ? {hostname: fqdn.split('.')[0]} : {}),
    ips: [...new Set([...ips, ...(name.ips ?? [])])],
    macs: macList(splitList(str('macs'))),
    biosUuid: uuidOf(str('uuid')),
    externalId: str('external_id'),
    vmName: str('vm_name'),
    vcpus: readCapacity(h, cells, col('vcpus'), row, LIMITS.count, true),
    cpuSockets: readCapacity(h, cells, col('cpu_sockets'), row, LIMITS.count, true),
    memoryMib,
    storageProvisionedGib: readCapacity(h, cells, col('storage_gib'), row, LIMITS.storageGib),
    storageUsedGib: readNumber(h, cells, col('storage_used_gib'), row, {min: 0, max: LIMITS.storageGib}),
    osName,
    osVersion: str('os_version'),
    osFamily: osName ? osFamilyOf(undefined, osName) : undefined,
    isVirtual: parseVirtual(str('is_virtual')),
    environment: str('environment'),
    applications: [...new Set(splitList(str('applications')))],
    owner: str('owner'),
    businessUnit: str('business_unit'),
    criticality: str('criticality'),
    powerState: parsePowerState(str('power_state')),
    datacenter: str('datacenter'),
    cluster: str('cluster'),
    description: str('description'),
    annualCostUsd: cost,
    tags,
  })
}

function withCell(cells: readonly Cell[], i: number, v: Cell): Cell[] {
  const copy = [...cells]
  copy[i] = v
  return copy
}
