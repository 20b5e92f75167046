import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {refreshRegion} from '../../src/aws/refresh.js'
import {loadCatalog} from '../../src/catalog/catalog.js'
import {CATALOG_DOCUMENT, storedRefresh} from '../../src/catalog/store.js'
import {UserInputError} from '../../src/errors.js'
import {CATALOG_REFRESH_SCHEMA_VERSION, PRICE_OSES, type CatalogRefreshDocument, type PriceOs} from '../../src/model/catalog.js'

export interface CatalogRefreshResult {
  readonly region: string
  /** The price list's own date (latest publicationDate read). */
  readonly publicationDate: string
  readonly fetchedAt: string
  /** Version of the workspace catalog after the refresh. */
  readonly catalogVersion: string
  readonly onDemand: Readonly<Record<PriceOs, number>>
  readonly reservedTypes: number
  readonly ebsVolumeTypes: readonly string[]
  readonly instanceTypes: number
  readonly products: number
  readonly pages: number
}

export default class CatalogRefresh extends BaseCommand<typeof CatalogRefresh> {
  static override summary = 'Replace one region of the catalog with current prices from the AWS Price List and EC2 APIs.'
  static override description =
    'Calls the AWS Price List API (GetProducts for AmazonEC2: Linux, Windows licence included, RHEL and SUSE on shared tenancy, on-demand and reserved terms, and EBS storage) and EC2 DescribeInstanceTypes, then stores the result in the workspace, where it replaces the embedded data of that region for every later command. Needs credentials allowed pricing:GetProducts and ec2:DescribeInstanceTypes. On any AWS error (no credentials, throttling, access denied) it exits with 3 and the catalog stays as it was.'
  static override examples = [
    '<%= config.bin %> <%= command.id %> --region eu-west-1',
    {description: 'With a named profile', command: '<%= config.bin %> <%= command.id %> --region us-east-1 --profile pricing-reader'},
  ]
  static override flags = {
    region: Flags.string({char: 'r', summary: 'Region whose prices and instance types are read.', required: true}),
    profile: Flags.string({summary: 'AWS profile (shared config/credentials files).', env: 'AWS_PROFILE'}),
    'endpoint-url': Flags.string({summary: 'Send the API calls to this URL instead of AWS (VPC endpoint, local test server).'}),
    'max-attempts': Flags.integer({summary: 'Attempts per API call, retries of throttled calls included.', default: 3, min: 1, max: 10}),
  }

  public async run(): Promise<CatalogRefreshResult> {
    const f = this.flags
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(f.region)) {
      throw new UserInputError('CATALOG_BAD_REGION', `${JSON.stringify(f.region)} is not an AWS region code`, {
        hint: 'For example: eu-west-1',
      })
    }
    const ws = this.openWorkspace({create: true})
    const progress = this.progress('catalog refresh')
    const r = await refreshRegion(
      {
        region: f.region,
        maxAttempts: f['max-attempts'],
        ...(f.profile ? {profile: f.profile} : {}),
        ...(f['endpoint-url'] ? {endpoint: f['endpoint-url']} : {}),
      },
      (m) => progress.update(m),
    )
    progress.done()
    const previous = storedRefresh(ws)
    const regions = {...previous?.regions, [f.region]: r}
    const doc: CatalogRefreshDocument = {
      schemaVersion: CATALOG_REFRESH_SCHEMA_VERSION,
      regions: Object.fromEntries(Object.entries(regions).sort(([a], [b]) => (a < b ? -1 : 1))),
    }
    ws.saveDocument(CATALOG_DOCUMENT, doc)
    const result: CatalogRefreshResult = {
      region: f.region,
      publicationDate: r.publicationDate,
      fetchedAt: r.fetchedAt,
      catalogVersion: loadCatalog(doc).version,
      onDemand: Object.fromEntries(PRICE_OSES.map((os) => [os, Object.keys(r.onDemand[os] ?? {}).length])) as Record<PriceOs, number>,
      reservedTypes: new Set(Object.values(r.reserved).flatMap((m) => Object.keys(m))).size,
      ebsVolumeTypes: Object.keys(r.ebsStorageGibMonth),
      instanceTypes: r.instanceTypes.length,
      products: r.counts.products,
      pages: r.counts.pages,
    }
    this.log(
      `${f.region}: price list of ${r.publicationDate}; on-demand ${PRICE_OSES.map((os) => `${os} ${result.onDemand[os]}`).join(', ')}; ` +
        `reserved ${result.reservedTypes} types; EBS ${result.ebsVolumeTypes.join(', ') || 'none'}; ${result.instanceTypes} instance types.\n` +
        `Stored in the workspace (catalog ${result.catalogVersion}).`,
    )
    return result
  }
}
