/**
 * The agent: one snapshot, or a sampling window that survives restarts, written atomically as one
 * agent file (src/model/agent-file.ts) and optionally pushed to `migrate-plan serve`. Shared by the
 * `collect` command and the single-file collector (src/collect/main.ts).
 */
import {readFile, rm} from 'node:fs/promises'
import {hostname as osHostname} from 'node:os'

import {UserInputError} from '../errors.js'
import type {AGENT_FILE_SCHEMA_VERSION, AgentFile} from '../model/agent-file.js'
import {ConnectionAggregator, MAX_AGGREGATED_CONNECTIONS, type ObservedSocket} from './connections.js'
import {formatDuration} from './duration.js'
import {writeFileAtomic} from './files.js'
import {EXACT_METHOD, MetricSeries, SKETCH_METHOD} from './metrics.js'
import type {CollectOptions} from './options.js'
import {probeCron, probeHost, probeProcesses, probeSockets, type HostSnapshot} from './probes.js'
import {pushFile, type PushOutcome} from './push.js'
import {createSampler, type Sample} from './sampler.js'
import {detectSoftware} from './software.js'
import {COLLECT_STATE_VERSION, loadState, METRICS, removeState, saveState, type CollectState, type MetricName} from './state.js'

/**
 * The agent file version written. Typed as the model's constant, so the build fails if they differ,
 * without importing the model's zod schemas into the single-file collector.
 */
export const SCHEMA_VERSION: typeof AGENT_FILE_SCHEMA_VERSION = 'migrate-plan.agent/1'

export interface CollectHooks {
  /** Progress lines for a person watching (stderr). */
  readonly log?: (message: string) => void
  /** Aborting stops sampling early: the state is saved and the window so far is written. */
  readonly signal?: AbortSignal
}

export interface CollectResult {
  /** The agent file on disk; absent when it was pushed, acknowledged and removed. */
  readonly file?: string
  readonly hostname: string
  readonly mode: 'snapshot' | 'sampling' | 'resend'
  readonly windowStart?: string
  readonly windowEnd?: string
  readonly samples: number
  /** Whether a saved window was resumed. */
  readonly resumed: boolean
  /** Stopped by a signal before the window ended; run the same command again to resume. */
  readonly interrupted: boolean
  readonly software: readonly string[]
  readonly limitations: readonly string[]
  readonly push?: PushOutcome
}

interface Workload {
  readonly processes: AgentFile['processes']
  readonly cronEntries?: number
  readonly limitations: readonly string[]
}

async function probeWorkload(): Promise<Workload> {
  const [procs, cron] = await Promise.all([probeProcesses(), probeCron()])
  return {
    processes: procs.processes,
    ...(cron.entries === undefined ? {} : {cronEntries: cron.entries}),
    limitations: [...procs.limitations, ...cron.limitations],
  }
}

function socketLimitations(host: HostSnapshot, sockets: readonly ObservedSocket[]): string[] {
  const hidden = sockets.filter((s) => !s.process).length
  if (hidden === 0) return []
  return host.privileged === false
    ? [`owning process of ${hidden} sockets (other users' sockets are hidden when not running as root)`]
    : [`owning process of ${hidden} sockets (not reported by the system)`]
}

/** Assemble the agent file. */
function buildAgentFile(
  version: string,
  mode: 'snapshot' | 'sampling',
  host: HostSnapshot,
  workload: Workload,
  aggregator: ConnectionAggregator,
  lastSockets: readonly ObservedSocket[],
  utilisation: AgentFile['utilisation'],
  extraLimitations: readonly string[],
): AgentFile {
  const listeners = aggregator.listenerList()
  const software = detectSoftware({
    processes: workload.processes.map((p) => ({
      name: p.name,
      ...(p.pid === undefined ? {} : {pid: p.pid}),
      ...(p.command ? {command: p.command} : {}),
    })),
    listeners,
    ...(workload.cronEntries === undefined ? {} : {cronEntries: workload.cronEntries}),
    ignorePids: [process.pid],
  })
  const limitations = [
    ...new Set([...host.limitations, ...workload.limitations, ...socketLimitations(host, lastSockets), ...extraLimitations]),
  ]
  if (aggregator.droppedCount > 0) {
    limitations.push(`${aggregator.droppedCount} connection observations past the ${MAX_AGGREGATED_CONNECTIONS} distinct-connection limit`)
  }
  return {
    schemaVersion: SCHEMA_VERSION,
    collector: {kind: 'agent', version, mode, ...(host.privileged === undefined ? {} : {privileged: host.privileged})},
    collectedAt: new Date().toISOString(),
    host: host.host,
    os: host.os,
    cpu: host.cpu,
    memory: host.memory,
    disks: host.disks,
    filesystems: host.filesystems,
    nics: host.nics,
    ...(utilisation ? {utilisation} : {}),
    processes: workload.processes,
    listeners,
    connections: aggregator.list(),
    software,
    limitations,
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve()
    const done = (): void => {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    const timer = setTimeout(done, Math.max(0, ms))
    signal?.addEventListener('abort', done, {once: true})
  })
}

async function writeAndPush(
  doc: AgentFile,
  options: CollectOptions,
  log: (m: string) => void,
  pushIt = true,
): Promise<{file?: string; push?: PushOutcome}> {
  await writeFileAtomic(options.out, `${JSON.stringify(doc, null, 1)}\n`)
  log(`wrote ${options.out}`)
  if (!options.push || !pushIt) return {file: options.out}
  const push = await pushFile(options.out, options.push, log)
  if (push.status === 'acknowledged' && !options.outGiven) {
    await rm(options.out, {force: true})
    return {push}
  }
  if (push.status !== 'acknowledged') log(`push ${push.status}: ${push.error}; kept ${options.out} (send it later with --resend)`)
  return {file: options.out, push}
}

/** Run the agent as the options say. */
export async function runCollect(options: CollectOptions, version: string, hooks: CollectHooks = {}): Promise<CollectResult> {
  const log = hooks.log ?? ((): void => undefined)
  if (options.resend) return resend(options, log)
  if (options.durationMs === undefined) return snapshot(options, version, log)
  return sample(options, options.durationMs, version, hooks.signal, log)
}

async function resend(options: CollectOptions, log: (m: string) => void): Promise<CollectResult> {
  const file = options.resend!
  let doc: Partial<AgentFile>
  try {
    doc = JSON.parse(await readFile(file, 'utf8')) as Partial<AgentFile>
  } catch (error) {
    throw new UserInputError('COLLECT_RESEND_UNREADABLE', `cannot read ${file} as JSON: ${(error as Error).message}`, {
      location: {file},
      hint: 'Give a file written by collect.',
    })
  }
  const push = await pushFile(file, options.push!, log)
  return {
    file,
    hostname: doc.host?.hostname ?? '',
    mode: 'resend',
    samples: doc.utilisation?.cpuPct?.samples ?? 0,
    resumed: false,
    interrupted: false,
    software: (doc.software ?? []).map((s) => s.name),
    limitations: doc.limitations ?? [],
    push,
  }
}

async function snapshot(options: CollectOptions, version: string, log: (m: string) => void): Promise<CollectResult> {
  const [host, workload, sockets] = await Promise.all([probeHost(), probeWorkload(), probeSockets()])
  const aggregator = new ConnectionAggregator()
  aggregator.observe(sockets, new Date().toISOString())
  const doc = buildAgentFile(version, 'snapshot', host, workload, aggregator, sockets, undefined, [])
  const written = await writeAndPush(doc, options, log)
  return {
    ...written,
    hostname: doc.host.hostname,
    mode: 'snapshot',
    samples: 0,
    resumed: false,
    interrupted: false,
    software: doc.software.map((x) => x.name),
    limitations: doc.limitations,
  }
}

const SAMPLE_FIELD: Readonly<Record<MetricName, keyof Sample>> = {
  cpuPct: 'cpuPct',
  memoryPct: 'memoryPct',
  diskIops: 'diskIops',
  diskThroughputMiBps: 'diskMiBps',
  networkMbps: 'networkMbps',
}

async function sample(
  options: CollectOptions,
  durationMs: number,
  version: string,
  signal: AbortSignal | undefined,
  log: (m: string) => void,
): Promise<CollectResult> {
  const sampler = createSampler()
  await sampler.init()
  // The host is probed in full at the end; its name is enough to check a saved window.
  const hostname = osHostname()
  const intervalMs = options.intervalMs
  const saved = await loadState(options.statePath, {hostname, intervalMs, durationMs})
  const windowStart = saved?.windowStart ?? new Date().toISOString()
  const startMs = Date.parse(windowStart)
  const endMs = startMs + durationMs
  const series = Object.fromEntries(METRICS.map((m) => [m, saved ? MetricSeries.from(saved.metrics[m]) : new MetricSeries()])) as Record<
    MetricName,
    MetricSeries
  >
  const aggregator = saved ? ConnectionAggregator.from(saved.connections) : new ConnectionAggregator()
  let lastSampleAt = saved?.lastSampleAt
  let lastSockets: readonly ObservedSocket[] = []
  const flush = async (): Promise<void> => {
    const state: CollectState = {
      stateVersion: COLLECT_STATE_VERSION,
      hostname,
      intervalMs,
      durationMs,
      windowStart,
      ...(lastSampleAt ? {lastSampleAt} : {}),
      savedAt: new Date().toISOString(),
      metrics: Object.fromEntries(METRICS.map((m) => [m, series[m].toJSON()])) as CollectState['metrics'],
      connections: aggregator.toJSON(),
    }
    await saveState(options.statePath, state)
  }
  log(
    saved
      ? `resuming the window started ${windowStart} (${series.cpuPct.samples} samples so far); ends ${new Date(endMs).toISOString()}`
      : `sampling every ${formatDuration(intervalMs)} for ${formatDuration(durationMs)}, until ${new Date(endMs).toISOString()}; state in ${options.statePath}`,
  )
  await flush()
  let lastFlush = Date.now()
  let k = Math.floor((Date.now() - startMs) / intervalMs) + 1
  while (!signal?.aborted) {
    const due = startMs + k * intervalMs
    if (due > endMs) break
    await sleep(due - Date.now(), signal)
    if (signal?.aborted) break
    const s = await sampler.sample()
    lastSampleAt = new Date().toISOString()
    for (const m of METRICS) series[m].add(s[SAMPLE_FIELD[m]] as number | undefined)
    aggregator.observe(s.sockets, lastSampleAt)
    lastSockets = s.sockets
    if (Date.now() - lastFlush >= options.flushMs) {
      await flush()
      lastFlush = Date.now()
    }
    k = Math.max(k + 1, Math.floor((Date.now() - startMs) / intervalMs) + 1)
  }
  const interrupted = Boolean(signal?.aborted) && Date.now() < endMs
  await flush()
  const workload = await probeWorkload()
  const finalHost = await probeHost()
  const windowEnd = lastSampleAt ?? new Date().toISOString()
  const exact = METRICS.every((m) => series[m].exact)
  const utilisation: AgentFile['utilisation'] = {
    windowStart,
    windowEnd,
    intervalSeconds: intervalMs / 1000,
    ...Object.fromEntries(METRICS.map((m) => [m, series[m].summary(windowStart, windowEnd)]).filter(([, v]) => v !== undefined)),
    percentileMethod: exact ? EXACT_METHOD : SKETCH_METHOD,
  }
  const missing = METRICS.filter((m) => series[m].samples === 0 && series.cpuPct.samples > 0)
  const extra = missing.map((m) => `utilisation metric ${m} (not available on this platform)`)
  if (interrupted) extra.push(`window interrupted after ${series.cpuPct.samples} samples; run the same command again to resume it`)
  const doc = buildAgentFile(version, 'sampling', finalHost, workload, aggregator, lastSockets, utilisation, extra)
  const written = await writeAndPush(doc, options, log, !interrupted)
  if (!interrupted) await removeState(options.statePath)
  return {
    ...written,
    hostname,
    mode: 'sampling',
    windowStart,
    windowEnd,
    samples: series.cpuPct.samples,
    resumed: saved !== undefined,
    interrupted,
    software: doc.software.map((x) => x.name),
    limitations: doc.limitations,
  }
}
