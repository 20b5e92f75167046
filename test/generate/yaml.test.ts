/**
 * The YAML writer of the generators (src/generate/common/yaml.ts) against the `yaml` library it
 * replaces, on real generated templates (the fixture estates, the Acme example, a synthetic
 * estate large enough for split stacks), on strings chosen to need quoting, and on random values.
 * `emitYaml` is the writer alone (`undefined` when it leaves a value to the library), so these
 * comparisons cannot pass by falling back.
 */
import {mkdtempSync, readdirSync, readFileSync, rmSync} from 'node:fs'
import {tmpdir} from 'node:os'
import {join} from 'node:path'

import fc from 'fast-check'
import {afterAll, describe, expect, it, vi} from 'vitest'
import {parse} from 'yaml'

import {emitYaml, libraryYaml, toYaml} from '../../src/generate/common/yaml.js'
import {flowsFromGraph, generateCloudFormation, workloadStacks} from '../../src/generate/cloudformation/index.js'
import {networkStack} from '../../src/generate/cloudformation/network.js'
import {Template} from '../../src/generate/cloudformation/template.js'
import {workloadStack, type WorkloadStack} from '../../src/generate/cloudformation/workload.js'
import {requireAssessment, requirePlan} from '../../src/generate/inputs.js'
import {generateLandingZone} from '../../src/generate/landing-zone/index.js'
import {loadTemplates} from '../../src/generate/templates.js'
import type {Plan} from '../../src/model/plan.js'
import {runPipeline} from '../../src/pipeline.js'
import {buildGraph} from '../../src/plan/graph.js'
import {Workspace} from '../../src/workspace/workspace.js'
import type {FileMap} from '../../src/util/output.js'
import {estate, hostileEstate, HOSTILE_NAMES, type Estate} from '../fixtures/generate/estate.js'
import {writeSplitInputs} from '../fixtures/generate/split-estate.js'
import {ROOT} from '../helpers/cli.js'

const templates = loadTemplates()

/** The writer handled `value` itself and wrote what the library writes. */
function expectSame(value: unknown, label?: string): void {
  const mine = emitYaml(value)
  expect(mine, `${label ?? 'value'}: left to the library`).toBeDefined()
  expect(mine, label).toBe(libraryYaml(value))
}

/** Every YAML file of a file map, read back (YAML 1.1) and written again both ways. */
function expectSameReadBack(files: FileMap): number {
  let n = 0
  for (const [file, text] of Object.entries(files)) {
    if ((!file.endsWith('.yaml') && !file.endsWith('.yml')) || typeof text !== 'string') continue
    const value = parse(text, {version: '1.1'}) as unknown
    expect(toYaml(value), file).toBe(libraryYaml(value))
    n++
  }
  return n
}

function cloudFormation(e: Estate) {
  return generateCloudFormation(
    {settings: e.settings, servers: e.servers, assessment: e.assessment, plan: e.plan, flows: e.flows},
    templates,
  )
}

/**
 * The templates of a generation as objects: each wave's stack in each account whole and as split
 * (built again with sealing off, so their content stays readable), and the network stacks. Every
 * split part's file, written sealed, is checked against the library's text of its object.
 */
function templateObjects(r: ReturnType<typeof cloudFormation>, e: Estate): [string, unknown][] {
  const input = {design: r.design, assessment: e.assessment, plan: e.plan, servers: e.servers, flows: e.flows, settings: e.settings}
  const stacks = [...new Map(r.workloads.map((w) => [`${w.wave}|${w.account}`, w])).values()]
  const seal = vi.spyOn(Template.prototype, 'seal').mockImplementation(() => undefined)
  let parts: WorkloadStack[]
  try {
    parts = stacks.flatMap((w) => workloadStacks(input, w.wave, w.account))
  } finally {
    seal.mockRestore()
  }
  for (const part of parts) {
    const text = r.files[part.file]
    if (typeof text !== 'string') throw new Error(`${part.file} not written`)
    expect(text, part.file).toBe(/^(?:#.*\n)*/.exec(text)![0] + libraryYaml(part.template.toObject()))
  }
  return [
    ...stacks.map((w): [string, unknown] => [w.file, workloadStack(input, w.wave, w.account).template.toObject()]),
    ...parts.map((part): [string, unknown] => [part.file, part.template.toObject()]),
    ...r.design.accounts
      .filter((a) => a.vpc)
      .map((a): [string, unknown] => [a.key, networkStack(r.design, a.key, r.design.workloadRegion, e.settings).toObject()]),
  ]
}

/** Strings YAML 1.1 readers take for something else, or that break plain scalars. */
const HOSTILE = [
  ...HOSTILE_NAMES,
  ...['yes', 'Yes', 'YES', 'no', 'No', 'y', 'Y', 'n', 'N', 'on', 'On', 'ON', 'off', 'Off', 'true', 'False', 'TRUE'],
  ...['null', 'Null', 'NULL', '~', '', ' ', '  ', 'nan', '.nan', '.NaN', '.inf', '-.inf', '+.INF', 'inf'],
  ...[
    '0',
    '1',
    '-1',
    '+1',
    '007',
    '0o17',
    '017',
    '0x1F',
    '0X1f',
    '0b101',
    '1_000',
    '1,000',
    '1e3',
    '1E-3',
    '.5',
    '5.',
    '3.14',
    '6.8523015e+5',
  ],
  ...['190:20:30', '1:20', '-1:20', '2026-01-01', '2026-1-1', '2001-12-14t21:59:43.10-05:00', '2001-12-14 21:59:43.10 -5', '12:30'],
  ...[
    ' lead',
    'trail ',
    'a: b',
    'a:',
    ':a',
    'a:b',
    'a :b',
    '#x',
    'a #x',
    'a#x',
    '- x',
    '-',
    '--',
    '-x',
    '? x',
    '?',
    '?x',
    '---',
    '--- x',
    '...',
    '... x',
  ],
  ...[
    '%x',
    '@x',
    '`x',
    '!x',
    '&x',
    '*x',
    '*',
    '|',
    '>',
    "'x'",
    '"x"',
    "it's",
    'say "hi"',
    'both \' and "',
    '[x]',
    '{x}',
    'x]',
    'x}',
    'a, b',
    ',x',
  ],
  ...[
    '<<',
    '=',
    '<script>alert(1)</script>',
    '\\',
    'C:\\path',
    'tab\there',
    'nul\u0000',
    'bell\u0007',
    'esc\u001b',
    'del\u007f',
    '\u0085',
    'nbsp\u00a0x',
  ],
  ...['\u2028', '\u2029', 'é', 'Zürich', '☕', '日本語', '😀', '\ud800', 'x\udc00y', '\ufeffbom', 'a\rb', 'a\r\nb'],
  ...[
    'line1\nline2',
    'line1\nline2\n',
    'line1\nline2\n\n',
    '\nlead',
    '\n\nlead',
    'trail\n',
    '\n',
    '\n\n',
    ' \n',
    '\n ',
    'a \nb',
    'a\n b',
    '  indented\nx',
  ],
  ...[
    'a\n\n\nb',
    'x\n#y',
    'x\n- y',
    'x\n---\ny',
    '---\nx',
    '%YAML\nx',
    'long line that is longer than forty characters\nand a second line',
  ],
  ...['a\tb\nc', '"quoted"\nnext', "'single'\nnext", 'key: value\nother: thing', 'a'.repeat(2000), `${'b'.repeat(1030)}: x`],
  ...[
    'arn:${AWS::Partition}:iam::${AWS::AccountId}:root',
    '{{resolve:secretsmanager:${X}:SecretString:password}}',
    '$default',
    'kms:*',
    '/aws/x',
  ],
  ...['10.1.2.3/32', '0.0.0.0/0', '255.255.255.255/32', '10.1.2.3', '999.1.1.1/99', '1.2.3/4', '10.1.2.3/32 ', '10.1.2.3/', '1.2.3.4/5/6'],
]

describe('YAML writer', () => {
  it('writes strings that need quoting, at every depth, as values, items and keys, exactly as the library', () => {
    const nested = (v: unknown, depth: number): unknown => (depth === 0 ? v : {k: nested(v, depth - 1)})
    for (const s of HOSTILE) {
      for (let depth = 0; depth < 5; depth++) {
        expectSame(nested({value: s, list: [s, [s], {[s]: s}], [s]: {[s]: [s, s]}}, depth), JSON.stringify(s))
        expectSame(nested([s, [s, [s]], {x: s, [s]: [], y: {}}], depth), JSON.stringify(s))
      }
    }
    expectSame({all: HOSTILE, keys: Object.fromEntries(HOSTILE.map((s, i) => [s, i]))})
    expectSame(HOSTILE.map((s) => ({[s]: {[s]: s}})))
  })

  it('writes numbers, booleans, empty and nested collections, and leaves out undefined map values, as the library', () => {
    const numbers = [0, -0, 1, -1, 1.5, 0.1, 1e21, 1e-7, 123456789012, Number.MAX_SAFE_INTEGER, 2 ** 64, NaN, Infinity, -Infinity, 443]
    expectSame({numbers, first: numbers[0], byKey: Object.fromEntries(numbers.map((n, i) => [`n${i}`, n]))})
    expectSame({t: true, f: false, list: [true, false], deep: {deeper: {t: true}}})
    expectSame({a: [], b: {}, c: [[]], d: [{}], e: [[[]], {}], f: {g: {h: []}}, i: [[], [{}]], j: {k: undefined}, l: [{m: undefined}]})
    expectSame({a: undefined, b: 1, c: undefined})
    expectSame({})
    expectSame([])
    expectSame([[1, 2], [[3]], [{a: [4, {b: [5]}]}]])
    expectSame(Object.assign(Object.create(null) as object, {x: 'y', z: [1]}))
  })

  it('leaves values it does not model to the library (toYaml is then the library)', () => {
    for (const value of [null, 'text', 1, {a: null}, {a: new Date(0)}, {a: new Map([['k', 1]])}, [undefined], {a: 1n}, new Set([1])]) {
      expect(emitYaml(value)).toBeUndefined()
      expect(toYaml(value)).toBe(libraryYaml(value))
    }
  })

  it('writes random values over an alphabet of YAML indicators exactly as the library', () => {
    const pieces = [
      ...['a', 'Y', 'n', 'o', 'e', 'x', '0', '1', '9', '_', '.', '-', '+', ':', '#', ' ', '\n', '\t', ',', '?', '!', '%', '@', '*', '&'],
      ...[
        '|',
        '>',
        '<',
        '=',
        '~',
        '$',
        '{',
        '}',
        '[',
        ']',
        '/',
        '\\',
        "'",
        '"',
        '`',
        'é',
        '☕',
        '\u0085',
        '\r',
        'yes',
        'on',
        '0x',
        '---',
        '...',
      ],
    ]
    const text = fc.array(fc.constantFrom(...pieces), {maxLength: 8}).map((a) => a.join(''))
    const leaf = fc.oneof(text, fc.integer(), fc.double(), fc.boolean())
    const {node} = fc.letrec((tie) => ({
      node: fc.oneof(
        {depthSize: 'small'},
        leaf,
        fc.array(tie('node'), {maxLength: 4}),
        fc.dictionary(text, fc.oneof(tie('node'), fc.constant(undefined)), {maxKeys: 4}),
      ),
    }))
    fc.assert(
      fc.property(node, (v) => {
        expectSame({v})
        expectSame([v])
      }),
      {numRuns: 3000, seed: 20260101},
    )
  })

  it('writes the fixture estates’ templates (hostile names included) exactly as the library', () => {
    for (const e of [estate(), hostileEstate()]) {
      const r = cloudFormation(e)
      for (const [label, obj] of templateObjects(r, e)) expectSame(obj, label)
      // Sealed (content written early), then retitled: the same text as written at the end.
      const input = {design: r.design, assessment: e.assessment, plan: e.plan, servers: e.servers, flows: e.flows, settings: e.settings}
      for (const w of r.workloads) {
        const open = workloadStack(input, w.wave, w.account).template
        const sealed = workloadStack(input, w.wave, w.account).template
        sealed.seal()
        for (const t of [open, sealed]) t.retitle('Part 2 of 3: yes')
        expect(sealed.toYaml('header', '')).toBe(open.toYaml('header', ''))
        expect([sealed.resourceCount, sealed.resourceTypes()]).toEqual([open.resourceCount, open.resourceTypes()])
        expect(() => sealed.toObject()).toThrow(/sealed/)
      }
      expect(expectSameReadBack(r.templates)).toBe(Object.keys(r.templates).length)
      const lz = generateLandingZone({settings: e.settings, servers: e.servers, plan: e.plan}, templates)
      expect(expectSameReadBack(lz.files)).toBeGreaterThan(3)
    }
  })

  describe('on generated plans', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mp-yaml-'))
    afterAll(() => rmSync(dir, {recursive: true, force: true}))

    /** The run's CloudFormation again, in memory, as objects; and every YAML file it wrote, read back. */
    function check(out: string): number {
      const ws = Workspace.open(join(out, 'workspace'), {readonly: true})
      try {
        const plan: Plan = requirePlan(ws.loadDocument('plan'))
        const servers = ws.servers()
        const graph = buildGraph(servers, ws.connectionRows(), {onPremisesCidrs: ws.settings.organisation.onPremisesCidrs ?? []})
        const e = {
          settings: ws.settings,
          servers,
          assessment: requireAssessment(ws.loadDocument('assessment')),
          plan,
          flows: flowsFromGraph(graph),
        }
        const r = cloudFormation(e)
        const objects = templateObjects(r, e)
        for (const [label, obj] of objects) expectSame(obj, label)
        const written: Record<string, string> = {}
        for (const folder of ['cloudformation', 'landing-zone'])
          for (const f of readdirSync(join(out, folder), {recursive: true}).map(String))
            if (f.endsWith('.yaml')) written[`${folder}/${f}`] = readFileSync(join(out, folder, f), 'utf8')
        expectSameReadBack(written)
        return objects.length
      } finally {
        ws.close()
      }
    }

    it('the Acme example', async () => {
      const out = join(dir, 'acme')
      await runPipeline({inputs: [join(ROOT, 'examples/acme')], out})
      expect(check(out)).toBeGreaterThan(10)
    }, 300_000)

    it('a synthetic estate whose waves are split into parts', async () => {
      const inputs = join(dir, 'synthetic-inputs')
      await writeSplitInputs(inputs)
      const out = join(dir, 'synthetic')
      await runPipeline({inputs: [inputs], out, asOf: '2027-01-01'})
      expect(readdirSync(join(out, 'cloudformation/waves'), {recursive: true}).some((f) => /-part-\d\d\.yaml$/.test(String(f)))).toBe(true)
      expect(check(out)).toBeGreaterThan(10)
    }, 300_000)
  })
})
