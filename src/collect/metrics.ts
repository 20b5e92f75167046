/**
 * Utilisation summaries: avg, p50, p95, p99, max over a sampling window. Pure.
 *
 * Percentiles are exact while a metric holds at most {@link EXACT_SAMPLE_LIMIT} samples (14 days at
 * a 30 s interval is 40,320): all samples are kept and the percentile is interpolated linearly
 * between the two nearest ranks (`(n-1)·p`, as numpy's default). Past the limit the samples fold
 * into a logarithmic histogram (DDSketch): every reported percentile is then within
 * ±{@link SKETCH_RELATIVE_ACCURACY} (relative) of a sample of the requested nearest rank; values under
 * {@link SKETCH_MIN_VALUE} count as 0. avg and max stay exact in both modes.
 * Samples are stored at a resolution of 0.001 (the unit of the metric).
 */
import type {MetricSummary} from '../model/server.js'

export const EXACT_SAMPLE_LIMIT = 50_000
export const SKETCH_RELATIVE_ACCURACY = 0.01
export const SKETCH_MIN_VALUE = 0.001
const GAMMA = (1 + SKETCH_RELATIVE_ACCURACY) / (1 - SKETCH_RELATIVE_ACCURACY)
const LOG_GAMMA = Math.log(GAMMA)

export const EXACT_METHOD = 'exact (linear interpolation between nearest ranks)'
export const SKETCH_METHOD = `log histogram (DDSketch, ±${SKETCH_RELATIVE_ACCURACY * 100}% relative)`

/** Serialisable state of one metric (the collector's state file holds it). */
export interface MetricState {
  readonly count: number
  readonly sum: number
  readonly max: number
  /** Every sample, while exact. */
  readonly values?: readonly number[]
  /** Histogram once past the exact limit: zero-bucket count and bucket index → count. */
  readonly sketch?: {readonly zero: number; readonly buckets: Readonly<Record<string, number>>}
}

const round3 = (v: number): number => Math.round(v * 1000) / 1000

export class MetricSeries {
  private count = 0
  private sum = 0
  private max = 0
  private values: number[] | undefined = []
  private zero = 0
  private buckets: Map<number, number> | undefined

  constructor(private readonly exactLimit = EXACT_SAMPLE_LIMIT) {}

  static from(state: MetricState, exactLimit = EXACT_SAMPLE_LIMIT): MetricSeries {
    const s = new MetricSeries(exactLimit)
    s.count = state.count
    s.sum = state.sum
    s.max = state.max
    if (state.sketch) {
      s.values = undefined
      s.zero = state.sketch.zero
      s.buckets = new Map(Object.entries(state.sketch.buckets).map(([k, v]) => [Number(k), v]))
    } else {
      s.values = [...(state.values ?? [])]
    }
    return s
  }

  get samples(): number {
    return this.count
  }

  get exact(): boolean {
    return this.values !== undefined
  }

  /** Add one sample; negative, NaN and infinite values are ignored (a sensor glitch is not a measurement). */
  add(value: number | undefined): void {
    if (value === undefined || !Number.isFinite(value) || value < 0) return
    const v = round3(value)
    this.count++
    this.sum += v
    if (v > this.max) this.max = v
    if (this.values) {
      this.values.push(v)
      if (this.values.length > this.exactLimit) this.toSketch()
    } else {
      this.addToSketch(v)
    }
  }

  private toSketch(): void {
    const values = this.values!
    this.values = undefined
    this.buckets = new Map()
    for (const v of values) this.addToSketch(v)
  }

  private addToSketch(v: number): void {
    if (v < SKETCH_MIN_VALUE) {
      this.zero++
      return
    }
    const i = Math.ceil(Math.log(v) / LOG_GAMMA)
    this.buckets!.set(i, (this.buckets!.get(i) ?? 0) + 1)
  }

  /** The p-th percentile (0 ≤ p ≤ 1), or undefined without samples. */
  percentile(p: number): number | undefined {
    if (this.count === 0) return undefined
    if (this.values) {
      const sorted = Float64Array.from(this.values).sort()
      const h = (sorted.length - 1) * p
      const lo = Math.floor(h)
      const hi = Math.min(lo + 1, sorted.length - 1)
      return round3(sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!))
    }
    const rank = Math.round((this.count - 1) * p)
    if (rank < this.zero) return 0
    let seen = this.zero
    for (const i of [...this.buckets!.keys()].sort((a, b) => a - b)) {
      seen += this.buckets!.get(i)!
      if (seen > rank) return round3(Math.min(this.max, (2 * GAMMA ** i) / (GAMMA + 1)))
    }
    return this.max
  }

  summary(windowStart?: string, windowEnd?: string): MetricSummary | undefined {
    if (this.count === 0) return undefined
    return {
      avg: round3(this.sum / this.count),
      p50: this.percentile(0.5),
      p95: this.percentile(0.95),
      p99: this.percentile(0.99),
      max: this.max,
      samples: this.count,
      ...(windowStart ? {windowStart} : {}),
      ...(windowEnd ? {windowEnd} : {}),
    }
  }

  toJSON(): MetricState {
    const base = {count: this.count, sum: round3(this.sum), max: this.max}
    if (this.values) return {...base, values: this.values}
    return {...base, sketch: {zero: this.zero, buckets: Object.fromEntries([...this.buckets!].sort((a, b) => a[0] - b[0]))}}
  }
}
