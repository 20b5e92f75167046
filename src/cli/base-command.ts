/**
 * What every command shares: `--json`, `--workspace`, error mapping to exit codes, progress on a
 * terminal, and human output only when JSON is off.
 */
import {Command, Errors, Flags, type Interfaces} from '@oclif/core'

import {isMigratePlanError} from '../errors.js'
import {Workspace, WORKSPACE_ENV, type OpenOptions} from '../workspace/workspace.js'
import {writePrettyJson} from './json-out.js'
import {Progress} from './progress.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof BaseCommand)['baseFlags'] & T['flags']>
export type BaseArgs<T extends typeof Command> = Interfaces.InferredArgs<T['args']>

export abstract class BaseCommand<T extends typeof Command> extends Command {
  static override enableJsonFlag = true

  static override baseFlags = {
    workspace: Flags.directory({
      char: 'w',
      summary: 'Workspace folder (migrate-plan.yaml and workspace.db).',
      description: `Created on first import. Defaults to the current folder, or $${WORKSPACE_ENV} when set.`,
      env: WORKSPACE_ENV,
      default: '.',
      helpGroup: 'GLOBAL',
    }),
  }

  protected flags!: BaseFlags<T>
  protected args!: BaseArgs<T>
  /** Every positional argument, for commands with `strict = false` that take a list. */
  protected positional: string[] = []
  private workspaceHandle: Workspace | undefined

  public override async init(): Promise<void> {
    await super.init()
    const {args, flags, argv} = await this.parse({
      flags: this.ctor.flags,
      baseFlags: (this.ctor as typeof BaseCommand).baseFlags,
      enableJsonFlag: this.ctor.enableJsonFlag,
      args: this.ctor.args,
      strict: this.ctor.strict,
    })
    this.flags = flags as BaseFlags<T>
    this.args = args as BaseArgs<T>
    this.positional = argv.map(String)
  }

  /** Open the workspace named by --workspace; closed automatically when the command ends. */
  protected openWorkspace(options: OpenOptions = {}): Workspace {
    this.workspaceHandle ??= Workspace.open(this.flags.workspace, options)
    return this.workspaceHandle
  }

  /** A progress line on stderr, shown only on an interactive terminal without --json. */
  protected progress(label: string): Progress {
    return new Progress(label, {enabled: !this.jsonEnabled() && Boolean(process.stderr.isTTY) && !process.env.CI})
  }

  /**
   * Pretty JSON on stdout. Colours (oclif's logJson) only on a terminal and for small values: that
   * path builds the whole text as one string and re-tokenises it, which fails or takes minutes on a
   * 100,000-server document.
   */
  public override logJson(json: unknown): void {
    if (process.stdout.isTTY) {
      let small = false
      try {
        small = (JSON.stringify(json)?.length ?? 0) < 1_000_000
      } catch {
        // longer than a string can be: write it in pieces
      }
      if (small) return super.logJson(json)
    }
    writePrettyJson(json, (chunk) => process.stdout.write(chunk))
  }

  protected override async catch(err: Error & {exitCode?: number}): Promise<unknown> {
    if (isMigratePlanError(err)) {
      const cli = new Errors.CLIError(err.message, {exit: err.exitCode, code: err.code, ...(err.hint ? {suggestions: [err.hint]} : {})})
      Object.assign(cli, {exitCode: err.exitCode})
      return super.catch(cli)
    }
    return super.catch(err)
  }

  protected override async finally(err: Error | undefined): Promise<unknown> {
    this.workspaceHandle?.close()
    return super.finally(err)
  }
}
