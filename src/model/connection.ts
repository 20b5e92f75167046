/**
 * Network connections as observed by agents, SSH discovery or exported by other tools.
 * Normalised to client → server: `source` opened the connection, `destination` listened.
 */
export type Protocol = 'tcp' | 'udp'

export interface ConnectionRecord {
  readonly sourceIp: string
  /** Client-side port; usually ephemeral and of little interest, kept when the source gives it. */
  readonly sourcePort?: number
  readonly destinationIp: string
  readonly destinationPort: number
  readonly protocol: Protocol
  /** Process on the side that reported the connection (client or server). */
  readonly process?: string
  /** How many times this connection was observed (samples, or rows aggregated). At least 1. */
  readonly count: number
  /** ISO-8601 timestamps, when known. */
  readonly firstSeen?: string
  readonly lastSeen?: string
  /** Bytes transferred over the window, when the source measures it. */
  readonly bytes?: number
}

/** Connections aggregated across every source and sample by (source, destination, port, protocol). */
export interface AggregatedConnection {
  readonly sourceIp: string
  readonly destinationIp: string
  readonly destinationPort: number
  readonly protocol: Protocol
  /** Distinct process names seen on either side, sorted. */
  readonly processes: readonly string[]
  /** Total observations. */
  readonly count: number
  readonly bytes?: number
  readonly firstSeen?: string
  readonly lastSeen?: string
  /** Ids of the workspace sources that reported it, ascending. */
  readonly sourceIds: readonly number[]
}

/**
 * What the assessment's inbound evidence reads of connections to a server: an
 * {@link AggregatedConnection} fits, and so does a row the workspace groups and streams.
 */
export interface InboundRecord {
  readonly sourceIp: string
  readonly destinationIp: string
  readonly destinationPort: number
  /** Total observations. */
  readonly count: number
  readonly firstSeen?: string | undefined
  readonly lastSeen?: string | undefined
}
