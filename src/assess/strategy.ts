/**
 * From facts to a verdict: run the fit rules (scores for EC2, Lambda, Fargate), add the scores to
 * the facts, run the strategy rules (the highest-priority one that fires decides strategy and
 * target), then the finding rules. Pure; the rule tables in test/assess test exactly this.
 */
import type {Finding, FiredRule, FitScore, LambdaEstimate, Severity, Strategy, TargetService} from '../model/assessment.js'
import type {CpuArchitecture} from '../model/catalog.js'
import {renderMessage, type Facts, type FitTarget, type Rule, type RuleSet} from './engine.js'

/** Fit scores before any rule: EC2 runs almost anything; Lambda and Fargate must earn their fit. */
export const INITIAL_FIT: Readonly<Record<FitTarget, number>> = {ec2: 1, lambda: 0, fargate: 0}

/** The target a strategy lands on when the deciding rule names none. */
export const DEFAULT_TARGET: Readonly<Record<Strategy, TargetService>> = {
  retire: 'none',
  retain: 'none',
  relocate: 'vmware-cloud-on-aws',
  rehost: 'ec2',
  repurchase: 'saas',
  replatform: 'ec2',
  refactor: 'lambda',
}

const NO_FACTS: ReadonlyMap<string, unknown> = new Map()
/** `new Map(m)` without an iterator and an entry array per item. */
function copyOf(m: ReadonlyMap<string, unknown>): Map<string, unknown> {
  const copy = new Map<string, unknown>()
  m.forEach((v, k) => copy.set(k, v))
  return copy
}

const SEVERITY_ORDER: Readonly<Record<Severity, number>> = {high: 0, medium: 1, low: 2, info: 3}

export interface Decision {
  readonly fits: Readonly<Record<FitTarget, FitScore>>
  readonly strategy: Strategy
  readonly target: TargetService
  readonly detail?: string
  readonly via?: string
  /** The deciding rule's message. */
  readonly rationale: string
  readonly findings: Finding[]
  readonly fired: FiredRule[]
}

const r2 = (n: number): number => Math.round(n * 100) / 100

/**
 * Identical evidence is shared: across a large estate most firings repeat (same rule, same facts,
 * same message), so one frozen object serves every server that produced it. This keeps a
 * 100,000-server assessment small in memory; the JSON is the same as with separate objects.
 */
/**
 * Distinct values remembered per rule or kind. Beyond it new values are not cached: evidence that is
 * unique per server (a measured CPU average in a message) gains nothing from sharing and would only
 * grow the maps.
 */
const MAX_SHARED = 2000

interface SharedNode {
  value?: object
  next?: Map<unknown, SharedNode>
}

export class Interner {
  private readonly firedPlain = new Map<Rule, Map<string, FiredRule>>()
  private readonly firedDecided = new Map<Rule, Map<string, FiredRule>>()
  private readonly firedNotDecided = new Map<Rule, Map<string, FiredRule>>()
  private readonly findings = new Map<Rule, Map<string, Finding>>()
  private readonly strings = new Map<string, string>()

  /** The fired-rule record for `rule` with this message and these facts, shared when seen before. */
  firedRule(
    rule: Rule,
    stage: FiredRule['stage'],
    decided: boolean | undefined,
    message: string,
    used: ReadonlyMap<string, unknown>,
  ): FiredRule {
    const maps = decided === undefined ? this.firedPlain : decided ? this.firedDecided : this.firedNotDecided
    let byRule = maps.get(rule)
    if (!byRule) maps.set(rule, (byRule = new Map()))
    // The message, then `\0path=[a\u0001b]` (an array) or `\0path=type:value` per fact read, joined
    // once (not added piece by piece, which builds a rope only to flatten it for the lookup). forEach,
    // not for-of: a for-of over a Map allocates an entry array per fact (~8 firings per server).
    const pieces = [message]
    used.forEach((v, k) => {
      if (Array.isArray(v)) pieces.push('\u0000', k, '=[', v.join('\u0001'), ']')
      else pieces.push('\u0000', k, '=', typeof v, ':', String(v))
    })
    const key = pieces.length === 1 ? message : pieces.join('')
    let x = byRule.get(key)
    if (!x) {
      const facts: Record<string, unknown> = {}
      used.forEach((v, k) => (facts[k] = v))
      x = Object.freeze({
        id: rule.id,
        stage,
        ...(decided === undefined ? {} : {decided}),
        message,
        ...(used.size === 0 ? {} : {facts: Object.freeze(facts)}),
      })
      if (byRule.size < MAX_SHARED) byRule.set(key, x)
    }
    return x
  }

  /** The finding a rule raises with this message, shared when seen before. */
  finding(rule: Rule, message: string): Finding {
    let byRule = this.findings.get(rule)
    if (!byRule) this.findings.set(rule, (byRule = new Map()))
    let x = byRule.get(message)
    if (!x) {
      x = Object.freeze({id: rule.then.finding?.id ?? rule.id, severity: rule.then.finding!.severity, message, rule: rule.id})
      if (byRule.size < MAX_SHARED) byRule.set(message, x)
    }
    return x
  }

  /** The fit score with these reasons, shared. */
  fit(score: number, blocked: boolean, reasons: string[]): FitScore {
    return this.shared('fit', [score, blocked, ...reasons], () => ({score, blocked, reasons}))
  }

  // Nested maps rather than one joined key: no key string is built per server. The request text often
  // counts connections (unique per server), so it is the innermost, capped level.
  private readonly lambdaInputs = new Map<string, Map<string, Map<string, LambdaEstimate['inputs']>>>()

  inputs(requests: string, duration: string, memory: string): LambdaEstimate['inputs'] {
    let byMemory = this.lambdaInputs.get(duration)
    if (!byMemory) this.lambdaInputs.set(duration, (byMemory = new Map()))
    let byRequests = byMemory.get(memory)
    if (!byRequests) byMemory.set(memory, (byRequests = new Map()))
    let x = byRequests.get(requests)
    if (!x) {
      x = Object.freeze({requests, duration, memory})
      if (byRequests.size < MAX_SHARED) byRequests.set(requests, x)
    }
    return x
  }

  private readonly architectures = {
    arm: new Map<string, {readonly allowed: readonly CpuArchitecture[]; readonly reason: string}>(),
    x86: new Map<string, {readonly allowed: readonly CpuArchitecture[]; readonly reason: string}>(),
  }

  /** The architecture choice of a server (x86_64, or x86_64 and arm64) with its reason, shared. */
  architecture(arm: boolean, reason: string): {readonly allowed: readonly CpuArchitecture[]; readonly reason: string} {
    const byReason = arm ? this.architectures.arm : this.architectures.x86
    let x = byReason.get(reason)
    if (!x) {
      x = Object.freeze({allowed: Object.freeze(arm ? ['x86_64', 'arm64'] : ['x86_64']) as CpuArchitecture[], reason})
      if (byReason.size < MAX_SHARED) byReason.set(reason, x)
    }
    return x
  }

  private readonly sharedObjects = new Map<string, {readonly root: SharedNode; size: number}>()

  /**
   * One frozen object per distinct `parts` (primitives, or objects compared by identity) within a
   * kind; `make` builds it the first time. Pass `cacheable = false` when the parts are unique to one
   * server (caching them would only cost memory).
   */
  shared<T extends object>(kind: string, parts: readonly unknown[], make: () => T, cacheable = true): T {
    if (!cacheable) return make()
    let byKind = this.sharedObjects.get(kind)
    if (!byKind) this.sharedObjects.set(kind, (byKind = {root: {}, size: 0}))
    // A trie over the parts, each a Map key (a primitive by value, an object by identity): no key
    // string is built per call.
    let node: SharedNode | undefined = byKind.root
    for (let i = 0; i < parts.length && node; i++) node = node.next?.get(parts[i])
    if (node?.value) return node.value as T
    const x = Object.freeze(make())
    if (byKind.size < MAX_SHARED) {
      let n = byKind.root
      for (const p of parts) {
        n.next ??= new Map()
        let child = n.next.get(p)
        if (!child) n.next.set(p, (child = {}))
        n = child
      }
      n.value = x
      byKind.size++
    }
    return x
  }

  string(s: string): string {
    let x = this.strings.get(s)
    if (x === undefined) this.strings.set(s, (x = s))
    return x
  }
}

interface FitWeight {
  readonly target: FitTarget
  readonly weight: number | 'block'
  readonly reason: string
}
const weights = new WeakMap<Rule, readonly FitWeight[]>()
/** A fit rule's adjustments with their reason strings, computed once per rule. */
function fitWeights(rule: Rule): readonly FitWeight[] {
  let w = weights.get(rule)
  if (!w) {
    w = (Object.entries(rule.then.fit ?? {}) as [FitTarget, number | 'block'][]).map(([target, weight]) => ({
      target,
      weight,
      reason: weight === 'block' ? `block ${rule.id}` : `${weight >= 0 ? '+' : ''}${weight} ${rule.id}`,
    }))
    weights.set(rule, w)
  }
  return w
}

/** Runs the three stages. `facts` gains `fit` (the scores) on the way, as the strategy rules read it. */
export function decide(ruleSet: RuleSet, facts: Record<string, unknown>, settings: Facts, intern: Interner = new Interner()): Decision {
  const fit = scoreFit(ruleSet, facts, settings, intern)
  return verdict(ruleSet, facts, settings, fit, intern)
}

export interface FitResult {
  readonly fits: Readonly<Record<FitTarget, FitScore>>
  readonly fired: FiredRule[]
}

/** The fit stage alone: scores for EC2, Lambda and Fargate; sets `facts.fit`. */
export function scoreFit(ruleSet: RuleSet, facts: Record<string, unknown>, settings: Facts, intern: Interner = new Interner()): FitResult {
  const fired: FiredRule[] = []
  const acc: Record<FitTarget, {sum: number; blocked: boolean; reasons: string[]}> = {
    ec2: {sum: INITIAL_FIT.ec2, blocked: false, reasons: []},
    lambda: {sum: INITIAL_FIT.lambda, blocked: false, reasons: []},
    fargate: {sum: INITIAL_FIT.fargate, blocked: false, reasons: []},
  }
  ruleSet.evaluateEach('fit', facts, settings, (rule, message, used) => {
    fired.push(intern.firedRule(rule, 'fit', undefined, message, used))
    for (const w of fitWeights(rule)) {
      const slot = acc[w.target]
      if (w.weight === 'block') slot.blocked = true
      else slot.sum += w.weight
      slot.reasons.push(w.reason)
    }
  })
  const score = (x: {sum: number; blocked: boolean; reasons: string[]}): FitScore =>
    intern.fit(x.blocked ? 0 : r2(Math.min(1, Math.max(0, x.sum))), x.blocked, x.reasons)
  const fits = {ec2: score(acc.ec2), lambda: score(acc.lambda), fargate: score(acc.fargate)}
  facts.fit = {ec2: fits.ec2.score, lambda: fits.lambda.score, fargate: fits.fargate.score}
  return {fits, fired}
}

/** The strategy and finding stages, after {@link scoreFit} (and after the cost facts are set). */
export function verdict(
  ruleSet: RuleSet,
  facts: Record<string, unknown>,
  settings: Facts,
  fit: FitResult,
  intern: Interner = new Interner(),
): Decision {
  const {fits} = fit
  const fired = [...fit.fired]

  const firings: {rule: Rule; message: string; used: ReadonlyMap<string, unknown>; order: number}[] = []
  ruleSet.evaluateEach('strategy', facts, settings, (rule, message, used) => {
    // The engine reuses `used` between rules: keep a copy (none for rehost-default, which reads no fact).
    firings.push({rule, message, used: used.size === 0 ? NO_FACTS : copyOf(used), order: firings.length})
  })
  byPriority(firings)
  const decided = firings[0]
  const strategyOf = (r: Rule | undefined): Strategy | undefined => {
    const s = r?.then.strategy
    return typeof s === 'object' ? ((facts.pin as {strategy?: Strategy} | undefined)?.strategy ?? undefined) : s
  }
  const strategy: Strategy = strategyOf(decided?.rule) ?? 'rehost'
  // A pin names only the strategy: take the target of the best rule with the same strategy, if any.
  const targetRule = decided?.rule.then.target
    ? decided.rule
    : firings.find((x) => x !== decided && strategyOf(x.rule) === strategy && x.rule.then.target)?.rule
  let target: TargetService = targetRule?.then.target ?? DEFAULT_TARGET[strategy]
  if (strategy === 'refactor' && !targetRule) target = fits.fargate.score > fits.lambda.score ? 'fargate' : 'lambda'
  const detail = targetRule?.then.detail ? renderMessage(targetRule.then.detail, facts, settings) : undefined
  const via = targetRule?.then.via ?? decided?.rule.then.via
  // The default rule fires for every server; it is evidence only when it decides.
  for (const f of firings) {
    if (f !== decided && f.rule.id === 'rehost-default') continue
    fired.push(intern.firedRule(f.rule, 'strategy', f === decided, f.message, f.used))
  }

  const findings: Finding[] = []
  ruleSet.evaluateEach('finding', facts, settings, (rule, message, used) => {
    fired.push(intern.firedRule(rule, 'finding', undefined, message, used))
    findings.push(intern.finding(rule, message))
  })
  return {
    fits,
    strategy,
    target,
    ...(detail ? {detail} : {}),
    ...(via ? {via} : {}),
    rationale: decided ? decided.message : 'no strategy rule fired: rehost by default',
    findings,
    // An exact-size copy: the list is kept per server, and pushing left spare capacity in it.
    fired: fired.slice(),
  }
}

/**
 * Sorts firings (in rule order) by priority, highest first, rule order kept among equals: what
 * `sort((a, b) => (b.rule.priority ?? 0) - (a.rule.priority ?? 0) || a.order - b.order)` does, as an
 * insertion sort (one to three firings per server; Array.prototype.sort allocates its work arrays).
 */
export function byPriority<T extends {readonly rule: Pick<Rule, 'priority'>}>(firings: T[]): T[] {
  for (let i = 1; i < firings.length; i++) {
    const x = firings[i]!
    const p = x.rule.priority ?? 0
    let j = i
    while (j > 0 && (firings[j - 1]!.rule.priority ?? 0) < p) {
      firings[j] = firings[j - 1]!
      j--
    }
    firings[j] = x
  }
  return firings
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
