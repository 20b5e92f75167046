import {describe, expect, it} from 'vitest'

import {mergeServer, type StoredRecord} from '../../src/workspace/merge.js'

const rvtools: StoredRecord = {
  sourceId: 1,
  format: 'rvtools',
  file: 'rvtools.xlsx',
  ref: 'vInfo!2',
  kind: 'declared',
  facts: {
    hostname: 'web01',
    vcpus: 4,
    memoryMib: 16384,
    osName: 'Ubuntu Linux (64-bit)',
    ips: ['10.0.1.10'],
    tags: {owner: 'ops', tier: 'web'},
    applications: ['Shop'],
  },
}
const agent: StoredRecord = {
  sourceId: 2,
  format: 'agent',
  file: 'web01.json',
  kind: 'measured',
  observedAt: '2026-11-14T10:00:00Z',
  facts: {
    hostname: 'web01',
    vcpus: 2,
    osName: 'Ubuntu',
    ips: ['10.0.1.10', '10.0.9.10'],
    cpuUtilisation: {p95: 31},
    tags: {owner: 'platform'},
  },
}
const template: StoredRecord = {
  sourceId: 3,
  format: 'aws-import-template',
  file: 'template.csv',
  ref: 'row 4',
  kind: 'reported',
  facts: {hostname: 'web01', cpuUtilisation: {avg: 10, max: 90}, applications: ['shop', 'Payments']},
}

describe('mergeServer', () => {
  it('measured beats reported beats declared, per field, with provenance', () => {
    const s = mergeServer('srv-1', [rvtools, agent, template])
    expect(s.vcpus).toBe(2)
    expect(s.provenance.vcpus).toEqual([
      {sourceId: 2, format: 'agent', file: 'web01.json', kind: 'measured', observedAt: '2026-11-14T10:00:00Z'},
    ])
    // the agent knows nothing about memory: the declared value stays
    expect(s.memoryMib).toBe(16384)
    expect(s.provenance.memoryMib?.[0]?.format).toBe('rvtools')
    expect(s.cpuUtilisation).toEqual({p95: 31})
  })

  it('unions list-like facts and lets the better source win tag conflicts', () => {
    const s = mergeServer('srv-1', [rvtools, agent, template])
    expect(s.ips).toEqual(['10.0.1.10', '10.0.9.10'])
    // case variants collapse to the spelling of the better source
    expect(s.applications).toEqual(['Payments', 'shop'])
    expect(s.tags).toEqual({owner: 'platform', tier: 'web'})
    expect(s.provenance.ips?.map((p) => p.sourceId)).toEqual([2, 1])
  })

  it('does not depend on record order', () => {
    const a = mergeServer('srv-1', [rvtools, agent, template])
    const b = mergeServer('srv-1', [template, agent, rvtools])
    expect(JSON.stringify(b)).toBe(JSON.stringify(a))
  })

  it('flags what is missing; unknown stays undefined', () => {
    const s = mergeServer('srv-2', [{...rvtools, facts: {hostname: 'old01', powerState: 'off'}}])
    expect(s.flags).toEqual(['powered-off', 'no-utilisation', 'no-os', 'no-capacity'])
    expect(s.vcpus).toBeUndefined()
    expect(s.name).toBe('old01')
  })
})
