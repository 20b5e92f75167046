/** Worker thread of the ingest server's {@link ValidationPool}: checks payloads off the writer's thread. */
import {parentPort} from 'node:worker_threads'

import {checkPayload} from './validate.js'

parentPort!.on('message', ({id, body}: {id: number; body: Uint8Array}) => {
  try {
    parentPort!.postMessage({id, result: checkPayload(body)})
  } catch (error) {
    parentPort!.postMessage({id, error: (error as Error).message})
  }
})
