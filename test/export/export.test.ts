import {readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {PassThrough} from 'node:stream'

import {parse} from 'csv-parse/sync'
import ExcelJS from 'exceljs'
import fc from 'fast-check'
import {afterAll, beforeAll, describe, expect, it, vi} from 'vitest'
import yauzl from 'yauzl'

import {readXlsx} from '../../src/importers/xlsx.js'
import type {Cell} from '../../src/importers/table.js'
import type {Assessment} from '../../src/model/assessment.js'
import type {Plan} from '../../src/model/plan.js'
import {loadReportDocuments} from '../../src/pipeline.js'
import {csvContent, csvField, renderCsv} from '../../src/report/csv.js'
import type {ReportDocuments} from '../../src/report/documents.js'
import {documentJson, documentJsonContent, exportFiles} from '../../src/report/export.js'
import {exportTables, type CellValue, type ExportTable} from '../../src/report/tables.js'
import {renderXlsx, setZipTimestamps} from '../../src/report/xlsx.js'
import {contentBytes, writeFiles} from '../../src/util/output.js'
import type {Workspace} from '../../src/workspace/workspace.js'
import {tempDir} from '../helpers/cli.js'
import {HOSTILE_NAMES, hostileWorkspace} from '../report/helpers.js'

const FORMULA = /^[=+\-@\t\r]/

let tmp: ReturnType<typeof tempDir>
let ws: Workspace
let docs: ReportDocuments

beforeAll(async () => {
  tmp = tempDir('mp-export-')
  ws = await hostileWorkspace(join(tmp.dir, 'ws'))
  docs = loadReportDocuments(ws)
})
afterAll(() => {
  ws.close()
  tmp.cleanup()
})

describe('CSV cells', () => {
  it.each<[CellValue, string]>([
    ['plain', 'plain'],
    ['=1+1', "'=1+1"],
    ['+1', "'+1"],
    ['-42', "'-42"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\tx', "'\tx"],
    ['\rx', `"'\rx"`],
    ['=HYPERLINK("http://x")', `"'=HYPERLINK(""http://x"")"`],
    ['a,b', '"a,b"'],
    ['line\nbreak', '"line\nbreak"'],
    ['say "hi"', '"say ""hi"""'],
    [' =1', ' =1'],
    [-42, '-42'],
    [-0.5, '-0.5'],
    [1234.56, '1234.56'],
    [Number.NaN, ''],
    [true, 'true'],
    [false, 'false'],
    [undefined, ''],
    ['', ''],
  ])('%j → %j', (value, expected) => {
    expect(csvField(value)).toBe(expected)
  })

  it('reads back as the values (text neutralised, numbers kept), whatever the text', () => {
    const cell = fc.oneof(
      fc.string({unit: 'grapheme', maxLength: 12}),
      fc.constantFrom('=1+1', '-3', '+', '@', '\t', '\r\n', '"', ',', "'", "=cmd|' /C calc'!A0"),
      fc.double({noNaN: true, noDefaultInfinity: true}),
      fc.integer({min: -1e9, max: 1e9}),
      fc.boolean(),
      fc.constant(undefined),
    )
    fc.assert(
      fc.property(fc.array(fc.array(cell, {minLength: 3, maxLength: 3}), {maxLength: 8}), (rows) => {
        const t: ExportTable = {
          name: 't',
          columns: ['a', 'b', 'c'].map((name) => ({name, type: 'string' as const, description: ''})),
          rows,
        }
        const text = renderCsv(t)
        // What the export writes: the same text, made as it is written.
        expect(contentBytes(csvContent(t)).toString('utf8')).toBe(text)
        expect(text.endsWith('\r\n')).toBe(true)
        const back = parse(text, {relaxColumnCount: false}) as string[][]
        expect(back[0]).toEqual(['a', 'b', 'c'])
        expect(back.length).toBe(rows.length + 1)
        rows.forEach((row, r) =>
          row.forEach((v, c) => {
            const got = back[r + 1]![c]!
            if (v === undefined) expect(got).toBe('')
            else if (typeof v === 'number') {
              expect(Number(got)).toBe(v === 0 ? 0 : v) // -0 prints as 0
              expect(got.startsWith("'")).toBe(false)
            } else if (typeof v === 'boolean') expect(got).toBe(String(v))
            else {
              expect(got).toBe(FORMULA.test(v) ? `'${v}` : v)
              expect(FORMULA.test(got)).toBe(false)
            }
          }),
        )
      }),
      {numRuns: 300},
    )
  })
})

describe('export tables from the documents', () => {
  it('servers.csv holds every server with its recommendation and costs as the Assessment has them', () => {
    const {assessment} = docs
    const csv = renderCsv(exportTables(docs).find((t) => t.name === 'servers')!)
    const rows = parse(csv, {columns: true}) as Record<string, string>[]
    expect(rows).toHaveLength(assessment.servers.length)
    const byId = new Map(assessment.servers.map((s) => [s.serverId, s]))
    const money = (n: number | undefined): string => (n === undefined ? '' : String(Math.round(n * 100) / 100))
    for (const row of rows) {
      const a = byId.get(row.server_id!)!
      expect(row.name).toBe(FORMULA.test(a.name) ? `'${a.name}` : a.name)
      expect(row.strategy).toBe(a.strategy)
      expect(row.target).toBe(a.target.service)
      expect(row.target_instance_type).toBe(a.target.instanceType ?? '')
      expect(row.monthly_usd_on_demand).toBe(money(a.targetMonthlyUsd['on-demand']))
      expect(row.monthly_usd_reserved_3yr).toBe(money(a.targetMonthlyUsd['reserved-3yr']))
      expect(row.findings).toBe(String(a.findings.length))
      expect(row.on_premises_3yr_usd).toBe(money(a.tco?.onPremises3yrUsd))
    }
    // Every hostile name is there, neutralised where a spreadsheet would run it.
    expect(rows.map((r) => r.name)).toEqual(expect.arrayContaining(["'-42", '\'=HYPERLINK("http://x")', '<script>alert(1)</script>']))
    expect(rows.every((r) => Object.values(r).every((v) => !FORMULA.test(v) || /^-\d/.test(v)))).toBe(true)
  })

  it('a negative number is written as a number, while the text "-42" is neutralised', () => {
    const rows = parse(renderCsv(exportTables(docs).find((t) => t.name === 'servers')!), {columns: true}) as Record<string, string>[]
    const negative = rows.filter((r) => r.savings_3yr_usd_on_demand!.startsWith('-'))
    expect(negative.length, 'the hostile estate has a Windows server that costs more on AWS').toBeGreaterThan(0)
    for (const r of negative) expect(Number(r.savings_3yr_usd_on_demand)).toBeLessThan(0)
    expect(rows.find((r) => r.server_id && r.name === "'-42")).toBeDefined()
  })

  it('waves, groups, dependencies and shared services follow the Plan', () => {
    const plan = docs.plan!
    const tables = Object.fromEntries(
      exportTables(docs).map((t) => [t.name, parse(renderCsv(t), {columns: true}) as Record<string, string>[]]),
    )
    expect(tables.waves!.map((w) => Number(w.wave))).toEqual(plan.waves.map((w) => w.number))
    expect(tables.waves!.map((w) => Number(w.servers))).toEqual(plan.waves.map((w) => w.servers))
    expect(tables.groups!.map((g) => g.group_id)).toEqual(plan.groups.map((g) => g.id))
    const links = plan.groups.flatMap((g) =>
      g.links.filter((l) => l.direction === 'out').map((l) => `${g.id}>${l.group}:${l.observations}`),
    )
    expect(tables.dependencies!.map((d) => `${d.client_group_id}>${d.server_group_id}:${d.observations}`)).toEqual(links)
    expect(tables.shared_services!.map((s) => s.name)).toEqual(plan.sharedServices.map((s) => s.name))
    const findings = docs.assessment.servers.reduce((n, s) => n + s.findings.length, 0)
    expect(tables.findings).toHaveLength(findings)
  })
})

async function readWorkbook(path: string): Promise<Map<string, Cell[][]>> {
  const sheets = new Map<string, Cell[][]>()
  await readXlsx(path, (sheet, header) => {
    const rows: Cell[][] = [[...header]]
    sheets.set(sheet, rows)
    return (cells) => rows.push([...cells])
  })
  return sheets
}

function zipEntry(path: string, name: string): Promise<string> {
  return new Promise((resolve, reject) => {
    yauzl.open(path, {lazyEntries: true}, (err, zip) => {
      if (err) return reject(err)
      zip.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.replace(/^\//, '') !== name) return zip.readEntry()
        zip.openReadStream(e, (err2, stream) => {
          if (err2) return reject(err2)
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            zip.close()
            resolve(Buffer.concat(chunks).toString('utf8'))
          })
        })
      })
      zip.on('end', () => reject(new Error(`${name} not in ${path}`)))
      zip.readEntry()
    })
  })
}

/** The workbook as ExcelJS writes it with every row (renderXlsx before it wrote the rows itself): the reference. */
async function excelJsWorkbook(tables: readonly ExportTable[], date: Date): Promise<Buffer> {
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const done = new Promise((resolve) => out.on('end', resolve))
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({stream: out, useStyles: true, useSharedStrings: false})
  wb.created = date
  wb.modified = date
  wb.creator = 'migrate-plan'
  wb.lastModifiedBy = 'migrate-plan'
  for (const t of tables) {
    const sheet = wb.addWorksheet(t.name, {views: [{state: 'frozen', xSplit: 0, ySplit: 1}]})
    sheet.columns = t.columns.map((c, i) => {
      let w = c.name.length
      for (const row of t.rows.slice(0, 200)) if (row[i] !== undefined) w = Math.max(w, String(row[i]).length)
      return {width: Math.min(60, Math.max(8, w + 2))}
    })
    if (t.columns.length > 0) sheet.autoFilter = {from: {row: 1, column: 1}, to: {row: 1, column: t.columns.length}}
    const header = sheet.addRow(t.columns.map((c) => c.name))
    header.font = {bold: true}
    header.commit()
    for (const row of t.rows) sheet.addRow(row.map((v) => (typeof v === 'number' && !Number.isFinite(v) ? undefined : v))).commit()
    await new Promise<void>((resolve) => {
      ;(sheet as unknown as {stream: NodeJS.EventEmitter}).stream.once('zipped', () => resolve())
      sheet.commit()
    })
  }
  await wb.commit()
  await done
  return setZipTimestamps(Buffer.concat(chunks), date)
}

describe('XLSX', () => {
  it('is the same bytes as ExcelJS writing every row, for the export tables and for any text, number and boolean', async () => {
    const date = new Date('2026-03-01T00:00:00Z')
    const tables = exportTables(docs)
    expect(Buffer.compare(await renderXlsx(tables, {date}), await excelJsWorkbook(tables, date))).toBe(0)
    const text = fc.oneof(
      fc.string(),
      fc.string({unit: 'binary'}),
      fc.string({
        unit: fc.constantFrom(
          '<',
          '>',
          '&',
          "'",
          '"',
          '\t',
          '\n',
          '\r',
          '\u0000',
          '\u0008',
          '\u000b',
          '\u001f',
          '\u007f',
          'é',
          '😀',
          ' ',
          'a',
        ),
      }),
    )
    const cell = fc.oneof(
      text,
      fc.double(),
      fc.integer(),
      fc.constantFrom(0, -0, 1e21, 1e-7, -1.5, Number.MAX_VALUE, Number.NaN, Number.POSITIVE_INFINITY),
      fc.boolean(),
      fc.constant(undefined),
    )
    const table = fc.integer({min: 0, max: 30}).chain((width) =>
      fc.record({
        name: fc.constantFrom('servers', 'waves', 'x'),
        columns: fc.constant(Array.from({length: width}, (_, i) => ({name: `c${i}`, type: 'string' as const, description: ''}))),
        rows: fc.array(fc.array(cell, {minLength: width, maxLength: width}), {maxLength: 12}),
      }),
    )
    await fc.assert(
      fc.asyncProperty(fc.array(table, {minLength: 1, maxLength: 3}), async (ts) => {
        const named = ts.map((t, i) => ({...t, name: `${t.name}${i}`}))
        expect(Buffer.compare(await renderXlsx(named, {date}), await excelJsWorkbook(named, date))).toBe(0)
      }),
      {numRuns: 60, seed: 20261130},
    )
  })

  it('has one sheet per table with typed cells equal to the table values, read back with the project reader', async () => {
    const tables = exportTables(docs)
    const path = join(tmp.dir, 'book.xlsx')
    writeFileSync(path, await renderXlsx(tables, {date: new Date('2026-03-01T00:00:00Z')}))
    const book = await readWorkbook(path)
    expect([...book.keys()]).toEqual(tables.filter((t) => t.rows.length > 0).map((t) => t.name))
    for (const t of tables.filter((x) => x.rows.length > 0)) {
      const rows = book.get(t.name)!
      expect(rows[0]).toEqual(t.columns.map((c) => c.name))
      t.rows.forEach((row, r) => {
        const got = rows[r + 1]!
        row.forEach((v, c) => {
          expect(got[c], `${t.name} row ${r + 2} ${t.columns[c]!.name}`).toStrictEqual(v)
        })
      })
    }
    // Text that looks like a formula is text, not a formula: no <f> element anywhere.
    const sheet1 = await zipEntry(path, 'xl/worksheets/sheet1.xml')
    expect(sheet1).not.toMatch(/<f>/)
    expect(sheet1).toMatch(/<pane [^>]*ySplit="1"[^>]*state="frozen"/)
    expect(sheet1).toMatch(/<autoFilter ref="A1:/)
  })

  it('is byte-identical whenever it is written, and records the given date only', async () => {
    const tables = exportTables(docs)
    const date = new Date('2026-03-01T00:00:00Z')
    vi.useFakeTimers({toFake: ['Date']})
    try {
      vi.setSystemTime(new Date('2030-05-05T10:00:00Z'))
      const a = await renderXlsx(tables, {date})
      vi.setSystemTime(new Date('2031-06-06T11:11:11Z'))
      const b = await renderXlsx(tables, {date})
      expect(Buffer.compare(a, b)).toBe(0)
      const c = await renderXlsx(tables, {date: new Date('2027-01-01T00:00:00Z')})
      expect(Buffer.compare(a, c)).not.toBe(0)
    } finally {
      vi.useRealTimers()
    }
    const path = join(tmp.dir, 'dated.xlsx')
    writeFileSync(path, await renderXlsx(tables, {date}))
    expect(await zipEntry(path, 'docProps/core.xml')).toMatch(/<dcterms:created [^>]*>2026-03-01T00:00:00Z<\/dcterms:created>/)
  })
})

describe('JSON', () => {
  it('is the stored documents, value for value', async () => {
    const {files} = await exportFiles(docs, 'json')
    expect(Object.keys(files).sort()).toEqual(['assessment.json', 'plan.json'])
    const text = (k: string): string => contentBytes(files[k]!).toString('utf8')
    expect(JSON.parse(text('assessment.json'))).toStrictEqual(ws.loadDocument<Assessment>('assessment'))
    expect(JSON.parse(text('plan.json'))).toStrictEqual(ws.loadDocument<Plan>('plan'))
    expect(JSON.parse(Buffer.from(documentJson({a: [], b: [1, {c: '</script>'}], d: {e: null}})).toString())).toStrictEqual({
      a: [],
      b: [1, {c: '</script>'}],
      d: {e: null},
    })
  })

  it('is written piece by piece as it is made: the same bytes, also for items larger than a piece', async () => {
    const big = {schemaVersion: 'x', items: [{a: 'é'.repeat(3 << 20)}, 1, 'x'.repeat(5 << 20), null], tail: {b: [1, 2]}}
    const {files} = await exportFiles(docs, 'json')
    const dir = join(tmp.dir, 'json-pieces')
    const w = writeFiles(dir, {...files, 'big.json': documentJsonContent(big)})
    for (const name of ['assessment.json', 'plan.json', 'big.json']) {
      const bytes = readFileSync(join(dir, name))
      expect(w.bytes[name]).toBe(bytes.length)
      expect(Buffer.compare(bytes, name === 'big.json' ? documentJson(big) : contentBytes(files[name]!))).toBe(0)
    }
    expect(JSON.parse(readFileSync(join(dir, 'big.json'), 'utf8'))).toStrictEqual(big)
  })

  it('without a plan, only the assessment; the tables that need a plan are empty', async () => {
    const noPlan = {...docs, plan: undefined}
    const {files} = await exportFiles(noPlan, 'json')
    expect(Object.keys(files)).toEqual(['assessment.json'])
    const csv = await exportFiles(noPlan, 'csv')
    expect(Object.keys(csv.files).sort()).toEqual(
      ['dependencies', 'findings', 'groups', 'servers', 'shared_services', 'waves'].map((t) => `${t}.csv`),
    )
    expect(contentBytes(csv.files['waves.csv']!).toString('utf8')).toBe(
      'wave,name,pilot,day_offset,start,cutover,servers,groups,group_names,environments,risk_score,risk_reasons,prerequisites\r\n',
    )
    expect(csv.summary.tables.servers).toBe(docs.assessment.servers.length)
  })
})

describe('hostile names survive every format as text', () => {
  it('appear unchanged in XLSX and JSON, and neutralised only where CSV needs it', async () => {
    const json = await exportFiles(docs, 'json')
    const names = (JSON.parse(contentBytes(json.files['assessment.json']!).toString()) as Assessment).servers.map((s) => s.name)
    expect(names).toEqual(expect.arrayContaining(HOSTILE_NAMES))
    const path = join(tmp.dir, 'hostile.xlsx')
    writeFileSync(path, contentBytes((await exportFiles(docs, 'xlsx')).files['migrate-plan.xlsx']!))
    const book = await readWorkbook(path)
    const nameCol = book.get('servers')![0]!.indexOf('name')
    expect(
      book
        .get('servers')!
        .slice(1)
        .map((r) => r[nameCol]),
    ).toEqual(expect.arrayContaining(HOSTILE_NAMES))
    const csv = contentBytes((await exportFiles(docs, 'csv')).files['servers.csv']!).toString('utf8')
    expect(readFileSync(join(tmp.dir, 'hostile.xlsx')).length).toBeGreaterThan(0)
    expect(csv).toContain('<script>alert(1)</script>')
  })
})
