import {Args, Flags} from '@oclif/core'

import {renderTable} from '../../src/cli/format.js'
import {BaseCommand} from '../../src/cli/base-command.js'
import {catalogOverview, catalogTypeView, similarTypes, type CatalogOverview, type CatalogTypeView} from '../../src/catalog/show.js'
import {hasWorkspace, workspaceCatalog} from '../../src/catalog/store.js'
import {describeSpec} from '../../src/catalog/text.js'
import {UserInputError} from '../../src/errors.js'

export type CatalogShowResult = CatalogOverview | CatalogTypeView

export default class CatalogShow extends BaseCommand<typeof CatalogShow> {
  static override summary = 'Show the price and instance catalog, or one instance type with its prices and their sources.'
  static override description =
    'Without TYPE: the catalog version, regions with how many types are priced per OS, the sources with their dates, the rules that derive prices, and the known gaps. With TYPE: its specification and every price (on-demand, reserved) per region and OS, each with source, date and whether it was read or derived. Uses the workspace catalog when `catalog refresh` has stored one.'
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {description: 'One type in one region', command: '<%= config.bin %> <%= command.id %> m5.large --region eu-west-1'},
    {description: 'As JSON', command: '<%= config.bin %> <%= command.id %> t3.medium --json'},
  ]
  static override args = {type: Args.string({description: 'Instance type, e.g. m5.large'})}
  static override flags = {region: Flags.string({char: 'r', summary: 'Only this region.'})}

  public async run(): Promise<CatalogShowResult> {
    const ws = hasWorkspace(this.flags.workspace) ? this.openWorkspace({readonly: true}) : undefined
    const catalog = workspaceCatalog(ws)
    const region = this.flags.region
    if (region && !catalog.regions.includes(region)) {
      throw new UserInputError('CATALOG_UNKNOWN_REGION', `the catalog has no prices for region ${JSON.stringify(region)}`, {
        hint: `Known regions: ${catalog.regions.join(', ')}. Or run \`migrate-plan catalog refresh --region ${region}\`.`,
      })
    }
    const type = this.args.type
    if (!type) {
      const o = catalogOverview(catalog, region)
      this.log(`Catalog ${o.version} (${o.origin}), ${o.instanceTypesWithSpecification} instance types with a specification\n`)
      this.log(
        renderTable(o.regions, [
          {header: 'region', get: (r) => r.region + (r.refreshed ? ' (refreshed)' : '')},
          ...(['linux', 'windows', 'rhel', 'suse'] as const).map((os) => ({
            header: os,
            get: (r: (typeof o.regions)[number]) =>
              `${r.onDemand[os].priced}${r.onDemand[os].derived ? ` (${r.onDemand[os].derived} derived)` : ''}`,
            align: 'right' as const,
          })),
          {header: 'reserved', get: (r) => r.reserved, align: 'right'},
          {header: 'services', get: (r) => r.services.join(',')},
        ]),
      )
      this.log(`\nSources:\n${o.sources.map((s) => `  ${s.id}  ${s.date}  ${s.title}`).join('\n')}`)
      this.log(`\nGaps:\n${o.gaps.map((g) => `  - ${g}`).join('\n')}`)
      return o
    }
    const view = catalogTypeView(catalog, type, region)
    if (!view.specification && view.prices.length === 0) {
      const near = similarTypes(catalog, type)
      throw new UserInputError('CATALOG_UNKNOWN_TYPE', `the catalog knows no instance type ${JSON.stringify(type)}`, {
        hint: near.length > 0 ? `Same family: ${near.join(', ')}` : 'Run `migrate-plan catalog show` for the regions and sources.',
      })
    }
    this.log(
      `${type}: ${view.specification ? describeSpec(view.specification) : 'specification not in the catalog (run `catalog refresh`)'}\n`,
    )
    this.log(
      renderTable(view.prices, [
        {header: 'region', get: (p) => p.region},
        {header: 'os', get: (p) => p.os},
        {header: 'model', get: (p) => p.model},
        {header: 'USD/hour', get: (p) => String(p.usdPerHour), align: 'right'},
        {header: 'USD/month', get: (p) => p.usdPerMonth.toFixed(2), align: 'right'},
        {header: 'basis', get: (p) => (p.rule ? `${p.basis} (${p.rule})` : p.basis)},
        {header: 'source', get: (p) => `${p.sourceId} ${p.date}`},
      ]),
    )
    if (view.missing.length > 0) this.log(`\nNot in the catalog: ${view.missing.join(', ')}`)
    return view
  }
}
