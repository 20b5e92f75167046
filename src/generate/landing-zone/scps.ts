/**
 * Baseline service control policies and the OUs they attach to. Each stays under the 5,120
 * character SCP size limit (checked in the tests, whitespace removed as Organizations counts it).
 */
import type {LandingZoneDesign} from './design.js'

export interface Scp {
  /** File stem and policy name: `deny-leave-organization`. */
  readonly name: string
  readonly description: string
  /** OU paths the policy attaches to. */
  readonly targets: readonly string[]
  readonly document: {readonly Version: '2012-10-17'; readonly Statement: readonly Record<string, unknown>[]}
}

/** Control Tower's own roles: exempt so Control Tower and StackSets keep working. */
const CONTROL_TOWER_ROLES = [
  'arn:*:iam::*:role/AWSControlTowerExecution',
  'arn:*:iam::*:role/aws-controltower-*',
  'arn:*:iam::*:role/stacksets-exec-*',
]

/**
 * Global and billing services the Region deny must not block, as AWS Control Tower's Region deny
 * control (GRREGIONDENY) lists them:
 * https://docs.aws.amazon.com/controltower/latest/controlreference/primary-region-deny-policy.html
 */
export const GLOBAL_SERVICE_ACTIONS: readonly string[] = [
  'a4b:*',
  'access-analyzer:*',
  'account:*',
  'acm:*',
  'activate:*',
  'artifact:*',
  'aws-marketplace-management:*',
  'aws-marketplace:*',
  'aws-portal:*',
  'billing:*',
  'billingconductor:*',
  'budgets:*',
  'ce:*',
  'chatbot:*',
  'chime:*',
  'cloudfront:*',
  'cloudtrail:LookupEvents',
  'compute-optimizer:*',
  'config:*',
  'consoleapp:*',
  'consolidatedbilling:*',
  'cur:*',
  'datapipeline:GetAccountLimits',
  'devicefarm:*',
  'directconnect:*',
  'ec2:DescribeRegions',
  'ec2:DescribeTransitGateways',
  'ec2:DescribeVpnGateways',
  'ecr-public:*',
  'fms:*',
  'freetier:*',
  'globalaccelerator:*',
  'health:*',
  'iam:*',
  'importexport:*',
  'invoicing:*',
  'iq:*',
  'kms:*',
  'license-manager:ListReceivedLicenses',
  'lightsail:Get*',
  'mobileanalytics:*',
  'networkmanager:*',
  'notifications-contacts:*',
  'notifications:*',
  'organizations:*',
  'payments:*',
  'pricing:*',
  'quicksight:DescribeAccountSubscription',
  'resource-explorer-2:*',
  'route53-recovery-cluster:*',
  'route53-recovery-control-config:*',
  'route53-recovery-readiness:*',
  'route53:*',
  'route53domains:*',
  's3:CreateMultiRegionAccessPoint',
  's3:DeleteMultiRegionAccessPoint',
  's3:DescribeMultiRegionAccessPointOperation',
  's3:GetAccountPublicAccessBlock',
  's3:GetBucketLocation',
  's3:GetBucketPolicyStatus',
  's3:GetBucketPublicAccessBlock',
  's3:GetMultiRegionAccessPoint',
  's3:GetMultiRegionAccessPointPolicy',
  's3:GetMultiRegionAccessPointPolicyStatus',
  's3:GetStorageLensConfiguration',
  's3:GetStorageLensDashboard',
  's3:ListAllMyBuckets',
  's3:ListMultiRegionAccessPoints',
  's3:ListStorageLensConfigurations',
  's3:PutAccountPublicAccessBlock',
  's3:PutMultiRegionAccessPointPolicy',
  'savingsplans:*',
  'shield:*',
  'sso:*',
  'sts:*',
  'support:*',
  'supportapp:*',
  'supportplans:*',
  'sustainability:*',
  'tag:GetResources',
  'tax:*',
  'trustedadvisor:*',
  'vendor-insights:ListEntitledSecurityProfiles',
  'waf-regional:*',
  'waf:*',
  'wafv2:*',
]

const WORKLOAD_OUS = ['Infrastructure', 'Workloads', 'Sandbox']
const ALL_OUS = ['Security', ...WORKLOAD_OUS]

export function baselineScps(design: LandingZoneDesign): Scp[] {
  return [
    {
      name: 'deny-leave-organization',
      description: 'Accounts cannot leave the organisation (and escape its controls and billing).',
      targets: ALL_OUS,
      document: {
        Version: '2012-10-17',
        Statement: [{Sid: 'DenyLeaveOrganization', Effect: 'Deny', Action: ['organizations:LeaveOrganization'], Resource: '*'}],
      },
    },
    {
      name: 'deny-outside-governed-regions',
      description: `Nothing runs outside the governed regions (${design.governedRegions.join(', ')}); global services and Control Tower roles are exempt.`,
      targets: ALL_OUS,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyOutsideGovernedRegions',
            Effect: 'Deny',
            NotAction: GLOBAL_SERVICE_ACTIONS,
            Resource: '*',
            Condition: {
              StringNotEquals: {'aws:RequestedRegion': design.governedRegions},
              ArnNotLike: {'aws:PrincipalARN': CONTROL_TOWER_ROLES},
            },
          },
        ],
      },
    },
    {
      name: 'protect-log-archive-and-control-tower',
      description: 'Nobody but Control Tower can stop, delete or change the trails, Config, log buckets, log groups and roles it manages.',
      targets: ALL_OUS,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'ProtectCloudTrail',
            Effect: 'Deny',
            Action: ['cloudtrail:DeleteTrail', 'cloudtrail:PutEventSelectors', 'cloudtrail:StopLogging', 'cloudtrail:UpdateTrail'],
            Resource: 'arn:*:cloudtrail:*:*:trail/aws-controltower-*',
            Condition: {ArnNotLike: {'aws:PrincipalARN': CONTROL_TOWER_ROLES}},
          },
          {
            Sid: 'ProtectConfig',
            Effect: 'Deny',
            Action: [
              'config:DeleteAggregationAuthorization',
              'config:DeleteConfigurationRecorder',
              'config:DeleteDeliveryChannel',
              'config:DeleteRetentionConfiguration',
              'config:PutConfigurationRecorder',
              'config:PutDeliveryChannel',
              'config:PutRetentionConfiguration',
              'config:StopConfigurationRecorder',
            ],
            Resource: '*',
            Condition: {ArnNotLike: {'aws:PrincipalARN': CONTROL_TOWER_ROLES}},
          },
          {
            Sid: 'ProtectLogArchiveBuckets',
            Effect: 'Deny',
            Action: [
              's3:DeleteBucket',
              's3:DeleteBucketPolicy',
              's3:DeleteObject',
              's3:DeleteObjectVersion',
              's3:PutBucketAcl',
              's3:PutBucketLogging',
              's3:PutBucketObjectLockConfiguration',
              's3:PutBucketPolicy',
              's3:PutBucketPublicAccessBlock',
              's3:PutBucketVersioning',
              's3:PutEncryptionConfiguration',
              's3:PutLifecycleConfiguration',
              's3:PutReplicationConfiguration',
            ],
            Resource: ['arn:*:s3:::aws-controltower*', 'arn:*:s3:::aws-controltower*/*'],
            Condition: {ArnNotLike: {'aws:PrincipalARN': CONTROL_TOWER_ROLES}},
          },
          {
            Sid: 'ProtectControlTowerLogsAndRoles',
            Effect: 'Deny',
            Action: [
              'iam:AttachRolePolicy',
              'iam:DeleteRole',
              'iam:DeleteRolePolicy',
              'iam:DetachRolePolicy',
              'iam:PutRolePolicy',
              'iam:UpdateAssumeRolePolicy',
              'iam:UpdateRole',
              'lambda:DeleteFunction',
              'lambda:UpdateFunctionCode',
              'lambda:UpdateFunctionConfiguration',
              'logs:DeleteLogGroup',
              'logs:PutRetentionPolicy',
              'sns:DeleteTopic',
              'sns:SetTopicAttributes',
              'sns:Subscribe',
              'sns:Unsubscribe',
            ],
            Resource: [
              'arn:*:iam::*:role/aws-controltower-*',
              'arn:*:iam::*:role/AWSControlTowerExecution',
              'arn:*:lambda:*:*:function:aws-controltower-*',
              'arn:*:logs:*:*:log-group:*aws-controltower*',
              'arn:*:sns:*:*:aws-controltower-*',
            ],
            Condition: {ArnNotLike: {'aws:PrincipalARN': CONTROL_TOWER_ROLES}},
          },
        ],
      },
    },
    {
      name: 'deny-root-user',
      description:
        "No actions as an account's root user (use IAM Identity Center); the root user remains for break-glass via the management account.",
      targets: ALL_OUS,
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'DenyRootUser',
            Effect: 'Deny',
            Action: '*',
            Resource: '*',
            Condition: {StringLike: {'aws:PrincipalArn': ['arn:*:iam::*:root']}},
          },
        ],
      },
    },
    {
      name: 'deny-all-suspended',
      description: 'Accounts in the Suspended OU can do nothing.',
      targets: ['Suspended'],
      document: {Version: '2012-10-17', Statement: [{Sid: 'DenyAll', Effect: 'Deny', Action: '*', Resource: '*'}]},
    },
  ]
}

/** Size as AWS Organizations counts it: the policy without insignificant whitespace. */
export function scpSize(scp: Scp): number {
  return JSON.stringify(scp.document).length
}
