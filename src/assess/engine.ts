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
type Used = Map<string, unknown>

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
}

const getterCache = new Map<string, (o: Facts) => unknown>()
/** A compiled accessor for a dotted path. */
export function getter(path: string): (o: Facts) => unknown {
  let g = getterCache.get(path)
  if (!g) {
    const parts = path.split('.')
    g = (o: Facts) => {
      let v: unknown = o
      for (const p of parts) {
        if (v === null || typeof v !== 'object') return undefined
        v = (v as Record<string, unknown>)[p]
      }
      return v
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
        if (v !== undefined) used.set(path, v)
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
  if (op === 'matches' && typeof c.matches === 'string') new RegExp(c.matches, 'i') // fail early on a bad pattern
  return (f, s, u) => {
    const a = get(f)
    if (a !== undefined) u.set(path, a)
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

export function buildRuleSet(rules: readonly Rule[]): RuleSet {
  const byStage: Record<Stage, Compiled[]> = {fit: [], strategy: [], finding: []}
  rules.forEach((rule, order) => {
    if (rule.disabled) return
    byStage[rule.stage].push({rule, test: compile(rule.when), order})
  })
  return {
    rules,
    evaluate(stage, facts, settings) {
      const out: Firing[] = []
      for (const c of byStage[stage]) {
        const used: Used = new Map()
        if (c.test(facts, settings, used) !== true) continue
        const factsUsed: Record<string, unknown> = {}
        for (const [k, v] of used) factsUsed[k] = v
        out.push({rule: c.rule, facts: factsUsed, message: renderMessage(c.rule.then.message, facts, settings)})
      }
      return out
    },
  }
}
