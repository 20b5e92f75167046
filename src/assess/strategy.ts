/**
 * From facts to a verdict: run the fit rules (scores for EC2, Lambda, Fargate), add the scores to
 * the facts, run the strategy rules (the highest-priority one that fires decides strategy and
 * target), then the finding rules. Pure; the rule tables in test/assess test exactly this.
 */
import type {Finding, FiredRule, FitScore, Severity, Strategy, TargetService} from '../model/assessment.js'
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

/** Runs the three stages. `facts` gains `fit` (the scores) on the way, as the strategy rules read it. */
export function decide(ruleSet: RuleSet, facts: Record<string, unknown>, settings: Facts): Decision {
  const fired: FiredRule[] = []
  const acc: Record<FitTarget, {sum: number; blocked: boolean; reasons: string[]}> = {
    ec2: {sum: INITIAL_FIT.ec2, blocked: false, reasons: []},
    lambda: {sum: INITIAL_FIT.lambda, blocked: false, reasons: []},
    fargate: {sum: INITIAL_FIT.fargate, blocked: false, reasons: []},
  }
  for (const f of ruleSet.evaluate('fit', facts, settings)) {
    fired.push({id: f.rule.id, stage: 'fit', message: f.message, facts: f.facts})
    for (const [target, w] of Object.entries(f.rule.then.fit ?? {}) as [FitTarget, number | 'block'][]) {
      const slot = acc[target]
      if (w === 'block') {
        slot.blocked = true
        slot.reasons.push(`blocked by ${f.rule.id}: ${f.message}`)
      } else {
        slot.sum += w
        slot.reasons.push(`${w >= 0 ? '+' : ''}${w} ${f.rule.id}: ${f.message}`)
      }
    }
  }
  const score = (x: {sum: number; blocked: boolean; reasons: string[]}): FitScore => ({
    score: x.blocked ? 0 : r2(Math.min(1, Math.max(0, x.sum))),
    blocked: x.blocked,
    reasons: x.reasons,
  })
  const fits = {ec2: score(acc.ec2), lambda: score(acc.lambda), fargate: score(acc.fargate)}
  facts.fit = {ec2: fits.ec2.score, lambda: fits.lambda.score, fargate: fits.fargate.score}

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
  for (const f of firings) fired.push({id: f.rule.id, stage: 'strategy', decided: f === decided, message: f.message, facts: f.facts})

  const findings: Finding[] = []
  for (const f of ruleSet.evaluate('finding', facts, settings)) {
    fired.push({id: f.rule.id, stage: 'finding', message: f.message, facts: f.facts})
    findings.push({id: f.rule.then.finding?.id ?? f.rule.id, severity: f.rule.then.finding!.severity, message: f.message, rule: f.rule.id})
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
