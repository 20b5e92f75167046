/**
 * RVTools exports: the xlsx workbook users actually have, or its tabs saved as CSVs (`vInfo.csv`,
 * `RVTools_tabvInfo.csv` …) in one folder, imported together as one source. vInfo gives one
 * server per VM; vCPU, vMemory, vDisk, vPartition, vNetwork and vHost add to it. Everything in it
 * is allocation and configuration as vCenter declares it ('declared'); its point-in-time usage
 * columns are not a utilisation history and are not read as one. See docs/formats.md#rvtools.
 */
import {basename, dirname} from 'node:path'

import {UserInputError} from '../errors.js'
import {readCsv} from './csv.js'
import {RvToolsCollector} from './rvtools-collect.js'
import {RV_TABS, VM_DETAIL_TABS, tabOfCsv, tabOfFileName, tabOfSheet, type RvTab} from './rvtools-tabs.js'
import type {FileProbe, Importer, ImportUnit} from './types.js'
import {readXlsx} from './xlsx.js'

/**
 * Per-tab CSVs of one export: files in one folder whose names share a prefix (`vInfo.csv`,
 * `vCPU.csv` / `RVTools_tabvInfo.csv` …). A CSV recognised by its header alone joins the only
 * named export in its folder, or stands alone when it is a vInfo. Only groups with a vInfo are claimed.
 */
export function groupRvToolsCsvs(probes: readonly FileProbe[]): FileProbe[][] {
  const groups = new Map<string, Map<RvTab, FileProbe>>()
  const loose: {probe: FileProbe; tab: RvTab; folder: string}[] = []
  for (const probe of [...probes].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0))) {
    const tab = tabOfCsv(probe)
    if (!tab) continue
    const folder = dirname(probe.path)
    const named = tabOfFileName(probe.path)
    if (named?.tab !== tab) {
      loose.push({probe, tab, folder})
      continue
    }
    const key = `${folder}\0${named.prefix}`
    const group = groups.get(key) ?? new Map<RvTab, FileProbe>()
    groups.set(key, group)
    if (!group.has(tab)) group.set(tab, probe)
  }
  const namedKeys = [...groups.keys()]
  for (const {probe, tab, folder} of loose) {
    const inFolder = namedKeys.filter((k) => k.startsWith(`${folder}\0`))
    const only = inFolder.length === 1 ? groups.get(inFolder[0]!)! : undefined
    if (only && !only.has(tab)) only.set(tab, probe)
    else if (tab === 'vInfo') groups.set(`${folder}\0\0${probe.path}`, new Map([['vInfo', probe]]))
  }
  return [...groups.entries()]
    .filter(([, g]) => g.has('vInfo'))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, g]) => [...g.values()].sort((a, b) => (a.path < b.path ? -1 : 1)))
}

function isWorkbook(unit: ImportUnit): boolean {
  return unit.probes.length === 1 && unit.probes[0]!.type === 'xlsx'
}

const TAB_ORDER: ReadonlyMap<RvTab, number> = new Map(RV_TABS.map((t, i) => [t, i]))
const DETAIL_TABS: ReadonlySet<RvTab> = new Set(VM_DETAIL_TABS)

export const rvtoolsImporter: Importer = {
  format: 'rvtools',
  label: 'an RVTools export (xlsx with a vInfo sheet, or per-tab CSVs with vInfo)',
  kind: 'declared',
  group: groupRvToolsCsvs,
  detect(unit) {
    if (isWorkbook(unit)) return (unit.probes[0]!.sheets ?? []).some((s) => tabOfSheet(s) === 'vInfo')
    return unit.probes.every((p) => p.type === 'csv') && unit.probes.some((p) => tabOfCsv(p) === 'vInfo')
  },
  async read(unit, sink) {
    const collector = new RvToolsCollector(sink)
    if (isWorkbook(unit)) {
      const file = unit.probes[0]!.path
      const listed = new Set(unit.probes[0]!.sheets ?? [])
      const unnamed: string[] = []
      await readXlsx(file, (sheet, names) => {
        if (!listed.has(sheet)) unnamed.push(sheet)
        return collector.table(tabOfSheet(sheet), names, {file: unit.display, sheet})
      })
      if (!collector.saw('vInfo')) {
        // The directory lists vInfo, but the streaming reader delivered no header row under that name:
        // an empty sheet (RVTools always writes a header), or a part order the reader mishandles. Refuse
        // rather than import nothing.
        throw new UserInputError(
          'RVTOOLS_VINFO_UNREAD',
          unnamed.length > 0
            ? `the vInfo sheet could not be read: the workbook's sheets came without their names (${unnamed.slice(0, 5).join(', ')})`
            : 'the vInfo sheet could not be read: it has no header row',
          {
            location: {file: unit.display, sheet: 'vInfo'},
            hint: 'Open the workbook in Excel and save it again as "Excel Workbook (.xlsx)", or export its tabs as CSV files into one folder.',
          },
        )
      }
    } else {
      // vInfo first, so that its errors come before those of the other tabs; but with no per-VM tab
      // to join to its rows, vInfo last (after vHost, vMetaData, vSource), each VM emitted as read.
      const tabs = unit.probes
        .map((probe) => ({probe, tab: tabOfCsv(probe)}))
        .filter((t): t is {probe: FileProbe; tab: RvTab} => t.tab !== undefined)
        .sort((a, b) => TAB_ORDER.get(a.tab)! - TAB_ORDER.get(b.tab)!)
      if (tabs[0]?.tab === 'vInfo' && !tabs.some((t) => DETAIL_TABS.has(t.tab))) {
        tabs.push(tabs.shift()!)
        collector.streamVms()
      }
      for (const {probe, tab} of tabs) {
        const name = basename(probe.path)
        const file = unit.display === name || unit.display.endsWith(`/${name}`) ? unit.display : `${unit.display}/${name}`
        await readCsv(probe, (_sheet, names) => collector.table(tab, names, {file, decimalComma: probe.delimiter === ';'}))
      }
    }
    return collector.finish()
  },
}
