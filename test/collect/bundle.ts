/** The single-file collector under test, built on demand when a plain `vitest run` runs without `npm test`. */
import {spawnSync} from 'node:child_process'
import {existsSync} from 'node:fs'
import {join} from 'node:path'

import {ROOT} from '../helpers/cli.js'

export const BUNDLE = join(ROOT, 'dist/migrate-plan-collector.cjs')

export function ensureBundle(): void {
  if (existsSync(BUNDLE)) return
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/build-collector.js')], {encoding: 'utf8'})
  if (r.status !== 0) throw new Error(`build:collector failed: ${r.stderr}`)
}
