/**
 * The plain connections CSV (`source_ip,source_port,destination_ip,destination_port,
 * transport_protocol,process_name,count,first_seen,last_seen`), streamed from the estate's lazy
 * connection records.
 */
import type {SynthEstate} from '../types.js'
import type {WriteStats} from './rvtools-xlsx.js'
import {TextFileWriter} from './text.js'

export const CONNECTIONS_CSV_HEADER = [
  'source_ip',
  'source_port',
  'destination_ip',
  'destination_port',
  'transport_protocol',
  'process_name',
  'count',
  'first_seen',
  'last_seen',
] as const

const safe = (s: string): string => (/[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s)

export async function writeConnectionsCsv(
  estate: SynthEstate,
  path: string,
  options: {readonly onProgress?: (rows: number) => void} = {},
): Promise<WriteStats> {
  const out = new TextFileWriter(path)
  await out.write(`${CONNECTIONS_CSV_HEADER.join(',')}\n`)
  let n = 0
  for (const c of estate.connections()) {
    const wait = out.write(
      `${c.sourceIp},${c.sourcePort},${c.destinationIp},${c.destinationPort},${c.protocol},${safe(c.process)},${c.count},${c.firstSeen ?? ''},${c.lastSeen ?? ''}\n`,
    )
    if (wait) await wait
    if (++n % 100_000 === 0) options.onProgress?.(n)
  }
  await out.close()
  options.onProgress?.(n)
  return {path, rows: {connections: n}}
}
