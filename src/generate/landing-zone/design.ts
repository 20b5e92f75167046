/**
 * The AWS Organizations design: OUs and accounts (with e-mail addresses), which account each
 * server lands in, and the IP plan. Every other landing-zone and CloudFormation file is rendered
 * from this one model, so they always agree. Pure.
 *
 * Layout (AWS "Organizing your AWS environment using multiple accounts"):
 *   Security        Log Archive, Audit
 *   Infrastructure  Network, Shared Services
 *   Workloads/Prod  one account per business unit
 *   Workloads/NonProd  one account per business unit
 *   Sandbox, Suspended
 */
import {ConfigError} from '../../errors.js'
import type {Plan} from '../../model/plan.js'
import type {Server} from '../../model/server.js'
import type {Settings} from '../../model/settings.js'
import {normaliseEnvironment} from '../../plan/waves.js'
import {plainText, slug} from '../common/text.js'
import {planAddresses, type IpPlan} from './ip-plan.js'

export type AccountKind = 'log-archive' | 'audit' | 'network' | 'shared-services' | 'workload'
export type Environment = 'prod' | 'nonprod'

export interface OrgUnit {
  /** Path from the root, `/`-separated: `Workloads/Prod`. */
  readonly path: string
  readonly name: string
  /** Parent path; undefined for a top-level OU. */
  readonly parent?: string
  readonly purpose: string
}

export interface AccountPlan {
  /** Stable kebab-case key, also the account name: `log-archive`, `retail-prod`. */
  readonly key: string
  readonly name: string
  readonly email: string
  /** OU path. */
  readonly ou: string
  readonly kind: AccountKind
  readonly businessUnit?: string
  readonly environment?: Environment
  /** Whether the account gets VPCs (and so an IP plan entry). */
  readonly vpc: boolean
  /** Ids of the servers that land in this account, ordered. */
  readonly servers: readonly string[]
  readonly purpose: string
}

export interface LandingZoneDesign {
  readonly organisation: string
  readonly emailDomain: string
  readonly homeRegion: string
  readonly governedRegions: readonly string[]
  /** Region the workloads move to (assess.region). */
  readonly workloadRegion: string
  readonly businessUnits: readonly string[]
  readonly ous: readonly OrgUnit[]
  readonly accounts: readonly AccountPlan[]
  /** Server id → account key. */
  readonly accountOf: Readonly<Record<string, string>>
  readonly ipPlan: IpPlan
  readonly diagnostics: readonly string[]
}

export interface DesignInput {
  readonly settings: Settings
  readonly servers: readonly Pick<Server, 'id' | 'name' | 'businessUnit' | 'environment' | 'ips' | 'nics'>[]
  /** The stored Plan, when there is one: shared services go to the Shared Services account. */
  readonly plan?: {
    readonly sharedServices: readonly Pick<Plan['sharedServices'][number], 'serverId'>[]
    readonly servers: readonly Pick<Plan['servers'][number], 'id'>[]
  }
}

export const OUS: readonly OrgUnit[] = [
  {path: 'Security', name: 'Security', purpose: 'Log Archive and Audit (Control Tower foundational OU)'},
  {path: 'Infrastructure', name: 'Infrastructure', purpose: 'Network hub and shared services'},
  {path: 'Workloads', name: 'Workloads', purpose: 'Business workloads'},
  {path: 'Workloads/Prod', name: 'Prod', parent: 'Workloads', purpose: 'Production workloads, strictest controls'},
  {path: 'Workloads/NonProd', name: 'NonProd', parent: 'Workloads', purpose: 'Development, test and staging workloads'},
  {path: 'Sandbox', name: 'Sandbox', purpose: 'Experiments, no connectivity to production (Control Tower additional OU)'},
  {path: 'Suspended', name: 'Suspended', purpose: 'Closed or quarantined accounts; everything denied'},
]

/** `prod` unless the environment is known and is not production (unknown is treated as production). */
export function environmentOf(env: string | undefined): Environment {
  const e = normaliseEnvironment(env)
  return e === undefined || e === 'prod' ? 'prod' : 'nonprod'
}

/** Business units: the settings' list, else the inventory's (sorted), deduplicated case-insensitively. */
function businessUnitsOf(settings: Settings, servers: DesignInput['servers']): string[] {
  const listed =
    settings.organisation.businessUnits ?? [...new Set(servers.map((s) => s.businessUnit?.trim()).filter((b): b is string => !!b))].sort()
  const seen = new Set<string>()
  const out: string[] = []
  for (const raw of listed) {
    const bu = plainText(raw, 64)
    const k = bu.toLowerCase()
    if (!bu || seen.has(k)) continue
    seen.add(k)
    out.push(bu)
  }
  return out
}

/** Account keys from business unit names, unique (`retail`, `retail-2` when two slug alike). */
function buKeys(units: readonly string[]): Map<string, string> {
  const used = new Set<string>()
  const out = new Map<string, string>()
  for (const bu of units) {
    const base = slug(bu, 24, 'unit')
    let key = base
    for (let i = 2; used.has(key); i++) key = `${base}-${i}`
    used.add(key)
    out.set(bu, key)
  }
  return out
}

export function emailFor(prefix: string, key: string, domain: string): string {
  return `${prefix}+${key}@${domain.toLowerCase()}`
}

/** Build the design; throws ConfigError naming the setting when the settings cannot give one. */
export function designLandingZone(input: DesignInput): LandingZoneDesign {
  const {settings, servers} = input
  const org = settings.organisation
  const lz = settings.landingZone
  const diagnostics: string[] = []
  if (!org.emailDomain) {
    throw new ConfigError(
      'LZ_NO_EMAIL_DOMAIN',
      'organisation.emailDomain is not set: every AWS account needs its own root e-mail address',
      {
        setting: 'organisation.emailDomain',
        hint: 'Add `organisation: {emailDomain: example.com}` to migrate-plan.yaml; accounts get aws+<account>@example.com.',
      },
    )
  }
  const workloadRegion = settings.assess.region
  const homeRegion = org.homeRegion ?? workloadRegion
  const governed = [...new Set([homeRegion, ...(org.governedRegions ?? [homeRegion])])]
  if (org.governedRegions && !org.governedRegions.includes(homeRegion)) {
    diagnostics.push(
      `organisation.governedRegions did not list the home region ${homeRegion}; Control Tower always governs it, so it was added`,
    )
  }
  if (!governed.includes(workloadRegion)) {
    throw new ConfigError(
      'LZ_REGION_NOT_GOVERNED',
      `assess.region ${workloadRegion} is not in organisation.governedRegions (${governed.join(', ')}): the Region deny policy would block every workload`,
      {setting: 'organisation.governedRegions', hint: `Add ${workloadRegion} to organisation.governedRegions.`},
    )
  }

  const units = businessUnitsOf(settings, servers)
  const keys = buKeys(units)
  const unitByLower = new Map(units.map((u) => [u.toLowerCase(), u]))
  const sharedIds = new Set((input.plan?.sharedServices ?? []).map((s) => s.serverId))
  const waved = input.plan ? new Set(input.plan.servers.map((s) => s.id)) : undefined

  const email = (key: string): string => emailFor(lz.emailPrefix, key, org.emailDomain!)
  const core: AccountPlan[] = [
    {
      key: 'log-archive',
      name: 'log-archive',
      kind: 'log-archive',
      ou: 'Security',
      vpc: false,
      purpose: 'Central CloudTrail and Config logs (Control Tower)',
    },
    {
      key: 'audit',
      name: 'audit',
      kind: 'audit',
      ou: 'Security',
      vpc: false,
      purpose: 'Security tooling and cross-account audit roles (Control Tower)',
    },
    {
      key: 'network',
      name: 'network',
      kind: 'network',
      ou: 'Infrastructure',
      vpc: true,
      purpose: 'Transit gateway, hybrid connectivity (VPN/Direct Connect), central egress',
    },
    {
      key: 'shared-services',
      name: 'shared-services',
      kind: 'shared-services',
      ou: 'Infrastructure',
      vpc: true,
      purpose: 'Directory, DNS, monitoring and other shared services',
    },
  ].map((a) => ({...a, kind: a.kind as AccountKind, email: email(a.key), servers: [] as string[]}))

  const workloads = new Map<string, AccountPlan & {servers: string[]}>()
  const workloadKey = (bu: string | undefined, env: Environment): string => `${bu ? keys.get(bu)! : 'workloads'}-${env}`
  const ensure = (bu: string | undefined, env: Environment): AccountPlan & {servers: string[]} => {
    const key = workloadKey(bu, env)
    let a = workloads.get(key)
    if (!a) {
      a = {
        key,
        name: key,
        email: email(key),
        ou: env === 'prod' ? 'Workloads/Prod' : 'Workloads/NonProd',
        kind: 'workload',
        ...(bu ? {businessUnit: bu} : {}),
        environment: env,
        vpc: true,
        servers: [],
        purpose: `${env === 'prod' ? 'Production' : 'Non-production'} workloads${bu ? ` of ${bu}` : ''}`,
      }
      workloads.set(key, a)
    }
    return a
  }
  for (const bu of units.length ? units : [undefined]) for (const env of ['prod', 'nonprod'] as const) ensure(bu, env)

  const accountOf: Record<string, string> = {}
  const sharedAccount = core.find((a) => a.key === 'shared-services')! as AccountPlan & {servers: string[]}
  let unassigned = 0
  for (const s of [...servers].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    if (sharedIds.has(s.id)) {
      sharedAccount.servers.push(s.id)
      accountOf[s.id] = sharedAccount.key
      continue
    }
    if (waved && !waved.has(s.id)) continue // retired or retained: not moving
    const bu = s.businessUnit ? unitByLower.get(plainText(s.businessUnit, 64).toLowerCase()) : undefined
    if (!bu && units.length) unassigned++
    const account = ensure(bu ?? units[0], environmentOf(s.environment))
    account.servers.push(s.id)
    accountOf[s.id] = account.key
  }
  if (unassigned) {
    diagnostics.push(
      `${unassigned} servers have no known business unit; they were placed in the accounts of ${units[0]} (the first business unit)`,
    )
  }

  const accounts: AccountPlan[] = [...core, ...[...workloads.values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))]
  const ipPlan = planAddresses({
    accounts,
    regions: [workloadRegion, ...governed.filter((r) => r !== workloadRegion)],
    settings,
    inventoryIps: servers.flatMap((s) => [...(s.ips ?? []), ...(s.nics ?? []).flatMap((n) => n.ips)]),
  })
  diagnostics.push(...ipPlan.diagnostics)
  return {
    organisation: plainText(org.name ?? 'Organisation', 64) || 'Organisation',
    emailDomain: org.emailDomain.toLowerCase(),
    homeRegion,
    governedRegions: governed,
    workloadRegion,
    businessUnits: units,
    ous: OUS,
    accounts,
    accountOf,
    ipPlan,
    diagnostics,
  }
}
