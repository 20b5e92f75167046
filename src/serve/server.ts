/**
 * The ingest server agents push to (`migrate-plan serve`). HTTP(S), bearer token compared in
 * constant time, request size limit, schema validation with a 4xx that says what is wrong, and
 * writes through the import path into the workspace.
 *
 * The SQLite driver is synchronous and an import takes the write lock, so writes go through one
 * queue (batched: up to {@link IngestServerOptions.batchSize} payloads per transaction) while the
 * HTTP side stays concurrent. A payload is acknowledged only after its transaction committed.
 * Shutting down stops accepting, answers 503 to new requests, and finishes every request in flight.
 */
import {createHash, timingSafeEqual} from 'node:crypto'
import {createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse} from 'node:http'
import {createServer as createHttpsServer} from 'node:https'
import type {AddressInfo} from 'node:net'

import type {AgentFile} from '../model/agent-file.js'
import type {Workspace} from '../workspace/workspace.js'
import {ValidationPool} from './pool.js'
import {importAgentDocuments} from './store.js'

/** Path agents post to (the collector's default, see src/collect/push.ts). */
export const INGEST_PATH = '/v1/agent-files'
export const HEALTH_PATH = '/health'
/** @default 64 MiB: a 14-day sample of a busy host is a few MiB. */
export const DEFAULT_MAX_BYTES = 64 * 1024 * 1024

export interface IngestServerOptions {
  readonly workspace: Workspace
  /** Bearer token agents must present. */
  readonly token: string
  /** @default 127.0.0.1 */
  readonly host?: string
  /** 0 picks a free port. @default 8443 */
  readonly port?: number
  /** PEM certificate and key: serve HTTPS instead of HTTP. */
  readonly tls?: {readonly cert: string | Buffer; readonly key: string | Buffer}
  /** Largest accepted body, bytes. @default {@link DEFAULT_MAX_BYTES} */
  readonly maxBytes?: number
  /** Most payloads written in one transaction. @default 64 */
  readonly batchSize?: number
  /** Worker threads that validate payloads; 0 validates on the server's thread. @default cores − 1, at most 4 */
  readonly validationThreads?: number
  /** One line per accepted or refused payload. */
  readonly log?: (line: string) => void
}

export interface IngestStats {
  /** Payloads stored as new sources. */
  readonly imported: number
  /** Payloads already in the workspace (same fingerprint), acknowledged without writing. */
  readonly unchanged: number
  /** Refused: wrong or missing token. */
  readonly unauthorized: number
  /** Refused: not JSON, not an agent file, too large, wrong method or path. */
  readonly invalid: number
  /** Accepted payloads whose write failed (answered 500). */
  readonly failed: number
}

interface Pending {
  readonly doc: AgentFile
  readonly path: string
  readonly fingerprint: string
  readonly resolve: (outcome: {status: 'imported' | 'unchanged'; sourceId: number}) => void
  readonly reject: (error: unknown) => void
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly hint?: string,
    /** JSON path of the first problem in the payload. */
    readonly path?: string,
  ) {
    super(message)
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest()

export class IngestServer {
  private readonly server: Server
  private readonly tokenDigest: Buffer
  private readonly maxBytes: number
  private readonly batchSize: number
  private readonly queue: Pending[] = []
  private readonly pool: ValidationPool
  private writing: Promise<void> | undefined
  private inFlight = 0
  private draining = false
  private idle: (() => void) | undefined
  private counts = {imported: 0, unchanged: 0, unauthorized: 0, invalid: 0, failed: 0}

  private constructor(private readonly options: IngestServerOptions) {
    this.tokenDigest = digest(options.token)
    this.maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES
    this.batchSize = options.batchSize ?? 64
    this.pool = new ValidationPool(options.validationThreads)
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res)
    this.server = options.tls ? createHttpsServer({cert: options.tls.cert, key: options.tls.key}, handler) : createHttpServer(handler)
    this.server.headersTimeout = 30_000
    this.server.requestTimeout = 300_000
    this.server.keepAliveTimeout = 5_000
  }

  /** Start listening; resolves once the port is bound. */
  static async start(options: IngestServerOptions): Promise<IngestServer> {
    const s = new IngestServer(options)
    try {
      await new Promise<void>((resolve, reject) => {
        s.server.once('error', reject)
        s.server.listen(options.port ?? 8443, options.host ?? '127.0.0.1', () => {
          s.server.off('error', reject)
          resolve()
        })
      })
    } catch (error) {
      await s.pool.close()
      throw error
    }
    return s
  }

  /** Base URL, e.g. `https://127.0.0.1:8443`. */
  get url(): string {
    const a = this.server.address() as AddressInfo
    const host = a.family === 'IPv6' ? `[${a.address}]` : a.address
    return `${this.options.tls ? 'https' : 'http'}://${host}:${a.port}`
  }

  stats(): IngestStats {
    return {...this.counts}
  }

  /**
   * Graceful shutdown: stop accepting connections, answer 503 to new requests on open ones, finish
   * every request in flight (and its write), then close. After `graceMs` remaining connections are cut.
   */
  async close(graceMs = 30_000): Promise<IngestStats> {
    this.draining = true
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()))
    this.server.closeIdleConnections()
    const drained = new Promise<void>((resolve) => {
      if (this.inFlight === 0 && this.queue.length === 0 && !this.writing) resolve()
      else this.idle = resolve
    })
    let timer: NodeJS.Timeout | undefined
    await Promise.race([drained, new Promise<void>((resolve) => (timer = setTimeout(resolve, graceMs)))])
    clearTimeout(timer)
    await this.writing
    this.server.closeAllConnections()
    await closed
    await this.pool.close()
    return this.stats()
  }

  private checkIdle(): void {
    if (this.draining && this.inFlight === 0 && this.queue.length === 0 && !this.writing) this.idle?.()
  }

  private authorised(req: IncomingMessage): boolean {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')
    // Compare digests so that the comparison takes the same time whatever the length or content.
    const given = digest(m?.[1] ?? '')
    return timingSafeEqual(given, this.tokenDigest) && m !== null
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++
    try {
      const path = (req.url ?? '/').split('?')[0]
      if (this.draining) throw new HttpError(503, 'SHUTTING_DOWN', 'the server is shutting down', 'Retry later; the agent keeps its file.')
      if (path === HEALTH_PATH) {
        if (req.method !== 'GET' && req.method !== 'HEAD')
          throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} ${path}`, 'Use GET.')
        return send(res, 200, {status: 'ok'})
      }
      if (path !== INGEST_PATH) throw new HttpError(404, 'NOT_FOUND', `no such endpoint ${path}`, `Agents post to ${INGEST_PATH}.`)
      if (req.method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED', `${req.method} ${path}`, 'Use POST.')
      if (!this.authorised(req)) {
        this.counts.unauthorized++
        res.setHeader('www-authenticate', 'Bearer realm="migrate-plan"')
        throw new HttpError(401, 'UNAUTHORIZED', 'missing or wrong bearer token', 'Give the agent the token the server was started with.')
      }
      const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase()
      if (encoding !== 'identity')
        throw new HttpError(415, 'UNSUPPORTED_ENCODING', `content-encoding ${encoding} is not accepted`, 'Send plain JSON.')
      const body = await this.readBody(req)
      const checked = await this.pool.check(body)
      if (!checked.ok) throw new HttpError(checked.status, checked.code, checked.message, checked.hint, checked.path)
      const {doc, fingerprint} = checked
      const where = req.socket.remoteAddress ?? 'unknown'
      const outcome = await this.enqueue(doc, `push:${doc.host.hostname}@${where}`, fingerprint)
      this.counts[outcome.status]++
      this.options.log?.(`${outcome.status} ${doc.host.hostname} from ${where} (source ${outcome.sourceId})`)
      send(res, outcome.status === 'imported' ? 201 : 200, {
        status: outcome.status,
        sourceId: outcome.sourceId,
        fingerprint,
        hostname: doc.host.hostname,
      })
    } catch (error) {
      if (error instanceof HttpError) {
        if (error.status !== 401 && error.status !== 503) this.counts.invalid++
        if (error.status >= 400 && error.status !== 503)
          this.options.log?.(`refused ${error.status} ${error.code} from ${req.socket.remoteAddress}: ${error.message}`)
        send(
          res,
          error.status,
          {error: error.code, message: error.message, ...(error.path ? {path: error.path} : {}), ...(error.hint ? {hint: error.hint} : {})},
          !req.complete,
        )
      } else {
        this.counts.failed++
        this.options.log?.(`failed: ${(error as Error).message}`)
        send(res, 500, {error: 'WRITE_FAILED', message: 'the payload could not be stored', hint: 'Retry; the agent keeps its file.'})
      }
    } finally {
      this.inFlight--
      this.checkIdle()
    }
  }

  private readBody(req: IncomingMessage): Promise<Buffer> {
    const declared = Number(req.headers['content-length'])
    const tooLarge = (): HttpError =>
      new HttpError(413, 'PAYLOAD_TOO_LARGE', `the body is larger than ${this.maxBytes} bytes`, 'Start serve with a larger --max-size.')
    if (Number.isFinite(declared) && declared > this.maxBytes) return Promise.reject(tooLarge())
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = []
      let size = 0
      let failed = false
      req.on('data', (c: Buffer) => {
        if (failed) return
        size += c.length
        if (size > this.maxBytes) {
          failed = true
          reject(tooLarge())
          return
        }
        chunks.push(c)
      })
      req.on('end', () => failed || resolve(Buffer.concat(chunks)))
      req.on('error', (e) => failed || reject(e))
      req.on('aborted', () => failed || reject(new HttpError(400, 'ABORTED', 'the request was cut off')))
    })
  }

  private enqueue(doc: AgentFile, path: string, fingerprint: string): Promise<{status: 'imported' | 'unchanged'; sourceId: number}> {
    return new Promise((resolve, reject) => {
      this.queue.push({doc, path, fingerprint, resolve, reject})
      this.writing ??= this.drain()
    })
  }

  /** Write queued payloads, a batch per transaction; a failed batch is retried one payload at a time. */
  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        // Let the HTTP side accept more requests before the next transaction.
        await new Promise((r) => setImmediate(r))
        const batch = this.queue.splice(0, this.batchSize)
        try {
          const outcomes = await importAgentDocuments(this.options.workspace, batch)
          batch.forEach((p, i) => p.resolve({status: outcomes[i]!.status, sourceId: outcomes[i]!.source.id}))
        } catch {
          for (const p of batch) {
            try {
              const [o] = await importAgentDocuments(this.options.workspace, [p])
              p.resolve({status: o!.status, sourceId: o!.source.id})
            } catch (error) {
              p.reject(error)
            }
          }
        }
      }
    } finally {
      this.writing = undefined
      this.checkIdle()
    }
  }
}

function send(res: ServerResponse, status: number, body: unknown, close = false): void {
  if (res.headersSent) return
  const text = `${JSON.stringify(body)}\n`
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    'cache-control': 'no-store',
    ...(close ? {connection: 'close'} : {}),
  })
  res.end(text)
}
