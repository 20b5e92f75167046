/** IPv4 CIDR arithmetic for the IP plan. Pure; blocks are `[base, size)` ranges of 32-bit values. */

export interface Block {
  /** First address, as an unsigned 32-bit value. */
  readonly base: number
  /** Prefix length, 0–32. */
  readonly prefix: number
}

export function blockSize(prefix: number): number {
  return 2 ** (32 - prefix)
}

export function parseIpv4(ip: string): number | undefined {
  const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip.trim())
  if (!m) return undefined
  const parts = m.slice(1).map(Number)
  if (parts.some((p) => p > 255)) return undefined
  return ((parts[0]! * 256 + parts[1]!) * 256 + parts[2]!) * 256 + parts[3]!
}

export function formatIpv4(v: number): string {
  return [24, 16, 8, 0].map((s) => Math.floor(v / 2 ** s) % 256).join('.')
}

/** Parse `a.b.c.d/n`; host bits are cleared (`10.1.2.3/16` → `10.1.0.0/16`). */
export function parseCidr(cidr: string): Block | undefined {
  const m = /^([\d.]+)\/(\d{1,2})$/.exec(cidr.trim())
  if (!m) return undefined
  const ip = parseIpv4(m[1]!)
  const prefix = Number(m[2])
  if (ip === undefined || prefix > 32) return undefined
  const size = blockSize(prefix)
  return {base: ip - (ip % size), prefix}
}

export function formatCidr(b: Block): string {
  return `${formatIpv4(b.base)}/${b.prefix}`
}

export function blockEnd(b: Block): number {
  return b.base + blockSize(b.prefix)
}

export function overlaps(a: Block, b: Block): boolean {
  return a.base < blockEnd(b) && b.base < blockEnd(a)
}

export function containsBlock(outer: Block, inner: Block): boolean {
  return inner.base >= outer.base && blockEnd(inner) <= blockEnd(outer)
}

/** The `index`-th block of length `prefix` inside `parent` (index from 0). */
export function subBlock(parent: Block, prefix: number, index: number): Block {
  return {base: parent.base + index * blockSize(prefix), prefix}
}

/** Smallest prefix length whose block holds `addresses` addresses. */
export function prefixFor(addresses: number): number {
  let prefix = 32
  while (prefix > 0 && blockSize(prefix) < addresses) prefix--
  return prefix
}

/**
 * Hands out aligned blocks from a pool in address order, skipping any that overlap a reserved
 * block. Deterministic: the same requests in the same order give the same blocks.
 */
export class BlockAllocator {
  private next: number
  private readonly end: number

  constructor(
    private readonly pool: Block,
    private readonly reserved: readonly Block[],
  ) {
    this.next = pool.base
    this.end = blockEnd(pool)
  }

  /** The next free aligned block of this prefix length, or undefined when the pool is exhausted. */
  allocate(prefix: number): Block | undefined {
    if (prefix < this.pool.prefix) return undefined
    const size = blockSize(prefix)
    let base = Math.ceil(this.next / size) * size
    while (base + size <= this.end) {
      const candidate = {base, prefix}
      const clash = this.reserved.find((r) => overlaps(r, candidate))
      if (!clash) {
        this.next = base + size
        return candidate
      }
      base = Math.ceil(Math.max(base + size, blockEnd(clash)) / size) * size
    }
    return undefined
  }
}
