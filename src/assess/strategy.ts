/**
 * From facts to a verdict: run the fit rules (scores for EC2, Lambda, Fargate), add the scores to
 * the facts, run the strategy rules (the highest-priority one that fires decides strategy and
 * target), then the finding rules. Pure; the rule tables in test/assess test exactly this.
 */
import type {Finding, FiredRule, FitScore, LambdaEstimate, Severity, Strategy, TargetService} from '../model/assessment.js'
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
export class Interner {
  private readonly fired = new Map<string, Map<string, FiredRule>>()
  private readonly findings = new Map<string, Finding>()
  private readonly fits = new Map<string, FitScore>()
  private readonly strings = new Map<string, string>()

  firedRule(fired: FiredRule): FiredRule {
    const r: FiredRule =
      fired.facts && Object.keys(fired.facts).length === 0
        ? {id: fired.id, stage: fired.stage, ...(fired.decided === undefined ? {} : {decided: fired.decided}), message: fired.message}
        : fired
    // Per rule (and decided flag), keyed by the message and the facts' values.
    const outer = r.decided ? `${r.id}\u0001` : r.id
    let byRule = this.fired.get(outer)
    if (!byRule) this.fired.set(outer, (byRule = new Map()))
    let key = r.message
    for (const k in r.facts) {
      const v = r.facts[k]
      key += Array.isArray(v) ? `\u0000${k}=[${v.join('\u0001')}]` : `\u0000${k}=${typeof v}:${String(v)}`
    }
    let x = byRule.get(key)
    if (!x) byRule.set(key, (x = Object.freeze(r)))
    return x
  }

  finding(f: Finding): Finding {
    const key = `${f.id}\u0000${f.severity}\u0000${f.rule}\u0000${f.message}`
    let x = this.findings.get(key)
    if (!x) this.findings.set(key, (x = Object.freeze(f)))
    return x
  }

  fit(f: FitScore): FitScore {
    const key = `${f.score}\u0000${f.blocked}\u0000${f.reasons.join('\u0000')}`
    let x = this.fits.get(key)
    if (!x) this.fits.set(key, (x = Object.freeze(f)))
    return x
  }

  private readonly lambdaInputs = new Map<string, LambdaEstimate['inputs']>()

  inputs(requests: string, duration: string, memory: string): LambdaEstimate['inputs'] {
    const key = `${requests}\u0000${duration}\u0000${memory}`
    let x = this.lambdaInputs.get(key)
    if (!x) this.lambdaInputs.set(key, (x = Object.freeze({requests, duration, memory})))
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
  for (const f of ruleSet.evaluate('fit', facts, settings)) {
    fired.push(intern.firedRule({id: f.rule.id, stage: 'fit', message: f.message, facts: f.facts}))
    for (const w of fitWeights(f.rule)) {
      const slot = acc[w.target]
      if (w.weight === 'block') slot.blocked = true
      else slot.sum += w.weight
      slot.reasons.push(w.reason)
    }
  }
  const score = (x: {sum: number; blocked: boolean; reasons: string[]}): FitScore =>
    intern.fit({score: x.blocked ? 0 : r2(Math.min(1, Math.max(0, x.sum))), blocked: x.blocked, reasons: x.reasons})
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

  const firings = ruleSet
    .evaluate('strategy', facts, settings)
    .map((f, order) => ({f, order}))
    .sort((a, b) => (b.f.rule.priority ?? 0) - (a.f.rule.priority ?? 0) || a.order - b.order)
    .map((x) => x.f)
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
    fired.push(intern.firedRule({id: f.rule.id, stage: 'strategy', decided: f === decided, message: f.message, facts: f.facts}))
  }

  const findings: Finding[] = []
  for (const f of ruleSet.evaluate('finding', facts, settings)) {
    fired.push(intern.firedRule({id: f.rule.id, stage: 'finding', message: f.message, facts: f.facts}))
    findings.push(
      intern.finding({
        id: f.rule.then.finding?.id ?? f.rule.id,
        severity: f.rule.then.finding!.severity,
        message: f.message,
        rule: f.rule.id,
      }),
    )
  }
  return {
    fits,
    strategy,
    target,
    ...(detail ? {detail} : {}),
    ...(via ? {via} : {}),
    rationale: decided ? decided.message : 'no strategy rule fired: rehost by default',
    findings,
    fired,
  }
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
}
