import {readFileSync} from 'node:fs'
import {join} from 'node:path'

import {describe, expect, it} from 'vitest'

import {buildRuleSet, renderMessage, ruleSchema, type Condition, type Rule} from '../../src/assess/engine.js'
import {builtinRules, mergeRules, parseUserRules} from '../../src/assess/rules.js'
import {UserInputError} from '../../src/errors.js'
import {ROOT} from '../helpers/cli.js'

const rule = (id: string, when: Condition, extra: Partial<Rule> = {}): Rule => ({
  id,
  stage: 'finding',
  description: id,
  when,
  then: {finding: {severity: 'info'}, message: `${id} fired`},
  ...extra,
})

function fires(when: Condition, facts: Record<string, unknown>, settings: Record<string, unknown> = {}): boolean {
  return buildRuleSet([rule('r', when)]).evaluate('finding', facts, settings).length === 1
}

describe('conditions', () => {
  const table: {name: string; when: Condition; facts: Record<string, unknown>; fires: boolean}[] = [
    {name: 'lessThan true', when: {fact: 'cpu.p95', lessThan: 5}, facts: {cpu: {p95: 3}}, fires: true},
    {name: 'lessThan false', when: {fact: 'cpu.p95', lessThan: 5}, facts: {cpu: {p95: 7}}, fires: false},
    {name: 'lessThan on unknown does not fire', when: {fact: 'cpu.p95', lessThan: 5}, facts: {cpu: {}}, fires: false},
    {name: 'not of unknown is still unknown', when: {not: {fact: 'cpu.p95', lessThan: 5}}, facts: {cpu: {}}, fires: false},
    {name: 'not of false fires', when: {not: {fact: 'cpu.p95', lessThan: 5}}, facts: {cpu: {p95: 9}}, fires: true},
    {
      name: 'all with an unknown part is unknown',
      when: {
        all: [
          {fact: 'a', equals: 1},
          {fact: 'b', equals: 2},
        ],
      },
      facts: {a: 1},
      fires: false,
    },
    {
      name: 'all with a false part is false even if another is unknown',
      when: {
        not: {
          all: [
            {fact: 'a', equals: 2},
            {fact: 'b', equals: 2},
          ],
        },
      },
      facts: {a: 1},
      fires: true,
    },
    {
      name: 'any with one true part is true despite unknowns',
      when: {
        any: [
          {fact: 'a', equals: 1},
          {fact: 'b', equals: 2},
        ],
      },
      facts: {a: 1},
      fires: true,
    },
    {name: 'empty all is true', when: {all: []}, facts: {}, fires: true},
    {name: 'exists', when: {fact: 'x', exists: true}, facts: {x: 0}, fires: true},
    {name: 'exists false on missing', when: {fact: 'x', exists: false}, facts: {}, fires: true},
    {name: 'an empty list does not exist', when: {fact: 'x', exists: true}, facts: {x: []}, fires: false},
    {name: 'in', when: {fact: 'os.distro', in: ['aix', 'solaris']}, facts: {os: {distro: 'aix'}}, fires: true},
    {name: 'notIn', when: {fact: 'os.distro', notIn: ['aix']}, facts: {os: {distro: 'rhel'}}, fires: true},
    {name: 'contains on a list', when: {fact: 'ports', contains: 5432}, facts: {ports: [22, 5432]}, fires: true},
    {name: 'containsAny', when: {fact: 'sw', containsAny: ['redis', 'valkey']}, facts: {sw: ['nginx', 'valkey']}, fires: true},
    {name: 'containsAny none', when: {fact: 'sw', containsAny: ['redis']}, facts: {sw: ['nginx']}, fires: false},
    {name: 'containsAll', when: {fact: 'sw', containsAll: ['a', 'b']}, facts: {sw: ['b', 'a', 'c']}, fires: true},
    {name: 'matches (case-insensitive)', when: {fact: 'name', matches: '^web\\d+$'}, facts: {name: 'WEB01'}, fires: true},
    {name: 'compare with another fact', when: {fact: 'a', lessThan: {fact: 'b'}}, facts: {a: 1, b: 2}, fires: true},
    {name: 'compare with an unknown fact is unknown', when: {fact: 'a', lessThan: {fact: 'b'}}, facts: {a: 1}, fires: false},
    {name: 'equals on a boolean', when: {fact: 'v', equals: false}, facts: {v: false}, fires: true},
  ]
  for (const c of table) it(c.name, () => expect(fires(c.when, c.facts)).toBe(c.fires))

  it('compares with a setting', () => {
    expect(fires({fact: 'cpu.p95', lessThan: {setting: 'idleCpuPct'}}, {cpu: {p95: 4}}, {idleCpuPct: 5})).toBe(true)
    expect(fires({fact: 'cpu.p95', lessThan: {setting: 'idleCpuPct'}}, {cpu: {p95: 6}}, {idleCpuPct: 5})).toBe(false)
  })

  it('records the facts a fired rule read, not the unknown ones', () => {
    const rs = buildRuleSet([
      rule('r', {
        all: [
          {fact: 'cpu.p95', lessThan: 5},
          {
            any: [
              {fact: 'net.p95', lessThan: 1},
              {fact: 'other', equals: 1},
            ],
          },
        ],
      }),
    ])
    const [f] = rs.evaluate('finding', {cpu: {p95: 3}, net: {p95: 0.2}}, {})
    expect(f!.facts).toEqual({'cpu.p95': 3, 'net.p95': 0.2})
  })

  it('renders message templates from facts and settings; unknown prints as unknown', () => {
    expect(
      renderMessage('p95 {cpu.p95}% < {settings.idleCpuPct}% on {sw}; {missing.x}', {cpu: {p95: 3.14159}, sw: ['a', 'b']}, {idleCpuPct: 5}),
    ).toBe('p95 3.14% < 5% on a, b; unknown')
  })
})

describe('rule validation', () => {
  it('rejects a condition with two operators or none', () => {
    const base = {id: 'x', stage: 'finding', description: 'd', then: {finding: {severity: 'info'}, message: 'm'}}
    expect(ruleSchema.safeParse({...base, when: {fact: 'a', equals: 1, lessThan: 2}}).success).toBe(false)
    expect(ruleSchema.safeParse({...base, when: {fact: 'a'}}).success).toBe(false)
    expect(ruleSchema.safeParse({...base, when: {fact: 'a', equals: 1}}).success).toBe(true)
  })

  it('a strategy rule needs a strategy; ids are kebab-case', () => {
    expect(ruleSchema.safeParse({id: 'x', stage: 'strategy', description: 'd', when: {all: []}, then: {message: 'm'}}).success).toBe(false)
    expect(
      ruleSchema.safeParse({
        id: 'Bad_Id',
        stage: 'finding',
        description: 'd',
        when: {all: []},
        then: {finding: {severity: 'low'}, message: 'm'},
      }).success,
    ).toBe(false)
  })

  it('docs/rules.md lists every built-in rule', () => {
    const doc = readFileSync(join(ROOT, 'docs/rules.md'), 'utf8')
    for (const r of builtinRules().rules) expect(doc, r.id).toContain(`| \`${r.id}\` |`)
  })

  it('every built-in rule is valid, reads only known facts, and ids are unique', () => {
    const b = builtinRules()
    expect(b.rules.length).toBeGreaterThan(50)
    expect(new Set(b.rules.map((r) => r.id)).size).toBe(b.rules.length)
    expect(b.files.length).toBeGreaterThanOrEqual(15)
    expect(b.version).toMatch(/^builtin-[0-9a-f]{12}$/)
  })
})

describe('user rules (--rules FILE)', () => {
  const base = builtinRules().rules

  it('adds, replaces and disables rules, in a stable order', () => {
    const user = parseUserRules(
      `rules:
  - id: retire-idle
    disabled: true
  - id: rehost-default
    stage: strategy
    priority: 0
    description: Default to Fargate-ready rehost
    when: {all: []}
    then: {strategy: rehost, target: ec2, via: mgn, message: "rehost (our default)"}
  - id: retain-mainframe-tag
    stage: strategy
    priority: 950
    description: Servers tagged platform=mainframe stay
    when: {fact: server.tags.platform, equals: mainframe}
    then: {strategy: retain, target: none, message: "mainframe: retain"}
`,
      'my-rules.yaml',
    )
    const merged = mergeRules(base, user, 'my-rules.yaml')
    expect(merged.length).toBe(base.length + 1)
    expect(merged.find((r) => r.id === 'retire-idle')!.disabled).toBe(true)
    expect(merged.find((r) => r.id === 'rehost-default')!.then.message).toBe('rehost (our default)')
    expect(merged.at(-1)!.id).toBe('retain-mainframe-tag')
  })

  it('an unknown fact is an error naming the file and the rule', () => {
    const text = `rules:\n  - id: typo\n    stage: finding\n    description: d\n    when: {fact: cpu.p59, lessThan: 5}\n    then: {finding: {severity: low}, message: m}\n`
    expect(() => parseUserRules(text, 'r.yaml')).toThrowError(UserInputError)
    expect(() => parseUserRules(text, 'r.yaml')).toThrowError(/r\.yaml, column "rules\[0\]": rule "typo" reads "cpu\.p59"/)
  })

  it('an unknown setting or usage field is an error too', () => {
    const setting = `rules:\n  - id: s\n    stage: finding\n    description: d\n    when: {fact: cpu.p95, lessThan: {setting: idleCpu}}\n    then: {finding: {severity: low}, message: m}\n`
    expect(() => parseUserRules(setting, 'r.yaml')).toThrowError(/settings\.idleCpu/)
    const usage = `rules:\n  - id: u\n    stage: finding\n    description: d\n    when: {fact: usage.requestPerMonth, greaterThan: 5}\n    then: {finding: {severity: low}, message: m}\n`
    expect(() => parseUserRules(usage, 'r.yaml')).toThrowError(/usage\.requestPerMonth/)
  })

  it('a malformed file is an error with the field path; disabling an unknown id too', () => {
    expect(() => parseUserRules('rules:\n  - id: x\n    stage: strategy\n', 'r.yaml')).toThrowError(/r\.yaml, column "rules\.0/)
    expect(() => parseUserRules(': : :', 'r.yaml')).toThrowError(/cannot read the rules file/)
    const user = parseUserRules('rules:\n  - {id: no-such-rule, disabled: true}\n', 'r.yaml')
    expect(() => mergeRules(base, user, 'r.yaml')).toThrowError(/cannot disable "no-such-rule"/)
  })
})
