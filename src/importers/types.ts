/**
 * The contract between importers and the workspace. An importer reads one unit (a file, or the
 * per-tab CSVs of one RVTools export) and streams model records into a sink; the workspace wraps
 * the whole read in one transaction, so a throw anywhere leaves the workspace as it was.
 */
import type {ConnectionRecord} from '../model/connection.js'
import type {FactKey, FactKind, ServerFacts} from '../model/server.js'

export type FormatId =
  | 'agent'
  | 'rvtools'
  | 'aws-import-template'
  | 'migration-evaluator'
  | 'azure-migrate'
  | 'ads-connections'
  | 'connections-csv'
  | 'generic-csv'

export interface ServerRecordInput {
  /** Where in the unit the record came from, e.g. `vInfo!12` or `row 7`. */
  readonly ref?: string
  readonly facts: ServerFacts
  /** Per-fact kind where it differs from the importer's default. */
  readonly kinds?: Partial<Record<FactKey, FactKind>>
  /** The data's own date for this record, when the source states one. */
  readonly observedAt?: string
}

export interface ImportNote {
  readonly code: string
  readonly message: string
  readonly ref?: string
}

export interface ImportSink {
  server(record: ServerRecordInput): void
  connection(record: ConnectionRecord): void
  /** Something skipped or assumed that the user should know about; does not fail the import. */
  note(note: ImportNote): void
  /** Rows read so far, for progress display. Cheap to call often. */
  progress(rows: number): void
}

/** A file or a group of files imported together as one source. */
export interface ImportUnit {
  /** Absolute paths, sorted. */
  readonly files: readonly string[]
  /** What messages call it: the file, or the folder of a multi-file export. */
  readonly display: string
  /** Cheap look at each file, made once during detection. */
  readonly probes: readonly FileProbe[]
}

export interface ImportOptions {
  /** Column mapping for generic CSVs: model field → source header. */
  readonly map?: Readonly<Record<string, string>>
}

export interface ReadResult {
  /** The data's own date for the whole unit (export time), when stated. */
  readonly observedAt?: string
}

export interface Importer {
  readonly format: FormatId
  /** One line for `import --help` and docs. */
  readonly label: string
  /** Default trust level of what it reads. */
  readonly kind: FactKind
  /**
   * Whether detection may pick this importer on its own. A catch-all format (generic CSV) sets
   * false: it is used only when forced with --format, where `detect` checks the file is usable.
   * @default true
   */
  readonly autoDetect?: boolean
  /**
   * Claims files that belong together as one unit (the per-tab CSVs of one RVTools export).
   * Files not claimed by any importer become single-file units.
   */
  group?(probes: readonly FileProbe[]): FileProbe[][]
  /** Whether this looks like the format; uses probes only (headers, sheet names). */
  detect(unit: ImportUnit): boolean
  read(unit: ImportUnit, sink: ImportSink, options: ImportOptions): Promise<ReadResult>
}

export type TextEncoding = 'utf8' | 'utf8-bom' | 'utf16le' | 'utf16be'

/** What detection knows about one file without reading it whole. */
export interface FileProbe {
  readonly path: string
  readonly size: number
  readonly type: 'csv' | 'xlsx' | 'json' | 'unknown'
  /** CSV: encoding and delimiter detected from the first bytes. */
  readonly encoding?: TextEncoding
  readonly delimiter?: string
  /** CSV: the header row, trimmed. */
  readonly header?: readonly string[]
  /** XLSX: sheet names in workbook order. */
  readonly sheets?: readonly string[]
  /** JSON: the value of a top-level `schemaVersion`, if one is near the start. */
  readonly schemaVersion?: string
}
