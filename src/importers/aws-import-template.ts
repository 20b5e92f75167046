/**
 * The AWS Migration Hub (Application Discovery Service) import template: one CSV row per server,
 * the 32 fields of the "Supported Import File Fields" table (docs/formats.md#aws-import-template).
 * Each row needs at least one identifier: ExternalId, IPAddress, MACAddress, HostName, or
 * VMware.MoRefId together with VMware.VCenterId. Utilisation columns are what the discovery tool
 * measured, so they are `reported`; Applications and Tags are labels, so they are `declared`.
 */
import {UserInputError} from '../errors.js'
import type {ServerFacts} from '../model/server.js'
import {osFamilyOf} from './agent.js'
import {LIMITS, readCapacity, readNumber, readPercent, readRate} from './cells.js'
import {readCsv} from './csv.js'
import {Header, isBlankRow, splitList, type Cell} from './table.js'
import type {FileProbe, Importer} from './types.js'
import {kibPerSecToMbitps, kibPerSecToMiBps, sumBoth, tidy} from './units.js'
import {dropEmpty, environmentFromTags, isIpAddress, labelKinds, macList, metric, nameFacts, parseTagList, uuidOf} from './values.js'

/** The template's fields, in the order of the documentation table. */
export const AWS_TEMPLATE_FIELDS = [
  'ExternalId',
  'SMBiosId',
  'IPAddress',
  'MACAddress',
  'HostName',
  'VMware.MoRefId',
  'VMware.VCenterId',
  'CPU.NumberOfProcessors',
  'CPU.NumberOfCores',
  'CPU.NumberOfLogicalCores',
  'OS.Name',
  'OS.Version',
  'VMware.VMName',
  'RAM.TotalSizeInMB',
  'RAM.UsedSizeInMB.Avg',
  'RAM.UsedSizeInMB.Max',
  'CPU.UsagePct.Avg',
  'CPU.UsagePct.Max',
  'DiskReadsPerSecondInKB.Avg',
  'DiskWritesPerSecondInKB.Avg',
  'DiskReadsPerSecondInKB.Max',
  'DiskWritesPerSecondInKB.Max',
  'DiskReadsOpsPerSecond.Avg',
  'DiskWritesOpsPerSecond.Avg',
  'DiskReadsOpsPerSecond.Max',
  'DiskWritesOpsPerSecond.Max',
  'NetworkReadsPerSecondInKB.Avg',
  'NetworkWritesPerSecondInKB.Avg',
  'NetworkReadsPerSecondInKB.Max',
  'NetworkWritesPerSecondInKB.Max',
  'Applications',
  'Tags',
] as const

/** The documentation also spells the vCenter column `VMWare.VCenterId`; Header matching ignores case. */
const KNOWN = new Set(AWS_TEMPLATE_FIELDS.map((f) => f.toLowerCase()))
const IDENTIFIERS = ['ExternalId', 'IPAddress', 'MACAddress', 'HostName', 'VMware.MoRefId', 'VMware.VCenterId']

function looksLikeTemplate(p: FileProbe): boolean {
  if (p.type !== 'csv' || !p.header) return false
  const names = p.header.map((h) => h.trim().toLowerCase())
  const hits = names.filter((n) => KNOWN.has(n))
  return hits.length >= 3 && hits.some((n) => n === 'externalid' || n === 'smbiosid' || n.includes('.'))
}

export const awsImportTemplateImporter: Importer = {
  format: 'aws-import-template',
  label: 'an AWS Migration Hub import template (ExternalId, HostName, IPAddress, CPU.*, RAM.*, …)',
  kind: 'reported',
  detect: (unit) => unit.probes.length === 1 && looksLikeTemplate(unit.probes[0]!),
  async read(unit, sink) {
    const probe = unit.probes[0]!
    let rows = 0
    let clamped = 0
    let usedWithoutTotal = 0
    let badUuids = 0
    await readCsv(probe, (_sheet, names) => {
      const h = new Header(names, {file: unit.display}, probe.delimiter === ';')
      h.require({identifier: IDENTIFIERS})
      const c = Object.fromEntries(AWS_TEMPLATE_FIELDS.map((f) => [f, h.col(f)])) as Record<(typeof AWS_TEMPLATE_FIELDS)[number], number>
      const unknown = names.filter((n) => n.trim() && !KNOWN.has(n.trim().toLowerCase()))
      if (unknown.length > 0) {
        sink.note({
          code: 'AWS_TEMPLATE_EXTRA_COLUMNS',
          message: `columns outside the template were ignored, as Migration Hub would: ${unknown.slice(0, 10).join(', ')}${unknown.length > 10 ? ', …' : ''}`,
        })
      }
      return (cells: readonly Cell[], row: number) => {
        if (isBlankRow(cells)) return
        const str = (f: (typeof AWS_TEMPLATE_FIELDS)[number]): string | undefined => h.str(cells, c[f])
        const rate = (f: (typeof AWS_TEMPLATE_FIELDS)[number]): number | undefined => readRate(h, cells, c[f], row)

        const ips = splitList(str('IPAddress'))
        for (const ip of ips) {
          if (!isIpAddress(ip)) {
            throw new UserInputError('AWS_TEMPLATE_BAD_IP', `not an IP address: ${JSON.stringify(ip).slice(0, 60)}`, {
              location: h.at(row, c.IPAddress),
              hint: 'IPAddress is a comma-separated list of addresses in quotes, e.g. "10.0.0.1, 10.0.0.2".',
            })
          }
        }
        const moref = str('VMware.MoRefId')
        const vcenter = str('VMware.VCenterId')
        if ((moref === undefined) !== (vcenter === undefined)) {
          const missing = moref === undefined ? 'VMware.MoRefId' : 'VMware.VCenterId'
          throw new UserInputError(
            'AWS_TEMPLATE_VMWARE_PAIR',
            `VMware.MoRefId and VMware.VCenterId must be given together; ${missing} is empty`,
            {
              location: h.at(row, c[missing]),
              hint: 'Fill in both, or neither (the template documentation requires them as a pair).',
            },
          )
        }
        const name = nameFacts(str('HostName'))
        const externalId = str('ExternalId')
        const macs = macList(splitList(str('MACAddress')))
        const allIps = [...new Set([...ips, ...(name.ips ?? [])])]
        if (!externalId && allIps.length === 0 && macs.length === 0 && !name.hostname && !moref) {
          throw new UserInputError('AWS_TEMPLATE_NO_IDENTIFIER', 'the row has none of the identifying fields', {
            location: {file: unit.display, row},
            hint: 'Each row needs ExternalId, IPAddress, MACAddress, HostName, or VMware.MoRefId with VMware.VCenterId.',
          })
        }

        const total = readCapacity(h, cells, c['RAM.TotalSizeInMB'], row, LIMITS.memoryMib)
        const usedPct = (f: 'RAM.UsedSizeInMB.Avg' | 'RAM.UsedSizeInMB.Max'): number | undefined => {
          const used = readNumber(h, cells, c[f], row, {min: 0, max: LIMITS.memoryMib})
          if (used === undefined) return undefined
          if (total === undefined) {
            usedWithoutTotal++
            return undefined
          }
          if (used > total) {
            clamped++
            return 100
          }
          return tidy((used / total) * 100)
        }
        const smbios = str('SMBiosId')
        const biosUuid = uuidOf(smbios)
        if (smbios && !biosUuid) badUuids++
        const tags = parseTagList(str('Tags'))
        const osName = str('OS.Name')
        const facts: ServerFacts = dropEmpty({
          externalId,
          biosUuid,
          ...name,
          ips: allIps,
          macs,
          vmMoref: moref,
          vcenter,
          vmName: str('VMware.VMName'),
          ...(moref ? {isVirtual: true, hypervisor: 'VMware'} : {}),
          cpuSockets: readCapacity(h, cells, c['CPU.NumberOfProcessors'], row, LIMITS.count, true),
          cpuCores: readCapacity(h, cells, c['CPU.NumberOfCores'], row, LIMITS.count, true),
          vcpus: readCapacity(h, cells, c['CPU.NumberOfLogicalCores'], row, LIMITS.count, true),
          osName,
          osVersion: str('OS.Version'),
          osFamily: osName ? osFamilyOf(undefined, osName) : undefined,
          memoryMib: total,
          memoryUtilisation: metric({avg: usedPct('RAM.UsedSizeInMB.Avg'), max: usedPct('RAM.UsedSizeInMB.Max')}),
          cpuUtilisation: metric({
            avg: readPercent(h, cells, c['CPU.UsagePct.Avg'], row),
            max: readPercent(h, cells, c['CPU.UsagePct.Max'], row),
          }),
          diskThroughput: metric({
            avg: kib(sumBoth(rate('DiskReadsPerSecondInKB.Avg'), rate('DiskWritesPerSecondInKB.Avg')), kibPerSecToMiBps),
            max: kib(sumBoth(rate('DiskReadsPerSecondInKB.Max'), rate('DiskWritesPerSecondInKB.Max')), kibPerSecToMiBps),
          }),
          diskIops: metric({
            avg: sumBoth(rate('DiskReadsOpsPerSecond.Avg'), rate('DiskWritesOpsPerSecond.Avg')),
            max: sumBoth(rate('DiskReadsOpsPerSecond.Max'), rate('DiskWritesOpsPerSecond.Max')),
          }),
          networkThroughput: metric({
            avg: kib(sumBoth(rate('NetworkReadsPerSecondInKB.Avg'), rate('NetworkWritesPerSecondInKB.Avg')), kibPerSecToMbitps),
            max: kib(sumBoth(rate('NetworkReadsPerSecondInKB.Max'), rate('NetworkWritesPerSecondInKB.Max')), kibPerSecToMbitps),
          }),
          applications: [...new Set(splitList(str('Applications')))],
          tags,
          environment: environmentFromTags(tags),
        })
        const kinds = labelKinds(facts)
        sink.server({ref: `row ${row}`, facts, ...(kinds ? {kinds} : {})})
        if ((++rows & 0xfff) === 0) sink.progress(rows)
      }
    })
    if (clamped > 0) {
      sink.note({
        code: 'AWS_TEMPLATE_RAM_USED_OVER_TOTAL',
        message: `${clamped} RAM.UsedSizeInMB value(s) were larger than RAM.TotalSizeInMB and were read as 100% used`,
      })
    }
    if (usedWithoutTotal > 0) {
      sink.note({
        code: 'AWS_TEMPLATE_RAM_USED_WITHOUT_TOTAL',
        message: `${usedWithoutTotal} RAM.UsedSizeInMB value(s) were ignored: without RAM.TotalSizeInMB they cannot be turned into a percentage`,
      })
    }
    if (badUuids > 0) {
      sink.note({
        code: 'AWS_TEMPLATE_BAD_SMBIOS',
        message: `${badUuids} SMBiosId value(s) are not UUIDs and were not used to match servers`,
      })
    }
    return {}
  },
}

function kib(v: number | undefined, convert: (n: number) => number): number | undefined {
  return v === undefined ? undefined : tidy(convert(v))
}
