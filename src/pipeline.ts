/**
 * The whole job (`migrate-plan plan`), and the workspace reads the report and export commands
 * share. Phases are plain functions, each timed, so the command stays thin and the benchmark can
 * print time and memory per phase.
 */
import {ConfigError} from './errors.js'
import {designLandingZone} from './generate/landing-zone/design.js'
import {requireAssessment} from './generate/inputs.js'
import {summarise} from './inventory/inventory.js'
import {PLAN_SCHEMA_VERSION, type Plan} from './model/plan.js'
import type {Server} from './model/server.js'
import {buildGraph, type DependencyGraph} from './plan/graph.js'
import {applicationGraphs} from './report/dependencies.js'
import type {ReportDocuments} from './report/documents.js'
import type {Workspace} from './workspace/workspace.js'

export interface LoadDocumentsOptions {
  /** Build the per-application dependency pictures (reads every connection record). @default false */
  readonly applications?: boolean
}

/**
 * The stored documents of a workspace, as reports and exports read them: the Assessment (required:
 * a UserInputError naming `assess` otherwise), the Plan when there is a current one, the inventory
 * summaries, and the landing-zone design when the settings allow one.
 */
export function loadReportDocuments(ws: Workspace, options: LoadDocumentsOptions = {}): ReportDocuments {
  const assessment = requireAssessment(ws.loadDocument('assessment'))
  const stored = ws.loadDocument<Plan>('plan')
  const plan = stored?.schemaVersion === PLAN_SCHEMA_VERSION ? stored : undefined
  const servers = ws.servers()
  const graph =
    options.applications && plan
      ? buildGraph(servers, ws.connectionRows(), {onPremisesCidrs: ws.settings.organisation.onPremisesCidrs ?? []})
      : undefined
  return documentsFrom({ws, servers, assessment, plan, graph})
}

/** Put the documents together from what a caller already holds (the pipeline keeps everything in memory). */
export function documentsFrom(input: {
  readonly ws: Pick<Workspace, 'settings'>
  readonly servers: readonly Server[]
  readonly assessment: ReportDocuments['assessment']
  readonly plan?: Plan
  readonly graph?: DependencyGraph
}): ReportDocuments {
  const {ws, servers, assessment, plan, graph} = input
  const lz = landingZoneFor(ws.settings, servers, plan)
  const org = ws.settings.organisation.name
  return {
    assessment,
    ...(plan ? {plan} : {}),
    inventory: servers.map(summarise),
    ...lz,
    ...(graph && plan ? {applications: applicationGraphs(graph, plan)} : {}),
    ...(org ? {organisation: org} : {}),
  }
}

function landingZoneFor(
  settings: Workspace['settings'],
  servers: readonly Server[],
  plan: Plan | undefined,
): Pick<ReportDocuments, 'landingZone' | 'landingZoneMissing'> {
  try {
    return {landingZone: designLandingZone({settings, servers, ...(plan ? {plan} : {})})}
  } catch (error) {
    if (error instanceof ConfigError) return {landingZoneMissing: `${error.message}${error.hint ? ` (${error.hint})` : ''}`}
    throw error
  }
}
