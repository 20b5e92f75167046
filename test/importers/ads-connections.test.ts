import {cpSync, mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {UserInputError} from '../../src/errors.js'
import {importPaths, type ImportRunOptions} from '../../src/importers/run.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

const EXPORT = join(ROOT, 'test/fixtures/ads-connections/export')

let tmp: ReturnType<typeof tempDir>
let ws: Workspace
beforeEach(() => {
  tmp = tempDir()
  ws = Workspace.open(join(tmp.dir, 'ws'), {create: true})
})
afterEach(() => {
  ws.close()
  tmp.cleanup()
})

const run = (paths: string[], opts: ImportRunOptions = {}) => importPaths(ws, paths, {cwd: ROOT, ...opts})
const state = () => ({
  sources: ws.sources().length,
  servers: ws.serverCount(),
  connections: ws.connectionCount(),
  flows: ws.aggregatedConnections(),
})
const file = (name: string, body: string): string => {
  const dir = join(tmp.dir, 'in')
  mkdirSync(dir, {recursive: true})
  const p = join(dir, name)
  writeFileSync(p, body)
  return p
}

async function failure(paths: string[], opts: ImportRunOptions = {}): Promise<UserInputError> {
  const before = state()
  const error = await run(paths, opts).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(UserInputError)
  expect(state()).toEqual(before)
  return error as UserInputError
}

const ROW = '111122223333,o-1,10.0.0.1,40000,10.0.0.2,443,IPv4,tcp,o-1-p-1,2024-01-01 10:00:00'

describe('ads-connections', () => {
  it('imports the export folder as one source: client → server flows, process names, first/last seen in UTC', async () => {
    const r = await run([EXPORT])
    expect(r.units).toHaveLength(1)
    expect(r.units[0]).toMatchObject({format: 'ads-connections', path: 'test/fixtures/ads-connections/export'})
    const source = r.units[0]!.outcome.source
    // 5 outbound rows (3 identical flows aggregated) + 3 inbound rows
    expect([source.servers, source.connections]).toEqual([0, 6])
    expect(source.notes).toEqual([
      {
        code: 'ADS_FILES_NOT_READ',
        message: 'only connections (and process names) are imported from an ADS export; not read: 111122223333_osInfo.csv, results.json',
      },
    ])
    const flows = ws.aggregatedConnections()
    expect(flows.find((f) => f.destinationPort === 5432)).toEqual({
      sourceIp: '10.40.1.21',
      destinationIp: '10.40.2.30',
      destinationPort: 5432,
      protocol: 'tcp',
      processes: ['java'],
      count: 3,
      firstSeen: '2024-03-04T09:15:00Z',
      lastSeen: '2024-03-04T11:45:00Z',
      sourceIds: [1],
    })
    // inbound file (snake_case header, 12 columns): the remote client is the source
    expect(flows.filter((f) => f.destinationPort === 8443).map((f) => [f.sourceIp, f.destinationIp, f.processes])).toEqual([
      ['10.40.9.5', '10.40.1.21', ['java']],
      ['10.40.9.6', '10.40.1.21', ['java']],
    ])
    // a process id missing from _process.csv falls back to the command path's file name
    expect(flows.find((f) => f.destinationPort === 22)?.processes).toEqual(['sshd'])
    expect(flows.find((f) => f.destinationPort === 53)).toMatchObject({protocol: 'udp', processes: ['systemd-resolved']})
    expect(flows.find((f) => f.destinationPort === 5672)).toMatchObject({protocol: 'tcp', processes: ['celery']})
  })

  it('keeps the source port only when every aggregated row agrees on it', async () => {
    const dir = join(tmp.dir, 'agg')
    mkdirSync(dir)
    writeFileSync(
      join(dir, '9_sourceProcessConnection.csv'),
      `h1,h2,h3,h4,h5,h6,h7,h8,h9,h10\n${ROW}\n${ROW}\n${ROW.replace('40000', '40001')}\n`,
    )
    await run([dir])
    expect(ws.connectionCount()).toBe(1)
    expect(ws.aggregatedConnections()[0]).toMatchObject({count: 3, sourceIp: '10.0.0.1', destinationPort: 443})
  })

  it('reads a file whose header names are unknown by position, and detects it by its name', async () => {
    const p = file('222233334444_destinationProcessConnection.csv', `a,b,c,d,e,f,g,h,i,j,k,l\n${ROW},/opt/x/bin/nginx,-g daemon off;\n`)
    const r = await run([p])
    expect(r.units[0]!.format).toBe('ads-connections')
    expect(ws.aggregatedConnections()).toEqual([
      {
        sourceIp: '10.0.0.1',
        destinationIp: '10.0.0.2',
        destinationPort: 443,
        protocol: 'tcp',
        processes: ['nginx'],
        count: 1,
        firstSeen: '2024-01-01T10:00:00Z',
        lastSeen: '2024-01-01T10:00:00Z',
        sourceIds: [1],
      },
    ])
  })

  it('names a column read by position by what it holds', async () => {
    const p = file('3_sourceProcessConnection.csv', `a,b,c,d,e,f,g,h,i,j\n${ROW.replace(',tcp,', ',gre,')}\n`)
    const error = await failure([p])
    expect(error.message).toMatch(
      /3_sourceProcessConnection\.csv, row 2, column "h \(transportProtocol\)": unknown transport protocol "gre"/,
    )
  })

  it('detects a renamed file by its header', async () => {
    const p = file(
      'outbound.csv',
      `accountNumber,agentId,sourceIp,sourcePort,destinationIp,destinationPort,ipVersion,transportProtocol,agentAssignedProcessId,agentCreationDate\n${ROW}\n`,
    )
    const r = await run([p])
    expect(r.units[0]!.format).toBe('ads-connections')
    expect(ws.connectionCount()).toBe(1)
  })

  it.each([
    ['a bad IP', ROW.replace('10.0.0.2', '10.0.0.999'), /row 2, column "destinationIp": not an IP address: "10\.0\.0\.999"/],
    ['a negative port', ROW.replace(',443,', ',-443,'), /row 2, column "destinationPort": -443 is below the minimum of 0/],
    ['a port that is not a number', ROW.replace(',443,', ',https,'), /row 2, column "destinationPort": expected a number, got "https"/],
    ['an unknown protocol', ROW.replace(',tcp,', ',icmp,'), /row 2, column "transportProtocol": unknown transport protocol "icmp"/],
    ['a missing destination port', ROW.replace(',443,', ',,'), /row 2, column "destinationPort": missing destination port/],
  ])('rejects %s with file, row, column and a hint; nothing is written', async (_what, row, message) => {
    await run([EXPORT])
    const header =
      'accountNumber,agentId,sourceIp,sourcePort,destinationIp,destinationPort,ipVersion,transportProtocol,agentAssignedProcessId,agentCreationDate'
    const p = file('5_sourceProcessConnection.csv', `${header}\n${ROW}\n${row}\n`.replace(`${ROW}\n${row}`, `${row}\n${ROW}`))
    const error = await failure([p])
    expect(error.message).toMatch(/5_sourceProcessConnection\.csv, /)
    expect(error.message).toMatch(message)
    expect(error.hint).toBeTruthy()
  })

  it('a connection file with too few columns says what it expected', async () => {
    const p = file('7_sourceProcessConnection.csv', 'a,b,c,d,e\n1,2,3,4,5\n')
    const error = await failure([p], {format: 'ads-connections'})
    // too narrow to be claimed by name, and the header does not spell the fields
    expect(error.code).toBe('IMPORT_WRONG_FORMAT')
    const q = file(
      '8_sourceProcessConnection.csv',
      'agentId,sourceIp,destinationIp,destinationPort,transportProtocol\no-1,10.0.0.1,10.0.0.2,x,tcp\n',
    )
    const e2 = await failure([q])
    expect(e2.message).toMatch(/8_sourceProcessConnection\.csv, row 2, column "destinationPort": expected a number, got "x"/)
  })

  it('through the CLI: imports the export folder; a wrong --format exits 2 and changes nothing', () => {
    const wsDir = join(tmp.dir, 'cli')
    const copy = join(tmp.dir, 'copy')
    cpSync(EXPORT, copy, {recursive: true})
    const ok = runCli(['import', copy, '-w', wsDir, '--json'])
    expect(ok.code, ok.stderr).toBe(0)
    expect(ok.json<{sources: {format: string; connections: number; notes: number}[]}>().sources).toMatchObject([
      {format: 'ads-connections', connections: 6, notes: 1},
    ])
    const wrong = runCli(['import', join(copy, '111122223333_sourceProcessConnection.csv'), '-w', wsDir, '--format', 'connections-csv'])
    expect(wrong.code).toBe(2)
    expect(wrong.stderr.replace(/\s*›\s*/g, ' ')).toMatch(/this is not a connections CSV.*It looks like ads-connections/s)
    const again = runCli(['import', copy, '-w', wsDir, '--json'])
    expect(again.json<{sources: {status: string}[]}>().sources[0]!.status).toBe('unchanged')
  }, 180_000)
})
