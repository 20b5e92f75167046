/**
 * The bundled example estate, "Acme Corp": 69 VMs (plus 2 templates) shaped by hand from the
 * synthetic building blocks. Every name, address, OS, size and dependency below is chosen;
 * only UUIDs and the fine grain of utilisation come from the seeded PRNG. scripts/make-example.js
 * writes it to examples/acme/ (RVTools workbook, agent files, migrate-plan.yaml).
 */
import {mkdir, readdir, rm, writeFile} from 'node:fs/promises'
import {join} from 'node:path'

import {buildServer, type ServerSpec} from './build.js'
import type {OsId} from './catalog.js'
import {assembleEstate, resolveOptions} from './estate.js'
import {indices, sharedServiceEdges, type FlowEdge, type ProcessName} from './flows.js'
import {Random} from './random.js'
import type {SynthEstate, SynthServer, SynthTier} from './types.js'
import {writeAgentFiles} from './writers/agent.js'
import {writeRvtoolsXlsx} from './writers/rvtools-xlsx.js'

const DOMAIN = 'corp.acme.example'
const WINDOW_END = '2026-02-02T00:00:00Z'
const DATACENTER = 'Manchester'

type Env = SynthServer['environment']

interface Vm {
  readonly name: string
  readonly app?: string
  readonly service?: string
  readonly services?: readonly string[]
  readonly tier: SynthTier
  readonly os: OsId
  readonly env: Env
  readonly ip: string
  readonly sw: readonly string[]
  readonly vcpus?: number
  readonly memGib?: number
  readonly disks?: readonly number[]
  readonly load?: number
  readonly idle?: boolean
  readonly off?: boolean
  /** Application label people use (custom attribute), when it differs from the planted id. */
  readonly label?: string
  readonly owner: string
  readonly unit: 'Retail' | 'Finance' | 'Operations' | 'IT'
  readonly note?: string
}

type Unit = Vm['unit']
type Extra = Partial<Omit<Vm, 'name' | 'tier' | 'os' | 'env' | 'ip' | 'sw'>>

/** A VM factory per application: `app('webshop', 'retail-digital', 'Retail')('shop-web01', 'web', …)`. */
const app =
  (id: string, owner: string, unit: Unit, label?: string) =>
  (name: string, tier: SynthTier, os: OsId, env: Env, ip: string, sw: string[], extra: Extra = {}): Vm => ({
    name,
    app: id,
    ...(label ? {label} : {}),
    tier,
    os,
    env,
    ip,
    sw,
    owner,
    unit,
    ...extra,
  })

const infra = (name: string, service: string, os: OsId, ip: string, sw: string[], extra: Extra = {}): Vm => ({
  name,
  service,
  tier: 'shared',
  os,
  env: 'prod',
  ip,
  sw,
  owner: 'it-infrastructure',
  unit: 'IT',
  ...extra,
})

const shop = app('webshop', 'retail-digital', 'Retail')
const shopStg = app('webshop-staging', 'retail-digital', 'Retail', 'webshop')
const shopTst = app('webshop-test', 'retail-digital', 'Retail', 'webshop')
const shopDev = app('webshop-dev', 'retail-digital', 'Retail', 'webshop')
const pay = app('payroll', 'finance-apps', 'Finance')
const payTst = app('payroll-test', 'finance-apps', 'Finance', 'payroll')
const crm = app('crm', 'sales-ops', 'Retail')
const crmTst = app('crm-test', 'sales-ops', 'Retail', 'crm')
const intranet = app('intranet', 'it-workplace', 'IT')
const rpt = app('reporting', 'data-team', 'Operations')
const erp = app('erp', 'finance-apps', 'Finance')
const erpTst = app('erp-test', 'finance-apps', 'Finance', 'erp')
const hr = app('hr-portal', 'people-systems', 'Operations')
const hrDev = app('hr-portal-dev', 'people-systems', 'Operations', 'hr-portal')
const mq = app('integration', 'integration-team', 'IT')
const files = app('file-services', 'it-infrastructure', 'IT')
const dev = app('devtools', 'platform-team', 'IT')
const S = (vcpus: number, memGib: number, disks?: number[]): Extra => ({vcpus, memGib, ...(disks ? {disks} : {})})

/** Every VM of the estate, in the order vCenter lists them (by folder). */
export const ACME_VMS: readonly Vm[] = [
  // Infrastructure: shared services most servers use.
  infra('DC01', 'ad', 'win2019', '10.10.0.10', ['active-directory', 'windows-dns'], {services: ['ad', 'dns'], ...S(4, 8)}),
  infra('DC02', 'ad', 'win2019', '10.10.0.11', ['active-directory', 'windows-dns'], {services: ['ad', 'dns'], ...S(4, 8)}),
  infra('ntp01', 'ntp', 'rhel8', '10.10.0.12', ['chrony'], S(1, 2)),
  infra('mon01', 'monitoring', 'rhel8', '10.10.0.13', ['zabbix-server'], S(4, 16, [60, 500])),
  infra('bkp01', 'backup', 'rhel8', '10.10.0.14', ['bacula'], S(4, 16, [60, 4000])),
  infra('WSUS01', 'patching', 'win2019', '10.10.0.15', ['wsus'], S(2, 8, [100, 500])),
  infra('repo01', 'patching', 'rhel8', '10.10.0.16', ['pulp'], S(2, 4, [60, 800])),
  infra('smtp01', 'smtp', 'rhel8', '10.10.0.17', ['postfix'], S(1, 2)),

  // Webshop (Retail): nginx → Tomcat → PostgreSQL, with Redis and Elasticsearch.
  shop('shop-web01', 'web', 'ubuntu2204', 'prod', '10.10.10.11', ['nginx'], S(2, 4)),
  shop('shop-web02', 'web', 'ubuntu2204', 'prod', '10.10.10.12', ['nginx'], S(2, 4)),
  shop('shop-app01', 'app', 'rhel8', 'prod', '10.10.20.11', ['tomcat'], S(8, 16)),
  shop('shop-app02', 'app', 'rhel8', 'prod', '10.10.20.12', ['tomcat'], S(8, 16)),
  shop('shop-search01', 'db', 'rhel8', 'prod', '10.10.20.13', ['elasticsearch'], S(4, 16, [60, 200])),
  shop('shop-cache01', 'cache', 'ubuntu2204', 'prod', '10.10.20.14', ['redis'], S(2, 8)),
  shop('shop-db01', 'db', 'rhel8', 'prod', '10.10.30.11', ['postgresql'], {
    ...S(8, 32, [60, 1000]),
    load: 1.3,
    note: 'PostgreSQL 13 primary',
  }),
  shop('shop-db02', 'db', 'rhel8', 'prod', '10.10.30.12', ['postgresql'], {
    ...S(8, 32, [60, 1000]),
    load: 0.5,
    note: 'PostgreSQL 13 streaming replica',
  }),
  shopStg('stg-shop-web01', 'web', 'ubuntu2204', 'staging', '10.20.20.11', ['nginx'], S(2, 4)),
  shopStg('stg-shop-app01', 'app', 'rhel8', 'staging', '10.20.20.12', ['tomcat'], S(4, 8)),
  shopStg('stg-shop-db01', 'db', 'rhel8', 'staging', '10.20.20.13', ['postgresql'], S(4, 16, [60, 500])),
  shopTst('tst-shop-web01', 'web', 'ubuntu2204', 'test', '10.20.10.11', ['nginx'], S(1, 2)),
  shopTst('tst-shop-app01', 'app', 'rhel8', 'test', '10.20.10.12', ['tomcat'], S(2, 8)),
  shopTst('tst-shop-db01', 'db', 'rhel8', 'test', '10.20.10.13', ['postgresql'], S(2, 8, [60, 200])),
  shopDev('dev-shop01', 'app', 'ubuntu2004', 'dev', '10.20.30.11', ['nginx', 'tomcat', 'postgresql'], {
    ...S(4, 8, [100]),
    note: 'all-in-one developer box',
  }),

  // Payroll (Finance): IIS + .NET + SQL Server on Windows.
  pay('PAYWEB01', 'web', 'win2016', 'prod', '10.10.10.21', ['iis'], S(2, 8)),
  pay('PAYAPP01', 'app', 'win2016', 'prod', '10.10.20.21', ['dotnet'], S(4, 16)),
  pay('PAYBATCH01', 'batch', 'win2016', 'prod', '10.10.20.22', ['cron'], {...S(4, 8), note: 'monthly payslip run'}),
  pay('PAYDB01', 'db', 'win2012r2', 'prod', '10.10.30.21', ['sql-server'], {
    ...S(4, 32, [100, 500]),
    load: 2,
    note: 'SQL Server 2019 on an out-of-support OS',
  }),
  pay('PAYDB01-OLD', 'db', 'win2008r2', 'prod', '10.10.30.22', ['sql-server'], {
    ...S(4, 16, [80, 300]),
    off: true,
    note: 'old payroll database, kept after the 2022 upgrade; powered off',
  }),
  payTst('PAYTST01', 'app', 'win2016', 'test', '10.20.10.21', ['iis', 'sql-server'], S(4, 16, [100, 200])),

  // CRM (Retail): IIS + .NET + SQL Server.
  crm('CRMWEB01', 'web', 'win2019', 'prod', '10.10.10.31', ['iis'], S(4, 8)),
  crm('CRMWEB02', 'web', 'win2019', 'prod', '10.10.10.32', ['iis'], {...S(8, 16), load: 0.25, note: 'sized for a peak that never came'}),
  crm('CRMAPP01', 'app', 'win2019', 'prod', '10.10.20.31', ['dotnet'], S(4, 16)),
  crm('CRMDB01', 'db', 'win2019', 'prod', '10.10.30.31', ['sql-server'], S(8, 64, [100, 1000])),
  crmTst('CRMTST-WEB01', 'web', 'win2019', 'test', '10.20.10.31', ['iis'], S(2, 4)),
  crmTst('CRMTST-DB01', 'db', 'win2019', 'test', '10.20.10.32', ['sql-server'], S(2, 16, [100, 200])),

  // Intranet (IT): an old IIS front page and a PHP wiki on MySQL, all on end-of-support systems.
  intranet('INTRANET01', 'web', 'win2012', 'prod', '10.10.10.42', ['iis'], S(2, 4)),
  intranet('wiki01', 'web', 'centos7', 'prod', '10.10.10.41', ['apache-httpd'], S(2, 4)),
  intranet('wiki-db01', 'db', 'centos7', 'prod', '10.10.30.41', ['mysql'], S(2, 8, [50, 100])),

  // Reporting (Operations): order events through Kafka into a PostgreSQL warehouse.
  rpt('rpt-web01', 'web', 'ubuntu2204', 'prod', '10.10.10.71', ['nginx'], S(2, 4)),
  rpt('rpt-ingest01', 'app', 'rhel9', 'prod', '10.10.20.71', ['tomcat'], S(4, 8)),
  rpt('rpt-kafka01', 'broker', 'rhel9', 'prod', '10.10.20.73', ['kafka'], S(4, 16, [60, 500])),
  rpt('rpt-kafka02', 'broker', 'rhel9', 'prod', '10.10.20.74', ['kafka'], S(4, 16, [60, 500])),
  rpt('rpt-kafka03', 'broker', 'rhel9', 'prod', '10.10.20.75', ['kafka'], S(4, 16, [60, 500])),
  rpt('rpt-etl01', 'batch', 'rhel9', 'prod', '10.10.20.72', ['cron'], {...S(8, 16), note: 'nightly loads, idle by day'}),
  rpt('rpt-dw01', 'db', 'rhel9', 'prod', '10.10.30.71', ['postgresql'], {...S(8, 64, [60, 2000]), note: 'PostgreSQL data warehouse'}),

  // ERP (Finance): Apache → WebLogic → Oracle on RHEL 7.
  erp('erp-web01', 'web', 'rhel7', 'prod', '10.10.10.51', ['apache-httpd'], S(2, 4)),
  erp('erp-app01', 'app', 'rhel7', 'prod', '10.10.20.51', ['weblogic'], S(8, 16)),
  erp('erp-app02', 'app', 'rhel7', 'prod', '10.10.20.52', ['weblogic'], S(8, 16)),
  erp('erp-db01', 'db', 'rhel7', 'prod', '10.10.30.51', ['oracle'], {...S(16, 64, [80, 2000]), load: 1.3, note: 'Oracle 19c Enterprise'}),
  erpTst('erp-tst-app01', 'app', 'rhel7', 'test', '10.20.10.51', ['weblogic'], S(4, 8)),
  erpTst('erp-tst-db01', 'db', 'rhel7', 'test', '10.20.10.52', ['oracle'], S(4, 16, [80, 500])),

  // HR portal (Operations): nginx → Node.js → MongoDB.
  hr('hr-web01', 'web', 'ubuntu2004', 'prod', '10.10.10.61', ['nginx'], S(2, 4)),
  hr('hr-app01', 'app', 'ubuntu2004', 'prod', '10.10.20.61', ['nodejs'], S(2, 4)),
  hr('hr-db01', 'db', 'ubuntu2004', 'prod', '10.10.30.61', ['mongodb'], S(4, 16, [50, 200])),
  hrDev('dev-hr01', 'app', 'ubuntu2004', 'dev', '10.20.30.61', ['nginx', 'nodejs', 'mongodb'], S(2, 8)),

  // Integration (IT): the RabbitMQ pair the webshop, ERP, payroll and CRM exchange messages through.
  mq('mq01', 'broker', 'rhel8', 'prod', '10.10.20.81', ['rabbitmq'], S(4, 8, [60, 100])),
  mq('mq02', 'broker', 'rhel8', 'prod', '10.10.20.82', ['rabbitmq'], S(4, 8, [60, 100])),

  // Nightly batch (IT): cron jobs that move data between the others.
  app('nightly-batch', 'integration-team', 'IT')('batch01', 'batch', 'rhel7', 'prod', '10.10.20.91', ['cron'], S(4, 8, [60, 200])),

  // File services (IT): a Windows file server (SMB) and a Linux NFS server.
  files('FS01', 'file', 'win2012r2', 'prod', '10.10.40.10', ['windows-file-server'], S(2, 8, [100, 3000])),
  files('nfs01', 'file', 'rhel7', 'prod', '10.10.40.11', ['nfs-server'], S(2, 8, [60, 2000])),

  // Partner exchange (Operations): SFTP in the DMZ; print services (IT).
  app('partner-exchange', 'integration-team', 'Operations')(
    'sftp01',
    'file',
    'rhel8',
    'prod',
    '10.10.50.10',
    ['openssh-sftp'],
    S(2, 4, [60, 500]),
  ),
  app('print-services', 'it-workplace', 'IT')('PRINT01', 'file', 'win2012r2', 'prod', '10.10.0.18', ['print-server'], S(2, 4)),

  // Developer tools (IT).
  dev('gitlab01', 'app', 'ubuntu2004', 'dev', '10.20.40.11', ['gitlab'], S(4, 16, [60, 500])),
  dev('jenkins01', 'batch', 'ubuntu2004', 'dev', '10.20.40.12', ['jenkins'], S(4, 8, [60, 200])),
  dev('nexus01', 'app', 'rhel8', 'dev', '10.20.40.13', ['nexus'], S(2, 8, [60, 1000])),

  // Forgotten VMs: running, doing nothing (retire candidates).
  app('timesheet-legacy', 'unknown', 'Operations')('TS-LEGACY01', 'web', 'win2008r2', 'prod', '10.10.60.10', ['iis'], {
    ...S(2, 4),
    idle: true,
    note: 'replaced by the HR portal in 2021',
  }),
  app('intranet-legacy', 'it-workplace', 'IT')('INTRANET-OLD', 'web', 'win2008r2', 'prod', '10.10.60.11', ['iis'], {
    ...S(2, 4),
    idle: true,
  }),
  app('legacy-ftp', 'unknown', 'IT')('oldftp01', 'file', 'centos6', 'prod', '10.10.60.12', [], {...S(1, 2, [40, 200]), idle: true}),
  app('sandbox', 'jsmith', 'IT')('jsmith-test01', 'app', 'ubuntu1804', 'dev', '10.20.30.99', [], {...S(2, 4), idle: true}),
]

/** Servers that ran the migrate-plan agent for 14 days (the others are known from RVTools only). */
export const ACME_AGENT_HOSTS: readonly string[] = [
  'DC01',
  'mon01',
  'shop-web01',
  'shop-web02',
  'shop-app01',
  'shop-app02',
  'shop-search01',
  'shop-cache01',
  'shop-db01',
  'shop-db02',
  'PAYWEB01',
  'PAYAPP01',
  'PAYBATCH01',
  'PAYDB01',
  'CRMWEB01',
  'CRMWEB02',
  'CRMAPP01',
  'CRMDB01',
  'rpt-web01',
  'rpt-ingest01',
  'rpt-kafka01',
  'rpt-kafka02',
  'rpt-kafka03',
  'rpt-etl01',
  'rpt-dw01',
  'erp-web01',
  'erp-app01',
  'erp-app02',
  'erp-db01',
  'mq01',
  'mq02',
  'batch01',
  'FS01',
  'nfs01',
  'sftp01',
  'TS-LEGACY01',
  'oldftp01',
]

/**
 * Linux guests whose agent reads the SMBIOS UUID with its first three groups byte-swapped
 * relative to what vCenter (and so RVTools) shows: identity merge must still join them.
 */
export const ACME_SWAPPED_UUID_HOSTS: readonly string[] = ['shop-db01', 'rpt-kafka01']

const OFFICE_LAN = Array.from({length: 120}, (_, i) => `10.50.${1 + Math.floor(i / 40)}.${20 + (i % 40)}`)
const PARTNERS = ['203.0.113.25', '203.0.113.26', '198.51.100.40']

/** Application dependencies, by host name: client(s) → server(s) on a port. */
const FLOWS: readonly {
  readonly from: readonly string[] | 'office' | 'partners'
  readonly to: readonly string[]
  readonly port: number
  readonly protocol?: 'tcp' | 'udp'
  readonly process: ProcessName
  readonly weight: number
  readonly count: number
}[] = [
  // webshop
  {from: 'office', to: ['shop-web01', 'shop-web02'], port: 443, process: 'chrome.exe', weight: 4, count: 80},
  {from: ['shop-web01', 'shop-web02'], to: ['shop-app01', 'shop-app02'], port: 8080, process: 'nginx', weight: 6, count: 900},
  {from: ['shop-app01', 'shop-app02'], to: ['shop-db01'], port: 5432, process: 'java', weight: 6, count: 1500},
  {from: ['shop-app01', 'shop-app02'], to: ['shop-cache01'], port: 6379, process: 'java', weight: 4, count: 3000},
  {from: ['shop-app01', 'shop-app02'], to: ['shop-search01'], port: 9200, process: 'java', weight: 3, count: 700},
  {from: ['shop-db02'], to: ['shop-db01'], port: 5432, process: 'postgres', weight: 1, count: 2000},
  {from: ['shop-app01', 'shop-app02'], to: ['nfs01'], port: 2049, process: '', weight: 1.5, count: 400},
  {from: ['shop-app01', 'shop-app02'], to: ['mq01', 'mq02'], port: 5672, process: 'java', weight: 2, count: 600},
  {
    from: ['shop-app01', 'shop-app02'],
    to: ['rpt-kafka01', 'rpt-kafka02', 'rpt-kafka03'],
    port: 9092,
    process: 'java',
    weight: 2,
    count: 800,
  },
  {from: ['stg-shop-web01'], to: ['stg-shop-app01'], port: 8080, process: 'nginx', weight: 1, count: 200},
  {from: ['stg-shop-app01'], to: ['stg-shop-db01'], port: 5432, process: 'java', weight: 1, count: 300},
  {from: ['tst-shop-web01'], to: ['tst-shop-app01'], port: 8080, process: 'nginx', weight: 0.6, count: 100},
  {from: ['tst-shop-app01'], to: ['tst-shop-db01'], port: 5432, process: 'java', weight: 0.6, count: 150},
  // payroll
  {from: 'office', to: ['PAYWEB01'], port: 443, process: 'chrome.exe', weight: 1, count: 30},
  {from: ['PAYWEB01'], to: ['PAYAPP01'], port: 5001, process: 'w3wp.exe', weight: 2, count: 400},
  {from: ['PAYAPP01'], to: ['PAYDB01'], port: 1433, process: 'dotnet.exe', weight: 3, count: 1200},
  {from: ['PAYBATCH01'], to: ['PAYDB01'], port: 1433, process: 'BatchRunner.exe', weight: 1, count: 300},
  {from: ['PAYBATCH01'], to: ['FS01'], port: 445, process: 'System', weight: 0.8, count: 60},
  {from: ['PAYBATCH01'], to: ['PRINT01'], port: 445, process: 'spoolsv.exe', weight: 0.4, count: 20},
  {from: ['PAYAPP01'], to: ['mq01', 'mq02'], port: 5672, process: 'dotnet.exe', weight: 0.8, count: 200},
  // crm
  {from: 'office', to: ['CRMWEB01', 'CRMWEB02'], port: 443, process: 'chrome.exe', weight: 2, count: 60},
  {from: ['CRMWEB01', 'CRMWEB02'], to: ['CRMAPP01'], port: 5001, process: 'w3wp.exe', weight: 3, count: 500},
  {from: ['CRMAPP01'], to: ['CRMDB01'], port: 1433, process: 'dotnet.exe', weight: 3, count: 1100},
  {from: ['CRMAPP01'], to: ['FS01'], port: 445, process: 'System', weight: 0.6, count: 80},
  {from: ['CRMAPP01'], to: ['mq01', 'mq02'], port: 5672, process: 'dotnet.exe', weight: 0.8, count: 200},
  {from: ['CRMTST-WEB01'], to: ['CRMTST-DB01'], port: 1433, process: 'w3wp.exe', weight: 0.5, count: 100},
  // intranet
  {from: 'office', to: ['INTRANET01', 'wiki01'], port: 443, process: 'chrome.exe', weight: 1.5, count: 40},
  {from: ['wiki01'], to: ['wiki-db01'], port: 3306, process: 'httpd', weight: 1.5, count: 500},
  {from: ['INTRANET01'], to: ['wiki01'], port: 443, process: 'w3wp.exe', weight: 0.4, count: 40},
  // reporting
  {from: 'office', to: ['rpt-web01'], port: 443, process: 'chrome.exe', weight: 0.6, count: 20},
  {from: ['rpt-web01'], to: ['rpt-ingest01'], port: 8080, process: 'nginx', weight: 1, count: 150},
  {from: ['rpt-ingest01'], to: ['rpt-kafka01', 'rpt-kafka02', 'rpt-kafka03'], port: 9092, process: 'java', weight: 3, count: 1500},
  {from: ['rpt-kafka02', 'rpt-kafka03'], to: ['rpt-kafka01'], port: 9092, process: 'java', weight: 1, count: 3000},
  {from: ['rpt-ingest01'], to: ['rpt-dw01'], port: 5432, process: 'java', weight: 2, count: 900},
  {from: ['rpt-etl01'], to: ['rpt-dw01'], port: 5432, process: 'java', weight: 1.5, count: 400},
  {from: ['rpt-etl01'], to: ['nfs01'], port: 2049, process: '', weight: 0.5, count: 60},
  // erp
  {from: 'office', to: ['erp-web01'], port: 443, process: 'chrome.exe', weight: 1.5, count: 50},
  {from: ['erp-web01'], to: ['erp-app01', 'erp-app02'], port: 7001, process: 'httpd', weight: 3, count: 700},
  {from: ['erp-app01', 'erp-app02'], to: ['erp-db01'], port: 1521, process: 'java', weight: 4, count: 1800},
  {from: ['erp-app01', 'erp-app02'], to: ['mq01', 'mq02'], port: 5672, process: 'java', weight: 1, count: 300},
  {
    from: ['erp-app01', 'erp-app02'],
    to: ['rpt-kafka01', 'rpt-kafka02', 'rpt-kafka03'],
    port: 9092,
    process: 'java',
    weight: 0.8,
    count: 300,
  },
  {from: ['erp-tst-app01'], to: ['erp-tst-db01'], port: 1521, process: 'java', weight: 0.6, count: 200},
  // hr portal
  {from: 'office', to: ['hr-web01'], port: 443, process: 'chrome.exe', weight: 0.8, count: 25},
  {from: ['hr-web01'], to: ['hr-app01'], port: 3000, process: 'nginx', weight: 1, count: 300},
  {from: ['hr-app01'], to: ['hr-db01'], port: 27017, process: 'node', weight: 1.2, count: 500},
  // integration
  {from: ['mq02'], to: ['mq01'], port: 5672, process: 'beam.smp', weight: 0.6, count: 1500},
  // nightly batch
  {from: ['batch01'], to: ['shop-db01'], port: 5432, process: 'java', weight: 0.8, count: 40},
  {from: ['batch01'], to: ['erp-db01'], port: 1521, process: 'java', weight: 0.8, count: 40},
  {from: ['batch01'], to: ['nfs01'], port: 2049, process: '', weight: 0.6, count: 30},
  {from: ['batch01'], to: ['sftp01'], port: 22, process: 'sftp', weight: 0.5, count: 28},
  // file services and partners
  {from: 'office', to: ['FS01'], port: 445, process: 'System', weight: 2, count: 120},
  {from: 'office', to: ['PRINT01'], port: 445, process: 'spoolsv.exe', weight: 0.8, count: 30},
  {from: 'partners', to: ['sftp01'], port: 22, process: 'sftp', weight: 0.6, count: 14},
  // developer tools: CI deploys to test and staging
  {from: 'office', to: ['gitlab01'], port: 443, process: 'git', weight: 0.8, count: 40},
  {from: ['jenkins01'], to: ['gitlab01'], port: 443, process: 'java', weight: 0.8, count: 200},
  {from: ['jenkins01'], to: ['nexus01'], port: 8081, process: 'java', weight: 0.8, count: 150},
  {from: ['jenkins01'], to: ['tst-shop-app01', 'stg-shop-app01', 'dev-shop01'], port: 22, process: 'java', weight: 0.4, count: 12},
  // the idle VMs still see a little: a legacy link nobody removed
  {from: ['TS-LEGACY01'], to: ['INTRANET-OLD'], port: 443, process: 'w3wp.exe', weight: 0.03, count: 1},
]

/** Host placement: production and non-production clusters of three ESXi hosts each. */
function placement(vm: Vm, i: number): {cluster: string; host: string} {
  const prod = vm.env === 'prod'
  const cluster = prod ? 'PROD-CL01' : 'NONPROD-CL01'
  return {cluster, host: `esx${prod ? '0' : '1'}${(i % 3) + 1}.${DOMAIN}`}
}

function folderOf(vm: Vm): string {
  if (vm.service) return '/Infrastructure'
  const label = vm.label ?? vm.app ?? ''
  const nice = label.replace(/(^|-)(\w)/g, (_, dash: string, c: string) => `${dash ? ' ' : ''}${c.toUpperCase()}`)
  const env = {prod: 'Production', staging: 'Staging', test: 'Test', dev: 'Development'}[vm.env]
  return vm.idle ? `/Decommission candidates` : `/${env}/${nice}`
}

/** The Acme Corp estate. Deterministic: same code → same estate, byte for byte once written. */
export function acmeEstate(): SynthEstate {
  const options = resolveOptions({
    servers: ACME_VMS.length,
    seed: 20260202,
    appSize: [1, 12],
    sharedServices: ACME_VMS.filter((v) => v.service).length,
    connectionRecords: 6000,
    noise: 0.005,
    sharedTraffic: 0.3,
    idleFraction: ACME_VMS.filter((v) => v.idle).length / ACME_VMS.length,
    windowsFraction: ACME_VMS.filter((v) => v.os.startsWith('win')).length / ACME_VMS.length,
    poweredOffFraction: ACME_VMS.filter((v) => v.off).length / ACME_VMS.length,
    domain: DOMAIN,
    vcenter: `vcsa01.${DOMAIN}`,
    windowEnd: WINDOW_END,
    windowDays: 14,
  })
  const rng = new Random('acme-corp')
  const ctx = {domain: DOMAIN, windowEnd: WINDOW_END, windowDays: 14}
  const servers = ACME_VMS.map((vm, index) => {
    const spec: ServerSpec = {
      name: vm.name,
      tier: vm.tier,
      os: vm.os,
      environment: vm.env,
      ip: vm.ip,
      ...(vm.app ? {app: vm.app} : {}),
      ...(vm.service ? {service: vm.service} : {}),
      ...(vm.services ? {services: vm.services} : {}),
      software: vm.sw,
      ...(vm.vcpus ? {vcpus: vm.vcpus} : {}),
      ...(vm.memGib ? {memoryMib: vm.memGib * 1024} : {}),
      ...(vm.disks ? {disksGib: vm.disks} : {disksGib: [vm.os.startsWith('win') ? 100 : 60]}),
      ...(vm.load ? {load: vm.load} : {load: 1}),
      ...(vm.idle ? {idle: true} : {}),
      ...(vm.off ? {powerState: 'off' as const} : {}),
      folder: folderOf(vm),
      datacenter: DATACENTER,
      ...placement(vm, index),
      attributes: {
        Application: vm.service ? `Infrastructure (${vm.service})` : (vm.label ?? vm.app ?? ''),
        Environment: vm.env,
        Owner: vm.owner,
        'Business Unit': vm.unit,
      },
      ...(vm.note ? {annotation: vm.note} : {}),
    }
    return buildServer(spec, rng, {...ctx, index})
  })
  const templates = (
    [
      ['TPL-WIN2022-GOLD', 'win2022'],
      ['tpl-rhel9-gold', 'rhel9'],
    ] as const
  ).map(([name, os], i) =>
    buildServer(
      {
        name,
        tier: 'shared',
        os,
        environment: 'prod',
        ip: '',
        powerState: 'off',
        template: true,
        vcpus: 2,
        memoryMib: 4096,
        folder: '/Templates',
        datacenter: DATACENTER,
        cluster: 'PROD-CL01',
        host: `esx01.${DOMAIN}`,
        annotation: 'gold image, patched monthly',
      },
      rng,
      {...ctx, index: ACME_VMS.length + i},
    ),
  )
  const byName = new Map(servers.map((s, i) => [s.name, i]))
  const idx = (names: readonly string[]): Int32Array =>
    indices(
      names.map((n) => {
        const i = byName.get(n)
        if (i === undefined) throw new Error(`acme: unknown VM ${n}`)
        return i
      }),
    )
  const appEdges: FlowEdge[] = FLOWS.map((f) => ({
    clients: f.from === 'office' ? OFFICE_LAN : f.from === 'partners' ? PARTNERS : idx(f.from),
    servers: idx(f.to),
    port: f.port,
    protocol: f.protocol ?? 'tcp',
    process: f.process,
    weight: f.weight,
    count: f.count,
  }))
  return assembleEstate({options, servers, templates, appEdges, sharedEdges: sharedServiceEdges(servers)})
}

/** migrate-plan.yaml of the example: what later steps (assess, waves, landing zone) need. */
export const ACME_SETTINGS_YAML = `# migrate-plan settings for the Acme Corp example estate (see README.md).
# Generated by scripts/make-example.js; validated by test/synth/acme.test.ts.
schemaVersion: 1
organisation:
  name: Acme Corp
  emailDomain: acme.example
  homeRegion: eu-west-1
  governedRegions: [eu-west-1, eu-central-1]
  # Data centre (10.10/16), non-production (10.20/16) and office LAN (10.50/16): the AWS IP plan avoids them.
  onPremisesCidrs: [10.10.0.0/16, 10.20.0.0/16, 10.50.0.0/16]
  awsCidrPool: 10.64.0.0/10
  businessUnits: [Retail, Finance, Operations, IT]
assess:
  region: eu-west-1
  # The day of the assessment, for end-of-support findings: fixed, so every run gives the same files.
  asOf: "2026-03-01"
  percentile: p95
  comfortFactor: 1.3
  allowGraviton: false
  allowBurstable: true
  windowsLicense: included
  sqlServerLicense: byol
  onPremises:
    perServerYear: 1200
    perCoreYear: 150
    perGibStorageYear: 0.9
waves:
  startDate: "2026-03-02"
  cadenceDays: 14
  maxServersPerWave: 15
  blackoutDates: ["2026-03-30..2026-04-06", "2026-12-21..2027-01-04"]
  pilot:
    enabled: true
    maxServers: 4
  environmentOrder: [dev, test, staging, prod]
`

/**
 * Write the example into `dir`: RVTools_export.xlsx (every VM), agents/<host>.json for the agent
 * hosts, migrate-plan.yaml. Files it owns are replaced; anything else in `dir` (README.md) is kept.
 */
export async function writeAcmeExample(dir: string): Promise<string[]> {
  const estate = acmeEstate()
  await mkdir(dir, {recursive: true})
  const agents = join(dir, 'agents')
  await rm(agents, {recursive: true, force: true})
  await writeRvtoolsXlsx(estate, join(dir, 'RVTools_export.xlsx'))
  const hosts = new Set(ACME_AGENT_HOSTS)
  const swapped = new Set(ACME_SWAPPED_UUID_HOSTS)
  await writeAgentFiles(estate, agents, {
    select: (s) => hosts.has(s.name),
    swapUuid: (s) => swapped.has(s.name),
    pretty: true,
  })
  await writeFile(join(dir, 'migrate-plan.yaml'), ACME_SETTINGS_YAML)
  const files = ['RVTools_export.xlsx', 'migrate-plan.yaml', ...(await readdir(agents)).sort().map((f) => `agents/${f}`)]
  return files
}
