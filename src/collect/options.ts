/**
 * The flags of `collect`, defined once: the oclif command and the single-file collector
 * (dist/migrate-plan-collector.cjs) both build their parsers from {@link COLLECT_FLAGS} and both turn
 * the parsed values into {@link CollectOptions} with {@link parseCollectOptions}. Pure.
 */
import {hostname} from 'node:os'
import {resolve} from 'node:path'

import {UserInputError} from '../errors.js'
import {parseDuration} from './duration.js'

export interface FlagSpec {
  readonly type: 'string' | 'boolean'
  readonly summary: string
  readonly description?: string
  /** Default shown in help; applied by {@link parseCollectOptions}. */
  readonly default?: string
  /** Environment variable read when the flag is absent. */
  readonly env?: string
  readonly helpValue?: string
}

/** Environment variable holding the ingest token, so that it stays out of the process list. */
export const TOKEN_ENV = 'MIGRATE_PLAN_TOKEN'

export const COLLECT_FLAGS = {
  out: {
    type: 'string',
    summary: 'Output file.',
    description: 'Written atomically (temporary file, then rename). Default: <hostname>.migrate-plan.json in the current folder.',
    helpValue: 'FILE',
  },
  duration: {
    type: 'string',
    summary: 'Sample utilisation for this long (90s, 10m, 2h, 14d). Without it, one snapshot is taken.',
    helpValue: 'DURATION',
  },
  interval: {type: 'string', summary: 'Time between samples.', default: '60s', helpValue: 'DURATION'},
  'flush-interval': {
    type: 'string',
    summary: 'How often the sampling state is saved; a crash loses at most this much.',
    default: '5m',
    helpValue: 'DURATION',
  },
  state: {
    type: 'string',
    summary: 'State file for resuming an interrupted sampling window.',
    description: 'Default: the output file name with .state appended.',
    helpValue: 'FILE',
  },
  push: {
    type: 'string',
    summary: 'Send the result to a `migrate-plan serve` ingest server at this URL.',
    description: 'The local file is kept until the server acknowledges it, then removed unless --out was given.',
    helpValue: 'URL',
  },
  token: {
    type: 'string',
    summary: `Bearer token of the ingest server (prefer the ${TOKEN_ENV} environment variable).`,
    env: TOKEN_ENV,
    helpValue: 'TOKEN',
  },
  ca: {type: 'string', summary: 'CA certificate (PEM) to trust for an https --push URL.', helpValue: 'FILE'},
  retries: {type: 'string', summary: 'Push attempts before giving up (the file is kept).', default: '8', helpValue: 'N'},
  'retry-delay': {
    type: 'string',
    summary: 'First wait between push attempts; doubles each time, up to 5 minutes.',
    default: '2s',
    helpValue: 'DURATION',
  },
  resend: {
    type: 'string',
    summary: 'Push an existing agent file (one kept after a failed push) instead of collecting.',
    helpValue: 'FILE',
  },
} as const satisfies Record<string, FlagSpec>

export type CollectFlagName = keyof typeof COLLECT_FLAGS

export interface PushOptions {
  readonly url: string
  readonly token: string
  /** PEM text of a CA certificate to trust. */
  readonly caFile?: string
  readonly retries: number
  readonly retryDelayMs: number
}

export interface CollectOptions {
  /** Absolute path of the output file. */
  readonly out: string
  /** Whether --out was given (a pushed file is then kept). */
  readonly outGiven: boolean
  /** Sampling window; undefined for a snapshot. */
  readonly durationMs?: number
  readonly intervalMs: number
  readonly flushMs: number
  readonly statePath: string
  readonly push?: PushOptions
  /** Push this existing file instead of collecting. */
  readonly resend?: string
}

export const MIN_INTERVAL_MS = 1000
export const MAX_DURATION_MS = 400 * 86_400_000

type RawFlags = Partial<Record<CollectFlagName, string | boolean | undefined>>

function str(raw: RawFlags, name: CollectFlagName, env: NodeJS.ProcessEnv): string | undefined {
  const spec: FlagSpec = COLLECT_FLAGS[name]
  const v = raw[name]
  if (typeof v === 'string' && v !== '') return v
  if (spec.env && env[spec.env]) return env[spec.env]
  return spec.default
}

/** Default output name: `<hostname>.migrate-plan.json`, with characters unsafe in file names replaced. */
export function defaultOutName(host = hostname()): string {
  return `${host.replace(/[^A-Za-z0-9._-]/g, '_') || 'host'}.migrate-plan.json`
}

/** Validate parsed flag values and turn them into options. Throws UserInputError (exit 2) on bad values. */
export function parseCollectOptions(raw: RawFlags, cwd = process.cwd(), env: NodeJS.ProcessEnv = process.env): CollectOptions {
  const outFlag = str(raw, 'out', env)
  const out = resolve(cwd, outFlag ?? defaultOutName())
  const durationText = str(raw, 'duration', env)
  const durationMs = durationText === undefined ? undefined : parseDuration(durationText, 'duration')
  const intervalMs = parseDuration(str(raw, 'interval', env)!, 'interval')
  const flushMs = parseDuration(str(raw, 'flush-interval', env)!, 'flush-interval')
  if (intervalMs < MIN_INTERVAL_MS) {
    throw new UserInputError('COLLECT_INTERVAL', `--interval must be at least 1s`, {hint: 'Use 1s or more; 60s is the usual choice.'})
  }
  if (flushMs < MIN_INTERVAL_MS)
    throw new UserInputError('COLLECT_FLUSH', `--flush-interval must be at least 1s`, {hint: 'The default is 5m.'})
  if (durationMs !== undefined && (durationMs < intervalMs || durationMs > MAX_DURATION_MS)) {
    throw new UserInputError('COLLECT_DURATION', `--duration must be between --interval and 400d`, {
      hint: 'For example --duration 14d --interval 60s.',
    })
  }
  const statePath = resolve(cwd, str(raw, 'state', env) ?? `${out}.state`)
  const pushUrl = str(raw, 'push', env)
  let push: PushOptions | undefined
  if (pushUrl) {
    let url: URL
    try {
      url = new URL(pushUrl)
    } catch {
      throw new UserInputError('COLLECT_PUSH_URL', `--push ${JSON.stringify(pushUrl)} is not a URL`, {
        hint: 'For example https://collector.corp:8443',
      })
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new UserInputError('COLLECT_PUSH_URL', `--push must be an http or https URL`, {hint: 'For example https://collector.corp:8443'})
    }
    const token = str(raw, 'token', env)
    if (!token) {
      throw new UserInputError('COLLECT_PUSH_TOKEN', '--push needs a token', {hint: `Set ${TOKEN_ENV} or pass --token.`})
    }
    const retries = Number(str(raw, 'retries', env))
    if (!Number.isInteger(retries) || retries < 1 || retries > 100) {
      throw new UserInputError('COLLECT_RETRIES', '--retries must be a whole number from 1 to 100', {hint: 'The default is 8.'})
    }
    const ca = str(raw, 'ca', env)
    push = {
      url: url.toString(),
      token,
      ...(ca ? {caFile: resolve(cwd, ca)} : {}),
      retries,
      retryDelayMs: parseDuration(str(raw, 'retry-delay', env)!, 'retry-delay'),
    }
  }
  const resend = str(raw, 'resend', env)
  if (resend && !push)
    throw new UserInputError('COLLECT_RESEND', '--resend needs --push', {hint: 'Give the ingest server with --push URL.'})
  return {
    out,
    outGiven: outFlag !== undefined,
    ...(durationMs === undefined ? {} : {durationMs}),
    intervalMs,
    flushMs,
    statePath,
    ...(push ? {push} : {}),
    ...(resend ? {resend: resolve(cwd, resend)} : {}),
  }
}

/** Usage text of the single-file collector, from the same flag table. */
export function collectUsage(bin: string): string {
  const lines = [`Usage: ${bin} [flags]`, '', 'Collects this host for migrate-plan (snapshot, or sampling with --duration).', '', 'Flags:']
  for (const [name, spec] of Object.entries(COLLECT_FLAGS) as [string, FlagSpec][]) {
    const left = `  --${name}${spec.type === 'string' ? ` ${spec.helpValue ?? 'VALUE'}` : ''}`
    lines.push(`${left.padEnd(30)} ${spec.summary}${spec.default ? ` [default: ${spec.default}]` : ''}`)
  }
  lines.push(`${'  --json'.padEnd(30)} Print the result as JSON.`, `${'  --help'.padEnd(30)} Show this help.`)
  return lines.join('\n')
}
