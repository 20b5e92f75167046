import {readFileSync} from 'node:fs'

import {Flags} from '@oclif/core'

import {assess} from '../src/assess/assess.js'
import {renderSummary} from '../src/assess/render.js'
import {builtinRules, mergeRules, parseUserRules} from '../src/assess/rules.js'
import {parseUsage} from '../src/assess/usage.js'
import {BaseCommand} from '../src/cli/base-command.js'
import {workspaceCatalog} from '../src/catalog/store.js'
import {ConfigError} from '../src/errors.js'
import type {Assessment} from '../src/model/assessment.js'

/** The --json contract: the Assessment document as stored in the workspace. */
export type AssessResult = Assessment

export default class Assess extends BaseCommand<typeof Assess> {
  static override summary = 'Right-size, price and pick a migration strategy (7 Rs) and target for every server.'
  static override description = `Performance-based right-sizing where utilisation is known (assess.percentile × assess.comfortFactor), as allocated where not; the cheapest fitting current-generation type; monthly cost per pricing model (730 h) with every price's source and date; EC2 vs Lambda vs Fargate fit and cost with break-even request volumes; strategy and managed-service target by declarative rules; findings (idle, end of support, licences). Stores the Assessment in the workspace (document "assessment") and prints a summary.

Settings: the assess section of migrate-plan.yaml (docs/assessment.md). Rules: docs/rules.md.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'With request volumes and your own rules',
      command: '<%= config.bin %> <%= command.id %> --usage usage.yaml --rules my-rules.yaml',
    },
    {description: 'Another region, as JSON', command: '<%= config.bin %> <%= command.id %> --region eu-west-1 --json'},
  ]
  static override flags = {
    usage: Flags.file({summary: 'Usage file (YAML/JSON): request volumes, durations, memory, refactorability per server.', exists: true}),
    rules: Flags.file({summary: 'Rules file (YAML/JSON) that adds, replaces or disables rules.', exists: true}),
    region: Flags.string({char: 'r', summary: 'Target region (overrides assess.region).'}),
    'as-of': Flags.string({summary: 'Reference date for end-of-support findings, YYYY-MM-DD (default assess.asOf, else today).'}),
  }

  public async run(): Promise<AssessResult> {
    const f = this.flags
    const ws = this.openWorkspace()
    const settings = {...ws.settings.assess, ...(f.region ? {region: f.region} : {})}
    if (!/^[a-z]{2}(-gov)?-[a-z]+-\d$/.test(settings.region)) {
      throw new ConfigError('ASSESS_BAD_REGION', `${JSON.stringify(settings.region)} is not an AWS region code`, {
        setting: 'assess.region',
        hint: 'For example: eu-west-1',
      })
    }
    const asOf = f['as-of'] ?? settings.asOf ?? new Date().toISOString().slice(0, 10)
    if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) {
      throw new ConfigError('ASSESS_BAD_DATE', `--as-of ${JSON.stringify(asOf)} is not a date`, {hint: 'Use YYYY-MM-DD.'})
    }
    const builtin = builtinRules()
    const rules = f.rules
      ? {
          rules: mergeRules(builtin.rules, parseUserRules(readFileSync(f.rules, 'utf8'), f.rules), f.rules),
          version: builtin.version,
          userFile: f.rules,
        }
      : builtin
    const usage = f.usage ? parseUsage(readFileSync(f.usage, 'utf8'), f.usage) : undefined
    const doc = assess({
      servers: ws.bareServers(),
      connections: ws.inboundConnections(),
      catalog: workspaceCatalog(ws),
      settings,
      asOf,
      rules,
      ...(usage ? {usage} : {}),
    })
    ws.saveDocument('assessment', doc)
    if (doc.diagnostics.length > 0) process.exitCode = 1
    this.log(renderSummary(doc))
    return doc
  }
}
