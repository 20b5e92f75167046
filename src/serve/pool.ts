/**
 * Payload validation on worker threads. Parsing and schema-checking a payload costs about as much
 * as writing it, and writes are serialised on the server's thread; checking on other cores keeps
 * that thread for HTTP and SQLite. With one core, or when workers cannot start, checks run inline.
 */
import {readFileSync} from 'node:fs'
import {createRequire} from 'node:module'
import {availableParallelism} from 'node:os'
import {dirname, join} from 'node:path'
import {pathToFileURL} from 'node:url'
import {Worker} from 'node:worker_threads'

import {checkPayload, type Checked} from './validate.js'

interface Job {
  readonly worker: number
  /** Kept to check it inline if the worker dies. */
  readonly body: Uint8Array
  readonly resolve: (c: Checked) => void
  readonly reject: (e: Error) => void
}

export class ValidationPool {
  private readonly workers: Worker[] = []
  private readonly jobs = new Map<number, Job>()
  private readonly load: number[] = []
  private nextId = 0

  /** @param size worker threads; 0 validates inline. @default cores − 1, at most 4 */
  constructor(size = Math.min(4, availableParallelism() - 1)) {
    for (let i = 0; i < size; i++) {
      const w = startWorker()
      w.on('message', (m: {id: number; result?: Checked; error?: string}) => {
        const job = this.jobs.get(m.id)
        this.jobs.delete(m.id)
        if (--this.load[i]! === 0) w.unref()
        if (m.result) job?.resolve(m.result)
        else job?.reject(new Error(m.error))
      })
      w.on('error', (error) => this.fail(i, error))
      w.unref()
      this.workers.push(w)
      this.load.push(0)
    }
  }

  /** Workers alive (a worker that failed no longer counts). */
  get threads(): number {
    return this.load.filter((l) => l !== Number.POSITIVE_INFINITY).length
  }

  /** A worker that died: its jobs are checked inline and it gets no more. */
  private fail(index: number, error: Error): void {
    this.load[index] = Number.POSITIVE_INFINITY
    for (const [id, job] of this.jobs) {
      if (job.worker !== index) continue
      this.jobs.delete(id)
      try {
        job.resolve(checkPayload(job.body))
      } catch {
        job.reject(error)
      }
    }
  }

  check(body: Buffer): Promise<Checked> {
    if (this.workers.length === 0 || this.load.every((l) => l === Number.POSITIVE_INFINITY)) return Promise.resolve(checkPayload(body))
    let best = 0
    for (let i = 1; i < this.load.length; i++) if (this.load[i]! < this.load[best]!) best = i
    const id = this.nextId++
    if (this.load[best]!++ === 0) this.workers[best]!.ref()
    return new Promise((resolve, reject) => {
      this.jobs.set(id, {worker: best, body, resolve, reject})
      this.workers[best]!.postMessage({id, body})
    })
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()))
    for (const job of this.jobs.values()) job.reject(new Error('validation pool closed'))
    this.jobs.clear()
  }
}

/**
 * A validation worker. Built, this module is JavaScript and so is the worker. Under the TypeScript
 * test runner it is a .ts file, which a worker cannot load by itself: it registers tsx first.
 */
function startWorker(): Worker {
  if (!import.meta.url.endsWith('.ts')) return new Worker(new URL('./validate-worker.js', import.meta.url))
  const pkg = createRequire(import.meta.url).resolve('tsx/package.json')
  const api = (JSON.parse(readFileSync(pkg, 'utf8')) as {exports: Record<string, {import: {default: string}}>}).exports['./esm/api']!
  const tsx = pathToFileURL(join(dirname(pkg), api.import.default)).href
  const entry = new URL('./validate-worker.ts', import.meta.url).href
  return new Worker(`import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(entry)}) })`, {eval: true})
}
