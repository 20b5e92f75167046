/**
 * The IP address plan: one VPC CIDR per account (that has a VPC) and governed region, carved into
 * one subnet per tier and Availability Zone, from `organisation.awsCidrPool`, never overlapping the
 * on-premises ranges (`organisation.onPremisesCidrs`) or the networks the inventory's addresses
 * live in. Pure.
 *
 * Layout of every VPC (prefix P = subnet prefix − 4, so 16 subnet-sized slots):
 *   quarter 0  public  AZ1 AZ2 AZ3 (slot 4 spare)
 *   quarter 1  app     AZ1 AZ2 AZ3 (slot 4 spare)
 *   quarter 2  data    AZ1 AZ2 AZ3 (slot 4 spare)
 *   quarter 3  spare (a future tier)
 * so a fourth AZ or tier fits without renumbering.
 */
import {ConfigError} from '../../errors.js'
import type {Settings} from '../../model/settings.js'
import {AddressClassifier} from '../../plan/ip.js'
import {
  BlockAllocator,
  blockEnd,
  blockSize,
  formatCidr,
  overlaps,
  parseCidr,
  parseIpv4,
  prefixFor,
  subBlock,
  type Block,
} from '../common/cidr.js'

export type Tier = 'public' | 'app' | 'data'
export const TIERS: readonly Tier[] = ['public', 'app', 'data']
/** Addresses AWS reserves in every subnet (network, router, DNS, future, broadcast). */
export const AWS_RESERVED_PER_SUBNET = 5
export const DEFAULT_CIDR_POOL = '10.64.0.0/10'

export interface SubnetPlan {
  readonly tier: Tier
  /** 0-based AZ index: the stack picks the region's AZs in order (Fn::GetAZs). */
  readonly az: number
  readonly cidr: string
  /** Addresses usable by resources (size minus the 5 AWS reserves). */
  readonly usable: number
}

export interface VpcPlan {
  readonly account: string
  readonly region: string
  readonly cidr: string
  readonly subnetPrefix: number
  /** Servers planned into the account. */
  readonly servers: number
  /** Addresses each subnet was sized for: servers × growth factor ÷ AZs, plus AWS reserves. */
  readonly sizedFor: number
  readonly subnets: readonly SubnetPlan[]
  /** Unused blocks inside the VPC, kept for growth. */
  readonly spare: readonly string[]
}

export interface ReservedRange {
  readonly cidr: string
  readonly reason: string
}

export interface IpPlan {
  readonly pool: string
  readonly availabilityZones: number
  readonly growthFactor: number
  /** Ranges the plan avoids (inside the pool or not). */
  readonly reserved: readonly ReservedRange[]
  readonly vpcs: readonly VpcPlan[]
  readonly diagnostics: readonly string[]
}

export interface IpPlanInput {
  readonly accounts: readonly {readonly key: string; readonly vpc: boolean; readonly servers: readonly string[]}[]
  /** Workload region first. */
  readonly regions: readonly string[]
  readonly settings: Settings
  /** Every address the inventory knows; private ones reserve their /24. */
  readonly inventoryIps: readonly string[]
}

function parseSetting(cidr: string, setting: string): Block {
  const b = parseCidr(cidr)
  if (!b)
    throw new ConfigError('LZ_BAD_CIDR', `${setting}: ${JSON.stringify(cidr)} is not an IPv4 CIDR`, {
      setting,
      hint: 'Write it as 10.64.0.0/10.',
    })
  return b
}

/** Reserved blocks: the settings' on-premises CIDRs, then the /24 of every private inventory address. */
function reservedRanges(input: IpPlanInput, onPrem: readonly Block[]): {blocks: Block[]; reasons: ReservedRange[]} {
  const reasons: ReservedRange[] = onPrem.map((b, i) => ({cidr: formatCidr(b), reason: `organisation.onPremisesCidrs[${i}]`}))
  const classifier = new AddressClassifier(input.settings.organisation.onPremisesCidrs ?? [])
  const nets = new Map<number, number>()
  for (const ip of input.inventoryIps) {
    const v = parseIpv4(ip)
    if (v === undefined || classifier.classify(ip) !== 'internal') continue
    if (onPrem.some((b) => overlaps(b, {base: v, prefix: 32}))) continue
    const base = v - (v % 256)
    nets.set(base, (nets.get(base) ?? 0) + 1)
  }
  const inv = [...nets.keys()].sort((a, b) => a - b).map((base) => ({base, prefix: 24}))
  for (const b of inv) reasons.push({cidr: formatCidr(b), reason: `inventory addresses (${nets.get(b.base)}) assumed to be in this /24`})
  return {blocks: [...onPrem, ...inv], reasons}
}

export function planAddresses(input: IpPlanInput): IpPlan {
  const org = input.settings.organisation
  const lz = input.settings.landingZone
  const poolText = org.awsCidrPool ?? DEFAULT_CIDR_POOL
  const pool = parseSetting(poolText, 'organisation.awsCidrPool')
  const onPrem = (org.onPremisesCidrs ?? []).map((c, i) => parseSetting(c, `organisation.onPremisesCidrs[${i}]`))
  for (let i = 0; i < onPrem.length; i++) {
    for (let j = i + 1; j < onPrem.length; j++) {
      if (overlaps(onPrem[i]!, onPrem[j]!)) {
        throw new ConfigError(
          'LZ_ONPREM_OVERLAP',
          `organisation.onPremisesCidrs: ${formatCidr(onPrem[i]!)} (item ${i + 1}) and ${formatCidr(onPrem[j]!)} (item ${j + 1}) overlap`,
          {
            setting: 'organisation.onPremisesCidrs',
            hint: 'List each on-premises range once; keep the wider one or split them so they do not overlap.',
          },
        )
      }
    }
    if (overlaps(onPrem[i]!, pool)) {
      throw new ConfigError(
        'LZ_POOL_OVERLAPS_ONPREM',
        `organisation.awsCidrPool ${formatCidr(pool)} overlaps the on-premises range ${formatCidr(onPrem[i]!)} (organisation.onPremisesCidrs item ${i + 1}): AWS and on-premises addresses would collide over the hybrid link`,
        {
          setting: 'organisation.awsCidrPool',
          hint: 'Choose an AWS pool outside every on-premises range, e.g. 10.64.0.0/10 when on-premises uses 10.0.0.0/12.',
        },
      )
    }
  }
  const {blocks: reserved, reasons} = reservedRanges(input, onPrem)
  const diagnostics: string[] = []
  const insidePool = reasons.filter((r) => r.reason.startsWith('inventory') && overlaps(parseCidr(r.cidr)!, pool))
  if (insidePool.length) {
    diagnostics.push(
      `${insidePool.length} networks seen in the inventory lie inside organisation.awsCidrPool (${insidePool.map((r) => r.cidr).join(', ')}); the IP plan skips them`,
    )
  }

  const azs = lz.availabilityZones
  const allocator = new BlockAllocator(pool, reserved)
  const vpcs: VpcPlan[] = []
  const needed: {account: string; region: string; prefix: number}[] = []
  for (const region of input.regions) {
    for (const account of input.accounts.filter((a) => a.vpc)) {
      const servers = account.servers.length
      const sizedFor = Math.ceil((Math.max(1, servers) * lz.ipGrowthFactor) / azs) + AWS_RESERVED_PER_SUBNET
      let subnetPrefix = Math.min(lz.minSubnetPrefix, prefixFor(sizedFor))
      if (subnetPrefix - 4 < 16) {
        subnetPrefix = 20
        diagnostics.push(
          `${account.key}: ${sizedFor} addresses per subnet exceed the largest VPC (/16); subnets capped at /20 (4,091 usable)`,
        )
      }
      needed.push({account: account.key, region, prefix: subnetPrefix - 4})
      const block = allocator.allocate(subnetPrefix - 4)
      if (!block) continue
      const subnets: SubnetPlan[] = []
      const spare: string[] = []
      for (let t = 0; t < 4; t++) {
        const quarter = subBlock(block, subnetPrefix - 2, t)
        if (t === 3) {
          spare.push(formatCidr(quarter))
          continue
        }
        for (let az = 0; az < 4; az++) {
          const sub = subBlock(quarter, subnetPrefix, az)
          if (az < azs)
            subnets.push({tier: TIERS[t]!, az, cidr: formatCidr(sub), usable: blockSize(subnetPrefix) - AWS_RESERVED_PER_SUBNET})
          else spare.push(formatCidr(sub))
        }
      }
      vpcs.push({account: account.key, region, cidr: formatCidr(block), subnetPrefix, servers, sizedFor, subnets, spare})
    }
  }
  if (vpcs.length < needed.length) {
    const sizes = [...new Set(needed.map((n) => `/${n.prefix}`))].join(', ')
    throw new ConfigError(
      'LZ_CIDR_POOL_FULL',
      `organisation.awsCidrPool ${formatCidr(pool)} holds only ${vpcs.length} of the ${needed.length} VPCs the landing zone needs (${input.accounts.filter((a) => a.vpc).length} accounts × ${input.regions.length} regions, VPC sizes ${sizes}) once the on-premises ranges are left out`,
      {
        setting: 'organisation.awsCidrPool',
        hint: `Give a larger pool (at least /${Math.max(8, prefixFor(needed.reduce((s, n) => s + blockSize(n.prefix), 0)) - 1)}), fewer governed regions, or a smaller landingZone.ipGrowthFactor.`,
      },
    )
  }
  return {
    pool: formatCidr(pool),
    availabilityZones: azs,
    growthFactor: lz.ipGrowthFactor,
    reserved: reasons,
    vpcs,
    diagnostics,
  }
}

/** The avoided range (settings first, then inventory /24s) that holds an address, else its /24. */
export function coveringRange(reserved: readonly ReservedRange[], ip: string): ReservedRange {
  const v = parseIpv4(ip)
  if (v === undefined) return {cidr: `${ip}/32`, reason: 'unparsed address'}
  const index = reservedIndex(reserved)
  if (index) {
    // The first range in list order that holds the address: a wide one, or one inside its /24.
    let first = reserved.length
    for (const r of index.wide)
      if (r.base <= v && v < r.end) {
        first = r.at
        break
      }
    for (const r of index.narrow.get(v - (v % 256)) ?? [])
      if (r.at < first && r.base <= v && v < r.end) {
        first = r.at
        break
      }
    if (first < reserved.length) return reserved[first]!
  } else for (const r of reserved) if (overlaps(parseCidr(r.cidr)!, {base: v, prefix: 32})) return r
  return {cidr: formatCidr({base: v - (v % 256), prefix: 24}), reason: `network of ${ip}`}
}

/** {@link coveringRange} bound to one list of ranges, for looking up many addresses. */
export function coveringRanges(reserved: readonly ReservedRange[]): (ip: string) => ReservedRange {
  return (ip) => coveringRange(reserved, ip)
}

interface IndexedRange {
  readonly base: number
  readonly end: number
  /** Position in the reserved list. */
  readonly at: number
}

/**
 * The reserved ranges parsed once, for coveringRange: a 100,000-server inventory reserves thousands
 * of /24s, and parsing them all for each address looked up took a minute of `generate
 * cloudformation`. Ranges of a /24 or narrower lie inside one /24 and are found by it.
 */
interface ReservedIndex {
  readonly wide: readonly IndexedRange[]
  readonly narrow: ReadonlyMap<number, readonly IndexedRange[]>
}

const reservedIndexes = new WeakMap<readonly ReservedRange[], ReservedIndex | null>()

/** `null` when a range does not parse: coveringRange then scans the list as it is. */
function reservedIndex(reserved: readonly ReservedRange[]): ReservedIndex | null {
  let index = reservedIndexes.get(reserved)
  if (index !== undefined) return index
  const wide: IndexedRange[] = []
  const narrow = new Map<number, IndexedRange[]>()
  index = {wide, narrow}
  for (let at = 0; at < reserved.length; at++) {
    const b = parseCidr(reserved[at]!.cidr)
    if (!b) {
      index = null
      break
    }
    const r = {base: b.base, end: blockEnd(b), at}
    if (b.prefix < 24) wide.push(r)
    else {
      const key = b.base - (b.base % 256)
      const list = narrow.get(key)
      if (list) list.push(r)
      else narrow.set(key, [r])
    }
  }
  reservedIndexes.set(reserved, index)
  return index
}
