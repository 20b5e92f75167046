/**
 * The AWS Migration Evaluator server inventory template: the 16 columns `Server Name` … `Storage
 * Type`, as a CSV or as the "Template" sheet of the xlsx workbook (docs/formats.md#migration-evaluator).
 *
 * The utilisation columns say "(%)" but the template's own example and the scripts that fill it
 * write fractions (0.60 for 60%, as an Excel percent-formatted cell stores it). A file is read in
 * two streaming passes: the first finds, per utilisation column, whether any value is above 1
 * (then the column holds percents) or not (then fractions); the second maps the rows.
 */
import {UserInputError} from '../errors.js'
import type {ServerFacts} from '../model/server.js'
import {osFamilyOf} from './agent.js'
import {LIMITS, readCapacity, readNumber} from './cells.js'
import {readCsv} from './csv.js'
import {Header, isBlankRow, parseNumberCell, type Cell, type TableVisitor} from './table.js'
import type {FileProbe, ImportSink, ImportUnit, Importer} from './types.js'
import {tidy} from './units.js'
import {dropEmpty, labelKinds, metric, nameFacts, parseVirtual, sqlServerFromEdition} from './values.js'
import {readXlsx} from './xlsx.js'

/** The template's columns; alternatives are spellings seen in tools that write it. */
const COLUMNS = {
  name: ['Server Name'],
  cores: ['CPU Cores'],
  memory: ['Memory (MB)'],
  storage: ['Provisioned Storage (GB)'],
  os: ['Operating System'],
  virtual: ['Is Virtual?', 'Is Virtual (Yes/No)', 'Is Virtual'],
  hypervisor: ['Hypervisor Name'],
  cpuString: ['Cpu String'],
  environment: ['Environment'],
  sqlEdition: ['SQL Edition'],
  application: ['Application'],
  cpuPeak: ['Cpu Utilization Peak (%)', 'CPU Util Peak (%)'],
  memoryPeak: ['Memory Utilization Peak (%)', 'Memory Util Peak (%)'],
  timeInUse: ['Time In-Use (%)'],
  annualCost: ['Annual Cost (USD)'],
  storageType: ['Storage Type'],
  usedStorage: ['Used Storage (GB)'],
} as const satisfies Record<string, readonly string[]>

type Column = keyof typeof COLUMNS
const SHARE_COLUMNS = ['cpuPeak', 'memoryPeak', 'timeInUse'] as const
type ShareColumn = (typeof SHARE_COLUMNS)[number]

const SHEET = 'template'

function isTemplateSheet(name: string): boolean {
  return name.trim().toLowerCase() === SHEET
}

function looksLikeTemplate(p: FileProbe): boolean {
  if (p.type === 'xlsx') return (p.sheets ?? []).some(isTemplateSheet)
  if (p.type !== 'csv' || !p.header) return false
  const h = new Header(p.header, {file: p.path})
  // Server Name and two more of the template's own columns: a file missing a required column is
  // still recognised, so that reading it can say which one is missing.
  const own: Column[] = ['cores', 'memory', 'storage', 'virtual', 'sqlEdition', 'cpuPeak', 'memoryPeak', 'timeInUse', 'annualCost']
  return h.has(...COLUMNS.name) && own.filter((k) => h.has(...COLUMNS[k])).length >= 2
}

/** Streams the server rows of the unit (CSV, or the Template sheet of a workbook) through a visitor. */
async function readRows(unit: ImportUnit, visitor: TableVisitor): Promise<void> {
  const probe = unit.probes[0]!
  if (probe.type === 'csv') return readCsv(probe, visitor, {sheet: 'Template'})
  let seen = false
  await readXlsx(probe.path, (sheet, header) => {
    if (!isTemplateSheet(sheet)) return undefined
    seen = true
    return visitor(sheet, header)
  })
  if (!seen) {
    throw new UserInputError('ME_NO_TEMPLATE_SHEET', 'the workbook has no "Template" sheet with a header row', {
      location: {file: unit.display},
      hint: 'The Migration Evaluator inventory goes on the sheet named "Template"; its first row holds the column names.',
    })
  }
}

function header(unit: ImportUnit, sheet: string, names: readonly string[]): Header {
  const probe = unit.probes[0]!
  return new Header(names, {file: unit.display, ...(probe.type === 'xlsx' ? {sheet} : {})}, probe.delimiter === ';')
}

/** `60%` (text with a percent sign) is a percentage whatever the column's scale. */
function percentText(cell: Cell): string | undefined {
  return typeof cell === 'string' && /%\s*$/.test(cell) ? cell.replace(/%\s*$/, '') : undefined
}

/** First pass: does each utilisation column hold fractions (all ≤ 1) or percents (some > 1)? */
async function scanScales(unit: ImportUnit): Promise<Record<ShareColumn, 'fraction' | 'percent'>> {
  const maxima: Record<ShareColumn, number> = {cpuPeak: 0, memoryPeak: 0, timeInUse: 0}
  await readRows(unit, (sheet, names) => {
    const h = header(unit, sheet, names)
    const cols = SHARE_COLUMNS.map((k) => [k, h.col(...COLUMNS[k])] as const).filter(([, c]) => c >= 0)
    return (cells) => {
      for (const [k, c] of cols) {
        const cell = cells[c]
        if (percentText(cell) !== undefined) continue
        const n = parseNumberCell(cell, h.decimalComma)
        if (n !== undefined && Number.isFinite(n) && n > maxima[k]) maxima[k] = n
      }
    }
  })
  return {
    cpuPeak: maxima.cpuPeak > 1 ? 'percent' : 'fraction',
    memoryPeak: maxima.memoryPeak > 1 ? 'percent' : 'fraction',
    timeInUse: maxima.timeInUse > 1 ? 'percent' : 'fraction',
  }
}

function readShare(h: Header, cells: readonly Cell[], col: number, row: number, scale: 'fraction' | 'percent'): number | undefined {
  if (col < 0) return undefined
  const text = percentText(cells[col])
  if (text !== undefined) {
    const copy = [...cells]
    copy[col] = text
    return readNumber(h, copy, col, row, {min: 0, max: 100})
  }
  const n = readNumber(h, cells, col, row, {min: 0, max: 100})
  if (n === undefined) return undefined
  return tidy(scale === 'fraction' ? n * 100 : n)
}

export const migrationEvaluatorImporter: Importer = {
  format: 'migration-evaluator',
  label: 'a Migration Evaluator inventory template (Server Name, CPU Cores, Memory (MB), …; CSV or the xlsx "Template" sheet)',
  kind: 'reported',
  detect: (unit) => unit.probes.length === 1 && looksLikeTemplate(unit.probes[0]!),
  async read(unit, sink) {
    const probe = unit.probes[0]!
    if (probe.type === 'xlsx') {
      const others = (probe.sheets ?? []).filter((s) => !isTemplateSheet(s) && /storage/i.test(s))
      if (others.length > 0) {
        sink.note({code: 'ME_SHEETS_SKIPPED', message: `storage sheets are not imported (only servers are): ${others.join(', ')}`})
      }
    }
    const scales = await scanScales(unit)
    let rows = 0
    let shareHeaders: string[] = []
    await readRows(unit, (sheet, names) => {
      const h = header(unit, sheet, names)
      let c: Record<'name' | 'cores' | 'memory', number>
      try {
        c = h.require({name: COLUMNS.name, cores: COLUMNS.cores, memory: COLUMNS.memory})
      } catch (error) {
        if (!(error instanceof UserInputError)) throw error
        throw new UserInputError(error.code, error.message.replace(/^.*?: (missing required)/, '$1'), {
          location: error.location!,
          hint: `${error.hint ?? ''} If this is not a Migration Evaluator template, import it with --format generic-csv.`.trim(),
        })
      }
      const col = Object.fromEntries((Object.keys(COLUMNS) as Column[]).map((k) => [k, h.col(...COLUMNS[k])])) as Record<Column, number>
      shareHeaders = SHARE_COLUMNS.filter((k) => col[k] >= 0 && scales[k] === 'fraction').map((k) => names[col[k]]!)
      return (cells: readonly Cell[], row: number) => {
        if (isBlankRow(cells)) return
        emitRow(h, c.name, col, cells, row, sheet, probe.type === 'xlsx', scales, sink)
        if ((++rows & 0xfff) === 0) sink.progress(rows)
      }
    })
    if (shareHeaders.length > 0) {
      sink.note({
        code: 'ME_UTILISATION_FRACTIONS',
        message: `read as fractions of 1 (0.6 = 60%), as the template's example writes them, since no value is above 1: ${shareHeaders.join(', ')}`,
      })
    }
    return {}
  },
}

function emitRow(
  h: Header,
  nameCol: number,
  col: Record<Column, number>,
  cells: readonly Cell[],
  row: number,
  sheet: string,
  xlsx: boolean,
  scales: Record<ShareColumn, 'fraction' | 'percent'>,
  sink: ImportSink,
): void {
  const str = (k: Column): string | undefined => h.str(cells, col[k])
  const name = h.str(cells, nameCol)
  if (!name) {
    throw new UserInputError('ME_NO_SERVER_NAME', 'the row has no Server Name', {
      location: h.at(row, nameCol),
      hint: 'Server Name is required on every row of the Template sheet; delete rows that are not servers.',
    })
  }
  const isVirtual = parseVirtual(str('virtual'))
  const cores = readCapacity(h, cells, col.cores, row, LIMITS.count)
  const osName = str('os')
  const software = sqlServerFromEdition(str('sqlEdition'), 'declared in column "SQL Edition"')
  const timeInUse = readShare(h, cells, col.timeInUse, row, scales.timeInUse)
  const application = str('application')
  const tags: Record<string, string> = {}
  if (timeInUse !== undefined) tags['Time In-Use (%)'] = String(timeInUse)
  const storageType = str('storageType')
  if (storageType) tags['Storage Type'] = storageType
  const facts: ServerFacts = dropEmpty({
    ...nameFacts(name),
    // A VM's "cores" are its vCPUs; a physical server's are its physical cores (threads unknown).
    ...(isVirtual === false ? {cpuCores: cores} : {vcpus: cores}),
    memoryMib: readCapacity(h, cells, col.memory, row, LIMITS.memoryMib),
    storageProvisionedGib: readCapacity(h, cells, col.storage, row, LIMITS.storageGib),
    storageUsedGib: readNumber(h, cells, col.usedStorage, row, {min: 0, max: LIMITS.storageGib}),
    osName,
    osFamily: osName ? osFamilyOf(undefined, osName) : undefined,
    isVirtual,
    hostSystem: str('hypervisor'),
    cpuModel: str('cpuString'),
    environment: str('environment'),
    applications: application ? [application] : [],
    software: software ? [software] : [],
    cpuUtilisation: metric({max: readShare(h, cells, col.cpuPeak, row, scales.cpuPeak)}),
    memoryUtilisation: metric({max: readShare(h, cells, col.memoryPeak, row, scales.memoryPeak)}),
    annualCostUsd: readNumber(h, cells, col.annualCost, row, {min: 0, max: LIMITS.usd}),
    tags,
  })
  const kinds = labelKinds(facts)
  sink.server({ref: xlsx ? `${sheet}!${row}` : `row ${row}`, facts, ...(kinds ? {kinds} : {})})
}
