/**
 * The AWS Control Tower landing zone manifest (the `manifest` document of CreateLandingZone,
 * landing zone version 3.3), validated against AWS's published 3.3 JSON schema before it is
 * returned, and the script that creates the two foundational accounts and the landing zone.
 */
import {Ajv, type ValidateFunction} from 'ajv'

import {hashHeader} from '../common/header.js'
import type {LandingZoneDesign} from './design.js'
import type {LandingZoneSettings} from '../../model/settings.js'
import manifestSchema from './data/landing-zone-3.3-manifest-schema.json' with {type: 'json'}

export const LANDING_ZONE_VERSION = '3.3'
/** Stand-ins for account ids that do not exist yet; create-landing-zone.sh replaces them. */
export const LOG_ARCHIVE_PLACEHOLDER = '111111111111'
export const AUDIT_PLACEHOLDER = '222222222222'

export interface ControlTowerManifest {
  readonly governedRegions: readonly string[]
  readonly organizationStructure: {readonly security: {readonly name: string}; readonly sandbox: {readonly name: string}}
  readonly centralizedLogging: {
    readonly accountId: string
    readonly configurations: {
      readonly loggingBucket: {readonly retentionDays: number}
      readonly accessLoggingBucket: {readonly retentionDays: number}
      readonly kmsKeyArn?: string
    }
    readonly enabled: boolean
  }
  readonly securityRoles: {readonly accountId: string}
  readonly accessManagement: {readonly enabled: boolean}
}

let validator: ValidateFunction | undefined

/** The 3.3 schema validator (compiled once). */
export function manifestValidator(): ValidateFunction {
  if (!validator) {
    // The AWS schema puts `additionalProperties` on strings; strictTypes would reject that.
    validator = new Ajv({allErrors: true, strictTypes: false}).compile(manifestSchema)
  }
  return validator
}

export function buildManifest(design: LandingZoneDesign, lz: LandingZoneSettings): ControlTowerManifest {
  const manifest: ControlTowerManifest = {
    governedRegions: design.governedRegions,
    organizationStructure: {security: {name: 'Security'}, sandbox: {name: 'Sandbox'}},
    centralizedLogging: {
      accountId: lz.logArchiveAccountId ?? LOG_ARCHIVE_PLACEHOLDER,
      configurations: {
        loggingBucket: {retentionDays: lz.logRetentionDays},
        accessLoggingBucket: {retentionDays: lz.accessLogRetentionDays},
        ...(lz.kmsKeyArn ? {kmsKeyArn: lz.kmsKeyArn} : {}),
      },
      enabled: true,
    },
    securityRoles: {accountId: lz.auditAccountId ?? AUDIT_PLACEHOLDER},
    accessManagement: {enabled: true},
  }
  const validate = manifestValidator()
  if (!validate(manifest)) {
    // Our own output failed AWS's schema: a bug here, never the user's input.
    throw new Error(`generated Control Tower manifest fails the ${LANDING_ZONE_VERSION} schema: ${JSON.stringify(validate.errors)}`)
  }
  return manifest
}

/** Shell script: create Log Archive and Audit (when their ids are unknown), then the landing zone. */
export function createLandingZoneScript(design: LandingZoneDesign, lz: LandingZoneSettings): string {
  const la = design.accounts.find((a) => a.kind === 'log-archive')!
  const au = design.accounts.find((a) => a.kind === 'audit')!
  const lines = [
    '#!/usr/bin/env bash',
    hashHeader(
      'Creates the AWS Control Tower landing zone from landing-zone-manifest.json.',
      'Run from the management account, in the home region, with the AWS CLI v2 and jq.',
    ).trimEnd(),
    'set -euo pipefail',
    `cd "$(dirname "$0")"`,
    `export AWS_REGION=${design.homeRegion}`,
    '',
    '# Creates an account through AWS Organizations and prints its id once it exists.',
    'create_account() {',
    '  local name=$1 email=$2 request state',
    '  request=$(aws organizations create-account --account-name "$name" --email "$email" --query CreateAccountStatus.Id --output text)',
    '  while :; do',
    '    state=$(aws organizations describe-create-account-status --create-account-request-id "$request" --query CreateAccountStatus.State --output text)',
    '    case $state in',
    '      SUCCEEDED) aws organizations describe-create-account-status --create-account-request-id "$request" --query CreateAccountStatus.AccountId --output text; return ;;',
    '      FAILED) aws organizations describe-create-account-status --create-account-request-id "$request" >&2; return 1 ;;',
    '    esac',
    '    sleep 15',
    '  done',
    '}',
    '',
    'manifest=$(cat landing-zone-manifest.json)',
  ]
  if (!lz.logArchiveAccountId) {
    lines.push(
      `log_archive=$(create_account ${la.name} ${la.email})`,
      `manifest=$(jq --arg id "$log_archive" '.centralizedLogging.accountId = $id' <<<"$manifest")`,
    )
  }
  if (!lz.auditAccountId) {
    lines.push(
      `audit=$(create_account ${au.name} ${au.email})`,
      `manifest=$(jq --arg id "$audit" '.securityRoles.accountId = $id' <<<"$manifest")`,
    )
  }
  lines.push(
    '',
    `aws controltower create-landing-zone --landing-zone-version ${LANDING_ZONE_VERSION} --manifest "$manifest"`,
    'echo "Landing zone creation started; follow it with: aws controltower list-landing-zone-operations"',
    '',
  )
  return lines.join('\n')
}
