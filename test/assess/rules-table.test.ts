/**
 * The built-in rules as tables of cases: facts → expected strategy, target (and detail, via),
 * and the rule ids that must (and must not) fire. Runs the real rule files through decide().
 */
import {describe, expect, it} from 'vitest'

import {buildRuleSet} from '../../src/assess/engine.js'
import {builtinRules} from '../../src/assess/rules.js'
import {decide} from '../../src/assess/strategy.js'
import type {Strategy, TargetService} from '../../src/model/assessment.js'
import {assessSettingsSchema, type AssessSettings} from '../../src/model/settings.js'

type Facts = Record<string, Record<string, unknown> | undefined>

interface Case {
  readonly name: string
  readonly facts: Facts
  readonly settings?: Partial<AssessSettings>
  readonly strategy: Strategy
  readonly target: TargetService
  readonly detail?: string
  readonly via?: string
  readonly fired: readonly string[]
  readonly notFired?: readonly string[]
}

const ruleSet = buildRuleSet(builtinRules().rules)

function run(c: Pick<Case, 'facts' | 'settings'>): ReturnType<typeof decide> {
  const settings = {...assessSettingsSchema.parse({}), ...c.settings} as unknown as Record<string, unknown>
  const facts: Record<string, unknown> = {
    server: {},
    os: {},
    cpu: {},
    network: {},
    software: {},
    listeners: {},
    usage: {},
    pin: {},
    ...c.facts,
    settings,
  }
  return decide(ruleSet, facts, settings)
}

const linux = {family: 'linux', distro: 'ubuntu', version: '22.04', label: 'Ubuntu 22.04'}
const web = {names: ['nginx', 'nodejs'], categories: ['runtime', 'web-server'], known: true}
const http = {ports: [22, 443], httpPorts: [443], servicePorts: [443], httpCount: 1, nonHttpCount: 0, known: true}
const db = (name: string, extra: Record<string, unknown> = {}): Facts => ({
  os: linux,
  software: {names: [name], categories: ['database'], known: true},
  ...extra,
})
const spikyWeb = (cost: Record<string, number>, extra: Facts = {}): Facts => ({
  os: linux,
  software: web,
  listeners: http,
  cpu: {avg: 6, p95: 24, peakToAverage: 4},
  sizing: {vcpus: 1, memoryGib: 2, basis: 'performance'},
  cost: {ec2Monthly: 60, ...cost},
  ...extra,
})

const cases: Case[] = [
  {
    name: 'nothing known: rehost on EC2 via MGN',
    facts: {},
    strategy: 'rehost',
    target: 'ec2',
    via: 'mgn',
    fired: ['rehost-default'],
    notFired: ['retire-idle'],
  },
  {
    name: 'idle (CPU and network known and low): retire',
    facts: {os: linux, cpu: {avg: 1, p95: 2}, network: {p95: 0.3}},
    strategy: 'retire',
    target: 'none',
    fired: ['retire-idle'],
    notFired: ['rehost-default'], // always true; recorded only when it decides
  },
  {
    name: 'low CPU but network unknown: not retired, flagged possibly idle',
    facts: {os: linux, cpu: {avg: 1, p95: 2}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['possibly-idle'],
    notFired: ['retire-idle'],
  },
  {
    name: 'idle threshold comes from the settings',
    facts: {os: linux, cpu: {p95: 8}, network: {p95: 0.3}},
    settings: {idleCpuPct: 10},
    strategy: 'retire',
    target: 'none',
    fired: ['retire-idle'],
  },
  {
    name: 'a pin beats idle',
    facts: {os: linux, cpu: {p95: 2}, network: {p95: 0.1}, pin: {strategy: 'retain'}},
    strategy: 'retain',
    target: 'none',
    fired: ['pinned', 'retire-idle'],
  },
  {
    name: 'pinned to replatform takes the target of the replatform rule that fired',
    facts: {...db('postgresql'), pin: {strategy: 'replatform'}},
    strategy: 'replatform',
    target: 'aurora',
    detail: 'aurora-postgresql',
    fired: ['pinned', 'replatform-aurora-postgresql'],
  },
  {
    name: 'AIX: retain, nothing fits',
    facts: {os: {family: 'unix', distro: 'aix', label: 'AIX 7.2'}},
    strategy: 'retain',
    target: 'none',
    fired: ['retain-unsupported-platform', 'ec2-unsupported-platform'],
  },
  {
    name: 'VMware VM with relocation chosen: VMware Cloud on AWS',
    facts: {os: linux, server: {vmware: true}},
    settings: {relocateVmware: true},
    strategy: 'relocate',
    target: 'vmware-cloud-on-aws',
    via: 'hcx',
    fired: ['relocate-vmware'],
  },
  {
    name: 'VMware VM by default: rehost',
    facts: {os: linux, server: {vmware: true}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['rehost-default'],
    notFired: ['relocate-vmware'],
  },
  {
    name: 'Exchange: repurchase as SaaS',
    facts: {
      os: {family: 'windows', distro: 'windows-server', version: '2016'},
      software: {names: ['exchange'], categories: ['commercial'], known: true},
    },
    strategy: 'repurchase',
    target: 'saas',
    detail: 'Exchange Online (Microsoft 365)',
    fired: ['repurchase-exchange'],
  },
  {
    name: 'Jira Server: Atlassian Cloud',
    facts: {software: {names: ['jira'], categories: ['other']}},
    strategy: 'repurchase',
    target: 'saas',
    detail: 'Atlassian Cloud',
    fired: ['repurchase-atlassian'],
  },
  {
    name: 'PostgreSQL: Aurora PostgreSQL via DMS',
    facts: db('postgresql'),
    strategy: 'replatform',
    target: 'aurora',
    detail: 'aurora-postgresql',
    via: 'dms',
    fired: ['replatform-aurora-postgresql', 'lambda-stateful', 'fargate-stateful'],
  },
  {
    name: 'software unknown but listening on 5432: Aurora PostgreSQL',
    facts: {os: linux, listeners: {ports: [22, 5432], servicePorts: [5432], httpCount: 0, nonHttpCount: 1, known: true}},
    strategy: 'replatform',
    target: 'aurora',
    detail: 'aurora-postgresql',
    fired: ['replatform-aurora-postgresql', 'lambda-non-http'],
  },
  {
    name: 'MySQL: Aurora MySQL',
    facts: db('mysql'),
    strategy: 'replatform',
    target: 'aurora',
    detail: 'aurora-mysql',
    fired: ['replatform-aurora-mysql'],
  },
  {
    name: 'MariaDB (also on 3306): RDS for MariaDB, not Aurora',
    facts: db('mariadb', {listeners: {servicePorts: [3306], httpCount: 0, nonHttpCount: 1}}),
    strategy: 'replatform',
    target: 'rds',
    detail: 'mariadb',
    fired: ['replatform-rds-mariadb', 'replatform-aurora-mysql'],
  },
  {
    name: 'SQL Server: RDS for SQL Server, licence finding',
    facts: {...db('sql-server'), os: {family: 'windows', distro: 'windows-server', version: '2019'}},
    strategy: 'replatform',
    target: 'rds',
    detail: 'sqlserver',
    fired: ['replatform-rds-sqlserver', 'sql-server-licence'],
  },
  {
    name: 'Oracle: RDS for Oracle',
    facts: db('oracle'),
    strategy: 'replatform',
    target: 'rds',
    detail: 'oracle',
    fired: ['replatform-rds-oracle'],
  },
  {
    name: 'a database sharing the server with a web server is rehosted, with a finding',
    facts: {os: linux, software: {names: ['nginx', 'postgresql'], categories: ['database', 'web-server']}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['database-shares-server', 'rehost-default'],
    notFired: ['replatform-aurora-postgresql'],
  },
  {
    name: 'a read-heavy database gets read replicas',
    facts: db('postgresql', {disk: {readRatio: 0.9}}),
    strategy: 'replatform',
    target: 'aurora',
    fired: ['replatform-aurora-postgresql', 'database-read-replicas'],
  },
  {
    name: 'ActiveMQ: Amazon MQ',
    facts: {os: linux, software: {names: ['activemq'], categories: ['message-broker']}},
    strategy: 'replatform',
    target: 'amazon-mq',
    detail: 'activemq',
    fired: ['replatform-amazon-mq-activemq'],
  },
  {
    name: 'RabbitMQ: Amazon MQ',
    facts: {os: linux, software: {names: ['rabbitmq'], categories: ['message-broker']}},
    strategy: 'replatform',
    target: 'amazon-mq',
    detail: 'rabbitmq',
    fired: ['replatform-amazon-mq-rabbitmq'],
  },
  {
    name: 'Kafka: MSK',
    facts: {os: linux, software: {names: ['kafka'], categories: ['message-broker']}},
    strategy: 'replatform',
    target: 'msk',
    fired: ['replatform-msk'],
  },
  {
    name: 'Redis: ElastiCache (Redis)',
    facts: {os: linux, software: {names: ['redis'], categories: ['cache']}},
    strategy: 'replatform',
    target: 'elasticache',
    detail: 'redis',
    fired: ['replatform-elasticache-redis'],
  },
  {
    name: 'Memcached: ElastiCache (Memcached)',
    facts: {os: linux, software: {names: ['memcached'], categories: ['cache']}},
    strategy: 'replatform',
    target: 'elasticache',
    detail: 'memcached',
    fired: ['replatform-elasticache-memcached'],
  },
  {
    name: 'NFS on Linux: EFS via DataSync',
    facts: {os: linux, software: {names: ['nfs-server'], categories: ['file-service']}},
    strategy: 'replatform',
    target: 'efs',
    via: 'datasync',
    fired: ['replatform-efs'],
  },
  {
    name: 'Windows file server: FSx for Windows File Server',
    facts: {
      os: {family: 'windows', distro: 'windows-server', version: '2016'},
      software: {names: ['windows-file-server'], categories: ['file-service']},
    },
    strategy: 'replatform',
    target: 'fsx-windows',
    via: 'datasync',
    fired: ['replatform-fsx-windows'],
  },
  {
    name: 'Lustre scratch: FSx for Lustre',
    facts: {os: linux, software: {names: ['lustre'], categories: ['file-service']}},
    strategy: 'replatform',
    target: 'fsx-lustre',
    fired: ['replatform-fsx-lustre'],
  },
  {
    name: 'vsftpd: Transfer Family',
    facts: {os: linux, software: {names: ['vsftpd'], categories: ['file-service']}},
    strategy: 'replatform',
    target: 'transfer-family',
    fired: ['replatform-transfer-family'],
  },
  {
    name: 'Spark: EMR',
    facts: {os: linux, software: {names: ['spark'], categories: ['big-data']}},
    strategy: 'replatform',
    target: 'emr',
    fired: ['replatform-emr'],
  },
  {
    name: 'spiky HTTP app where Lambda saves 83%: refactor to Lambda',
    facts: spikyWeb({lambdaMonthly: 10, lambdaSavingsPct: 83.3}),
    strategy: 'refactor',
    target: 'lambda',
    fired: ['lambda-request-driven', 'lambda-app-code', 'lambda-spiky', 'lambda-low-demand', 'refactor-lambda'],
  },
  {
    name: 'the same app where Lambda saves only 8%: not worth refactoring',
    facts: spikyWeb({lambdaMonthly: 55, lambdaSavingsPct: 8.3}),
    strategy: 'rehost',
    target: 'ec2',
    fired: ['rehost-default'],
    notFired: ['refactor-lambda'],
  },
  {
    name: 'the same app, but it cannot be refactored (usage file)',
    facts: spikyWeb({lambdaMonthly: 10, lambdaSavingsPct: 83.3}, {usage: {refactorable: false}}),
    strategy: 'rehost',
    target: 'ec2',
    fired: ['no-refactoring'],
    notFired: ['refactor-lambda', 'refactor-fargate'],
  },
  {
    name: 'the same app, refactoring switched off',
    facts: spikyWeb({lambdaMonthly: 10, lambdaSavingsPct: 83.3}),
    settings: {allowRefactor: false},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['no-refactoring'],
    notFired: ['refactor-lambda'],
  },
  {
    name: "needs 16 GiB: over Lambda's 10 GB",
    facts: spikyWeb({lambdaMonthly: 10, lambdaSavingsPct: 83.3}, {sizing: {vcpus: 2, memoryGib: 16}}),
    strategy: 'rehost',
    target: 'ec2',
    fired: ['lambda-memory-limit'],
    notFired: ['refactor-lambda'],
  },
  {
    name: 'executions over 15 minutes (usage file)',
    facts: spikyWeb({lambdaMonthly: 10, lambdaSavingsPct: 83.3}, {usage: {maxExecutionSeconds: 1800}}),
    strategy: 'rehost',
    target: 'ec2',
    fired: ['lambda-execution-limit'],
    notFired: ['refactor-lambda'],
  },
  {
    name: 'Windows IIS app: Lambda needs the OS, Windows containers are penalised',
    facts: spikyWeb(
      {lambdaMonthly: 10, lambdaSavingsPct: 83.3},
      {os: {family: 'windows', distro: 'windows-server', version: '2019'}, software: {names: ['iis'], categories: ['web-server']}},
    ),
    strategy: 'rehost',
    target: 'ec2',
    fired: ['lambda-needs-os', 'fargate-windows'],
    notFired: ['refactor-lambda'],
  },
  {
    name: 'containerisable Linux service where Fargate saves 33%: refactor to Fargate',
    facts: {
      os: linux,
      software: {names: ['tomcat'], categories: ['app-server']},
      listeners: http,
      cpu: {avg: 40, p95: 50, peakToAverage: 1.25},
      cost: {ec2Monthly: 60, fargateMonthly: 40, fargateSavingsPct: 33.3},
    },
    strategy: 'refactor',
    target: 'fargate',
    via: 'containerise',
    fired: ['fargate-containerisable', 'fargate-long-running-service', 'fargate-linux', 'ec2-steady-busy', 'refactor-fargate'],
    notFired: ['refactor-lambda'],
  },
  {
    name: 'containers preferred even when Fargate costs more',
    facts: {
      os: linux,
      software: {names: ['tomcat'], categories: ['app-server']},
      listeners: http,
      cost: {ec2Monthly: 60, fargateMonthly: 70, fargateSavingsPct: -16.7},
    },
    settings: {preferContainers: true},
    strategy: 'refactor',
    target: 'fargate',
    fired: ['refactor-fargate'],
  },
  {
    name: 'steady busy HTTP load: Lambda fit drops, stays on EC2',
    facts: {
      os: linux,
      software: web,
      listeners: http,
      cpu: {avg: 55, p95: 70, peakToAverage: 1.27},
      cost: {ec2Monthly: 60, lambdaMonthly: 10, lambdaSavingsPct: 83.3},
    },
    strategy: 'rehost',
    target: 'ec2',
    fired: ['ec2-steady-busy'],
    notFired: ['refactor-lambda'],
  },
  {
    name: 'end of support passed: high finding',
    facts: {os: {...linux, version: '18.04', endOfSupport: '2023-05-31', endOfSupportPassed: true}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['os-end-of-support'],
    notFired: ['os-end-of-support-soon'],
  },
  {
    name: 'end of support within a year: medium finding',
    facts: {os: {...linux, endOfSupportPassed: false, daysToEndOfSupport: 200}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['os-end-of-support-soon'],
  },
  {
    name: 'Windows BYOL: Dedicated Hosts finding',
    facts: {os: {family: 'windows'}},
    settings: {windowsLicense: 'byol'},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['windows-byol-dedicated-hosts'],
  },
  {
    name: 'Graviton-compatible but not allowed: info finding',
    facts: {os: linux, graviton: {compatible: true}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['graviton-candidate'],
  },
  {
    name: 'Graviton allowed: no nagging',
    facts: {os: linux, graviton: {compatible: true}},
    settings: {allowGraviton: true},
    strategy: 'rehost',
    target: 'ec2',
    fired: [],
    notFired: ['graviton-candidate'],
  },
  {
    name: 'powered off: finding',
    facts: {os: linux, server: {powerState: 'off'}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['powered-off'],
  },
  {name: 'OS unknown: finding', facts: {os: {}}, strategy: 'rehost', target: 'ec2', fired: ['os-unknown']},
  {
    name: 'sized as allocated: finding',
    facts: {os: linux, sizing: {basis: 'as-is'}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['no-utilisation'],
  },
  {
    name: 'IOPS beyond gp3',
    facts: {os: linux, storage: {iops: 16000}, disk: {iops: 14000}},
    strategy: 'rehost',
    target: 'ec2',
    fired: ['storage-beyond-gp3'],
  },
]

describe('built-in rules: facts → strategy, target, fired rules', () => {
  for (const c of cases) {
    it(c.name, () => {
      const d = run(c)
      const ids = d.fired.map((f) => f.id)
      expect({strategy: d.strategy, target: d.target}).toEqual({strategy: c.strategy, target: c.target})
      if (c.detail !== undefined) expect(d.detail).toBe(c.detail)
      if (c.via !== undefined) expect(d.via).toBe(c.via)
      for (const id of c.fired) expect(ids, `${id} should fire`).toContain(id)
      for (const id of c.notFired ?? []) expect(ids, `${id} should not fire`).not.toContain(id)
      expect(d.fired.filter((f) => f.decided)).toHaveLength(1)
    })
  }

  it('fit scores: the spiky web app fits Lambda at 1.0; a database is blocked for both', () => {
    expect(run({facts: spikyWeb({})}).fits.lambda).toMatchObject({score: 1, blocked: false})
    const d = run({facts: db('postgresql')})
    expect(d.fits.lambda).toMatchObject({score: 0, blocked: true})
    expect(d.fits.fargate).toMatchObject({score: 0, blocked: true})
    expect(d.fits.ec2.score).toBe(1)
  })

  it('the deciding rule records the facts it read', () => {
    const d = run({facts: {os: linux, cpu: {p95: 2}, network: {p95: 0.3}}})
    const retire = d.fired.find((f) => f.id === 'retire-idle')!
    expect(retire).toMatchObject({decided: true, facts: {'cpu.p95': 2, 'network.p95': 0.3}})
    expect(retire.message).toBe('idle: p95 CPU 2% < 5% and p95 network 0.3 Mbit/s < 1 Mbit/s; confirm with its owner, then decommission')
  })
})
