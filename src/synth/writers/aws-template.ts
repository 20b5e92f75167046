/**
 * The AWS Migration Hub (Application Discovery Service) import template CSV: the 32 fields of
 * the ADS User Guide's "Supported Import File Fields" table, in that order (header in
 * ../shared/reference/aws-ads-import-template/). Memory in MB, disk and network in KB per second,
 * utilisation averages and maxima over the estate's window; `Applications` and `Tags` quoted lists.
 */
import {OS_CATALOG} from '../catalog.js'
import type {SynthEstate, SynthServer} from '../types.js'
import type {WriteStats} from './rvtools-xlsx.js'
import {csvLine, TextFileWriter, type CsvValue} from './text.js'

export const AWS_IMPORT_TEMPLATE_HEADER = [
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

/** Share of disk and network traffic that is reads / inbound. */
const READ_SHARE = 0.6
const r1 = (x: number | undefined): number | undefined => (x === undefined ? undefined : Math.round(x * 10) / 10)
const times = (x: number | undefined, k: number): number | undefined => (x === undefined ? undefined : r1(x * k))

/** The template row of one server. Unknown values (a powered-off VM's utilisation) stay empty. */
export function awsTemplateRow(server: SynthServer, index: number, vcenterId: string): CsvValue[] {
  const u = server.utilisation
  const os = server.osId ? OS_CATALOG[server.osId] : undefined
  const mem = (pct: number | undefined): number | undefined => (pct === undefined ? undefined : Math.round((server.memoryMib * pct) / 100))
  // MiB/s → KB/s, Mbit/s → KB/s (KB = 1024 bytes).
  const diskKb = (x: number | undefined, share: number): number | undefined => times(x, 1024 * share)
  const netKb = (x: number | undefined, share: number): number | undefined => times(x, (1_000_000 / 8 / 1024) * share)
  const tags = [`environment:${server.environment}`, `tier:${server.tier}`, ...(server.service ? [`service:${server.service}`] : [])]
  const values: Record<(typeof AWS_IMPORT_TEMPLATE_HEADER)[number], CsvValue> = {
    ExternalId: `cmdb-${String(index + 1).padStart(6, '0')}`,
    SMBiosId: server.uuid,
    IPAddress: server.ip,
    MACAddress: server.mac,
    HostName: server.fqdn,
    'VMware.MoRefId': server.moref,
    'VMware.VCenterId': vcenterId,
    'CPU.NumberOfProcessors': server.vcpus,
    'CPU.NumberOfCores': server.vcpus,
    'CPU.NumberOfLogicalCores': server.vcpus,
    'OS.Name': os?.name ?? server.osName,
    'OS.Version': os?.version,
    'VMware.VMName': server.name,
    'RAM.TotalSizeInMB': server.memoryMib,
    'RAM.UsedSizeInMB.Avg': mem(u.memoryPct.avg),
    'RAM.UsedSizeInMB.Max': mem(u.memoryPct.max),
    'CPU.UsagePct.Avg': u.cpuPct.avg,
    'CPU.UsagePct.Max': u.cpuPct.max,
    'DiskReadsPerSecondInKB.Avg': diskKb(u.diskThroughputMiBps?.avg, READ_SHARE),
    'DiskWritesPerSecondInKB.Avg': diskKb(u.diskThroughputMiBps?.avg, 1 - READ_SHARE),
    'DiskReadsPerSecondInKB.Max': diskKb(u.diskThroughputMiBps?.max, READ_SHARE),
    'DiskWritesPerSecondInKB.Max': diskKb(u.diskThroughputMiBps?.max, 1 - READ_SHARE),
    'DiskReadsOpsPerSecond.Avg': times(u.diskIops?.avg, READ_SHARE),
    'DiskWritesOpsPerSecond.Avg': times(u.diskIops?.avg, 1 - READ_SHARE),
    'DiskReadsOpsPerSecond.Max': times(u.diskIops?.max, READ_SHARE),
    'DiskWritesOpsPerSecond.Max': times(u.diskIops?.max, 1 - READ_SHARE),
    'NetworkReadsPerSecondInKB.Avg': netKb(u.networkMbps?.avg, READ_SHARE),
    'NetworkWritesPerSecondInKB.Avg': netKb(u.networkMbps?.avg, 1 - READ_SHARE),
    'NetworkReadsPerSecondInKB.Max': netKb(u.networkMbps?.max, READ_SHARE),
    'NetworkWritesPerSecondInKB.Max': netKb(u.networkMbps?.max, 1 - READ_SHARE),
    Applications: server.app ?? (server.service ? `shared-${server.service}` : ''),
    Tags: tags.join(','),
  }
  return AWS_IMPORT_TEMPLATE_HEADER.map((h) => values[h])
}

export async function writeAwsImportTemplate(
  estate: SynthEstate,
  path: string,
  options: {readonly select?: (server: SynthServer) => boolean; readonly vcenterId?: string} = {},
): Promise<WriteStats> {
  const out = new TextFileWriter(path)
  await out.write(csvLine(AWS_IMPORT_TEMPLATE_HEADER))
  const vcenterId = options.vcenterId ?? estate.options.vcenter
  let n = 0
  for (const [i, s] of estate.servers.entries()) {
    if (options.select && !options.select(s)) continue
    const wait = out.write(csvLine(awsTemplateRow(s, i, vcenterId)))
    if (wait) await wait
    n++
  }
  await out.close()
  return {path, rows: {servers: n}}
}
