/**
 * CloudFormation generation into an output folder, on a thread of its own or in the caller's.
 *
 * `plan` generates the stacks here beside the landing zone, the report, the exports and the
 * runbooks (none of them reads the stacks): at 100,000 servers the stacks take about a third of
 * the job, on a second core. The thread is given {@link cloudFormationView}'s narrow copy of the documents, not the
 * documents themselves (the Assessment alone is about 400 MB of JSON).
 *
 * Loaded by `new Worker(…)`, this module runs the job in `workerData` and posts its outcome.
 */
import {readFileSync} from 'node:fs'
import {isMainThread, parentPort, workerData} from 'node:worker_threads'
import {ConfigError} from './errors.js'
import {OutputFolder, type WriteResult} from './util/output.js'
import {loadTemplates} from './generate/templates.js'
import {generateCloudFormation, unpackFlows, type CloudFormationInput, type PackedFlows} from './generate/cloudformation/index.js'

export interface CloudFormationJob {
  /** The output folder (`OUT/cloudformation`). */
  readonly dir: string
  /** The input, its flows in columns (see packFlows). */
  readonly input: Omit<CloudFormationInput, 'flows'> & {readonly flows: PackedFlows}
}

/** What became of a job: the files written, a missing setting (nothing written), or a failure. */
export type CloudFormationOutcome =
  | {readonly kind: 'written'; readonly result: WriteResult; readonly seconds: number; readonly cpuSeconds: number}
  | {
      readonly kind: 'skipped'
      readonly code: string
      readonly message: string
      readonly setting?: string
      readonly hint?: string
      readonly seconds: number
      readonly cpuSeconds: number
    }
  | {readonly kind: 'failed'; readonly message: string; readonly stack?: string}

/** CPU seconds of the calling thread (Linux), else of the whole process. */
export function threadCpuSeconds(): number {
  try {
    // Fields after the command name (which is in parentheses): state is the 3rd field, utime the 14th.
    const stat = readFileSync('/proc/thread-self/stat', 'latin1')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS
  } catch {
    const c = process.cpuUsage()
    return (c.user + c.system) / 1e6
  }
}

/** USER_HZ: the unit of /proc times; 100 on every Linux build Node.js supports. */
const CLOCK_TICKS = 100

/**
 * Generate and write the stacks. A missing setting (ConfigError) writes nothing and comes back as
 * `skipped`; any other error is thrown (after the partial files are abandoned).
 */
export function runCloudFormationJob(job: CloudFormationJob): Exclude<CloudFormationOutcome, {kind: 'failed'}> {
  const t0 = performance.now()
  const c0 = threadCpuSeconds()
  const elapsed = () => ({seconds: (performance.now() - t0) / 1000, cpuSeconds: threadCpuSeconds() - c0})
  const folder = new OutputFolder(job.dir)
  try {
    const input = {...job.input, flows: unpackFlows(job.input.flows)}
    const {files} = generateCloudFormation(input, loadTemplates(), {emit: (file, yaml) => folder.write(file, yaml)})
    for (const path of Object.keys(files).sort()) folder.write(path, files[path]!)
    const result = folder.finish()
    return {kind: 'written', result, ...elapsed()}
  } catch (error) {
    folder.abandon()
    if (!(error instanceof ConfigError)) throw error
    return {
      kind: 'skipped',
      code: error.code,
      message: error.message,
      ...(error.setting ? {setting: error.setting} : {}),
      ...(error.hint ? {hint: error.hint} : {}),
      ...elapsed(),
    }
  }
}

if (!isMainThread && parentPort && (workerData as {cloudFormationJob?: CloudFormationJob} | undefined)?.cloudFormationJob) {
  const job = (workerData as {cloudFormationJob: CloudFormationJob}).cloudFormationJob
  let outcome: CloudFormationOutcome
  try {
    outcome = runCloudFormationJob(job)
  } catch (error) {
    const e = error instanceof Error ? error : new Error(String(error))
    outcome = {kind: 'failed', message: e.message, ...(e.stack ? {stack: e.stack} : {})}
  }
  parentPort.postMessage(outcome)
}
