import {BaseCommand} from '../../src/cli/base-command.js'
import {inventoryStats, type InventoryStats} from '../../src/inventory/inventory.js'
import {renderStats} from '../../src/inventory/describe.js'

export type InventoryStatsResult = InventoryStats

export default class InventoryStatsCommand extends BaseCommand<typeof InventoryStatsCommand> {
  static override summary = 'Totals of the estate and how much of it is measured.'
  static override description =
    'Servers, vCPUs, memory and storage (with how many servers each total could not count), the OS mix, environments, and the data confidence: the share of servers whose utilisation was measured or reported rather than only their allocation known.'
  static override examples = ['<%= config.bin %> <%= command.id %>', '<%= config.bin %> <%= command.id %> --json']

  public async run(): Promise<InventoryStatsResult> {
    const ws = this.openWorkspace()
    const stats = inventoryStats(ws.servers())
    this.log(renderStats(stats))
    return stats
  }
}
