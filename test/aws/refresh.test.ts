import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {refreshRegion} from '../../src/aws/refresh.js'
import {AwsServiceError} from '../../src/errors.js'
import {tempDir} from '../helpers/cli.js'
import {filterValue, recordedAws, startFakeAws, type FakeAws, type FakeAwsOptions, type PricingRequest} from './fake-aws.js'

const credentials = {accessKeyId: 'AKIDFAKEFAKEFAKE', secretAccessKey: 'fake-secret-not-a-real-key'}
const fixedNow = () => new Date('2026-11-30T12:00:00.000Z')

let fake: FakeAws | undefined
afterEach(async () => {
  await fake?.close()
  fake = undefined
})
async function start(o: FakeAwsOptions): Promise<FakeAws> {
  fake = await startFakeAws(o)
  return fake
}

describe('catalog refresh through the real SDK clients against 127.0.0.1', () => {
  it('eu-west-1: reads t2.micro on-demand and 12 reserved terms from the recorded GetProducts response, and its spec from DescribeInstanceTypes', async () => {
    const f = await start(recordedAws())
    const r = await refreshRegion({region: 'eu-west-1', endpoint: f.endpoint, credentials, maxAttempts: 1}, undefined, fixedNow)
    expect(r.publicationDate).toBe('2021-01-15')
    expect(r.fetchedAt).toBe('2026-11-30T12:00:00.000Z')
    expect(r.onDemand.linux).toEqual({'t2.micro': {usd: 0.0126, sku: 'STTHYT3WDDQU8UBR', effectiveDate: '2021-01-01'}})
    expect(r.onDemand.windows).toBeUndefined()
    const ri = r.reserved.linux!['t2.micro']!
    expect(ri).toHaveLength(12)
    // 1-year standard all upfront: 72 USD upfront, 0 hourly → 72 / 8760 per hour
    expect(ri.find((x) => x.term === '1yr' && x.offeringClass === 'standard' && x.purchaseOption === 'All Upfront')).toMatchObject({
      upfrontUsd: 72,
      hourlyUsd: 0,
      usd: Math.round((72 / 8760) * 1e8) / 1e8,
    })
    // 3-year standard partial upfront: 77 upfront + 0.0029/h
    expect(ri.find((x) => x.term === '3yr' && x.offeringClass === 'standard' && x.purchaseOption === 'Partial Upfront')!.usd).toBeCloseTo(
      77 / 26280 + 0.0029,
      8,
    )
    expect(r.instanceTypes).toEqual([
      {
        name: 't2.micro',
        family: 't2',
        vcpus: 1,
        memoryMib: 1024,
        arch: 'x86_64',
        currentGeneration: true,
        burstable: true,
        gpus: 0,
        instanceStorage: 'EBS only',
        networkPerformance: 'Low to Moderate',
        specSources: ['aws-price-list-eu-west-1-2021-01-15'],
      },
    ])
    expect(r.counts).toEqual({products: 1, pages: 7, instanceTypes: 1})
  })

  it('sends the documented filters, signs with SigV4, and follows NextToken on both APIs', async () => {
    const f = await start(recordedAws())
    const r = await refreshRegion({region: 'us-east-1', endpoint: f.endpoint, credentials, maxAttempts: 1}, undefined, fixedNow)
    const pricing = f.requests
      .filter((q) => q.target === 'AWSPriceListService.GetProducts')
      .map((q) => JSON.parse(q.body) as PricingRequest)
    const linux = pricing.filter((q) => filterValue(q, 'operatingSystem') === 'Linux')
    expect(linux).toHaveLength(2)
    expect(linux[1]!.NextToken).toBe('page-2')
    expect(linux[0]!.ServiceCode).toBe('AmazonEC2')
    expect(linux[0]!.FormatVersion).toBe('aws_v1')
    expect(Object.fromEntries(linux[0]!.Filters!.map((x) => [x.Field, x.Value]))).toEqual({
      regionCode: 'us-east-1',
      capacitystatus: 'Used',
      tenancy: 'Shared',
      preInstalledSw: 'NA',
      operatingSystem: 'Linux',
      licenseModel: 'No License required',
    })
    expect(
      pricing.find((q) => filterValue(q, 'operatingSystem') === 'Windows')!.Filters!.find((x) => x.Field === 'licenseModel')!.Value,
    ).toBe('License Included')
    expect(f.requests.every((q) => /^AWS4-HMAC-SHA256 Credential=AKIDFAKEFAKEFAKE\//.test(q.authorization ?? ''))).toBe(true)
    const ec2 = f.requests.filter((q) => q.target === 'ec2').map((q) => new URLSearchParams(q.body))
    expect(ec2.map((q) => [q.get('Action'), q.get('NextToken')])).toEqual([
      ['DescribeInstanceTypes', null],
      ['DescribeInstanceTypes', 'types-2'],
    ])
    // page 2 held the UnusedCapacityReservation row, which is not a price of a running instance
    expect(r.onDemand.linux).toEqual({'c5.xlarge': {usd: 0.17, sku: '35AEEWH98DECPC35', effectiveDate: '2020-06-01'}})
    // 1-year standard all upfront: 876 / 8760 = 0.1, the same rate ec2instances.info states (0.1)
    expect(
      r.reserved.linux!['c5.xlarge']!.find((x) => x.term === '1yr' && x.offeringClass === 'standard' && x.purchaseOption === 'All Upfront')!
        .usd,
    ).toBe(0.1)
    expect(r.publicationDate).toBe('2020-06-18')
  })

  it('reads EBS volume prices (io1 from the AWS CLI example, Singapore)', async () => {
    const f = await start(recordedAws())
    const r = await refreshRegion({region: 'ap-southeast-1', endpoint: f.endpoint, credentials, maxAttempts: 1}, undefined, fixedNow)
    expect(r.ebsStorageGibMonth).toEqual({io1: {usd: 0.138, sku: '3MKHN58N7RDDVGKJ', effectiveDate: '2018-08-01'}})
    expect(r.publicationDate).toBe('2018-08-08')
  })

  it('a region with no prices at all is an error, not an empty catalog', async () => {
    const f = await start({})
    await expect(refreshRegion({region: 'eu-west-1', endpoint: f.endpoint, credentials, maxAttempts: 1})).rejects.toMatchObject({
      code: 'AWS_PRICE_LIST_EMPTY',
      exitCode: 3,
    })
  })
})

describe('AWS errors become AwsServiceError (exit 3) with a clear message', () => {
  const cases: {name: string; options: FakeAwsOptions; code: string; message: RegExp}[] = [
    {
      name: 'Price List throttling (after the SDK retried)',
      options: {pricing: () => ({kind: 'json', status: 400, type: 'ThrottlingException', message: 'Rate exceeded'})},
      code: 'AWS_THROTTLED',
      message: /throttled.*ThrottlingException.*Rate exceeded/,
    },
    {
      name: 'Price List access denied',
      options: {
        pricing: () => ({
          kind: 'json',
          status: 400,
          type: 'AccessDeniedException',
          message: 'User is not authorized to perform: pricing:GetProducts',
        }),
      },
      code: 'AWS_ACCESS_DENIED',
      message: /access denied.*pricing:GetProducts/,
    },
    {
      name: 'unrecognised access key',
      options: {
        pricing: () => ({
          kind: 'json',
          status: 400,
          type: 'UnrecognizedClientException',
          message: 'The security token included in the request is invalid.',
        }),
      },
      code: 'AWS_BAD_CREDENTIALS',
      message: /rejected the credentials/,
    },
    {
      name: 'EC2 UnauthorizedOperation on DescribeInstanceTypes',
      options: {
        ...recordedAws(),
        ec2: () => ({
          kind: 'ec2',
          status: 403,
          code: 'UnauthorizedOperation',
          message: 'You are not authorized to perform this operation.',
        }),
      },
      code: 'AWS_ACCESS_DENIED',
      message: /UnauthorizedOperation/,
    },
    {
      name: 'EC2 RequestLimitExceeded',
      options: {
        ...recordedAws(),
        ec2: () => ({kind: 'ec2', status: 503, code: 'RequestLimitExceeded', message: 'Request limit exceeded.'}),
      },
      code: 'AWS_THROTTLED',
      message: /RequestLimitExceeded/,
    },
  ]
  for (const c of cases) {
    it(c.name, async () => {
      const f = await start(c.options)
      const error = await refreshRegion({region: 'eu-west-1', endpoint: f.endpoint, credentials, maxAttempts: 2}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(AwsServiceError)
      expect(error).toMatchObject({code: c.code, exitCode: 3})
      expect((error as Error).message).toMatch(c.message)
      expect((error as AwsServiceError).hint).toMatch(/not changed/)
    })
  }

  it('throttling is retried by the SDK before giving up', async () => {
    let n = 0
    const f = await start({
      ...recordedAws(),
      pricing: (q) =>
        n++ === 0 ? {kind: 'json', status: 400, type: 'ThrottlingException', message: 'Rate exceeded'} : recordedAws().pricing!(q),
    })
    const r = await refreshRegion({region: 'eu-west-1', endpoint: f.endpoint, credentials, maxAttempts: 3})
    expect(r.onDemand.linux?.['t2.micro']?.usd).toBe(0.0126)
    expect(n).toBeGreaterThan(1)
  })

  describe('no credentials', () => {
    let tmp: ReturnType<typeof tempDir>
    const saved: Record<string, string | undefined> = {}
    const keys = [
      'AWS_CONFIG_FILE',
      'AWS_SHARED_CREDENTIALS_FILE',
      'AWS_ACCESS_KEY_ID',
      'AWS_SECRET_ACCESS_KEY',
      'AWS_PROFILE',
      'AWS_EC2_METADATA_DISABLED',
    ]
    beforeEach(() => {
      tmp = tempDir()
      for (const k of keys) saved[k] = process.env[k]
      writeFileSync(join(tmp.dir, 'config'), '')
      process.env.AWS_CONFIG_FILE = join(tmp.dir, 'config')
      process.env.AWS_SHARED_CREDENTIALS_FILE = join(tmp.dir, 'config')
      process.env.AWS_EC2_METADATA_DISABLED = 'true'
      delete process.env.AWS_ACCESS_KEY_ID
      delete process.env.AWS_SECRET_ACCESS_KEY
      delete process.env.AWS_PROFILE
    })
    afterEach(() => {
      for (const k of keys)
        if (saved[k] === undefined) Reflect.deleteProperty(process.env, k)
        else process.env[k] = saved[k]
      tmp.cleanup()
    })

    it('an unknown profile fails before any request is sent', async () => {
      const f = await start(recordedAws())
      const error = await refreshRegion({region: 'eu-west-1', endpoint: f.endpoint, profile: 'no-such-profile', maxAttempts: 1}).catch(
        (e: unknown) => e,
      )
      expect(error).toMatchObject({code: 'AWS_NO_CREDENTIALS', exitCode: 3})
      expect((error as Error).message).toMatch(/no AWS credentials/)
      expect(f.requests).toHaveLength(0)
    })
  })
})
