/**
 * `catalog refresh`: read one region's EC2 prices from the AWS Price List API (GetProducts, paginated)
 * and its instance types from EC2 DescribeInstanceTypes (paginated), and return them as a
 * {@link RefreshedRegion}. The only module, with its siblings in src/aws, that talks to AWS.
 * Nothing is stored here: the caller saves the result only when everything succeeded, so a failed
 * refresh leaves the workspace catalog as it was.
 */
import {EC2Client, paginateDescribeInstanceTypes} from '@aws-sdk/client-ec2'
import {FilterType, PricingClient, paginateGetProducts, type Filter} from '@aws-sdk/client-pricing'

import {AwsServiceError} from '../errors.js'
import type {EbsVolumeType, InstanceTypeSpec, PriceOs, RefreshedPrice, RefreshedRegion, RefreshedReserved} from '../model/catalog.js'
import {
  OS_QUERIES,
  decodePriceListEntry,
  parseComputeEntry,
  parseInstanceType,
  parseStorageEntry,
  type InstanceTypeInfoLike,
} from './price-list.js'

export interface AwsClientOptions {
  /** The region whose prices and instance types are read. */
  readonly region: string
  /** Named profile from the shared AWS config/credentials files. @default the SDK's default chain */
  readonly profile?: string
  /** Send every call to this URL instead of AWS (VPC endpoints, tests against 127.0.0.1). */
  readonly endpoint?: string
  /** Attempts per call, including retries of throttled calls. @default 3 (the SDK's standard mode) */
  readonly maxAttempts?: number
  /** Explicit credentials (tests); otherwise the SDK's provider chain with `profile`. */
  readonly credentials?: {readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string}
}

/** The Price List API is served from us-east-1 (also eu-central-1, ap-south-1); us-east-1 has every region's prices. */
export const PRICING_API_REGION = 'us-east-1'

export interface RefreshProgress {
  (message: string): void
}

export async function refreshRegion(
  opts: AwsClientOptions,
  progress: RefreshProgress = () => {},
  now: () => Date = () => new Date(),
): Promise<RefreshedRegion> {
  const common = {
    ...(opts.profile ? {profile: opts.profile} : {}),
    ...(opts.endpoint ? {endpoint: opts.endpoint} : {}),
    ...(opts.maxAttempts ? {maxAttempts: opts.maxAttempts} : {}),
    ...(opts.credentials ? {credentials: {...opts.credentials}} : {}),
  }
  // The SDK warns on Node 20 about its own future releases; that is for our dependency updates, not
  // for the user, and it would bury the one message a failed refresh prints. Respect an explicit setting.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true'
  const pricing = new PricingClient({region: PRICING_API_REGION, ...common})
  const ec2 = new EC2Client({region: opts.region, ...common})
  try {
    const onDemand: Partial<Record<PriceOs, Record<string, RefreshedPrice>>> = {}
    const reserved: Partial<Record<PriceOs, Record<string, RefreshedReserved[]>>> = {}
    let products = 0
    let pages = 0
    let publication = ''
    const seen = (d: string | undefined): void => {
      if (d && d > publication) publication = d
    }

    for (const q of OS_QUERIES) {
      const filters: Filter[] = [
        term('regionCode', opts.region),
        term('capacitystatus', 'Used'),
        term('tenancy', 'Shared'),
        term('preInstalledSw', 'NA'),
        term('operatingSystem', q.operatingSystem),
        term('licenseModel', q.licenseModel),
      ]
      const od: Record<string, RefreshedPrice> = {}
      const rv: Record<string, RefreshedReserved[]> = {}
      for await (const page of call(
        paginateGetProducts({client: pricing, pageSize: 100}, {ServiceCode: 'AmazonEC2', Filters: filters, FormatVersion: 'aws_v1'}),
      )) {
        pages++
        for (const raw of page.PriceList ?? []) {
          products++
          const entry = parseComputeEntry(decodePriceListEntry(raw), q)
          if (!entry) continue
          seen(entry.publicationDate)
          // Two SKUs for one type would be a filter gap: keep the lower price, deterministically.
          if (entry.onDemand && (od[entry.instanceType] === undefined || entry.onDemand.usd < od[entry.instanceType]!.usd)) {
            od[entry.instanceType] = entry.onDemand
          }
          if (entry.reserved.length > 0 && rv[entry.instanceType] === undefined) rv[entry.instanceType] = [...entry.reserved]
        }
        progress(`${q.operatingSystem}: ${Object.keys(od).length} instance types`)
      }
      if (Object.keys(od).length > 0) onDemand[q.os] = sortRecord(od)
      if (Object.keys(rv).length > 0) reserved[q.os] = sortRecord(rv)
    }

    const ebs: Partial<Record<EbsVolumeType, RefreshedPrice>> = {}
    for await (const page of call(
      paginateGetProducts(
        {client: pricing, pageSize: 100},
        {ServiceCode: 'AmazonEC2', Filters: [term('regionCode', opts.region), term('productFamily', 'Storage')], FormatVersion: 'aws_v1'},
      ),
    )) {
      pages++
      for (const raw of page.PriceList ?? []) {
        products++
        const s = parseStorageEntry(decodePriceListEntry(raw))
        if (!s) continue
        seen(s.publicationDate)
        if (!ebs[s.volumeType]) ebs[s.volumeType] = s.price
      }
    }
    progress(`EBS: ${Object.keys(ebs).length} volume types`)

    if (!publication) {
      throw new AwsServiceError(
        'AWS_PRICE_LIST_EMPTY',
        `the AWS Price List returned no EC2 prices for region ${opts.region}`,
        'Check the region code (e.g. eu-west-1); nothing was changed.',
      )
    }
    const sourceId = `aws-price-list-${opts.region}-${publication}`
    const specs: InstanceTypeSpec[] = []
    for await (const page of call(paginateDescribeInstanceTypes({client: ec2, pageSize: 100}, {}))) {
      pages++
      for (const info of page.InstanceTypes ?? []) {
        const spec = parseInstanceType(info as InstanceTypeInfoLike, sourceId)
        if (spec) specs.push(spec)
      }
      progress(`instance types: ${specs.length}`)
    }
    specs.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))

    return {
      region: opts.region,
      fetchedAt: now().toISOString(),
      publicationDate: publication,
      instanceTypes: specs,
      onDemand,
      reserved,
      ebsStorageGibMonth: sortRecord(ebs),
      counts: {products, pages, instanceTypes: specs.length},
    }
  } finally {
    pricing.destroy()
    ec2.destroy()
  }
}

function term(field: string, value: string): Filter {
  return {Type: FilterType.TERM_MATCH, Field: field, Value: value}
}

function sortRecord<V>(o: Partial<Record<string, V>>): Record<string, V> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) as Record<string, V>
}

/** Wraps an SDK paginator so that every AWS failure surfaces as an {@link AwsServiceError}. */
async function* call<T>(pages: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    for await (const page of pages) yield page
  } catch (error) {
    throw toAwsServiceError(error)
  }
}

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
])
const DENIED = new Set(['AccessDeniedException', 'AccessDenied', 'UnauthorizedOperation', 'UnauthorizedException'])
const BAD_CREDENTIALS = new Set([
  'UnrecognizedClientException',
  'InvalidClientTokenId',
  'AuthFailure',
  'ExpiredToken',
  'ExpiredTokenException',
  'InvalidSignatureException',
  'SignatureDoesNotMatch',
  'IncompleteSignature',
])

/** Maps an SDK or network error to a typed error with one clear message and a hint (exit code 3). */
export function toAwsServiceError(error: unknown): AwsServiceError {
  if (error instanceof AwsServiceError) return error
  const e = error as {name?: string; message?: string; code?: string; $metadata?: {httpStatusCode?: number}}
  const name = e.name ?? 'Error'
  const message = e.message ?? String(error)
  const cause = {cause: error}
  if (name === 'CredentialsProviderError' || (!e.$metadata && /Could not load credentials|Profile .* could not be found/i.test(message))) {
    return new AwsServiceError(
      'AWS_NO_CREDENTIALS',
      `no AWS credentials: ${message}`,
      'Configure credentials (aws configure, AWS_PROFILE, or --profile NAME); the catalog was not changed.',
      cause,
    )
  }
  if (THROTTLING.has(name)) {
    return new AwsServiceError(
      'AWS_THROTTLED',
      `AWS throttled the request (${name}) after retrying: ${message}`,
      'Wait a minute and run the refresh again; the catalog was not changed.',
      cause,
    )
  }
  if (DENIED.has(name) || e.$metadata?.httpStatusCode === 403) {
    return new AwsServiceError(
      'AWS_ACCESS_DENIED',
      `access denied (${name}): ${message}`,
      'The identity needs pricing:GetProducts and ec2:DescribeInstanceTypes; the catalog was not changed.',
      cause,
    )
  }
  if (BAD_CREDENTIALS.has(name)) {
    return new AwsServiceError(
      'AWS_BAD_CREDENTIALS',
      `AWS rejected the credentials (${name}): ${message}`,
      'Check or renew the credentials of the profile in use; the catalog was not changed.',
      cause,
    )
  }
  if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === 'ETIMEDOUT' || /ECONNREFUSED|ENOTFOUND|getaddrinfo/.test(message)) {
    return new AwsServiceError(
      'AWS_UNREACHABLE',
      `cannot reach the AWS endpoint: ${message}`,
      'Check the network or --endpoint-url; the catalog was not changed.',
      cause,
    )
  }
  return new AwsServiceError('AWS_ERROR', `AWS call failed (${name}): ${message}`, 'The catalog was not changed.', cause)
}
