/**
 * The usage file (`assess --usage FILE`, YAML or JSON): what the inventory cannot measure about a
 * workload, written by the user. Documented in docs/assessment.md#usage-file.
 *
 * ```yaml
 * version: 1
 * defaults:
 *   lambda: {durationMs: 200, memoryMb: 512, architecture: auto}
 * servers:
 *   web01:                      # name, id, FQDN or IP
 *     requestsPerMonth: 2500000
 *     durationMs: 120
 *     memoryMb: 256
 *     eventDriven: true
 *     refactorable: true
 * ```
 */
import {parse as parseYaml} from 'yaml'
import {z} from 'zod'

import {UserInputError} from '../errors.js'
import type {BareServer} from '../model/server.js'

/** Used when neither the usage file nor agent evidence gives a value. */
export const LAMBDA_DEFAULTS = {
  /** Average duration of one invocation, ms. @default 200 */
  durationMs: 200,
  /** Memory configured for the function, MB. @default 512 */
  memoryMb: 512,
} as const

export const serverUsageSchema = z
  .object({
    /** Requests (invocations) per month. */
    requestsPerMonth: z.number().nonnegative().optional(),
    /** Average duration of one request, ms. */
    durationMs: z.number().positive().optional(),
    /** Memory one request needs, MB (Lambda allows 128–10,240). */
    memoryMb: z.number().positive().optional(),
    /** Lambda architecture; `auto` = arm64 when Graviton is allowed and compatible. */
    architecture: z.enum(['auto', 'x86_64', 'arm64']).optional(),
    /** Longest single execution, seconds (Lambda stops at 900). */
    maxExecutionSeconds: z.number().positive().optional(),
    /** Can the code be changed (false: an existing workload that cannot be refactored). */
    refactorable: z.boolean().optional(),
    /** Keeps no state between requests (sessions, local files). */
    stateless: z.boolean().optional(),
    /** Triggered by events (queue messages, files, schedules) rather than long-lived connections. */
    eventDriven: z.boolean().optional(),
  })
  .strict()

export type ServerUsage = z.infer<typeof serverUsageSchema>

export const usageFileSchema = z
  .object({
    version: z.literal(1).default(1),
    defaults: z
      .object({
        lambda: z
          .object({
            durationMs: z.number().positive().optional(),
            memoryMb: z.number().positive().optional(),
            architecture: z.enum(['auto', 'x86_64', 'arm64']).optional(),
          })
          .strict()
          .default({}),
      })
      .strict()
      .default({lambda: {}}),
    servers: z.record(z.string().min(1), serverUsageSchema).default({}),
  })
  .strict()

export type UsageFile = z.infer<typeof usageFileSchema>

/** Parses a usage file's text; a bad file is a UserInputError naming the file and the field. */
export function parseUsage(text: string, file: string): UsageFile {
  let data: unknown
  try {
    data = parseYaml(text)
  } catch (error) {
    throw new UserInputError('USAGE_NOT_YAML', `cannot read the usage file: ${(error as Error).message}`, {location: {file}, cause: error})
  }
  const r = usageFileSchema.safeParse(data ?? {})
  if (!r.success) {
    const issue = r.error.issues[0]!
    throw new UserInputError('USAGE_INVALID', issue.message, {
      location: {file, column: issue.path.join('.') || '(top level)'},
      hint: 'See docs/assessment.md#usage-file for the fields.',
    })
  }
  return r.data
}

/** Matches usage entries to servers by id, name, FQDN or IP (case-insensitive); returns the unmatched keys too. */
export function matchUsage(
  usage: UsageFile | undefined,
  servers: readonly BareServer[],
): {byServer: Map<string, ServerUsage>; unmatched: string[]} {
  const byServer = new Map<string, ServerUsage>()
  if (!usage) return {byServer, unmatched: []}
  const index = new Map<string, string>()
  for (const s of servers) {
    for (const k of [s.id, s.name, s.hostname, s.fqdn, ...(s.ips ?? [])]) if (k) index.set(k.toLowerCase(), s.id)
  }
  const unmatched: string[] = []
  for (const key of Object.keys(usage.servers).sort()) {
    const id = index.get(key.toLowerCase())
    if (id) byServer.set(id, {...byServer.get(id), ...usage.servers[key]})
    else unmatched.push(key)
  }
  return {byServer, unmatched}
}
