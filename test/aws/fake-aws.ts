/**
 * A local stand-in for the AWS Price List and EC2 endpoints on 127.0.0.1, replaying the recorded
 * responses in test/fixtures/aws/ to the real SDK clients (which sign and send real HTTP requests
 * to it). Pricing speaks JSON 1.1 (`X-Amz-Target: AWSPriceListService.GetProducts`); EC2 speaks the
 * query protocol (form-encoded `Action=DescribeInstanceTypes`, XML responses). The recorded EC2
 * response is the AWS CLI's JSON, so it is turned into XML with the SDK's own response schema.
 */
import {readFileSync} from 'node:fs'
import {createServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import type {AddressInfo} from 'node:net'
import {join} from 'node:path'

import {DescribeInstanceTypesResult$} from '@aws-sdk/client-ec2'

import {ROOT} from '../helpers/cli.js'

export const FIXTURES = join(ROOT, 'test/fixtures/aws')
export const fixture = <T = unknown>(name: string): T => JSON.parse(readFileSync(join(FIXTURES, name), 'utf8')) as T

export interface PricingRequest {
  readonly ServiceCode?: string
  readonly Filters?: readonly {Type: string; Field: string; Value: string}[]
  readonly NextToken?: string
  readonly MaxResults?: number
  readonly FormatVersion?: string
}

export interface PricingPage {
  readonly PriceList: readonly string[]
  readonly NextToken?: string
}

export type Failure =
  | {readonly kind: 'json'; readonly status: number; readonly type: string; readonly message: string}
  | {readonly kind: 'ec2'; readonly status: number; readonly code: string; readonly message: string}

export interface FakeAwsOptions {
  /** Answers GetProducts; undefined → an empty page. */
  readonly pricing?: (req: PricingRequest) => PricingPage | Failure | undefined
  /** Answers DescribeInstanceTypes by NextToken; undefined → an empty page. */
  readonly ec2?: (nextToken: string | undefined) => {InstanceTypes: unknown[]; NextToken?: string} | Failure | undefined
}

export interface FakeAws {
  readonly endpoint: string
  /** Every request received, in order, for assertions. */
  readonly requests: {target: string; body: string; authorization?: string}[]
  close(): Promise<void>
}

export async function startFakeAws(options: FakeAwsOptions): Promise<FakeAws> {
  const requests: FakeAws['requests'] = []
  const server: Server = createServer((req, res) => {
    void handle(req, res)
  })
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const c of req) chunks.push(c as Buffer)
    const body = Buffer.concat(chunks).toString('utf8')
    const target = String(req.headers['x-amz-target'] ?? '')
    requests.push({target: target || 'ec2', body, ...(req.headers.authorization ? {authorization: String(req.headers.authorization)} : {})})
    if (target === 'AWSPriceListService.GetProducts') {
      const answer = options.pricing?.(JSON.parse(body) as PricingRequest) ?? {PriceList: []}
      if ('kind' in answer) return fail(res, answer)
      res.writeHead(200, {'content-type': 'application/x-amz-json-1.1'})
      res.end(JSON.stringify({FormatVersion: 'aws_v1', ...answer}))
      return
    }
    const form = new URLSearchParams(body)
    if (form.get('Action') === 'DescribeInstanceTypes') {
      const answer = options.ec2?.(form.get('NextToken') ?? undefined) ?? {InstanceTypes: []}
      if ('kind' in answer) return fail(res, answer)
      res.writeHead(200, {'content-type': 'text/xml;charset=UTF-8'})
      res.end(ec2Xml('DescribeInstanceTypesResponse', DescribeInstanceTypesResult$, answer))
      return
    }
    res.writeHead(400, {'content-type': 'text/plain'})
    res.end(`fake-aws: unexpected request ${target} ${body.slice(0, 200)}`)
  }
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

function fail(res: ServerResponse, f: Failure): void {
  if (f.kind === 'json') {
    res.writeHead(f.status, {'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': f.type, 'x-amzn-requestid': 'fake-request'})
    res.end(JSON.stringify({__type: f.type, message: f.message}))
  } else {
    res.writeHead(f.status, {'content-type': 'text/xml;charset=UTF-8'})
    res.end(
      `<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Error><Code>${f.code}</Code><Message>${escape(f.message)}</Message></Error></Errors><RequestID>fake-request</RequestID></Response>`,
    )
  }
}

// --- EC2 query-protocol XML from the SDK's schema ----------------------------------------------

type SchemaRef = number | (() => unknown) | unknown[]

function resolve(ref: SchemaRef): unknown {
  return typeof ref === 'function' ? ref() : ref
}

function ec2Xml(root: string, schema: unknown, value: Record<string, unknown>): string {
  const s = resolve(schema as SchemaRef) as unknown[]
  return `<?xml version="1.0" encoding="UTF-8"?>\n<${root} xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><requestId>fake-request</requestId>${members(s, value)}</${root}>`
}

function members(struct: unknown[], value: Record<string, unknown>): string {
  const names = struct[4] as string[]
  const schemas = struct[5] as unknown[]
  let out = ''
  names.forEach((name, i) => {
    const v = value[name]
    if (v === undefined || v === null) return
    const m = schemas[i]
    const [ref, traits] =
      Array.isArray(m) && m.length === 2 && typeof m[1] === 'object' && !Array.isArray(m[1])
        ? (m as [SchemaRef, Record<string, string>])
        : [m as SchemaRef, {} as Record<string, string>]
    out += element(traits.xmlName ?? name, ref, v)
  })
  return out
}

function element(tag: string, ref: SchemaRef, v: unknown): string {
  const s = resolve(ref)
  if (Array.isArray(s) && s[0] === 3) return `<${tag}>${members(s, v as Record<string, unknown>)}</${tag}>`
  if (Array.isArray(s) && s[0] === 1) {
    const m = s[4] as unknown
    const [itemRef, traits] =
      Array.isArray(m) && m.length === 2 && typeof m[1] === 'object'
        ? (m as [SchemaRef, Record<string, string>])
        : [m as SchemaRef, {} as Record<string, string>]
    return `<${tag}>${(v as unknown[]).map((x) => element(traits.xmlName ?? 'item', itemRef, x)).join('')}</${tag}>`
  }
  return `<${tag}>${escape(String(v))}</${tag}>`
}

function escape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
}

// --- Recorded responses as pages ----------------------------------------------------------------

export const filterValue = (req: PricingRequest, field: string): string | undefined => req.Filters?.find((f) => f.Field === field)?.Value

/**
 * The recorded answers: eu-west-1 Linux (t2.micro, one page), us-east-1 Linux (the two c5.xlarge
 * elements on two pages), EBS storage (io1) for ap-southeast-1, and DescribeInstanceTypes (t2.micro,
 * then an empty second page).
 */
export function recordedAws(): FakeAwsOptions {
  const t2 = fixture<{PriceList: string[]}>('getproducts_AmazonEC2_t2micro_eu-west-1_ondemand_and_reserved.json')
  const c5 = fixture<unknown[]>('getproducts_AmazonEC2_c5xlarge_us-east-1_decoded_pricelist_items.json').map((o) => JSON.stringify(o))
  const ebs = fixture<{PriceList: string[]}>('getproducts_AmazonEC2_ebs_piops_aws-cli-example.json')
  const types = fixture<{InstanceTypes: unknown[]}>('describe-instance-types_t2micro_aws-cli-example.json')
  return {
    pricing: (req) => {
      const region = filterValue(req, 'regionCode')
      // The EBS example is a Singapore product: only that region's storage query gets it.
      if (filterValue(req, 'productFamily') === 'Storage') return region === 'ap-southeast-1' ? {PriceList: ebs.PriceList} : undefined
      if (filterValue(req, 'operatingSystem') !== 'Linux') return undefined
      if (region === 'eu-west-1') return {PriceList: t2.PriceList}
      if (region === 'us-east-1') return req.NextToken === 'page-2' ? {PriceList: [c5[1]!]} : {PriceList: [c5[0]!], NextToken: 'page-2'}
      return undefined
    },
    ec2: (next) => (next === 'types-2' ? {InstanceTypes: []} : {InstanceTypes: types.InstanceTypes, NextToken: 'types-2'}),
  }
}
