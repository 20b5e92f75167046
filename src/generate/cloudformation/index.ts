/**
 * `generate cloudformation`: network stacks per account, MGN settings per account with servers
 * to rehost, and a workload stack per wave and account, as a file map. Pure.
 */
import type {PlannedServer} from '../../model/plan.js'
import type {Settings} from '../../model/settings.js'
import type {FileMap} from '../../util/output.js'
import {designLandingZone, type LandingZoneDesign} from '../landing-zone/design.js'
import {coveringRange, type ReservedRange} from '../landing-zone/ip-plan.js'
import {render, type TemplateSources} from '../templates.js'
import type {Flow} from './flows.js'
import {mgnStack} from './mgn.js'
import {networkStack} from './network.js'
import {
  workloadDescription,
  workloadFile,
  workloadMembers,
  workloadStack,
  type CloudFormationAssessment,
  type CloudFormationPlan,
  type CloudFormationServer,
  type WorkloadInput,
  type WorkloadStack,
} from './workload.js'
import {GUARD_EXCEPTIONS} from './exceptions.js'

export interface CloudFormationInput {
  readonly settings: Settings
  readonly servers: readonly CloudFormationServer[]
  readonly assessment: CloudFormationAssessment
  readonly plan: CloudFormationPlan
  readonly flows: readonly Flow[]
  /** Only this wave's stacks (and the network/MGN stacks of its accounts). */
  readonly wave?: number
}

export interface StackSummary {
  readonly file: string
  readonly kind: 'network' | 'mgn' | 'workload'
  readonly account: string
  readonly wave?: number
  readonly resources: number
  readonly types: readonly string[]
}

export interface CloudFormationOptions {
  /**
   * Called with each workload stack's file and YAML as soon as it is made; those files are then
   * left out of `files` and `templates`, so they are never all held at once (over 400 MB at
   * 100,000 servers). Without it every file is in `files`.
   */
  readonly emit?: (file: string, yaml: string) => void
}

export interface CloudFormationResult {
  readonly files: FileMap
  /** path → YAML text of every template (but those given to `emit`), for validation. */
  readonly templates: Readonly<Record<string, string>>
  readonly stacks: readonly StackSummary[]
  readonly workloads: readonly WrittenWorkloadStack[]
  readonly design: LandingZoneDesign
  readonly diagnostics: readonly string[]
}

/**
 * A workload stack once written as YAML: what the README and the stack summary need. The template
 * itself is not kept: at 100,000 servers keeping all 1,760 until the last was written added over
 * 300 MB to the peak memory of the phase.
 */
export interface WrittenWorkloadStack extends Omit<WorkloadStack, 'template'> {
  readonly resources: number
  readonly types: readonly string[]
}

const HEADER = 'Generated from migrate-plan.yaml, the assessment and the wave plan.'
const deployWorkload = (w: {account: string; wave: number}) =>
  `Deploy in account ${w.account} after its network stack, before the wave ${w.wave} cutover.`

export function generateCloudFormation(
  input: CloudFormationInput,
  templates: TemplateSources,
  options: CloudFormationOptions = {},
): CloudFormationResult {
  const {settings, plan, assessment} = input
  const design = designLandingZone({settings, servers: input.servers, plan})
  const diagnostics: string[] = [...design.diagnostics]
  if (!input.flows.length) {
    diagnostics.push(
      'no connection data in the workspace: security groups open no inbound ports (import agent files or connection exports, then generate again)',
    )
  }
  if (assessment.region !== design.workloadRegion) {
    diagnostics.push(
      `the assessment priced ${assessment.region} but assess.region is ${design.workloadRegion}; stacks target ${design.workloadRegion}`,
    )
  }
  const waves = plan.waves.map((w) => w.number).filter((n) => input.wave === undefined || n === input.wave)
  const workloadInput: WorkloadInput = {design, assessment, plan, servers: input.servers, flows: input.flows, settings}
  const workloads: WrittenWorkloadStack[] = []
  const workloadYaml: string[] = []
  for (const wave of waves) {
    const accounts = [
      ...new Set(
        plan.servers
          .filter((s) => s.wave === wave)
          .map((s) => design.accountOf[s.id])
          .filter((a): a is string => !!a),
      ),
    ].sort()
    for (const account of accounts) {
      for (const {template, ...stack} of workloadStacks(workloadInput, wave, account)) {
        if (template.resourceCount === 0) continue
        const yaml = template.toYaml(HEADER, deployWorkload(stack))
        if (options.emit) options.emit(stack.file, yaml)
        else workloadYaml.push(yaml)
        workloads.push({...stack, resources: template.resourceCount, types: template.resourceTypes()})
        diagnostics.push(...stack.diagnostics.map((d) => `wave ${wave}, ${account}: ${d}`))
      }
    }
  }

  const files: Record<string, string> = {}
  const stacks: StackSummary[] = []
  const add = (
    file: string,
    kind: StackSummary['kind'],
    account: string,
    t: {toYaml(...l: string[]): string; resourceCount: number; resourceTypes(): string[]},
    extra: {wave?: number} = {},
    ...lines: string[]
  ) => {
    files[file] = t.toYaml(HEADER, ...lines)
    stacks.push({file, kind, account, ...extra, resources: t.resourceCount, types: t.resourceTypes()})
  }
  const used = new Set(workloads.map((w) => w.account))
  const networkAccounts = design.accounts.filter((a) => a.vpc && (input.wave === undefined || used.has(a.key) || a.kind !== 'workload'))
  for (const a of networkAccounts) {
    add(
      `network/${a.key}-${design.workloadRegion}.yaml`,
      'network',
      a.key,
      networkStack(design, a.key, design.workloadRegion, settings),
      {},
      `Deploy in account ${a.name}, region ${design.workloadRegion}, as stack ${a.key}-network.`,
    )
  }
  const rehostBy = new Map<string, string[]>()
  for (const w of workloads)
    for (const u of w.units)
      if (u.kind === 'ec2' || u.kind === 'web') {
        // push, not a spread copy per unit: that was quadratic (minutes at 100,000 servers)
        const list = rehostBy.get(w.account)
        if (list) list.push(...u.servers)
        else rehostBy.set(w.account, [...u.servers])
      }
  const serverById = new Map(input.servers.map((s) => [s.id, s]))
  for (const [account, ids] of [...rehostBy].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const networks = new Map<string, ReservedRange>()
    for (const id of ids) {
      for (const ip of (serverById.get(id)?.ips ?? []).filter((x) => /^\d+\.\d+\.\d+\.\d+$/.test(x))) {
        const r = coveringRange(design.ipPlan.reserved, ip)
        networks.set(r.cidr, r)
      }
    }
    const sources = [...networks.values()].sort((a, b) => (a.cidr < b.cidr ? -1 : 1))
    add(
      `mgn/${account}-${design.workloadRegion}.yaml`,
      'mgn',
      account,
      mgnStack(design, account, settings, ids.length, sources),
      {},
      `Deploy in account ${account} after the network stack and \`aws mgn initialize-service\`.`,
    )
  }
  workloads.forEach((w, i) => {
    if (!options.emit) files[w.file] = workloadYaml[i]!
    stacks.push({file: w.file, kind: 'workload', account: w.account, wave: w.wave, resources: w.resources, types: w.types})
  })
  const templatesOut = {...files}

  const waveOf = new Map(plan.waves.map((w) => [w.number, w]))
  files['README.md'] = render(templates, 'generated/cloudformation-readme.md.hbs', {
    region: design.workloadRegion,
    waveFilter: input.wave ?? null,
    network: stacks.filter((s) => s.kind === 'network').map((s) => ({file: s.file, account: s.account, resources: s.resources})),
    mgn: stacks.filter((s) => s.kind === 'mgn').map((s) => ({file: s.file, account: s.account})),
    waves: waves.map((n) => ({
      number: n,
      name: waveOf.get(n)?.name ?? `Wave ${n}`,
      start: waveOf.get(n)?.start ?? `day ${waveOf.get(n)?.dayOffset ?? 0}`,
      stacks: workloads
        .filter((w) => w.wave === n)
        .map((w) => ({
          file: w.file,
          account: w.account,
          resources: w.resources,
          units: w.units.map((u) => ({kind: u.kind, id: u.id, servers: u.servers.length, size: u.size ?? '', ingress: u.ingress})),
        })),
    })),
    exceptions: GUARD_EXCEPTIONS.map((e) => ({control: e.control, kind: e.kind, applies: e.applies, why: e.why})),
    diagnostics,
  })
  return {files, templates: templatesOut, stacks, workloads, design, diagnostics}
}

/** CloudFormation's quota of resources per stack. */
export const MAX_STACK_RESOURCES = 500
/** Servers in one wave and account beyond which its stack is counted before it is built (4 resources a server). */
const LIKELY_OVER_QUOTA = MAX_STACK_RESOURCES / 4

/**
 * The stacks of one wave in one account: one, or when that would exceed MAX_STACK_RESOURCES,
 * parts of whole move groups (a group larger than a part is cut), each under the quota. A client
 * in another part is reached through the account's VPC CIDR instead of its security group.
 */
export function workloadStacks(input: WorkloadInput, wave: number, account: string): WorkloadStack[] {
  const members = workloadMembers(input, wave, account)
  let resources: number
  if (members.length > LIKELY_OVER_QUOTA) {
    // Nearly always over the quota: count the whole stack's resources rather than build it only to
    // split it (either way gives the same stacks).
    resources = workloadStack(input, wave, account, undefined, {countOnly: true}).template.resourceCount
    if (resources <= MAX_STACK_RESOURCES) return [workloadStack(input, wave, account)]
  } else {
    const whole = workloadStack(input, wave, account)
    if (whole.template.resourceCount <= MAX_STACK_RESOURCES) return [whole]
    resources = whole.template.resourceCount
  }
  const perServer = resources / Math.max(1, members.length)
  // Room for the stack's fixed resources (instance profile, role, DMS …): aim at 80% of the quota.
  const target = Math.max(1, Math.floor((MAX_STACK_RESOURCES * 0.8) / perServer))
  const byGroup = new Map<string, PlannedServer[]>()
  for (const p of members) {
    const list = byGroup.get(p.group)
    if (list) list.push(p)
    else byGroup.set(p.group, [p])
  }
  const chunks: PlannedServer[][] = []
  let current: PlannedServer[] = []
  for (const list of byGroup.values()) {
    if (current.length > 0 && current.length + list.length > target) {
      chunks.push(current)
      current = []
    }
    for (const p of list) {
      current.push(p)
      if (current.length >= target) {
        chunks.push(current)
        current = []
      }
    }
  }
  if (current.length > 0) chunks.push(current)
  // A part still over the quota (servers with many resources) is halved until it fits.
  const fitting: {stack: WorkloadStack; members: readonly PlannedServer[]}[] = []
  while (chunks.length > 0) {
    const c = chunks.shift()!
    const stack = workloadStack(input, wave, account, {members: c, number: 1, of: 1})
    if (stack.template.resourceCount > MAX_STACK_RESOURCES && c.length > 1)
      chunks.unshift(c.slice(0, c.length >> 1), c.slice(c.length >> 1))
    else {
      stack.template.seal()
      fitting.push({stack, members: c})
    }
  }
  // Only the description and the file name depend on the part number: no need to generate again.
  return fitting.map(({stack, members: c}, i) => {
    const part = {members: c, number: i + 1, of: fitting.length}
    stack.template.retitle(workloadDescription(wave, account, c.length, part))
    return {...stack, file: workloadFile(wave, account, part)}
  })
}

export {flowsFromGraph, packFlows, unpackFlows, type Flow, type PackedFlows} from './flows.js'
export {validateTemplates, type ValidationReport} from './validate.js'
export {cloudFormationView} from './workload.js'
