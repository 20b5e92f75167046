/**
 * Entry point of the single-file collector, dist/migrate-plan-collector.cjs (built by
 * scripts/build-collector.js): `node migrate-plan-collector.cjs [flags]`, the same flags as
 * `migrate-plan collect`, parsed from the same table and run by the same core. Runs on Node 18+
 * with no node_modules.
 */
import {parseArgs} from 'node:util'

import {isMigratePlanError} from '../errors.js'
import {runCollect} from './collect.js'
import {COLLECT_FLAGS, collectUsage, parseCollectOptions, type FlagSpec} from './options.js'
import {withStopSignals} from './signals.js'

declare const __COLLECTOR_VERSION__: string | undefined

const VERSION = typeof __COLLECTOR_VERSION__ === 'string' ? __COLLECTOR_VERSION__ : '0.0.0-dev'

async function main(argv: readonly string[]): Promise<number> {
  const options = Object.fromEntries(
    (Object.entries(COLLECT_FLAGS) as [string, FlagSpec][]).map(([name, spec]) => [name, {type: spec.type}] as const),
  )
  let parsed
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {...options, json: {type: 'boolean'}, help: {type: 'boolean', short: 'h'}, version: {type: 'boolean'}},
      strict: true,
      allowPositionals: false,
    })
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${collectUsage('node migrate-plan-collector.cjs')}\n`)
    return 2
  }
  const v = parsed.values as Record<string, string | boolean | undefined>
  if (v.help) {
    process.stdout.write(`${collectUsage('node migrate-plan-collector.cjs')}\n`)
    return 0
  }
  if (v.version) {
    process.stdout.write(`${VERSION}\n`)
    return 0
  }
  try {
    const opts = parseCollectOptions(v)
    const result = await withStopSignals((signal) => runCollect(opts, VERSION, {signal, log: (m) => process.stderr.write(`${m}\n`)}))
    if (v.json) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`)
    else process.stdout.write(`${result.file ?? result.push?.url ?? ''}\n`)
    return result.interrupted || (result.push && result.push.status !== 'acknowledged') ? 1 : 0
  } catch (error) {
    if (isMigratePlanError(error)) {
      process.stderr.write(`Error: ${error.message}\n${error.hint ? `Hint: ${error.hint}\n` : ''}`)
      return error.exitCode
    }
    process.stderr.write(`Error: ${(error as Error).stack ?? String(error)}\n`)
    return 1
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    process.stderr.write(`${String(error)}\n`)
    process.exitCode = 1
  },
)
