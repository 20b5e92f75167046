/**
 * Reads and validates migrate-plan.yaml. A bad key or value becomes one ConfigError naming the
 * setting, its line and what is expected.
 */
import {existsSync, readFileSync} from 'node:fs'
import {isMap, isNode, isScalar, isSeq, LineCounter, parseDocument, type Node as YamlNode} from 'yaml'
import type {z} from 'zod'

import {ConfigError} from '../errors.js'
import {settingsSchema, type Settings} from '../model/settings.js'

export const SETTINGS_FILE = 'migrate-plan.yaml'

/** Defaults for every setting: what an empty migrate-plan.yaml means. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({})
}

function nodeAt(root: unknown, path: readonly PropertyKey[]): YamlNode | undefined {
  let node: unknown = root
  for (const key of path) {
    if (isMap(node)) node = node.get(String(key), true)
    else if (isSeq(node) && typeof key === 'number') node = node.get(key, true)
    else return undefined
  }
  return isNode(node) ? node : undefined
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys')
    return `unknown setting${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`
  return issue.message
}

/** Parse settings text; `file` is used in messages only. */
export function parseSettings(text: string, file: string): Settings {
  const lineCounter = new LineCounter()
  const doc = parseDocument(text, {lineCounter, prettyErrors: false, uniqueKeys: true})
  if (doc.errors.length > 0) {
    const err = doc.errors[0]!
    const pos = lineCounter.linePos(err.pos[0])
    throw new ConfigError('SETTINGS_YAML', `${file} line ${pos.line}: not valid YAML: ${err.message.split('\n')[0]}`, {
      hint: 'Check the indentation and quoting around that line.',
    })
  }
  const raw: unknown = doc.toJS() ?? {}
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw new ConfigError('SETTINGS_SHAPE', `${file}: expected a mapping of settings at the top level`, {
      hint: 'See docs/settings.md for the layout.',
    })
  }
  const result = settingsSchema.safeParse(raw)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const path = issue.path.map(String)
    const setting = path.join('.')
    const node = nodeAt(doc.contents, issue.path)
    const offset = node?.range?.[0]
    const line = offset === undefined ? undefined : lineCounter.linePos(offset).line
    const value = isScalar(node) ? ` (got ${JSON.stringify(node.value)})` : ''
    const where = `${file}${line === undefined ? '' : ` line ${line}`}`
    throw new ConfigError('SETTINGS_INVALID', `${where}: ${setting ? `${setting}: ` : ''}${describeIssue(issue)}${value}`, {
      setting: setting || undefined,
      hint: 'See docs/settings.md for every setting, its type and its default.',
    })
  }
  return result.data
}

/** Load `migrate-plan.yaml` from a workspace folder; a missing file means all defaults. */
export function loadSettings(dir: string, file = SETTINGS_FILE): Settings {
  const path = `${dir}/${file}`
  if (!existsSync(path)) return defaultSettings()
  return parseSettings(readFileSync(path, 'utf8'), path)
}
