/**
 * Runs the AWS Control Tower proactive controls (cfn-guard 3 and the rules shipped in
 * @cdklabs/cdk-validator-cfnguard) over templates, the way RECIPES.md describes, and a resolver
 * that gives the rules the view a CloudFormation hook has at deployment (parameters and imports
 * replaced by concrete values).
 */
import {spawnSync} from 'node:child_process'
import {mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'

import {parse, stringify} from 'yaml'

import {ROOT} from '../helpers/cli.js'

const PKG = join(ROOT, 'node_modules/@cdklabs/cdk-validator-cfnguard')
export const GUARD_BIN = join(PKG, 'bin/ubuntu/x86_64/cfn-guard')
export const GUARD_RULES = join(PKG, 'rules/control-tower/cfn-guard')

export interface GuardFailure {
  /** Template path as given. */
  readonly file: string
  /** `CT.RDS.PR.1` */
  readonly control: string
  readonly rule: string
  /** Logical ids the failure names. */
  readonly resources: readonly string[]
}

let ruleIndex: {file: string; text: string}[] | undefined

/**
 * The rule files that mention one of these resource types. A rule selects resources by type, so
 * one that names none of the template's types can only SKIP: leaving it out changes no result
 * and saves minutes on a busy machine.
 */
export function rulesFor(types: Iterable<string>): string[] {
  ruleIndex ??= readdirSync(GUARD_RULES, {recursive: true, encoding: 'utf8'})
    .filter((f) => f.endsWith('.guard'))
    .sort()
    .map((f) => ({file: join(GUARD_RULES, f), text: readFileSync(join(GUARD_RULES, f), 'utf8')}))
  const wanted = [...new Set(types)]
  return ruleIndex.filter((r) => wanted.some((t) => r.text.includes(`"${t}"`))).map((r) => r.file)
}

/** Resource types used by YAML templates. */
export function resourceTypes(templates: Readonly<Record<string, string>>): Set<string> {
  const types = new Set<string>()
  for (const text of Object.values(templates))
    for (const m of text.matchAll(/^ {4}Type: (AWS::[A-Za-z0-9]+::[A-Za-z0-9]+)$/gm)) types.add(m[1]!)
  return types
}

/** Run cfn-guard over `path → YAML` templates in one process; returns every failed rule. */
export function runGuard(templates: Readonly<Record<string, string>>, dir: string): GuardFailure[] {
  const rules = rulesFor(resourceTypes(templates))
  if (!rules.length) return []
  mkdirSync(dir, {recursive: true})
  const names = new Map<string, string>()
  for (const [file, text] of Object.entries(templates)) {
    const flat = file.replace(/[/\\]/g, '__')
    names.set(flat, file)
    writeFileSync(join(dir, flat), text)
  }
  const r = spawnSync(
    GUARD_BIN,
    ['validate', ...rules.flatMap((f) => ['--rules', f]), '--data', dir, '-o', 'json', '--structured', '--show-summary', 'none'],
    {
      encoding: 'utf8',
      maxBuffer: 512 * 1024 * 1024,
    },
  )
  if (r.status !== 0 && r.status !== 19) throw new Error(`cfn-guard exited ${r.status}: ${r.stderr}`)
  const report = JSON.parse(r.stdout) as {name: string; not_compliant: {Rule: {name: string}}[]}[]
  const out: GuardFailure[] = []
  for (const f of report) {
    const file = names.get(f.name.split('/').pop()!) ?? f.name
    for (const n of f.not_compliant) {
      const text = JSON.stringify(n.Rule)
      const control = /\[(CT\.[A-Z0-9]+\.PR\.\d+)\]/.exec(text)?.[1] ?? n.Rule.name
      const resources = [...new Set([...text.matchAll(/\/Resources\/([A-Za-z0-9]+)/g)].map((m) => m[1]!))].sort()
      out.push({file, control, rule: n.Rule.name, resources})
    }
  }
  return out.sort((a, b) => (a.file + a.control < b.file + b.control ? -1 : 1))
}

const SAMPLE: Readonly<Record<string, string>> = {
  CertificateArn: 'arn:aws:acm:eu-west-1:111122223333:certificate/0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0',
  AccessLogsBucket: 'aws-controltower-logs-111122223333-eu-west-1',
  InstanceArn: 'arn:aws:sso:::instance/ssoins-0123456789abcdef',
  ActiveDirectoryId: 'd-0123456789',
  RootId: 'r-ab12',
}

/**
 * The template as a CloudFormation hook sees it: parameters take their default or a sample value,
 * `Fn::ImportValue`/`Fn::Sub`/`Fn::Join` become strings, `Fn::If` its true branch. References to
 * resources in the template (`Ref`, `Fn::GetAtt`) stay, as the rules accept local references.
 */
export function resolveForHook(yamlText: string): string {
  const doc = parse(yamlText) as {Parameters?: Record<string, {Default?: unknown; Type?: string}>; Resources: Record<string, unknown>}
  const params = doc.Parameters ?? {}
  const value = (name: string): unknown => {
    if (SAMPLE[name]) return SAMPLE[name]
    const p = params[name]
    if (p?.Type?.startsWith('AWS::SSM::Parameter::Value')) return 'ami-0123456789abcdef0'
    return p?.Default ?? `sample-${name.toLowerCase()}`
  }
  const subst = (s: string): string =>
    s.replace(/\$\{([A-Za-z0-9:]+)\}/g, (_, n: string) =>
      n.startsWith('AWS::') ? pseudo(n) : params[n] ? String(value(n)) : `${n.toLowerCase()}-id`,
    )
  const pseudo = (n: string): string =>
    ({'AWS::Region': 'eu-west-1', 'AWS::AccountId': '111122223333', 'AWS::Partition': 'aws', 'AWS::StackName': 'stack'})[n] ?? 'x'
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk)
    if (!v || typeof v !== 'object') return v
    const o = v as Record<string, unknown>
    const keys = Object.keys(o)
    if (keys.length === 1) {
      const k = keys[0]!
      const arg = o[k]
      if (k === 'Ref' && typeof arg === 'string') return arg in params ? value(arg) : arg.startsWith('AWS::') ? pseudo(arg) : o
      if (k === 'Fn::Sub') return typeof arg === 'string' ? subst(arg) : subst(String((arg as unknown[])[0]))
      if (k === 'Fn::ImportValue') {
        const name = String(walk(arg))
        return name.endsWith('VpcId')
          ? 'vpc-0123456789abcdef0'
          : name.endsWith('Cidr')
            ? '10.64.0.0/20'
            : name.includes('Subnet')
              ? `subnet-${name.slice(-1)}0123456789abcdef`
              : 'imported-value'
      }
      if (k === 'Fn::Join') {
        const [sep, parts] = arg as [string, unknown[]]
        const resolved = parts.map(walk)
        return resolved.every((p) => typeof p === 'string' || typeof p === 'number') ? resolved.join(sep) : {[k]: [sep, resolved]}
      }
      if (k === 'Fn::If') return walk((arg as unknown[])[1])
      if (k === 'Fn::Split') {
        const [sep, src] = arg as [string, unknown]
        const s = walk(src)
        return typeof s === 'string' ? s.split(sep) : {[k]: [sep, s]}
      }
    }
    return Object.fromEntries(keys.map((key) => [key, walk(o[key])]))
  }
  return stringify({...doc, Resources: walk(doc.Resources)})
}
