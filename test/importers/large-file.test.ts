// Bad input: a 2 GiB file. The importers stream, so it must import or fail with one clear message
// without ever being read whole into memory. The file is sparse: a valid connections CSV for the
// first few hundred KiB, then a hole of zero bytes to 2 GiB (no newline, so one endless row).
import {closeSync, openSync, writeSync, ftruncateSync} from 'node:fs'
import {join} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {Workspace} from '../../src/workspace/workspace.js'
import {runCli, tempDir} from '../helpers/cli.js'

const SIZE = 2 * 1024 ** 3
const ROWS = 5000
/** Peak RSS the import may reach: the file is 2 GiB, the process must stay far below it. */
const RSS_LIMIT_MIB = 400
/** Preloaded into the CLI process: reports its peak RSS on stderr as it exits. */
const REPORT_RSS = `data:text/javascript,${encodeURIComponent(
  "import {writeSync} from 'node:fs'; process.on('exit', () => writeSync(2, '\\nMAXRSS_KIB ' + process.resourceUsage().maxRSS + '\\n'))",
)}`

let tmp: ReturnType<typeof tempDir>
let file: string
beforeAll(() => {
  tmp = tempDir('mp-large-')
  file = join(tmp.dir, 'connections-2gib.csv')
  const fd = openSync(file, 'w')
  let text = 'source_ip,source_port,destination_ip,destination_port,transport_protocol,process_name,count\n'
  for (let i = 0; i < ROWS; i++) text += `10.1.${i >> 8}.${i & 255},${40000 + (i % 20000)},10.2.0.${i % 250},443,tcp,java,${1 + (i % 7)}\n`
  writeSync(fd, text)
  ftruncateSync(fd, SIZE)
  closeSync(fd)
})
afterAll(() => tmp.cleanup())

describe('a 2 GiB input file', () => {
  it('fails with one message naming the file and row, exit 2, in bounded memory, leaving the workspace as it was', () => {
    const ws = join(tmp.dir, 'ws')
    const r = runCli(['import', file, '-w', ws], {env: {NODE_OPTIONS: `--import=${REPORT_RSS}`}})
    expect(r.code, r.stderr).toBe(2)
    expect(r.stderr).toMatch(/connections-2gib\.csv/)
    expect(r.stderr).toMatch(new RegExp(`row ${ROWS + 2}\\b`))
    expect(r.stderr).toMatch(/over 4 MiB/)
    const rss = Number(/MAXRSS_KIB (\d+)/.exec(r.stderr)?.[1]) / 1024
    expect(rss).toBeGreaterThan(10)
    expect(rss).toBeLessThan(RSS_LIMIT_MIB)
    // One transaction: the 5,000 good rows before the bad one are not kept.
    const w = Workspace.open(ws, {readonly: true})
    expect(w.connectionCount()).toBe(0)
    expect(w.sources()).toEqual([])
    w.close()
  }, 180_000)
})
