#!/usr/bin/env node
// Builds the embedded catalog (src/catalog/data/ec2.json and services.json) from the public data
// files in ../shared/data (see src/catalog/data/PROVENANCE.md for what each holds and its caveats).
//
//   node scripts/build-catalog.js [DATA_DIR]      (default: ../shared/data next to this checkout;
//                                                  CATALOG_OUT_DIR overrides the output folder)
//
// The output is committed; run this only when the inputs change. It copies prices exactly, picks
// one price per (region, OS, type) by a fixed source precedence, and derives only what a
// documented rule allows (each derived price names its rule). Output is deterministic: sorted keys.
import {createHash} from 'node:crypto'
import {readFileSync, writeFileSync} from 'node:fs'
import {dirname, join, resolve} from 'node:path'
import {fileURLToPath} from 'node:url'

import {parse} from 'csv-parse/sync'

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..')
const dataDir = resolve(process.argv[2] ?? join(root, '../shared/data'))
const outDir = resolve(process.env.CATALOG_OUT_DIR ?? join(root, 'src/catalog/data'))

const FILES = {
  tedivm: 'ec2_pricelist_tedivm_2022-11-22.json',
  info: 'ec2_us-east-1_ec2instancesinfo_2023-08-30.csv',
  karpenter: 'ec2_us-east-1_linux_ondemand_karpenter_2026-07-20.csv',
  bandwidth: 'ec2_network_baseline_bandwidth_karpenter_2026-08-18.csv',
  services: 'aws_service_unit_prices_secondary.json',
}

const raw = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, readFileSync(join(dataDir, f))]))
const sha256 = (buf) => createHash('sha256').update(buf).digest('hex')
const csv = (buf) => parse(buf, {columns: true, skip_empty_lines: true})

const tedivm = JSON.parse(raw.tedivm.toString('utf8')).instances
const info = new Map(csv(raw.info).map((r) => [r.instance_type, r]))
const karpenter = new Map(csv(raw.karpenter).map((r) => [r.instance_type, r.linux_ondemand_usd_hr]))
const bandwidth = new Map(csv(raw.bandwidth).map((r) => [r.instance_type, r]))
const secondary = JSON.parse(raw.services.toString('utf8'))

const S = {
  tedivm: 'tedivm-2022-11-22',
  info: 'ec2instancesinfo-2023-08-30',
  karpenter: 'karpenter-pricing-2026-07-20',
  bandwidth: 'karpenter-bandwidth-2026-08-18',
}
const DATE = {[S.tedivm]: '2022-11-22', [S.info]: '2023-08-30', [S.karpenter]: '2026-07-20', [S.bandwidth]: '2026-08-18'}

const sources = [
  {
    id: S.karpenter,
    title: 'aws/karpenter-provider-aws zz_generated.pricing_aws.go (us-east-1 Linux on-demand, from the AWS Pricing API)',
    url: 'https://github.com/aws/karpenter-provider-aws/blob/6fc13b5236fd04fd16ff3f9dc7490d0813994099/pkg/providers/pricing/zz_generated.pricing_aws.go',
    date: DATE[S.karpenter],
    kind: 'price-list',
    notes: 'Most recent price check; us-east-1, Linux/UNIX, shared tenancy, on-demand only.',
  },
  {
    id: S.info,
    title: 'LeanerCloud/ec2-instances-info generated_instances_data.txt (ec2instances.info dump, us-east-1)',
    url: 'https://github.com/LeanerCloud/ec2-instances-info/blob/ef5638afcaa55044a865f7e8b1379341c4a3f247/generated_instances_data.txt',
    date: DATE[S.info],
    kind: 'price-list',
    notes:
      'us-east-1 only; architecture, Linux/Windows/RHEL/SLES on-demand and the Linux 1-year standard all-upfront effective hourly rate. Truncated after t4g.large. 0 means no price.',
  },
  {
    id: S.tedivm,
    title: 'tedivm/ec2details api/ec2instances.json (from the AWS Price List bulk offer file)',
    url: 'https://github.com/tedivm/ec2details/blob/b7df874a2c987891784e8519735b1db1305f7161/api/ec2instances.json',
    date: DATE[S.tedivm],
    kind: 'price-list',
    notes:
      'Multi-region specs and on-demand shared-tenancy prices by OS. Its Windows column did not filter the licence model: Windows equal to Linux is treated as unknown.',
  },
  {
    id: S.bandwidth,
    title: 'aws/karpenter-provider-aws zz_generated.bandwidth.go (baseline network bandwidth, from the EC2 documentation)',
    url: 'https://github.com/aws/karpenter-provider-aws/blob/7f27b4e85d3157418ab84eb04a3c91da7cb8fbba/pkg/providers/instancetype/zz_generated.bandwidth.go',
    date: DATE[S.bandwidth],
    kind: 'price-list',
  },
]

const rules = [
  {
    id: 'windows-licence-fee',
    description:
      'Windows (licence included) on-demand = Linux on-demand in the same region + the Windows licence fee of that instance type. The fee is W − L from every read licence-included pair of the type (any region, any source); it is used only when all of them agree (one value, > 0). AWS charges the fee per instance size independently of the region; the data confirms it for every current-generation type with more than one observation.',
  },
  {
    id: 'latest-source-first',
    description:
      'Where sources overlap, the most recent one wins: us-east-1 Linux from karpenter 2026-07-20, then ec2instances.info 2023-08-30, then tedivm 2022-11-22; other OSes in us-east-1 from ec2instances.info 2023-08-30, then tedivm 2022-11-22.',
  },
  {
    id: 'byol-equals-linux-is-unknown',
    description:
      'A Windows or SUSE price equal to the Linux price of the same type, region and source is the bring-your-own-licence SKU or an unfiltered row, not the licence-included price: it is dropped (unknown).',
  },
]

const round6 = (n) => Math.round(n * 1e6) / 1e6
const num = (s) => {
  if (s === undefined || s === null || s === '') return undefined
  const n = Number(s)
  return Number.isFinite(n) ? n : undefined
}
const positive = (s) => {
  const n = num(s)
  return n !== undefined && n > 0 ? n : undefined
}
const same = (a, b) => a !== undefined && b !== undefined && Math.abs(a - b) < 1e-9
const familyOf = (name) => name.split('.')[0]
const REGION = /^[a-z]{2}(-gov)?-[a-z]+-\d$/

// ---------------------------------------------------------------------------------------------
// Instance type specifications

function memoryMib(s) {
  const m = /^([\d.]+)\s*GiB$/.exec(String(s ?? ''))
  return m ? Math.round(Number(m[1]) * 1024) : undefined
}

function storageGb(s) {
  if (!s || /EBS only/i.test(s)) return undefined
  const x = /(\d+)\s*x\s*([\d,.]+)/.exec(s)
  if (x) return Number(x[1]) * Number(x[2].replace(/,/g, ''))
  const one = /([\d,.]+)\s*GB/.exec(s)
  return one ? Number(one[1].replace(/,/g, '')) : undefined
}

function ebsMbps(s) {
  const m = /([\d.]+)\s*Mbps/.exec(String(s ?? ''))
  return m ? {mbps: Number(m[1]), burst: /up to/i.test(s)} : undefined
}

function archOf(name, t, i) {
  if (i?.arch) {
    const a = i.arch
    return {arch: a.startsWith('arm64') ? 'arm64' : 'x86_64', mac: a.endsWith('_mac'), from: S.info}
  }
  const p = t?.physicalProcessor ?? ''
  if (/Graviton/i.test(p)) return {arch: 'arm64', mac: false, from: S.tedivm}
  if (/Apple M\d/i.test(p)) return {arch: 'arm64', mac: true, from: S.tedivm}
  if (/Intel|AMD/i.test(p)) return {arch: 'x86_64', mac: name.startsWith('mac'), from: S.tedivm}
  return undefined
}

const allTypes = [...new Set([...Object.keys(tedivm), ...info.keys()])].sort()
const instanceTypes = []
for (const name of allTypes) {
  const t = tedivm[name]
  const i = info.get(name)
  const vcpus = t?.vcpu ?? num(i?.vcpu)
  const mem = memoryMib(t?.memory) ?? (num(i?.memory_gib) === undefined ? undefined : Math.round(num(i.memory_gib) * 1024))
  if (!vcpus || !mem) continue
  const a = archOf(name, t, i)
  const bw = bandwidth.get(name)
  const ebs = ebsMbps(t?.dedicatedEbsThroughput)
  const infoStorage =
    i && num(i.local_storage_volumes)
      ? `${i.local_storage_volumes} x ${i.local_storage_volume_size_gb} ${i.local_storage_ssd === 'true' ? 'SSD' : 'HDD'}`
      : undefined
  const storage = t?.storage ?? (i ? (infoStorage ?? 'EBS only') : undefined)
  const spec = {
    name,
    family: familyOf(name),
    vcpus,
    memoryMib: mem,
    ...(a ? {arch: a.arch} : {}),
    ...(a?.mac ? {mac: true} : {}),
    // Types absent from the 2022 list were released after it; AWS lists every family released since as current generation.
    currentGeneration: t ? t.currentGeneration : true,
    burstable: /^t\d/.test(name),
    ...(t ? {gpus: t.gpu ?? 0} : {}),
    ...(storage ? {instanceStorage: storage} : {}),
    ...(storageGb(storage) === undefined ? {} : {instanceStorageGb: storageGb(storage)}),
    ...(t?.networkPerformance ? {networkPerformance: t.networkPerformance} : {}),
    ...(bw && num(bw.baseline_bandwidth_mbps) !== undefined ? {baselineBandwidthMbps: num(bw.baseline_bandwidth_mbps)} : {}),
    ...(ebs ? {ebsBandwidthMbps: ebs.mbps, ebsBandwidthBurst: ebs.burst} : {}),
    ...(t?.physicalProcessor || i?.physical_processor ? {processor: t?.physicalProcessor ?? i.physical_processor} : {}),
    specSources: [...new Set([t ? S.tedivm : undefined, i ? S.info : undefined, bw ? S.bandwidth : undefined].filter(Boolean))],
  }
  instanceTypes.push(spec)
}
const specByName = new Map(instanceTypes.map((s) => [s.name, s]))

// ---------------------------------------------------------------------------------------------
// Windows licence fee per type, from read licence-included pairs

const feeObservations = new Map()
const observe = (type, fee) => {
  if (!feeObservations.has(type)) feeObservations.set(type, new Set())
  feeObservations.get(type).add(round6(fee))
}
for (const [name, t] of Object.entries(tedivm)) {
  const p = t.onDemandSharedUsdPerHour
  for (const [region, l] of Object.entries(p.Linux ?? {})) {
    const w = p.Windows_licenseModelUnfiltered?.[region]
    if (w !== undefined && !same(w, l)) observe(name, w - l)
  }
}
for (const [name, i] of info) {
  const l = positive(i.linux_ondemand_usd_hr)
  const w = positive(i.windows_ondemand_usd_hr)
  if (l !== undefined && w !== undefined && !same(w, l)) observe(name, w - l)
}
const windowsFee = {}
let feeConflicts = 0
for (const [name, fees] of [...feeObservations].sort(([a], [b]) => (a < b ? -1 : 1))) {
  const [only] = fees
  if (fees.size === 1 && only > 0) windowsFee[name] = only
  else feeConflicts++
}

// ---------------------------------------------------------------------------------------------
// On-demand prices: one per (region, OS, type), by source precedence

const regionSet = new Set()
for (const t of Object.values(tedivm))
  for (const r of Object.keys(t.onDemandSharedUsdPerHour.Linux ?? {})) if (REGION.test(r)) regionSet.add(r)
const regions = [...regionSet].sort()

/** groups[region][os] = Map(key → {sourceId, basis, rule, prices: {}}) */
const groups = new Map()
const put = (region, os, type, usd, sourceId, basis = 'read', rule) => {
  if (!groups.has(region)) groups.set(region, new Map())
  const byOs = groups.get(region)
  if (!byOs.has(os)) byOs.set(os, new Map())
  const key = `${sourceId}|${basis}|${rule ?? ''}`
  const g = byOs.get(os)
  if (!g.has(key)) g.set(key, {sourceId, basis, ...(rule ? {rule} : {}), prices: {}})
  g.get(key).prices[type] = usd
}
const chosen = new Map() // `${region}|${os}|${type}` → usd
const choose = (region, os, type, usd, sourceId, basis, rule) => {
  const k = `${region}|${os}|${type}`
  if (usd === undefined || chosen.has(k)) return
  chosen.set(k, usd)
  put(region, os, type, usd, sourceId, basis, rule)
}

const tedivmPrice = (type, os, region) => {
  const v = tedivm[type]?.onDemandSharedUsdPerHour?.[os]?.[region]
  return v === undefined || v <= 0 ? undefined : v
}
const priceTypes = [...new Set([...Object.keys(tedivm), ...info.keys(), ...karpenter.keys()])].sort()
const drift = []

for (const region of regions) {
  for (const type of priceTypes) {
    // Linux
    if (region === 'us-east-1') {
      const k = positive(karpenter.get(type))
      const i = positive(info.get(type)?.linux_ondemand_usd_hr)
      const t = tedivmPrice(type, 'Linux', region)
      if (k !== undefined && t !== undefined && !same(k, t)) drift.push(`${type}: ${t} (2022) → ${k} (2026)`)
      choose(region, 'linux', type, k, S.karpenter)
      choose(region, 'linux', type, i, S.info)
      choose(region, 'linux', type, t, S.tedivm)
    } else {
      choose(region, 'linux', type, tedivmPrice(type, 'Linux', region), S.tedivm)
    }
    // Windows (licence included), RHEL, SUSE
    const tl = tedivmPrice(type, 'Linux', region)
    if (region === 'us-east-1') {
      const i = info.get(type)
      const il = positive(i?.linux_ondemand_usd_hr)
      const iw = positive(i?.windows_ondemand_usd_hr)
      if (!same(iw, il)) choose(region, 'windows', type, iw, S.info)
      const ir = positive(i?.rhel_ondemand_usd_hr)
      if (!same(ir, il)) choose(region, 'rhel', type, ir, S.info)
      const is = positive(i?.sles_ondemand_usd_hr)
      if (!same(is, il)) choose(region, 'suse', type, is, S.info)
    }
    const tw = tedivmPrice(type, 'Windows_licenseModelUnfiltered', region)
    if (!same(tw, tl)) choose(region, 'windows', type, tw, S.tedivm)
    const tr = tedivmPrice(type, 'RHEL', region)
    if (!same(tr, tl)) choose(region, 'rhel', type, tr, S.tedivm)
    const ts = tedivmPrice(type, 'SUSE', region)
    if (!same(ts, tl)) choose(region, 'suse', type, ts, S.tedivm)
  }
  // Derived Windows: Linux (as chosen for this region) + the type's licence fee.
  for (const type of priceTypes) {
    const linux = chosen.get(`${region}|linux|${type}`)
    const fee = windowsFee[type]
    if (linux === undefined || fee === undefined) continue
    const linuxGroup = [...groups.get(region).get('linux').values()].find((g) => g.prices[type] !== undefined)
    choose(region, 'windows', type, round6(linux + fee), linuxGroup.sourceId, 'derived', 'windows-licence-fee')
  }
}

const onDemand = []
for (const region of regions) {
  for (const os of ['linux', 'windows', 'rhel', 'suse']) {
    const g = groups.get(region)?.get(os)
    if (!g) continue
    for (const group of [...g.values()].sort((a, b) => (`${a.basis}|${a.sourceId}` < `${b.basis}|${b.sourceId}` ? 1 : -1))) {
      onDemand.push({region, os, ...group, date: DATE[group.sourceId], prices: sortKeys(group.prices)})
    }
  }
}

// Reserved: us-east-1 Linux, 1-year standard all upfront, effective hourly (ec2instances.info)
const ri = {}
for (const [type, i] of info) {
  const v = positive(i.linux_std_ri_1y_allupfront_effective_usd_hr)
  if (v !== undefined) ri[type] = v
}
const reserved = [
  {
    region: 'us-east-1',
    os: 'linux',
    term: '1yr',
    offeringClass: 'standard',
    purchaseOption: 'All Upfront',
    sourceId: S.info,
    date: DATE[S.info],
    basis: 'read',
    prices: sortKeys(ri),
  },
]

function sortKeys(o) {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
}

const count = (region, os) =>
  onDemand.filter((g) => g.region === region && g.os === os).reduce((n, g) => n + Object.keys(g.prices).length, 0)
const gaps = [
  'No Reserved Instance rates except us-east-1 Linux 1-year standard all-upfront (ec2instances.info 2023-08-30); no 3-year rates and no Savings Plans rates offline. `catalog refresh` reads them from the AWS Price List API.',
  'No SQL Server licence-included prices (every source skipped pre-installed software).',
  'No EBS prices: no USD source was found. Storage is sized but not priced unless `catalog refresh` is run or assess.assumedPrices.ebsGp3* is set.',
  'No RDS, ElastiCache, Amazon MQ, MSK, EFS, FSx, EMR or Transfer Family instance/usage prices.',
  'Prices outside us-east-1 are from 2022-11-22 (tedivm); us-east-1 RHEL/SUSE/Windows from 2023-08-30.',
  `Instance types with a price but no specification (newer families such as c7i, r7i, m8g): ${priceTypes.filter((t) => !specByName.has(t)).length}; they cannot be recommended offline until \`catalog refresh\` adds their specification.`,
  'Lambda, Fargate, NAT gateway, data transfer and public IPv4 prices come from secondary web pages, us-east-1 only (NAT also ap-southeast-1); Lambda arm64 has no third duration tier.',
]

const ec2 = {
  schemaVersion: 'migrate-plan.catalog-data/1',
  generatedBy: 'scripts/build-catalog.js',
  inputs: Object.entries(FILES).map(([k, f]) => ({file: f, sha256: sha256(raw[k])})),
  sources,
  rules,
  regions,
  instanceTypes,
  windowsLicenceFeeUsdPerHour: windowsFee,
  onDemand,
  reserved,
  gaps,
}

// ---------------------------------------------------------------------------------------------
// Services (secondary sources)

const L = secondary.lambda
const F = secondary.fargate_us_east_1
const N = secondary.nat_gateway
const serviceSources = [
  {
    id: 'lambda-requests-mcrn',
    title: 'lambda_local_runner docs: Lambda cost (requests, provisioned concurrency)',
    url: L.requests_per_million.source,
    date: '2026-11-01',
    kind: 'secondary-web',
    notes: `Quote: ${L.requests_per_million.quote}`,
  },
  {
    id: 'lambda-duration-cloudchipr',
    title: 'Cloudchipr: AWS Lambda Pricing Breakdown: Ultimate Guide 2024',
    url: L.duration_per_gb_second_tiers.source,
    date: '2024-01-01',
    kind: 'secondary-web',
    notes: `Page dated only by its title (2024). Quote: ${L.duration_per_gb_second_tiers.quote}`,
  },
  {
    id: 'fargate-vantage',
    title: 'Vantage: Fargate pricing (corroborated by wring.co 2026-03-10 and factualminds.com 2026-06-17)',
    url: F.source,
    date: '2021-04-22',
    kind: 'secondary-web',
    notes: `Quote: ${F.quote}. Corroboration: ${F.corroboration.map((c) => `${c.date}: ${c.quote}`).join(' | ')}`,
  },
  {
    id: 'nat-basavytix',
    title: 'basavytix: AWS NAT gateway pricing (corroborated by cloudburn.io 2026-02-24)',
    url: N.source,
    date: '2026-02-24',
    kind: 'secondary-web',
    notes: `Quote: ${N.quote}`,
  },
  {
    id: 'ipv4-cloudburn',
    title: 'cloudburn.io: AWS NAT gateway pricing (public IPv4)',
    url: secondary.public_ipv4_per_hour.source,
    date: '2026-02-24',
    kind: 'secondary-web',
    notes: `Quote: ${secondary.public_ipv4_per_hour.quote}`,
  },
  {
    id: 'dto-cloudpipelines',
    title: 'cloudpipelines: AWS NAT gateway pricing 2026 (data transfer out)',
    url: secondary.data_transfer_out_internet_us_east.source,
    date: '2026-01-01',
    kind: 'secondary-web',
    notes: `Page dated only as a "2026 guide". Quote: ${secondary.data_transfer_out_internet_us_east.quote}`,
  },
  {
    id: 'rds-usage-ai',
    title: 'usage.ai: RDS pricing calculator (US East, June 2026)',
    url: secondary.rds_us_east_1.source,
    date: '2026-06-01',
    kind: 'secondary-web',
    notes: `Quote: ${secondary.rds_us_east_1.quote}`,
  },
]
const p = (usd, sourceId) => {
  const src = serviceSources.find((s) => s.id === sourceId)
  return {usd, sourceId, date: src.date, basis: 'read'}
}
const tiers = (list, bounds, sourceId) =>
  list.map((t, i) => ({...(bounds[i] === undefined ? {} : {upTo: bounds[i]}), label: t.tier, price: p(t.usd, sourceId)}))

const services = {
  schemaVersion: 'migrate-plan.catalog-services/1',
  generatedBy: 'scripts/build-catalog.js',
  input: {file: FILES.services, sha256: sha256(raw.services)},
  sources: serviceSources,
  regions: {
    'us-east-1': {
      lambda: {
        request: {
          // per million → per request; toPrecision drops the binary noise of the division (0.2 / 1e6 = 2e-7)
          x86_64: p(Number((L.requests_per_million.x86_64 / 1e6).toPrecision(12)), 'lambda-requests-mcrn'),
          arm64: p(Number((L.requests_per_million.arm64 / 1e6).toPrecision(12)), 'lambda-requests-mcrn'),
        },
        duration: {
          x86_64: tiers(L.duration_per_gb_second_tiers.x86_64, [6e9, 15e9, undefined], 'lambda-duration-cloudchipr'),
          arm64: tiers(L.duration_per_gb_second_tiers.arm64, [7.5e9, 18.75e9], 'lambda-duration-cloudchipr'),
        },
        durationTiersIncomplete: {x86_64: false, arm64: L.duration_per_gb_second_tiers.arm64_third_tier === null},
        freeTier: {
          requests: L.free_tier_per_month.requests,
          gbSeconds: L.free_tier_per_month.gb_seconds,
          sourceId: 'lambda-duration-cloudchipr',
        },
      },
      fargate: {
        linuxX86: {vcpuHour: p(F.linux_x86.per_vcpu_hour, 'fargate-vantage'), gbHour: p(F.linux_x86.per_gb_hour, 'fargate-vantage')},
        linuxArm: {vcpuHour: p(F.linux_arm.per_vcpu_hour, 'fargate-vantage'), gbHour: p(F.linux_arm.per_gb_hour, 'fargate-vantage')},
        windowsX86: {
          vcpuHour: p(F.windows_x86.per_vcpu_hour, 'fargate-vantage'),
          gbHour: p(F.windows_x86.per_gb_hour, 'fargate-vantage'),
          licenceVcpuHour: p(F.windows_x86.os_license_fee_per_vcpu_hour, 'fargate-vantage'),
        },
      },
      natGateway: {hour: p(N['us-east-1'].per_hour, 'nat-basavytix'), gbProcessed: p(N['us-east-1'].per_gb_processed, 'nat-basavytix')},
      dataTransferOutGb: [
        {
          upTo: 10240,
          label: 'first 10 TB per month',
          price: p(secondary.data_transfer_out_internet_us_east.first_10tb_per_gb, 'dto-cloudpipelines'),
        },
      ],
      publicIpv4Hour: p(secondary.public_ipv4_per_hour.usd, 'ipv4-cloudburn'),
      rdsGp3StorageGibMonth: p(secondary.rds_us_east_1.gp3_storage_per_gb_month, 'rds-usage-ai'),
    },
    'ap-southeast-1': {
      natGateway: {
        hour: p(N['ap-southeast-1'].per_hour, 'nat-basavytix'),
        gbProcessed: p(N['ap-southeast-1'].per_gb_processed, 'nat-basavytix'),
      },
    },
  },
}

writeFileSync(join(outDir, 'ec2.json'), JSON.stringify(ec2) + '\n')
writeFileSync(join(outDir, 'services.json'), JSON.stringify(services, null, 1) + '\n')

console.log(`instance types with a specification: ${instanceTypes.length}`)
console.log(`windows licence fees: ${Object.keys(windowsFee).length} types (${feeConflicts} types with disagreeing observations left out)`)
for (const r of ['us-east-1', 'us-west-2', 'eu-west-1', 'eu-central-1', 'ap-southeast-2'])
  console.log(`${r}: linux ${count(r, 'linux')}, windows ${count(r, 'windows')}, rhel ${count(r, 'rhel')}, suse ${count(r, 'suse')}`)
console.log(`us-east-1 Linux drift 2022 → 2026: ${drift.length} types`)
if (process.env.VERBOSE) console.log(drift.join('\n'))
