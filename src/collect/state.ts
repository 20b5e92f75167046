/**
 * The sampling state file: everything needed to resume a window after a restart or a crash.
 * Flushed every --flush-interval (atomically), so `kill -9` loses at most one flush interval.
 */
import {readFile, rm} from 'node:fs/promises'

import {ConfigError} from '../errors.js'
import {formatDuration} from './duration.js'
import {writeFileAtomic} from './files.js'
import type {ConnectionState} from './connections.js'
import type {MetricState} from './metrics.js'

export const COLLECT_STATE_VERSION = 'migrate-plan.collect-state/1'

export const METRICS = ['cpuPct', 'memoryPct', 'diskIops', 'diskThroughputMiBps', 'networkMbps'] as const
export type MetricName = (typeof METRICS)[number]

export interface CollectState {
  readonly stateVersion: typeof COLLECT_STATE_VERSION
  readonly hostname: string
  readonly intervalMs: number
  readonly durationMs: number
  /** ISO time the window started; it ends `durationMs` later. */
  readonly windowStart: string
  readonly lastSampleAt?: string
  readonly savedAt: string
  readonly metrics: Readonly<Record<MetricName, MetricState>>
  readonly connections: ConnectionState
}

export async function saveState(path: string, state: CollectState): Promise<void> {
  await writeFileAtomic(path, JSON.stringify(state), 0o600)
}

export async function removeState(path: string): Promise<void> {
  await rm(path, {force: true})
}

function isMetricState(v: unknown): v is MetricState {
  if (!v || typeof v !== 'object') return false
  const m = v as Record<string, unknown>
  return (
    typeof m.count === 'number' &&
    typeof m.sum === 'number' &&
    typeof m.max === 'number' &&
    (Array.isArray(m.values) || typeof m.sketch === 'object')
  )
}

/**
 * The saved state, or undefined when there is none. A state from another window (other interval,
 * duration or host) or a damaged file is refused rather than mixed into this one.
 */
export async function loadState(
  path: string,
  expected: {readonly hostname: string; readonly intervalMs: number; readonly durationMs: number},
): Promise<CollectState | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
  const hint = `Delete ${path} to start a new window, or give another --state file.`
  let data: Partial<CollectState>
  try {
    data = JSON.parse(text) as Partial<CollectState>
  } catch {
    throw new ConfigError('COLLECT_STATE_DAMAGED', `the state file ${path} is not valid JSON`, {hint, setting: 'state'})
  }
  const ok =
    data.stateVersion === COLLECT_STATE_VERSION &&
    typeof data.windowStart === 'string' &&
    !Number.isNaN(Date.parse(data.windowStart)) &&
    data.metrics !== undefined &&
    METRICS.every((m) => isMetricState(data.metrics![m])) &&
    Array.isArray(data.connections?.connections) &&
    Array.isArray(data.connections?.listeners)
  if (!ok)
    throw new ConfigError('COLLECT_STATE_DAMAGED', `the state file ${path} is not a migrate-plan collect state`, {hint, setting: 'state'})
  if (data.hostname !== expected.hostname || data.intervalMs !== expected.intervalMs || data.durationMs !== expected.durationMs) {
    throw new ConfigError(
      'COLLECT_STATE_MISMATCH',
      `the state file ${path} belongs to another window (host ${data.hostname}, --duration ${formatDuration(data.durationMs ?? 0)}, --interval ${formatDuration(data.intervalMs ?? 0)})`,
      {hint: `Run with the same --duration and --interval to resume it. ${hint}`, setting: 'state'},
    )
  }
  return data as CollectState
}
