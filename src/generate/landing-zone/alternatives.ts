/**
 * The same landing zone for teams that use Customizations for AWS Control Tower (CfCT) or the
 * Landing Zone Accelerator on AWS (LZA), in the layouts of their published example configurations.
 */
import {hashHeader} from '../common/header.js'
import {pascal} from '../common/text.js'
import {toYaml} from '../cloudformation/template.js'
import type {LandingZoneDesign} from './design.js'
import type {Scp} from './scps.js'

/** CfCT `manifest.yaml` (version 2021-03-15): the SCPs, and the stacks given to it. */
export function cfctManifest(
  design: LandingZoneDesign,
  scps: readonly Scp[],
  stacks: readonly {name: string; file: string; accounts: readonly string[]; regions: readonly string[]; description: string}[],
): string {
  const manifest = {
    region: design.homeRegion,
    version: '2021-03-15',
    resources: [
      ...scps.map((s) => ({
        name: s.name,
        description: s.description,
        resource_file: `policies/${s.name}.json`,
        deploy_method: 'scp',
        deployment_targets: {organizational_units: s.targets.map(cfctOu)},
      })),
      ...stacks.map((s) => ({
        name: s.name,
        description: s.description,
        resource_file: s.file,
        deploy_method: 'stack_set',
        deployment_targets: {accounts: s.accounts},
        regions: s.regions,
      })),
    ],
  }
  // CfCT's schema (manifest-v2.schema.yaml) types `version` as a YAML date: it must stay unquoted.
  const text = toYaml(manifest).replace(/^version: "2021-03-15"$/m, 'version: 2021-03-15')
  return hashHeader('Customizations for AWS Control Tower manifest; put this folder in the CfCT configuration repository.') + text
}

/** CfCT names nested OUs by path with a colon in newer releases; top-level names are plain. */
function cfctOu(path: string): string {
  return path.split('/').join(':')
}

/** LZA account name: no spaces (`retail-prod` → `RetailProd`). */
export function lzaName(key: string): string {
  return pascal(key)
}

export function lzaAccountsConfig(design: LandingZoneDesign, managementEmail: string): string {
  const byKind = (k: string) => design.accounts.find((a) => a.kind === k)!
  const config = {
    mandatoryAccounts: [
      {
        name: 'Management',
        description: 'The management account (it exists already: put its root e-mail address here).',
        email: managementEmail,
        organizationalUnit: 'Root',
      },
      {name: 'LogArchive', description: byKind('log-archive').purpose, email: byKind('log-archive').email, organizationalUnit: 'Security'},
      {name: 'Audit', description: byKind('audit').purpose, email: byKind('audit').email, organizationalUnit: 'Security'},
    ],
    workloadAccounts: design.accounts
      .filter((a) => a.kind !== 'log-archive' && a.kind !== 'audit')
      .map((a) => ({name: lzaName(a.key), description: a.purpose, email: a.email, organizationalUnit: a.ou})),
  }
  return (
    hashHeader('Landing Zone Accelerator accounts-config.yaml.', `Check the Management e-mail: ${managementEmail} is a guess.`) +
    toYaml(config)
  )
}

export function lzaOrganizationConfig(design: LandingZoneDesign, scps: readonly Scp[]): string {
  const config = {
    enable: true,
    organizationalUnits: design.ous.map((o) => ({name: o.path})),
    quarantineNewAccounts: {enable: false},
    serviceControlPolicies: scps.map((s) => ({
      name: pascal(s.name),
      description: s.description,
      policy: `service-control-policies/${s.name}.json`,
      type: 'customerManaged',
      deploymentTargets: {organizationalUnits: s.targets},
    })),
    taggingPolicies: [],
    backupPolicies: [],
  }
  return hashHeader('Landing Zone Accelerator organization-config.yaml.') + toYaml(config)
}
