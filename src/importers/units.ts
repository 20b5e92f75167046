/**
 * Unit conversions used by the importers, each decided once and documented in docs/formats.md.
 *
 * The spreadsheets we read say "MB", "GB" and "KB" without saying whether they mean powers of 1000
 * or 1024. The numbers they hold come from VMware (`MemoryMB`, datastore GB), Windows and the ADS
 * agent, which all count in powers of 1024, so "MB" is read as MiB, "GB" as GiB and "KB" as KiB.
 * Network throughput is the exception on the output side: the model keeps it in Mbit/s, a decimal
 * unit (10^6 bits per second), as link speeds are quoted.
 */

/** Bytes in a KiB and a MiB. */
export const KIB = 1024
export const MIB = 1024 * 1024

/** KB/s (KiB/s) of disk throughput → MiB/s. */
export function kibPerSecToMiBps(kib: number): number {
  return kib / KIB
}

/** KB/s (KiB/s) of network throughput → Mbit/s (decimal): × 1024 × 8 / 10^6 = × 0.008192. */
export function kibPerSecToMbitps(kib: number): number {
  return (kib * KIB * 8) / 1e6
}

/** MB/s (MiB/s) of network throughput → Mbit/s (decimal): × 2^20 × 8 / 10^6 = × 8.388608. */
export function mibPerSecToMbitps(mib: number): number {
  return (mib * MIB * 8) / 1e6
}

/** GB (GiB) of memory → MiB. */
export function gibToMib(gib: number): number {
  return gib * 1024
}

/** MB (MiB) of storage → GiB. */
export function mibToGib(mib: number): number {
  return mib / 1024
}

/** Rounds away binary-fraction noise (0.1 + 0.2) without hiding real precision: 12 significant digits. */
export function tidy(n: number): number {
  return Number.isFinite(n) ? Number(n.toPrecision(12)) : n
}

/** The sum of two values, or undefined unless both are known: a partial sum would understate the total. */
export function sumBoth(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined || b === undefined ? undefined : tidy(a + b)
}
