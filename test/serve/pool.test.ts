import {describe, expect, it} from 'vitest'

import {ValidationPool} from '../../src/serve/pool.js'
import {checkPayload} from '../../src/serve/validate.js'
import {agentDoc} from './payloads.js'

describe('ValidationPool', () => {
  it('checks payloads on worker threads with the same answers as inline checks', async () => {
    const pool = new ValidationPool(2)
    try {
      const bodies = [
        Buffer.from(JSON.stringify(agentDoc(1))),
        Buffer.from('{"schemaVersion": 1'),
        Buffer.from(JSON.stringify({...agentDoc(2), cpu: {cores: -1}})),
        ...Array.from({length: 20}, (_, i) => Buffer.from(JSON.stringify(agentDoc(10 + i)))),
      ]
      const results = await Promise.all(bodies.map((b) => pool.check(b)))
      expect(results).toEqual(bodies.map((b) => checkPayload(b)))
      expect(results.slice(0, 3).map((r) => (r.ok ? 'ok' : `${r.status} ${r.code} ${r.path ?? ''}`))).toEqual([
        'ok',
        '400 INVALID_JSON ',
        '422 AGENT_INVALID cpu.cores',
      ])
      expect(pool.threads).toBe(2) // no worker fell back to inline checks
    } finally {
      await pool.close()
    }
  })
})
