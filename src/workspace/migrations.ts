/**
 * Versioned schema migrations of workspace.db. Append only: never edit a migration that has shipped.
 * `PRAGMA user_version` holds the version reached.
 */
export interface Migration {
  readonly version: number
  readonly description: string
  readonly sql: string
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sources, servers with their records and identity keys, connections, documents',
    sql: `
      CREATE TABLE source (
        id           INTEGER PRIMARY KEY,
        format       TEXT NOT NULL,
        path         TEXT NOT NULL,
        fingerprint  TEXT NOT NULL UNIQUE,
        kind         TEXT NOT NULL CHECK (kind IN ('declared','reported','measured')),
        observed_at  TEXT,
        imported_at  TEXT NOT NULL,
        servers      INTEGER NOT NULL DEFAULT 0,
        connections  INTEGER NOT NULL DEFAULT 0,
        notes        TEXT NOT NULL DEFAULT '[]'
      );
      CREATE TABLE server (
        id    TEXT PRIMARY KEY,
        name  TEXT NOT NULL,
        uuid  TEXT,
        -- 1 once any record of this server named an IP address: name-only matches are then refused
        has_ips  INTEGER NOT NULL DEFAULT 0,
        data  TEXT NOT NULL
      );
      CREATE INDEX server_name ON server (name COLLATE NOCASE);
      CREATE TABLE server_record (
        id           INTEGER PRIMARY KEY,
        server_id    TEXT NOT NULL REFERENCES server (id),
        source_id    INTEGER NOT NULL REFERENCES source (id),
        ref          TEXT,
        observed_at  TEXT,
        kinds        TEXT,
        facts        TEXT NOT NULL
      );
      CREATE INDEX server_record_server ON server_record (server_id);
      CREATE INDEX server_record_source ON server_record (source_id);
      CREATE TABLE identity (
        key        TEXT PRIMARY KEY,
        server_id  TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE connection (
        id          INTEGER PRIMARY KEY,
        source_id   INTEGER NOT NULL REFERENCES source (id),
        src_ip      TEXT NOT NULL,
        src_port    INTEGER,
        dst_ip      TEXT NOT NULL,
        dst_port    INTEGER NOT NULL,
        protocol    TEXT NOT NULL CHECK (protocol IN ('tcp','udp')),
        process     TEXT,
        count       INTEGER NOT NULL CHECK (count >= 1),
        bytes       INTEGER,
        first_seen  TEXT,
        last_seen   TEXT
      );
      CREATE INDEX connection_source ON connection (source_id);
      CREATE TABLE document (
        kind            TEXT PRIMARY KEY,
        schema_version  TEXT NOT NULL,
        data            TEXT NOT NULL
      );
    `,
  },
  {
    version: 2,
    description:
      'large documents in parts: the Assessment of 100,000 servers is about 400 MB of JSON, and one value that size doubled the peak memory of saving it',
    sql: `
      ALTER TABLE document ADD COLUMN parts INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE document_part (
        kind  TEXT NOT NULL,
        seq   INTEGER NOT NULL,
        data  BLOB NOT NULL,
        PRIMARY KEY (kind, seq)
      );
    `,
  },
  {
    version: 3,
    description:
      "a server known from one record keeps no merged copy (data = ''): readers merge that record, which gives the same server; a 100,000-VM import wrote 152 MB of copies",
    sql: `
      UPDATE server SET data = ''
      WHERE (SELECT count(*) FROM server_record r WHERE r.server_id = server.id) = 1;
    `,
  },
]
