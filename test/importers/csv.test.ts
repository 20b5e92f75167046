import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {afterEach, beforeEach, describe, expect, it} from 'vitest'

import {UserInputError} from '../../src/errors.js'
import {readCsv} from '../../src/importers/csv.js'
import {probeFile} from '../../src/importers/probe.js'
import {Header, excelSerialToIso, parseDateCell, parseNumberCell, type Cell} from '../../src/importers/table.js'
import {tempDir} from '../helpers/cli.js'

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir()
})
afterEach(() => tmp.cleanup())

async function readAll(name: string, content: Buffer | string): Promise<{header: readonly string[]; rows: [readonly Cell[], number][]}> {
  const file = join(tmp.dir, name)
  writeFileSync(file, content)
  const probe = await probeFile(file)
  const out = {header: [] as readonly string[], rows: [] as [readonly Cell[], number][]}
  await readCsv(probe, (_sheet, header) => {
    out.header = header
    return (cells, row) => out.rows.push([cells, row])
  })
  return out
}

describe('readCsv', () => {
  it('reads UTF-8 with a BOM, CRLF and quoted newlines; rows numbered as a spreadsheet shows them', async () => {
    const r = await readAll('a.csv', '\uFEFFname,notes\r\nweb01,"two\r\nlines"\r\ndb01,x\r\n')
    expect(r.header).toEqual(['name', 'notes'])
    expect(r.rows).toEqual([
      [['web01', 'two\r\nlines'], 2],
      [['db01', 'x'], 3],
    ])
  })

  it('reads semicolon-delimited exports from European Excel', async () => {
    const r = await readAll('b.csv', 'name;memory\nweb01;1,5\n')
    expect(r.rows[0]![0]).toEqual(['web01', '1,5'])
    const probe = await probeFile(join(tmp.dir, 'b.csv'))
    expect(probe.delimiter).toBe(';')
  })

  it.each([
    ['utf16le', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('name\tvcpus\r\nwéb01\t4\r\n', 'utf16le')])],
    ['utf16be', Buffer.concat([Buffer.from([0xfe, 0xff]), Buffer.from('name\tvcpus\r\nwéb01\t4\r\n', 'utf16le').swap16()])],
  ])('reads %s (Excel "Unicode text")', async (_enc, bytes) => {
    const r = await readAll('c.txt', bytes)
    expect(r.header).toEqual(['name', 'vcpus'])
    expect(r.rows[0]![0]).toEqual(['wéb01', '4'])
  })

  it('keeps short rows', async () => {
    const r = await readAll('d.csv', 'a,b,c\n1\n')
    expect(r.rows[0]![0]).toEqual(['1'])
  })

  it('an unbalanced quote is one clear error with the file and row', async () => {
    const err = await readAll('e.csv', 'name,notes\nweb01,ok\ndb01,"broken\nweb02,x\n').catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UserInputError)
    expect((err as UserInputError).message).toMatch(/e\.csv, row 3: malformed CSV/)
    expect((err as UserInputError).hint).toMatch(/quote/)
  })

  it('an error thrown by the row handler stops the read unchanged', async () => {
    const file = join(tmp.dir, 'f.csv')
    writeFileSync(file, 'a\n1\n2\n3\n')
    const seen: number[] = []
    const err = await readCsv(await probeFile(file), () => (_cells, row) => {
      seen.push(row)
      if (row === 3) throw new UserInputError('X', 'stop')
    }).catch((e: unknown) => e)
    expect((err as Error).message).toBe('stop')
    expect(seen).toEqual([2, 3])
  })
})

describe('cells', () => {
  it.each([
    ['1024', false, 1024],
    ['1,024', false, 1024],
    ['1,5', true, 1.5],
    ['1.024,5', true, 1024.5],
    [' 7 ', false, 7],
    ['', false, undefined],
    ['n/a', false, Number.NaN],
  ])('parseNumberCell(%j, decimalComma=%s) = %s', (raw, dc, want) => expect(parseNumberCell(raw, dc)).toEqual(want))

  it('converts Excel serial dates', () => {
    expect(excelSerialToIso(45714.5372106481)).toBe('2025-02-26T12:53:35Z')
  })

  it('a negative size names the cell', () => {
    const h = new Header(['VM', 'Memory'], {file: 'x.csv', sheet: 'vInfo'})
    expect(() => h.num(['vm1', '-5'], 1, 7, {min: 0})).toThrow('x.csv, sheet "vInfo", row 7, column "Memory": -5 is below the minimum of 0')
  })

  it('missing required columns are listed together', () => {
    const h = new Header(['VM', 'CPUs'], {file: 'x.csv'})
    expect(() => h.require({vm: ['VM'], mem: ['Memory'], disk: ['Provisioned MiB', 'Provisioned MB']})).toThrow(
      'missing required columns: Memory; Provisioned MiB (or Provisioned MB)',
    )
  })

  it('header lookup ignores case and the trailing space of "Free % "', () => {
    const h = new Header(['VM', 'Free % '], {})
    expect(h.col('free %')).toBe(1)
  })
})

describe('dates', () => {
  it.each([
    ['2025-03-04 10:15:00', '2025-03-04T10:15:00Z'],
    ['2025-03-04T10:15', '2025-03-04T10:15:00Z'],
    ['2025-03-04', '2025-03-04T00:00:00Z'],
    ['3/4/2025 10:15 AM', '2025-03-04T10:15:00Z'],
    ['2025-03-04T10:15:00+02:00', '2025-03-04T08:15:00Z'],
    ['45714.5372106481', '2025-02-26T12:53:35Z'],
    ['not a date', undefined],
  ])('%j is read as UTC unless it names a zone → %s', (raw, want) => {
    expect(parseDateCell(raw)).toBe(want)
  })
})

describe('canonical UTC timestamps (the fast path) read exactly as the general path reads them', () => {
  /** What parseDateCell returned for a zoned text before the fast path: Date.parse and back. */
  const general = (s: string): string | undefined => {
    const t = Date.parse(s)
    return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace('.000Z', 'Z')
  }
  it.each([
    '2026-01-08T03:41:24Z',
    '2024-02-29T23:59:59Z',
    '2000-02-29T00:00:00Z',
    '1999-12-31T23:59:59Z',
    '2026-12-31T00:00:00Z',
    // not real instants: the general path decides, and it does not echo them
    '2026-02-29T00:00:00Z',
    '1900-02-29T00:00:00Z',
    '2026-02-30T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-13-01T00:00:00Z',
    '2026-00-10T00:00:00Z',
    '2026-01-00T00:00:00Z',
    '2026-01-01T24:00:00Z',
    '2026-01-01T23:60:00Z',
    '2026-01-01T23:59:60Z',
    '2026-01-0aT00:00:00Z',
    '2026/01/01T00:00:00Z',
  ])('%s', (s) => {
    expect(parseDateCell(s)).toBe(general(s))
  })

  it('every second of a leap year and of a common year near the month ends', () => {
    for (const year of [2023, 2024, 2100]) {
      for (let month = 1; month <= 12; month++) {
        for (let day = 27; day <= 32; day++) {
          const s = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}T12:34:56Z`
          expect(parseDateCell(s), s).toBe(general(s))
        }
      }
    }
  })
})
