/**
 * AWS Application Discovery Service agent exports: the per-agent, time-range export holds
 * `<account>_sourceProcessConnection.csv` (outbound connections of the server) and
 * `<account>_destinationProcessConnection.csv` (inbound ones), next to `_process.csv`,
 * `_osInfo.csv`, `_networkInterface.csv` and `_systemPerformance.csv` (docs/formats.md#ads-connections).
 *
 * The literal header strings of these files are not documented. The column order is known from
 * awslabs/aws-discovery-utils, which reads them by position: account, agent id, source IP, source
 * port, destination IP, destination port, IP version, transport protocol, agent-assigned process
 * id, agent creation date; some exports add commandPath and commandParam (12 columns). We read by
 * header name when the header spells those names (camelCase or snake_case) and by position
 * otherwise. Both files already name the client as source and the listener as destination.
 *
 * The folder's `_process.csv` (same account prefix) is read to turn process ids into names. The
 * other files of the export are claimed with the connections, so that importing the export's
 * folder works, and are listed in a note as not read.
 */
import {basename, dirname} from 'node:path'

import {UserInputError} from '../errors.js'
import type {ConnectionRecord, Protocol} from '../model/connection.js'
import {looksLikeIp, parseProtocol} from './connections-csv.js'
import {readCsv} from './csv.js'
import {Header, isBlankRow, type Cell} from './table.js'
import type {FileProbe, Importer, ImportSink} from './types.js'
import {utcTimestamp} from './values.js'

const EXPORT_FILE =
  /^(?:(.*)_)?(sourceProcessConnection|destinationProcessConnection|process|osInfo|networkInterface|systemPerformance)\.csv$/i
const CONNECTION_KINDS = new Set(['sourceprocessconnection', 'destinationprocessconnection'])

/** Connection columns in export order (awslabs column order); the last two only in 12-column exports. */
const CONNECTION_COLUMNS = [
  'accountNumber',
  'agentId',
  'sourceIp',
  'sourcePort',
  'destinationIp',
  'destinationPort',
  'ipVersion',
  'transportProtocol',
  'agentAssignedProcessId',
  'agentCreationDate',
  'commandPath',
  'commandParam',
] as const
type ConnectionColumn = (typeof CONNECTION_COLUMNS)[number]

/** Process columns in export order. */
const PROCESS_COLUMNS = [
  'accountNumber',
  'agentId',
  'agentAssignedProcessId',
  'isSystem',
  'name',
  'cmdLine',
  'path',
  'agentProvidedTimeStamp',
] as const

/** Other spellings of a column name, compared without case, `_`, spaces or dots. */
const ALIASES: Readonly<Record<string, string>> = {
  agentassprocid: 'agentassignedprocessid',
  daemonname: 'commandpath',
  daemonparam: 'commandparam',
}

function squash(name: string): string {
  const s = name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '')
  return ALIASES[s] ?? s
}

/** Aggregated connections are flushed to the sink past this many distinct flows, to bound memory. */
const MAX_PENDING_FLOWS = 200_000

function exportKind(p: FileProbe): {prefix: string; kind: string} | undefined {
  const m = EXPORT_FILE.exec(basename(p.path))
  return m ? {prefix: (m[1] ?? '').toLowerCase(), kind: m[2]!.toLowerCase()} : undefined
}

/** Column positions from a header that spells the documented names, or undefined when it does not. */
function byName<C extends string>(header: readonly string[], columns: readonly C[], required: readonly C[]): Record<C, number> | undefined {
  const index = new Map<string, number>()
  header.forEach((h, i) => {
    const k = squash(h)
    if (k && !index.has(k)) index.set(k, i)
  })
  if (!required.every((c) => index.has(squash(c)))) return undefined
  return Object.fromEntries(columns.map((c) => [c, index.get(squash(c)) ?? -1])) as Record<C, number>
}

function byPosition<C extends string>(columns: readonly C[], width: number): Record<C, number> {
  return Object.fromEntries(columns.map((c, i) => [c, i < width ? i : -1])) as Record<C, number>
}

const REQUIRED_BY_NAME: readonly ConnectionColumn[] = ['sourceIp', 'destinationIp', 'destinationPort', 'transportProtocol']

function headerLooksLikeConnections(p: FileProbe): boolean {
  return p.type === 'csv' && !!p.header && byName(p.header, CONNECTION_COLUMNS, [...REQUIRED_BY_NAME, 'agentId']) !== undefined
}

function isConnectionFile(p: FileProbe): boolean {
  if (p.type !== 'csv') return false
  const k = exportKind(p)
  if (k && CONNECTION_KINDS.has(k.kind)) return (p.header?.length ?? 0) >= 10 || headerLooksLikeConnections(p)
  return headerLooksLikeConnections(p)
}

export const adsConnectionsImporter: Importer = {
  format: 'ads-connections',
  label: 'an ADS agent export (<account>_sourceProcessConnection.csv / _destinationProcessConnection.csv)',
  kind: 'reported',
  group(probes) {
    const byExport = new Map<string, FileProbe[]>()
    for (const p of probes) {
      const k = exportKind(p)
      if (!k || (p.type !== 'csv' && p.type !== 'unknown')) continue
      const key = `${dirname(p.path)}\0${k.prefix}`
      byExport.set(key, [...(byExport.get(key) ?? []), p])
    }
    const groups: FileProbe[][] = []
    const claimedDirs = new Set<string>()
    for (const files of byExport.values()) {
      if (!files.some(isConnectionFile)) continue
      claimedDirs.add(dirname(files[0]!.path))
      // A lone file stays a single-file unit (named by the file, not its folder); detect() takes it.
      if (files.length < 2) continue
      groups.push(files)
    }
    // The export's task summary (JSON without a migrate-plan schemaVersion) travels with it.
    for (const p of probes) {
      if (p.type === 'json' && !p.schemaVersion && claimedDirs.has(dirname(p.path))) {
        const g = groups.find((files) => dirname(files[0]!.path) === dirname(p.path))
        if (g) g.push(p)
        else groups.push([...probes.filter((q) => isConnectionFile(q) && dirname(q.path) === dirname(p.path)), p])
      }
    }
    return groups
  },
  detect: (unit) => unit.probes.some(isConnectionFile),
  async read(unit, sink) {
    const connections = unit.probes.filter(isConnectionFile)
    const processFiles = unit.probes.filter((p) => exportKind(p)?.kind === 'process' && p.type === 'csv')
    const skipped = unit.probes.filter((p) => !connections.includes(p) && !processFiles.includes(p))
    if (skipped.length > 0) {
      sink.note({
        code: 'ADS_FILES_NOT_READ',
        message: `only connections (and process names) are imported from an ADS export; not read: ${skipped.map((p) => basename(p.path)).join(', ')}`,
      })
    }
    const display = (p: FileProbe): string => (unit.files.length > 1 ? `${unit.display}/${basename(p.path)}` : unit.display)
    const processes = new Map<string, string>()
    for (const p of processFiles) await readProcesses(p, display(p), processes)
    for (const p of connections) await readConnections(p, display(p), processes, sink)
    return {}
  },
}

async function readProcesses(probe: FileProbe, display: string, out: Map<string, string>): Promise<void> {
  await readCsv(probe, (_sheet, names) => {
    const cols = byName(names, PROCESS_COLUMNS, ['agentAssignedProcessId', 'name']) ?? byPosition(PROCESS_COLUMNS, names.length)
    if (cols.name < 0 || cols.agentAssignedProcessId < 0) {
      throw new UserInputError('ADS_PROCESS_COLUMNS', `the process file has ${names.length} columns; expected 8`, {
        location: {file: display, row: 1},
        hint: 'Columns: account, agent id, agent-assigned process id, is system, name, command line, path, time stamp.',
      })
    }
    const h = new Header(names, {file: display})
    return (cells: readonly Cell[]) => {
      const pid = h.str(cells, cols.agentAssignedProcessId)
      const name = h.str(cells, cols.name)
      if (pid && name) out.set(`${h.str(cells, cols.agentId) ?? ''}|${pid}`, name)
    }
  })
}

interface Flow {
  sourceIp: string
  sourcePort: number | undefined | null
  destinationIp: string
  destinationPort: number
  protocol: Protocol
  process: string | undefined
  count: number
  firstSeen: string | undefined
  lastSeen: string | undefined
}

async function readConnections(probe: FileProbe, file: string, processes: ReadonlyMap<string, string>, sink: ImportSink): Promise<void> {
  const pending = new Map<string, Flow>()
  const flush = (): void => {
    for (const f of pending.values()) sink.connection(toRecord(f))
    pending.clear()
  }
  let rows = 0
  await readCsv(probe, (_sheet, names) => {
    const named = byName(names, CONNECTION_COLUMNS, REQUIRED_BY_NAME)
    if (!named && names.length < 10) {
      throw new UserInputError('ADS_COLUMNS', `expected the 10 (or 12) columns of an ADS connection export, found ${names.length}`, {
        location: {file, row: 1},
        hint: 'Columns in order: account, agent id, source IP, source port, destination IP, destination port, IP version, transport protocol, process id, time stamp [, command path, command parameters].',
      })
    }
    const c = named ?? byPosition(CONNECTION_COLUMNS, names.length)
    // Read by position, a column is named in messages by what it holds as well as its header.
    const label = (n: string, i: number): string => {
      const canon = CONNECTION_COLUMNS[i]
      if (named || !canon) return n || `#${i + 1}`
      return n && squash(n) !== squash(canon) ? `${n} (${canon})` : canon
    }
    const h = new Header(names.map(label), {file})
    return (cells: readonly Cell[], row: number) => {
      if (isBlankRow(cells)) return
      const src = h.str(cells, c.sourceIp)
      const dst = h.str(cells, c.destinationIp)
      for (const [ip, col] of [
        [src, c.sourceIp],
        [dst, c.destinationIp],
      ] as const) {
        if (!ip || !looksLikeIp(ip)) {
          throw new UserInputError('ADS_BAD_IP', ip ? `not an IP address: ${JSON.stringify(ip).slice(0, 60)}` : 'missing IP address', {
            location: h.at(row, col),
            hint: 'Each connection row needs the source and destination IP addresses.',
          })
        }
      }
      const dport = h.num(cells, c.destinationPort, row, {min: 0, max: 65_535, integer: true})
      if (dport === undefined) {
        throw new UserInputError('ADS_NO_PORT', 'missing destination port', {
          location: h.at(row, c.destinationPort),
          hint: 'Each row needs the port the server listens on.',
        })
      }
      const sport = h.num(cells, c.sourcePort, row, {min: 0, max: 65_535, integer: true})
      const protoText = h.str(cells, c.transportProtocol)
      const protocol = parseProtocol(protoText)
      if (!protocol) {
        throw new UserInputError('ADS_BAD_PROTOCOL', `unknown transport protocol ${JSON.stringify(protoText ?? '')}`, {
          location: h.at(row, c.transportProtocol),
          hint: 'Use tcp or udp (or the protocol numbers 6 and 17).',
        })
      }
      const pid = h.str(cells, c.agentAssignedProcessId)
      const commandPath = h.str(cells, c.commandPath)
      const process =
        (pid ? processes.get(`${h.str(cells, c.agentId) ?? ''}|${pid}`) : undefined) ??
        (commandPath ? commandPath.replace(/^.*[\\/]/, '') || undefined : undefined)
      const seen = c.agentCreationDate < 0 ? undefined : utcTimestamp(cells[c.agentCreationDate])
      const key = `${src}|${dst}|${dport}|${protocol}|${process ?? ''}`
      const flow = pending.get(key)
      if (flow) {
        flow.count++
        if (flow.sourcePort !== sport) flow.sourcePort = null
        if (seen && (!flow.firstSeen || seen < flow.firstSeen)) flow.firstSeen = seen
        if (seen && (!flow.lastSeen || seen > flow.lastSeen)) flow.lastSeen = seen
      } else {
        if (pending.size >= MAX_PENDING_FLOWS) flush()
        pending.set(key, {
          sourceIp: src!,
          sourcePort: sport,
          destinationIp: dst!,
          destinationPort: dport,
          protocol,
          process,
          count: 1,
          firstSeen: seen,
          lastSeen: seen,
        })
      }
      if ((++rows & 0xffff) === 0) sink.progress(rows)
    }
  })
  flush()
}

function toRecord(f: Flow): ConnectionRecord {
  return {
    sourceIp: f.sourceIp,
    ...(f.sourcePort === undefined || f.sourcePort === null ? {} : {sourcePort: f.sourcePort}),
    destinationIp: f.destinationIp,
    destinationPort: f.destinationPort,
    protocol: f.protocol,
    ...(f.process ? {process: f.process} : {}),
    count: f.count,
    ...(f.firstSeen ? {firstSeen: f.firstSeen} : {}),
    ...(f.lastSeen ? {lastSeen: f.lastSeen} : {}),
  }
}
