/**
 * Send an agent file to `migrate-plan serve`, retrying with exponential back-off. A refusal (4xx other
 * than 408/429) is final; network errors, 5xx, 408 and 429 are retried. The caller keeps the file
 * until this reports `acknowledged`.
 */
import {readFile} from 'node:fs/promises'
import {request as httpRequest, type IncomingMessage} from 'node:http'
import {request as httpsRequest} from 'node:https'

import type {PushOptions} from './options.js'

/** Path the ingest server takes agent files on; used when the --push URL has no path. */
export const INGEST_PATH = '/v1/agent-files'
/** Longest wait between two attempts. */
export const MAX_RETRY_DELAY_MS = 5 * 60_000
const ATTEMPT_TIMEOUT_MS = 120_000

export interface PushOutcome {
  readonly url: string
  readonly status: 'acknowledged' | 'rejected' | 'failed'
  readonly attempts: number
  readonly httpStatus?: number
  /** The server's JSON answer (status, sourceId …) or its error body. */
  readonly response?: unknown
  readonly error?: string
}

/** The URL posted to: the --push URL, with {@link INGEST_PATH} when it has no path of its own. */
export function ingestUrl(url: string): URL {
  const u = new URL(url)
  if (u.pathname === '/' || u.pathname === '') u.pathname = INGEST_PATH
  return u
}

interface Answer {
  readonly status: number
  readonly body: string
}

function post(url: URL, body: Buffer, token: string, ca: string | undefined): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest
    const req = send(
      url,
      {
        method: 'POST',
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          'content-length': body.length,
          'user-agent': 'migrate-plan-collector',
        },
        timeout: ATTEMPT_TIMEOUT_MS,
        ...(ca ? {ca} : {}),
      },
      (res: IncomingMessage) => {
        const chunks: Buffer[] = []
        let size = 0
        res.on('data', (c: Buffer) => {
          size += c.length
          if (size <= 1 << 20) chunks.push(c)
        })
        res.on('end', () => resolve({status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8')}))
        res.on('error', reject)
      },
    )
    req.on('timeout', () => req.destroy(new Error(`no answer within ${ATTEMPT_TIMEOUT_MS / 1000}s`)))
    req.on('error', reject)
    req.end(body)
  })
}

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body) as unknown
  } catch {
    return body.slice(0, 2000)
  }
}

const wait = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Push one file. Never throws for network trouble: the outcome says what happened. */
export async function pushFile(file: string, options: PushOptions, log?: (message: string) => void): Promise<PushOutcome> {
  const url = ingestUrl(options.url)
  const body = await readFile(file)
  const ca = options.caFile ? await readFile(options.caFile, 'utf8') : undefined
  let delay = options.retryDelayMs
  let last: PushOutcome = {url: url.toString(), status: 'failed', attempts: 0}
  for (let attempt = 1; attempt <= options.retries; attempt++) {
    try {
      const answer = await post(url, body, options.token, ca)
      const response = parseBody(answer.body)
      if (answer.status >= 200 && answer.status < 300) {
        return {url: url.toString(), status: 'acknowledged', attempts: attempt, httpStatus: answer.status, response}
      }
      const message =
        typeof response === 'object' && response && 'message' in response ? String(response.message) : answer.body.slice(0, 300)
      last = {
        url: url.toString(),
        status: 'failed',
        attempts: attempt,
        httpStatus: answer.status,
        response,
        error: `HTTP ${answer.status}: ${message}`,
      }
      if (answer.status >= 400 && answer.status < 500 && answer.status !== 408 && answer.status !== 429) {
        return {...last, status: 'rejected'}
      }
    } catch (error) {
      last = {url: url.toString(), status: 'failed', attempts: attempt, error: (error as Error).message}
    }
    if (attempt < options.retries) {
      const jittered = Math.round(delay * (0.8 + Math.random() * 0.4))
      log?.(`push attempt ${attempt} failed (${last.error}); retrying in ${Math.round(jittered / 100) / 10}s`)
      await wait(jittered)
      delay = Math.min(delay * 2, MAX_RETRY_DELAY_MS)
    }
  }
  return last
}
