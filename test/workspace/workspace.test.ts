import {existsSync, writeFileSync} from 'node:fs'
import {availableParallelism} from 'node:os'
import {join} from 'node:path'

import Database from 'better-sqlite3'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {ConfigError, UserInputError} from '../../src/errors.js'
import type {ImportSink} from '../../src/importers/types.js'
import type {FactKey, FactKind, ServerFacts} from '../../src/model/server.js'
import {mergeServer, type StoredRecord} from '../../src/workspace/merge.js'
import {MIGRATIONS} from '../../src/workspace/migrations.js'
import {encodeServer, Workspace} from '../../src/workspace/workspace.js'
import {tempDir} from '../helpers/cli.js'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.cleanup())

const req = (fingerprint: string, format = 'rvtools') => ({format, path: `${fingerprint}.csv`, fingerprint, kind: 'declared' as const})

describe('Workspace', () => {
  it('creates a real SQLite database with the latest schema, in WAL mode', () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    expect(existsSync(join(tmp.dir, 'workspace.db'))).toBe(true)
    const version = ws.schemaVersion
    expect(version).toBeGreaterThanOrEqual(1)
    ws.close()
    // reopening runs no migration twice
    const again = Workspace.open(tmp.dir)
    expect(again.schemaVersion).toBe(version)
    again.close()
  })

  it('a private build keeps a rollback journal, rolls back a failed import, and is left in WAL mode', async () => {
    const ws = Workspace.open(tmp.dir, {create: true, private: true})
    const db = (ws as unknown as {db: Database.Database}).db
    expect(db.pragma('journal_mode', {simple: true})).toBe('delete')
    const server = (name: string) => ({facts: {hostname: name, ips: ['10.0.0.1']}, ref: name})
    await expect(
      ws.importSources([
        {
          request: req('bad'),
          read: async (sink: ImportSink) => {
            sink.server(server('a'))
            throw new UserInputError('TEST_BAD', 'bad row')
          },
        },
      ]),
    ).rejects.toThrow(/bad row/)
    expect(ws.serverCount()).toBe(0)
    await ws.importSources([{request: req('good'), read: async (sink: ImportSink) => (sink.server(server('b')), {})}])
    expect(existsSync(join(tmp.dir, 'workspace.db-wal'))).toBe(false)
    ws.close()
    const after = new Database(join(tmp.dir, 'workspace.db'))
    expect(after.pragma('journal_mode', {simple: true})).toBe('wal')
    expect(after.prepare('SELECT count(*) FROM server').pluck().get()).toBe(1)
    after.close()
    // and opened as usual afterwards, in WAL mode
    const again = Workspace.open(tmp.dir)
    expect((again as unknown as {db: Database.Database}).db.pragma('journal_mode', {simple: true})).toBe('wal')
    again.close()
  })

  it('lets SQLite sort with two helper threads on a machine with more than one core', () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    expect((ws as unknown as {db: Database.Database}).db.pragma('threads', {simple: true})).toBe(availableParallelism() > 1 ? 2 : 0)
    ws.close()
  })

  it('refuses to open a missing workspace unless asked to create it', () => {
    expect(() => Workspace.open(join(tmp.dir, 'nope'))).toThrow(ConfigError)
  })

  it('merges the same server from several sources into one', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    await ws.importSources([
      {
        request: req('a'),
        read: async (sink: ImportSink) => (
          sink.server({
            ref: 'vInfo!2',
            facts: {hostname: 'web01', vcpus: 4, ips: ['10.0.1.10'], biosUuid: '420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6c'},
          }),
          {}
        ),
      },
      // agent sees the byte-swapped SMBIOS UUID and a different name
      {
        request: {...req('b', 'agent'), kind: 'measured'},
        read: async (sink) => (
          sink.server({facts: {hostname: 'WEB01-renamed', vcpus: 2, biosUuid: '1c5a0b42-2e3f-4b9d-8a7c-1d2e3f4a5b6c'}}),
          {}
        ),
      },
      // CMDB row: name only
      {
        request: req('c', 'generic-csv'),
        read: async (sink) => (sink.server({facts: {hostname: 'web01.corp.example', environment: 'prod'}}), {}),
      },
      // another machine with the same short name but a different IP
      {request: req('d'), read: async (sink) => (sink.server({facts: {hostname: 'web01', ips: ['10.9.9.9']}}), {})},
    ])
    const servers = ws.servers()
    expect(servers).toHaveLength(2)
    const main = servers.find((s) => s.sourceIds.length === 3)!
    expect(main.vcpus).toBe(2)
    expect(main.environment).toBe('prod')
    expect(ws.findServer('10.0.1.10')?.id).toBe(main.id)
    ws.close()
  })

  it('a UUID mismatch prevents a weaker name match', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    await ws.importSources([
      {
        request: req('a'),
        read: async (sink) => (
          sink.server({facts: {hostname: 'clone', ips: ['10.0.0.5'], biosUuid: '11111111-2222-3333-4444-555555555555'}}),
          {}
        ),
      },
      {
        request: req('b'),
        read: async (sink) => (
          sink.server({facts: {hostname: 'clone', ips: ['10.0.0.5'], biosUuid: '99999999-2222-3333-4444-555555555555'}}),
          {}
        ),
      },
    ])
    expect(ws.serverCount()).toBe(2)
    ws.close()
  })

  it('rolls back everything when any unit fails, and re-importing adds nothing', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    const good = {
      request: req('good'),
      read: async (sink: ImportSink) => (
        sink.server({facts: {hostname: 'a1'}}),
        sink.connection({sourceIp: '10.0.0.1', destinationIp: '10.0.0.2', destinationPort: 22, protocol: 'tcp', count: 1}),
        {}
      ),
    }
    const bad = {
      request: req('bad'),
      read: async (sink: ImportSink) => {
        sink.server({facts: {hostname: 'b1'}})
        throw new UserInputError('X', 'row 3 is bad')
      },
    }
    await expect(ws.importSources([good, bad])).rejects.toThrow('row 3 is bad')
    expect(ws.serverCount()).toBe(0)
    expect(ws.connectionCount()).toBe(0)
    expect(ws.sources()).toEqual([])

    const first = await ws.importSources([good])
    expect(first[0]!.status).toBe('imported')
    const second = await ws.importSources([good])
    expect(second[0]!.status).toBe('unchanged')
    expect(ws.serverCount()).toBe(1)
    expect(ws.connectionCount()).toBe(1)
    ws.close()
  })

  it('a row the database refuses inside a multi-row insert rolls back the whole import; the connection is left as it was', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    const servers = (prefix: string, sink: ImportSink): void => {
      for (let i = 0; i < 300; i++) sink.server({facts: {hostname: `${prefix}${i}`, ips: [`10.1.${i >> 8}.${i & 255}`]}})
    }
    const conn = (i: number, count: number) => ({
      sourceIp: `10.0.0.${i & 255}`,
      destinationIp: '10.0.1.1',
      destinationPort: 443,
      protocol: 'tcp' as const,
      count,
    })
    const refused = {
      request: req('refused'),
      // 300 servers (several 64-row statements and their identity keys) and then a connection batch
      // whose 70th row breaks CHECK (count >= 1).
      read: async (sink: ImportSink) => {
        servers('web', sink)
        for (let i = 0; i < 200; i++) sink.connection(conn(i, i === 70 ? 0 : 1))
        return {}
      },
    }
    await expect(ws.importSources([refused])).rejects.toThrow(/CHECK constraint failed/)
    expect(ws.serverCount()).toBe(0)
    expect(ws.connectionCount()).toBe(0)
    expect(ws.sources()).toEqual([])
    const ok = {
      request: req('ok'),
      read: async (sink: ImportSink) => {
        servers('web', sink)
        for (let i = 0; i < 200; i++) sink.connection(conn(i, 1))
        return {}
      },
    }
    expect((await ws.importSources([ok]))[0]!.newServers).toBe(300)
    expect(ws.connectionCount()).toBe(200)
    // Statement journals are kept in memory during an import only; later sorts may spill to disk again.
    expect((ws as unknown as {db: Database.Database}).db.pragma('temp_store', {simple: true})).toBe(0)
    ws.close()
    const db = new Database(join(tmp.dir, 'workspace.db'), {readonly: true})
    // Two keys per server (host name + IP, host name): the refused import left none behind.
    expect(db.prepare('SELECT count(*) FROM identity').pluck().get()).toBe(600)
    db.close()
  })

  it('rejects a bad setting before touching the database', () => {
    writeFileSync(join(tmp.dir, 'migrate-plan.yaml'), 'assess:\n  comfortFactor: "lots"\n')
    expect(() => Workspace.open(tmp.dir, {create: true})).toThrow(/line 2: assess.comfortFactor/)
    expect(existsSync(join(tmp.dir, 'workspace.db'))).toBe(false)
  })

  it('stores and loads versioned documents', () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    ws.saveDocument('assessment', {schemaVersion: 'x/1'})
    ws.saveDocument('assessment', {schemaVersion: 'x/2'})
    expect(ws.loadDocument('assessment')).toEqual({schemaVersion: 'x/2'})
    expect(ws.loadDocument('plan')).toBeUndefined()
    ws.close()
  })

  it('stores documents as UTF-8 text, whatever characters they hold', () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    const doc = {schemaVersion: 'x/1', message: 'PostgreSQL → Aurora – é 😀', servers: [{id: 'a', n: 1.5}, null, []]}
    ws.saveDocument('plan', doc)
    expect(ws.loadDocument('plan')).toEqual(doc)
    ws.close()
    const db = new Database(join(tmp.dir, 'workspace.db'), {readonly: true})
    expect(db.prepare("SELECT typeof(data) AS type, data FROM document WHERE kind = 'plan'").get()).toEqual({
      type: 'text',
      data: JSON.stringify(doc),
    })
    db.close()
  })

  it('stores every record’s facts as the same UTF-8 text, through a record buffer that grows past 1 MiB and holds a record bigger than that', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    // ASCII records up to a few KB short of the buffer's first 1 MiB, then one whose characters
    // fit in what is left but whose UTF-8 bytes do not, then a 2.4 MB record, then more.
    const facts: ServerFacts[] = []
    let bytes = 0
    const add = (f: ServerFacts): void => {
      facts.push(f)
      bytes += Buffer.byteLength(JSON.stringify(f))
    }
    while (bytes < (1 << 20) - 6000) add({hostname: `host${facts.length}`, description: 'x'.repeat(500)})
    add({hostname: `host${facts.length}`, description: 'é'.repeat(4000)})
    add({hostname: `host${facts.length}`, description: 'é😀'.repeat(400_000)})
    for (let i = 0; i < 3000; i++)
      add({hostname: `host${facts.length}`, description: `${'é → 😀 '.repeat(i % 40)}${i}`, vcpus: (i % 8) + 1})
    await ws.importSources([
      {
        request: req('big'),
        read: async (sink: ImportSink) => {
          for (const f of facts) sink.server({facts: f, ref: f.hostname})
          return {}
        },
      },
    ])
    ws.close()
    const db = new Database(join(tmp.dir, 'workspace.db'), {readonly: true})
    const rows = db.prepare('SELECT ref, typeof(facts) AS type, facts FROM server_record ORDER BY id').all() as {
      ref: string
      type: string
      facts: string
    }[]
    db.close()
    expect(rows).toHaveLength(facts.length)
    const byRef = new Map(rows.map((r) => [r.ref, r]))
    for (const f of facts) expect(byRef.get(f.hostname!)).toEqual({ref: f.hostname, type: 'text', facts: JSON.stringify(f)})
  })

  it('stores a document larger than a part in parts, reads it back whole, and replaces it (parts and all)', () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    const doc = {schemaVersion: 'x/1', servers: Array.from({length: 2000}, (_, i) => ({id: `srv-${i}`, note: i % 3 ? 'é → 😀' : 'plain'}))}
    const bytes = Buffer.byteLength(JSON.stringify(doc))
    ws.saveDocument('assessment', doc, 1000)
    expect(ws.loadDocument('assessment')).toEqual(doc)
    const db = new Database(join(tmp.dir, 'workspace.db'), {readonly: true})
    const parts = () => db.prepare("SELECT count(*) AS n, sum(length(data)) AS bytes FROM document_part WHERE kind = 'assessment'").get()
    const stored = parts() as {n: number; bytes: number}
    expect(stored.bytes).toBe(bytes)
    expect(stored.n).toBeGreaterThanOrEqual(Math.ceil(bytes / 1000))
    expect(db.prepare("SELECT data, parts FROM document WHERE kind = 'assessment'").get()).toEqual({data: '', parts: stored.n})
    // a smaller document replaces it as text, and its parts go
    const small = {schemaVersion: 'x/1', servers: []}
    ws.saveDocument('assessment', small, 1000)
    expect(ws.loadDocument('assessment')).toEqual(small)
    expect(parts()).toEqual({n: 0, bytes: null})
    db.close()
    ws.close()
  })

  it('a workspace of schema version 1 is migrated, and read as it is when opened read-only', () => {
    const db = new Database(join(tmp.dir, 'workspace.db'))
    db.exec(MIGRATIONS.find((m) => m.version === 1)!.sql)
    db.pragma('user_version = 1')
    db.prepare('INSERT INTO document (kind, schema_version, data) VALUES (\'plan\', \'p/1\', \'{"schemaVersion":"p/1","waves":[]}\')').run()
    db.close()
    const ro = Workspace.open(tmp.dir, {readonly: true})
    expect(ro.schemaVersion).toBe(1)
    expect(ro.loadDocument('plan')).toEqual({schemaVersion: 'p/1', waves: []})
    ro.close()
    const ws = Workspace.open(tmp.dir)
    expect(ws.schemaVersion).toBe(MIGRATIONS.at(-1)!.version)
    expect(ws.loadDocument('plan')).toEqual({schemaVersion: 'p/1', waves: []})
    ws.close()
  })

  it('stores no merged copy of a server known from one record, and reads every server as the merge of its records', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    await ws.importSources([
      {
        request: req('a'),
        // dated only once the whole unit is read, as an export's own date is
        read: async (sink) => {
          sink.server({ref: 'vInfo!2', facts: {hostname: 'solo', ips: [' 10.0.0.7 ', '10.0.0.6'], tags: {b: '2', a: '1'}, vcpus: 2}})
          sink.server({ref: 'vInfo!3', facts: {hostname: 'pair', ips: ['10.0.0.8'], vcpus: 4}})
          sink.server({ref: 'vInfo!4', facts: {hostname: 'twice', ips: ['10.0.0.9'], vcpus: 1}})
          sink.server({ref: 'vInfo!5', facts: {hostname: 'twice', ips: ['10.0.0.9'], memoryMib: 2048}})
          return {observedAt: '2026-11-01T00:00:00.000Z'}
        },
      },
      {
        request: {...req('b', 'agent'), kind: 'measured'},
        read: async (sink) => (
          sink.server({observedAt: '2026-11-20T00:00:00.000Z', facts: {hostname: 'pair', ips: ['10.0.0.8'], vcpus: 8}}),
          {}
        ),
      },
    ])
    const db = new Database(join(tmp.dir, 'workspace.db'), {readonly: true})
    const stored = db.prepare('SELECT name, data FROM server ORDER BY name').all() as {name: string; data: string}[]
    expect(stored.map((r) => [r.name, r.data === ''])).toEqual([
      ['pair', false],
      ['solo', true],
      ['twice', false],
    ])
    // The definition: every server is mergeServer of all its records, dated by the record or else its source.
    const records = (id: string): StoredRecord[] =>
      (
        db
          .prepare(
            `SELECT r.source_id, s.format, s.path, r.ref, s.kind, r.kinds, COALESCE(r.observed_at, s.observed_at) AS observed_at, r.facts
             FROM server_record r JOIN source s ON s.id = r.source_id WHERE r.server_id = ? ORDER BY r.id`,
          )
          .all(id) as {
          source_id: number
          format: string
          path: string
          ref: string | null
          kind: FactKind
          kinds: string | null
          observed_at: string | null
          facts: string
        }[]
      ).map((r) => ({
        sourceId: r.source_id,
        format: r.format,
        file: r.path,
        ...(r.ref === null ? {} : {ref: r.ref}),
        kind: r.kind,
        ...(r.kinds === null ? {} : {kinds: JSON.parse(r.kinds) as Partial<Record<FactKey, FactKind>>}),
        ...(r.observed_at === null ? {} : {observedAt: r.observed_at}),
        facts: JSON.parse(r.facts) as ServerFacts,
      }))
    const servers = ws.servers()
    expect(servers.map((s) => s.name)).toEqual(['pair', 'solo', 'twice'])
    for (const server of servers) {
      expect(JSON.stringify(server)).toBe(JSON.stringify(mergeServer(server.id, records(server.id))))
      expect(ws.findServer(server.id)).toEqual(server)
    }
    const solo = servers.find((s) => s.name === 'solo')!
    expect(solo.ips).toEqual(['10.0.0.6', '10.0.0.7'])
    expect(solo.provenance.vcpus).toEqual([
      {sourceId: 1, format: 'rvtools', file: 'a.csv', ref: 'vInfo!2', kind: 'declared', observedAt: '2026-11-01T00:00:00.000Z'},
    ])
    expect(servers.find((s) => s.name === 'pair')!.vcpus).toBe(8)
    // planning reads pick the same facts from a stored merge and from a lone record
    for (const slim of ws.planningServers()) {
      const full = servers.find((s) => s.id === slim.id)!
      expect(slim).toEqual({id: full.id, name: full.name, ips: full.ips, ...(full.tags ? {tags: full.tags} : {}), flags: full.flags})
    }
    db.close()
    ws.close()
  })

  it('migration 3 drops the merged copy of servers known from one record; a version-2 workspace opened read-only is read as it is', async () => {
    const ws = Workspace.open(tmp.dir, {create: true})
    await ws.importSources([
      {
        request: req('a'),
        read: async (sink) => {
          sink.server({ref: 'vInfo!2', facts: {hostname: 'solo', ips: ['10.0.0.7'], vcpus: 2}})
          sink.server({ref: 'vInfo!3', facts: {hostname: 'twice', ips: ['10.0.0.9'], vcpus: 1}})
          sink.server({ref: 'vInfo!4', facts: {hostname: 'twice', ips: ['10.0.0.9'], memoryMib: 2048}})
          return {}
        },
      },
    ])
    const before = ws.servers()
    ws.close()
    // As version 2 stored it: every server with its merged copy.
    const db = new Database(join(tmp.dir, 'workspace.db'))
    const update = db.prepare('UPDATE server SET data = ? WHERE id = ?')
    for (const server of before) update.run(encodeServer(server), server.id)
    db.pragma('user_version = 2')
    db.close()
    const ro = Workspace.open(tmp.dir, {readonly: true})
    expect(ro.schemaVersion).toBe(2)
    expect(ro.servers()).toEqual(before)
    ro.close()
    const migrated = Workspace.open(tmp.dir)
    expect(migrated.schemaVersion).toBe(MIGRATIONS.at(-1)!.version)
    expect(migrated.servers()).toEqual(before)
    migrated.close()
    const check = new Database(join(tmp.dir, 'workspace.db'), {readonly: true})
    expect(check.prepare("SELECT name FROM server WHERE data = '' ORDER BY name").pluck().all()).toEqual(['solo'])
    check.close()
  })
})
