/**
 * Control Tower proactive controls (the cfn-guard rules shipped in @cdklabs/cdk-validator-cfnguard)
 * that generated templates fail, each with its reason. docs/cloudformation.md lists them; the tests
 * fail on any failure not listed here.
 *
 * Two kinds:
 * - `deploy-time`: the template passes a parameter or an import where the control wants a literal.
 *   At deployment the control runs as a CloudFormation hook on the resolved values, and the tests
 *   show those pass (the same rules over the template with sample values substituted).
 * - `justified`: a deliberate choice that fails the control even with resolved values.
 */
export interface GuardException {
  /** Control id, e.g. `CT.RDS.PR.1`. */
  readonly control: string
  /** cfn-guard rule name. */
  readonly rule: string
  readonly kind: 'deploy-time' | 'justified'
  /** Where it happens. */
  readonly applies: string
  readonly why: string
}

export const GUARD_EXCEPTIONS: readonly GuardException[] = [
  {
    control: 'CT.ELASTICLOADBALANCING.PR.2',
    rule: 'elbv2_acm_certificate_required_check',
    kind: 'deploy-time',
    applies: 'HTTPS listeners of web tiers',
    why: 'The certificate is the CertificateArn parameter (it belongs to the account and domain); the control accepts only a literal ACM ARN or a certificate in the same template. With the ARN given at deployment it passes.',
  },
  {
    control: 'CT.ELASTICLOADBALANCING.PR.6',
    rule: 'elbv2_logging_enabled_check',
    kind: 'deploy-time',
    applies: 'load balancers of web tiers',
    why: 'Access logging is on; the bucket is the AccessLogsBucket parameter (a central log bucket, not one per stack). With the name given at deployment it passes.',
  },
  {
    control: 'CT.LAMBDA.PR.2',
    rule: 'lambda_function_public_access_prohibited_check',
    kind: 'deploy-time',
    applies: 'the API Gateway permission of refactored functions',
    why: 'The permission is limited by SourceArn (this API) and SourceAccount, both built with Fn::Sub and Ref; the control reads only literal strings. Resolved, it passes.',
  },
  {
    control: 'CT.LAMBDA.PR.3',
    rule: 'lambda_inside_vpc_check',
    kind: 'deploy-time',
    applies: 'refactored functions',
    why: 'Functions run in the app subnets, imported from the network stack (Fn::ImportValue); the control reads only literal subnet ids. Resolved, it passes.',
  },
  {
    control: 'CT.AUTOSCALING.PR.11',
    rule: 'autoscaling_group_nitro_encryption_in_transit_override_check',
    kind: 'justified',
    applies: 'web tiers whose right-sized type is burstable or older than 6th generation (t3, m5 …)',
    why: 'The control wants instance types that encrypt traffic between instances. Web-tier instances behind a load balancer do not talk to each other, and forcing e.g. m6i.large instead of a right-sized t3.medium would double the cost the assessment chose.',
  },
  {
    control: 'CT.RDS.PR.1',
    rule: 'rds_instance_multi_az_support_check',
    kind: 'justified',
    applies: 'RDS instances in non-production accounts',
    why: 'Non-production databases run Single-AZ to halve their cost; production ones are Multi-AZ.',
  },
]
