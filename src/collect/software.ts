/**
 * Software detection: which databases, web and app servers, brokers, caches, file services and
 * schedulers run on a host, each with the evidence (process, port). The rules are data
 * ({@link SOFTWARE_RULES}); {@link detectSoftware} is pure and shared by `collect` and `discover ssh`.
 */
import type {SoftwareCategory} from '../model/server.js'

export interface SoftwareRule {
  /** Canonical id, kebab-case. */
  readonly name: string
  readonly category: SoftwareCategory
  /** Process names, lower case, without `.exe`. */
  readonly processes?: readonly string[]
  /** Patterns on the process name (e.g. Oracle's `ora_pmon_ORCL`). */
  readonly namePatterns?: readonly RegExp[]
  /** Patterns on the command line; with `commandProcesses`, only for those process names (e.g. `java`). */
  readonly commands?: readonly RegExp[]
  readonly commandProcesses?: readonly string[]
  /** A command line matching one of these disqualifies the process (MariaDB's `mysqld`). */
  readonly notCommands?: readonly RegExp[]
  /** Ports it usually listens on; listed as evidence. */
  readonly ports?: readonly number[]
  /** Whether a listening port alone, with no matching process visible, is enough to report it. */
  readonly portAlone?: boolean
  /** First capture group = version, searched in the command lines of matching processes. */
  readonly version?: RegExp
  /** Report only with at least this many cron entries (the scheduler rule). */
  readonly minCronEntries?: number
}

/** Cron entries from which a host counts as running cron-heavy batch. */
export const CRON_HEAVY_ENTRIES = 10

export const SOFTWARE_RULES: readonly SoftwareRule[] = [
  // databases
  {name: 'mysql', category: 'database', processes: ['mysqld', 'mysqld_safe'], notCommands: [/mariadb/i], ports: [3306, 33060]},
  {
    name: 'mariadb',
    category: 'database',
    processes: ['mariadbd'],
    commands: [/mariadb/i],
    commandProcesses: ['mysqld', 'mysqld_safe'],
    ports: [3306],
  },
  {
    name: 'postgresql',
    category: 'database',
    processes: ['postgres', 'postmaster'],
    ports: [5432],
    portAlone: true,
    version: /(?:postgresql[/\\-]|pgsql-|PostgreSQL[/\\])(\d+(?:\.\d+)?)/i,
  },
  {
    name: 'oracle-database',
    category: 'database',
    processes: ['tnslsnr', 'oracle'],
    namePatterns: [/^ora_pmon_/i],
    ports: [1521],
    portAlone: true,
    version: /[/\\]product[/\\](\d+(?:\.\d+)*)/i,
  },
  {name: 'sql-server', category: 'database', processes: ['sqlservr'], ports: [1433], portAlone: true, version: /(MSSQL\d+)/},
  {name: 'mongodb', category: 'database', processes: ['mongod', 'mongos'], ports: [27017], portAlone: true},
  // web and app servers
  {name: 'nginx', category: 'web-server', processes: ['nginx'], ports: [80, 443]},
  {name: 'apache-httpd', category: 'web-server', processes: ['httpd', 'apache2', 'httpd.worker'], ports: [80, 443]},
  {name: 'iis', category: 'web-server', processes: ['w3wp', 'inetinfo'], ports: [80, 443]},
  {
    name: 'tomcat',
    category: 'app-server',
    namePatterns: [/^tomcat\d*w?$/],
    commands: [/org\.apache\.catalina\.startup\.Bootstrap/],
    commandProcesses: ['java'],
    ports: [8080, 8005, 8009],
    version: /tomcat[-_]?(\d+(?:\.\d+)*)/i,
  },
  {
    name: 'jboss-wildfly',
    category: 'app-server',
    commands: [/jboss-modules\.jar/, /org\.jboss\.as\b/, /wildfly/i],
    commandProcesses: ['java', 'standalone.sh', 'domain.sh'],
    ports: [9990, 8080],
    version: /wildfly[-_](\d+(?:\.\d+)*)/i,
  },
  {name: 'nodejs', category: 'runtime', processes: ['node', 'nodejs']},
  {name: 'dotnet', category: 'runtime', processes: ['dotnet']},
  {name: 'java', category: 'runtime', processes: ['java', 'javaw']},
  // brokers
  {
    name: 'rabbitmq',
    category: 'message-broker',
    processes: ['rabbitmq-server'],
    commands: [/rabbit/i],
    commandProcesses: ['beam.smp', 'beam', 'erl'],
    ports: [5672, 15672, 25672],
    portAlone: true,
  },
  {
    name: 'activemq',
    category: 'message-broker',
    commands: [/activemq\.jar/i, /org\.apache\.activemq/],
    commandProcesses: ['java'],
    ports: [61616, 8161],
    portAlone: true,
  },
  {name: 'kafka', category: 'message-broker', commands: [/\bkafka\.Kafka\b/], commandProcesses: ['java'], ports: [9092], portAlone: true},
  // caches
  {name: 'redis', category: 'cache', processes: ['redis-server'], ports: [6379], portAlone: true},
  {name: 'memcached', category: 'cache', processes: ['memcached'], ports: [11211], portAlone: true},
  // file services
  {name: 'nfs', category: 'file-service', processes: ['nfsd', 'rpc.nfsd', 'rpc.mountd'], ports: [2049], portAlone: true},
  {name: 'samba', category: 'file-service', processes: ['smbd', 'nmbd', 'samba'], ports: [445, 139]},
  // schedulers
  {name: 'cron-batch', category: 'scheduler', processes: ['cron', 'crond'], minCronEntries: CRON_HEAVY_ENTRIES},
]

export interface SoftwareProcess {
  readonly pid?: number
  readonly name: string
  /** Already redacted. */
  readonly command?: string
}

export interface SoftwareListener {
  readonly protocol: 'tcp' | 'udp'
  readonly port: number
  readonly process?: string
}

export interface SoftwareInput {
  readonly processes: readonly SoftwareProcess[]
  readonly listeners: readonly SoftwareListener[]
  /** Cron entries counted on the host, when they could be read. */
  readonly cronEntries?: number
  /** Pids not to look at (the collector itself). */
  readonly ignorePids?: readonly number[]
}

export interface Detected {
  readonly name: string
  readonly category: SoftwareCategory
  readonly version?: string
  readonly evidence: string[]
}

/** `C:\…\sqlservr.exe` → `sqlservr`. */
export function processKey(name: string): string {
  return name
    .trim()
    .split(/[\\/]/)
    .at(-1)!
    .toLowerCase()
    .replace(/\.exe$/, '')
}

const MAX_PROCESS_EVIDENCE = 3

function matches(rule: SoftwareRule, p: SoftwareProcess): boolean {
  const key = processKey(p.name)
  const command = p.command ?? ''
  if (rule.notCommands?.some((re) => re.test(command))) return false
  if (rule.processes?.includes(key)) return true
  if (rule.namePatterns?.some((re) => re.test(key))) return true
  if (rule.commands && (!rule.commandProcesses || rule.commandProcesses.includes(key))) return rule.commands.some((re) => re.test(command))
  return false
}

/** Software found on one host, in rule order, each with its evidence. Pure. */
export function detectSoftware(input: SoftwareInput, rules: readonly SoftwareRule[] = SOFTWARE_RULES): Detected[] {
  const ignore = new Set(input.ignorePids ?? [])
  const processes = input.processes.filter((p) => p.pid === undefined || !ignore.has(p.pid))
  const out: Detected[] = []
  for (const rule of rules) {
    const hits = processes.filter((p) => matches(rule, p))
    const ports = [...new Set(input.listeners.filter((l) => l.protocol === 'tcp' && rule.ports?.includes(l.port)).map((l) => l.port))].sort(
      (a, b) => a - b,
    )
    if (rule.minCronEntries !== undefined && (input.cronEntries ?? 0) < rule.minCronEntries) continue
    if (hits.length === 0 && !(rule.portAlone && ports.length > 0)) continue
    const evidence: string[] = []
    const names = [...new Set(hits.map((p) => processKey(p.name)))].sort()
    for (const name of names.slice(0, MAX_PROCESS_EVIDENCE)) {
      const pids = hits.filter((p) => processKey(p.name) === name).map((p) => p.pid)
      evidence.push(`process ${name}${pids.length > 1 ? ` ×${pids.length}` : pids[0] === undefined ? '' : ` (pid ${pids[0]})`}`)
    }
    if (names.length > MAX_PROCESS_EVIDENCE) evidence.push(`and ${names.length - MAX_PROCESS_EVIDENCE} more processes`)
    for (const port of ports) {
      const owner = input.listeners.find((l) => l.protocol === 'tcp' && l.port === port && l.process)?.process
      evidence.push(`listens on tcp/${port}${owner ? ` (${processKey(owner)})` : ''}${hits.length === 0 ? ' (port only)' : ''}`)
    }
    if (rule.minCronEntries !== undefined) evidence.push(`${input.cronEntries} cron entries`)
    let version: string | undefined
    if (rule.version) {
      for (const p of hits) {
        const m = rule.version.exec(p.command ?? '')
        if (m?.[1]) {
          version = m[1]
          break
        }
      }
    }
    out.push({name: rule.name, category: rule.category, ...(version ? {version} : {}), evidence})
  }
  return out
}

/** Scheduled jobs in crontab text: lines that are not blank, comments or `VAR=value` settings. Pure. */
export function countCronEntries(text: string): number {
  let n = 0
  for (const raw of text.split('\n')) {
    const line = raw.trim()
    if (!line || line.startsWith('#')) continue
    if (/^[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line)) continue
    n++
  }
  return n
}
