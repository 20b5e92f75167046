import {spawnSync} from 'node:child_process'
import {readFileSync} from 'node:fs'
import {Agent, request} from 'node:http'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {pushFile} from '../../src/collect/push.js'
import {agentFingerprint, canonicalJson} from '../../src/serve/store.js'
import {INGEST_PATH, IngestServer} from '../../src/serve/server.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {tempDir} from '../helpers/cli.js'
import {agentDoc, get, post} from './payloads.js'

const TOKEN = 'test-token-0123456789abcdef'

let tmp: ReturnType<typeof tempDir>
let ws: Workspace
let server: IngestServer | undefined
beforeEach(() => {
  tmp = tempDir('mp-serve-')
  ws = Workspace.open(join(tmp.dir, 'ws'), {create: true})
})
afterEach(async () => {
  await server?.close(1000)
  server = undefined
  ws.close()
  tmp.cleanup()
})

async function start(extra: Partial<Parameters<typeof IngestServer.start>[0]> = {}): Promise<string> {
  server = await IngestServer.start({workspace: ws, token: TOKEN, port: 0, ...extra})
  return server.url
}

describe('ingest server', () => {
  it('stores a valid payload once, acknowledges a repeat, and says what is wrong with bad ones', async () => {
    const url = await start({maxBytes: 200_000})
    const ingest = url + INGEST_PATH
    expect(await get(`${url}/health`)).toMatchObject({status: 200, body: {status: 'ok'}})

    const body = JSON.stringify(agentDoc(1))
    const first = await post(ingest, body, TOKEN)
    expect(first).toMatchObject({status: 201, body: {status: 'imported', fingerprint: agentFingerprint(agentDoc(1))}})
    // The same document with another key order and spacing is the same payload.
    const reordered = JSON.stringify(JSON.parse(canonicalJson(agentDoc(1))), null, 2)
    expect(await post(ingest, reordered, TOKEN)).toMatchObject({status: 200, body: {status: 'unchanged', sourceId: first.body.sourceId}})

    const wrong = await post(ingest, body, 'not-the-token-at-all')
    expect(wrong.status).toBe(401)
    expect(wrong.headers['www-authenticate']).toMatch(/^Bearer/)
    expect((await post(ingest, body, undefined)).status).toBe(401)
    expect(await post(ingest, '{"schemaVersion": ', TOKEN)).toMatchObject({status: 400, body: {error: 'INVALID_JSON'}})
    const noHost = {...agentDoc(2), host: {...agentDoc(2).host, hostname: ''}}
    expect(await post(ingest, JSON.stringify(noHost), TOKEN)).toMatchObject({
      status: 422,
      body: {error: 'AGENT_INVALID', path: 'host.hostname', message: expect.stringMatching(/^host\.hostname: Too small/)},
    })
    expect(await post(ingest, JSON.stringify({...agentDoc(2), schemaVersion: 'migrate-plan.agent/9'}), TOKEN)).toMatchObject({
      status: 422,
      body: {error: 'AGENT_SCHEMA_VERSION'},
    })
    expect(await post(ingest, JSON.stringify({...agentDoc(3), extra: 'x'.repeat(300_000)}), TOKEN)).toMatchObject({
      status: 413,
      body: {error: 'PAYLOAD_TOO_LARGE'},
    })
    expect((await post(`${url}/elsewhere`, body, TOKEN)).status).toBe(404)
    expect((await get(ingest)).status).toBe(405)

    expect(ws.sources().map((s) => [s.format, s.path])).toEqual([
      ['agent', expect.stringMatching(/^push:app0001\.corp\.example@127\.0\.0\.1$/)],
    ])
    expect(server!.stats()).toEqual({imported: 1, unchanged: 1, unauthorized: 2, invalid: 6, failed: 0})
  })

  it('serves HTTPS with a certificate, and the agent pushes to it trusting that certificate', async () => {
    const key = join(tmp.dir, 'key.pem')
    const cert = join(tmp.dir, 'cert.pem')
    const r = spawnSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        key,
        '-out',
        cert,
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
      ],
      {encoding: 'utf8'},
    )
    expect(r.status, r.stderr).toBe(0)
    const url = await start({tls: {cert: readFileSync(cert), key: readFileSync(key)}})
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/)
    const file = join(tmp.dir, 'a.json')
    const {writeFileSync} = await import('node:fs')
    writeFileSync(file, JSON.stringify(agentDoc(7)))
    const untrusted = await pushFile(file, {url, token: TOKEN, retries: 1, retryDelayMs: 10})
    expect(untrusted.status).toBe('failed')
    expect(untrusted.error).toMatch(/self-signed|certificate/)
    const pushed = await pushFile(file, {url, token: TOKEN, caFile: cert, retries: 1, retryDelayMs: 10})
    expect(pushed).toMatchObject({status: 'acknowledged', httpStatus: 201, attempts: 1})
    expect(ws.serverCount()).toBe(1)
  })

  it('graceful shutdown finishes a payload still arriving, then refuses connections', async () => {
    const url = await start()
    const body = Buffer.from(JSON.stringify(agentDoc(5)))
    const answer = new Promise<number>((resolve, reject) => {
      const req = request(
        `${url}${INGEST_PATH}`,
        {method: 'POST', headers: {authorization: `Bearer ${TOKEN}`, 'content-length': body.length}},
        (res) => {
          res.resume()
          res.on('end', () => resolve(res.statusCode ?? 0))
        },
      )
      req.on('error', reject)
      req.write(body.subarray(0, 100))
      setTimeout(() => req.end(body.subarray(100)), 300)
    })
    await new Promise((r) => setTimeout(r, 100))
    const closing = server!.close(10_000)
    expect(await answer).toBe(201)
    const stats = await closing
    server = undefined
    expect(stats.imported).toBe(1)
    expect(ws.serverCount()).toBe(1)
    await expect(post(`${url}${INGEST_PATH}`, body, TOKEN, {agent: new Agent({keepAlive: false})})).rejects.toThrow(/ECONNREFUSED/)
  })

  it('load: 200 concurrent agents, duplicates, malformed payloads and wrong tokens; every valid payload stored exactly once', async () => {
    const url = (await start()) + INGEST_PATH
    const agent = new Agent({keepAlive: true, maxSockets: 200})
    const AGENTS = 200
    type Kind = 'valid' | 'duplicate' | 'malformed' | 'invalid' | 'wrong-token'
    const plan: {agent: number; kind: Kind; body: string; token: string}[][] = []
    const expected = new Set<string>()
    for (let a = 0; a < AGENTS; a++) {
      const mine: (typeof plan)[number] = []
      for (let w = 0; w < 3; w++) {
        const doc = agentDoc(a, w)
        expected.add(agentFingerprint(doc))
        mine.push({agent: a, kind: 'valid', body: JSON.stringify(doc), token: TOKEN})
      }
      // A repeat of an earlier window (an agent retrying after a lost acknowledgement) …
      mine.push({agent: a, kind: 'duplicate', body: JSON.stringify(agentDoc(a, a % 3)), token: TOKEN})
      // … and, depending on the agent, something that must be refused.
      if (a % 4 === 0) mine.push({agent: a, kind: 'malformed', body: JSON.stringify(agentDoc(a, 9)).slice(0, 500), token: TOKEN})
      if (a % 4 === 1)
        mine.push({agent: a, kind: 'invalid', body: JSON.stringify({...agentDoc(a, 8), memory: {totalMib: -1}}), token: TOKEN})
      if (a % 4 === 2) mine.push({agent: a, kind: 'wrong-token', body: JSON.stringify(agentDoc(a, 7)), token: `${TOKEN}x`})
      plan.push(mine)
    }
    const started = Date.now()
    const results = await Promise.all(
      plan.map(async (mine) => {
        const out: {kind: Kind; status: number; state?: string}[] = []
        for (const p of mine) {
          const r = await post(url, p.body, p.token, {agent})
          out.push({kind: p.kind, status: r.status, state: r.body.status})
        }
        return out
      }),
    )
    agent.destroy()
    const flat = results.flat()
    const elapsed = Date.now() - started
    expect(elapsed).toBeLessThan(60_000)
    expect(flat.filter((r) => r.kind === 'valid').every((r) => r.status === 201 && r.state === 'imported')).toBe(true)
    expect(flat.filter((r) => r.kind === 'duplicate').every((r) => r.status === 200 && r.state === 'unchanged')).toBe(true)
    expect(flat.filter((r) => r.kind === 'malformed').every((r) => r.status === 400)).toBe(true)
    expect(flat.filter((r) => r.kind === 'invalid').every((r) => r.status === 422)).toBe(true)
    expect(flat.filter((r) => r.kind === 'wrong-token').every((r) => r.status === 401)).toBe(true)

    const sources = ws.sources()
    expect(sources).toHaveLength(expected.size)
    expect(sources).toHaveLength(AGENTS * 3)
    expect(ws.serverCount()).toBe(AGENTS)
    expect(ws.connectionCount()).toBe(AGENTS * 3 * 10)
    expect(server!.stats()).toMatchObject({
      imported: AGENTS * 3,
      unchanged: AGENTS,
      unauthorized: AGENTS / 4,
      invalid: AGENTS / 2,
      failed: 0,
    })
  })
})
