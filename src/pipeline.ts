/**
 * The whole job (`migrate-plan plan`), and the workspace reads the report and export commands
 * share. Phases are plain functions run in order, each timed (wall and CPU seconds, peak RSS), so
 * the command stays thin and the benchmark can print time and memory per phase.
 *
 * `runPipeline`: settings → import (into a fresh workspace built beside the outputs, or the one
 * given) → assess → waves → landing zone → CloudFormation → runbooks → report → exports. Bad input
 * or settings fail before anything is written (exit 2). A generator that needs a setting that is
 * missing is skipped with a problem naming the setting; every other output is still written.
 */
import {existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync} from 'node:fs'
import {basename, join, resolve} from 'node:path'
import {randomBytes} from 'node:crypto'
import {setFlagsFromString} from 'node:v8'
import {runInNewContext} from 'node:vm'
import {Worker} from 'node:worker_threads'
import {fileURLToPath} from 'node:url'

import {assess} from './assess/assess.js'
import {builtinRules, mergeRules, parseUserRules} from './assess/rules.js'
import {parseUsage} from './assess/usage.js'
import {workspaceCatalog} from './catalog/store.js'
import {ConfigError, UserInputError} from './errors.js'
import {cloudFormationView, flowsFromGraph, packFlows, type Flow} from './generate/cloudformation/index.js'
import {runCloudFormationJob, type CloudFormationJob, type CloudFormationOutcome} from './cloudformation-thread.js'
import {designLandingZone, type LandingZoneDesign} from './generate/landing-zone/design.js'
import {generateLandingZone} from './generate/landing-zone/index.js'
import {requireAssessment} from './generate/inputs.js'
import {generateRunbooks} from './generate/runbooks/index.js'
import {loadTemplates} from './generate/templates.js'
import {parseMapFlag} from './importers/generic-map.js'
import {planImport, importPaths} from './importers/run.js'
import type {FormatId} from './importers/types.js'
import {summarise, type ServerSummary} from './inventory/inventory.js'
import {PLAN_SCHEMA_VERSION, type Plan} from './model/plan.js'
import type {BareServer} from './model/server.js'
import type {Settings} from './model/settings.js'
import {buildGraph} from './plan/graph.js'
import {planFromGraph} from './plan/plan.js'
import {applicationGraphs, type ApplicationGraphs} from './report/dependencies.js'
import type {ReportDocuments} from './report/documents.js'
import {defaultExportDate, exportFiles, type ExportFormat} from './report/export.js'
import {renderReport} from './report/html.js'
import {exportTables, type ExportTable} from './report/tables.js'
import {loadReportTemplates} from './report/templates.js'
import {MANIFEST_FILE, OutputFolder, writeFileAtomic, writeFiles, type FileMap, type WriteResult} from './util/output.js'
import {defaultSettings, parseSettings, SETTINGS_FILE} from './workspace/settings.js'
import {Workspace, withoutProvenance} from './workspace/workspace.js'

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
  const {servers, inventory} = serversForPlanning(ws)
  const applications =
    options.applications && plan
      ? applicationGraphs(buildGraph(servers, ws.connectionRows(), {onPremisesCidrs: ws.settings.organisation.onPremisesCidrs ?? []}), plan)
      : undefined
  return documentsFrom({ws, servers, inventory, assessment, plan, applications})
}

/**
 * Every server without its provenance, and its inventory summary (which reads the provenance):
 * nothing after the import needs more, and provenance is over two thirds of the servers' memory.
 * One full server is held at a time.
 */
export function serversForPlanning(ws: Workspace): {servers: BareServer[]; inventory: ServerSummary[]} {
  const servers: BareServer[] = []
  const inventory: ServerSummary[] = []
  for (const server of ws.eachServer()) {
    inventory.push(summarise(server))
    servers.push(withoutProvenance(server))
  }
  return {servers, inventory}
}

/** Put the documents together from what a caller already holds (the pipeline keeps everything in memory). */
export function documentsFrom(input: {
  readonly ws: {readonly settings: Settings}
  readonly servers: readonly BareServer[]
  readonly inventory: readonly ServerSummary[]
  readonly assessment: ReportDocuments['assessment']
  readonly plan?: Plan
  /** The per-application pictures (applicationGraphs of the dependency graph and the plan). */
  readonly applications?: ApplicationGraphs
}): ReportDocuments {
  const {ws, servers, inventory, assessment, plan, applications} = input
  const lz = landingZoneFor(ws.settings, servers, plan)
  const org = ws.settings.organisation.name
  return {
    assessment,
    ...(plan ? {plan} : {}),
    inventory,
    ...lz,
    ...(applications && plan ? {applications} : {}),
    ...(org ? {organisation: org} : {}),
  }
}

function landingZoneFor(
  settings: Workspace['settings'],
  servers: readonly BareServer[],
  plan: Plan | undefined,
): Pick<ReportDocuments, 'landingZone' | 'landingZoneMissing'> {
  try {
    return {landingZone: designLandingZone({settings, servers, ...(plan ? {plan} : {})})}
  } catch (error) {
    if (error instanceof ConfigError) return {landingZoneMissing: `${error.message}${error.hint ? ` (${error.hint})` : ''}`}
    throw error
  }
}

// ---------------------------------------------------------------------------------------------
// The whole job
// ---------------------------------------------------------------------------------------------

export interface PipelineOptions {
  /** Files and folders to import. A `migrate-plan.yaml` among them (or at the top of a folder) is the settings. */
  readonly inputs: readonly string[]
  /** Output folder (created when missing). */
  readonly out: string
  /**
   * Workspace to import into (created when missing; an existing one keeps what it has). Default:
   * `OUT/workspace`, rebuilt from the inputs on every run so that the outputs depend on them alone.
   */
  readonly workspace?: string
  /** Settings file; beats one found among the inputs and the workspace's own. */
  readonly settings?: string
  /** Force the input format (as `import --format`). */
  readonly format?: FormatId
  /** Column mapping for generic CSVs (as `import --map`). */
  readonly map?: string
  /** Usage file for assess (request volumes …). */
  readonly usage?: string
  /** Rules file for assess. */
  readonly rules?: string
  /** Reference date for end-of-support findings. @default assess.asOf, else today */
  readonly asOf?: string
  /** Record the time of the run in the report header and the workbook (outputs then differ run to run). */
  readonly timestamp?: boolean
  /**
   * Generate CloudFormation on a thread of its own, beside the other outputs (same files either
   * way). Always in this thread when the compiled thread module is missing. @default true
   */
  readonly cloudFormationThread?: boolean
  /** Base folder for paths recorded in provenance. @default process.cwd() */
  readonly cwd?: string
  /** Progress: a phase starts (`detail` undefined) or reports progress. */
  readonly onProgress?: (phase: PhaseName, detail?: string) => void
}

export type PhaseName = 'settings' | 'import' | 'assess' | 'waves' | 'landing-zone' | 'cloudformation' | 'runbooks' | 'report' | 'export'

export interface PhaseTiming {
  readonly phase: PhaseName
  readonly seconds: number
  /**
   * CPU (user + system) seconds of this process during the phase; of its own thread for a phase
   * that ran on one (`thread`), while the process's figure of the phases beside it includes that
   * thread's CPU.
   */
  readonly cpuSeconds: number
  /** Peak resident set size of the process at the end of the phase, MiB (it only grows). */
  readonly peakRssMib: number
  /** Ran on a thread of its own, beside the phases after it (its wall time overlaps theirs). */
  readonly thread?: true
}

export type OutputName = 'workspace' | 'landing-zone' | 'cloudformation' | 'runbooks' | 'report' | 'export'

export interface OutputEntry {
  readonly name: OutputName
  readonly status: 'written' | 'skipped'
  /** Folder or file, relative to the output folder (`workspace` may be absolute when given). */
  readonly path: string
  /** Files written, relative to `path` (for a file output: the file itself), with their sizes. */
  readonly files: readonly {readonly path: string; readonly bytes: number}[]
  /** Files of an earlier run that this one no longer produces, removed. */
  readonly removed: readonly string[]
  /** Why it was skipped. */
  readonly reason?: string
  /** The setting to add, when a missing setting is why. */
  readonly setting?: string
}

export interface PipelineProblem {
  readonly output?: OutputName
  readonly code: string
  readonly message: string
  readonly setting?: string
  readonly hint?: string
}

export interface PipelineResult {
  /** Absolute output folder. */
  readonly out: string
  /** Absolute workspace folder. */
  readonly workspace: string
  /** Where the settings came from (a file path) or `defaults`. */
  readonly settingsFrom: string
  readonly servers: number
  readonly connectionRecords: number
  readonly waves: number
  readonly outputs: readonly OutputEntry[]
  readonly problems: readonly PipelineProblem[]
  readonly phases: readonly PhaseTiming[]
  /** Wall and CPU seconds of the whole run (phases may overlap: see PhaseTiming.thread). */
  readonly seconds: number
  readonly cpuSeconds: number
  /** 0 when everything was written cleanly, 1 when something was skipped or needs attention. */
  readonly exitCode: 0 | 1
}

/** The folder under OUT that holds the default workspace. */
export const WORKSPACE_FOLDER = 'workspace'
export const REPORT_FILE = 'report.html'

/** The order of phases and outputs in the result, whichever finished first. */
const PHASE_ORDER: readonly PhaseName[] = [
  'settings',
  'import',
  'assess',
  'waves',
  'landing-zone',
  'cloudformation',
  'runbooks',
  'report',
  'export',
]

class Phases {
  private readonly list: PhaseTiming[] = []
  private readonly t0 = process.hrtime.bigint()
  private readonly c0 = process.cpuUsage()
  constructor(private readonly onProgress?: PipelineOptions['onProgress']) {}

  get timings(): PhaseTiming[] {
    return [...this.list].sort((a, b) => PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase))
  }

  /** Wall and CPU seconds since the run started. */
  total(): {seconds: number; cpuSeconds: number} {
    const c = process.cpuUsage(this.c0)
    return {seconds: Number(process.hrtime.bigint() - this.t0) / 1e9, cpuSeconds: (c.user + c.system) / 1e6}
  }

  /** A phase starts on another thread: announced now, its timing given later (ranOnThread). */
  start(phase: PhaseName): void {
    this.onProgress?.(phase)
  }

  /** A phase that ran on another thread, measured there. */
  ranOnThread(phase: PhaseName, seconds: number, cpuSeconds: number): void {
    this.list.push({phase, seconds, cpuSeconds, peakRssMib: process.resourceUsage().maxRSS / 1024, thread: true})
  }

  run<T>(phase: PhaseName, fn: () => T): T {
    this.onProgress?.(phase)
    const t0 = process.hrtime.bigint()
    const c0 = process.cpuUsage()
    const result = fn()
    this.done(phase, t0, c0)
    return result
  }

  async runAsync<T>(phase: PhaseName, fn: () => Promise<T>): Promise<T> {
    this.onProgress?.(phase)
    const t0 = process.hrtime.bigint()
    const c0 = process.cpuUsage()
    const result = await fn()
    this.done(phase, t0, c0)
    return result
  }

  private done(phase: PhaseName, t0: bigint, c0: NodeJS.CpuUsage): void {
    const c = process.cpuUsage(c0)
    this.list.push({
      phase,
      seconds: Number(process.hrtime.bigint() - t0) / 1e9,
      cpuSeconds: (c.user + c.system) / 1e6,
      peakRssMib: process.resourceUsage().maxRSS / 1024,
    })
  }
}

interface ResolvedSettings {
  readonly settings: Settings
  /** The text to put in a new workspace's migrate-plan.yaml, when a file was found. */
  readonly text?: string
  readonly from: string
}

/** Settings: --settings, else the workspace's own file, else one among the inputs, else the defaults. */
export function resolveSettings(options: Pick<PipelineOptions, 'inputs' | 'settings'>, workspaceDir?: string): ResolvedSettings {
  const read = (path: string): ResolvedSettings => {
    if (!existsSync(path) || !statSync(path).isFile())
      throw new UserInputError('PLAN_NO_SETTINGS', 'no such settings file', {location: {file: path}, hint: 'Check the --settings path.'})
    const text = readFileSync(path, 'utf8')
    return {settings: parseSettings(text, path), text, from: path}
  }
  if (options.settings) return read(resolve(options.settings))
  if (workspaceDir && existsSync(join(workspaceDir, SETTINGS_FILE))) return read(join(workspaceDir, SETTINGS_FILE))
  const found: string[] = []
  for (const input of options.inputs) {
    const abs = resolve(input)
    if (!existsSync(abs)) continue
    if (statSync(abs).isDirectory()) {
      if (existsSync(join(abs, SETTINGS_FILE))) found.push(join(abs, SETTINGS_FILE))
    } else if (basename(abs) === SETTINGS_FILE) found.push(abs)
  }
  const distinct = [...new Set(found)]
  if (distinct.length > 1) {
    const texts = new Set(distinct.map((f) => readFileSync(f, 'utf8')))
    if (texts.size > 1)
      throw new ConfigError(
        'PLAN_SETTINGS_AMBIGUOUS',
        `the inputs hold ${distinct.length} different ${SETTINGS_FILE} files: ${distinct.join(', ')}`,
        {
          hint: 'Say which one with --settings FILE.',
        },
      )
  }
  if (distinct.length > 0) return read(distinct[0]!)
  return {settings: defaultSettings(), from: 'defaults'}
}

function today(): string {
  return new Date().toISOString().slice(0, 10)
}

function filesOf(w: WriteResult): {path: string; bytes: number}[] {
  return w.written.map((p) => ({path: p, bytes: w.bytes[p]!}))
}

/** Remove what an earlier run wrote into a folder (by its manifest), when this run cannot produce it. */
function clearStale(dir: string): string[] {
  if (!existsSync(join(dir, MANIFEST_FILE))) return []
  return [...writeFiles(dir, {}).removed]
}

/** Run the whole job. Throws UserInputError/ConfigError (nothing written) for bad input or settings. */
export async function runPipeline(options: PipelineOptions): Promise<PipelineResult> {
  const phases = new Phases(options.onProgress)
  const out = resolve(options.out)
  if (existsSync(out) && !statSync(out).isDirectory())
    throw new UserInputError('OUTPUT_NOT_DIR', `${out} is not a folder`, {hint: 'Give --out a folder path.'})
  const userWorkspace = options.workspace ? resolve(options.workspace) : undefined
  const workspaceDir = userWorkspace ?? join(out, WORKSPACE_FOLDER)

  // 1. Settings and the inputs' formats, before anything is created.
  const {resolved, asOf, usage, rules, importOptions} = phases.run('settings', () => {
    const resolved = resolveSettings(options, userWorkspace)
    const s = resolved.settings
    const asOf = options.asOf ?? s.assess.asOf ?? today()
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf)))
      throw new ConfigError('PLAN_BAD_DATE', `--as-of ${JSON.stringify(asOf)} is not a date`, {hint: 'Use YYYY-MM-DD.'})
    const usage = options.usage ? parseUsage(readFileSync(options.usage, 'utf8'), options.usage) : undefined
    const builtin = builtinRules()
    const rules = options.rules
      ? {
          rules: mergeRules(builtin.rules, parseUserRules(readFileSync(options.rules, 'utf8'), options.rules), options.rules),
          version: builtin.version,
          userFile: options.rules,
        }
      : builtin
    const importOptions = {
      ...(options.format ? {format: options.format} : {}),
      ...(options.map ? {map: parseMapFlag(options.map, s)} : {}),
      ...(options.cwd ? {cwd: options.cwd} : {}),
    }
    return {resolved, asOf, usage, rules, importOptions}
  })
  const settings = resolved.settings
  const inputs = options.inputs.filter((p) => !(basename(p) === SETTINGS_FILE && existsSync(p) && statSync(p).isFile()))
  // Probe every input now: an unreadable or unknown file stops the run before anything is written.
  if (inputs.length > 0) await planImport(inputs, importOptions)

  // 2. Import into the workspace: the user's, or a fresh one built next to the outputs.
  const createdOut = !existsSync(out)
  const buildDir = userWorkspace ?? join(out, `.workspace-${process.pid}-${randomBytes(4).toString('hex')}`)
  let ws: Workspace | undefined
  let imported: {servers: BareServer[]; inventory: ServerSummary[]; connectionRecords: number}
  try {
    imported = await phases.runAsync('import', async () => {
      if (!userWorkspace) {
        mkdirSync(buildDir, {recursive: true})
        if (resolved.text !== undefined) writeSettingsFile(buildDir, resolved.text)
      } else if (!existsSync(join(buildDir, SETTINGS_FILE)) && resolved.text !== undefined) {
        mkdirSync(buildDir, {recursive: true})
        writeSettingsFile(buildDir, resolved.text)
      }
      ws = Workspace.open(buildDir, {create: true, private: !userWorkspace})
      if (inputs.length > 0)
        await importPaths(ws, inputs, {
          ...importOptions,
          onProgress: (unit, rows) => options.onProgress?.('import', `${unit.path}: ${rows.toLocaleString('en-US')} rows`),
        })
      if (ws.serverCount() === 0)
        throw new UserInputError('PLAN_NO_SERVERS', 'the inputs hold no servers', {
          hint: 'Give an inventory: RVTools, an import template, agent files …',
        })
      return {...serversForPlanning(ws), connectionRecords: ws.connectionCount()}
    })
  } catch (error) {
    ws?.close()
    if (!userWorkspace) rmSync(buildDir, {recursive: true, force: true})
    if (createdOut) rmSync(out, {recursive: true, force: true})
    throw error
  }
  const workspace = ws!
  const {servers, inventory} = imported

  // 3. Assess and 4. plan waves, stored in the workspace like the step commands do.
  const assessment = phases.run('assess', () => {
    const doc = assess({
      servers,
      connections: workspace.inboundConnections(),
      catalog: workspaceCatalog(workspace),
      settings: settings.assess,
      asOf,
      rules,
      ...(usage ? {usage} : {}),
    })
    workspace.saveDocument('assessment', doc)
    return doc
  })
  // The graph itself is not kept: what the later phases need of it (the flows for security groups,
  // the per-application pictures) is taken here, and it is about 300 MB at 100,000 servers.
  // The flows are handed to the CloudFormation thread and not kept here (see below).
  let flows: Flow[] | undefined
  // The per-application pictures are for the report only (about 60 MB at 100,000 servers): let go after it.
  let applications: ApplicationGraphs | undefined
  const plan = phases.run('waves', () => {
    const graph = buildGraph(servers, workspace.connectionRows(), {onPremisesCidrs: settings.organisation.onPremisesCidrs ?? []})
    const plan = planFromGraph({
      servers,
      graph,
      waves: settings.waves,
      onPremisesCidrs: settings.organisation.onPremisesCidrs ?? [],
      assessment,
    })
    workspace.saveDocument('plan', plan)
    flows = flowsFromGraph(graph)
    applications = applicationGraphs(graph, plan)
    return plan
  })
  workspace.close()
  if (!userWorkspace) swapWorkspace(buildDir, workspaceDir)

  // From here on the servers, the Assessment and the Plan (about 1 GB at 100,000 servers) stay live
  // while the generators make mostly short-lived garbage. V8 lets the heap grow to two to four
  // times the live data between full collections by default (a 3.0 GB peak at 100,000 servers);
  // 30% brought that peak to 2.3 GB for a few more seconds of collecting. Set back when done.
  setFlagsFromString(`--heap-growing-percent=${GENERATE_HEAP_GROWING_PERCENT}`)
  collectGarbage()
  let thread: CloudFormationThread | undefined
  try {
    const outputs: OutputEntry[] = [{name: 'workspace', status: 'written', path: userWorkspace ?? WORKSPACE_FOLDER, files: [], removed: []}]
    const problems: PipelineProblem[] = assessment.diagnostics.map((d) => ({code: d.code, message: d.message}))
    const written = (name: OutputName, w: WriteResult): void => {
      outputs.push({name, status: 'written', path: name, files: filesOf(w), removed: w.removed})
    }
    /** An output left out for a missing setting: what an earlier run wrote there is removed. */
    const skipped = (name: OutputName, error: Pick<ConfigError, 'code' | 'message' | 'setting' | 'hint'>): void => {
      const removed = clearStale(join(out, name))
      const setting = error.setting ? {setting: error.setting} : {}
      outputs.push({name, status: 'skipped', path: name, files: [], removed, reason: error.message, ...setting})
      problems.push({output: name, code: error.code, message: error.message, ...setting, ...(error.hint ? {hint: error.hint} : {})})
    }
    const templates = loadTemplates()
    // A generator returns its files, or writes the largest itself, as it makes them, into `folder`.
    const generate = (name: 'landing-zone' | 'runbooks', make: (folder: OutputFolder) => FileMap): void => {
      phases.run(name, () => {
        const folder = new OutputFolder(join(out, name))
        try {
          const files = make(folder)
          for (const path of Object.keys(files).sort()) folder.write(path, files[path]!)
          written(name, folder.finish())
        } catch (error) {
          folder.abandon()
          if (!(error instanceof ConfigError)) throw error
          skipped(name, error)
        }
      })
    }
    // CloudFormation: on a thread of its own beside the landing zone, the report, the exports and
    // the runbooks, which do not read it (about a third of the job at 100,000 servers), given only
    // what it reads of the documents. In this thread when the thread's compiled module is not there
    // (tests run the sources). At 100,000 servers making the view, packing the flows and copying
    // them take about 1.5 s here. The job is not kept once handed on: the thread has its copy (here
    // the view is about 28 MB of heap and the packed flows 14 MB).
    let job: CloudFormationJob | undefined = {
      dir: join(out, 'cloudformation'),
      input: {settings, ...cloudFormationView({servers, assessment, plan}), flows: packFlows(flows!)},
    }
    flows = undefined
    const cloudFormationDone = (outcome: Exclude<CloudFormationOutcome, {kind: 'failed'}>): void => {
      if (outcome.kind === 'written') written('cloudformation', outcome.result)
      else skipped('cloudformation', outcome)
    }
    if (options.cloudFormationThread !== false && existsSync(fileURLToPath(THREAD_MODULE))) {
      phases.start('cloudformation')
      thread = new CloudFormationThread(job)
    } else {
      const inThisThread = job
      phases.run('cloudformation', () => cloudFormationDone(runCloudFormationJob(inThisThread)))
    }
    job = undefined
    // The runbooks use the landing-zone design too: made once, here.
    let design: LandingZoneDesign | undefined
    generate('landing-zone', () => {
      const lz = generateLandingZone({settings, servers, plan}, templates)
      design = lz.design
      return lz.files
    })

    const stamp = options.timestamp ? new Date() : undefined
    let reportDocs: ReportDocuments | undefined = phases.run('report', () => {
      const docs = documentsFrom({ws: {settings}, servers, inventory, assessment, plan, ...(applications ? {applications} : {})})
      const {html} = renderReport(docs, loadReportTemplates(), stamp ? {generatedAt: stamp.toISOString()} : {})
      const files = {[REPORT_FILE]: html}
      const w = writeFiles(out, files)
      outputs.push({name: 'report', status: 'written', path: REPORT_FILE, files: filesOf(w), removed: w.removed})
      // The exports do not read the pictures.
      const {applications: _pictures, ...forExport} = docs
      return forExport
    })
    applications = undefined
    await phases.runAsync('export', async () => {
      const docs = reportDocs!
      // One format at a time, each into its own folder: the 100,000-server JSON is hundreds of MB.
      const date = stamp ?? defaultExportDate(docs)
      const files: {path: string; bytes: number}[] = []
      const removed: string[] = []
      const write = async (format: ExportFormat, tables?: readonly ExportTable[]): Promise<void> => {
        const r = await exportFiles(docs, format, {date, ...(tables ? {tables} : {})})
        const w = writeFiles(join(out, 'export', format), r.files)
        files.push(...filesOf(w).map((f) => ({...f, path: `${format}/${f.path}`})))
        removed.push(...w.removed.map((p) => `${format}/${p}`))
      }
      // CSV and XLSX render the same tables: made once, and held only while those two are written.
      const writeTables = async (tables: readonly ExportTable[]): Promise<void> => {
        await write('csv', tables)
        await write('xlsx', tables)
      }
      await writeTables(exportTables(docs))
      await write('json')
      files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))
      outputs.push({name: 'export', status: 'written', path: 'export', files, removed: removed.sort()})
    })
    reportDocs = undefined
    // The runbooks last, so that the exports, this thread's largest memory (sampled at 100,000
    // servers: the process peaked during them), run beside the CloudFormation thread's early part,
    // when its heap is smallest. With the first version of the thread the two orders peaked alike
    // (2,251 and 2,301 MiB); not compared again since.
    generate('runbooks', () => generateRunbooks({settings, servers, assessment, plan, ...(design ? {design} : {})}, templates).files)
    if (thread) {
      // Waiting: what this thread's outputs left behind is collected now, so that the memory it
      // no longer uses can go back to the system while the CloudFormation thread still grows.
      if (!thread.settled) collectGarbage()
      const outcome = await thread.outcome
      thread = undefined
      phases.ranOnThread('cloudformation', outcome.seconds, outcome.cpuSeconds)
      cloudFormationDone(outcome)
    }
    const order = (name?: OutputName): number => (name === undefined ? -1 : OUTPUT_ORDER.indexOf(name))
    outputs.sort((a, b) => order(a.name) - order(b.name))
    // Stable: the assessment's diagnostics (no output) first, in their order; then by output.
    problems.sort((a, b) => order(a.output) - order(b.output))
    return {
      out,
      workspace: workspaceDir,
      settingsFrom: resolved.from,
      servers: servers.length,
      connectionRecords: imported.connectionRecords,
      waves: plan.waves.length,
      outputs,
      problems,
      phases: phases.timings,
      ...phases.total(),
      exitCode: problems.length > 0 ? 1 : 0,
    }
  } catch (error) {
    // Let the CloudFormation thread finish its folder (or fail) before this error is reported:
    // stopping it while it writes would leave its files half done.
    if (thread) await thread.outcome.catch(() => undefined)
    throw error
  } finally {
    setFlagsFromString('--heap-growing-percent=0')
  }
}

const OUTPUT_ORDER: readonly OutputName[] = ['workspace', 'landing-zone', 'cloudformation', 'runbooks', 'report', 'export']

/** The compiled thread module, beside this one in dist/ (absent when the sources run under a test runner). */
const THREAD_MODULE = new URL('./cloudformation-thread.js', import.meta.url)

/** CloudFormation generation on a worker thread; `outcome` settles when it is done. */
class CloudFormationThread {
  private readonly worker: Worker
  readonly outcome: Promise<Exclude<CloudFormationOutcome, {kind: 'failed'}>>
  /** The outcome has come (or the thread has failed). */
  settled = false

  constructor(job: CloudFormationJob) {
    // The job is copied to the thread here (a structured clone, 55 MB at 100,000 servers).
    this.worker = new Worker(THREAD_MODULE, {workerData: {cloudFormationJob: job}})
    this.outcome = new Promise((resolve, reject) => {
      this.worker.once('message', (outcome: CloudFormationOutcome) => {
        if (outcome.kind !== 'failed') resolve(outcome)
        else reject(Object.assign(new Error(outcome.message), outcome.stack ? {stack: outcome.stack} : {}))
      })
      this.worker.once('error', reject)
      this.worker.once('exit', (code) => reject(new Error(`the CloudFormation thread stopped (exit code ${code}) before it was done`)))
    })
    // Awaited only after the other outputs: until then a failure must not count as unhandled.
    this.outcome.then(
      () => (this.settled = true),
      () => (this.settled = true),
    )
  }
}

/** See runPipeline: how much the heap may grow between full collections while the outputs are made. */
const GENERATE_HEAP_GROWING_PERCENT = 30

/**
 * One full garbage collection now. V8 applies a new heap growth when a full collection sets the
 * next limit; until then the limit set by the last one (with the default growth, two to four times
 * the live data) stands, and CloudFormation generation ran up to it: at 100,000 servers its first
 * full collection came at 2.4 GB of heap, so the peak depended on when the last one before it had
 * happened (2,069 and 2,862 MiB in two runs of the same code). `gc` is only reachable with
 * --expose-gc: set for the moment of taking it from a new context, then unset.
 */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc')
  try {
    ;(runInNewContext('gc') as () => void)()
  } finally {
    setFlagsFromString('--no-expose-gc')
  }
}

/** The settings file of a workspace the pipeline creates (the step commands read it later). */
function writeSettingsFile(dir: string, text: string): void {
  writeFileAtomic(join(dir, SETTINGS_FILE), text)
}

/** Put the freshly built workspace in place of the previous one (if any), then remove the old one. */
function swapWorkspace(built: string, target: string): void {
  const old = existsSync(target) ? `${target}.old-${process.pid}-${randomBytes(4).toString('hex')}` : undefined
  if (old) renameSync(target, old)
  renameSync(built, target)
  if (old) rmSync(old, {recursive: true, force: true})
}
