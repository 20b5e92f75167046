/**
 * Agent documents into the workspace, through the same path as `import`: the agent importer's sink
 * (src/importers/agent.ts) inside Workspace.importSources (one transaction, fingerprint dedupe).
 * Used by `serve` for pushed payloads and by `discover ssh` for what it found.
 */
import {createHash} from 'node:crypto'

import {agentImporter, sinkAgentFile} from '../importers/agent.js'
import type {AgentFile} from '../model/agent-file.js'
import type {ImportOutcome, ImportUnitRequest, Workspace} from '../workspace/workspace.js'

/** JSON.stringify replacer that re-creates objects whose keys are not in sorted order. */
function sortKeys(_key: string, value: unknown): unknown {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const keys = Object.keys(value)
  let sorted = true
  for (let i = 1; i < keys.length && sorted; i++) sorted = keys[i - 1]! < keys[i]!
  if (sorted) return value
  const out: Record<string, unknown> = {}
  for (const k of keys.sort()) out[k] = (value as Record<string, unknown>)[k]
  return out
}

/** JSON with object keys sorted at every level and no white space: equal documents, equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, sortKeys) ?? 'null'
}

/** `sha256:<hex>` of the canonical form of a validated agent document. */
export function agentFingerprint(doc: AgentFile): string {
  return `sha256:${createHash('sha256').update(canonicalJson(doc)).digest('hex')}`
}

export interface AgentDocumentInput {
  readonly doc: AgentFile
  /** What provenance calls the source, e.g. `push:web01@10.0.0.5` or `ssh:db01:22`. */
  readonly path: string
  /** Precomputed {@link agentFingerprint}, when the caller has it. */
  readonly fingerprint?: string
}

/** Import documents, one source each, in one transaction; a fingerprint already stored is `unchanged`. */
export async function importAgentDocuments(ws: Workspace, items: readonly AgentDocumentInput[]): Promise<ImportOutcome[]> {
  const units: ImportUnitRequest[] = items.map((item) => ({
    request: {
      format: agentImporter.format,
      path: item.path,
      fingerprint: item.fingerprint ?? agentFingerprint(item.doc),
      kind: agentImporter.kind,
    },
    read: async (sink) => {
      sinkAgentFile(item.doc, sink)
      return {observedAt: item.doc.collectedAt}
    },
  }))
  return ws.importSources(units)
}
