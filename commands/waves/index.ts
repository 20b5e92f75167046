import {Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {ASSESSMENT_SCHEMA_VERSION, type Assessment} from '../../src/model/assessment.js'
import type {Plan} from '../../src/model/plan.js'
import {applyWaveFlags} from '../../src/plan/flags.js'
import {buildPlan} from '../../src/plan/plan.js'
import {renderWavesSummary} from '../../src/plan/summary.js'

/** The --json contract: the Plan document as stored in the workspace. */
export type WavesResult = Plan

export default class Waves extends BaseCommand<typeof Waves> {
  static override summary = 'Map dependencies, form move groups and plan dated migration waves.'
  static override description = `Builds the dependency graph from every connection source, takes shared services (DNS, directory, NTP, mail, monitoring, backup, patching, hubs) out as prerequisites, groups servers into move groups (application labels first, then traffic), and packs the groups into waves: pilot first, dev/test before production, dependencies before or with their dependents, no wave over capacity. Every placement and date says why. The Plan is stored in the workspace. See docs/waves.md.`
  static override examples = [
    '<%= config.bin %> <%= command.id %>',
    {
      description: 'Dated waves every two weeks, 40 servers each',
      command: '<%= config.bin %> <%= command.id %> --start-date 2027-01-11 --cadence-days 14 --max-servers 40',
    },
    {
      description: 'Pin payroll to wave 3 and move hr with it',
      command: '<%= config.bin %> <%= command.id %> --pin payroll=3 --move-together payroll,hr --json',
    },
  ]
  static override flags = {
    'max-servers': Flags.integer({summary: 'Most servers in one wave (waves.maxServersPerWave).', min: 1}),
    'start-date': Flags.string({summary: 'First wave start, YYYY-MM-DD (waves.startDate).'}),
    'cadence-days': Flags.integer({summary: 'Days between wave starts (waves.cadenceDays).', min: 1}),
    blackout: Flags.string({summary: 'Blackout day or range FROM..TO; repeatable.', multiple: true}),
    pin: Flags.string({summary: 'Pin a group or application to a wave: NAME=WAVE; repeatable.', multiple: true}),
    'move-together': Flags.string({summary: 'Groups that move in one wave: A,B; repeatable.', multiple: true}),
    pilot: Flags.boolean({summary: 'Start with a small low-risk pilot wave (waves.pilot.enabled).', allowNo: true}),
  }

  public async run(): Promise<WavesResult> {
    const ws = this.openWorkspace()
    const f = this.flags
    const waves = applyWaveFlags(ws.settings.waves, {
      maxServers: f['max-servers'],
      startDate: f['start-date'],
      cadenceDays: f['cadence-days'],
      blackout: f.blackout,
      pin: f.pin,
      moveTogether: f['move-together'],
      pilot: f.pilot,
    })
    const stored = ws.loadDocument<Assessment>('assessment')
    const assessment = stored?.schemaVersion === ASSESSMENT_SCHEMA_VERSION ? stored : undefined
    const plan = buildPlan({
      servers: ws.planningServers(),
      connections: ws.connectionRows(),
      waves,
      onPremisesCidrs: ws.settings.organisation.onPremisesCidrs,
      assessment,
    })
    ws.saveDocument('plan', plan)
    if (!this.jsonEnabled()) this.log(renderWavesSummary(plan))
    return plan
  }
}
