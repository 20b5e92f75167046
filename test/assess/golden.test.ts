/**
 * Golden files: test/golden/assess-<case>/input.json (servers, connections, settings, usage, asOf)
 * → assessment.json (the whole document) and summary.txt (the printed summary).
 * `UPDATE_GOLDEN=1 npx vitest run test/assess/golden.test.ts` rewrites them; review the diff.
 */
import {existsSync, readFileSync, readdirSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {assess} from '../../src/assess/assess.js'
import {renderSummary} from '../../src/assess/render.js'
import {parseUsage} from '../../src/assess/usage.js'
import {loadCatalog} from '../../src/catalog/catalog.js'
import type {AggregatedConnection} from '../../src/model/connection.js'
import type {Server} from '../../src/model/server.js'
import {assessSettingsSchema} from '../../src/model/settings.js'
import {ROOT} from '../helpers/cli.js'

const GOLDEN = join(ROOT, 'test/golden')
const cases = readdirSync(GOLDEN)
  .filter((d) => d.startsWith('assess-'))
  .sort()

interface Input {
  readonly asOf: string
  readonly settings: Record<string, unknown>
  readonly usage?: string
  readonly servers: Server[]
  readonly connections: AggregatedConnection[]
}

function check(file: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(file)) writeFileSync(file, actual)
  expect(actual).toBe(readFileSync(file, 'utf8'))
}

describe('assess golden files', () => {
  it('has cases', () => expect(cases.length).toBeGreaterThanOrEqual(2))
  for (const c of cases) {
    it(c, () => {
      const dir = join(GOLDEN, c)
      const input = JSON.parse(readFileSync(join(dir, 'input.json'), 'utf8')) as Input
      const doc = assess({
        servers: input.servers,
        connections: input.connections,
        catalog: loadCatalog(),
        settings: assessSettingsSchema.parse(input.settings),
        asOf: input.asOf,
        ...(input.usage ? {usage: parseUsage(input.usage, `${c}/input.json#usage`)} : {}),
      })
      check(join(dir, 'assessment.json'), `${JSON.stringify(doc, null, 2)}\n`)
      check(join(dir, 'summary.txt'), `${renderSummary(doc)}\n`)
    })
  }
})
