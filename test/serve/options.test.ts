import {describe, expect, it} from 'vitest'

import {checkToken, parseSize, readTls} from '../../src/serve/options.js'
import {runCli, tempDir} from '../helpers/cli.js'

describe('serve options', () => {
  it.each([
    ['64MiB', 64 * 1024 * 1024],
    ['500kb', 500_000],
    ['1GB', 1e9],
    ['1048576', 1_048_576],
    ['1.5 KiB', 1536],
  ])('size %s → %d bytes', (text, bytes) => {
    expect(parseSize(text, 'max-size')).toBe(bytes)
  })

  it.each(['', 'lots', '-1MiB', '10 parsecs'])('refuses the size %j', (text) => {
    expect(() => parseSize(text, 'max-size')).toThrow(/is not a size/)
  })

  it('wants a real token and TLS files in pairs', () => {
    expect(() => checkToken(undefined, 'MIGRATE_PLAN_TOKEN')).toThrow(/needs a token/)
    expect(() => checkToken('short', 'MIGRATE_PLAN_TOKEN')).toThrow(/at least 16 characters/)
    expect(() => checkToken('0123456789abcdef 01', 'MIGRATE_PLAN_TOKEN')).toThrow(/without spaces/)
    expect(checkToken('0123456789abcdef', 'X')).toBe('0123456789abcdef')
    expect(() => readTls('cert.pem', undefined)).toThrow(/go together/)
    expect(readTls(undefined, undefined)).toBeUndefined()
  })

  it('the command refuses a weak token with exit 2 before listening', () => {
    const tmp = tempDir()
    try {
      const r = runCli(['serve', '--port', '0', '--token', 'short', '-w', tmp.dir])
      expect(r.code).toBe(2)
      expect(r.stderr).toMatch(/at least 16 characters/)
      expect(r.stderr).not.toMatch(/listening/)
    } finally {
      tmp.cleanup()
    }
  })
})
