/**
 * Wave planning: order and pack move groups into waves. Pure.
 *
 * Hard rules: no wave over capacity (a group larger than a wave is split over consecutive waves),
 * pins, groups that must move together, environment order (a wave never holds an environment that
 * comes before one already placed in an earlier wave), the pilot first. Soft goal: dependencies
 * move before or with their dependents and as little traffic as possible crosses a wave boundary.
 * Groups are taken in order of "traffic to dependencies not yet placed" (zero first: Kahn's
 * order), so a dependency cycle is broken at its weakest link; each group goes into the first
 * wave with room at or after the wave of its last dependency. Every placement says why.
 */
import {ConfigError} from '../errors.js'

export interface WaveGroupInput {
  readonly id: string
  readonly name: string
  /** Other names the group answers to in pins and moveTogether (its application labels). */
  readonly aliases: readonly string[]
  /** Server ids in the order they should be taken when the group must be split (dependencies first). */
  readonly servers: readonly string[]
  readonly environment?: string
  readonly criticality?: string
}

export interface WaveDependency {
  /** Index of the dependent group (its servers are clients). */
  readonly client: number
  /** Index of the group it depends on. */
  readonly server: number
  readonly observations: number
}

export interface WaveOptions {
  readonly maxServersPerWave: number
  readonly pilot: {readonly enabled: boolean; readonly maxServers: number}
  readonly environmentOrder: readonly string[]
  /** Group name or alias → wave number. */
  readonly pins: Readonly<Record<string, number>>
  readonly moveTogether: readonly (readonly string[])[]
}

export interface PlacedChunk {
  readonly group: number
  readonly servers: readonly string[]
  readonly reasons: readonly string[]
}

export interface WaveDraft {
  readonly number: number
  readonly pilot: boolean
  readonly chunks: readonly PlacedChunk[]
  readonly servers: number
}

export interface WaveAssignment {
  readonly waves: readonly WaveDraft[]
  /** First wave of each group (index as in the input). */
  readonly waveOfGroup: readonly number[]
  readonly notes: readonly string[]
}

const ENV_SYNONYMS: Readonly<Record<string, string>> = {
  development: 'dev',
  develop: 'dev',
  sandbox: 'dev',
  lab: 'dev',
  testing: 'test',
  tst: 'test',
  qa: 'test',
  uat: 'test',
  integration: 'test',
  stage: 'staging',
  stg: 'staging',
  preprod: 'staging',
  'pre-prod': 'staging',
  'pre-production': 'staging',
  production: 'prod',
  prd: 'prod',
  live: 'prod',
  dr: 'prod',
}

/** Canonical environment name: `Production` → `prod`, `UAT` → `test`. */
export function normaliseEnvironment(env: string | undefined): string | undefined {
  if (!env) return undefined
  const e = env.trim().toLowerCase()
  if (!e) return undefined
  return ENV_SYNONYMS[e] ?? e
}

/** Rank in the environment order; unknown and unlisted environments rank as the last (production-like). */
export function environmentRank(env: string | undefined, order: readonly string[]): number {
  const e = normaliseEnvironment(env)
  const list = order.map((o) => normaliseEnvironment(o)!)
  const i = e === undefined ? -1 : list.indexOf(e)
  return i < 0 ? Math.max(0, list.length - 1) : i
}

/** 0 low, 1 medium or unknown, 2 high / business-critical. */
export function criticalityRank(c: string | undefined): number {
  if (!c) return 1
  const s = c.trim().toLowerCase()
  if (/^(low|minor|none|tier ?[34]|[34]|non-?critical|c|d)$/.test(s)) return 0
  if (/(critical|high|mission|tier ?[01]|^[01]$|^a$|gold|platinum)/.test(s)) return 2
  return 1
}

interface Unit {
  readonly groups: number[]
  readonly name: string
  size: number
  envRank: number
  critRank: number
  pin?: number
}

class MinHeap<T> {
  private readonly items: T[] = []
  constructor(private readonly less: (a: T, b: T) => boolean) {}
  get size(): number {
    return this.items.length
  }
  push(x: T): void {
    const a = this.items
    a.push(x)
    let i = a.length - 1
    while (i > 0) {
      const p = (i - 1) >> 1
      if (!this.less(a[i]!, a[p]!)) break
      ;[a[i], a[p]] = [a[p]!, a[i]!]
      i = p
    }
  }
  pop(): T | undefined {
    const a = this.items
    if (a.length === 0) return undefined
    const top = a[0]!
    const last = a.pop()!
    if (a.length > 0) {
      a[0] = last
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < a.length && this.less(a[l]!, a[m]!)) m = l
        if (r < a.length && this.less(a[r]!, a[m]!)) m = r
        if (m === i) break
        ;[a[i], a[m]] = [a[m]!, a[i]!]
        i = m
      }
    }
    return top
  }
}

/** Resolve names in pins / moveTogether to group indexes; an unknown name is a ConfigError. */
function nameIndex(groups: readonly WaveGroupInput[]): (name: string, setting: string) => number[] {
  const index = new Map<string, number[]>()
  for (const [i, g] of groups.entries()) {
    for (const n of new Set([g.name, ...g.aliases].map((x) => x.toLowerCase()))) {
      const list = index.get(n) ?? []
      list.push(i)
      index.set(n, list)
    }
  }
  return (name, setting) => {
    const hit = index.get(name.toLowerCase())
    if (!hit) {
      const close = [...index.keys()].filter((k) => k.includes(name.toLowerCase().slice(0, 4))).slice(0, 5)
      throw new ConfigError('WAVES_UNKNOWN_GROUP', `${setting}: no move group or application is called ${JSON.stringify(name)}`, {
        setting,
        hint:
          close.length > 0
            ? `Did you mean ${close.join(', ')}? See \`migrate-plan waves groups\`.`
            : 'List the groups with `migrate-plan waves groups`.',
      })
    }
    return hit
  }
}

export function planWaves(groups: readonly WaveGroupInput[], deps: readonly WaveDependency[], options: WaveOptions): WaveAssignment {
  const capacity = options.maxServersPerWave
  const notes: string[] = []
  const lookup = nameIndex(groups)

  // Units: groups joined by moveTogether.
  const parent = groups.map((_, i) => i)
  const find = (x: number): number => (parent[x] === x ? x : (parent[x] = find(parent[x]!)))
  const togetherReason = new Map<number, string>()
  for (const [k, names] of options.moveTogether.entries()) {
    const members = names.flatMap((n) => lookup(n, `waves.moveTogether[${k}]`))
    for (const m of members) {
      togetherReason.set(m, `moves together with ${names.filter((n) => !lookup(n, '').includes(m)).join(', ')} (waves.moveTogether)`)
      const a = find(members[0]!)
      const b = find(m)
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b)
    }
  }
  const unitOf = new Int32Array(groups.length)
  const units: Unit[] = []
  const rootUnit = new Map<number, number>()
  for (let i = 0; i < groups.length; i++) {
    const r = find(i)
    let u = rootUnit.get(r)
    if (u === undefined) {
      rootUnit.set(r, (u = units.length))
      units.push({groups: [], name: '', size: 0, envRank: 0, critRank: 0})
    }
    const unit = units[u]!
    unit.groups.push(i)
    unit.size += groups[i]!.servers.length
    unit.envRank = Math.max(unit.envRank, environmentRank(groups[i]!.environment, options.environmentOrder))
    unit.critRank = Math.max(unit.critRank, criticalityRank(groups[i]!.criticality))
    unitOf[i] = u
  }
  for (const u of units) (u as {name: string}).name = u.groups.map((g) => groups[g]!.name).join(' + ')

  // Pins.
  for (const [name, wave] of Object.entries(options.pins).sort((a, b) => (a[0] < b[0] ? -1 : 1))) {
    for (const g of lookup(name, `waves.pins.${name}`)) {
      const u = units[unitOf[g]!]!
      if (u.pin !== undefined && u.pin !== wave) {
        throw new ConfigError('WAVES_PIN_CONFLICT', `waves.pins: ${u.name} is pinned to both wave ${u.pin} and wave ${wave}`, {
          setting: `waves.pins.${name}`,
          hint: 'Groups that move together share one pin.',
        })
      }
      u.pin = wave
    }
  }

  // Dependencies between units.
  const out: Map<number, number>[] = units.map(() => new Map())
  const into: Map<number, number>[] = units.map(() => new Map())
  for (const d of deps) {
    const a = unitOf[d.client]!
    const b = unitOf[d.server]!
    if (a === b) continue
    out[a]!.set(b, (out[a]!.get(b) ?? 0) + d.observations)
    into[b]!.set(a, (into[b]!.get(a) ?? 0) + d.observations)
  }

  const waves: {servers: number; chunks: {unit: number; group: number; servers: string[]; reasons: string[]}[]; pilot: boolean}[] = []
  const waveOfUnit = new Int32Array(units.length).fill(-1)
  const ensure = (w: number): void => {
    while (waves.length <= w) waves.push({servers: 0, chunks: [], pilot: false})
  }
  const room = (w: number): number =>
    w < waves.length ? (waves[w]!.pilot ? options.pilot.maxServers : capacity) - waves[w]!.servers : capacity

  /** Put a unit's servers into waves from `start` on; splits when it does not fit. */
  const put = (u: number, start: number, reasons: string[], strict: boolean): void => {
    const unit = units[u]!
    const servers = unit.groups.flatMap((g) => groups[g]!.servers.map((s) => [g, s] as const))
    let w = start
    if (strict && unit.size <= (w < waves.length && waves[w]!.pilot ? options.pilot.maxServers : capacity) && room(w) < unit.size) {
      throw new ConfigError(
        'WAVES_PIN_OVER_CAPACITY',
        `waves.pins: wave ${w + 1} has no room left for ${unit.name} (${unit.size} servers, ${room(w)} free)`,
        {
          setting: 'waves.pins',
          hint: 'Raise waves.maxServersPerWave or pin the group to another wave.',
        },
      )
    }
    if (!strict && unit.size <= capacity) {
      while (room(w) < unit.size) w++
      if (w > start) reasons.push(`wave ${start + 1} had no room for ${unit.size} servers: first wave with room`)
    }
    let taken = 0
    const first = w
    while (taken < servers.length) {
      ensure(w)
      const free = room(w)
      if (free <= 0) {
        if (strict && taken === 0) {
          throw new ConfigError(
            'WAVES_PIN_OVER_CAPACITY',
            `waves.pins: wave ${w + 1} has no room left for ${unit.name} (${unit.size} servers)`,
            {
              setting: 'waves.pins',
              hint: 'Raise waves.maxServersPerWave or pin the group to another wave.',
            },
          )
        }
        w++
        continue
      }
      const part = servers.slice(taken, taken + free)
      taken += part.length
      const byGroup = new Map<number, string[]>()
      for (const [g, s] of part) byGroup.set(g, [...(byGroup.get(g) ?? []), s])
      for (const [g, list] of byGroup) {
        const why = [...reasons]
        if (togetherReason.has(g)) why.push(togetherReason.get(g)!)
        waves[w]!.chunks.push({unit: u, group: g, servers: list, reasons: why})
      }
      waves[w]!.servers += part.length
      w++
    }
    if (w - 1 > first) {
      const msg = `split over waves ${first + 1}–${w}: ${unit.size} servers exceed a wave (${capacity} servers)`
      for (let k = first; k < w; k++) for (const c of waves[k]!.chunks) if (c.unit === u) c.reasons.push(msg)
    }
    waveOfUnit[u] = first
  }

  // Pilot first.
  let firstRegular = 0
  if (options.pilot.enabled) {
    ensure(0)
    waves[0]!.pilot = true
    firstRegular = 1
    const prodRank = environmentRank('prod', options.environmentOrder)
    const candidates = units
      .map((u, i) => ({u, i}))
      .filter(
        ({u, i}) =>
          u.pin === undefined &&
          u.envRank < prodRank &&
          u.groups.some((g) => groups[g]!.environment !== undefined) &&
          out[i]!.size === 0 &&
          u.size <= Math.min(options.pilot.maxServers, capacity),
      )
      .sort(
        (a, b) => a.u.critRank - b.u.critRank || into[a.i]!.size - into[b.i]!.size || b.u.size - a.u.size || (a.u.name < b.u.name ? -1 : 1),
      )
    for (const {u, i} of candidates) {
      if (room(0) < u.size) continue
      const env = [...new Set(u.groups.map((g) => groups[g]!.environment).filter(Boolean))].join(', ')
      put(
        i,
        0,
        [
          `pilot: non-production (${env}), depends on no other group, ${into[i]!.size} group(s) depend on it, ${u.size} server(s), ${['low', 'medium or unknown', 'high'][u.critRank]} criticality`,
        ],
        true,
      )
    }
    if (waves[0]!.servers === 0 && !units.some((u) => u.pin === 1)) {
      notes.push(
        'no group qualifies for a pilot (non-production, known environment, no dependencies, small enough): waves start without one',
      )
      waves.pop()
      firstRegular = 0
    }
  }
  for (const [i, u] of units.entries()) {
    if (u.pin === undefined || waveOfUnit[i]! >= 0) continue
    const w = u.pin - 1
    put(i, w, [`pinned to wave ${u.pin} (waves.pins / --pin)`], true)
  }

  // Everything else, environment stage by stage.
  const remaining = new Float64Array(units.length)
  for (let i = 0; i < units.length; i++) for (const [v, t] of out[i]!) if (waveOfUnit[v]! < 0) remaining[i] = remaining[i]! + t
  const stages = [...new Set(units.map((u) => u.envRank))].sort((a, b) => a - b)
  let floor = firstRegular
  let seq = 0
  for (const stage of stages) {
    const members = units.map((u, i) => i).filter((i) => units[i]!.envRank === stage && waveOfUnit[i]! < 0)
    if (members.length === 0) continue
    interface Entry {
      readonly unit: number
      readonly key: number
      readonly seq: number
    }
    const heap = new MinHeap<Entry>(
      (a, b) =>
        (a.key - b.key ||
          units[a.unit]!.critRank - units[b.unit]!.critRank ||
          b.seq - a.seq ||
          (units[a.unit]!.name < units[b.unit]!.name ? -1 : units[a.unit]!.name > units[b.unit]!.name ? 1 : a.unit - b.unit)) < 0,
    )
    const stageOf = (v: number): number => units[v]!.envRank
    const laterStageTraffic = (i: number): number => {
      let t = 0
      for (const [v, x] of out[i]!) if (waveOfUnit[v]! < 0 && stageOf(v) > stage) t += x
      return t
    }
    for (const i of members) heap.push({unit: i, key: remaining[i]! - laterStageTraffic(i), seq: 0})
    let stageMax = floor
    for (;;) {
      const e = heap.pop()
      if (!e) break
      const i = e.unit
      if (waveOfUnit[i]! >= 0) continue
      const current = remaining[i]! - laterStageTraffic(i)
      if (Math.abs(current - e.key) > 1e-9) continue
      const reasons: string[] = []
      let start = floor
      const placedDeps: string[] = []
      const waitingDeps: string[] = []
      for (const [v, t] of [...out[i]!].sort((a, b) => b[1] - a[1])) {
        if (waveOfUnit[v]! >= 0) {
          const w = waveOfUnit[v]!
          start = Math.max(start, w)
          placedDeps.push(`${units[v]!.name} (wave ${w + 1})`)
        } else waitingDeps.push(`${units[v]!.name} (${t} observations${stageOf(v) > stage ? ', a later environment' : ''})`)
      }
      if (placedDeps.length > 0) reasons.push(`with or after its dependencies: ${list(placedDeps)}`)
      else if (out[i]!.size === 0) reasons.push('depends on no other group')
      if (waitingDeps.length > 0)
        reasons.push(`moves before ${list(waitingDeps)}: environment order or a dependency cycle, broken at the least traffic`)
      if (start === floor && floor > firstRegular && placedDeps.length === 0) {
        reasons.push(
          `environment order: ${options.environmentOrder[stage] ?? 'this environment'} starts at wave ${floor + 1} at the earliest`,
        )
      }
      put(i, start, reasons, false)
      stageMax = Math.max(stageMax, waveOfUnit[i]!)
      seq++
      for (const [v, t] of into[i]!) {
        if (waveOfUnit[v]! >= 0) continue
        remaining[v] = remaining[v]! - t
        if (units[v]!.envRank === stage) heap.push({unit: v, key: remaining[v]! - laterStageTraffic(v), seq})
      }
    }
    for (let w = floor; w < waves.length; w++)
      if (waves[w]!.chunks.some((c) => units[c.unit]!.envRank === stage && units[c.unit]!.pin === undefined))
        stageMax = Math.max(stageMax, w)
    floor = stageMax
  }

  const waveOfGroup = groups.map((_, g) => waveOfUnit[unitOf[g]!]! + 1)
  const drafts: WaveDraft[] = []
  for (const [w, wave] of waves.entries()) {
    if (wave.servers === 0 && !wave.pilot)
      notes.push(`wave ${w + 1} is empty: pins, dependencies and the environment order leave nothing for it`)
    drafts.push({
      number: w + 1,
      pilot: wave.pilot,
      servers: wave.servers,
      chunks: wave.chunks
        .map((c) => ({group: c.group, servers: c.servers, reasons: c.reasons}))
        .sort((a, b) => (groups[a.group]!.name < groups[b.group]!.name ? -1 : groups[a.group]!.name > groups[b.group]!.name ? 1 : 0)),
    })
  }
  return {waves: drafts, waveOfGroup, notes}
}

function list(items: readonly string[], max = 5): string {
  return items.length <= max ? items.join(', ') : `${items.slice(0, max).join(', ')} and ${items.length - max} more`
}
