/**
 * Distinct values numbered in the order they are first seen: for compact tables where each value
 * is written (or sent to another thread) once and referred to by its number.
 */
export class Numbering<T> {
  /** Each distinct value once, at its number. */
  readonly values: T[] = []
  private readonly numbers = new Map<T, number>()

  /** The value's number, given it now if it has none. */
  of(value: T): number {
    let n = this.numbers.get(value)
    if (n === undefined) {
      n = this.values.length
      this.values.push(value)
      this.numbers.set(value, n)
    }
    return n
  }
}
