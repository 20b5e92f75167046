/**
 * Value helpers shared by the spreadsheet importers: host names, MAC addresses, tag lists, power
 * states, software names, metric summaries and time stamps. Pure functions, no I/O.
 */
import type {
  Architecture,
  DetectedSoftware,
  FactKey,
  FactKind,
  MetricSummary,
  PowerState,
  ServerFacts,
  SoftwareCategory,
} from '../model/server.js'
import {normaliseUuid} from '../workspace/identity.js'
import {excelSerialToIso, parseDateCell, type Cell} from './table.js'

const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/

/** True for a v4 dotted quad or something shaped like a v6 address. */
export function isIpAddress(s: string): boolean {
  const t = s.trim()
  return IPV4.test(t) || (/^[0-9a-f:.]+$/i.test(t) && t.includes(':') && t.split(':').length >= 3)
}

/**
 * A name column that may hold a short name, an FQDN or an IP address.
 * `web01.corp.example` → hostname `web01`, fqdn `web01.corp.example`; `10.0.0.5` → ips.
 */
export function nameFacts(raw: string | undefined): Pick<ServerFacts, 'hostname' | 'fqdn' | 'ips'> {
  const s = raw?.trim()
  if (!s) return {}
  if (isIpAddress(s)) return {ips: [s]}
  const clean = s.replace(/\.$/, '')
  if (clean.includes('.') && !/\s/.test(clean)) return {hostname: clean.split('.')[0]!, fqdn: clean.toLowerCase()}
  return {hostname: clean}
}

/** `00-15-E9-2B-99-3C`, `0015.e92b.993c` or `00:15:e9:2b:99:3c` → `00:15:e9:2b:99:3c`; other text unchanged (trimmed). */
export function normaliseMac(raw: string): string {
  const hex = raw
    .trim()
    .toLowerCase()
    .replace(/[^0-9a-f]/g, '')
  if (hex.length === 12 && /^[0-9a-f:.\- ]+$/i.test(raw.trim())) return hex.match(/../g)!.join(':')
  return raw.trim()
}

/** A MAC address list cell → normalised, without all-zero addresses. */
export function macList(values: readonly string[]): string[] {
  return [...new Set(values.map(normaliseMac).filter((m) => m !== '00:00:00:00:00:00'))]
}

/** A UUID cell: normalised when it is a UUID, undefined otherwise (all-zero and all-F ids identify nothing). */
export function uuidOf(raw: string | undefined): string | undefined {
  return normaliseUuid(raw)
}

/**
 * `"zone:1, critical:yes"` → `{zone: '1', critical: 'yes'}`. A name given twice keeps every value,
 * joined by `, ` in order of appearance; an entry without a colon becomes a tag with an empty value.
 */
export function parseTagList(value: string | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!value) return out
  for (const part of value.split(/[,;\n]/)) {
    const entry = part.trim()
    if (!entry) continue
    const i = entry.indexOf(':')
    const name = (i < 0 ? entry : entry.slice(0, i)).trim()
    const v = i < 0 ? '' : entry.slice(i + 1).trim()
    if (!name) continue
    const prev = out[name]
    if (prev === undefined) out[name] = v
    else if (v && !prev.split(', ').includes(v)) out[name] = prev ? `${prev}, ${v}` : v
  }
  return out
}

/** The environment named by a tag (`environment`, `env`, `stage`), if any. */
export function environmentFromTags(tags: Readonly<Record<string, string>>): string | undefined {
  for (const [k, v] of Object.entries(tags)) if (/^(environment|env|stage)$/i.test(k) && v) return v
  return undefined
}

/** `poweredOn`, `on`, `running` → on; `poweredOff`, `off`, `stopped` → off; `suspended` → suspended. */
export function parsePowerState(value: string | undefined): PowerState | undefined {
  const v = value
    ?.trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '')
  if (!v) return undefined
  if (['on', 'poweredon', 'running', 'up', 'active', 'started', 'true', 'yes'].includes(v)) return 'on'
  if (['off', 'poweredoff', 'stopped', 'down', 'shutdown', 'inactive', 'false', 'no'].includes(v)) return 'off'
  if (['suspended', 'paused', 'saved'].includes(v)) return 'suspended'
  return undefined
}

/** `x64`, `amd64`, `64-bit` → x86_64; `x86`, `32-bit` → i386; `arm64`, `aarch64` → arm64. */
export function parseArchitecture(value: string | undefined): Architecture | undefined {
  const v = value?.trim().toLowerCase()
  if (!v) return undefined
  if (/^(x64|x86[_-]64|amd64|64[- ]?bits?|em64t|intel64)$/.test(v)) return 'x86_64'
  if (/^(x86|i[3-6]86|ia32|32[- ]?bits?)$/.test(v)) return 'i386'
  if (/^(arm64|aarch64|armv8)$/.test(v)) return 'arm64'
  return 'other'
}

/** `BIOS` / `UEFI` / `EFI` → `bios` / `uefi`; other text lower-cased. */
export function parseFirmware(value: string | undefined): string | undefined {
  const v = value?.trim().toLowerCase()
  if (!v) return undefined
  return v === 'efi' ? 'uefi' : v
}

/** `Physical` → false, `Virtual` → true, yes/no/true/false as booleans. */
export function parseVirtual(value: string | undefined): boolean | undefined {
  const v = value?.trim().toLowerCase()
  if (!v) return undefined
  if (['virtual', 'vm', 'yes', 'y', 'true', '1'].includes(v)) return true
  if (['physical', 'bare metal', 'baremetal', 'no', 'n', 'false', '0'].includes(v)) return false
  return undefined
}

const SOFTWARE: readonly [RegExp, string, SoftwareCategory][] = [
  [/\b(microsoft\s+)?sql\s*server\b|\bmssql\b/i, 'sql-server', 'database'],
  [/\boracle\b(?!\s+(linux|solaris|enterprise linux|vm))/i, 'oracle-database', 'database'],
  [/\bmysql\b/i, 'mysql', 'database'],
  [/\bmariadb\b/i, 'mariadb', 'database'],
  [/\bpostgres(ql)?\b/i, 'postgresql', 'database'],
  [/\bmongo(db)?\b/i, 'mongodb', 'database'],
  [/\bdb2\b/i, 'db2', 'database'],
  [/\b(sybase|sap ase)\b/i, 'sybase-ase', 'database'],
  [/\biis\b|internet information services/i, 'iis', 'web-server'],
  [/\bnginx\b/i, 'nginx', 'web-server'],
  [/\btomcat\b/i, 'tomcat', 'app-server'],
  [/\bapache\b(\s+http(d)?|\s+web)?|\bhttpd\b/i, 'apache-httpd', 'web-server'],
  [/\b(jboss|wildfly)\b/i, 'jboss', 'app-server'],
  [/\bweblogic\b/i, 'weblogic', 'app-server'],
  [/\bwebsphere\s+mq\b|\bibm\s+mq\b/i, 'ibm-mq', 'message-broker'],
  [/\bwebsphere\b/i, 'websphere', 'app-server'],
  [/\brabbitmq\b/i, 'rabbitmq', 'message-broker'],
  [/\bkafka\b/i, 'kafka', 'message-broker'],
  [/\bactivemq\b/i, 'activemq', 'message-broker'],
  [/\bredis\b/i, 'redis', 'cache'],
  [/\bmemcached\b/i, 'memcached', 'cache'],
  [/\bexchange\b/i, 'exchange-server', 'commercial'],
  [/\bsharepoint\b/i, 'sharepoint', 'commercial'],
  [/\bactive directory\b|\bdomain controller\b/i, 'active-directory', 'directory'],
]

/** kebab-case id of free text: `Service Now` → `service-now`. */
export function kebab(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/[^\x20-\x7e]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64)
}

/**
 * Software named in a spreadsheet cell (`SQL Server 2016 Standard`, `Tomcat 9`): a canonical id and
 * category for well-known products, else the kebab-cased name with category `other`.
 */
export function softwareFromName(
  name: string,
  evidence: string,
  extra: {version?: string; edition?: string} = {},
): DetectedSoftware | undefined {
  const text = name.trim()
  if (!text || /^(none|n\/?a|no|-|null|unknown)$/i.test(text)) return undefined
  const hit = SOFTWARE.find(([re]) => re.test(text))
  const id = hit ? hit[1] : kebab(text)
  if (!id) return undefined
  const version = extra.version ?? /\b((19|20)\d{2}(\s*R2)?|\d+(\.\d+)+)\b/i.exec(text)?.[1]
  return {
    name: id,
    category: hit ? hit[2] : 'other',
    ...(version ? {version} : {}),
    ...(extra.edition ? {edition: extra.edition} : {}),
    evidence: [evidence],
  }
}

const SQL_EDITIONS = /\b(enterprise|standard|express|developer|web|workgroup|datacenter|evaluation|business intelligence)\b/i

/**
 * A SQL Server edition cell (`SQL Server 2012 Enterprise`, `Standard`, `None`) → sql-server software
 * with its edition and version, or undefined when the cell says there is none.
 */
export function sqlServerFromEdition(value: string | undefined, evidence: string): DetectedSoftware | undefined {
  const text = value?.trim()
  if (!text || /^(none|n\/?a|no|-|null|false|0|not installed)$/i.test(text)) return undefined
  const m = SQL_EDITIONS.exec(text)
  const edition = m ? m[1]!.replace(/\b\w/g, (c) => c.toUpperCase()) : undefined
  const version = /\b((19|20)\d{2}(\s*R2)?)\b/i.exec(text)?.[1]
  return {
    name: 'sql-server',
    category: 'database',
    ...(version ? {version} : {}),
    ...(edition ? {edition} : {}),
    evidence: [evidence],
  }
}

/** A MetricSummary of the known parts, or undefined when nothing is known. */
export function metric(parts: Partial<Record<'avg' | 'p50' | 'p95' | 'p99' | 'max', number | undefined>>): MetricSummary | undefined {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(parts)) if (v !== undefined && Number.isFinite(v)) out[k] = v
  return Object.keys(out).length > 0 ? (out as MetricSummary) : undefined
}

/** Fact keys that are labels a person typed (never measurements), whatever the importer's kind. */
const LABEL_KEYS: readonly FactKey[] = [
  'environment',
  'applications',
  'tags',
  'owner',
  'businessUnit',
  'criticality',
  'description',
  'software',
  'annualCostUsd',
]

/** Per-fact kinds marking the labels present in `facts` as declared. */
export function labelKinds(facts: ServerFacts): Partial<Record<FactKey, FactKind>> | undefined {
  const kinds: Partial<Record<FactKey, FactKind>> = {}
  for (const k of LABEL_KEYS) {
    const v = facts[k]
    if (v === undefined) continue
    if (Array.isArray(v) && v.length === 0) continue
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue
    kinds[k] = 'declared'
  }
  return Object.keys(kinds).length > 0 ? kinds : undefined
}

/** Drops empty lists and empty tag maps so that a record only carries what the row said. */
export function dropEmpty(facts: Record<string, unknown>): ServerFacts {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(facts)) {
    if (v === undefined || v === null) continue
    if (typeof v === 'string' && v.trim() === '') continue
    if (Array.isArray(v) && v.length === 0) continue
    if (typeof v === 'object' && !Array.isArray(v) && Object.keys(v as object).length === 0) continue
    out[k] = v
  }
  return out as ServerFacts
}

const MONTH_FIRST = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([ap]\.?m\.?)?)?$/i
const ISO_NO_ZONE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?$/

/**
 * A time stamp as ISO-8601 UTC. Time stamps without a zone are taken as UTC (the ADS agent and
 * the exporters we know write UTC), never as the local zone of the machine running the import,
 * so that the same file gives the same result everywhere. Accepts ISO-8601, `mm/dd/yyyy hh:mm:ss
 * am/pm` (the ADS agent's documented form), Excel serial numbers and Date cells.
 */
export function utcTimestamp(cell: Cell): string | undefined {
  if (typeof cell === 'number') return excelSerialToIso(cell)
  if (typeof cell !== 'string') return parseDateCell(cell)
  const s = cell.trim()
  if (!s) return undefined
  let m = ISO_NO_ZONE.exec(s)
  if (m) {
    return build(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4] ?? 0), Number(m[5] ?? 0), Number(m[6] ?? 0), m[7])
  }
  m = MONTH_FIRST.exec(s)
  if (m) {
    let hour = Number(m[4] ?? 0)
    const ampm = m[7]?.toLowerCase().replace(/\./g, '')
    if (ampm === 'pm' && hour < 12) hour += 12
    if (ampm === 'am' && hour === 12) hour = 0
    return build(Number(m[3]), Number(m[1]), Number(m[2]), hour, Number(m[5] ?? 0), Number(m[6] ?? 0))
  }
  if (/^\d+(\.\d+)?$/.test(s)) return excelSerialToIso(Number(s))
  // Anything else must carry its own zone (or be a form Date.parse reads as UTC).
  if (!/(z|[+-]\d{2}:?\d{2}|gmt|utc)$/i.test(s)) return undefined
  const t = Date.parse(s)
  return Number.isNaN(t) ? undefined : new Date(t).toISOString().replace('.000Z', 'Z')
}

function build(y: number, mo: number, d: number, h: number, mi: number, s: number, frac?: string): string | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined
  const ms = frac ? Math.round(Number(frac) * 1000) : 0
  const t = Date.UTC(y, mo - 1, d, h, mi, s, ms)
  const date = new Date(t)
  if (Number.isNaN(t) || date.getUTCDate() !== d) return undefined
  return date.toISOString().replace('.000Z', 'Z')
}
