/**
 * The file the `collect` agent and `discover ssh` write, and `import`/`serve` read:
 * one host, one collection window. Versioned by `schemaVersion`; documented in docs/agent-file.md.
 *
 * Units: memory MiB, storage GiB, utilisation percent, disk throughput MiB/s, network Mbit/s,
 * timestamps ISO-8601 UTC. A field the collector could not see is absent, never 0, and the
 * reason goes into `limitations`.
 */
import {z} from 'zod'

export const AGENT_FILE_SCHEMA_VERSION = 'migrate-plan.agent/1'

const nonNegative = z.number().finite().nonnegative()
const count = z.number().int().nonnegative()
const port = z.number().int().min(0).max(65_535)
const isoDate = z.string().min(1).max(64)
const shortText = z.string().max(1024)
const protocol = z.enum(['tcp', 'udp'])

export const metricSummarySchema = z
  .object({
    avg: nonNegative.optional(),
    p50: nonNegative.optional(),
    p95: nonNegative.optional(),
    p99: nonNegative.optional(),
    max: nonNegative.optional(),
    samples: count.optional(),
    windowStart: isoDate.optional(),
    windowEnd: isoDate.optional(),
  })
  .strict()

export const agentFileSchema = z
  .object({
    schemaVersion: z.literal(AGENT_FILE_SCHEMA_VERSION),
    collector: z
      .object({
        /** `agent` (collect), `ssh` (discover ssh). */
        kind: z.enum(['agent', 'ssh']),
        version: shortText,
        /** `snapshot` (one look) or `sampling` (a window of samples). */
        mode: z.enum(['snapshot', 'sampling']),
        /** Whether it ran with administrator rights; without them some owners are hidden. */
        privileged: z.boolean().optional(),
      })
      .strict(),
    /** When the file was written (end of the window). */
    collectedAt: isoDate,
    host: z
      .object({
        hostname: z.string().min(1).max(255),
        fqdn: z.string().max(255).optional(),
        /** SMBIOS system UUID. */
        systemUuid: z.string().max(64).optional(),
        serial: shortText.optional(),
        manufacturer: shortText.optional(),
        model: shortText.optional(),
        virtual: z.boolean().optional(),
        hypervisor: shortText.optional(),
        ips: z.array(z.string().max(64)).max(4096),
        macs: z.array(z.string().max(64)).max(4096),
      })
      .strict(),
    os: z
      .object({
        /** `linux`, `windows`, `darwin`, `freebsd`, … as Node reports it. */
        platform: z.string().max(32),
        /** Distribution or product name, e.g. `Ubuntu`, `Microsoft Windows Server 2019 Standard`. */
        name: shortText.optional(),
        version: shortText.optional(),
        kernel: shortText.optional(),
        arch: z.string().max(32).optional(),
      })
      .strict(),
    cpu: z
      .object({
        model: shortText.optional(),
        sockets: count.optional(),
        /** Physical cores. */
        cores: count.optional(),
        /** Logical processors. */
        threads: count.optional(),
        mhz: nonNegative.optional(),
      })
      .strict(),
    memory: z.object({totalMib: nonNegative.optional()}).strict(),
    disks: z.array(z.object({name: shortText, type: shortText.optional(), sizeGib: nonNegative.optional()}).strict()).max(4096),
    filesystems: z
      .array(
        z
          .object({
            mount: shortText,
            fsType: shortText.optional(),
            sizeGib: nonNegative.optional(),
            usedGib: nonNegative.optional(),
          })
          .strict(),
      )
      .max(4096),
    nics: z
      .array(
        z
          .object({
            name: shortText,
            mac: z.string().max(64).optional(),
            ips: z.array(z.string().max(64)).max(1024),
            speedMbps: nonNegative.optional(),
            virtual: z.boolean().optional(),
          })
          .strict(),
      )
      .max(1024),
    utilisation: z
      .object({
        windowStart: isoDate.optional(),
        windowEnd: isoDate.optional(),
        intervalSeconds: nonNegative.optional(),
        cpuPct: metricSummarySchema.optional(),
        memoryPct: metricSummarySchema.optional(),
        diskIops: metricSummarySchema.optional(),
        diskThroughputMiBps: metricSummarySchema.optional(),
        networkMbps: metricSummarySchema.optional(),
        /** How percentiles were computed, e.g. `exact` or `t-digest (±1% rank error)`. */
        percentileMethod: shortText.optional(),
      })
      .strict()
      .optional(),
    processes: z
      .array(
        z
          .object({
            pid: count.optional(),
            name: shortText,
            user: shortText.optional(),
            cpuPct: nonNegative.optional(),
            memoryMib: nonNegative.optional(),
            /** Redacted before it leaves the server. */
            command: z.string().max(8192).optional(),
          })
          .strict(),
      )
      .max(100_000),
    listeners: z.array(z.object({protocol, ip: z.string().max(64), port, process: shortText.optional()}).strict()).max(100_000),
    connections: z
      .array(
        z
          .object({
            protocol,
            localIp: z.string().max(64),
            localPort: port,
            remoteIp: z.string().max(64),
            remotePort: port,
            /** `outbound`: this host is the client; `inbound`: this host listens. */
            direction: z.enum(['inbound', 'outbound', 'unknown']),
            process: shortText.optional(),
            count: count.min(1),
            firstSeen: isoDate.optional(),
            lastSeen: isoDate.optional(),
          })
          .strict(),
      )
      .max(1_000_000),
    software: z
      .array(
        z
          .object({
            name: shortText,
            category: z.enum([
              'database',
              'web-server',
              'app-server',
              'runtime',
              'message-broker',
              'cache',
              'file-service',
              'scheduler',
              'directory',
              'infrastructure',
              'big-data',
              'commercial',
              'other',
            ]),
            version: shortText.optional(),
            edition: shortText.optional(),
            evidence: z.array(shortText).max(64),
          })
          .strict(),
      )
      .max(10_000),
    /** What the collector could not see and why, e.g. `socket owners of other users (not root)`. */
    limitations: z.array(shortText).max(1000),
  })
  .strict()

export type AgentFile = z.infer<typeof agentFileSchema>
