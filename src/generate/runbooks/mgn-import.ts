/**
 * The Application Migration Service import file for one wave: one row per server to rehost, in the
 * columns of MGN's "Import parameters" table (MGN User Guide, "Importing your data inventory").
 * `mgn:server:user-provided-id` is the migrate-plan server id, which the agent install commands in
 * the runbook pass as `--user-provided-id`, so each agent joins its imported source server.
 */
import {csvFile} from '../common/csv.js'
import {plainText} from '../common/text.js'

export const MGN_IMPORT_COLUMNS = [
  'mgn:region',
  'mgn:wave:name',
  'mgn:wave:description',
  'mgn:app:name',
  'mgn:app:description',
  'mgn:server:user-provided-id',
  'mgn:server:platform',
  'mgn:server:fqdn-for-action-framework',
  'mgn:server:tag:Name',
  'mgn:server:tag:MigratePlanAccount',
  'mgn:launch:instance-type',
  'mgn:launch:placement:tenancy',
  'mgn:launch:placement:operating-system-licensing',
  'mgn:launch:tag:instance:Name',
  'mgn:launch:tag:instance:MigratePlanWave',
] as const

export interface MgnServerRow {
  readonly id: string
  readonly name: string
  readonly platform: 'LINUX' | 'WINDOWS'
  /** FQDN, else the first address: MGN needs one of them. */
  readonly address: string
  readonly group: string
  readonly account: string
  readonly instanceType: string
  readonly windowsLicensing?: 'LI' | 'BYOL'
}

/** A user-provided id as the agent accepts it: ASCII letters, digits, `-` and `_` only. */
export function userProvidedId(id: string): string {
  return id.replace(/[^A-Za-z0-9_-]/g, '-').slice(0, 128)
}

export function mgnImportCsv(region: string, wave: {number: number; name: string; start?: string}, rows: readonly MgnServerRow[]): string {
  const waveName = `wave-${String(wave.number).padStart(2, '0')}`
  return csvFile(
    MGN_IMPORT_COLUMNS,
    rows.map((r) => [
      region,
      waveName,
      plainText(`${wave.name}${wave.start ? `, starts ${wave.start}` : ''}`, 600),
      plainText(r.group, 256) || 'unnamed',
      'move group from migrate-plan',
      userProvidedId(r.id),
      r.platform,
      plainText(r.address, 255),
      plainText(r.name, 256),
      r.account,
      r.instanceType,
      'default',
      r.platform === 'WINDOWS' ? r.windowsLicensing : undefined,
      plainText(r.name, 256),
      String(wave.number),
    ]),
  )
}
