/** The text `migrate-plan plan` prints: where everything is, what was skipped and why. Pure. */
import {join} from 'node:path'

import type {PipelineResult} from '../pipeline.js'

const LABEL: Readonly<Record<string, string>> = {
  workspace: 'workspace',
  'landing-zone': 'landing zone',
  cloudformation: 'CloudFormation',
  runbooks: 'runbooks',
  report: 'report',
  export: 'exports (CSV, XLSX, JSON)',
}

export function renderRunSummary(r: PipelineResult): string {
  const lines: string[] = [
    `${r.servers.toLocaleString('en-US')} servers, ${r.connectionRecords.toLocaleString('en-US')} connection records, ${r.waves} waves (settings: ${r.settingsFrom})`,
    '',
  ]
  const width = Math.max(...r.outputs.map((o) => LABEL[o.name]!.length))
  for (const o of r.outputs) {
    const where = o.name === 'workspace' ? r.workspace : join(r.out, o.path)
    const what =
      o.status === 'skipped'
        ? `skipped: ${o.reason ?? ''}`
        : o.name === 'workspace' || o.name === 'report'
          ? where
          : `${where}  (${o.files.length} files${o.removed.length ? `, ${o.removed.length} stale removed` : ''})`
    lines.push(`${LABEL[o.name]!.padEnd(width)}  ${what}`)
  }
  if (r.problems.length > 0) {
    lines.push('', 'Finished with problems:')
    // One line per distinct problem, naming every output it stopped.
    const seen = new Map<string, {outputs: string[]; message: string; hint?: string}>()
    for (const p of r.problems) {
      const key = `${p.code}\0${p.message}`
      const entry = seen.get(key) ?? {outputs: [], message: p.message, ...(p.hint ? {hint: p.hint} : {})}
      if (p.output) entry.outputs.push(p.output)
      seen.set(key, entry)
    }
    for (const e of seen.values())
      lines.push(`  ${e.outputs.length ? `${e.outputs.join(', ')}: ` : ''}${e.message}${e.hint ? `\n    ${e.hint}` : ''}`)
  }
  return lines.join('\n')
}
