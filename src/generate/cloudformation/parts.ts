/**
 * Building blocks every stack shares, written once so each passes the Control Tower proactive
 * controls the same way: customer-managed KMS keys (rotation on, grants only for AWS services),
 * encrypted log groups kept a year or more, and IAM roles without wildcard actions.
 */
import {ACCOUNT, PARTITION, getAtt, join, ref, sub, tags, type Props, type Template, type Value} from './template.js'

/** CloudWatch Logs retention values (days) that meet CT.CLOUDWATCH.PR.2 (at least 365). */
export const LOG_RETENTION_DAYS = [365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653]

/**
 * Retention for the stacks' log groups: the smallest CloudWatch value that is at least a year and
 * at least `landingZone.logRetentionDays`. A literal, not a parameter, so the proactive controls
 * can check it before deployment.
 */
export function logRetention(days: number): number {
  return LOG_RETENTION_DAYS.find((d) => d >= days) ?? 3653
}

/**
 * A symmetric customer-managed key with rotation, administered by the account, usable by the
 * given service principals (`logs.${AWS::Region}.amazonaws.com` …), and a statement that denies
 * grants to anything but AWS services (CT.KMS.PR.3).
 */
export function kmsKey(t: Template, id: string, description: string, services: readonly string[], tagSet: Record<string, string>): string {
  const statements: Props[] = [
    {
      Sid: 'AccountAdministers',
      Effect: 'Allow',
      Principal: {AWS: sub('arn:${AWS::Partition}:iam::${AWS::AccountId}:root')},
      Action: 'kms:*',
      Resource: '*',
    },
    {
      Sid: 'DenyGrantsExceptForAwsServices',
      Effect: 'Deny',
      Principal: {AWS: '*'},
      Action: ['kms:CreateGrant'],
      Resource: '*',
      Condition: {BoolIfExists: {'kms:GrantIsForAWSResource': 'false', 'aws:PrincipalIsAWSService': 'false'}},
    },
  ]
  if (services.length) {
    statements.push({
      Sid: 'ServicesUseTheKey',
      Effect: 'Allow',
      Principal: {Service: services.map((s) => (s.includes('${') ? sub(s) : s))},
      Action: ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:GenerateDataKey*', 'kms:ReEncrypt*'],
      Resource: '*',
      Condition: {StringEquals: {'aws:SourceAccount': ACCOUNT}},
    })
  }
  t.resource(
    id,
    'AWS::KMS::Key',
    {
      Description: description,
      EnableKeyRotation: true,
      KeyPolicy: {Version: '2012-10-17', Statement: statements},
      Tags: tags(tagSet),
    },
    {DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain'},
  )
  return id
}

/** An encrypted log group; `name` is our own text (never inventory text without sanitising). */
export function logGroup(
  t: Template,
  id: string,
  name: Value | undefined,
  keyArn: Value,
  retention: Value,
  tagSet: Record<string, string>,
): string {
  t.resource(
    id,
    'AWS::Logs::LogGroup',
    {
      ...(name === undefined ? {} : {LogGroupName: name}),
      KmsKeyId: keyArn,
      RetentionInDays: retention,
      Tags: tags(tagSet),
    },
    {DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain'},
  )
  return id
}

/** A role for an AWS service with AWS managed policies (by path) and explicit-action inline statements. */
export function serviceRole(
  t: Template,
  id: string,
  service: string | Props,
  managed: readonly string[],
  statements: readonly Props[],
  tagSet: Record<string, string>,
  roleName?: string,
  options: {Condition?: string} = {},
): string {
  t.resource(
    id,
    'AWS::IAM::Role',
    {
      ...(roleName ? {RoleName: roleName} : {}),
      AssumeRolePolicyDocument: {
        Version: '2012-10-17',
        Statement: [{Effect: 'Allow', Principal: {Service: service}, Action: 'sts:AssumeRole'}],
      },
      ...(managed.length ? {ManagedPolicyArns: managed.map((m) => join('', ['arn:', PARTITION, `:iam::aws:policy/${m}`]))} : {}),
      ...(statements.length
        ? {Policies: [{PolicyName: `${id}Policy`, PolicyDocument: {Version: '2012-10-17', Statement: statements}}]}
        : {}),
      Tags: tags(tagSet),
    },
    options,
  )
  return id
}

export {getAtt, ref}
