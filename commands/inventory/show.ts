import {Args} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {renderTable} from '../../src/cli/format.js'
import {UserInputError} from '../../src/errors.js'
import {describeFacts} from '../../src/inventory/describe.js'
import type {Server} from '../../src/model/server.js'

export type InventoryShowResult = Server

export default class InventoryShow extends BaseCommand<typeof InventoryShow> {
  static override summary = 'Show one merged server and where each field came from.'
  static override description =
    'Each field shows its value and its provenance: the source file (and sheet/row), the format, whether it was measured, reported or declared, and when the source observed it.'
  static override examples = ['<%= config.bin %> <%= command.id %> web01', '<%= config.bin %> <%= command.id %> 10.0.1.15 --json']
  static override args = {server: Args.string({description: 'Server id, name, FQDN or IP address', required: true})}

  public async run(): Promise<InventoryShowResult> {
    const ws = this.openWorkspace()
    const server = ws.findServer(this.args.server)
    if (!server) {
      throw new UserInputError('SERVER_NOT_FOUND', `no server matches ${JSON.stringify(this.args.server)}`, {
        hint: 'List servers with `migrate-plan inventory list --search <text>`.',
      })
    }
    this.log(`${server.name} (${server.id})${server.flags.length > 0 ? `  flags: ${server.flags.join(', ')}` : ''}\n`)
    this.log(
      renderTable(describeFacts(server), [
        {header: 'field', get: (r) => r.field},
        {header: 'value', get: (r) => r.value},
        {header: 'kind', get: (r) => r.kind},
        {header: 'from', get: (r) => r.from},
      ]),
    )
    return server
  }
}
