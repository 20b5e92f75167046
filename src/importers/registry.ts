/**
 * Every importer, in detection order: the most specific formats first, the generic CSV last
 * (it only claims a file when forced with --format generic-csv).
 */
import {UserInputError} from '../errors.js'
import {adsConnectionsImporter} from './ads-connections.js'
import {agentImporter} from './agent.js'
import {awsImportTemplateImporter} from './aws-import-template.js'
import {azureMigrateImporter} from './azure-migrate.js'
import {connectionsCsvImporter} from './connections-csv.js'
import {genericCsvImporter} from './generic-csv.js'
import {migrationEvaluatorImporter} from './migration-evaluator.js'
import {rvtoolsImporter} from './rvtools.js'
import type {FormatId, Importer} from './types.js'

export const IMPORTERS: readonly Importer[] = [
  agentImporter,
  awsImportTemplateImporter,
  migrationEvaluatorImporter,
  azureMigrateImporter,
  rvtoolsImporter,
  adsConnectionsImporter,
  connectionsCsvImporter,
  genericCsvImporter,
]

export function importerFor(format: string): Importer {
  const hit = IMPORTERS.find((i) => i.format === format)
  if (!hit) {
    throw new UserInputError('IMPORT_UNKNOWN_FORMAT_FLAG', `unknown format ${JSON.stringify(format)}`, {
      hint: `Use one of: ${IMPORTERS.map((i) => i.format).join(', ')}.`,
    })
  }
  return hit
}

export const FORMAT_IDS: readonly FormatId[] = IMPORTERS.map((i) => i.format)
