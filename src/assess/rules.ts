/**
 * The rule set: the built-in rules (src/assess/rules/*.json, one concern per file, read in file
 * order) and the user's `--rules FILE` (YAML or JSON) on top: a rule with a new id is added, a rule
 * with an existing id replaces it, `{id, disabled: true}` switches one off. Every rule is validated,
 * including the fact paths it reads, so a typo is an error with the file and the rule, not a rule
 * that silently never fires.
 */
import {createHash} from 'node:crypto'
import {readdirSync, readFileSync} from 'node:fs'

import {parse as parseYaml} from 'yaml'
import {z} from 'zod'

import {UserInputError} from '../errors.js'
import {assessSettingsSchema} from '../model/settings.js'
import {factPaths, ruleSchema, type Rule} from './engine.js'
import {isKnownFact} from './facts.js'
import {serverUsageSchema} from './usage.js'

export interface RuleFile {
  readonly concern: string
  readonly description: string
  readonly rules: readonly Rule[]
}

const ruleFileSchema = z.object({concern: z.string().min(1), description: z.string().min(1), rules: z.array(ruleSchema)}).strict()

const userEntry = z.union([z.object({id: z.string().min(1), disabled: z.literal(true)}).strict(), ruleSchema])
const userFileSchema = z.object({rules: z.array(userEntry).min(1)}).strict()
type UserEntry = z.infer<typeof userEntry>

const SETTING_KEYS = new Set(Object.keys(assessSettingsSchema.shape))
const USAGE_KEYS = new Set(Object.keys(serverUsageSchema.shape))

/** Throws when a rule reads an unknown fact or setting. */
export function checkFacts(rule: Rule, where: {file: string; index: number}): void {
  const paths = factPaths(rule.when)
  for (const m of JSON.stringify(rule.when).matchAll(/"setting":"([^"]+)"/g)) paths.add(`settings.${m[1]}`)
  for (const p of paths) {
    const ok = p.startsWith('settings.')
      ? SETTING_KEYS.has(p.slice(9))
      : p.startsWith('usage.')
        ? USAGE_KEYS.has(p.slice(6))
        : isKnownFact(p)
    if (!ok) {
      throw new UserInputError(
        'RULE_UNKNOWN_FACT',
        `rule ${JSON.stringify(rule.id)} reads ${JSON.stringify(p)}, which is not a known fact or setting`,
        {
          location: {file: where.file, column: `rules[${where.index}]`},
          hint: 'Known facts are listed in docs/rules.md; settings are the keys of `assess` in migrate-plan.yaml.',
        },
      )
    }
  }
}

let builtin: {files: RuleFile[]; rules: Rule[]; version: string} | undefined

/** The built-in rules, read once from the package. */
export function builtinRules(): {readonly files: readonly RuleFile[]; readonly rules: readonly Rule[]; readonly version: string} {
  if (!builtin) {
    const dir = new URL('./rules/', import.meta.url)
    const names = readdirSync(dir)
      .filter((n) => n.endsWith('.json'))
      .sort()
    const hash = createHash('sha256')
    const files: RuleFile[] = []
    for (const name of names) {
      const text = readFileSync(new URL(name, dir), 'utf8')
      hash.update(name).update(text)
      const parsed = ruleFileSchema.safeParse(JSON.parse(text))
      if (!parsed.success)
        throw new Error(`built-in rule file ${name}: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`)
      parsed.data.rules.forEach((r, index) => checkFacts(r as Rule, {file: name, index}))
      files.push(parsed.data as RuleFile)
    }
    const rules = files.flatMap((f) => f.rules)
    const ids = new Set<string>()
    for (const r of rules) {
      if (ids.has(r.id)) throw new Error(`built-in rule id ${r.id} is used twice`)
      ids.add(r.id)
    }
    builtin = {files, rules, version: `builtin-${hash.digest('hex').slice(0, 12)}`}
  }
  return builtin
}

/** Parses a user rules file (YAML or JSON); errors name the file and the rule. */
export function parseUserRules(text: string, file: string): UserEntry[] {
  let data: unknown
  try {
    data = parseYaml(text)
  } catch (error) {
    throw new UserInputError('RULES_NOT_YAML', `cannot read the rules file: ${(error as Error).message}`, {location: {file}, cause: error})
  }
  const r = userFileSchema.safeParse(data)
  if (!r.success) {
    const issue = r.error.issues[0]!
    throw new UserInputError('RULES_INVALID', issue.message, {
      location: {file, column: issue.path.join('.') || '(top level)'},
      hint: 'A rules file is `rules: [...]`; each rule has id, stage, description, when, then (see docs/rules.md), or is `{id, disabled: true}`.',
    })
  }
  r.data.rules.forEach((entry, index) => {
    if (!('disabled' in entry && entry.disabled === true && !('stage' in entry))) checkFacts(entry as Rule, {file, index})
  })
  return r.data.rules
}

/** Built-in rules with the user's entries applied, in a stable order (built-ins first, new rules after). */
export function mergeRules(base: readonly Rule[], user: readonly UserEntry[], file: string): Rule[] {
  const out = base.map((r) => r)
  const index = new Map(out.map((r, i) => [r.id, i]))
  user.forEach((entry, i) => {
    const at = index.get(entry.id)
    if ('stage' in entry) {
      if (at === undefined) {
        index.set(entry.id, out.length)
        out.push(entry as Rule)
      } else {
        out[at] = entry as Rule
      }
    } else if (at === undefined) {
      throw new UserInputError('RULES_UNKNOWN_ID', `cannot disable ${JSON.stringify(entry.id)}: no such rule`, {
        location: {file, column: `rules[${i}]`},
        hint: 'Rule ids are listed in docs/rules.md.',
      })
    } else {
      out[at] = {...out[at]!, disabled: true}
    }
  })
  return out
}
