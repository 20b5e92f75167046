import {Flags} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {runCollect, type CollectResult} from '../src/collect/collect.js'
import {COLLECT_FLAGS, parseCollectOptions, type FlagSpec} from '../src/collect/options.js'
import {withStopSignals} from '../src/collect/signals.js'

export type {CollectResult} from '../src/collect/collect.js'

// The flags come from the table the single-file collector parses too, so both take the same flags.
const flags = Object.fromEntries(
  (Object.entries(COLLECT_FLAGS) as [string, FlagSpec][]).map(([name, s]) => [
    name,
    Flags.string({summary: s.summary, description: s.description, default: s.default, env: s.env, helpValue: s.helpValue}),
  ]),
)

export default class Collect extends BaseCommand<typeof Collect> {
  static override summary = 'Collect this server: inventory snapshot, or utilisation sampling over a window.'
  static override description = `Host identity, OS, CPU, memory, disks, NICs, listening sockets, connections, processes (command lines redacted) and detected software. With --duration, samples CPU, memory, disk and network every --interval and summarises each as avg/p50/p95/p99/max; the window survives restarts (state flushed every --flush-interval).

The same agent ships as one file, dist/migrate-plan-collector.cjs (npm run build:collector), for servers that only have Node.js: it takes exactly these flags. See docs/agent.md.`
  static override examples = [
    {description: 'One snapshot of this server', command: '<%= config.bin %> <%= command.id %> --out web01.json'},
    {description: 'Sample for two weeks, once a minute', command: '<%= config.bin %> <%= command.id %> --duration 14d --interval 60s'},
    {
      description: 'Push the result to an ingest server',
      command: 'MIGRATE_PLAN_TOKEN=… <%= config.bin %> <%= command.id %> --duration 1d --push https://collector.corp:8443 --ca ca.pem',
    },
  ]
  static override flags = flags

  public async run(): Promise<CollectResult> {
    const options = parseCollectOptions(this.flags as Record<string, string | undefined>)
    const quiet = this.jsonEnabled()
    const result = await withStopSignals((signal) =>
      runCollect(options, this.config.version, {signal, log: (m) => quiet || process.stderr.write(`${m}\n`)}),
    )
    if (result.interrupted || (result.push && result.push.status !== 'acknowledged')) process.exitCode = 1
    this.log(
      [
        `${result.hostname}: ${result.mode}${result.samples ? `, ${result.samples} samples` : ''}${result.resumed ? ' (resumed)' : ''}`,
        result.file ? `file: ${result.file}` : undefined,
        result.push
          ? `push: ${result.push.status} after ${result.push.attempts} attempt(s)${result.push.error ? ` (${result.push.error})` : ''}`
          : undefined,
        result.software.length ? `software: ${result.software.join(', ')}` : undefined,
        ...result.limitations.map((l) => `could not see: ${l}`),
      ]
        .filter(Boolean)
        .join('\n'),
    )
    return result
  }
}
