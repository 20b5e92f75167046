import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {renderTable} from '../src/cli/format.js'
import {parseMapFlag} from '../src/importers/generic-map.js'
import {FORMAT_IDS} from '../src/importers/registry.js'
import {importPaths} from '../src/importers/run.js'
import type {FormatId} from '../src/importers/types.js'

export interface ImportResult {
  readonly workspace: string
  readonly sources: readonly {
    readonly path: string
    readonly format: string
    readonly status: 'imported' | 'unchanged'
    readonly sourceId: number
    readonly servers: number
    readonly connections: number
    readonly newServers: number
    readonly mergedServers: number
    readonly notes: number
  }[]
  readonly totalServers: number
}

export default class Import extends BaseCommand<typeof Import> {
  static override summary = 'Import inventory files and folders into the workspace.'
  static override description = `Formats are detected from sheet names and headers: RVTools (xlsx or per-tab CSVs), the AWS Migration Hub import template, the Migration Evaluator inventory template, Azure Migrate CSV, ADS agent connection exports, a plain connections CSV, and migrate-plan agent files. Folders are read recursively.

The whole command is one transaction: if any file is bad, nothing is imported and the workspace stays as it was. Importing the same file again adds nothing. The same server seen by several sources becomes one server (matched on BIOS UUID, then FQDN, then host name + IP).`
  static override examples = [
    {description: 'Import the example estate', command: '<%= config.bin %> <%= command.id %> examples/acme'},
    {
      description: 'An RVTools workbook into another workspace',
      command: '<%= config.bin %> <%= command.id %> RVTools_export.xlsx --workspace ./assessment',
    },
    {
      description: 'A CMDB export with its own column names',
      command: '<%= config.bin %> <%= command.id %> cmdb.csv --format generic-csv --map hostname=Name,memory_mib=RAM,vcpus=CPUs',
    },
  ]
  static override strict = false
  static override args = {paths: Args.string({description: 'Files or folders to import', required: true})}
  static override flags = {
    format: Flags.string({char: 'f', summary: 'Force the input format instead of detecting it.', options: [...FORMAT_IDS]}),
    map: Flags.string({
      summary: 'Column mapping for generic CSVs: field=Header,… or @file.yaml.',
      description: 'Fields: see docs/formats.md#generic-csv. A mapping named in migrate-plan.yaml (import.maps) can be given by name.',
    }),
  }

  public async run(): Promise<ImportResult> {
    const paths = this.positional
    const ws = this.openWorkspace({create: true})
    const progress = this.progress('import')
    const result = await importPaths(ws, paths, {
      ...(this.flags.format ? {format: this.flags.format as FormatId} : {}),
      ...(this.flags.map ? {map: parseMapFlag(this.flags.map, ws.settings)} : {}),
      onProgress: (unit, rows) => progress.update(`${unit.path}: ${rows.toLocaleString('en-US')} rows`),
    })
    progress.done()
    const out: ImportResult = {
      workspace: ws.dir,
      sources: result.units.map((u) => ({
        path: u.path,
        format: u.format,
        status: u.outcome.status,
        sourceId: u.outcome.source.id,
        servers: u.outcome.source.servers,
        connections: u.outcome.source.connections,
        newServers: u.outcome.newServers,
        mergedServers: u.outcome.mergedServers,
        notes: u.outcome.source.notes.length,
      })),
      totalServers: ws.serverCount(),
    }
    this.log(
      renderTable(out.sources, [
        {header: 'source', get: (s) => s.path},
        {header: 'format', get: (s) => s.format},
        {header: 'status', get: (s) => s.status},
        {header: 'servers', get: (s) => s.servers, align: 'right'},
        {header: 'new', get: (s) => s.newServers, align: 'right'},
        {header: 'merged', get: (s) => s.mergedServers, align: 'right'},
        {header: 'connections', get: (s) => s.connections, align: 'right'},
        {header: 'notes', get: (s) => s.notes, align: 'right'},
      ]),
    )
    this.log(`\n${out.totalServers} servers in ${ws.dir}`)
    return out
  }
}
