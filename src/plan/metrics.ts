/** Partition quality measures used by benchmarks and tests. Pure. */

const pairs = (n: number): number => (n * (n - 1)) / 2

/**
 * Adjusted Rand index of two partitions of the same items (Hubert & Arabie 1985): 1 for identical
 * partitions, about 0 for random agreement. Labels may be any strings or numbers.
 */
export function adjustedRandIndex(a: ArrayLike<string | number>, b: ArrayLike<string | number>): number {
  if (a.length !== b.length) throw new Error(`partitions differ in size: ${a.length} vs ${b.length}`)
  const n = a.length
  if (n < 2) return 1
  const cells = new Map<string, number>()
  const rows = new Map<string | number, number>()
  const cols = new Map<string | number, number>()
  for (let i = 0; i < n; i++) {
    const x = a[i]!
    const y = b[i]!
    const key = `${typeof x}:${x}\u0000${typeof y}:${y}`
    cells.set(key, (cells.get(key) ?? 0) + 1)
    rows.set(x, (rows.get(x) ?? 0) + 1)
    cols.set(y, (cols.get(y) ?? 0) + 1)
  }
  let index = 0
  for (const v of cells.values()) index += pairs(v)
  let sumA = 0
  for (const v of rows.values()) sumA += pairs(v)
  let sumB = 0
  for (const v of cols.values()) sumB += pairs(v)
  const expected = (sumA * sumB) / pairs(n)
  const max = (sumA + sumB) / 2
  if (max === expected) return 1
  return (index - expected) / (max - expected)
}
