import {mkdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {UserInputError} from '../../src/errors.js'
import {importPaths} from '../../src/importers/run.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {tempDir} from '../helpers/cli.js'

/** vInfo columns, 3.x and 4.x spellings mixed, the required ones included. */
const COLUMNS = [
  'VM',
  'Powerstate',
  'Template',
  'SRM Placeholder',
  'DNS Name',
  'CPUs',
  'Memory',
  'Provisioned MiB',
  'Provisioned MB',
  'In Use MiB',
  'In Use MB',
  'Total disk capacity MiB',
  'Primary IP Address',
  'Resource pool',
  'Folder',
  'Firmware',
  'Annotation',
  'owner',
  'Datacenter',
  'Cluster',
  'Host',
  'OS according to the configuration file',
  'OS according to the VMware Tools',
  'VM ID',
  'SMBIOS UUID',
  'VM UUID',
  'VI SDK Server',
]

const cell = fc.oneof(
  fc.constantFrom('', ' ', 'True', 'TRUE', 'False', 'false', 'poweredOn', 'poweredOff', 'suspended', 'efi', 'bios'),
  fc.integer({min: -5000, max: 5_000_000}).map(String),
  fc.double({min: -1e6, max: 1e9, noNaN: true}).map(String),
  fc.constantFrom('1,024', '1.024,5', '45714.5372106481', 'NaN', 'Infinity', '0x10', '1e3', '-0', '∞'),
  fc.constantFrom(
    'web01',
    'web01.corp.example',
    '10.0.0.1',
    '10.0.0.1, 10.0.0.2',
    'fe80::1',
    '4220a1b2-c3d4-e5f6-0718-293a4b5c6d01',
    'vm-42',
    'localhost',
  ),
  fc.string({maxLength: 12}),
  fc.string({unit: fc.constantFrom('"', ',', ';', '\n', '\r', 'a', ' ', '\t'), maxLength: 6}),
)

const quote = (s: string): string => (/[",\n\r;]/.test(s) || s.trim() !== s ? `"${s.replace(/"/g, '""')}"` : s)

const NUMERIC = new Set(['CPUs', 'Memory', 'Provisioned MiB', 'Provisioned MB', 'In Use MiB', 'In Use MB', 'Total disk capacity MiB'])

/**
 * A vInfo CSV: `VM` first (as RVTools writes it) or anywhere, a random choice of the other
 * columns (the required ones sometimes missing), rows whose size cells are usually plausible and
 * sometimes anything, short rows, BOM, CRLF, and now and then mangled text.
 */
const vInfoCsv = fc
  .record({
    vmFirst: fc.constantFrom(true, true, true, true, false),
    columns: fc.shuffledSubarray(COLUMNS.slice(1), {minLength: 0}),
    required: fc.constantFrom('both', 'both', 'both', 'cpus', 'memory', 'none'),
    extra: fc.array(fc.string({maxLength: 8}), {maxLength: 2}),
    rows: fc.array(fc.array(fc.tuple(fc.nat(30), cell, fc.integer({min: 0, max: 1_000_000})), {maxLength: 34}), {maxLength: 12}),
    bom: fc.boolean(),
    crlf: fc.boolean(),
    /** Mangle the text after writing it: cut it short, drop a quote in, or a NUL byte. */
    mangle: fc.oneof(
      {weight: 3, arbitrary: fc.constant(null)},
      {weight: 1, arbitrary: fc.record({kind: fc.constantFrom('cut', 'quote', 'nul'), at: fc.nat()})},
    ),
  })
  .map(({vmFirst, columns, required, extra, rows, bom, crlf, mangle}) => {
    let cols = columns.filter(
      (c) =>
        (c !== 'CPUs' || required === 'both' || required === 'cpus') && (c !== 'Memory' || required === 'both' || required === 'memory'),
    )
    if ((required === 'both' || required === 'cpus') && !cols.includes('CPUs')) cols.push('CPUs')
    if ((required === 'both' || required === 'memory') && !cols.includes('Memory')) cols.push('Memory')
    cols = vmFirst ? ['VM', ...cols] : [...cols, 'VM']
    const header = [...cols, ...extra]
    const body = rows.map((row) =>
      row.map(([dice, random, plausible], i) => (dice === 0 || !NUMERIC.has(header[i] ?? '') ? random : String(plausible))),
    )
    const eol = crlf ? '\r\n' : '\n'
    let text = (bom ? '\uFEFF' : '') + [header, ...body].map((r) => r.map(quote).join(',')).join(eol) + eol
    if (mangle) {
      const at = mangle.at % (text.length + 1)
      if (mangle.kind === 'cut') text = text.slice(0, at)
      else if (mangle.kind === 'quote') text = `${text.slice(0, at)}"${text.slice(at)}`
      else text = `${text.slice(0, at)}\u0000${text.slice(at)}`
    }
    return text
  })

describe('RVTools vInfo CSV, random and mangled (fast-check)', () => {
  let tmp: ReturnType<typeof tempDir>
  let ws: Workspace
  beforeAll(() => {
    tmp = tempDir('mp-rvtools-prop-')
    ws = Workspace.open(join(tmp.dir, 'ws'), {create: true})
  })
  afterAll(() => {
    ws.close()
    tmp.cleanup()
  })

  it('either imports or throws one UserInputError, and a failure writes nothing', async () => {
    let run = 0
    const outcomes = {imported: 0, rejected: 0}
    await fc.assert(
      fc.asyncProperty(vInfoCsv, fc.boolean(), async (text, force) => {
        const dir = join(tmp.dir, `in${run++}`)
        mkdirSync(dir)
        writeFileSync(join(dir, 'vInfo.csv'), text)
        const before = {servers: ws.serverCount(), sources: ws.sources().length}
        try {
          const result = await importPaths(ws, [dir], {cwd: tmp.dir, ...(force ? {format: 'rvtools' as const} : {})})
          outcomes.imported++
          const added = result.units.filter((u) => u.outcome.status === 'imported').length
          expect(ws.sources().length).toBe(before.sources + added)
          expect(ws.serverCount()).toBeGreaterThanOrEqual(before.servers)
        } catch (error) {
          outcomes.rejected++
          if (!(error instanceof UserInputError)) throw error
          expect(error.exitCode).toBe(2)
          expect(error.message.length).toBeGreaterThan(0)
          expect({servers: ws.serverCount(), sources: ws.sources().length}).toEqual(before)
        }
      }),
      {numRuns: 300},
    )
    // both branches were exercised
    expect(outcomes.imported).toBeGreaterThan(0)
    expect(outcomes.rejected).toBeGreaterThan(0)
  })
})
