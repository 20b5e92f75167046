/**
 * A plain connections CSV: `source_ip,source_port,destination_ip,destination_port,transport_protocol`
 * with optional `process_name,count,first_seen,last_seen,bytes`. One row per observed flow;
 * the source is the client, the destination the listener.
 */
import {UserInputError} from '../errors.js'
import type {Protocol} from '../model/connection.js'
import {readCsv} from './csv.js'
import {Header, type Cell} from './table.js'
import type {FileProbe, Importer} from './types.js'

const REQUIRED = {
  sourceIp: ['source_ip'],
  sourcePort: ['source_port'],
  destinationIp: ['destination_ip'],
  destinationPort: ['destination_port'],
  protocol: ['transport_protocol'],
} as const

export function parseProtocol(value: string | undefined): Protocol | undefined {
  switch (value?.trim().toLowerCase()) {
    case 'tcp':
    case '6':
    case 'tcp4':
    case 'tcp6':
      return 'tcp'
    case 'udp':
    case '17':
    case 'udp4':
    case 'udp6':
      return 'udp'
    default:
      return undefined
  }
}

/** Minimal IP address check: v4 dotted quad or something with colons (v6). */
export function looksLikeIp(s: string): boolean {
  return isIpv4(s) || (/^[0-9a-f:.]+$/i.test(s) && s.includes(':'))
}

/** A dotted quad of 1–3 digit parts, each at most 255 (a character scan: two per row of millions). */
function isIpv4(s: string): boolean {
  let parts = 0
  let digits = 0
  let value = 0
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i)
    if (c >= 48 && c <= 57) {
      if (++digits > 3) return false
      value = value * 10 + (c - 48)
    } else if (c === 46 && digits > 0 && value <= 255 && parts < 3) {
      parts++
      digits = 0
      value = 0
    } else return false
  }
  return parts === 3 && digits > 0 && value <= 255
}

function headerMatches(p: FileProbe): boolean {
  if (p.type !== 'csv' || !p.header) return false
  const h = new Header(p.header, {file: p.path})
  return Object.values(REQUIRED).every((alts) => h.has(...alts))
}

export const connectionsCsvImporter: Importer = {
  format: 'connections-csv',
  label: 'a connections CSV (source_ip, source_port, destination_ip, destination_port, transport_protocol)',
  kind: 'reported',
  detect: (unit) => unit.probes.length === 1 && headerMatches(unit.probes[0]!),
  async read(unit, sink) {
    const probe = unit.probes[0]!
    await readCsv(probe, (_sheet, names) => {
      const h = new Header(names, {file: unit.display})
      const c = h.require(REQUIRED)
      const process = h.col('process_name')
      const count = h.col('count')
      const first = h.col('first_seen')
      const last = h.col('last_seen')
      const bytes = h.col('bytes')
      return (cells: readonly Cell[], row: number) => {
        if (cells.length === 1 && cells[0] === '') return
        const src = h.str(cells, c.sourceIp)
        const dst = h.str(cells, c.destinationIp)
        for (const [ip, col] of [
          [src, c.sourceIp],
          [dst, c.destinationIp],
        ] as const) {
          if (!ip || !looksLikeIp(ip)) {
            throw new UserInputError(
              'CONNECTIONS_BAD_IP',
              ip ? `not an IP address: ${JSON.stringify(ip).slice(0, 60)}` : 'missing IP address',
              {
                location: h.at(row, col),
                hint: 'Each row needs the client and server IP addresses.',
              },
            )
          }
        }
        const dport = h.num(cells, c.destinationPort, row, {min: 0, max: 65_535, integer: true})
        if (dport === undefined) {
          throw new UserInputError('CONNECTIONS_NO_PORT', 'missing destination port', {
            location: h.at(row, c.destinationPort),
            hint: 'Each row needs the port the server listens on.',
          })
        }
        const protoText = h.str(cells, c.protocol)
        const protocol = parseProtocol(protoText)
        if (!protocol) {
          throw new UserInputError('CONNECTIONS_BAD_PROTOCOL', `unknown transport protocol ${JSON.stringify(protoText ?? '')}`, {
            location: h.at(row, c.protocol),
            hint: 'Use tcp or udp.',
          })
        }
        const sport = h.num(cells, c.sourcePort, row, {min: 0, max: 65_535, integer: true})
        const n = h.num(cells, count, row, {min: 1, integer: true})
        const b = h.num(cells, bytes, row, {min: 0})
        const proc = h.str(cells, process)
        const fs = h.date(cells, first)
        const ls = h.date(cells, last)
        sink.connection({
          sourceIp: src!,
          ...(sport === undefined ? {} : {sourcePort: sport}),
          destinationIp: dst!,
          destinationPort: dport,
          protocol,
          ...(proc ? {process: proc} : {}),
          count: n ?? 1,
          ...(b === undefined ? {} : {bytes: b}),
          ...(fs ? {firstSeen: fs} : {}),
          ...(ls ? {lastSeen: ls} : {}),
        })
        if ((row & 0xffff) === 0) sink.progress(row)
      }
    })
    return {}
  },
}
