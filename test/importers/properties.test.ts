/**
 * Property tests for every importer in the registry: random and mangled files (truncated, other
 * delimiters, random bytes, random cells, stray quotes, huge and negative numbers, missing headers,
 * other encodings, damaged workbooks) go through importPaths() into a real workspace. Each import
 * either succeeds or throws a UserInputError / ConfigError, and a failed import leaves the
 * workspace's source, server and connection counts exactly as they were.
 *
 * Runs per importer: PROPERTY_RUNS (default 60); seed: FC_SEED (default fixed, so CI is repeatable;
 * a failure prints the seed and the shrunk counterexample). PROPERTY_DEBUG=1 prints how many runs
 * succeeded and which errors the others raised; PROPERTY_DEBUG=2 prints every failure.
 */
import {existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import ExcelJS from 'exceljs'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {ConfigError, UserInputError} from '../../src/errors.js'
import {IMPORTERS} from '../../src/importers/registry.js'
import {importPaths, type ImportRunOptions} from '../../src/importers/run.js'
import type {FormatId} from '../../src/importers/types.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, tempDir} from '../helpers/cli.js'

const RUNS = Number(process.env.PROPERTY_RUNS ?? 60)
const SEED = Number(process.env.FC_SEED ?? 20_241_130)
const fixture = (p: string): Buffer => readFileSync(join(ROOT, 'test/fixtures', p))

type Cells = readonly (string | number | boolean | Date | null)[]

/** A valid input to start mangling from. */
interface Seed {
  readonly label: string
  /** Files written into the run's folder, by relative name. */
  readonly files: Readonly<Record<string, Buffer>>
  /** The file that gets mangled. */
  readonly target: string
  readonly kind: 'csv' | 'json' | 'xlsx'
  /** For workbooks: sheets to regenerate with random cells. */
  readonly sheets?: readonly {readonly name: string; readonly rows: readonly Cells[]}[]
  /** Import the folder (a multi-file unit) rather than the target file. */
  readonly folder?: boolean
}

const csvLines = (b: Buffer, max = 30): Buffer => Buffer.from(b.toString('utf8').split(/\r?\n/).slice(0, max).join('\n') + '\n')

async function workbook(sheets: readonly {name: string; rows: readonly Cells[]}[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook()
  wb.created = new Date(Date.UTC(2025, 0, 1))
  wb.modified = wb.created
  for (const s of sheets) {
    const ws = wb.addWorksheet(s.name.slice(0, 31) || 'Sheet')
    for (const r of s.rows) ws.addRow([...r])
  }
  return Buffer.from(await wb.xlsx.writeBuffer())
}

const csvRows = (text: string): string[][] =>
  text
    .split(/\r?\n/)
    .filter((l) => l !== '')
    .map((l) => l.split(','))

const RV_VINFO: Cells[] = [
  [
    'VM',
    'Powerstate',
    'Template',
    'CPUs',
    'Memory',
    'Provisioned MiB',
    'In Use MiB',
    'OS according to the configuration file',
    'VM UUID',
    'Primary IP Address',
    'DNS Name',
  ],
  [
    'web01',
    'poweredOn',
    'False',
    2,
    4096,
    51200,
    20480,
    'Ubuntu Linux (64-bit)',
    '420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6c',
    '10.0.1.10',
    'web01.corp.example',
  ],
  [
    'db01',
    'poweredOff',
    'FALSE',
    8,
    32768,
    512000,
    400000,
    'Microsoft Windows Server 2019 (64-bit)',
    '420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6d',
    '10.0.2.20',
    'db01.corp.example',
  ],
  ['tmpl-rhel', 'poweredOff', 'True', 1, 2048, 20480, 0, 'Red Hat Enterprise Linux 8 (64-bit)', '', '', ''],
]
const RV_VCPU: Cells[] = [
  ['VM', 'CPUs', 'Sockets', 'Cores p/s', 'Max', 'Overall', 'Level'],
  ['web01', 2, 1, 2, 4800, 120, 'normal'],
  ['db01', 8, 2, 4, 19200, 0, 'normal'],
]
const toCsv = (rows: readonly Cells[]): Buffer =>
  Buffer.from(rows.map((r) => r.map((c) => (c === null ? '' : String(c))).join(',')).join('\n') + '\n')

/** Seeds per format. A format added to the registry without seeds here is fed every other seed. */
async function seedsFor(format: FormatId): Promise<Seed[]> {
  switch (format) {
    case 'agent':
      return [{label: 'agent json', files: {'host.json': fixture('agent/web01.json')}, target: 'host.json', kind: 'json'}]
    case 'aws-import-template':
      return [{label: 'ADS template', files: {'t.csv': fixture('aws-import-template/servers.csv')}, target: 't.csv', kind: 'csv'}]
    case 'migration-evaluator': {
      const csv = fixture('migration-evaluator/inventory.csv')
      return [
        {label: 'ME csv', files: {'me.csv': csv}, target: 'me.csv', kind: 'csv'},
        {
          label: 'ME xlsx',
          files: {'me.xlsx': fixture('migration-evaluator/inventory.xlsx')},
          target: 'me.xlsx',
          kind: 'xlsx',
          sheets: [{name: 'Template', rows: csvRows(csv.toString('utf8'))}],
        },
      ]
    }
    case 'azure-migrate':
      return [
        {label: 'Azure doc headers', files: {'az.csv': fixture('azure-migrate/doc-headers.csv')}, target: 'az.csv', kind: 'csv'},
        {
          label: 'Azure rvtools2azmigrate',
          files: {'az2.csv': fixture('azure-migrate/rvtools2azmigrate.csv')},
          target: 'az2.csv',
          kind: 'csv',
        },
      ]
    case 'ads-connections': {
      const dir = 'test/fixtures/ads-connections/export'
      const files = Object.fromEntries(readdirSync(join(ROOT, dir)).map((f) => [f, readFileSync(join(ROOT, dir, f))]))
      return [
        {label: 'ADS export, outbound', files, target: '111122223333_sourceProcessConnection.csv', kind: 'csv', folder: true},
        {label: 'ADS export, process list', files, target: '111122223333_process.csv', kind: 'csv', folder: true},
        {
          label: 'ADS lone inbound file',
          files: {'9_destinationProcessConnection.csv': files['111122223333_destinationProcessConnection.csv']!},
          target: '9_destinationProcessConnection.csv',
          kind: 'csv',
        },
      ]
    }
    case 'connections-csv':
      return [{label: 'connections csv', files: {'c.csv': fixture('connections/basic.csv')}, target: 'c.csv', kind: 'csv'}]
    case 'generic-csv':
      return [
        {label: 'CMDB csv', files: {'cmdb.csv': fixture('generic/cmdb-servicenow.csv')}, target: 'cmdb.csv', kind: 'csv'},
        {label: 'CMDB semicolons', files: {'s.csv': fixture('generic/synonyms.csv')}, target: 's.csv', kind: 'csv'},
        {
          label: 'CMDB xlsx',
          files: {'cmdb.xlsx': await workbook([{name: 'Servers', rows: csvRows(fixture('generic/cmdb-servicenow.csv').toString('utf8'))}])},
          target: 'cmdb.xlsx',
          kind: 'xlsx',
          sheets: [{name: 'Servers', rows: csvRows(fixture('generic/cmdb-servicenow.csv').toString('utf8'))}],
        },
      ]
    case 'rvtools': {
      const sheets = [
        {name: 'vInfo', rows: RV_VINFO},
        {name: 'vCPU', rows: RV_VCPU},
      ]
      const seeds: Seed[] = [
        {
          label: 'RVTools tab CSVs',
          files: {'vInfo.csv': toCsv(RV_VINFO), 'vCPU.csv': toCsv(RV_VCPU)},
          target: 'vInfo.csv',
          kind: 'csv',
          folder: true,
        },
        {
          label: 'RVTools xlsx',
          files: {'RVTools_export.xlsx': await workbook(sheets)},
          target: 'RVTools_export.xlsx',
          kind: 'xlsx',
          sheets,
        },
      ]
      // The RVTools fixtures, cut to their first rows, when they exist.
      const base = join(ROOT, 'test/fixtures/rvtools')
      if (existsSync(base)) {
        for (const d of readdirSync(base).sort()) {
          const p = join(base, d)
          if (!statSync(p).isDirectory()) continue
          const files = Object.fromEntries(
            readdirSync(p)
              .filter((f) => f.endsWith('.csv'))
              .map((f) => [f, csvLines(readFileSync(join(p, f)))]),
          )
          const vinfo = Object.keys(files).find((f) => /vInfo\.csv$/i.test(f))
          if (vinfo) seeds.push({label: `RVTools fixture ${d}`, files, target: vinfo, kind: 'csv', folder: true})
        }
      }
      return seeds
    }
    default:
      return []
  }
}

// ---------------------------------------------------------------------------------------------
// Mangling

const nasty = fc.constantFrom(
  '',
  ' ',
  '-1',
  '-0.5',
  '0',
  '00',
  '1e308',
  '1e999',
  '-1e999',
  'NaN',
  'Infinity',
  '1,5',
  '1.234,5',
  '12,345,678',
  '"',
  '""',
  'a"b',
  '\n',
  '\r\n',
  '=HYPERLINK("http://x")',
  'TRUE',
  'yes',
  '2024-13-45',
  '03/04/2024 11:00:00 PM',
  '999999999999999999999999',
  '10.0.0.1',
  '::1',
  '10.0.0.999',
  'not an ip',
  'tcp',
  'udp',
  '65536',
  '4210A3C5-7B1E-4F2A-9C3D-5E6F7A8B9C01',
  'vm-1',
  'x'.repeat(3000),
  '\u0000',
  'é€😀',
  '%',
  '60%',
)
const cellText = fc.oneof(nasty, fc.string({maxLength: 20}), fc.double({noNaN: false}).map(String), fc.integer().map(String))
const cellValue: fc.Arbitrary<string | number | boolean | Date | null> = fc.oneof(
  cellText,
  fc.double(),
  fc.integer({min: -1e9, max: 1e12}),
  fc.boolean(),
  fc.constant(null),
  fc.date({min: new Date(Date.UTC(1900, 0, 2)), max: new Date(Date.UTC(2100, 0, 1)), noInvalidDate: true}),
)

type Mutation =
  | {kind: 'truncate'; at: number}
  | {kind: 'delimiter'; to: string}
  | {kind: 'cells'; edits: {row: number; col: number; value: string; quote: boolean}[]}
  | {kind: 'quotes'; at: number[]}
  | {kind: 'dropHeader'}
  | {kind: 'dropColumn'; col: number}
  | {kind: 'shuffleHeader'; by: number}
  | {kind: 'encoding'; to: 'bom' | 'utf16le' | 'utf16be'}
  | {kind: 'bytes'; bytes: Uint8Array}
  | {kind: 'lines'; pick: number[]}
  | {kind: 'flip'; at: {pos: number; byte: number}[]}
  | {kind: 'json'; path: number; value: unknown}
  | {kind: 'workbook'; rows: (string | number | boolean | Date | null)[][]; keepHeader: boolean}

/** A position as a fraction of the length, spread evenly (fc.double favours tiny values). */
const unit = fc.integer({min: 0, max: 1000}).map((n) => n / 1000)
/** Structural damage is weighted low so that most runs get past the header into the rows. */
const textMutation: fc.Arbitrary<Mutation> = fc.oneof(
  {
    weight: 8,
    arbitrary: fc
      .array(fc.record({row: fc.nat(40), col: fc.nat(40), value: cellText, quote: fc.boolean()}), {minLength: 1, maxLength: 5})
      .map((edits) => ({kind: 'cells', edits}) as const),
  },
  {weight: 1, arbitrary: unit.map((at) => ({kind: 'truncate', at}) as const)},
  {weight: 1, arbitrary: fc.constantFrom(';', '\t', '|', ' ', ',').map((to) => ({kind: 'delimiter', to}) as const)},
  {weight: 1, arbitrary: fc.array(unit, {minLength: 1, maxLength: 4}).map((at) => ({kind: 'quotes', at}) as const)},
  {weight: 1, arbitrary: fc.constant({kind: 'dropHeader'} as const)},
  {weight: 1, arbitrary: fc.nat(40).map((col) => ({kind: 'dropColumn', col}) as const)},
  {weight: 1, arbitrary: fc.nat(1000).map((by) => ({kind: 'shuffleHeader', by}) as const)},
  {weight: 2, arbitrary: fc.constantFrom('bom', 'utf16le', 'utf16be').map((to) => ({kind: 'encoding', to}) as const)},
  {weight: 2, arbitrary: fc.array(fc.nat(60), {maxLength: 60}).map((pick) => ({kind: 'lines', pick}) as const)},
)
const byteMutation: fc.Arbitrary<Mutation> = fc.oneof(
  unit.map((at) => ({kind: 'truncate', at}) as const),
  fc.uint8Array({maxLength: 3000}).map((bytes) => ({kind: 'bytes', bytes}) as const),
  fc.array(fc.record({pos: unit, byte: fc.nat(255)}), {minLength: 1, maxLength: 20}).map((at) => ({kind: 'flip', at}) as const),
)
const jsonMutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc
    .record({path: fc.nat(), value: fc.oneof(fc.jsonValue({maxDepth: 2}), cellValue)})
    .map(({path, value}) => ({kind: 'json', path, value}) as const),
)
const workbookMutation: fc.Arbitrary<Mutation> = fc
  .record({rows: fc.array(fc.array(cellValue, {maxLength: 24}), {maxLength: 12}), keepHeader: fc.boolean()})
  .map(({rows, keepHeader}) => ({kind: 'workbook', rows, keepHeader}) as const)

function mutationsFor(seed: Seed): fc.Arbitrary<Mutation[]> {
  const one =
    seed.kind === 'csv'
      ? fc.oneof({arbitrary: textMutation, weight: 5}, {arbitrary: byteMutation, weight: 1})
      : seed.kind === 'json'
        ? fc.oneof({arbitrary: jsonMutation, weight: 4}, {arbitrary: textMutation, weight: 1}, {arbitrary: byteMutation, weight: 1})
        : fc.oneof({arbitrary: workbookMutation, weight: 3}, {arbitrary: byteMutation, weight: 2})
  return fc.array(one, {minLength: 1, maxLength: 2})
}

function splitCsvLine(line: string, d: string): string[] {
  return line.split(d)
}

function jsonPaths(v: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = [], depth = 0): (string | number)[][] {
  out.push(prefix)
  if (depth > 5 || v === null || typeof v !== 'object') return out
  for (const [k, child] of Array.isArray(v) ? v.entries() : Object.entries(v)) jsonPaths(child, [...prefix, k], out, depth + 1)
  return out
}

async function apply(seed: Seed, bytes: Buffer, m: Mutation): Promise<Buffer> {
  const text = (): string => bytes.toString('utf8')
  switch (m.kind) {
    case 'truncate':
      return bytes.subarray(0, Math.floor(bytes.length * m.at))
    case 'bytes':
      return Buffer.from(m.bytes)
    case 'flip': {
      const b = Buffer.from(bytes)
      for (const {pos, byte} of m.at) if (b.length > 0) b[Math.min(b.length - 1, Math.floor(pos * b.length))] = byte
      return b
    }
    case 'delimiter':
      return Buffer.from(text().replace(/,/g, m.to))
    case 'quotes': {
      let t = text()
      for (const at of m.at) {
        const i = Math.floor(at * t.length)
        t = `${t.slice(0, i)}"${t.slice(i)}`
      }
      return Buffer.from(t)
    }
    case 'cells': {
      const lines = text().split('\n')
      for (const e of m.edits) {
        // one edit in ten hits the header; the others land in the data rows
        const r = e.row % 10 === 0 || lines.length < 2 ? 0 : 1 + (e.row % (lines.length - 1))
        const cells = splitCsvLine(lines[r] ?? '', ',')
        const c = e.col % Math.max(1, cells.length + 1)
        cells[c] = e.quote ? `"${e.value.replace(/"/g, '""')}"` : e.value
        lines[r] = cells.join(',')
      }
      return Buffer.from(lines.join('\n'))
    }
    case 'dropHeader':
      return Buffer.from(text().split('\n').slice(1).join('\n'))
    case 'dropColumn': {
      const lines = text().split('\n')
      return Buffer.from(
        lines
          .map((l) => {
            const cells = l.split(',')
            cells.splice(m.col % Math.max(1, cells.length), 1)
            return cells.join(',')
          })
          .join('\n'),
      )
    }
    case 'shuffleHeader': {
      const lines = text().split('\n')
      const h = (lines[0] ?? '').split(',')
      const k = h.length > 0 ? m.by % h.length : 0
      lines[0] = [...h.slice(k), ...h.slice(0, k)].join(',')
      return Buffer.from(lines.join('\n'))
    }
    case 'encoding': {
      const t = text()
      if (m.to === 'bom') return Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(t)])
      const le = Buffer.from(t, 'utf16le')
      return m.to === 'utf16le'
        ? Buffer.concat([Buffer.from([0xff, 0xfe]), le])
        : Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from(le).swap16()])
    }
    case 'lines': {
      const lines = text().split('\n')
      return Buffer.from([lines[0] ?? '', ...m.pick.map((i) => lines[i % Math.max(1, lines.length)] ?? '')].join('\n'))
    }
    case 'json': {
      let doc: unknown
      try {
        doc = JSON.parse(text())
      } catch {
        return bytes
      }
      const paths = jsonPaths(doc)
      const path = paths[m.path % paths.length]!
      if (path.length === 0) return Buffer.from(JSON.stringify(m.value) ?? 'null')
      let parent = doc as Record<string | number, unknown>
      for (const k of path.slice(0, -1)) parent = parent[k] as Record<string | number, unknown>
      parent[path.at(-1)!] = m.value
      return Buffer.from(JSON.stringify(doc) ?? 'null')
    }
    case 'workbook': {
      const sheets = (seed.sheets ?? [{name: 'Sheet1', rows: []}]).map((s) => ({
        name: s.name,
        rows: [...(m.keepHeader && s.rows[0] ? [s.rows[0]] : []), ...m.rows],
      }))
      return workbook(sheets)
    }
  }
}

// ---------------------------------------------------------------------------------------------

/** An import of these few-KiB files that takes longer than this is hung, and fails the property. */
const HANG_MS = 15_000

class Hung extends Error {}

async function withTimeout<T>(p: Promise<T>, ms: number, label: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hung(`${label}: the import did not finish within ${ms} ms`)), ms)
  })
  try {
    return await Promise.race([p, timeout])
  } finally {
    clearTimeout(timer)
  }
}

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir('mp-props-')
})
afterAll(() => tmp.cleanup())

const GENERIC_MAPS: (Record<string, string> | undefined)[] = [
  undefined,
  {hostname: 'Name', vcpus: 'CPU count', memory_mib: 'RAM (MB)', ips: 'IP Address'},
  {hostname: 'Server', vcpus: 'vCPU', memory_gib: 'Memory (GB)'},
  {hostname: 'Nope'},
  {bogus: 'Name'},
  {'tag:x': 'Name', external_id: 'Name'},
]

describe('every importer survives random and mangled input', () => {
  it('the registry has seeds for its formats (new formats still get every other seed)', async () => {
    for (const i of IMPORTERS) expect((await seedsFor(i.format)).length, i.format).toBeGreaterThan(0)
  })

  it('every unmangled seed imports with its format', async () => {
    for (const importer of IMPORTERS) {
      const seeds = await seedsFor(importer.format)
      const ws = Workspace.open(join(tmp.dir, `ws-clean-${importer.format}`), {create: true})
      try {
        for (const [i, seed] of seeds.entries()) {
          const dir = join(tmp.dir, `clean-${importer.format}-${i}`)
          mkdirSync(dir, {recursive: true})
          for (const [name, content] of Object.entries(seed.files)) writeFileSync(join(dir, name), content)
          const opts: ImportRunOptions = {cwd: tmp.dir, format: importer.format}
          const r = await importPaths(ws, [seed.folder ? dir : join(dir, seed.target)], opts)
          expect(
            r.units.map((u) => u.format),
            seed.label,
          ).toContain(importer.format)
        }
      } finally {
        ws.close()
      }
    }
  })

  for (const importer of IMPORTERS) {
    it(`${importer.format}: succeeds or fails with a UserInputError/ConfigError, and a failure changes nothing`, async () => {
      let seeds = await seedsFor(importer.format)
      if (seeds.length === 0) seeds = (await Promise.all(IMPORTERS.map((i) => seedsFor(i.format)))).flat()
      const wsDir = join(tmp.dir, `ws-${importer.format}`)
      let ws = Workspace.open(wsDir, {create: true})
      let n = 0
      const outcomes = {ok: 0, failed: 0}
      const codes = new Map<string, number>()
      try {
        const prop = fc.asyncProperty(
          fc.nat(seeds.length - 1).chain((s) =>
            fc.record({
              seed: fc.constant(s),
              mutations: mutationsFor(seeds[s]!),
              forced: fc.boolean(),
              map: fc.oneof({weight: 3, arbitrary: fc.constant(undefined)}, {weight: 3, arbitrary: fc.constantFrom(...GENERIC_MAPS)}),
            }),
          ),
          async ({seed: si, mutations, forced, map}) => {
            const seed = seeds[si]!
            const dir = join(tmp.dir, `${importer.format}-${n++}`)
            mkdirSync(dir, {recursive: true})
            try {
              let target = seed.files[seed.target]!
              for (const m of mutations) target = await apply(seed, target, m)
              for (const [name, content] of Object.entries(seed.files))
                writeFileSync(join(dir, name), name === seed.target ? target : content)
              const before = {sources: ws.sources().length, servers: ws.serverCount(), connections: ws.connectionCount()}
              const opts: ImportRunOptions = {
                cwd: tmp.dir,
                ...(forced || importer.format === 'generic-csv' ? {format: importer.format} : {}),
                ...(importer.format === 'generic-csv' && map ? {map} : {}),
              }
              try {
                await withTimeout(importPaths(ws, [seed.folder ? dir : join(dir, seed.target)], opts), HANG_MS, seed.label)
                outcomes.ok++
              } catch (error) {
                if (error instanceof Hung) {
                  // The hung import still holds its transaction: go on (shrinking) with a new workspace.
                  ws = Workspace.open(join(tmp.dir, `ws-${importer.format}-${n}`), {create: true})
                  throw error
                }
                outcomes.failed++
                if (process.env.PROPERTY_DEBUG === '2')
                  console.log(importer.format, JSON.stringify(mutations).slice(0, 200), '\n   =>', (error as Error).message.slice(0, 300))
                if (process.env.PROPERTY_DEBUG)
                  codes.set((error as UserInputError).code, (codes.get((error as UserInputError).code) ?? 0) + 1)
                if (!(error instanceof UserInputError || error instanceof ConfigError)) {
                  throw new Error(`${seed.label}: ${(error as Error)?.constructor?.name}: ${(error as Error)?.stack ?? String(error)}`)
                }
                expect(error.message.length).toBeGreaterThan(0)
                expect({sources: ws.sources().length, servers: ws.serverCount(), connections: ws.connectionCount()}).toEqual(before)
              }
            } finally {
              rmSync(dir, {recursive: true, force: true})
            }
          },
        )
        await fc.assert(prop, {numRuns: RUNS, seed: SEED})
      } finally {
        ws.close()
      }
      if (process.env.PROPERTY_DEBUG) console.log(importer.format, outcomes, Object.fromEntries(codes))
      // The mangling reached the error paths (the success path is proven by the unmangled seeds below).
      expect(outcomes.failed, JSON.stringify(outcomes)).toBeGreaterThan(0)
    }, 240_000)
  }
})
