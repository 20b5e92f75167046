import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {identityKeys, normaliseFqdn, normaliseUuid, shortHostname, swapUuidEndianness} from '../../src/workspace/identity.js'

describe('normaliseUuid', () => {
  it.each([
    ['420B5A1C-3F2E-9D4B-8A7C-1D2E3F4A5B6C', '420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6c'],
    ['{420b5a1c3f2e9d4b8a7c1d2e3f4a5b6c}', '420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6c'],
    ['VMware-42 0b 5a 1c 3f 2e 9d 4b-8a 7c 1d 2e 3f 4a 5b 6c', '420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6c'],
  ])('%s → %s', (raw, want) => expect(normaliseUuid(raw)).toBe(want))

  it.each(['', 'not-a-uuid', '00000000-0000-0000-0000-000000000000', 'FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF'])('rejects %j', (raw) =>
    expect(normaliseUuid(raw)).toBeUndefined(),
  )

  it('a canonical UUID comes back as it is, placeholders still rejected; the swap is the byte-wise definition', () => {
    // The definitions the fast paths must keep to.
    const canonical = (hex: string): string =>
      `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
    const swapped = (hex: string): string => {
      const rev = (h: string): string => h.match(/../g)!.reverse().join('')
      return canonical(rev(hex.slice(0, 8)) + rev(hex.slice(8, 12)) + rev(hex.slice(12, 16)) + hex.slice(16))
    }
    const hex32 = fc.oneof(
      fc.stringMatching(/^[0-9a-f]{32}$/),
      fc.constantFrom('0'.repeat(32), 'f'.repeat(32), '0'.repeat(31) + '1', 'f'.repeat(31) + 'e'),
    )
    fc.assert(
      fc.property(hex32, (hex) => {
        const placeholder = /^0+$|^f+$/.test(hex)
        expect(normaliseUuid(canonical(hex))).toBe(placeholder ? undefined : canonical(hex))
        expect(normaliseUuid(canonical(hex).toUpperCase())).toBe(placeholder ? undefined : canonical(hex))
        expect(swapUuidEndianness(canonical(hex))).toBe(swapped(hex))
      }),
      {numRuns: 500},
    )
  })

  it('swaps the first three groups byte-wise and back', () => {
    const u = '420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6c'
    expect(swapUuidEndianness(u)).toBe('1c5a0b42-2e3f-4b9d-8a7c-1d2e3f4a5b6c')
    expect(swapUuidEndianness(swapUuidEndianness(u))).toBe(u)
  })
})

describe('host names', () => {
  it('short names ignore case, domain and IP literals', () => {
    expect(shortHostname('WEB01.corp.example')).toBe('web01')
    expect(shortHostname('10.0.0.1')).toBeUndefined()
    expect(normaliseFqdn('Web01.Corp.Example.')).toBe('web01.corp.example')
    expect(normaliseFqdn('web01')).toBeUndefined()
  })
})

describe('identityKeys', () => {
  it('orders lookups strongest first and registers every key', () => {
    const k = identityKeys({
      hostname: 'web01',
      fqdn: 'web01.corp.example',
      biosUuid: '420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6c',
      ips: ['10.0.1.10', '127.0.0.1'],
    })
    expect(k.lookups[0]).toEqual(['uuid:420b5a1c-3f2e-9d4b-8a7c-1d2e3f4a5b6c', 'uuid:1c5a0b42-2e3f-4b9d-8a7c-1d2e3f4a5b6c'])
    expect(k.lookups[1]).toEqual(['fqdn:web01.corp.example'])
    expect(k.lookups[2]).toEqual(['hostip:web01|10.0.1.10'])
    expect(k.register).toContain('host:web01')
    expect(k.register).not.toContain('hostip:web01|127.0.0.1')
    expect(k.hasIps).toBe(true)
  })

  it('a record without IPs matches by name only', () => {
    const k = identityKeys({hostname: 'db01'})
    expect(k.lookups).toEqual([['host:db01']])
    expect(k.register).toEqual(['hostnoip:db01', 'host:db01'])
  })
})
