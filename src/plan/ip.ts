/**
 * Address classification for endpoints that match no inventory server: private / on-premises
 * ranges (an unknown internal machine) versus the internet. Pure.
 */

/** RFC 1918 private ranges, RFC 6598 shared space and link-local: never the internet. */
export const PRIVATE_CIDRS: readonly string[] = ['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', '100.64.0.0/10', '169.254.0.0/16']

/** 32-bit value of a dotted quad, or undefined. */
export function ipv4ToInt(ip: string): number | undefined {
  const parts = ip.split('.')
  if (parts.length !== 4) return undefined
  let v = 0
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return undefined
    const n = Number(p)
    if (n > 255) return undefined
    v = v * 256 + n
  }
  return v
}

interface Range {
  readonly base: number
  readonly size: number
}

function parseCidr(cidr: string): Range {
  const [addr, bits] = cidr.split('/')
  const base = ipv4ToInt(addr ?? '')
  const n = Number(bits)
  if (base === undefined || !Number.isInteger(n) || n < 0 || n > 32) throw new Error(`bad CIDR ${cidr}`)
  const size = 2 ** (32 - n)
  return {base: base - (base % size), size}
}

export type AddressClass = 'loopback' | 'internal' | 'internet'

/** Classifies addresses against the private ranges plus the organisation's on-premises CIDRs. */
export class AddressClassifier {
  private readonly ranges: readonly Range[]

  constructor(onPremisesCidrs: readonly string[] = []) {
    this.ranges = [...PRIVATE_CIDRS, ...onPremisesCidrs].map(parseCidr)
  }

  classify(ip: string): AddressClass {
    const v = ipv4ToInt(ip)
    if (v !== undefined) {
      if (v >>> 24 === 127 || v === 0) return 'loopback'
      for (const r of this.ranges) if (v >= r.base && v < r.base + r.size) return 'internal'
      return 'internet'
    }
    const s = ip.toLowerCase()
    if (s === '::1' || s === '::') return 'loopback'
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s)
    if (mapped) return this.classify(mapped[1]!)
    // fc00::/7 unique local, fe80::/10 link-local
    if (/^f[cd][0-9a-f]{0,2}:/.test(s) || /^fe[89ab][0-9a-f]?:/.test(s)) return 'internal'
    return 'internet'
  }
}

/** Lower-case, IPv4-mapped IPv6 reduced to the IPv4 address, so both spellings match one server. */
export function normaliseIp(ip: string): string {
  const s = ip.trim().toLowerCase()
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(s)
  return mapped ? mapped[1]! : s
}
