import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {Ajv} from 'ajv'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'

import {blockSize, overlaps, parseCidr, parseIpv4} from '../../src/generate/common/cidr.js'
import {validateTemplates} from '../../src/generate/cloudformation/validate.js'
import {designLandingZone, generateLandingZone} from '../../src/generate/landing-zone/index.js'
import {coveringRange, coveringRanges, type ReservedRange} from '../../src/generate/landing-zone/ip-plan.js'
import {scpSize} from '../../src/generate/landing-zone/scps.js'
import {loadTemplates} from '../../src/generate/templates.js'
import {ConfigError} from '../../src/errors.js'
import {settingsSchema} from '../../src/model/settings.js'
import {estate, hostileEstate, SETTINGS_INPUT} from '../fixtures/generate/estate.js'
import {ROOT} from '../helpers/cli.js'
import {expectGolden} from './golden.js'

const templates = loadTemplates()
const fixture = (p: string) => JSON.parse(readFileSync(join(ROOT, 'test/fixtures/generate/control-tower', p), 'utf8')) as unknown
const schemaValidator = new Ajv({allErrors: true, strictTypes: false}).compile(fixture('landing-zone-3.3-manifest-schema.json') as object)

const settingsWith = (organisation: object = {}, landingZone: object = {}) =>
  settingsSchema.parse({...SETTINGS_INPUT, organisation: {...SETTINGS_INPUT.organisation, ...organisation}, landingZone})

function configError(fn: () => unknown): ConfigError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError)
    return error as ConfigError
  }
  throw new Error('expected a ConfigError')
}

describe('Control Tower manifest', () => {
  it("AWS's own 3.3 example passes the schema copy and a manifest without securityRoles does not (the validator is real)", () => {
    expect(schemaValidator(fixture('landing-zone-manifest-3.x-example.json'))).toBe(true)
    const {securityRoles: _drop, ...broken} = fixture('landing-zone-manifest-3.x-example.json') as Record<string, unknown>
    expect(schemaValidator(broken)).toBe(false)
  })

  it('the generated manifest is valid against the 3.3 schema, with or without known account ids and a KMS key', () => {
    const e = estate()
    for (const lz of [
      {},
      {logArchiveAccountId: '123456789012', auditAccountId: '210987654321', kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abcd-1234'},
    ]) {
      const {manifest} = generateLandingZone({settings: settingsWith({}, lz), servers: e.servers, plan: e.plan}, templates)
      expect(schemaValidator(manifest), JSON.stringify(schemaValidator.errors)).toBe(true)
      expect(manifest.governedRegions).toEqual(['eu-west-1', 'eu-central-1'])
    }
  })

  it('uses the account ids from the settings, else placeholders the script replaces', () => {
    const e = estate()
    const known = generateLandingZone(
      {settings: settingsWith({}, {logArchiveAccountId: '123456789012', auditAccountId: '210987654321'}), servers: e.servers},
      templates,
    )
    expect(known.manifest.centralizedLogging.accountId).toBe('123456789012')
    expect(known.manifest.securityRoles.accountId).toBe('210987654321')
    expect(known.files['control-tower/create-landing-zone.sh']).not.toContain('create_account log-archive')
    const placeholders = generateLandingZone({settings: settingsWith(), servers: e.servers}, templates)
    expect(placeholders.files['control-tower/create-landing-zone.sh']).toContain('create_account log-archive aws+log-archive@acme.example')
    expect(placeholders.files['control-tower/create-landing-zone.sh']).toContain('jq --arg id "$audit" \'.securityRoles.accountId = $id\'')
  })
})

describe('organisation design', () => {
  it('Security, Infrastructure, Workloads/Prod and NonProd per business unit, Sandbox, Suspended; plus-addressed e-mails', () => {
    const e = estate()
    const d = designLandingZone({settings: e.settings, servers: e.servers, plan: e.plan})
    expect(d.ous.map((o) => o.path)).toEqual([
      'Security',
      'Infrastructure',
      'Workloads',
      'Workloads/Prod',
      'Workloads/NonProd',
      'Sandbox',
      'Suspended',
    ])
    expect(d.accounts.map((a) => [a.key, a.ou, a.email])).toEqual([
      ['log-archive', 'Security', 'aws+log-archive@acme.example'],
      ['audit', 'Security', 'aws+audit@acme.example'],
      ['network', 'Infrastructure', 'aws+network@acme.example'],
      ['shared-services', 'Infrastructure', 'aws+shared-services@acme.example'],
      ['finance-nonprod', 'Workloads/NonProd', 'aws+finance-nonprod@acme.example'],
      ['finance-prod', 'Workloads/Prod', 'aws+finance-prod@acme.example'],
      ['it-nonprod', 'Workloads/NonProd', 'aws+it-nonprod@acme.example'],
      ['it-prod', 'Workloads/Prod', 'aws+it-prod@acme.example'],
      ['operations-nonprod', 'Workloads/NonProd', 'aws+operations-nonprod@acme.example'],
      ['operations-prod', 'Workloads/Prod', 'aws+operations-prod@acme.example'],
      ['retail-nonprod', 'Workloads/NonProd', 'aws+retail-nonprod@acme.example'],
      ['retail-prod', 'Workloads/Prod', 'aws+retail-prod@acme.example'],
    ])
    // Shared services go to Shared Services; retired and retained servers land nowhere.
    expect(d.accountOf['srv-dns']).toBe('shared-services')
    expect(d.accountOf['srv-old']).toBeUndefined()
    expect(d.accountOf['srv-main']).toBeUndefined()
    expect(d.accountOf['srv-ledger']).toBe('finance-nonprod')
    expect(d.accountOf['srv-web1']).toBe('retail-prod')
  })

  it('the e-mail prefix is a setting; business units come from the inventory when the settings list none', () => {
    const e = estate()
    const d = designLandingZone({settings: settingsWith({businessUnits: undefined}, {emailPrefix: 'cloud.team'}), servers: e.servers})
    expect(d.businessUnits).toEqual(['Finance', 'IT', 'Operations', 'Retail'])
    expect(d.accounts.find((a) => a.key === 'audit')!.email).toBe('cloud.team+audit@acme.example')
  })

  it('home region is always governed, and a workload region outside the governed ones is an error naming the setting', () => {
    const e = estate()
    const d = designLandingZone({settings: settingsWith({homeRegion: 'eu-central-1', governedRegions: ['eu-west-1']}), servers: e.servers})
    expect(d.governedRegions).toEqual(['eu-central-1', 'eu-west-1'])
    expect(d.diagnostics.join()).toMatch(/did not list the home region eu-central-1/)
    const err = configError(() =>
      designLandingZone({settings: settingsWith({homeRegion: 'eu-central-1', governedRegions: ['eu-central-1']}), servers: e.servers}),
    )
    expect(err.setting).toBe('organisation.governedRegions')
  })
})

describe('bad settings name the setting', () => {
  const e = estate()
  const cases: [string, object, string, RegExp][] = [
    ['no e-mail domain', {emailDomain: undefined}, 'organisation.emailDomain', /emailDomain is not set/],
    [
      'overlapping on-premises ranges',
      {onPremisesCidrs: ['10.0.0.0/8', '10.20.0.0/16']},
      'organisation.onPremisesCidrs',
      /10\.0\.0\.0\/8 \(item 1\) and 10\.20\.0\.0\/16 \(item 2\) overlap/,
    ],
    [
      'pool overlapping on premises',
      {onPremisesCidrs: ['10.64.0.0/16']},
      'organisation.awsCidrPool',
      /overlaps the on-premises range 10\.64\.0\.0\/16/,
    ],
    ['more accounts than the pool holds', {awsCidrPool: '10.64.0.0/18'}, 'organisation.awsCidrPool', /holds only 4 of the 20 VPCs/],
  ]
  it.each(cases)('%s', (_name, organisation, setting, message) => {
    const err = configError(() => generateLandingZone({settings: settingsWith(organisation), servers: e.servers, plan: e.plan}, templates))
    expect(err.setting).toBe(setting)
    expect(err.message).toMatch(message)
    expect(err.hint).toBeTruthy()
  })
})

describe('IP plan', () => {
  function checkPlan(d: ReturnType<typeof designLandingZone>, growth: number): void {
    const vpcs = d.ipPlan.vpcs.map((v) => ({...v, block: parseCidr(v.cidr)!}))
    const reserved = d.ipPlan.reserved.map((r) => parseCidr(r.cidr)!)
    const pool = parseCidr(d.ipPlan.pool)!
    for (const [i, v] of vpcs.entries()) {
      expect(v.block.prefix).toBeGreaterThanOrEqual(16)
      expect(overlaps(v.block, pool) && v.block.base >= pool.base).toBe(true)
      for (const r of reserved) expect(overlaps(v.block, r), `${v.cidr} overlaps reserved`).toBe(false)
      for (const w of vpcs.slice(i + 1)) expect(overlaps(v.block, w.block), `${v.cidr} overlaps ${w.cidr}`).toBe(false)
      const subnets = v.subnets.map((s) => parseCidr(s.cidr)!)
      for (const [j, s] of subnets.entries()) {
        expect(s.base >= v.block.base && s.base + blockSize(s.prefix) <= v.block.base + blockSize(v.block.prefix)).toBe(true)
        for (const t of subnets.slice(j + 1)) expect(overlaps(s, t)).toBe(false)
      }
      for (const s of v.subnets)
        expect(s.usable).toBeGreaterThanOrEqual(Math.ceil((Math.max(1, v.servers) * growth) / d.ipPlan.availabilityZones))
      expect(v.subnets).toHaveLength(3 * d.ipPlan.availabilityZones)
    }
  }

  it('one VPC per account and governed region, subnets per tier and AZ, none overlapping each other, on premises or the inventory', () => {
    const e = estate()
    const d = designLandingZone({settings: e.settings, servers: e.servers, plan: e.plan})
    expect(d.ipPlan.vpcs).toHaveLength(10 * 2)
    expect(d.ipPlan.vpcs[0]).toMatchObject({account: 'network', region: 'eu-west-1', cidr: '10.64.0.0/20'})
    checkPlan(d, 4)
  })

  it('a subnet grows with the servers planned into it (ipGrowthFactor) and AZs come from the settings', () => {
    const e = estate()
    const many = Array.from({length: 700}, (_, i) => ({
      ...e.servers[0]!,
      id: `srv-x${i}`,
      name: `x${i}`,
      ips: [`10.10.${Math.floor(i / 200)}.${i % 200}`],
    }))
    const d = designLandingZone({settings: settingsWith({}, {availabilityZones: 2, ipGrowthFactor: 2}), servers: many})
    const retail = d.ipPlan.vpcs.find((v) => v.account === 'retail-prod' && v.region === 'eu-west-1')!
    expect(retail.servers).toBe(700)
    expect(retail.subnetPrefix).toBe(22) // 700 × 2 ÷ 2 AZs + 5 = 705 addresses → /22
    expect(retail.cidr).toMatch(/\/18$/)
    checkPlan(d, 2)
  })

  it('property: coveringRange finds the first reserved range holding an address, as a scan of the list does', () => {
    const scan = (reserved: readonly ReservedRange[], ip: string) =>
      reserved.find((r) => overlaps(parseCidr(r.cidr)!, parseCidr(`${ip}/32`)!))
    const small = fc.integer({min: 0, max: 3})
    const address = fc.tuple(small, small, fc.integer({min: 0, max: 255})).map(([b, c, d]) => `10.${b}.${c}.${d}`)
    const range = fc
      .tuple(address, fc.integer({min: 8, max: 32}))
      .map(([ip, prefix]): ReservedRange => ({cidr: `${ip}/${prefix}`, reason: `${ip}/${prefix}`}))
    fc.assert(
      fc.property(
        fc.array(range, {maxLength: 30}),
        fc.array(fc.oneof(address, fc.constant('not-an-ip')), {maxLength: 30}),
        (reserved, ips) => {
          for (const ip of ips) {
            const found = coveringRange(reserved, ip)
            const expected = ip === 'not-an-ip' ? undefined : scan(reserved, ip)
            if (expected) expect(found).toBe(expected)
            else expect(reserved).not.toContain(found)
          }
        },
      ),
      {numRuns: 300, seed: 20261130},
    )
  })

  it('property: for any on-premises layout and inventory, the plan never overlaps (or the pool-full error names the setting)', () => {
    const octet = fc.integer({min: 0, max: 255})
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.integer({min: 0, max: 63}), {maxLength: 5}),
        fc.array(fc.tuple(fc.constantFrom(10, 172, 192), octet, octet, octet), {maxLength: 40}),
        fc.integer({min: 11, max: 20}),
        fc.integer({min: 0, max: 300}),
        (onPremSecondOctets, ips, poolPrefix, servers) => {
          const onPremisesCidrs = onPremSecondOctets.map((o) => `10.${o}.0.0/16`)
          const e = estate()
          const inventory = [
            ...e.servers,
            ...ips.map(([a, b, c, d], i) => ({
              ...e.servers[0]!,
              id: `srv-p${i}`,
              name: `p${i}`,
              ips: [`${a}.${a === 172 ? 16 + (b % 16) : a === 192 ? 168 : b}.${c}.${d}`],
            })),
            ...Array.from({length: servers}, (_, i) => ({...e.servers[1]!, id: `srv-n${i}`, name: `n${i}`, ips: []})),
          ]
          const settings = settingsWith({onPremisesCidrs, awsCidrPool: `10.64.0.0/${poolPrefix}`})
          try {
            checkPlan(designLandingZone({settings, servers: inventory}), 4)
          } catch (error) {
            if (!(error instanceof ConfigError) || error.setting !== 'organisation.awsCidrPool') throw error
          }
        },
      ),
      {numRuns: 60, seed: 20260302},
    )
  })

  it('property: coveringRanges finds the range the list scan finds (first in order), for /24s and wider or narrower ranges', () => {
    const scan = (reserved: readonly ReservedRange[], ip: string): string => {
      const v = parseIpv4(ip)!
      return reserved.find((r) => overlaps(parseCidr(r.cidr)!, {base: v, prefix: 32}))?.cidr ?? `network ${v - (v % 256)}`
    }
    const octet = fc.integer({min: 0, max: 3})
    const cidr = fc.tuple(octet, octet, octet, fc.constantFrom(8, 16, 22, 23, 24, 24, 24, 25, 30, 32))
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cidr, fc.string()), {maxLength: 30}),
        fc.array(fc.tuple(octet, octet, octet, fc.integer({min: 0, max: 255}))),
        (ranges, ips) => {
          const reserved = ranges.map(([[b, c, d, prefix], reason]) => ({cidr: `10.${b}.${c}.${d * 64}/${prefix}`, reason}))
          const find = coveringRanges(reserved)
          for (const [b, c, d, e] of ips) {
            const ip = `10.${b}.${c}.${d * 64 + (e % 64)}`
            const found = find(ip)
            expect(reserved.includes(found) ? found.cidr : `network ${parseIpv4(found.cidr.split('/')[0]!)!}`).toBe(scan(reserved, ip))
            expect(coveringRange(reserved, ip)).toEqual(found)
          }
        },
      ),
      {numRuns: 300, seed: 20261130},
    )
    expect(coveringRanges([])('not an address')).toEqual({cidr: 'not an address/32', reason: 'unparsed address'})
  })
})

describe('files', () => {
  it('SCPs are valid policies under the 5,120-character limit; the Region deny names the governed regions', () => {
    const e = estate()
    const {scps, files} = generateLandingZone({settings: e.settings, servers: e.servers}, templates)
    expect(scps.map((s) => s.name)).toEqual([
      'deny-leave-organization',
      'deny-outside-governed-regions',
      'protect-log-archive-and-control-tower',
      'deny-root-user',
      'deny-all-suspended',
    ])
    for (const s of scps) {
      expect(scpSize(s)).toBeLessThanOrEqual(5120)
      expect(JSON.parse(String(files[`scps/${s.name}.json`]))).toEqual(s.document)
      for (const t of s.targets) expect(['Security', 'Infrastructure', 'Workloads', 'Sandbox', 'Suspended']).toContain(t)
    }
    const deny = scps.find((s) => s.name === 'deny-outside-governed-regions')!.document.Statement[0]!
    expect(deny).toMatchObject({Effect: 'Deny', Condition: {StringNotEquals: {'aws:RequestedRegion': ['eu-west-1', 'eu-central-1']}}})
    expect(deny.NotAction).toEqual(expect.arrayContaining(['iam:*', 'organizations:*', 'sts:*', 'route53:*', 'cloudfront:*', 'support:*']))
    expect(scps.find((s) => s.name === 'deny-root-user')!.document.Statement[0]).toMatchObject({
      Condition: {StringLike: {'aws:PrincipalArn': ['arn:*:iam::*:root']}},
    })
  })

  it('account vending uses the Account Factory product with its six parameters, one account at a time', () => {
    const e = estate()
    const {files} = generateLandingZone({settings: e.settings, servers: e.servers}, templates)
    const t = parse(String(files['account-factory/accounts.yaml'])) as {
      Resources: Record<
        string,
        {Type: string; DependsOn?: string; Properties: {ProductName: string; ProvisioningParameters: {Key: string}[]}}
      >
    }
    const products = Object.entries(t.Resources)
    expect(products).toHaveLength(10)
    for (const [i, [, r]] of products.entries()) {
      expect(r.Type).toBe('AWS::ServiceCatalog::CloudFormationProvisionedProduct')
      expect(r.Properties.ProductName).toBe('AWS Control Tower Account Factory')
      expect(r.Properties.ProvisioningParameters.map((p) => p.Key)).toEqual([
        'AccountName',
        'AccountEmail',
        'SSOUserEmail',
        'SSOUserFirstName',
        'SSOUserLastName',
        'ManagedOrganizationalUnit',
      ])
      expect(r.DependsOn).toBe(i === 0 ? undefined : products[i - 1]![0])
    }
  })

  it('every CloudFormation template passes AWS CloudFormation Validate with no errors or warnings', {timeout: 600_000}, () => {
    for (const e of [estate(), hostileEstate()]) {
      const {files} = generateLandingZone({settings: e.settings, servers: e.servers, plan: e.plan}, templates)
      const cfn = Object.fromEntries(
        Object.entries(files)
          .filter(([k]) => /(^|\/)(organizations|account-factory|identity-center|cfct\/templates)\/.*\.yaml$/.test(k))
          .map(([k, v]) => [k, String(v)]),
      )
      expect(Object.keys(cfn).length).toBeGreaterThanOrEqual(4)
      const report = validateTemplates(cfn, 'eu-west-1')
      expect(report.errors).toEqual([])
      expect(report.warnings).toEqual([])
    }
  })

  it('hostile inventory names cannot break or inject into any file', () => {
    const e = hostileEstate()
    const {files, design} = generateLandingZone({settings: e.settings, servers: e.servers, plan: e.plan}, templates)
    for (const a of design.accounts) expect(a.key).toMatch(/^[a-z0-9-]+$/)
    for (const [path, content] of Object.entries(files)) {
      const text = String(content)
      if (path.endsWith('.yaml')) expect(() => parse(text), path).not.toThrow()
      if (path.endsWith('.json')) expect(() => JSON.parse(text), path).not.toThrow()
      expect(text, path).not.toContain('<script>')
      expect(text, path).not.toContain('{{IT}}')
      expect(text, path).not.toMatch(/\u202E/)
    }
    const readme = String(files['README.md'])
    expect(readme).toContain('&lt;b&gt;Retail&lt;/b&gt;')
    for (const row of readme.split('\n').filter((l) => l.startsWith('| '))) expect(row.endsWith('|'), row).toBe(true)
    expect(String(files['organizations/accounts.csv'])).toContain('<b>Retail</b>') // CSV keeps text; it is not markup there
  })

  it('is deterministic and matches the golden files', () => {
    const e = estate()
    const settings = settingsWith({businessUnits: ['Retail', 'Finance']})
    const a = generateLandingZone({settings, servers: e.servers, plan: e.plan}, templates).files
    const b = generateLandingZone({settings, servers: [...e.servers].reverse(), plan: e.plan}, templates).files
    expect(b).toEqual(a)
    expectGolden('generate-landing-zone', a)
  })
})

describe('alternatives', () => {
  it('the CfCT manifest follows its v2 schema: version is a YAML date, every resource has the required keys', () => {
    const e = estate()
    const {files} = generateLandingZone({settings: e.settings, servers: e.servers}, templates)
    const m = parse(String(files['cfct/manifest.yaml']), {version: '1.1', customTags: ['timestamp']}) as {
      region: string
      version: unknown
      resources: Record<string, unknown>[]
    }
    expect(m.version).toBeInstanceOf(Date)
    expect(m.region).toBe('eu-west-1')
    const allowed = [
      'name',
      'description',
      'resource_file',
      'deployment_targets',
      'parameter_file',
      'parameters',
      'deploy_method',
      'regions',
      'export_outputs',
    ]
    for (const r of m.resources) {
      for (const k of Object.keys(r)) expect(allowed).toContain(k)
      expect(['scp', 'stack_set', 'rcp']).toContain(r.deploy_method)
      expect(typeof r.resource_file).toBe('string')
      expect(files[`cfct/${String(r.resource_file)}`], String(r.resource_file)).toBeDefined()
    }
  })

  it('LZA configs list every OU on the path of a nested one and every account with its OU', () => {
    const e = estate()
    const {files} = generateLandingZone({settings: e.settings, servers: e.servers}, templates)
    const org = parse(String(files['lza/organization-config.yaml'])) as {
      organizationalUnits: {name: string}[]
      serviceControlPolicies: {policy: string; deploymentTargets: {organizationalUnits: string[]}}[]
    }
    const ous = org.organizationalUnits.map((o) => o.name)
    for (const ou of ous) if (ou.includes('/')) expect(ous).toContain(ou.split('/')[0])
    for (const p of org.serviceControlPolicies) {
      expect(files[`lza/${p.policy}`]).toBeDefined()
      for (const t of p.deploymentTargets.organizationalUnits) expect(ous).toContain(t)
    }
    const acc = parse(String(files['lza/accounts-config.yaml'])) as {
      mandatoryAccounts: {name: string}[]
      workloadAccounts: {name: string; organizationalUnit: string; email: string}[]
    }
    expect(acc.mandatoryAccounts.map((a) => a.name)).toEqual(['Management', 'LogArchive', 'Audit'])
    for (const a of acc.workloadAccounts) {
      expect(a.name).toMatch(/^[A-Za-z0-9]+$/)
      expect(ous).toContain(a.organizationalUnit)
    }
  })
})
