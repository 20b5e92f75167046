/**
 * Typed errors thrown by `src/`. Commands never format errors themselves: `BaseCommand.catch`
 * maps these to a message, a hint and an exit code (see {@link ExitCode}).
 */

/** Process exit codes, one table for the whole CLI. */
export const ExitCode = {
  /** Everything finished and nothing needs attention. */
  Ok: 0,
  /** Finished, but with diagnostics, failed hosts or blocking findings. */
  Problems: 1,
  /** Bad input or configuration; nothing was changed. */
  BadInput: 2,
  /** An AWS API call failed; nothing was changed. */
  AwsFailure: 3,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Where in an input file a problem is. Every part is optional: give what is known. */
export interface InputLocation {
  readonly file?: string
  readonly sheet?: string
  /** 1-based row number as a spreadsheet program shows it (the header is row 1). */
  readonly row?: number
  /** Column header name, or a letter/number when there is no header. */
  readonly column?: string
}

export function formatLocation(loc: InputLocation | undefined): string {
  if (!loc) return ''
  const parts: string[] = []
  if (loc.file) parts.push(loc.file)
  if (loc.sheet) parts.push(`sheet ${JSON.stringify(loc.sheet)}`)
  if (loc.row !== undefined) parts.push(`row ${loc.row}`)
  if (loc.column !== undefined) parts.push(`column ${JSON.stringify(loc.column)}`)
  return parts.join(', ')
}

export abstract class MigratePlanError extends Error {
  abstract readonly exitCode: ExitCode
  /** Stable machine-readable code, e.g. `IMPORT_MISSING_COLUMN`. */
  readonly code: string
  /** One line telling the user what to do about it. */
  readonly hint?: string

  constructor(code: string, message: string, hint?: string, options?: {cause?: unknown}) {
    super(message, options)
    this.code = code
    this.hint = hint
    this.name = new.target.name
  }
}

/** Bad input data: a file that cannot be read as what it claims to be, a bad value, a bad flag. */
export class UserInputError extends MigratePlanError {
  readonly exitCode = ExitCode.BadInput
  readonly location?: InputLocation

  constructor(code: string, message: string, opts: {hint?: string; location?: InputLocation; cause?: unknown} = {}) {
    const where = formatLocation(opts.location)
    super(code, where ? `${where}: ${message}` : message, opts.hint, {cause: opts.cause})
    this.location = opts.location
  }
}

/** Bad or missing settings in migrate-plan.yaml or flags that configure it. */
export class ConfigError extends MigratePlanError {
  readonly exitCode = ExitCode.BadInput
  /** Dotted path of the setting, e.g. `landingZone.emailDomain`. */
  readonly setting?: string

  constructor(code: string, message: string, opts: {hint?: string; setting?: string; cause?: unknown} = {}) {
    super(code, message, opts.hint, {cause: opts.cause})
    this.setting = opts.setting
  }
}

/** An AWS API call failed (credentials, throttling, access denied, endpoint). */
export class AwsServiceError extends MigratePlanError {
  readonly exitCode = ExitCode.AwsFailure
}

export function isMigratePlanError(e: unknown): e is MigratePlanError {
  return e instanceof MigratePlanError
}
