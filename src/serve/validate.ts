/**
 * Payload checks for the ingest server: JSON parse, agent file schema (src/importers/agent.ts
 * `parseAgentFile`, the same check as `import`) and fingerprint. Pure: runs in the server's thread or
 * in a worker of {@link ValidationPool}.
 */
import {formatLocation, UserInputError} from '../errors.js'
import {parseAgentFile} from '../importers/agent.js'
import type {AgentFile} from '../model/agent-file.js'
import {agentFingerprint} from './store.js'

export type Checked =
  | {readonly ok: true; readonly doc: AgentFile; readonly fingerprint: string}
  | {
      readonly ok: false
      readonly status: number
      readonly code: string
      readonly message: string
      readonly hint?: string
      readonly path?: string
    }

/** Parse and validate one payload body. Never throws for bad input: the result says what is wrong. */
export function checkPayload(body: Uint8Array): Checked {
  let data: unknown
  try {
    data = JSON.parse(
      Buffer.from(body.buffer, body.byteOffset, body.byteLength)
        .toString('utf8')
        .replace(/^\uFEFF/, ''),
    )
  } catch (error) {
    return {
      ok: false,
      status: 400,
      code: 'INVALID_JSON',
      message: `the body is not valid JSON: ${(error as Error).message}`,
      hint: 'Send the agent file unchanged.',
    }
  }
  try {
    const doc = parseAgentFile(data, 'payload')
    return {ok: true, doc, fingerprint: agentFingerprint(doc)}
  } catch (error) {
    if (!(error instanceof UserInputError)) throw error
    // The message without its "payload, column …:" prefix; the JSON path is given on its own.
    const prefix = formatLocation(error.location)
    const message = prefix && error.message.startsWith(`${prefix}: `) ? error.message.slice(prefix.length + 2) : error.message
    return {
      ok: false,
      status: 422,
      code: error.code,
      message,
      ...(error.hint ? {hint: error.hint} : {}),
      ...(error.location?.column ? {path: error.location.column} : {}),
    }
  }
}
