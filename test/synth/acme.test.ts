import {spawnSync} from 'node:child_process'
import {readdirSync, readFileSync} from 'node:fs'
import {join, relative} from 'node:path'

import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import type ImportCmd from '../../commands/import.js'
import type {Server} from '../../src/model/server.js'
import {settingsSchema} from '../../src/model/settings.js'
import {ACME_AGENT_HOSTS, ACME_SETTINGS_YAML, ACME_SWAPPED_UUID_HOSTS, ACME_VMS, acmeEstate} from '../../src/synth/acme.js'
import {OS_CATALOG} from '../../src/synth/catalog.js'
import {parseSettings} from '../../src/workspace/settings.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, runCli, tempDir} from '../helpers/cli.js'

type ImportResult = Awaited<ReturnType<ImportCmd['run']>>
const EXAMPLE = join(ROOT, 'examples/acme')

/** Every file under a folder, relative path → bytes. */
function snapshot(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>()
  const walk = (d: string): void => {
    for (const e of readdirSync(d, {withFileTypes: true})) {
      const p = join(d, e.name)
      if (e.isDirectory()) walk(p)
      else out.set(relative(dir, p), readFileSync(p))
    }
  }
  walk(dir)
  return out
}

let tmp: ReturnType<typeof tempDir>
beforeAll(() => {
  tmp = tempDir('mp-acme-')
})
afterAll(() => tmp.cleanup())

describe('the Acme Corp example estate', () => {
  const estate = acmeEstate()

  it('is a realistic mid-sized estate: 60–90 servers, several environments, shared services, warts', () => {
    expect(estate.servers.length).toBeGreaterThanOrEqual(60)
    expect(estate.servers.length).toBeLessThanOrEqual(90)
    expect(new Set(estate.servers.map((s) => s.environment))).toEqual(new Set(['dev', 'test', 'staging', 'prod']))
    const services = new Set(estate.servers.flatMap((s) => s.services ?? (s.service ? [s.service] : [])))
    for (const s of ['ad', 'dns', 'ntp', 'monitoring', 'backup', 'patching', 'smtp']) expect(services.has(s), s).toBe(true)
    expect(estate.servers.filter((s) => s.service === 'ad')).toHaveLength(2)
    expect(estate.servers.filter((s) => s.powerState === 'off').map((s) => s.name)).toEqual(['PAYDB01-OLD'])
    expect(estate.servers.filter((s) => s.idle).length).toBeGreaterThanOrEqual(3)
    const os = new Set(estate.servers.map((s) => s.osId))
    for (const eos of ['win2008r2', 'win2012', 'centos6', 'centos7'] as const) expect(os.has(eos), eos).toBe(true)
    const software = new Set(estate.servers.flatMap((s) => s.software))
    for (const sw of [
      'nginx',
      'tomcat',
      'postgresql',
      'redis',
      'iis',
      'sql-server',
      'kafka',
      'rabbitmq',
      'windows-file-server',
      'nfs-server',
      'openssh-sftp',
      'cron',
    ]) {
      expect(software.has(sw), sw).toBe(true)
    }
    expect(estate.templates?.length).toBe(2)
    // Names in the definition are unique and every planted group is known.
    expect(new Set(ACME_VMS.map((v) => v.name)).size).toBe(ACME_VMS.length)
    for (const s of estate.servers) expect(estate.truth.get(s.name)).toBeDefined()
  })

  it('has agents on running servers, two of them Linux guests that read the UUID byte-swapped', () => {
    const byName = new Map(estate.servers.map((s) => [s.name, s]))
    for (const h of ACME_AGENT_HOSTS) expect(byName.get(h)?.powerState, h).toBe('on')
    for (const h of ACME_SWAPPED_UUID_HOSTS) {
      expect(ACME_AGENT_HOSTS).toContain(h)
      expect(OS_CATALOG[byName.get(h)!.osId!].family).toBe('linux')
    }
  })

  it('ships settings that validate against the settings schema', () => {
    const settings = parseSettings(ACME_SETTINGS_YAML, 'migrate-plan.yaml')
    expect(settingsSchema.parse(settings)).toEqual(settings)
    expect(settings.organisation).toMatchObject({name: 'Acme Corp', emailDomain: 'acme.example', homeRegion: 'eu-west-1'})
    expect(settings.organisation.onPremisesCidrs).toContain('10.10.0.0/16')
    expect(settings.assess.region).toBe('eu-west-1')
    expect(settings.waves).toMatchObject({startDate: '2026-03-02', cadenceDays: 14, maxServersPerWave: 15})
    // The committed file is the one the script writes.
    expect(parseSettings(readFileSync(join(EXAMPLE, 'migrate-plan.yaml'), 'utf8'), 'examples/acme/migrate-plan.yaml')).toEqual(settings)
  })

  it('scripts/make-example.js writes byte-identical files every time, the same as the committed ones', () => {
    const a = join(tmp.dir, 'a')
    const b = join(tmp.dir, 'b')
    for (const dir of [a, b]) {
      const r = spawnSync(process.execPath, [join(ROOT, 'scripts/make-example.js'), dir], {encoding: 'utf8'})
      expect(r.status, r.stderr).toBe(0)
    }
    const first = snapshot(a)
    const second = snapshot(b)
    expect([...second.keys()].sort()).toEqual([...first.keys()].sort())
    for (const [file, bytes] of first) expect(bytes.equals(second.get(file)!), file).toBe(true)
    const committed = snapshot(EXAMPLE)
    committed.delete('README.md')
    expect([...committed.keys()].sort(), 'run `npm run example` and commit examples/acme').toEqual([...first.keys()].sort())
    for (const [file, bytes] of first) expect(bytes.equals(committed.get(file)!), `${file} is stale: run npm run example`).toBe(true)
  }, 120_000)

  it('imports with the CLI: one server per VM, every agent file merged with its RVTools row', () => {
    const ws = join(tmp.dir, 'ws')
    const r = runCli(['import', 'examples/acme/', '-w', ws, '--json'])
    expect(r.code, r.stderr).toBe(0)
    const result = r.json<ImportResult>()
    expect(result.totalServers).toBe(ACME_VMS.length)
    const agents = result.sources.filter((s) => s.format === 'agent')
    expect(agents).toHaveLength(ACME_AGENT_HOSTS.length)
    for (const s of agents) expect([s.path, s.newServers, s.mergedServers]).toEqual([s.path, 0, 1])
    const rv = result.sources.find((s) => s.format === 'rvtools')!
    expect(rv).toMatchObject({path: 'examples/acme/RVTools_export.xlsx', servers: ACME_VMS.length, newServers: ACME_VMS.length})

    const workspace = Workspace.open(ws, {readonly: true})
    const show = (name: string): Server => {
      const s = workspace.findServer(name)
      expect(s, name).toBeDefined()
      return s!
    }
    // A byte-swapped agent UUID still lands on the VM's row.
    for (const host of ACME_SWAPPED_UUID_HOSTS) {
      const s = show(host)
      expect(s.sourceIds, host).toHaveLength(2)
      expect(s.provenance.cpuUtilisation?.[0]).toMatchObject({format: 'agent', kind: 'measured'})
      expect(s.provenance.folder?.[0]).toMatchObject({format: 'rvtools'})
    }
    const db = show('shop-db01')
    expect(db).toMatchObject({vcpus: 8, memoryMib: 32 * 1024, environment: 'prod', applications: ['webshop'], owner: 'retail-digital'})
    expect(db.listeners?.map((l) => l.port)).toContain(5432)
    const paydb = show('PAYDB01')
    expect(paydb.cpuUtilisation?.p95).toBeGreaterThan(90)
    expect(paydb.osName).toMatch(/2012 R2/)
    expect(show('TS-LEGACY01').cpuUtilisation?.p95).toBeLessThan(5)
    expect(show('PAYDB01-OLD').flags).toContain('powered-off')
    const notMeasured = show('hr-db01')
    expect(notMeasured.sourceIds).toHaveLength(1)
    expect(notMeasured.cpuUtilisation).toBeUndefined()
    workspace.close()
  }, 180_000)
})
