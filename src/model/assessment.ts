/**
 * The Assessment document: the rules engine's verdict per server (strategy, target, sizing, cost,
 * evidence). Versioned; stored in the workspace (document kind `assessment`).
 *
 * Skeleton: the assessment issue fills it out. The fields below are read by wave planning,
 * generators and reports and keep their names and meaning.
 */
export const ASSESSMENT_SCHEMA_VERSION = 'migrate-plan.assessment/1'

/** The 7 Rs of AWS migration strategies. */
export type Strategy = 'retire' | 'retain' | 'relocate' | 'rehost' | 'repurchase' | 'replatform' | 'refactor'

/** Where a workload lands on AWS. */
export type TargetService =
  | 'ec2'
  | 'lambda'
  | 'fargate'
  | 'rds'
  | 'aurora'
  | 'amazon-mq'
  | 'msk'
  | 'elasticache'
  | 'efs'
  | 'fsx-windows'
  | 'fsx-lustre'
  | 'emr'
  | 'transfer-family'
  | 'saas'
  | 'vmware-cloud-on-aws'
  | 'none'

export interface ServerAssessment {
  readonly serverId: string
  readonly name: string
  readonly strategy: Strategy
  readonly target: {
    readonly service: TargetService
    /** EC2 instance type (or RDS/ElastiCache node type) when the target has one. */
    readonly instanceType?: string
  }
}

export interface Assessment {
  readonly schemaVersion: typeof ASSESSMENT_SCHEMA_VERSION
  /** Ordered by serverId. */
  readonly servers: readonly ServerAssessment[]
}
