/**
 * The workspace: a folder holding migrate-plan.yaml (settings) and workspace.db (SQLite, WAL),
 * the system of record for servers, their sources, utilisation, processes, listeners, software and
 * connections. This module is the only one that talks to the SQLite driver.
 */
import {hash} from 'node:crypto'
import {existsSync, mkdirSync, statSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join, resolve} from 'node:path'

import Database from 'better-sqlite3'

import {ConfigError, UserInputError} from '../errors.js'
import type {ImportNote, ImportSink, ReadResult, ServerRecordInput} from '../importers/types.js'
import type {AggregatedConnection, ConnectionRecord, InboundRecord, Protocol} from '../model/connection.js'
import type {BareServer, FactKey, FactKind, Provenance, Server, ServerFacts} from '../model/server.js'
import type {Settings} from '../model/settings.js'
import {jsonUtf8Parts} from '../util/json-pieces.js'
import {flatConcat, identityKeys} from './identity.js'
import {mergeServer, serverName, type StoredRecord} from './merge.js'
import {MIGRATIONS} from './migrations.js'
import {loadSettings} from './settings.js'

export const DATABASE_FILE = 'workspace.db'
/** Environment variable naming the workspace folder when `--workspace` is not given. */
export const WORKSPACE_ENV = 'MIGRATE_PLAN_WORKSPACE'

export interface SourceInfo {
  readonly id: number
  readonly format: string
  readonly path: string
  readonly kind: FactKind
  readonly observedAt?: string
  readonly servers: number
  readonly connections: number
  readonly notes: readonly ImportNote[]
}

/** A server as {@link Workspace.planningServers} returns it: the facts wave planning reads. */
export type PlanningServer = Pick<
  Server,
  | 'id'
  | 'name'
  | 'ips'
  | 'nics'
  | 'listeners'
  | 'applications'
  | 'tags'
  | 'folder'
  | 'description'
  | 'environment'
  | 'criticality'
  | 'software'
  | 'osFamily'
  | 'flags'
>

/** A group of stored connection records with the same endpoints, port, protocol and process, as {@link Workspace.connectionRows} streams it. */
export interface ConnectionRow {
  sourceIp: string
  destinationIp: string
  destinationPort: number
  protocol: Protocol
  process?: string
  count: number
  bytes?: number
  /** Stored records this row stands for. */
  records: number
}

export interface ImportRequest {
  readonly format: string
  /** What the source is called in provenance: the file, or the folder of a multi-file export. */
  readonly path: string
  /** Content hash of the unit; the same fingerprint twice is imported once. */
  readonly fingerprint: string
  readonly kind: FactKind
}

export interface ImportUnitRequest {
  readonly request: ImportRequest
  /** Streams the unit's records into the sink. */
  readonly read: (sink: ImportSink) => Promise<ReadResult>
}

export interface ImportOutcome {
  readonly status: 'imported' | 'unchanged'
  readonly source: SourceInfo
  /** Servers created by this import. */
  readonly newServers: number
  /** Existing servers this import added facts to. */
  readonly mergedServers: number
}

export interface OpenOptions {
  /** Create the folder and database when missing. @default false */
  readonly create?: boolean
  /** Open without taking write locks; fails if the database does not exist. @default false */
  readonly readonly?: boolean
  /**
   * Only this connection will use the database until close(): a workspace being built in a
   * folder nobody else knows, removed whole if the build fails (`plan` without --workspace). Until
   * close() it keeps a rollback journal instead of the WAL, so that each page is written once
   * rather than into the log and again at the checkpoint (at 100,000 servers the import alone
   * writes about 800 MB); close() returns it to WAL, for everyone after. @default false
   */
  readonly private?: boolean
}

/**
 * Helper threads SQLite may give one large sort, on a machine with more than one core. The
 * Assessment and the waves each group the connection records (2,000,000 in the plan benchmark,
 * about 3.5-5 s each): with two helpers about 1-2 s sooner each, for a little more CPU in all.
 */
const SORTER_THREADS = availableParallelism() > 1 ? 2 : 0

const AMBIGUOUS = ''
/** Identity keys whose value may be shared by unrelated servers; a clash makes them ambiguous. */
const WEAK_KEY = /^(host|hostnoip):/

export class Workspace {
  readonly dir: string
  readonly settings: Settings
  private readonly db: Database.Database

  private constructor(dir: string, db: Database.Database, settings: Settings) {
    this.dir = dir
    this.db = db
    this.settings = settings
  }

  /** Open (and migrate) the workspace in `dir`. Settings are validated first, so a bad file changes nothing. */
  static open(dir: string, options: OpenOptions = {}): Workspace {
    const abs = resolve(dir)
    if (existsSync(abs) && !statSync(abs).isDirectory()) {
      throw new ConfigError('WORKSPACE_NOT_DIR', `workspace ${abs} is a file, not a folder`, {
        hint: 'Point --workspace at a folder (it is created when missing).',
      })
    }
    const settings = loadSettings(abs)
    const dbPath = join(abs, DATABASE_FILE)
    if (!existsSync(dbPath) && !options.create) {
      throw new ConfigError('WORKSPACE_EMPTY', `no workspace in ${abs} (no ${DATABASE_FILE})`, {
        hint: 'Run `migrate-plan import <files>` first, or pass --workspace DIR pointing at an existing workspace.',
      })
    }
    if (!existsSync(abs)) mkdirSync(abs, {recursive: true})
    const fresh = !existsSync(dbPath)
    const db = new Database(dbPath, {readonly: options.readonly ?? false, fileMustExist: !options.create})
    try {
      if (!options.readonly) {
        // A merged server is several KiB of JSON: 16 KiB pages keep most of them out of overflow
        // chains (a large import writes about a third less). Only possible before the first table.
        if (fresh) db.pragma('page_size = 16384')
        db.pragma(options.private ? 'journal_mode = DELETE' : 'journal_mode = WAL')
        db.pragma('synchronous = NORMAL')
      }
      db.pragma('foreign_keys = ON')
      db.pragma('busy_timeout = 5000')
      db.pragma(`threads = ${SORTER_THREADS}`)
      if (!options.readonly) migrate(db)
      else checkVersion(db)
    } catch (error) {
      db.close()
      throw error
    }
    return new Workspace(abs, db, settings)
  }

  close(): void {
    if (!this.db.open) return
    // A private build (OpenOptions.private) leaves in WAL, as every other workspace is.
    if (!this.db.readonly && this.db.pragma('journal_mode', {simple: true}) !== 'wal') this.db.pragma('journal_mode = WAL')
    this.db.close()
  }

  /** Schema version reached by the database. */
  get schemaVersion(): number {
    return this.db.pragma('user_version', {simple: true}) as number
  }

  /**
   * Import units, each as one source, all or nothing: if any `read` throws, every row written by
   * this call is rolled back and the error is rethrown unchanged. A unit whose fingerprint is
   * already in the workspace is skipped as `unchanged`.
   */
  async importSources(units: readonly ImportUnitRequest[], onProgress?: (unit: number, rows: number) => void): Promise<ImportOutcome[]> {
    const db = this.db
    const outcomes: ImportOutcome[] = []
    // A statement that writes many rows inside a transaction keeps the pages it changes in a
    // statement journal, to undo itself alone on error; SQLite spills that journal to a temporary
    // file past 64 KiB, which a 32-row insert of records always passes: two write syscalls per page,
    // 117,000 pages for a 100,000-VM import. Kept in memory for the import instead (only one statement's
    // pages at a time). Not for every statement: a large sort elsewhere must still spill to disk.
    db.pragma('temp_store = MEMORY')
    try {
      db.exec('BEGIN IMMEDIATE')
      // Records of a server this import creates are written before the server row itself (see
      // ImportSession): foreign keys are checked at COMMIT.
      db.pragma('defer_foreign_keys = ON')
      for (const [index, {request, read}] of units.entries()) {
        const existing = db.prepare('SELECT id FROM source WHERE fingerprint = ?').get(request.fingerprint) as {id: number} | undefined
        if (existing) {
          outcomes.push({status: 'unchanged', source: this.source(existing.id)!, newServers: 0, mergedServers: 0})
          continue
        }
        const sourceId = Number(
          db
            .prepare('INSERT INTO source (format, path, fingerprint, kind, imported_at) VALUES (?, ?, ?, ?, ?)')
            .run(request.format, request.path, request.fingerprint, request.kind, new Date().toISOString()).lastInsertRowid,
        )
        const session = new ImportSession(db, sourceId)
        const notes: ImportNote[] = []
        const sink: ImportSink = {
          server: (record) => session.addServer(record),
          connection: (record) => session.addConnection(record),
          note: (note) => {
            if (notes.length < 1000) notes.push(note)
          },
          progress: (rows) => onProgress?.(index, rows),
        }
        const result = await read(sink)
        db.prepare('UPDATE source SET observed_at = ?, servers = ?, connections = ?, notes = ? WHERE id = ?').run(
          result.observedAt ?? null,
          session.serverCount,
          session.connectionCount,
          JSON.stringify(notes),
          sourceId,
        )
        session.flush()
        // Servers created by this unit from one record are merged when read; the others (existing
        // servers, or several records of this unit) are merged from every record now.
        const remerge = this.remerger()
        for (const id of session.needsMerge()) remerge(id)
        outcomes.push({
          status: 'imported',
          source: this.source(sourceId)!,
          newServers: session.created.size,
          mergedServers: session.existingTouched.size,
        })
      }
      db.exec('COMMIT')
      return outcomes
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK')
      throw error
    } finally {
      db.pragma('temp_store = DEFAULT')
    }
  }

  /** Recomputes a merged server from its records; the statements are prepared once per import, not per server. */
  private remerger(): (serverId: string) => void {
    const select = this.db.prepare(
      `SELECT ${RECORD_ROW_COLUMNS} FROM server_record r JOIN source s ON s.id = r.source_id WHERE r.server_id = ? ORDER BY r.id`,
    )
    const update = this.db.prepare('UPDATE server SET name = ?, data = ? WHERE id = ?')
    return (serverId) => {
      const rows = select.all(serverId) as RecordRow[]
      const server = mergeServer(serverId, rows.map(toStoredRecord))
      update.run(server.name, rows.length === 1 ? '' : encodeServer(server), serverId)
    }
  }

  source(id: number): SourceInfo | undefined {
    const row = this.db.prepare('SELECT * FROM source WHERE id = ?').get(id) as SourceRow | undefined
    return row && toSourceInfo(row)
  }

  sources(): SourceInfo[] {
    return (this.db.prepare('SELECT * FROM source ORDER BY id').all() as SourceRow[]).map(toSourceInfo)
  }

  serverCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM server').get() as {n: number}).n
  }

  /** Every merged server, ordered by name then id. */
  servers(): Server[] {
    return [...this.eachServer()]
  }

  /** The servers of {@link servers} without their provenance, which assessment, planning and the generators never read. */
  bareServers(): BareServer[] {
    const out: BareServer[] = []
    for (const server of this.eachServer()) out.push(withoutProvenance(server))
    return out
  }

  /** The servers of {@link servers}, in the same order, one at a time. */
  *eachServer(): IterableIterator<Server> {
    // Rows are read in storage order and put in name order here: read in name order, SQLite hopped
    // between the pages of servers and records (2.4 s against 0.7 s at 100,000 servers). The rows
    // (stored text, about 80 MB at 100,000 servers) are held; each server is made as it is asked for.
    const rows = this.db.transaction(() => {
      const order = this.db.prepare('SELECT id FROM server ORDER BY name COLLATE NOCASE, id').pluck().all() as string[]
      const position = new Map(order.map((id, i) => [id, i]))
      const inOrder = new Array<ServerRow | undefined>(order.length)
      for (const row of this.db.prepare(serverRows()).iterate() as Iterable<ServerRow>) inOrder[position.get(row.id)!] = row
      return inOrder
    })()
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i]!
      rows[i] = undefined
      yield serverFromRow(row)
    }
  }

  /**
   * Every server with only the facts wave planning reads (identity, addresses, listeners, labels,
   * environment, criticality, software, OS family, flags), ordered by id. SQLite picks the fields
   * out of the stored JSON, so provenance and utilisation are never parsed: a fraction of the time
   * and memory of {@link servers} on large estates. Absent facts are absent, never null.
   */
  planningServers(): PlanningServer[] {
    const fields = [
      'ips',
      'nics',
      'listeners',
      'applications',
      'tags',
      'folder',
      'description',
      'environment',
      'criticality',
      'software',
      'osFamily',
      'flags',
    ]
    // A stored merge is picked from by SQLite; a server known from one record is merged from it here.
    const picked = `CASE WHEN v.data = '' THEN NULL ELSE json_patch('{}', json_object('id', v.id, 'name', v.name, ${fields.map((f) => `'${f}', json_extract(v.data, '$.${f}')`).join(', ')})) END AS picked`
    const sql = `${serverRows(`'' AS data, ${picked}`)} ORDER BY v.id`
    const out: PlanningServer[] = []
    for (const row of this.db.prepare(sql).iterate() as Iterable<ServerRow & {picked: string | null}>) {
      if (row.picked !== null) {
        out.push(JSON.parse(row.picked) as PlanningServer)
        continue
      }
      const server = serverFromRow(row) as unknown as Record<string, unknown>
      const slim: Record<string, unknown> = {id: server.id, name: server.name}
      for (const f of fields) if (server[f] !== undefined) slim[f] = server[f]
      out.push(slim as unknown as PlanningServer)
    }
    return out
  }

  /** Find one server by id, exact name, host name, FQDN or IP; ambiguous names list the candidates. */
  findServer(query: string): Server | undefined {
    const q = query.trim()
    const byId = this.db.prepare(`${serverRows()} WHERE v.id = ?`).get(q) as ServerRow | undefined
    if (byId) return serverFromRow(byId)
    const lower = q.toLowerCase()
    const short = lower.split('.')[0]
    const keys = [`fqdn:${lower}`, `host:${lower}`, `host:${short}`]
    for (const key of keys) {
      const hit = this.db.prepare('SELECT server_id FROM identity WHERE key = ?').get(key) as {server_id: string} | undefined
      if (hit && hit.server_id !== AMBIGUOUS) return this.findServer(hit.server_id)
    }
    const candidates = this.db.prepare('SELECT id FROM server WHERE name = ? COLLATE NOCASE ORDER BY id').all(q) as {id: string}[]
    if (candidates.length === 1) return this.findServer(candidates[0]!.id)
    if (candidates.length > 1) {
      throw new UserInputError(
        'SERVER_AMBIGUOUS',
        `${candidates.length} servers are called ${JSON.stringify(q)}: ${candidates.map((c) => c.id).join(', ')}`,
        {
          hint: 'Give the server id instead.',
        },
      )
    }
    const byIp = this.db.prepare("SELECT server_id FROM identity WHERE key LIKE 'hostip:%' AND key LIKE ? LIMIT 2").all(`%|${lower}`) as {
      server_id: string
    }[]
    if (byIp.length === 1) return this.findServer(byIp[0]!.server_id)
    return undefined
  }

  /** Every connection record, aggregated by (source IP, destination IP, port, protocol), in a stable order. */
  aggregatedConnections(): AggregatedConnection[] {
    const rows = this.db
      .prepare(
        `SELECT src_ip, dst_ip, dst_port, protocol, group_concat(DISTINCT process) AS processes, sum(count) AS count,
                sum(bytes) AS bytes, min(first_seen) AS first_seen, max(last_seen) AS last_seen, group_concat(DISTINCT source_id) AS sources
         FROM connection GROUP BY src_ip, dst_ip, dst_port, protocol ORDER BY src_ip, dst_ip, dst_port, protocol`,
      )
      .iterate() as Iterable<AggregateRow>
    const out: AggregatedConnection[] = []
    for (const r of rows) {
      out.push({
        sourceIp: r.src_ip,
        destinationIp: r.dst_ip,
        destinationPort: r.dst_port,
        protocol: r.protocol as Protocol,
        processes: r.processes ? [...new Set(r.processes.split(','))].sort() : [],
        count: r.count,
        ...(r.bytes === null ? {} : {bytes: r.bytes}),
        ...(r.first_seen === null ? {} : {firstSeen: r.first_seen}),
        ...(r.last_seen === null ? {} : {lastSeen: r.last_seen}),
        sourceIds: r.sources
          .split(',')
          .map(Number)
          .sort((a, b) => a - b),
      })
    }
    return out
  }

  /**
   * What the assessment's inbound evidence needs: observations summed, first and last seen per
   * (destination IP, port, client IP), grouped by SQLite and streamed. At 2,000,000 records this
   * takes a fraction of the CPU and none of the memory of {@link aggregatedConnections}.
   * The yielded object is reused: copy what you keep.
   */
  *inboundConnections(): Generator<InboundRecord> {
    const row: {-readonly [K in keyof InboundRecord]: InboundRecord[K]} = {sourceIp: '', destinationIp: '', destinationPort: 0, count: 0}
    const stmt = this.db
      .prepare(
        'SELECT dst_ip, dst_port, src_ip, sum(count), min(first_seen), max(last_seen) FROM connection GROUP BY dst_ip, dst_port, src_ip',
      )
      .raw(true)
    for (const r of stmt.iterate() as Iterable<[string, number, string, number, string | null, string | null]>) {
      row.destinationIp = r[0]
      row.destinationPort = r[1]
      row.sourceIp = r[2]
      row.count = r[3]
      row.firstSeen = r[4] ?? undefined
      row.lastSeen = r[5] ?? undefined
      yield row
    }
  }

  /**
   * Every connection record, grouped by (source IP, destination IP, port, protocol, process) with
   * counts and bytes summed and `records` saying how many stored rows each stands for. Millions of
   * records collapse to a fraction as many rows (2,000,000 to about 750,000 in the plan benchmark),
   * and SQLite groups them for less CPU than building a JavaScript row for each. No order is
   * promised: the caller aggregates in one pass. The yielded object is reused: copy what you keep.
   */
  *connectionRows(): Generator<ConnectionRow> {
    const row: ConnectionRow = {sourceIp: '', destinationIp: '', destinationPort: 0, protocol: 'tcp', count: 1, records: 1}
    const stmt = this.db
      .prepare(
        `SELECT src_ip, dst_ip, dst_port, protocol, process, sum(count), sum(bytes), count(*) FROM connection
         GROUP BY src_ip, dst_ip, dst_port, protocol, process`,
      )
      .raw(true)
    for (const r of stmt.iterate() as Iterable<[string, string, number, Protocol, string | null, number, number | null, number]>) {
      row.sourceIp = r[0]
      row.destinationIp = r[1]
      row.destinationPort = r[2]
      row.protocol = r[3]
      row.process = r[4] ?? undefined
      row.count = r[5]
      row.bytes = r[6] ?? undefined
      row.records = r[7]
      yield row
    }
  }

  connectionCount(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM connection').get() as {n: number}).n
  }

  /**
   * Store a versioned document (assessment, plan, catalog …), replacing the previous one of that
   * kind. The JSON is built as UTF-8 bytes a piece at a time: a 100,000-server Assessment as one
   * JavaScript string took 800 MB (two bytes per character once any character is outside Latin-1,
   * such as the rules' arrows) on top of its UTF-8 copy. A document up to `partBytes` is stored as
   * text in `document.data`; a larger one in `document_part`, `partBytes` at a time, so that it is
   * never whole in memory (the Assessment of 100,000 servers is about 400 MB).
   */
  saveDocument(kind: string, doc: {readonly schemaVersion: string}, partBytes = DOCUMENT_PART_BYTES): void {
    const db = this.db
    db.transaction(() => {
      db.prepare('DELETE FROM document_part WHERE kind = ?').run(kind)
      const insertPart = db.prepare('INSERT INTO document_part (kind, seq, data) VALUES (?, ?, ?)')
      // The first part is held back: a document that fits in one part is stored whole, as text.
      let first: Buffer | undefined
      let seq = 0
      const parts = jsonUtf8Parts(doc, partBytes, (bytes) => {
        if (seq === 0 && first === undefined) {
          first = Buffer.from(bytes)
          return
        }
        if (first !== undefined) {
          insertPart.run(kind, seq++, first)
          first = undefined
        }
        insertPart.run(kind, seq++, bytes)
      })
      db.prepare(
        'INSERT INTO document (kind, schema_version, data, parts) VALUES (?, ?, CAST(? AS TEXT), ?) ON CONFLICT (kind) DO UPDATE SET schema_version = excluded.schema_version, data = excluded.data, parts = excluded.parts',
      ).run(kind, doc.schemaVersion, parts === 1 ? first! : '', parts === 1 ? 0 : parts)
    })()
  }

  loadDocument<T>(kind: string): T | undefined {
    const sql =
      this.schemaVersion >= 2 ? 'SELECT data, parts FROM document WHERE kind = ?' : 'SELECT data, 0 AS parts FROM document WHERE kind = ?'
    const row = this.db.prepare(sql).get(kind) as {data: string; parts: number} | undefined
    if (!row) return undefined
    if (row.parts === 0) return JSON.parse(row.data) as T
    // One buffer of the whole size, filled a part at a time.
    const size = this.db.prepare('SELECT sum(length(data)) FROM document_part WHERE kind = ?').pluck().get(kind) as number
    const text = Buffer.allocUnsafe(size)
    let at = 0
    let parts = 0
    for (const part of this.db
      .prepare('SELECT data FROM document_part WHERE kind = ? ORDER BY seq')
      .pluck()
      .iterate(kind) as Iterable<Buffer>) {
      at += part.copy(text, at)
      parts++
    }
    if (parts !== row.parts || at !== size) throw new Error(`workspace.db: the ${kind} document has ${parts} of its ${row.parts} parts`)
    return JSON.parse(text.toString('utf8')) as T
  }
}

/**
 * Documents larger than this are stored in parts of this size (see migration 2). A value larger
 * than SQLite's page cache (2 MB by default) is written several times more slowly: 400 MB as
 * 16 MiB parts took 4.8 s of CPU, as 1 MiB parts 1.5 s.
 */
const DOCUMENT_PART_BYTES = 1 << 20

const CONNECTION_COLUMNS = 11
const CONNECTION_BATCH = 64

/** What the session keeps about a server it created; its row is written by {@link ImportSession.flush}. */
interface CreatedServer {
  readonly name: string
  uuid: string | undefined
  hasIps: boolean
  /** Records this unit gave it; 1 means no merged copy is stored (it is merged from that record when read). */
  records: number
}

const RECORD_BATCH = 32
const SERVER_COLUMNS = 5
const SERVER_BATCH = 64
const IDENTITY_BATCH = 128
/**
 * Records are held until their facts fill this many bytes, then written sorted by server: rows
 * whose indexed server id comes in random order cost SQLite about three times as much to insert
 * as the same rows in order (measured: 100,000 records and servers, 2.4 s against 0.8 s). A run
 * of about 20,000 sorted records is enough for that: the index pages are still visited in order.
 * A larger buffer cost more than it saved, in memory first touched: at 64 MiB (grown from 1 MiB,
 * 127 MiB touched) a 100,000-VM import took 30,000 more page faults and about 1 s more CPU.
 */
const RECORD_BUFFER_BYTES = 16 << 20

/**
 * A record not yet written: its server, ref, date, per-fact kinds (JSON), and where its facts
 * (JSON, UTF-8) are in the session's record buffer.
 */
type PendingRecord = readonly [
  serverId: string,
  ref: string | null,
  observedAt: string | null,
  kinds: string | null,
  start: number,
  end: number,
]

/**
 * Per-import state: identity resolution and inserts, all inside the caller's transaction.
 *
 * Hot path for large imports: identity keys registered by this unit are resolved from memory
 * (SQLite is asked only about keys that existed before), records and keys are written in
 * multi-row statements, and a server created from a single record is stored without a merged
 * copy (readers merge that record), so it is neither merged nor read back here.
 */
class ImportSession {
  /** Servers this unit created, and the servers stored before it that it added records to. */
  readonly created = new Map<string, CreatedServer>()
  readonly existingTouched = new Set<string>()
  serverCount = 0
  connectionCount = 0
  /** Identity keys this unit registered or looked up → server id (AMBIGUOUS when a weak key clashed). */
  private readonly keys = new Map<string, string>()
  /** Keys the last resolve() found neither in `keys` nor in SQLite (a few, reused per record). */
  private readonly absent: string[] = []
  /** Keys of `keys` that were already stored before this unit, with their value now. */
  private readonly storedKeys = new Map<string, string>()
  /** Whether the workspace held identity keys before this unit (else SQLite need not be asked). */
  private readonly existingKeys: boolean
  /** Whether the workspace held servers before this unit (else a new id need not be checked against SQLite). */
  private readonly existingServers: boolean
  private readonly getIdentity: Database.Statement
  private readonly insertIdentity: Database.Statement
  private readonly insertIdentities: Database.Statement
  private readonly setIdentity: Database.Statement
  private readonly getServerUuid: Database.Statement
  private readonly getServerHasIps: Database.Statement
  private readonly setServerHasIps: Database.Statement
  private readonly setServerUuid: Database.Statement
  private readonly serverExists: Database.Statement
  private readonly insertServer: Database.Statement
  private readonly insertServers: Database.Statement
  private readonly insertRecord: Database.Statement
  private readonly insertRecords: Database.Statement
  private readonly insertConnection: Database.Statement
  private readonly insertConnections: Database.Statement
  /** Records not yet written; their facts are UTF-8 in `recordBytes` up to `recordEnd`. */
  private pendingRecords: PendingRecord[] = []
  /**
   * Outside the JavaScript heap: held as strings, the facts of 100,000 VMs (80 MB) were copied by
   * every young-generation collection they survived and then grew the old generation by as much.
   */
  private recordBytes: Buffer | undefined
  private recordEnd = 0
  /** Parameters of connections not yet written, CONNECTION_COLUMNS per row. */
  private pending: unknown[] = []

  constructor(
    db: Database.Database,
    private readonly sourceId: number,
  ) {
    this.existingKeys = db.prepare('SELECT 1 FROM identity LIMIT 1').get() !== undefined
    this.existingServers = db.prepare('SELECT 1 FROM server LIMIT 1').get() !== undefined
    this.getIdentity = db.prepare('SELECT server_id FROM identity WHERE key = ?').pluck()
    // OR ROLLBACK: a clash (a bug: both tables are written only with keys and ids checked free)
    // ends the whole import, as any error does, so that no multi-row statement needs a statement
    // journal to undo itself alone. Records and connections keep theirs: SQLite opens one for
    // their foreign keys whatever the conflict clause.
    const insertKeys = 'INSERT OR ROLLBACK INTO identity (key, server_id) VALUES '
    this.insertIdentity = db.prepare(`${insertKeys}(?, ?)`)
    this.insertIdentities = db.prepare(insertKeys + new Array(IDENTITY_BATCH).fill('(?, ?)').join(', '))
    this.setIdentity = db.prepare('UPDATE identity SET server_id = ? WHERE key = ? AND server_id <> ?')
    this.getServerUuid = db.prepare('SELECT uuid FROM server WHERE id = ?').pluck()
    this.getServerHasIps = db.prepare('SELECT has_ips FROM server WHERE id = ?').pluck()
    this.setServerHasIps = db.prepare('UPDATE server SET has_ips = 1 WHERE id = ? AND has_ips = 0')
    this.setServerUuid = db.prepare('UPDATE server SET uuid = ? WHERE id = ? AND uuid IS NULL')
    this.serverExists = db.prepare('SELECT 1 FROM server WHERE id = ?').pluck()
    const servers = 'INSERT OR ROLLBACK INTO server (id, name, uuid, has_ips, data) VALUES '
    const serverValues = `(${new Array(SERVER_COLUMNS).fill('?').join(', ')})`
    this.insertServer = db.prepare(servers + serverValues)
    this.insertServers = db.prepare(servers + new Array(SERVER_BATCH).fill(serverValues).join(', '))
    const records = 'INSERT INTO server_record (server_id, source_id, ref, observed_at, kinds, facts) VALUES '
    // Facts come as UTF-8 bytes out of the record buffer; CAST stores them as the same TEXT a string would be.
    const recordValues = '(?, ?, ?, ?, ?, CAST(? AS TEXT))'
    this.insertRecord = db.prepare(records + recordValues)
    this.insertRecords = db.prepare(records + new Array(RECORD_BATCH).fill(recordValues).join(', '))
    const insert =
      'INSERT INTO connection (source_id, src_ip, src_port, dst_ip, dst_port, protocol, process, count, bytes, first_seen, last_seen) VALUES '
    const values = `(${new Array(CONNECTION_COLUMNS).fill('?').join(', ')})`
    this.insertConnection = db.prepare(insert + values)
    this.insertConnections = db.prepare(insert + new Array(CONNECTION_BATCH).fill(values).join(', '))
  }

  addServer(record: ServerRecordInput): void {
    const keys = identityKeys(record.facts)
    const facts = compactFacts(record.facts)
    let serverId = this.resolve(keys.lookups, keys.uuid)
    if (!serverId) {
      const basis = keys.register[0] ?? `source:${this.sourceId}:${record.ref ?? this.serverCount}`
      serverId = this.newServerId(basis)
      this.created.set(serverId, {name: serverName(facts, serverId), uuid: keys.uuid, hasIps: keys.hasIps, records: 1})
    } else {
      const mine = this.created.get(serverId)
      if (mine) {
        mine.records++
        mine.uuid ??= keys.uuid
        mine.hasIps ||= keys.hasIps
      } else {
        if (keys.uuid) this.setServerUuid.run(keys.uuid, serverId)
        if (keys.hasIps) this.setServerHasIps.run(serverId)
        this.existingTouched.add(serverId)
      }
    }
    for (const key of keys.register) {
      // A key resolve() found nowhere is this server's: one Map operation instead of a lookup first.
      if (this.absent.includes(key)) this.keys.set(key, serverId)
      else this.register(key, serverId)
    }
    const json = JSON.stringify(facts)
    const bytes = this.roomForRecord(json.length)
    const start = this.recordEnd
    this.recordEnd += bytes.write(json, start, 'utf8')
    this.pendingRecords.push([
      serverId,
      record.ref ?? null,
      record.observedAt ?? null,
      record.kinds ? JSON.stringify(record.kinds) : null,
      start,
      this.recordEnd,
    ])
    this.serverCount++
  }

  /** First registration of a key wins; a weak key claimed by two servers becomes ambiguous. */
  private register(key: string, serverId: string): void {
    const mine = this.keys.get(key)
    if (mine !== undefined) {
      if (mine !== serverId && mine !== AMBIGUOUS && WEAK_KEY.test(key)) {
        this.keys.set(key, AMBIGUOUS)
        if (this.storedKeys.has(key)) this.storedKeys.set(key, AMBIGUOUS)
      }
      return
    }
    const stored = this.existingKeys ? (this.getIdentity.get(key) as string | undefined) : undefined
    if (stored === undefined) {
      this.keys.set(key, serverId)
    } else {
      // Known before this unit: remembered (and re-written only if it becomes ambiguous).
      this.keys.set(key, stored !== serverId && stored !== AMBIGUOUS && WEAK_KEY.test(key) ? AMBIGUOUS : stored)
      this.storedKeys.set(key, this.keys.get(key)!)
    }
  }

  /**
   * The server of the strongest key that matches, or undefined. Keys found neither in this unit
   * nor in the workspace are left in {@link absent}.
   */
  private resolve(lookups: readonly (readonly string[])[], uuid: string | undefined): string | undefined {
    this.absent.length = 0
    for (const [i, alternatives] of lookups.entries()) {
      for (const key of alternatives) {
        const id = this.keys.get(key) ?? (this.existingKeys ? (this.getIdentity.get(key) as string | undefined) : undefined)
        if (id === undefined) this.absent.push(key)
        if (!id || id === AMBIGUOUS) continue
        const mine = this.created.get(id)
        // A name-only key joins a record with IPs to a server only while that server knows no IP.
        if (key.startsWith('hostnoip:') && (mine ? mine.hasIps : this.getServerHasIps.get(id))) continue
        // A weaker key must not join two machines whose UUIDs say they differ.
        if (i > 0 && uuid) {
          const other = mine ? mine.uuid : (this.getServerUuid.get(id) as string | null | undefined)
          if (other && other !== uuid) continue
        }
        return id
      }
    }
    return undefined
  }

  /** The shortest free id derived from `basis`. */
  private newServerId(basis: string): string {
    const digest = hash('sha256', basis)
    for (let n = 10; n <= digest.length; n += 2) {
      // A flat string, as identity keys are: used by the Maps, the sort and SQLite.
      const id = flatConcat('srv-', digest.slice(0, n))
      if (!this.created.has(id) && !(this.existingServers && this.serverExists.get(id))) return id
    }
    throw new Error(`cannot allocate a server id for ${basis}`)
  }

  /** Servers to merge from all their records now: those stored before, and those this unit gave several records. */
  *needsMerge(): Iterable<string> {
    yield* this.existingTouched
    for (const [id, c] of this.created) if (c.records > 1) yield id
  }

  /** Connections are written CONNECTION_BATCH rows per statement: about a quarter less CPU per row than one statement each. */
  addConnection(c: ConnectionRecord): void {
    const p = this.pending
    p.push(
      this.sourceId,
      c.sourceIp,
      c.sourcePort ?? null,
      c.destinationIp,
      c.destinationPort,
      c.protocol,
      c.process ?? null,
      c.count,
      c.bytes ?? null,
      c.firstSeen ?? null,
      c.lastSeen ?? null,
    )
    if (p.length === CONNECTION_BATCH * CONNECTION_COLUMNS) {
      this.insertConnections.run(p)
      this.pending = []
    }
    this.connectionCount++
  }

  /**
   * The record buffer, with room for `chars` more UTF-16 units as UTF-8 (at most 3 bytes each).
   * It starts at 1 MiB and doubles up to RECORD_BUFFER_BYTES, so that a small import does not
   * reserve 16 MiB; once that size is full, the records are written.
   */
  private roomForRecord(chars: number): Buffer {
    const need = this.recordEnd + chars * 3
    let bytes = this.recordBytes
    if (bytes && need <= bytes.length) return bytes
    if (bytes && bytes.length >= RECORD_BUFFER_BYTES) {
      this.writeRecords()
      if (chars * 3 <= bytes.length) return bytes
    }
    let size = bytes?.length ?? 1 << 20
    while (size < this.recordEnd + chars * 3) size *= 2
    const grown = Buffer.allocUnsafe(size)
    if (bytes) bytes.copy(grown, 0, 0, this.recordEnd)
    this.recordBytes = bytes = grown
    return bytes
  }

  /** The buffered records, sorted by server (a stable sort: a server's records keep their order). */
  private writeRecords(): void {
    const sorted = byServer(this.pendingRecords)
    this.pendingRecords = []
    this.recordEnd = 0
    const bytes = this.recordBytes
    if (!bytes) return
    const row = (r: PendingRecord, out: unknown[]): void => void out.push(r[0], this.sourceId, r[1], r[2], r[3], bytes.subarray(r[4], r[5]))
    writeRows(sorted, RECORD_BATCH, this.insertRecords, this.insertRecord, row)
  }

  /** Write everything still buffered; called once the unit has been read. */
  flush(): void {
    this.writeRecords()
    // New servers, and then new identity keys, are written in key order: appending to a B-tree costs
    // a fraction of inserting hundreds of thousands of random keys. Without a comparator, sort()
    // orders strings by UTF-16 code units, as `<` does, and several times faster.
    const created = [...this.created.keys()].sort()
    writeRows(created, SERVER_BATCH, this.insertServers, this.insertServer, (id, out) => {
      const c = this.created.get(id)!
      // No merged copy (data = ''): a server known from one record is merged from it when read.
      out.push(id, c.name, c.uuid ?? null, c.hasIps ? 1 : 0, '')
    })
    const fresh: string[] = []
    for (const key of this.keys.keys()) if (!this.storedKeys.has(key)) fresh.push(key)
    writeRows(
      fresh.sort(),
      IDENTITY_BATCH,
      this.insertIdentities,
      this.insertIdentity,
      (key, out) => void out.push(key, this.keys.get(key)),
    )
    for (const [key, id] of this.storedKeys) this.setIdentity.run(id, key, id)
    const c = this.pending
    for (let i = 0; i < c.length; i += CONNECTION_COLUMNS) this.insertConnection.run(c.slice(i, i + CONNECTION_COLUMNS))
    this.pending = []
  }
}

const POSITION = 2 ** 21
const HEX8 = /^[0-9a-f]{8}$/

/**
 * `records` in server id order, each server's records in their own order. A server id is `srv-`
 * and hex digits: its first 8 digits and the record's position make one number (32 + 21 bits,
 * exact in a double), and a Float64Array sorts numbers natively, where a comparator over the id
 * strings took about 0.2 s per 100,000 records. Ids that share their first 8 digits come out
 * interleaved in position order: still written, only less in order. Any other id, or more
 * records than positions, falls back to the comparator.
 */
export function byServer<R extends readonly [serverId: string, ...rest: unknown[]]>(records: readonly R[]): readonly R[] {
  const keys = new Float64Array(records.length)
  let packed = records.length <= POSITION
  for (let i = 0; packed && i < records.length; i++) {
    const id = records[i]![0]
    const digits = id.slice(4, 12)
    packed = id.startsWith('srv-') && HEX8.test(digits)
    keys[i] = Number.parseInt(digits, 16) * POSITION + i
  }
  if (packed) return Array.from(keys.sort(), (k) => records[k % POSITION]!)
  return [...records].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
}

/** Writes `items` `batch` rows per statement, the rest one row per statement; `row` pushes one item's parameters. */
function writeRows<T>(
  items: readonly T[],
  batch: number,
  many: Database.Statement,
  one: Database.Statement,
  row: (item: T, out: unknown[]) => void,
): void {
  let i = 0
  for (; i + batch <= items.length; i += batch) {
    const params: unknown[] = []
    for (let j = i; j < i + batch; j++) row(items[j]!, params)
    many.run(params)
  }
  for (; i < items.length; i++) {
    const params: unknown[] = []
    row(items[i]!, params)
    one.run(params)
  }
}

/**
 * Stored form of a merged server. Its provenance repeats the same one or two sources for every
 * fact (source, format, file, ref, kind, date: about 5 KiB of a 7 KiB server), so each distinct
 * entry is stored once under `provenance.$sources` and every fact lists indexes into it under
 * `provenance.$refs`. The key order is kept, so a decoded server serialises exactly as before.
 * Rows stored in the plain form (older workspaces) decode as they are.
 */
export function encodeServer(server: Server): string {
  const sources: Provenance[] = []
  const refs: Record<string, number[]> = {}
  for (const [key, list] of Object.entries(server.provenance) as [string, readonly Provenance[]][]) {
    refs[key] = list.map((p) => {
      // A server has few distinct entries: a linear scan beats building a key string per fact.
      let i = sources.findIndex((q) => sameProvenance(p, q))
      if (i < 0) i = sources.push(p) - 1
      return i
    })
  }
  return JSON.stringify({...server, provenance: {$sources: sources, $refs: refs}})
}

/** Same serialised entry (an absent field and an undefined one serialise alike). */
function sameProvenance(a: Provenance, b: Provenance): boolean {
  return (
    a.sourceId === b.sourceId &&
    a.ref === b.ref &&
    a.kind === b.kind &&
    a.observedAt === b.observedAt &&
    a.format === b.format &&
    a.file === b.file
  )
}

/** A copy of the server without `provenance`, its other keys in the same order. */
export function withoutProvenance(server: Server): BareServer {
  const {provenance: _provenance, ...bare} = server
  return bare
}

export function decodeServer(data: string): Server {
  const server = JSON.parse(data) as Server & {provenance: {$sources?: Provenance[]; $refs?: Record<string, number[]>}}
  const {$sources, $refs} = server.provenance
  if (!$sources || !$refs) return server
  const provenance: Record<string, Provenance[]> = {}
  for (const key of Object.keys($refs)) provenance[key] = $refs[key]!.map((i) => $sources[i]!)
  server.provenance = provenance
  return server
}

/** Whether a fact value says something: not null, not blank, not an empty list, not NaN or infinite. */
function said(v: unknown): boolean {
  if (v === undefined || v === null) return false
  if (typeof v === 'string') return v.trim() !== ''
  if (typeof v === 'number') return Number.isFinite(v)
  return !Array.isArray(v) || v.length > 0
}

/**
 * Drops undefined, empty strings and empty lists so that stored facts only hold what was said.
 * Facts whose only gaps are undefined values come back as they are: JSON leaves those out, so the
 * stored text is the same, and most records are like that (an RVTools VM's are).
 */
function compactFacts(facts: ServerFacts): ServerFacts {
  // Object.keys, not Object.entries: a pair array per fact was a tenth of a large import's garbage.
  const source = facts as Record<string, unknown>
  const keys = Object.keys(source)
  let i = 0
  while (i < keys.length && (source[keys[i]!] === undefined || said(source[keys[i]!]))) i++
  if (i === keys.length) return facts
  const out: Record<string, unknown> = {}
  for (const k of keys) if (said(source[k])) out[k] = source[k]
  return out as ServerFacts
}

function migrate(db: Database.Database): void {
  const current = checkVersion(db)
  const pending = MIGRATIONS.filter((m) => m.version > current)
  if (pending.length === 0) return
  db.transaction(() => {
    for (const m of pending) {
      db.exec(m.sql)
      db.pragma(`user_version = ${m.version}`)
    }
  })()
}

function checkVersion(db: Database.Database): number {
  const current = db.pragma('user_version', {simple: true}) as number
  const latest = MIGRATIONS.at(-1)!.version
  if (current > latest) {
    throw new ConfigError(
      'WORKSPACE_TOO_NEW',
      `workspace.db has schema version ${current}, newer than this migrate-plan understands (${latest})`,
      {
        hint: 'Upgrade migrate-plan, or use another workspace folder.',
      },
    )
  }
  return current
}

interface SourceRow {
  id: number
  format: string
  path: string
  kind: FactKind
  observed_at: string | null
  servers: number
  connections: number
  notes: string
}

function toSourceInfo(r: SourceRow): SourceInfo {
  return {
    id: r.id,
    format: r.format,
    path: r.path,
    kind: r.kind,
    ...(r.observed_at === null ? {} : {observedAt: r.observed_at}),
    servers: r.servers,
    connections: r.connections,
    notes: JSON.parse(r.notes) as ImportNote[],
  }
}

/** The columns of a {@link RecordRow}, from `server_record r` joined to its `source s`: a record is dated by itself, else by its source. */
const RECORD_ROW_COLUMNS =
  'r.source_id, s.format, s.path, r.ref, s.kind, r.kinds, COALESCE(r.observed_at, s.observed_at) AS observed_at, r.facts'

/**
 * Stored servers with, for one known from a single record (data = ''), that record: one row per
 * server, since a server with more records has its merge stored. `data` is what the row's `data`
 * column holds (the stored merge unless the caller picks from it in SQL).
 */
function serverRows(data = 'v.data'): string {
  return `SELECT v.id, ${data}, ${RECORD_ROW_COLUMNS}
  FROM server v LEFT JOIN server_record r ON v.data = '' AND r.server_id = v.id LEFT JOIN source s ON s.id = r.source_id`
}

type ServerRow = {id: string; data: string} & (RecordRow | {[K in keyof RecordRow]: null})

function serverFromRow(row: ServerRow): Server {
  if (row.data !== '') return decodeServer(row.data)
  if (row.facts === null) throw new Error(`server ${row.id} has neither a merged copy nor a record`)
  return mergeServer(row.id, [toStoredRecord(row)])
}

interface RecordRow {
  source_id: number
  format: string
  path: string
  ref: string | null
  kind: FactKind
  kinds: string | null
  observed_at: string | null
  facts: string
}

function toStoredRecord(r: RecordRow): StoredRecord {
  return {
    sourceId: r.source_id,
    format: r.format,
    file: r.path,
    ...(r.ref === null ? {} : {ref: r.ref}),
    kind: r.kind,
    ...(r.kinds === null ? {} : {kinds: JSON.parse(r.kinds) as Partial<Record<FactKey, FactKind>>}),
    ...(r.observed_at === null ? {} : {observedAt: r.observed_at}),
    facts: JSON.parse(r.facts) as ServerFacts,
  }
}

interface AggregateRow {
  src_ip: string
  dst_ip: string
  dst_port: number
  protocol: string
  processes: string | null
  count: number
  bytes: number | null
  first_seen: string | null
  last_seen: string | null
  sources: string
}
