import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {importPaths} from '../../src/importers/run.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {tempDir} from '../helpers/cli.js'

/**
 * Per-tab CSVs without a per-VM tab are read vInfo last, each VM emitted as its row is read
 * (RvToolsCollector.streamVms); with one, every vInfo row is kept until the end. An empty vCPU
 * tab joins nothing, so the same export with and without it must import to the same servers,
 * records and notes, in the same order.
 */

type Row =
  {kind: 'vm'; name: number; vc: number; ip: boolean} | {kind: 'template' | 'srm'; name: number} | {kind: 'noname'} | {kind: 'blank'}

const row: fc.Arbitrary<Row> = fc.oneof(
  {weight: 6, arbitrary: fc.record({kind: fc.constant('vm' as const), name: fc.nat(40), vc: fc.nat(2), ip: fc.boolean()})},
  {weight: 3, arbitrary: fc.record({kind: fc.constantFrom('template' as const, 'srm' as const), name: fc.nat(40)})},
  {weight: 1, arbitrary: fc.record({kind: fc.constantFrom('noname' as const, 'blank' as const)})},
)

const VINFO = ['VM', 'Powerstate', 'Template', 'SRM Placeholder', 'CPUs', 'Memory', 'Primary IP Address', 'Host', 'VI SDK Server']

function vInfoCsv(rows: readonly Row[], namesVc: boolean): string {
  const lines = [VINFO.join(',')]
  rows.forEach((r, i) => {
    if (r.kind === 'blank') lines.push(',,,,,,,,')
    else if (r.kind === 'noname') lines.push(`,poweredOn,False,False,2,4096,,esx1.corp.example,`)
    else {
      const vc = r.kind === 'vm' && namesVc ? `vc${r.vc}.corp.example` : ''
      const ip = r.kind === 'vm' && r.ip ? `10.0.${i >> 8}.${i & 255}` : ''
      lines.push(`vm${r.name},poweredOn,${r.kind === 'template'},${r.kind === 'srm'},2,4096,${ip},esx${i % 3}.corp.example,${vc}`)
    }
  })
  return lines.join('\n') + '\n'
}

describe('RVTools per-tab CSVs: a streamed vInfo imports as a kept one', () => {
  let tmp: ReturnType<typeof tempDir>
  beforeAll(() => {
    tmp = tempDir('mp-rvtools-stream-')
  })
  afterAll(() => tmp.cleanup())

  it('gives the same servers, records and notes with and without an empty per-VM tab', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(
        fc.array(row, {minLength: 0, maxLength: 160}),
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        async (rows, namesVc, withSource, withMeta) => {
          const imported = []
          for (const withCpuTab of [false, true]) {
            const dir = join(tmp.dir, `run${run}`, withCpuTab ? 'kept' : 'streamed', 'export')
            mkdirSync(dir, {recursive: true})
            writeFileSync(join(dir, 'RVTools_tabvInfo.csv'), vInfoCsv(rows, namesVc))
            writeFileSync(
              join(dir, 'RVTools_tabvHost.csv'),
              'Host,CPU Model,Speed,ESX Version\nesx0.corp.example,Xeon Gold 6130,2100,7.0.3\nesx1.corp.example,Xeon E5-2680,2400,6.7.0\n',
            )
            if (withSource)
              writeFileSync(join(dir, 'RVTools_tabvSource.csv'), 'Name,VI SDK Server,API version\nvc,vc9.corp.example,7.0.3\n')
            if (withMeta)
              writeFileSync(join(dir, 'RVTools_tabvMetaData.csv'), 'RVTools major version,xlsx creation datetime\n4,2025-03-04 10:11:12\n')
            if (withCpuTab) writeFileSync(join(dir, 'RVTools_tabvCPU.csv'), 'VM,CPUs,Sockets,VI SDK Server\n')
            const ws = Workspace.open(join(tmp.dir, `run${run}`, withCpuTab ? 'kept-ws' : 'streamed-ws'), {create: true})
            try {
              await importPaths(ws, [dir], {cwd: join(tmp.dir, `run${run}`, withCpuTab ? 'kept' : 'streamed')})
              const [source] = ws.sources()
              imported.push({notes: source?.notes, observedAt: source?.observedAt, servers: source?.servers, merged: ws.servers()})
            } finally {
              ws.close()
            }
          }
          run++
          expect(imported[0]).toEqual(imported[1])
        },
      ),
      {numRuns: 25},
    )
  })
})
