/**
 * A small, pure, synchronous rules engine. Rules are data (src/assess/rules/*.json, and the user's
 * `--rules FILE`): a condition tree over named facts, and a verdict (strategy and target, a fit
 * adjustment, or a finding) with a message template.
 *
 * Conditions use three-valued logic: a comparison with an unknown fact is neither true nor false,
 * `all`/`any`/`not` follow Kleene's rules, and a rule fires only when its condition is true. So a
 * rule never fires on a guess: "idle" needs a known CPU and a known network figure.
 */
import {z} from 'zod'

import {STRATEGIES, TARGET_SERVICES, type Severity, type Strategy, type TargetService} from '../model/assessment.js'

export type Stage = 'fit' | 'strategy' | 'finding'

/** A value in a condition: a literal, another fact, or a setting (`assess.*`). */
export type Operand = string | number | boolean | null | readonly (string | number)[] | {readonly fact: string} | {readonly setting: string}

const OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'lessThan',
  'lessThanOrEqual',
  'greaterThan',
  'greaterThanOrEqual',
  'exists',
  'contains',
  'containsAny',
  'containsAll',
  'matches',
] as const
export type Operator = (typeof OPERATORS)[number]

export type Condition =
  | {readonly all: readonly Condition[]}
  | {readonly any: readonly Condition[]}
  | {readonly not: Condition}
  | ({readonly fact: string} & Partial<Record<Operator, Operand>>)

export type FitTarget = 'ec2' | 'lambda' | 'fargate'

export interface RuleThen {
  readonly strategy?: Strategy | {readonly fact: string}
  readonly target?: TargetService
  readonly detail?: string
  readonly via?: string
  /** Fit adjustments: a weight added to the score, or `block` (the target does not fit). */
  readonly fit?: Partial<Record<FitTarget, number | 'block'>>
  readonly finding?: {readonly id?: string; readonly severity: Severity}
  /** Message template; `{path}` is replaced by the fact (or `{settings.x}` by the setting). */
  readonly message: string
}

export interface Rule {
  readonly id: string
  readonly stage: Stage
  readonly description: string
  /** Strategy rules: the highest priority among those that fire decides. @default 0 */
  readonly priority?: number
  readonly when: Condition
  readonly then: RuleThen
  readonly disabled?: boolean
}

// --- Schema (validation of rule files) ------------------------------------------------------

const operand: z.ZodType<Operand> = z.union([
  z.string(),
  z.number(),
  z.boolean(),
  z.null(),
  z.array(z.union([z.string(), z.number()])),
  z.object({fact: z.string().min(1)}).strict(),
  z.object({setting: z.string().min(1)}).strict(),
])

const leaf = z
  .object({fact: z.string().min(1), ...Object.fromEntries(OPERATORS.map((o) => [o, operand.optional()]))})
  .strict()
  .refine((o) => OPERATORS.filter((op) => (o as Record<string, unknown>)[op] !== undefined).length === 1, {
    message: `a condition on a fact needs exactly one operator: ${OPERATORS.join(', ')}`,
  })

export const conditionSchema: z.ZodType<Condition> = z.lazy(() =>
  z.union([
    z.object({all: z.array(conditionSchema)}).strict(),
    z.object({any: z.array(conditionSchema).min(1)}).strict(),
    z.object({not: conditionSchema}).strict(),
    leaf as unknown as z.ZodType<Condition>,
  ]),
)

const fitWeight = z.union([z.number().min(-1).max(1), z.literal('block')])

export const ruleSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'a kebab-case id such as retire-idle'),
    stage: z.enum(['fit', 'strategy', 'finding']),
    description: z.string().min(1),
    priority: z.number().optional(),
    when: conditionSchema,
    then: z
      .object({
        strategy: z.union([z.enum(STRATEGIES as [Strategy, ...Strategy[]]), z.object({fact: z.string()}).strict()]).optional(),
        target: z.enum(TARGET_SERVICES as [TargetService, ...TargetService[]]).optional(),
        detail: z.string().optional(),
        via: z.string().optional(),
        fit: z.object({ec2: fitWeight.optional(), lambda: fitWeight.optional(), fargate: fitWeight.optional()}).strict().optional(),
        finding: z
          .object({id: z.string().optional(), severity: z.enum(['info', 'low', 'medium', 'high'])})
          .strict()
          .optional(),
        message: z.string().min(1),
      })
      .strict(),
    disabled: z.boolean().optional(),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.stage === 'strategy' && !r.then.strategy)
      ctx.addIssue({code: 'custom', message: 'a strategy rule needs then.strategy', path: ['then']})
    if (r.stage === 'fit' && !r.then.fit) ctx.addIssue({code: 'custom', message: 'a fit rule needs then.fit', path: ['then']})
    if (r.stage === 'finding' && !r.then.finding)
      ctx.addIssue({code: 'custom', message: 'a finding rule needs then.finding', path: ['then']})
  })

// --- Evaluation -------------------------------------------------------------------------------

/** Facts are a nested plain object; a path is dotted (`cpu.p95`, `software.names`). */
export type Facts = Readonly<Record<string, unknown>>
type Truth = boolean | undefined
/** Facts read while evaluating; undefined on the fast first pass (most rules do not fire). */
type Used = Map<string, unknown> | undefined

interface Compiled {
  readonly rule: Rule
  readonly test: (facts: Facts, settings: Facts, used: Used) => Truth
  readonly order: number
}

export interface Firing {
  readonly rule: Rule
  readonly facts: Readonly<Record<string, unknown>>
  readonly message: string
}

export interface RuleSet {
  readonly rules: readonly Rule[]
  /** Evaluate one stage's rules against the facts; returns those that fired, in rule order. */
  evaluate(stage: Stage, facts: Facts, settings: Facts): Firing[]
  /**
   * The same without intermediate objects: `visit` gets each fired rule, its message and the facts
   * its condition read (a map reused between rules: copy what you keep).
   */
  evaluateEach(
    stage: Stage,
    facts: Facts,
    settings: Facts,
    visit: (rule: Rule, message: string, used: ReadonlyMap<string, unknown>) => void,
  ): void
}

const getterCache = new Map<string, (o: Facts) => unknown>()
type Bag = Record<string, unknown> | undefined
/** A compiled accessor for a dotted path (specialised for the usual 1–3 segments). */
export function getter(path: string): (o: Facts) => unknown {
  let g = getterCache.get(path)
  if (!g) {
    const [a = '', b = '', c = ''] = path.split('.')
    const depth = path.split('.').length
    const obj = (v: unknown): Bag => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : undefined)
    if (depth === 1) g = (o) => o[a]
    else if (depth === 2) g = (o) => obj(o[a])?.[b]
    else if (depth === 3) g = (o) => obj(obj(o[a])?.[b])?.[c]
    else {
      const parts = path.split('.')
      g = (o: Facts) => {
        let v: unknown = o
        for (const p of parts) {
          if (v === null || typeof v !== 'object') return undefined
          v = (v as Record<string, unknown>)[p]
        }
        return v
      }
    }
    getterCache.set(path, g)
  }
  return g
}

function compileOperand(o: Operand | undefined): (facts: Facts, settings: Facts, used: Used) => unknown {
  if (o !== null && typeof o === 'object' && !Array.isArray(o)) {
    if ('fact' in o) {
      const get = getter(o.fact)
      const path = o.fact
      return (facts, _s, used) => {
        const v = get(facts)
        if (used && v !== undefined) used.set(path, v)
        return v
      }
    }
    const get = getter((o as {readonly setting: string}).setting)
    return (_f, settings) => get(settings)
  }
  return () => o
}

const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v)

function compare(op: Operator, a: unknown, b: unknown): Truth {
  switch (op) {
    case 'exists':
      return (a !== undefined && !(Array.isArray(a) && a.length === 0)) === (b ?? true)
    case 'equals':
      return b === undefined ? undefined : a === b
    case 'notEquals':
      return b === undefined ? undefined : a !== b
    case 'in':
      return Array.isArray(b) ? b.includes(a as never) : undefined
    case 'notIn':
      return Array.isArray(b) ? !b.includes(a as never) : undefined
    case 'lessThan':
      return isNum(a) && isNum(b) ? a < b : undefined
    case 'lessThanOrEqual':
      return isNum(a) && isNum(b) ? a <= b : undefined
    case 'greaterThan':
      return isNum(a) && isNum(b) ? a > b : undefined
    case 'greaterThanOrEqual':
      return isNum(a) && isNum(b) ? a >= b : undefined
    case 'contains':
      return Array.isArray(a) ? a.includes(b) : typeof a === 'string' && typeof b === 'string' ? a.includes(b) : undefined
    case 'containsAny':
      return Array.isArray(a) && Array.isArray(b) ? b.some((x) => a.includes(x)) : undefined
    case 'containsAll':
      return Array.isArray(a) && Array.isArray(b) ? b.every((x) => a.includes(x)) : undefined
    case 'matches':
      return typeof a === 'string' && typeof b === 'string' ? new RegExp(b, 'i').test(a) : undefined
  }
}

function compile(c: Condition): (facts: Facts, settings: Facts, used: Used) => Truth {
  if ('all' in c) {
    const parts = c.all.map(compile)
    return (f, s, u) => {
      let result: Truth = true
      for (const p of parts) {
        const r = p(f, s, u)
        if (r === false) return false
        if (r === undefined) result = undefined
      }
      return result
    }
  }
  if ('any' in c) {
    const parts = c.any.map(compile)
    return (f, s, u) => {
      let result: Truth = false
      for (const p of parts) {
        const r = p(f, s, u)
        if (r === true) return true
        if (r === undefined) result = undefined
      }
      return result
    }
  }
  if ('not' in c) {
    const inner = compile(c.not)
    return (f, s, u) => {
      const r = inner(f, s, u)
      return r === undefined ? undefined : !r
    }
  }
  const op = OPERATORS.find((o) => c[o] !== undefined) ?? 'exists'
  const get = getter(c.fact)
  const path = c.fact
  const rhs = compileOperand(c[op])
  const literal = c[op]
  // Fast paths for list operators against a literal list (the common case in rule files).
  if (Array.isArray(literal) && (op === 'in' || op === 'notIn' || op === 'containsAny')) {
    const set = new Set<unknown>(literal)
    return (f, _s, u) => {
      const a = get(f)
      if (a === undefined) return undefined
      if (u) u.set(path, a)
      if (op === 'containsAny') {
        if (!Array.isArray(a)) return undefined
        for (const x of a) if (set.has(x)) return true
        return false
      }
      return op === 'in' ? set.has(a) : !set.has(a)
    }
  }
  if (op === 'matches' && typeof literal === 'string') {
    const re = new RegExp(literal, 'i')
    return (f, _s, u) => {
      const a = get(f)
      if (a === undefined) return undefined
      if (u) u.set(path, a)
      return typeof a === 'string' ? re.test(a) : undefined
    }
  }
  return (f, s, u) => {
    const a = get(f)
    if (u && a !== undefined) u.set(path, a)
    if (op === 'exists') return compare(op, a, rhs(f, s, u))
    if (a === undefined) return undefined
    return compare(op, a, rhs(f, s, u))
  }
}

/** Every fact path a condition (or operand) reads, for validation against the known facts. */
export function factPaths(c: Condition, out: Set<string> = new Set()): Set<string> {
  if ('all' in c) for (const x of c.all) factPaths(x, out)
  else if ('any' in c) for (const x of c.any) factPaths(x, out)
  else if ('not' in c) factPaths(c.not, out)
  else {
    out.add(c.fact)
    for (const op of OPERATORS) {
      const v = c[op]
      if (v && typeof v === 'object' && !Array.isArray(v) && 'fact' in v) out.add(v.fact)
    }
  }
  return out
}

const TEMPLATE = /\{([a-zA-Z0-9_.]+)\}/g

/** Fills `{path}` from the facts (`{settings.x}` from the settings); unknown values print as `unknown`. */
export function renderMessage(template: string, facts: Facts, settings: Facts): string {
  return template.replace(TEMPLATE, (_m, path: string) => {
    const v = path.startsWith('settings.') ? getter(path.slice(9))(settings) : getter(path)(facts)
    return formatValue(v)
  })
}

export function formatValue(v: unknown): string {
  if (v === undefined || v === null) return 'unknown'
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100)
  if (Array.isArray(v)) return v.length === 0 ? 'none' : v.map(formatValue).join(', ')
  return String(v)
}

/** A message template split once into literal parts and fact paths. */
export function compileTemplate(template: string): (facts: Facts, settings: Facts) => string {
  const parts: (string | ((facts: Facts, settings: Facts) => unknown))[] = []
  let last = 0
  for (const m of template.matchAll(TEMPLATE)) {
    parts.push(template.slice(last, m.index))
    const path = m[1]!
    const get = path.startsWith('settings.') ? getter(path.slice(9)) : getter(path)
    parts.push(path.startsWith('settings.') ? (_f, s) => get(s) : (f) => get(f))
    last = m.index + m[0].length
  }
  parts.push(template.slice(last))
  // A message without placeholders is one shared string, not a new one per server.
  if (parts.length === 1) return () => template
  // Joined, not added piece by piece: messages are kept in the evidence, and a joined string is
  // flat (see util/flat.ts).
  return (facts, settings) => {
    const out = new Array<string>(parts.length)
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i]!
      out[i] = typeof p === 'string' ? p : formatValue(p(facts, settings))
    }
    return out.join('')
  }
}

export function buildRuleSet(rules: readonly Rule[]): RuleSet {
  const byStage: Record<Stage, (Compiled & {readonly message: (facts: Facts, settings: Facts) => string})[]> = {
    fit: [],
    strategy: [],
    finding: [],
  }
  rules.forEach((rule, order) => {
    if (rule.disabled) return
    byStage[rule.stage].push({rule, test: compile(rule.when), order, message: compileTemplate(rule.then.message)})
  })
  const used = new Map<string, unknown>()
  return {
    rules,
    evaluateEach(stage, facts, settings, visit) {
      for (const c of byStage[stage]) {
        if (c.test(facts, settings, undefined) !== true) continue
        // It fires: evaluate again, recording the facts it reads (same result: the facts did not change).
        used.clear()
        c.test(facts, settings, used)
        visit(c.rule, c.message(facts, settings), used)
      }
    },
    evaluate(stage, facts, settings) {
      const out: Firing[] = []
      this.evaluateEach(stage, facts, settings, (rule, message, u) => {
        const factsUsed: Record<string, unknown> = {}
        for (const [k, v] of u) factsUsed[k] = v
        out.push({rule, facts: factsUsed, message})
      })
      return out
    },
  }
}
