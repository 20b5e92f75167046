/**
 * Files written by a helper thread while the caller goes on making the next one.
 *
 * `plan` at 100,000 servers writes about 1.1 GB of output; writing it on the main thread cost
 * several seconds of kernel time there (copying into the page cache, freeing the pages of the files
 * replaced), time the second core could take. The caller encodes each file into one of a few
 * reused 4 MiB buffers (reused: fresh memory costs a page fault per 4 KiB on the development
 * machine), hands the buffer over (transferred, not copied), and a worker thread writes it to a
 * temporary file and renames that into place when the file is complete, as writeFileAtomic does.
 * The caller blocks only when every buffer is out, or in {@link WriteBehind.sync}, which waits for
 * everything handed over to land and returns what failed.
 *
 * The worker is plain JavaScript evaluated from a string (no separate file to find from `dist/`
 * or from the TypeScript sources under test), unref'd so that it never keeps the process alive:
 * callers sync before they report a file written.
 */
import {mkdirSync} from 'node:fs'
import {dirname} from 'node:path'
import {MessageChannel, receiveMessageOnPort, Worker, type MessagePort} from 'node:worker_threads'

const BUFFER_BYTES = 4 << 20
const BUFFERS = 6
/** Slots of the shared control array: buffers returned so far, last sync acknowledged. */
const RETURNED = 0
const SYNCED = 1

const WORKER_SOURCE = `
const {closeSync, openSync, renameSync, rmSync, writeSync} = require('node:fs')
const {parentPort, workerData} = require('node:worker_threads')
const {port, control} = workerData
const ctrl = new Int32Array(control)
const open = new Map() // tmp -> fd, or null once failed
parentPort.on('message', (m) => {
  if (m.op === 'sync') {
    Atomics.store(ctrl, ${SYNCED}, m.seq)
    Atomics.notify(ctrl, ${SYNCED})
    return
  }
  if (m.op === 'abort') {
    // The caller failed while making the file: drop what was written of it.
    const fd = open.get(m.tmp)
    open.delete(m.tmp)
    try { if (typeof fd === 'number') closeSync(fd) } catch {}
    try { rmSync(m.tmp, {force: true}) } catch {}
    return
  }
  let fd = open.get(m.tmp)
  try {
    if (!(m.buf instanceof ArrayBuffer)) throw new Error('no buffer in the message')
    if (fd === undefined) {
      fd = openSync(m.tmp, 'w')
      open.set(m.tmp, fd)
    }
    if (fd !== null) {
      const bytes = new Uint8Array(m.buf, 0, m.len)
      for (let at = 0; at < m.len; ) at += writeSync(fd, bytes, at)
      if (m.last) {
        open.delete(m.tmp)
        const done = fd
        fd = undefined // closed once: a failed rename must not close it again (Node warns)
        closeSync(done)
        renameSync(m.tmp, m.path)
      }
    } else if (m.last) open.delete(m.tmp)
  } catch (error) {
    if (typeof fd === 'number') try { closeSync(fd) } catch {}
    if (m.last) open.delete(m.tmp)
    else open.set(m.tmp, null)
    try { rmSync(m.tmp, {force: true}) } catch {}
    port.postMessage({error: {path: m.path, message: String(error && error.message), code: error && error.code}})
  } finally {
    // Whatever happened, the buffer goes back: the caller may be waiting for it.
    if (m.buf instanceof ArrayBuffer) port.postMessage({buf: m.buf}, [m.buf])
    Atomics.add(ctrl, ${RETURNED}, 1)
    Atomics.notify(ctrl, ${RETURNED})
  }
})
`

/**
 * How long the caller waits for the thread to make any progress before giving up: a thread that
 * died (it cannot say so while the caller is blocked) must not hang the command for ever.
 */
const STALL_MS = 10 * 60_000

/** What the worker reports about a file it could not write. */
export class WriteBehindError extends Error {
  constructor(
    readonly path: string,
    message: string,
    readonly code: string | undefined,
  ) {
    super(message)
  }
}

export class WriteBehind {
  private worker: Worker | undefined
  private port: MessagePort | undefined
  private readonly control = new Int32Array(new SharedArrayBuffer(8))
  private readonly free: ArrayBuffer[] = []
  private made = 0
  private seq = 0
  private errors: WriteBehindError[] = []
  private readonly encoder = new TextEncoder()

  /**
   * Hand `content` over to be written to `path` through `tmp` (renamed when complete). The folder
   * is made here. Returns the bytes handed over; a failure is thrown by a later call or by sync().
   */
  write(path: string, tmp: string, content: string | Uint8Array | Iterable<Uint8Array>): number {
    mkdirSync(dirname(path), {recursive: true})
    let buf = this.acquire()
    let used = 0
    let total = 0
    const send = (last: boolean): void => {
      this.worker!.postMessage({op: 'write', path, tmp, buf, len: used, last}, [buf])
      total += used
      used = 0
      if (!last) buf = this.acquire()
    }
    const copy = (bytes: Uint8Array): void => {
      for (let at = 0; at < bytes.byteLength;) {
        if (used === BUFFER_BYTES) send(false)
        const n = Math.min(bytes.byteLength - at, BUFFER_BYTES - used)
        new Uint8Array(buf, used, n).set(bytes.subarray(at, at + n))
        used += n
        at += n
      }
    }
    try {
      if (typeof content === 'string') {
        let rest = content
        for (;;) {
          const {read, written} = this.encoder.encodeInto(rest, new Uint8Array(buf, used))
          used += written
          if (read === rest.length) break
          rest = rest.slice(read)
          send(false)
        }
      } else if (content instanceof Uint8Array) copy(content)
      else for (const piece of content) copy(piece)
    } catch (error) {
      // Content that fails while it is made (a piece generator that throws): keep the buffer, and
      // have the thread drop the part of the file it has.
      this.free.push(buf)
      this.worker!.postMessage({op: 'abort', tmp})
      throw error
    }
    send(true)
    return total
  }

  /**
   * Wait until everything handed over is written; returns the failures reported since the last
   * sync (each names its file: the caller throws those of its own files).
   */
  sync(): WriteBehindError[] {
    if (this.worker) {
      const seq = ++this.seq
      this.worker.postMessage({op: 'sync', seq})
      for (let seen = Atomics.load(this.control, SYNCED); seen !== seq; seen = Atomics.load(this.control, SYNCED)) this.wait(SYNCED, seen)
      this.drain()
    }
    const errors = this.errors
    this.errors = []
    return errors
  }

  private start(): void {
    const {port1, port2} = new MessageChannel()
    this.port = port1
    this.worker = new Worker(WORKER_SOURCE, {eval: true, workerData: {port: port2, control: this.control.buffer}, transferList: [port2]})
    this.worker.unref()
    port1.unref()
  }

  /** A free buffer: a new one while fewer than BUFFERS exist, else the next one the worker returns. */
  private acquire(): ArrayBuffer {
    if (!this.worker) this.start()
    this.drain()
    if (this.free.length === 0 && this.made < BUFFERS) {
      this.made++
      return new ArrayBuffer(BUFFER_BYTES)
    }
    while (this.free.length === 0) {
      const seen = Atomics.load(this.control, RETURNED)
      this.drain()
      if (this.free.length === 0) this.wait(RETURNED, seen)
    }
    return this.free.pop()!
  }

  private wait(slot: number, seen: number): void {
    if (Atomics.wait(this.control, slot, seen, STALL_MS) === 'timed-out')
      throw new Error(`the output writer thread made no progress in ${STALL_MS / 60_000} minutes`)
  }

  private drain(): void {
    for (let m = receiveMessageOnPort(this.port!); m; m = receiveMessageOnPort(this.port!)) {
      const message = m.message as {buf?: ArrayBuffer; error?: {path: string; message: string; code?: string}}
      if (message.buf) this.free.push(message.buf)
      if (message.error) this.errors.push(new WriteBehindError(message.error.path, message.error.message, message.error.code))
    }
  }
}

let shared: WriteBehind | undefined

/** The process's writer (one worker thread, started at the first write). */
export function writeBehind(): WriteBehind {
  return (shared ??= new WriteBehind())
}
