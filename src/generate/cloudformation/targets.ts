/**
 * What each target needs to know about engines, ports and instance types. Data, no templates.
 */
import type {DetectedSoftware, Server} from '../../model/server.js'

/** The part of a server's detected software these rules read. */
export type WithSoftware = {readonly software?: readonly Pick<DetectedSoftware, 'name' | 'category'>[]}

/** Ports that make a server a web tier behind an Application Load Balancer. */
export const HTTP_PORTS: readonly number[] = [80, 443, 8000, 8008, 8080, 8081, 8443, 8888]

export function isWebServer(server: (WithSoftware & Pick<Server, 'listeners'>) | undefined): boolean {
  if (!server) return false
  if ((server.software ?? []).some((s) => s.category === 'web-server')) return true
  return (server.listeners ?? []).some((l) => l.protocol === 'tcp' && (l.port === 80 || l.port === 443))
}

/**
 * Previous-generation (Xen) families and the current Nitro family of the same shape; launch
 * templates use the Nitro one (CT.EC2.PR.15), and the runbook says so.
 */
export const NITRO_SUCCESSOR: Readonly<Record<string, string>> = {
  t1: 't3',
  t2: 't3',
  m1: 'm5',
  m2: 'r5',
  m3: 'm5',
  m4: 'm5',
  c1: 'c5',
  c3: 'c5',
  c4: 'c5',
  cc2: 'c5',
  r3: 'r5',
  r4: 'r5',
  i2: 'i3en',
  i3: 'i3en',
  d2: 'd3',
  x1: 'x2idn',
  x1e: 'x2iedn',
  h1: 'd3',
  g2: 'g4dn',
  g3: 'g4dn',
  g3s: 'g4dn',
  p2: 'p3dn',
  p3: 'p3dn',
  f1: 'vt1',
}

/** Sizes the small previous-generation types had that current non-burstable families lack. */
const SMALL_SIZES = new Set(['nano', 'micro', 'small', 'medium'])

export interface NitroChoice {
  readonly instanceType: string
  /** Set when the assessed type was replaced. */
  readonly replaced?: string
}

/** The assessed type, or its Nitro successor when it is a previous-generation (Xen) type. */
export function nitroType(instanceType: string): NitroChoice {
  const [family, size] = instanceType.split('.')
  const successor = family ? NITRO_SUCCESSOR[family] : undefined
  if (!successor || !size) return {instanceType}
  const s = !successor.startsWith('t') && SMALL_SIZES.has(size) ? 'large' : size === '10xlarge' ? '12xlarge' : size
  return {instanceType: `${successor}.${s}`, replaced: instanceType}
}

/** A second type of the same shape for Auto Scaling's mixed instances policy (AMD/Intel sibling). */
export function siblingType(instanceType: string): string | undefined {
  const [family, size] = instanceType.split('.')
  if (!family || !size) return undefined
  const m = /^([a-z]+)(\d+)([a-z-]*)$/.exec(family)
  if (!m) return undefined
  const [, kind, gen, attrs] = m
  if (attrs === 'i') return `${kind}${gen}a.${size}`
  if (attrs === 'a') return `${kind}${gen}i.${size}`
  if (attrs === '' && kind === 't') return `t${gen}a.${size}`
  if (attrs === '' && Number(gen) >= 5) return `${kind}${gen}a.${size}`
  return undefined
}

export type RdsEngine = 'postgres' | 'mysql' | 'mariadb' | 'sqlserver-se' | 'oracle-se2'
export type AuroraEngine = 'aurora-postgresql' | 'aurora-mysql'

export interface EngineInfo {
  /** DB parameter group family. */
  readonly family: string
  /**
   * Engine version: a major version where RDS accepts one (it picks the default minor), else a
   * version the CloudFormation schemas list today (bump these as RDS deprecates them).
   */
  readonly version?: string
  /** The engine's default port (what applications use today). */
  readonly defaultPort: number
  /** Port on AWS: not the default, per CT.RDS.PR.20; the cutover changes connection strings anyway. */
  readonly port: number
  readonly logs: readonly string[]
  /** Parameter that makes the engine refuse connections without TLS. */
  readonly tls: Readonly<Record<string, string>>
  readonly iamAuth: boolean
  /** DMS endpoint engine name for a source of this kind. */
  readonly dmsEngine: string
  /** DMS engine name of the target. */
  readonly dmsTarget: string
}

export const ENGINES: Readonly<Record<RdsEngine | AuroraEngine, EngineInfo>> = {
  postgres: {
    family: 'postgres16',
    version: '16',
    defaultPort: 5432,
    port: 15432,
    logs: ['postgresql', 'upgrade'],
    tls: {'rds.force_ssl': '1'},
    iamAuth: true,
    dmsEngine: 'postgres',
    dmsTarget: 'postgres',
  },
  mysql: {
    family: 'mysql8.4',
    version: '8.4.11',
    defaultPort: 3306,
    port: 13306,
    logs: ['audit', 'error', 'general', 'slowquery'],
    tls: {require_secure_transport: 'ON'},
    iamAuth: true,
    dmsEngine: 'mysql',
    dmsTarget: 'mysql',
  },
  mariadb: {
    family: 'mariadb10.11',
    version: '10.11.16',
    defaultPort: 3306,
    port: 13306,
    logs: ['audit', 'error', 'general', 'slowquery'],
    tls: {require_secure_transport: 'ON'},
    iamAuth: true,
    dmsEngine: 'mariadb',
    dmsTarget: 'mariadb',
  },
  'sqlserver-se': {
    family: 'sqlserver-se-16.0',
    version: '16.00.4265.3.v1',
    defaultPort: 1433,
    port: 11433,
    logs: ['agent', 'error'],
    tls: {'rds.force_ssl': '1'},
    iamAuth: false,
    dmsEngine: 'sqlserver',
    dmsTarget: 'sqlserver',
  },
  'oracle-se2': {
    family: 'oracle-se2-19',
    version: '19',
    defaultPort: 1521,
    port: 11521,
    logs: ['alert', 'audit', 'listener', 'trace'],
    tls: {},
    iamAuth: false,
    dmsEngine: 'oracle',
    dmsTarget: 'oracle',
  },
  'aurora-postgresql': {
    family: 'aurora-postgresql16',
    version: '16',
    defaultPort: 5432,
    port: 15432,
    logs: ['postgresql'],
    tls: {'rds.force_ssl': '1'},
    iamAuth: true,
    dmsEngine: 'postgres',
    dmsTarget: 'aurora-postgresql',
  },
  'aurora-mysql': {
    family: 'aurora-mysql8.0',
    defaultPort: 3306,
    port: 13306,
    logs: ['audit', 'error', 'general', 'slowquery'],
    tls: {require_secure_transport: 'ON'},
    iamAuth: true,
    dmsEngine: 'mysql',
    dmsTarget: 'aurora',
  },
}

/** The RDS engine for a target detail or, failing that, the server's database software. */
export function rdsEngine(detail: string | undefined, server: WithSoftware | undefined): RdsEngine {
  const text = `${detail ?? ''} ${(server?.software ?? [])
    .filter((s) => s.category === 'database')
    .map((s) => s.name)
    .join(' ')}`.toLowerCase()
  if (/sql-?server|mssql/.test(text)) return 'sqlserver-se'
  if (/oracle/.test(text)) return 'oracle-se2'
  if (/maria/.test(text)) return 'mariadb'
  if (/mysql/.test(text)) return 'mysql'
  return 'postgres'
}

export function auroraEngine(detail: string | undefined, server: WithSoftware | undefined): AuroraEngine {
  return rdsEngine(detail, server) === 'mysql' || rdsEngine(detail, server) === 'mariadb' ? 'aurora-mysql' : 'aurora-postgresql'
}

/** DMS source engine of the server being migrated (its database software). */
export function sourceEngine(server: WithSoftware | undefined, fallback: RdsEngine | AuroraEngine): EngineInfo {
  const sw = (server?.software ?? []).filter((s) => s.category === 'database').map((s) => s.name.toLowerCase())
  if (sw.some((s) => /sql-?server|mssql/.test(s))) return ENGINES['sqlserver-se']
  if (sw.some((s) => /oracle/.test(s))) return ENGINES['oracle-se2']
  if (sw.some((s) => /maria/.test(s))) return ENGINES.mariadb
  if (sw.some((s) => /mysql/.test(s))) return ENGINES.mysql
  if (sw.some((s) => /postgres/.test(s))) return ENGINES.postgres
  return ENGINES[fallback]
}

/** A node type with the service prefix (`m6g.large` → `cache.m6g.large`). */
export function prefixed(prefix: 'db' | 'cache' | 'mq', type: string | undefined, fallback: string): string {
  if (!type) return fallback
  return type.startsWith(`${prefix}.`) ? type : `${prefix}.${type}`
}
