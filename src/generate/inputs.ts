/**
 * The stored documents the generators read, with the command to run when one is missing or from
 * an older schema. Pure: the caller loads the documents.
 */
import {UserInputError} from '../errors.js'
import {ASSESSMENT_SCHEMA_VERSION, type Assessment} from '../model/assessment.js'
import {PLAN_SCHEMA_VERSION, type Plan} from '../model/plan.js'

export function requireAssessment(doc: {schemaVersion?: string} | undefined): Assessment {
  if (!doc) {
    throw new UserInputError('NO_ASSESSMENT', 'the workspace has no assessment yet', {
      hint: 'Run `migrate-plan assess` first, then generate again.',
    })
  }
  if (doc.schemaVersion !== ASSESSMENT_SCHEMA_VERSION) {
    throw new UserInputError(
      'OLD_ASSESSMENT',
      `the stored assessment is ${String(doc.schemaVersion)}, this version reads ${ASSESSMENT_SCHEMA_VERSION}`,
      {
        hint: 'Run `migrate-plan assess` again.',
      },
    )
  }
  return doc as Assessment
}

export function requirePlan(doc: {schemaVersion?: string} | undefined): Plan {
  if (!doc)
    throw new UserInputError('NO_PLAN', 'the workspace has no wave plan yet', {
      hint: 'Run `migrate-plan waves` first, then generate again.',
    })
  if (doc.schemaVersion !== PLAN_SCHEMA_VERSION) {
    throw new UserInputError('OLD_PLAN', `the stored plan is ${String(doc.schemaVersion)}, this version reads ${PLAN_SCHEMA_VERSION}`, {
      hint: 'Run `migrate-plan waves` again.',
    })
  }
  return doc as Plan
}

/** `--wave N` must name a wave of the plan. */
export function checkWave(plan: Plan, wave: number | undefined): void {
  if (wave !== undefined && !plan.waves.some((w) => w.number === wave)) {
    throw new UserInputError(
      'NO_SUCH_WAVE',
      `the plan has no wave ${wave} (it has ${plan.waves.map((w) => w.number).join(', ') || 'none'})`,
      {
        hint: 'Give a wave number from `migrate-plan waves`.',
      },
    )
  }
}
