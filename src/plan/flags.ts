/** Wave settings from migrate-plan.yaml with command-line flags applied on top. Pure. */
import {UserInputError} from '../errors.js'
import {wavesSettingsSchema, type WavesSettings} from '../model/settings.js'

export interface WaveFlags {
  readonly maxServers?: number
  readonly startDate?: string
  readonly cadenceDays?: number
  readonly blackout?: readonly string[]
  /** `payroll=3` */
  readonly pin?: readonly string[]
  /** `payroll,hr` */
  readonly moveTogether?: readonly string[]
  readonly pilot?: boolean
}

/** Flags win over settings; lists (blackouts, pins, move-together) are added to the settings' own. */
export function applyWaveFlags(settings: WavesSettings, flags: WaveFlags): WavesSettings {
  const pins: Record<string, number> = {...settings.pins}
  for (const p of flags.pin ?? []) {
    const m = /^(.+)=(\d+)$/.exec(p.trim())
    if (!m || Number(m[2]) < 1) {
      throw new UserInputError('WAVES_BAD_PIN', `cannot read --pin ${JSON.stringify(p)}`, {
        hint: 'Write --pin GROUP=WAVE, e.g. --pin payroll=3 (waves count from 1).',
      })
    }
    pins[m[1]!.trim()] = Number(m[2])
  }
  const together = [...settings.moveTogether]
  for (const t of flags.moveTogether ?? []) {
    const names = t
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean)
    if (names.length < 2) {
      throw new UserInputError('WAVES_BAD_MOVE_TOGETHER', `--move-together ${JSON.stringify(t)} names fewer than two groups`, {
        hint: 'Write --move-together payroll,hr',
      })
    }
    together.push(names)
  }
  const merged = {
    ...settings,
    ...(flags.maxServers === undefined ? {} : {maxServersPerWave: flags.maxServers}),
    ...(flags.startDate === undefined ? {} : {startDate: flags.startDate}),
    ...(flags.cadenceDays === undefined ? {} : {cadenceDays: flags.cadenceDays}),
    blackoutDates: [...settings.blackoutDates, ...(flags.blackout ?? [])],
    pins,
    moveTogether: together,
    pilot: flags.pilot === undefined ? settings.pilot : {...settings.pilot, enabled: flags.pilot},
  }
  const result = wavesSettingsSchema.safeParse(merged)
  if (!result.success) {
    const issue = result.error.issues[0]!
    throw new UserInputError('WAVES_BAD_FLAG', `${issue.path.join('.') || 'flags'}: ${issue.message}`, {
      hint: 'Check the flag values; see `migrate-plan waves --help`.',
    })
  }
  return result.data
}
