/**
 * The agent's own JSON file (`collect`, `discover ssh`, pushes to `serve`), schema in
 * src/model/agent-file.ts. Everything in it was measured on the host.
 */
import {readFile} from 'node:fs/promises'

import {UserInputError} from '../errors.js'
import {AGENT_FILE_SCHEMA_VERSION, agentFileSchema, type AgentFile} from '../model/agent-file.js'
import type {ConnectionRecord} from '../model/connection.js'
import type {Architecture, OsFamily, ServerFacts} from '../model/server.js'
import {usableIp} from '../workspace/identity.js'
import type {Importer, ImportSink} from './types.js'

/** Largest agent file read, bytes. A 14-day sample of a busy host is a few MiB. */
export const MAX_AGENT_FILE_BYTES = 512 * 1024 * 1024

export function osFamilyOf(platform: string | undefined, name?: string): OsFamily | undefined {
  const p = `${platform ?? ''} ${name ?? ''}`.toLowerCase()
  if (/win/.test(p)) return 'windows'
  if (/linux|ubuntu|debian|centos|red ?hat|rhel|suse|sles|amazon|oracle linux|rocky|alma|fedora/.test(p)) return 'linux'
  if (/aix|solaris|sunos|hp-?ux|freebsd|openbsd|darwin|unix/.test(p)) return 'unix'
  return platform || name ? 'other' : undefined
}

export function architectureOf(arch: string | undefined): Architecture | undefined {
  if (!arch) return undefined
  const a = arch.toLowerCase()
  if (/^(x64|x86_64|amd64)$/.test(a)) return 'x86_64'
  if (/^(arm64|aarch64)$/.test(a)) return 'arm64'
  if (/^(ia32|x86|i[3-6]86)$/.test(a)) return 'i386'
  return 'other'
}

/** Validate a parsed agent document; errors name the JSON path of the first problem. */
export function parseAgentFile(data: unknown, file: string): AgentFile {
  if (
    data &&
    typeof data === 'object' &&
    'schemaVersion' in data &&
    (data as {schemaVersion: unknown}).schemaVersion !== AGENT_FILE_SCHEMA_VERSION
  ) {
    throw new UserInputError(
      'AGENT_SCHEMA_VERSION',
      `unsupported schemaVersion ${JSON.stringify((data as {schemaVersion: unknown}).schemaVersion)}`,
      {
        location: {file},
        hint: `This migrate-plan reads ${AGENT_FILE_SCHEMA_VERSION}; collect again with the matching collector version.`,
      },
    )
  }
  const result = agentFileSchema.safeParse(data)
  if (!result.success) {
    const issue = result.error.issues[0]!
    const path = issue.path
      .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
      .join('')
      .replace(/^\./, '')
    throw new UserInputError('AGENT_INVALID', `${path || '(root)'}: ${issue.message}`, {
      location: {file, column: path || undefined},
      hint: 'The agent file does not match the schema in docs/agent-file.md; collect it again rather than editing it.',
    })
  }
  return result.data
}

/** The model facts of an agent file. Pure. */
export function agentFacts(doc: AgentFile): ServerFacts {
  const u = doc.utilisation
  const fsUsed = doc.filesystems.reduce((sum, f) => (f.usedGib === undefined ? sum : sum + f.usedGib), 0)
  const fsKnown = doc.filesystems.some((f) => f.usedGib !== undefined)
  const diskSize = doc.disks.reduce((sum, d) => (d.sizeGib === undefined ? sum : sum + d.sizeGib), 0)
  const diskKnown = doc.disks.some((d) => d.sizeGib !== undefined)
  const fsSize = doc.filesystems.reduce((sum, f) => (f.sizeGib === undefined ? sum : sum + f.sizeGib), 0)
  const hostname = doc.host.hostname.split('.')[0]!
  return {
    hostname,
    fqdn: doc.host.fqdn ?? (doc.host.hostname.includes('.') ? doc.host.hostname : undefined),
    biosUuid: doc.host.systemUuid?.toLowerCase(),
    ips: doc.host.ips.filter(usableIp),
    macs: doc.host.macs.filter((m) => m && m !== '00:00:00:00:00:00'),
    osName: doc.os.name,
    osVersion: doc.os.version,
    osFamily: osFamilyOf(doc.os.platform, doc.os.name),
    architecture: architectureOf(doc.os.arch),
    isVirtual: doc.host.virtual,
    hypervisor: doc.host.hypervisor,
    vcpus: doc.cpu.threads,
    cpuSockets: doc.cpu.sockets,
    cpuCores: doc.cpu.cores,
    cpuModel: doc.cpu.model,
    cpuMhz: doc.cpu.mhz || undefined,
    memoryMib: doc.memory.totalMib,
    storageProvisionedGib: diskKnown ? diskSize : fsSize > 0 ? fsSize : undefined,
    storageUsedGib: fsKnown ? fsUsed : undefined,
    disks: doc.disks.map((d) => ({name: d.name, ...(d.sizeGib === undefined ? {} : {sizeGib: d.sizeGib})})),
    filesystems: doc.filesystems,
    nics: doc.nics.map((n) => ({
      name: n.name,
      ...(n.mac ? {mac: n.mac} : {}),
      ips: n.ips,
      ...(n.speedMbps === undefined ? {} : {speedMbps: n.speedMbps}),
    })),
    cpuUtilisation: u?.cpuPct,
    memoryUtilisation: u?.memoryPct,
    diskIops: u?.diskIops,
    diskThroughput: u?.diskThroughputMiBps,
    networkThroughput: u?.networkMbps,
    listeners: doc.listeners,
    processes: doc.processes,
    software: doc.software,
  }
}

/** Agent connections normalised to client → server. Pure. */
export function agentConnections(doc: AgentFile): ConnectionRecord[] {
  const listening = new Set(doc.listeners.map((l) => `${l.protocol}/${l.port}`))
  return doc.connections.map((c) => {
    const inbound = c.direction === 'inbound' || (c.direction === 'unknown' && listening.has(`${c.protocol}/${c.localPort}`))
    return {
      sourceIp: inbound ? c.remoteIp : c.localIp,
      sourcePort: inbound ? c.remotePort : c.localPort,
      destinationIp: inbound ? c.localIp : c.remoteIp,
      destinationPort: inbound ? c.localPort : c.remotePort,
      protocol: c.protocol,
      ...(c.process ? {process: c.process} : {}),
      count: c.count,
      ...(c.firstSeen ? {firstSeen: c.firstSeen} : {}),
      ...(c.lastSeen ? {lastSeen: c.lastSeen} : {}),
    }
  })
}

/** Write one agent document into a sink (used by `import` and by `serve`). */
export function sinkAgentFile(doc: AgentFile, sink: ImportSink, ref?: string): void {
  sink.server({...(ref ? {ref} : {}), facts: agentFacts(doc), observedAt: doc.collectedAt})
  for (const c of agentConnections(doc)) sink.connection(c)
  for (const l of doc.limitations) sink.note({code: 'AGENT_LIMITATION', message: `${doc.host.hostname}: ${l}`})
}

export const agentImporter: Importer = {
  format: 'agent',
  label: 'a migrate-plan agent file (collect / discover ssh)',
  kind: 'measured',
  detect: (unit) =>
    unit.probes.length === 1 && unit.probes[0]!.type === 'json' && (unit.probes[0]!.schemaVersion ?? '').startsWith('migrate-plan.agent/'),
  async read(unit, sink) {
    const probe = unit.probes[0]!
    if (probe.size > MAX_AGENT_FILE_BYTES) {
      throw new UserInputError('AGENT_TOO_LARGE', `agent file is ${probe.size} bytes, over the ${MAX_AGENT_FILE_BYTES} byte limit`, {
        location: {file: unit.display},
        hint: 'An agent file holds one host; this one is not what it seems.',
      })
    }
    const text = await readFile(probe.path, 'utf8')
    let data: unknown
    try {
      data = JSON.parse(text.replace(/^\uFEFF/, ''))
    } catch (error) {
      throw new UserInputError('AGENT_NOT_JSON', `not valid JSON: ${(error as Error).message}`, {
        location: {file: unit.display},
        hint: 'The file is damaged or truncated; copy it from the server again.',
      })
    }
    const doc = parseAgentFile(data, unit.display)
    sinkAgentFile(doc, sink)
    return {observedAt: doc.collectedAt}
  },
}
