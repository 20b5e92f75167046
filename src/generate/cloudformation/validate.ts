/**
 * Offline validation of generated templates with AWS's CloudFormation Validate engine
 * (@aws/cloudformation-validate, WASM): resource schemas plus its built-in template rules. Runs
 * on the text in memory; nothing is written.
 *
 * One known gap: the engine's bundled schemas have no `AWS::MGN::*` types, so it reports them as
 * unknown (F3006). Those findings are kept apart as `unchecked`, not counted as errors; the MGN
 * stack's properties are checked against aws-cdk-lib's generated L1 classes in the tests instead
 * (docs/cloudformation.md).
 */
import {createRequire} from 'node:module'

export interface ValidationFinding {
  readonly file: string
  readonly ruleId: string
  readonly severity: string
  readonly message: string
  readonly logicalId?: string
  readonly path?: string
  readonly line?: number
}

export interface ValidationReport {
  readonly templates: number
  /** FATAL and ERROR findings. */
  readonly errors: readonly ValidationFinding[]
  /** WARN findings. */
  readonly warnings: readonly ValidationFinding[]
  /** Resource types the engine has no schema for (and so could not check). */
  readonly unchecked: readonly ValidationFinding[]
  readonly engine: string
}

/** Resource types the bundled schemas lack; their F3006 is reported as unchecked, not as an error. */
export const UNCHECKED_TYPES: readonly string[] = ['AWS::MGN::ReplicationConfigurationTemplate', 'AWS::MGN::LaunchConfigurationTemplate']

interface Diagnostic {
  ruleId: string
  severity: string
  message: string
  entity?: {logicalId?: string}
  propertyPath?: string
  startLine?: number
}
interface ValidateModule {
  RegoEngine: new () => {
    validateStandard(t: {path: string; readBytes(): Uint8Array}, c?: object): {status: string; diagnostics: Diagnostic[]}
    free(): void
  }
  version(): string
}

let engineModule: ValidateModule | undefined
function load(): ValidateModule {
  engineModule ??= createRequire(import.meta.url)('@aws/cloudformation-validate') as ValidateModule
  return engineModule
}

/** Validate templates given as `path → YAML text`, in the given region. */
export function validateTemplates(templates: Readonly<Record<string, string>>, region: string): ValidationReport {
  const mod = load()
  const engine = new mod.RegoEngine()
  const errors: ValidationFinding[] = []
  const warnings: ValidationFinding[] = []
  const unchecked: ValidationFinding[] = []
  try {
    for (const [file, text] of Object.entries(templates).sort(([a], [b]) => (a < b ? -1 : 1))) {
      const bytes = new TextEncoder().encode(text)
      const report = engine.validateStandard({path: file, readBytes: () => bytes}, {pseudoParameterOverrides: {region}})
      if (report.status === 'ERROR')
        errors.push({file, ruleId: 'ENGINE', severity: 'FATAL', message: `validation could not run (${report.status})`})
      for (const d of report.diagnostics) {
        const finding: ValidationFinding = {
          file,
          ruleId: d.ruleId,
          severity: d.severity,
          message: d.message,
          ...(d.entity?.logicalId ? {logicalId: d.entity.logicalId} : {}),
          ...(d.propertyPath ? {path: d.propertyPath} : {}),
          ...(d.startLine ? {line: d.startLine} : {}),
        }
        if (d.ruleId === 'F3006' && UNCHECKED_TYPES.some((t) => d.message.includes(`'${t}'`))) unchecked.push(finding)
        else if (d.severity === 'FATAL' || d.severity === 'ERROR') errors.push(finding)
        else if (d.severity === 'WARN') warnings.push(finding)
      }
    }
  } finally {
    engine.free()
  }
  return {templates: Object.keys(templates).length, errors, warnings, unchecked, engine: `@aws/cloudformation-validate ${mod.version()}`}
}
