/**
 * What reports and exports render from: the stored documents (Assessment, Plan), the inventory as
 * `inventory list` summarises it, and, when the settings allow one, the landing-zone design. Every
 * renderer in src/report reads only this, so a report can be rendered again later from the same
 * workspace and gives the same bytes.
 */
import type {LandingZoneDesign} from '../generate/landing-zone/design.js'
import type {ServerSummary} from '../inventory/inventory.js'
import type {Assessment, PricingModel, ServerAssessment} from '../model/assessment.js'
import type {MoveGroup, Plan, PlannedServer, SharedServicePrerequisite} from '../model/plan.js'
import type {ApplicationGraphs} from './dependencies.js'

export interface ReportDocuments {
  readonly assessment: Assessment
  /** The stored Plan; without one, waves, groups and dependencies are left out (and say so). */
  readonly plan?: Plan
  /** Inventory summaries (`inventory list`), for OS, capacity, storage and data confidence. */
  readonly inventory?: readonly ServerSummary[]
  /** The landing-zone design, when the settings allow one. */
  readonly landingZone?: LandingZoneDesign
  /** Why there is no landing-zone design (the setting to add), when there is none. */
  readonly landingZoneMissing?: string
  /** Per-application dependency pictures (servers, neighbours, laid out), from the dependency graph. */
  readonly applications?: ApplicationGraphs
  /** Organisation name for titles (organisation.name). */
  readonly organisation?: string
}

/** Where a server stands in the plan. */
export type PlanRole = 'waved' | 'shared-service' | 'retired' | 'retained' | 'not planned'

/** How the recommended size compares with what the server has now. */
export type RightSizing = 'down-sized' | 'up-sized' | 'reshaped' | 'same size' | 'as allocated' | 'idle' | 'not sized'

/** One server with everything the documents say about it, joined by server id. */
export interface JoinedServer {
  readonly a: ServerAssessment
  readonly inv?: ServerSummary
  readonly planned?: PlannedServer
  readonly group?: MoveGroup
  readonly shared?: SharedServicePrerequisite
  readonly role: PlanRole
  readonly rightSizing: RightSizing
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0)

/** Finding ids that say a server looks idle (rules in src/assess/rules). */
const IDLE_FINDINGS = new Set(['possibly-idle'])
const IDLE_RULES = new Set(['retire-idle'])

/**
 * Down-sized: the recommended type has fewer vCPUs or less memory than allocated and no more of
 * either; up-sized: the reverse; reshaped: one up, one down. Only for performance-based sizing;
 * servers sized without utilisation are `as allocated`.
 */
export function rightSizing(a: ServerAssessment): RightSizing {
  if (a.findings.some((f) => IDLE_FINDINGS.has(f.id)) || a.rules.some((r) => r.decided && IDLE_RULES.has(r.id))) return 'idle'
  const chosen = a.sizing.chosen
  if (!chosen) return 'not sized'
  if (a.sizing.basis !== 'performance' && a.sizing.basis !== 'partial') return 'as allocated'
  const cpu = a.sizing.cpu.allocated
  const mem = a.sizing.memory.allocated
  const dc = cpu === undefined ? 0 : Math.sign(chosen.vcpus - cpu)
  const dm = mem === undefined ? 0 : Math.sign(chosen.memoryMib - mem)
  if (dc < 0 || dm < 0) return dc > 0 || dm > 0 ? 'reshaped' : 'down-sized'
  if (dc > 0 || dm > 0) return 'up-sized'
  return 'same size'
}

/** Every assessed server joined with the plan and the inventory, ordered by name then id. */
export function joinServers(docs: ReportDocuments): JoinedServer[] {
  const inv = new Map((docs.inventory ?? []).map((s) => [s.id, s]))
  const plan = docs.plan
  const planned = new Map((plan?.servers ?? []).map((s) => [s.id, s]))
  const groups = new Map((plan?.groups ?? []).map((g) => [g.id, g]))
  const shared = new Map((plan?.sharedServices ?? []).map((s) => [s.serverId, s]))
  const retired = new Set((plan?.retired ?? []).map((s) => s.id))
  const retained = new Set((plan?.retained ?? []).map((s) => s.id))
  const out = docs.assessment.servers.map((a): JoinedServer => {
    const p = planned.get(a.serverId)
    const sh = shared.get(a.serverId)
    const role: PlanRole = p
      ? 'waved'
      : sh
        ? 'shared-service'
        : retired.has(a.serverId)
          ? 'retired'
          : retained.has(a.serverId)
            ? 'retained'
            : 'not planned'
    const i = inv.get(a.serverId)
    const g = p ? groups.get(p.group) : undefined
    return {
      a,
      ...(i ? {inv: i} : {}),
      ...(p ? {planned: p} : {}),
      ...(g ? {group: g} : {}),
      ...(sh ? {shared: sh} : {}),
      role,
      rightSizing: rightSizing(a),
    }
  })
  return out.sort((x, y) => cmp(x.a.name, y.a.name) || cmp(x.a.serverId, y.a.serverId))
}

/** The monthly figure of a server's target under a pricing model (undefined when not priced). */
export function monthly(a: ServerAssessment, model: PricingModel): number | undefined {
  return a.targetMonthlyUsd[model]
}

/** Cents, for renderers (documents keep costs unrounded). */
export function cents(n: number | undefined): number | undefined {
  return n === undefined ? undefined : Math.round(n * 100) / 100
}
