import fc from 'fast-check'
import {describe, expect, it} from 'vitest'

import {gravitonCompatibility, gravitonCompatible} from '../../src/assess/assess.js'
import {classifyOs, compareVersions, daysBetween} from '../../src/assess/os.js'
import type {OsFamily} from '../../src/model/server.js'

const cases: {
  osName?: string
  osVersion?: string
  osFamily?: OsFamily
  distro?: string
  version?: string
  priceOs?: string
  eos?: string
}[] = [
  {
    osName: 'Microsoft Windows Server 2008 R2 Standard',
    osVersion: '6.1.7601',
    distro: 'windows-server',
    version: '2008 R2',
    priceOs: 'windows',
    eos: '2020-01-14',
  },
  {osName: 'Microsoft Windows Server 2012 (64-bit)', distro: 'windows-server', version: '2012', priceOs: 'windows', eos: '2023-10-10'},
  {
    osName: 'Microsoft Windows Server 2016 or later (64-bit)',
    osVersion: '10.0.17763',
    distro: 'windows-server',
    version: '2019',
    eos: '2029-01-09',
  },
  {osName: 'Microsoft Windows Server 2016 or later (64-bit)', distro: 'windows-server', version: '2016', eos: '2027-01-12'},
  {osName: 'Windows', osVersion: '10.0.17763', osFamily: 'windows', distro: 'windows-desktop', priceOs: 'windows'},
  {osName: 'Microsoft Windows Server 2003 Standard', distro: 'windows-server', version: '2003', eos: '2015-07-14'},
  {osName: 'Red Hat Enterprise Linux 7 (64-bit)', distro: 'rhel', version: '7', priceOs: 'rhel', eos: '2024-06-30'},
  {osName: 'Red Hat Enterprise Linux Server', osVersion: '6.10', distro: 'rhel', version: '6', eos: '2020-11-30'},
  {osName: 'Red Hat Enterprise Linux', osVersion: '9.3', distro: 'rhel', version: '9', eos: '2032-05-31'},
  {osName: 'CentOS 6 (64-bit)', distro: 'centos', version: '6', priceOs: 'linux', eos: '2020-11-30'},
  {osName: 'CentOS Linux', osVersion: '7.9.2009', distro: 'centos', version: '7', eos: '2024-06-30'},
  {osName: 'Ubuntu', osVersion: '18.04', distro: 'ubuntu', version: '18.04', priceOs: 'linux', eos: '2023-05-31'},
  {osName: 'Ubuntu 16.04.7 LTS', distro: 'ubuntu', version: '16.04', eos: '2021-04-30'},
  {osName: 'Ubuntu', osVersion: '22.04', distro: 'ubuntu', version: '22.04'},
  {osName: 'SUSE Linux Enterprise Server', osVersion: '11 SP4', distro: 'sles', version: '11', priceOs: 'suse', eos: '2019-03-31'},
  {osName: 'SUSE Linux Enterprise 15 (64-bit)', distro: 'sles', version: '15', priceOs: 'suse'},
  {osName: 'Debian GNU/Linux 9 (stretch)', distro: 'debian', version: '9', eos: '2022-06-30'},
  {osName: 'Amazon Linux 2', distro: 'amazon-linux', version: '2', eos: '2026-06-30'},
  {osName: 'AIX 7.2', distro: 'aix', priceOs: undefined},
  {osName: 'Oracle Solaris 11 (64-bit)', distro: 'solaris'},
  {osFamily: 'linux', distro: 'linux-other', priceOs: 'linux'},
  {},
]

describe('OS classification and end of support', () => {
  for (const c of cases) {
    it(`${c.osName ?? '(no name)'} ${c.osVersion ?? ''}`.trim(), () => {
      const os = classifyOs({osName: c.osName, osVersion: c.osVersion, osFamily: c.osFamily})
      expect(os.distro).toBe(c.distro)
      if ('version' in c) expect(os.version).toBe(c.version)
      if ('priceOs' in c) expect(os.priceOs).toBe(c.priceOs)
      expect(os.endOfSupport?.date).toBe(c.eos)
    })
  }

  it('an unknown OS has no price list (priced as Linux only by an explicit, reported assumption)', () => {
    expect(classifyOs({})).toEqual({label: 'unknown'})
  })

  it('dates and versions', () => {
    expect(daysBetween('2026-11-30', '2027-01-12')).toBe(43)
    expect(daysBetween('2026-11-30', '2020-01-14')).toBeLessThan(0)
    expect(compareVersions('18.04', '20.04')).toBeLessThan(0)
    expect(compareVersions('10', '8')).toBeGreaterThan(0)
  })
})

describe('Graviton compatibility', () => {
  const sw = (...names: string[]) => names.map((name) => ({name, category: 'other' as const, evidence: []}))
  it('Linux with arm64 builds of the distribution and every piece of software', () => {
    expect(
      gravitonCompatibility(classifyOs({osName: 'Ubuntu', osVersion: '22.04'}), {software: sw('nginx', 'postgresql')}).compatible,
    ).toBe(true)
  })
  it('not: Windows, too-old distribution, unknown or x86-only software', () => {
    expect(gravitonCompatibility(classifyOs({osName: 'Microsoft Windows Server 2019'}), {software: sw('iis')}).reason).toMatch(
      /needs Linux/,
    )
    expect(gravitonCompatibility(classifyOs({osName: 'CentOS Linux', osVersion: '7.9'}), {software: sw('nginx')}).reason).toMatch(
      /arm64 builds start at centos 8/,
    )
    expect(gravitonCompatibility(classifyOs({osName: 'Ubuntu', osVersion: '22.04'}), {}).reason).toMatch(/software unknown/)
    expect(gravitonCompatibility(classifyOs({osName: 'Ubuntu', osVersion: '22.04'}), {software: sw('nginx', 'oracle')}).reason).toBe(
      'no known arm64 build of oracle',
    )
  })
  it('gravitonCompatible gives the same verdict as gravitonCompatibility', () => {
    const osName = fc.constantFrom(
      'Ubuntu',
      'CentOS Linux',
      'Red Hat Enterprise Linux',
      'Amazon Linux',
      'Debian GNU/Linux',
      'SLES',
      'Windows Server 2019',
      'AIX',
      '',
    )
    const osVersion = fc.oneof(
      fc.constantFrom('22.04', '18.04', '7.9', '8', '9.2', '2', '2023', '11', '15 SP4', ''),
      fc.string({maxLength: 6}),
    )
    const osFamily = fc.constantFrom(undefined, 'linux', 'windows', 'unix')
    const name = fc.oneof(fc.constantFrom('nginx', 'NGINX', 'postgresql', 'oracle', 'iis', 'MySQL', 'redis'), fc.string({maxLength: 8}))
    const software = fc.option(fc.array(name, {maxLength: 4}), {nil: undefined})
    fc.assert(
      fc.property(osName, osVersion, osFamily, software, (n, v, f, names) => {
        const os = classifyOs({osName: n, osVersion: v, ...(f ? {osFamily: f as OsFamily} : {})})
        const server = names ? {software: sw(...names)} : {}
        expect(gravitonCompatible(os, server)).toBe(gravitonCompatibility(os, server).compatible)
      }),
      {numRuns: 2000},
    )
  })
})
