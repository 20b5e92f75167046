/**
 * A small typed CloudFormation template builder and its YAML writer.
 *
 * Why not aws-cdk-lib: the output must be plain YAML that `aws cloudformation deploy` accepts
 * without a bootstrap stack, with readable, stable logical IDs and no CDK metadata; and the CLI
 * must stay small (aws-cdk-lib is ~160 MB). The builder keeps insertion order, so the same inputs
 * give byte-identical YAML. Intrinsic functions are written in their long form (`Ref:`,
 * `Fn::GetAtt:`), which needs no YAML tags. Inventory text never goes into `Fn::Sub` strings, and
 * every string is quoted by the YAML serialiser as needed (`a: b`, `!Ref x`, `#`, newlines …).
 */
import {hashHeader} from '../common/header.js'
import {pascal, tagValue} from '../common/text.js'
import {toYaml} from '../common/yaml.js'

export {toYaml}

export type Value = string | number | boolean | undefined | readonly Value[] | {readonly [key: string]: Value}
export type Props = {readonly [key: string]: Value}

export const ref = (id: string): Props => ({Ref: id})
export const getAtt = (id: string, attribute: string): Props => ({'Fn::GetAtt': [id, attribute]})
/** `Fn::Sub` — only ever with text this code wrote, never with inventory names. */
export const sub = (text: string): Props => ({'Fn::Sub': text})
export const join = (separator: string, parts: readonly Value[]): Props => ({'Fn::Join': [separator, parts]})
export const select = (index: number, list: Value): Props => ({'Fn::Select': [index, list]})
export const getAZs = (): Props => ({'Fn::GetAZs': ''})
export const importValue = (name: Value): Props => ({'Fn::ImportValue': name})
export const fnIf = (condition: string, whenTrue: Value, whenFalse: Value): Props => ({'Fn::If': [condition, whenTrue, whenFalse]})
export const equals = (a: Value, b: Value): Props => ({'Fn::Equals': [a, b]})
export const not = (c: Value): Props => ({'Fn::Not': [c]})
export const NO_VALUE: Props = {Ref: 'AWS::NoValue'}
export const REGION: Props = {Ref: 'AWS::Region'}
export const ACCOUNT: Props = {Ref: 'AWS::AccountId'}
export const PARTITION: Props = {Ref: 'AWS::Partition'}
export const STACK_NAME: Props = {Ref: 'AWS::StackName'}

/** `[{Key, Value}]` with every value made a valid tag value; keys sorted for stable output. */
export function tags(record: Readonly<Record<string, string | undefined>>): {Key: string; Value: string}[] {
  return Object.entries(record)
    .filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '')
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([Key, v]) => ({Key, Value: tagValue(v)}))
}

export interface ParameterDef {
  readonly Type: string
  readonly Description: string
  readonly Default?: string | number
  readonly AllowedValues?: readonly string[]
  readonly AllowedPattern?: string
  readonly ConstraintDescription?: string
  readonly MinValue?: number
  readonly MaxValue?: number
  readonly NoEcho?: boolean
}

export interface ResourceOptions {
  readonly DependsOn?: string | readonly string[]
  readonly Condition?: string
  readonly DeletionPolicy?: 'Delete' | 'Retain' | 'Snapshot' | 'RetainExceptOnCreate'
  readonly UpdateReplacePolicy?: 'Delete' | 'Retain' | 'Snapshot'
  readonly Metadata?: Props
}

interface ResourceEntry extends ResourceOptions {
  readonly Type: string
  readonly Properties?: Props
}

/** Logical IDs are alphanumeric, start with a letter, and are unique: `ShopWeb01`, `ShopWeb012`… */
export class LogicalIds {
  private readonly used = new Set<string>()

  /** A new unique id from readable parts: `id('Sg', 'shop-web')` → `SgShopWeb`. */
  id(...parts: readonly string[]): string {
    let base = parts.map(pascal).join('') || 'Resource'
    if (!/^[A-Za-z]/.test(base)) base = `R${base}`
    base = base.slice(0, 200)
    let id = base
    for (let i = 2; this.used.has(id.toLowerCase()); i++) id = `${base}${i}`
    this.used.add(id.toLowerCase())
    return id
  }

  reserve(id: string): string {
    this.used.add(id.toLowerCase())
    return id
  }
}

export interface TemplateOptions {
  /**
   * Keep only each resource's id and type: enough for resourceCount and resourceTypes(), not for
   * YAML. For sizing a stack before splitting it, without building what is thrown away.
   * @default false
   */
  readonly countOnly?: boolean
}

export class Template {
  readonly ids = new LogicalIds()
  private readonly parameters = new Map<string, ParameterDef>()
  private readonly conditions = new Map<string, Props>()
  /**
   * By logical id, in insertion order. A record, not a Map: it is what the YAML writer is given,
   * and copying 650,000 resources into objects (Object.fromEntries) at 100,000 servers took seconds.
   */
  private resources: Record<string, ResourceEntry> = Object.create(null) as Record<string, ResourceEntry>
  /** Resources added or counted (countResource). */
  private resourceTotal = 0
  private readonly outputs = new Map<string, {Description: string; Value: Value; Export?: {Name: Value}}>()
  private readonly parameterGroups: {label: string; parameters: string[]}[] = []

  /** Only ids and types are kept (TemplateOptions.countOnly): callers may skip making properties. */
  readonly countOnly: boolean
  /** Types of the resources counted without an id (countResource), in a countOnly template. */
  private readonly countedTypes = new Set<string>()
  /** After seal(): everything but the description, as YAML. */
  private sealed?: {readonly body: string; readonly resourceCount: number; readonly types: readonly string[]}

  constructor(
    private description: string,
    options: TemplateOptions = {},
  ) {
    this.countOnly = options.countOnly ?? false
  }

  /** Replace the description (a stack split into parts learns its part number last). */
  retitle(description: string): void {
    this.description = description
  }

  /**
   * Write everything but the description to YAML now and let go of the content: a stack split
   * into parts waits for its part number (the description) until every part is built, and
   * holding all their resources until then kept tens of MB per wave alive at 100,000 servers.
   * Only retitle(), toYaml(), resourceCount and resourceTypes() work after this.
   */
  seal(): void {
    if (this.sealed) return
    this.sealed = {body: toYaml(this.bodyObject()), resourceCount: this.resourceTotal, types: this.resourceTypes()}
    this.parameters.clear()
    this.conditions.clear()
    this.resources = Object.create(null) as Record<string, ResourceEntry>
    this.outputs.clear()
    this.parameterGroups.length = 0
  }

  private open(): void {
    if (this.sealed) throw new Error('the template is sealed: its content is written')
  }

  parameter(id: string, def: ParameterDef, group?: string): Props {
    this.open()
    this.ids.reserve(id)
    this.parameters.set(id, def)
    if (group) {
      let g = this.parameterGroups.find((x) => x.label === group)
      if (!g) this.parameterGroups.push((g = {label: group, parameters: []}))
      g.parameters.push(id)
    }
    return ref(id)
  }

  condition(id: string, expression: Props): string {
    this.open()
    this.ids.reserve(id)
    this.conditions.set(id, expression)
    return id
  }

  /** Add a resource under an id from `ids.id()` (or a fixed one); returns the id. */
  resource(id: string, type: string, properties: Props | undefined, options: ResourceOptions = {}): string {
    this.open()
    if (this.resources[id] !== undefined) throw new Error(`duplicate logical id ${id}`)
    this.ids.reserve(id)
    this.resources[id] = this.countOnly
      ? {Type: type}
      : {Type: type, ...options, ...(properties && Object.keys(properties).length ? {Properties: properties} : {})}
    this.resourceTotal++
    return id
  }

  /**
   * Count a resource of a countOnly template without naming it: for the many resources (ingress
   * rules) whose ids nothing else refers to, so counting a stack does not make their ids.
   */
  countResource(type: string): void {
    if (!this.countOnly) throw new Error('countResource is for a template built with countOnly')
    this.resourceTotal++
    this.countedTypes.add(type)
  }

  has(id: string): boolean {
    return this.resources[id] !== undefined
  }

  output(id: string, value: Value, description: string, exportName?: Value): void {
    this.open()
    this.outputs.set(id, {Description: description, Value: value, ...(exportName === undefined ? {} : {Export: {Name: exportName}})})
  }

  get resourceCount(): number {
    return this.sealed?.resourceCount ?? this.resourceTotal
  }

  resourceTypes(): string[] {
    if (this.sealed) return [...this.sealed.types]
    return [...new Set([...this.countedTypes, ...Object.values(this.resources).map((r) => r.Type)])].sort()
  }

  toObject(): Record<string, unknown> {
    this.open()
    return {...this.headObject(), ...this.bodyObject()}
  }

  /** The top-level keys before the content: the description is the one thing that changes late. */
  private headObject(): Record<string, unknown> {
    return {AWSTemplateFormatVersion: '2010-09-09', Description: this.description}
  }

  private bodyObject(): Record<string, unknown> {
    if (this.countOnly) throw new Error('a template built with countOnly has no content to write')
    const obj: Record<string, unknown> = {}
    if (this.parameterGroups.length) {
      obj.Metadata = {
        'AWS::CloudFormation::Interface': {
          ParameterGroups: this.parameterGroups.map((g) => ({Label: {default: g.label}, Parameters: g.parameters})),
        },
      }
    }
    if (this.parameters.size) obj.Parameters = Object.fromEntries(this.parameters)
    if (this.conditions.size) obj.Conditions = Object.fromEntries(this.conditions)
    obj.Resources = this.resources
    if (this.outputs.size) obj.Outputs = Object.fromEntries(this.outputs)
    return obj
  }

  /**
   * YAML with the generated-file header; stable for the same template. Sealed or not, the same
   * text: a top-level block map is its keys written one after the other.
   */
  toYaml(...headerLines: readonly string[]): string {
    if (this.sealed) return hashHeader(...headerLines) + toYaml(this.headObject()) + this.sealed.body
    return hashHeader(...headerLines) + toYaml(this.toObject())
  }
}
