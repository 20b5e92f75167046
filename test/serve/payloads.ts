/** Synthetic agent files for the ingest server tests: valid, distinct per index, and small. */
import {request} from 'node:http'
import {request as httpsRequest} from 'node:https'

import {AGENT_FILE_SCHEMA_VERSION, type AgentFile} from '../../src/model/agent-file.js'

export function agentDoc(host: number, window = 0): AgentFile {
  const ip = `10.${20 + Math.floor(host / 250)}.${host % 250}.${10 + window}`
  return {
    schemaVersion: AGENT_FILE_SCHEMA_VERSION,
    collector: {kind: 'agent', version: '0.1.0', mode: 'sampling', privileged: true},
    collectedAt: new Date(Date.UTC(2026, 0, 1 + window, 0, 0, host % 60)).toISOString(),
    host: {
      hostname: `app${String(host).padStart(4, '0')}.corp.example`,
      ips: [ip],
      macs: [`02:00:00:00:${(host >> 8).toString(16).padStart(2, '0')}:${(host & 255).toString(16).padStart(2, '0')}`],
    },
    os: {platform: 'linux', name: 'Ubuntu', version: '22.04', arch: 'x64'},
    cpu: {model: 'Intel Xeon', sockets: 1, cores: 2, threads: 4},
    memory: {totalMib: 8192},
    disks: [{name: '/dev/sda', sizeGib: 100}],
    filesystems: [{mount: '/', fsType: 'ext4', sizeGib: 100, usedGib: 40 + window}],
    nics: [{name: 'eth0', ips: [ip]}],
    utilisation: {
      windowStart: '2026-01-01T00:00:00.000Z',
      windowEnd: '2026-01-02T00:00:00.000Z',
      intervalSeconds: 60,
      cpuPct: {avg: 10 + window, p50: 9, p95: 30, p99: 40, max: 55, samples: 1440},
      percentileMethod: 'exact',
    },
    processes: Array.from({length: 20}, (_, i) => ({
      pid: 100 + i,
      name: `proc${i}`,
      user: 'app',
      cpuPct: i / 10,
      memoryMib: 10 + i,
      command: `/opt/app/bin/proc${i} --port ${8000 + i}`,
    })),
    listeners: [{protocol: 'tcp', ip: '0.0.0.0', port: 8080, process: 'java'}],
    connections: Array.from({length: 10}, (_, i) => ({
      protocol: 'tcp' as const,
      localIp: ip,
      localPort: 0,
      remoteIp: `10.9.0.${i + 1}`,
      remotePort: 5432,
      direction: 'outbound' as const,
      process: 'java',
      count: 10 + i,
    })),
    software: [{name: 'java', category: 'runtime', evidence: ['process java']}],
    limitations: [],
  }
}

export interface Answer {
  readonly status: number
  readonly body: {status?: string; error?: string; message?: string; sourceId?: number; fingerprint?: string}
  readonly headers: Record<string, string | string[] | undefined>
}

/** POST a body to the server; resolves with the answer (never rejects on HTTP errors). */
export function post(
  url: string,
  body: string | Buffer,
  token: string | undefined,
  opts: {agent?: import('node:http').Agent; ca?: string} = {},
): Promise<Answer> {
  const u = new URL(url)
  const send = u.protocol === 'https:' ? httpsRequest : request
  return new Promise((resolve, reject) => {
    const req = send(
      u,
      {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          ...(token === undefined ? {} : {authorization: `Bearer ${token}`}),
        },
        ...(opts.agent ? {agent: opts.agent} : {}),
        ...(opts.ca ? {ca: opts.ca} : {}),
      },
      (res) => {
        let text = ''
        res.on('data', (c: Buffer) => (text += c.toString()))
        res.on('end', () =>
          resolve({status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Answer['body']) : {}, headers: res.headers}),
        )
      },
    )
    req.on('error', reject)
    req.end(body)
  })
}

export function get(url: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request(url, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({status: res.statusCode ?? 0, body: JSON.parse(text) as Answer['body'], headers: res.headers}))
    })
      .on('error', reject)
      .end()
  })
}
