import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {mib, gib, renderTable} from '../../src/cli/format.js'
import {filterServers, summarise, type ServerSummary} from '../../src/inventory/inventory.js'

export interface InventoryListResult {
  readonly total: number
  readonly matched: number
  readonly servers: readonly ServerSummary[]
}

export default class InventoryList extends BaseCommand<typeof InventoryList> {
  static override summary = 'List the servers in the workspace.'
  static override description =
    'One line per merged server: capacity, OS, where its data came from and how its utilisation is known (measured by an agent, reported by another tool, or none).'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'Windows servers with no utilisation data',
      command: '<%= config.bin %> <%= command.id %> --os windows --utilisation none',
    },
    {description: 'Search by name, IP, OS or application, as JSON', command: '<%= config.bin %> <%= command.id %> --search payroll --json'},
  ]
  static override flags = {
    search: Flags.string({char: 's', summary: 'Substring of name, FQDN, IP, OS or application.'}),
    os: Flags.string({summary: 'OS family.', options: ['windows', 'linux', 'unix', 'other']}),
    source: Flags.string({summary: 'Only servers with data from this format (rvtools, agent, …).'}),
    environment: Flags.string({summary: 'Only this environment (prod, dev, …).'}),
    application: Flags.string({summary: 'Only members of this application.'}),
    flag: Flags.string({
      summary: 'Only servers with this flag.',
      options: ['powered-off', 'suspended', 'no-utilisation', 'no-os', 'no-capacity'],
    }),
    utilisation: Flags.string({summary: 'How utilisation is known.', options: ['measured', 'reported', 'none']}),
    limit: Flags.integer({summary: 'Show at most this many servers.', min: 1}),
  }

  public async run(): Promise<InventoryListResult> {
    const ws = this.openWorkspace()
    const all = ws.servers()
    const f = this.flags
    const matched = filterServers(all, {
      search: f.search,
      osFamily: f.os as never,
      format: f.source,
      environment: f.environment,
      application: f.application,
      flag: f.flag,
      utilisation: f.utilisation as never,
    })
    const shown = (f.limit ? matched.slice(0, f.limit) : matched).map(summarise)
    this.log(
      renderTable(shown, [
        {header: 'id', get: (s) => s.id},
        {header: 'name', get: (s) => s.name},
        {header: 'os', get: (s) => s.os ?? s.osFamily},
        {header: 'vCPU', get: (s) => s.vcpus, align: 'right'},
        {header: 'memory', get: (s) => mib(s.memoryMib), align: 'right'},
        {header: 'storage', get: (s) => gib(s.storageGib), align: 'right'},
        {header: 'power', get: (s) => s.powerState},
        {header: 'utilisation', get: (s) => s.utilisation},
        {header: 'sources', get: (s) => s.formats.join(',')},
      ]),
    )
    this.log(`\n${matched.length} of ${all.length} servers${shown.length < matched.length ? ` (first ${shown.length} shown)` : ''}`)
    return {total: all.length, matched: matched.length, servers: shown}
  }
}
