import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'
import {z} from 'zod'

import {settingsSchema} from '../../src/model/settings.js'

/** Every leaf setting's dotted path, walking objects (through defaults and optionals). */
function leafPaths(schema: z.ZodType, prefix: string): string[] {
  let s: z.ZodType = schema
  for (;;) {
    if (s instanceof z.ZodDefault || s instanceof z.ZodOptional) s = s.unwrap() as z.ZodType
    else break
  }
  if (s instanceof z.ZodObject) {
    return Object.entries(s.shape as Record<string, z.ZodType>).flatMap(([k, v]) => leafPaths(v, prefix ? `${prefix}.${k}` : k))
  }
  return [prefix]
}

describe('docs/settings.md', () => {
  const doc = readFileSync(join(import.meta.dirname, '../../docs/settings.md'), 'utf8')
  const documented = new Set([...doc.matchAll(/^\| `([A-Za-z0-9.]+)`\s*\|/gm)].map((m) => m[1]!))
  const paths = leafPaths(settingsSchema, '')

  it('finds the settings in the schema', () => {
    expect(paths.length).toBeGreaterThan(50)
    expect(paths).toContain('assess.onPremises.perCoreYear')
    expect(paths).toContain('waves.pilot.maxServers')
  })

  it('documents every setting of the schema, and nothing else', () => {
    expect(paths.filter((p) => !documented.has(p))).toEqual([])
    expect([...documented].filter((p) => !paths.includes(p))).toEqual([])
  })
})
