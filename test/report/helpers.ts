/**
 * Workspaces for the report and export tests, built with the real importers, assess() and wave
 * planning (no hand-made documents): the Acme example and a small estate whose every name tries to
 * inject into HTML, JSON-in-HTML, handlebars or a spreadsheet.
 */
import {copyFileSync, mkdirSync} from 'node:fs'
import {join} from 'node:path'

import {assess} from '../../src/assess/assess.js'
import {workspaceCatalog} from '../../src/catalog/store.js'
import {importPaths} from '../../src/importers/run.js'
import type {FormatId} from '../../src/importers/types.js'
import {buildPlan} from '../../src/plan/plan.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT} from '../helpers/cli.js'

export const ACME = join(ROOT, 'examples/acme')
export const HOSTILE = join(ROOT, 'test/report/fixtures/hostile')
export const AS_OF = '2026-03-01'

export interface BuildOptions {
  readonly settings: string
  readonly inputs: readonly {readonly path: string; readonly format?: FormatId}[]
  /** Stop after the assessment (no wave plan). */
  readonly noPlan?: boolean
}

/** Import, assess and plan into a new workspace in `dir`; returns it open. */
export async function buildWorkspace(dir: string, options: BuildOptions): Promise<Workspace> {
  mkdirSync(dir, {recursive: true})
  copyFileSync(options.settings, join(dir, 'migrate-plan.yaml'))
  const ws = Workspace.open(dir, {create: true})
  for (const input of options.inputs) await importPaths(ws, [input.path], input.format ? {format: input.format} : {})
  const assessment = assess({
    servers: ws.servers(),
    connections: ws.aggregatedConnections(),
    catalog: workspaceCatalog(ws),
    settings: ws.settings.assess,
    asOf: AS_OF,
  })
  ws.saveDocument('assessment', assessment)
  if (!options.noPlan) {
    const plan = buildPlan({
      servers: ws.planningServers(),
      connections: ws.connectionRows(),
      waves: ws.settings.waves,
      onPremisesCidrs: ws.settings.organisation.onPremisesCidrs ?? [],
      assessment,
    })
    ws.saveDocument('plan', plan)
  }
  return ws
}

export const acmeWorkspace = (dir: string): Promise<Workspace> =>
  buildWorkspace(dir, {settings: join(ACME, 'migrate-plan.yaml'), inputs: [{path: ACME}]})

export const hostileWorkspace = (dir: string, noPlan = false): Promise<Workspace> =>
  buildWorkspace(dir, {
    settings: join(HOSTILE, 'migrate-plan.yaml'),
    inputs: [{path: join(HOSTILE, 'servers.csv'), format: 'generic-csv'}, {path: join(HOSTILE, 'connections.csv')}],
    noPlan,
  })

/** Names in the hostile estate, as the inventory holds them. */
export const HOSTILE_NAMES = [
  '<script>alert(1)</script>',
  '{{constructor}}',
  '</script><script>alert(2)</script>',
  '=HYPERLINK("http://x")',
  '-42',
]
