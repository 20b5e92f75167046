import {readdirSync, readFileSync, writeFileSync} from 'node:fs'
import {join} from 'node:path'
import {crc32, deflateRawSync} from 'node:zlib'

import ExcelJS from 'exceljs'
import {parse} from 'csv-parse/sync'
import {afterEach, beforeEach, describe, expect, it} from 'vitest'
import yauzl from 'yauzl'

import {UserInputError} from '../../src/errors.js'
import {probeFile} from '../../src/importers/probe.js'
import {importPaths, planImport} from '../../src/importers/run.js'
import {groupRvToolsCsvs} from '../../src/importers/rvtools.js'
import {canonicalHeader, tabOfCsv, tabOfFileName, tabOfHeader} from '../../src/importers/rvtools-tabs.js'
import {guestArchitecture, guestOsFamily} from '../../src/importers/rvtools-collect.js'
import type {FileProbe} from '../../src/importers/types.js'
import type {Server} from '../../src/model/server.js'
import {Workspace} from '../../src/workspace/workspace.js'
import {ROOT, tempDir} from '../helpers/cli.js'

const FIX = join(ROOT, 'test/fixtures/rvtools')
const fixture = (p: string): string => join(FIX, p)

let tmp: ReturnType<typeof tempDir>
beforeEach(() => {
  tmp = tempDir('mp-rvtools-')
})
afterEach(() => tmp.cleanup())

/** Import into a fresh workspace under the temp dir; returns the servers and the source. */
async function importInto(name: string, paths: readonly string[]) {
  const ws = Workspace.open(join(tmp.dir, name), {create: true})
  try {
    const result = await importPaths(ws, paths, {cwd: ROOT})
    return {result, servers: ws.servers(), sources: ws.sources()}
  } finally {
    ws.close()
  }
}

/** A server without what depends on the file it came from. */
function comparable(s: Server): unknown {
  const {provenance, ...rest} = s
  return {...rest, refs: Object.fromEntries(Object.entries(provenance).map(([k, p]) => [k, p.map((x) => x.ref)]))}
}

const byName = (servers: readonly Server[], name: string, vcenter?: string): Server => {
  const hits = servers.filter((s) => s.vmName === name && (vcenter === undefined || s.vcenter === vcenter))
  expect(hits, `${name} ${vcenter ?? ''}`).toHaveLength(1)
  return hits[0]!
}

/** Store `entries` as a zip in the given order (deflated), with fixed timestamps. */
function writeZip(entries: readonly (readonly [string, Buffer])[]): Buffer {
  const local: Buffer[] = []
  const central: Buffer[] = []
  let offset = 0
  for (const [name, data] of entries) {
    const body = deflateRawSync(data)
    const crc = crc32(data)
    const fileName = Buffer.from(name)
    const head = Buffer.alloc(30)
    head.writeUInt32LE(0x04034b50, 0)
    head.writeUInt16LE(20, 4)
    head.writeUInt16LE(8, 8) // deflate
    head.writeUInt16LE(0x21, 12) // 1980-01-01
    head.writeUInt32LE(crc, 14)
    head.writeUInt32LE(body.length, 18)
    head.writeUInt32LE(data.length, 22)
    head.writeUInt16LE(fileName.length, 26)
    const dir = Buffer.alloc(46)
    dir.writeUInt32LE(0x02014b50, 0)
    dir.writeUInt16LE(20, 4)
    dir.writeUInt16LE(20, 6)
    dir.writeUInt16LE(8, 10)
    dir.writeUInt16LE(0x21, 14)
    dir.writeUInt32LE(crc, 16)
    dir.writeUInt32LE(body.length, 20)
    dir.writeUInt32LE(data.length, 24)
    dir.writeUInt16LE(fileName.length, 28)
    dir.writeUInt32LE(offset, 42)
    local.push(head, fileName, body)
    central.push(dir, fileName)
    offset += head.length + fileName.length + body.length
  }
  const dirBuf = Buffer.concat(central)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(entries.length, 8)
  end.writeUInt16LE(entries.length, 10)
  end.writeUInt32LE(dirBuf.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...local, dirBuf, end])
}

function unzipAll(zip: Buffer): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, {lazyEntries: true}, (err, z) => {
      if (err) return reject(err)
      const out = new Map<string, Buffer>()
      z.on('entry', (e: yauzl.Entry) => {
        if (e.fileName.endsWith('/')) return z.readEntry()
        z.openReadStream(e, (err2, stream) => {
          if (err2) return reject(err2)
          const chunks: Buffer[] = []
          stream.on('data', (c: Buffer) => chunks.push(c))
          stream.on('end', () => {
            out.set(e.fileName, Buffer.concat(chunks))
            z.readEntry()
          })
        })
      })
      z.on('end', () => resolve(out))
      z.readEntry()
    })
  })
}

/**
 * Write a workbook with its parts in a fixed order: workbook, relationships, styles and shared
 * strings first, then the sheets in the order given (not workbook order), then the rest.
 * ExcelJS's own writer stores xl/workbook.xml last and shared strings after the sheets, which
 * ExcelJS's streaming reader (src/importers/xlsx.ts) cannot read reliably (exceljs#3064, #2915).
 */
async function writeOrdered(wb: ExcelJS.Workbook, out: string, sheetOrder: readonly string[]): Promise<void> {
  const parts = await unzipAll(Buffer.from(await wb.xlsx.writeBuffer()))
  const sheetFile = (name: string): string => `xl/worksheets/sheet${wb.getWorksheet(name)!.id}.xml`
  const first = [
    '[Content_Types].xml',
    '_rels/.rels',
    'xl/workbook.xml',
    'xl/_rels/workbook.xml.rels',
    'xl/styles.xml',
    'xl/theme/theme1.xml',
    'xl/sharedStrings.xml',
  ]
  const sheets = sheetOrder.map(sheetFile)
  const rest = [...parts.keys()].filter((k) => !first.includes(k) && !sheets.includes(k)).sort()
  writeFileSync(out, writeZip([...first, ...sheets, ...rest].filter((k) => parts.has(k)).map((k) => [k, parts.get(k)!] as const)))
}

/** An xlsx made from a folder of per-tab CSVs: numbers as numbers, sheets stored in the given order, formatted empty rows below. */
async function workbookFromCsvs(dir: string, out: string, order: readonly string[]): Promise<void> {
  const wb = new ExcelJS.Workbook()
  const files = readdirSync(dir)
  for (const tab of [...order].sort()) {
    const file = files.find((f) => f.endsWith(`${tab}.csv`))!
    const rows = parse(readFileSync(join(dir, file)), {relax_column_count: true}) as string[][]
    const ws = wb.addWorksheet(tab)
    for (const r of rows) ws.addRow(r.map((v) => (/^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v === '' ? null : v)))
    // formatted-but-empty rows, as RVTools workbooks re-saved in Excel have
    for (let i = 0; i < 40; i++) ws.addRow([]).getCell(3).fill = {type: 'pattern', pattern: 'solid', fgColor: {argb: 'FFFFFF00'}}
  }
  await writeOrdered(wb, out, order)
}

describe('RVTools detection and grouping', () => {
  it.each([
    ['vInfo.csv', 'vInfo', ''],
    ['RVTools_tabvInfo.csv', 'vInfo', 'rvtools_tab'],
    ['vc01_vPartition.csv', 'vPartition', 'vc01_'],
    ['export-vHost.txt', 'vHost', 'export-'],
    ['myvInfo.csv', undefined, undefined],
    ['servers.csv', undefined, undefined],
  ])('file name %s is tab %s', (file, tab, prefix) => {
    const hit = tabOfFileName(`/x/${file}`)
    expect(hit?.tab).toBe(tab)
    expect(hit?.prefix).toBe(prefix)
  })

  it.each([
    [['VM', 'Powerstate', 'Template', 'CPUs', 'Memory', 'Provisioned MB'], 'vInfo'],
    [['VM', 'Powerstate', 'CPUs', 'Sockets', 'Cores p/s'], 'vCPU'],
    [['VM', 'Powerstate', 'Size MiB'], 'vMemory'],
    [['VM', 'Disk', 'Capacity MiB', 'Thin'], 'vDisk'],
    [['VM', 'Disk', 'Capacity MB', 'Consumed MB', 'Free % '], 'vPartition'],
    [['VM', 'NIC label', 'Network', 'Mac Address', 'IPv4 Address'], 'vNetwork'],
    [['Host', 'Datacenter', 'CPU Model', '# Cores'], 'vHost'],
    [['vInfoVMName', 'vInfoCPUs', 'vInfoMemory'], 'vInfo'],
    [['RVTools major version', 'xlsx creation datetime'], 'vMetaData'],
    [['VM', 'CPUs', 'Memory'], undefined], // a CMDB export, not RVTools
    [['hostname', 'vcpus'], undefined],
  ])('header %j is tab %s', (header, tab) => {
    expect(tabOfHeader(header)).toBe(tab)
  })

  it("maps RVTools' prefixed CSV names to the workbook's", () => {
    expect(
      canonicalHeader('vInfo', ['vInfoVMName', 'vInfoCPUs', 'vInfoProvisioned', 'vInfoOSTools', 'vInfoVISDKServer', 'custom']),
    ).toEqual(['VM', 'CPUs', 'Provisioned MiB', 'OS according to the VMware Tools', 'VI SDK Server', 'custom'])
    expect(canonicalHeader('vHost', ['vHostName', 'vHostCpuModel', 'vHostCpuMhz'])).toEqual(['Host', 'CPU Model', 'Speed'])
  })

  it('groups the per-tab CSVs of each export in a folder, and leaves other CSVs alone', () => {
    const csv = (path: string, header: string[]): FileProbe => ({path, size: 1, type: 'csv', header, delimiter: ','})
    const probes = [
      csv('/e/a/vInfo.csv', ['VM', 'Powerstate', 'CPUs', 'Memory']),
      csv('/e/a/vCPU.csv', ['VM', 'CPUs', 'Sockets']),
      csv('/e/a/vc2_vInfo.csv', ['VM', 'Powerstate', 'CPUs', 'Memory']),
      csv('/e/a/vc2_vDisk.csv', ['VM', 'Disk', 'Capacity MiB', 'Thin']),
      csv('/e/a/servers.csv', ['hostname', 'vcpus']),
      csv('/e/b/RVTools_tabvInfo.csv', ['VM', 'Powerstate', 'CPUs', 'Memory']),
      csv('/e/b/RVTools_tabvHost.csv', ['Host', 'CPU Model']),
      csv('/e/b/partitions-export.csv', ['VM', 'Disk', 'Capacity MiB', 'Consumed MiB']), // header only: joins b's export
      csv('/e/c/vHost.csv', ['Host', 'CPU Model']), // no vInfo in c: not claimed
    ]
    expect(groupRvToolsCsvs(probes).map((g) => g.map((p) => p.path))).toEqual([
      ['/e/a/vCPU.csv', '/e/a/vInfo.csv'],
      ['/e/a/vc2_vDisk.csv', '/e/a/vc2_vInfo.csv'],
      ['/e/b/RVTools_tabvHost.csv', '/e/b/RVTools_tabvInfo.csv', '/e/b/partitions-export.csv'],
    ])
  })

  it('a folder of per-tab CSVs is one unit; a workbook is detected by its vInfo sheet', async () => {
    const planned = await planImport([fixture('kubev2v-4x'), fixture('kubev2v-4x.xlsx')], {cwd: ROOT})
    expect(planned.map((p) => [p.path, p.importer.format, p.unit.files.length])).toEqual([
      ['test/fixtures/rvtools/kubev2v-4x.xlsx', 'rvtools', 1],
      ['test/fixtures/rvtools/kubev2v-4x', 'rvtools', 6],
    ])
    const probe = await probeFile(fixture('kubev2v-4x/vMemory.csv'))
    expect(tabOfCsv(probe)).toBe('vMemory')
  })

  it('names guest OS families and architectures from vSphere guest OS names', () => {
    expect(guestOsFamily('Microsoft Windows Server 2012 (64-bit)')).toBe('windows')
    expect(guestOsFamily('Red Hat Fedora (32-bit)')).toBe('linux')
    expect(guestOsFamily('VMware Photon OS (64-bit)')).toBe('linux')
    expect(guestOsFamily('Oracle Solaris 11 (64-bit)')).toBe('unix')
    expect(guestArchitecture('Debian GNU/Linux 9 (64-bit)', 'Debian GNU/Linux 7 (64-bit)', 'Intel(R) Xeon(R) Gold 5218')).toBe('x86_64')
    expect(guestArchitecture(undefined, 'Red Hat Fedora (32-bit)', undefined)).toBe('i386')
    expect(guestArchitecture('Ubuntu Linux (64-bit)', undefined, 'ARM Neoverse-N1')).toBe('arm64')
    expect(guestArchitecture('Other Linux', undefined, undefined)).toBeUndefined()
  })
})

describe('RVTools 4.x export (kubev2v example1)', () => {
  it('the xlsx and its per-tab CSVs give the same servers', async () => {
    const csv = await importInto('csv', [fixture('kubev2v-4x')])
    const xlsx = await importInto('xlsx', [fixture('kubev2v-4x.xlsx')])
    expect(csv.servers).toHaveLength(9)
    expect(xlsx.servers.map(comparable)).toEqual(csv.servers.map(comparable))
    expect(csv.sources[0]).toMatchObject({format: 'rvtools', kind: 'declared', servers: 9, notes: []})
    expect(xlsx.sources[0]).toMatchObject({format: 'rvtools', path: 'test/fixtures/rvtools/kubev2v-4x.xlsx', servers: 9, notes: []})
  })

  it('reads the values the sample holds, joined across tabs by VM ID', async () => {
    const {servers} = await importInto('xlsx', [fixture('kubev2v-4x.xlsx')])
    const vm1 = byName(servers, 'vm-1')
    expect(vm1).toMatchObject({
      name: 'vm-1',
      hostname: 'vm-1',
      vmMoref: 'vm-89952',
      vcpus: 1,
      cpuSockets: 2, // vCPU tab
      memoryMib: 2224,
      storageProvisionedGib: 105742 / 1024,
      storageUsedGib: 96952 / 1024,
      powerState: 'off',
      firmware: 'efi',
      osName: 'Amazon Linux 2 (64-bit)', // no VMware Tools OS: the configuration file's
      osFamily: 'linux',
      architecture: 'x86_64',
      isVirtual: true,
      datacenter: 'Datacenter',
      cluster: 'Cluster',
      hostSystem: '10.185.26.9',
      resourcePool: '/Datacenter/Cluster/Resources',
      disks: [{name: 'Hard disk 1', sizeGib: 101, thin: true}],
      filesystems: [{mount: '/boot', sizeGib: 117 / 1024, usedGib: 60 / 1024}],
    })
    expect(vm1.flags).toContain('powered-off')
    expect(vm1.provenance.memoryMib).toEqual([expect.objectContaining({format: 'rvtools', ref: 'vInfo!2', kind: 'declared'})])
    // biosUuid only from SMBIOS UUID; this export's VM UUID (500b…) is vCenter's instance UUID
    expect(vm1.biosUuid).toBeUndefined()

    // vDisk names this disk "vm-2", but its VM ID is vm-3's: the ID wins, and the annotation comes along
    expect(byName(servers, 'vm-3')).toMatchObject({
      vmMoref: 'vm-105889',
      vcpus: 3,
      memoryMib: 3526,
      ips: ['10.58.58.28'],
      powerState: 'on',
      osName: 'Debian GNU/Linux 9 (64-bit)',
      disks: [{name: 'Hard disk 1', sizeGib: 512, thin: true}],
      description: 'admin   5.0.7.0-28213  https://10.46.29.190:8443',
    })
    expect(byName(servers, 'vm-3').flags).not.toContain('powered-off')
    expect(byName(servers, 'vm-2').disks).toBeUndefined() // vInfo says 0 disks, and no vDisk row has its ID
    expect(byName(servers, 'vm-8')).toMatchObject({
      vcpus: 13,
      memoryMib: 34321,
      storageProvisionedGib: 245873 / 1024,
      disks: [
        {name: 'Hard disk 1', sizeGib: 100, thin: false},
        {name: 'Hard disk 2', sizeGib: 100, thin: false},
      ],
    })
    // vm-9's vInfo row fills only 10 columns: the other tabs fill in, joined by name
    expect(byName(servers, 'vm-9')).toMatchObject({
      vmMoref: 'vm-111122',
      powerState: 'on',
      vcpus: 18,
      memoryMib: 40960,
      osName: 'Red Hat Enterprise Linux 8 (64-bit)',
      storageProvisionedGib: 100,
      storageUsedGib: 45082 / 1024,
      disks: [{name: 'Hard disk 1', sizeGib: 100, thin: false}],
    })
    // custom-attribute columns (owner, mmtest-tags) are empty in this sample
    expect(servers.filter((s) => s.tags !== undefined)).toEqual([])
    expect(servers.filter((s) => s.powerState === 'off').map((s) => s.name)).toEqual(['vm-1', 'vm-2', 'vm-4', 'vm-5', 'vm-6', 'vm-7'])
  })
})

describe('RVTools 3.x export (nutanix sizing workshop)', () => {
  it('imports 805 VMs as 795 servers and 10 templates, the same from xlsx and CSV', async () => {
    const csv = await importInto('csv', [fixture('nutanix-3x')])
    expect(csv.servers).toHaveLength(795)
    const notes = csv.sources[0]!.notes
    expect(notes.filter((n) => n.code === 'RVTOOLS_TEMPLATE')).toHaveLength(10)
    expect(notes[0]).toEqual({code: 'RVTOOLS_TEMPLATE', message: 'Bowf17webprod is a template, not a server; skipped', ref: 'vInfo!228'})
    expect(notes).toHaveLength(10)
    expect(csv.servers.filter((s) => s.powerState === 'off')).toHaveLength(32)

    expect(byName(csv.servers, 'wadfs1')).toMatchObject({
      vcpus: 1,
      memoryMib: 4096,
      storageProvisionedGib: 86201 / 1024, // "Provisioned MB" is MiB
      storageUsedGib: 62420 / 1024,
      osName: 'Microsoft Windows Server 2008 R2 (64-bit)',
      osFamily: 'windows',
      hostSystem: 'bovmsp-04.customer.com',
      filesystems: [{mount: 'C:\\', sizeGib: 81916 / 1024, usedGib: 41510 / 1024}],
    })
    // vHost rows join by host name: CPU model and ESXi version of the VM's host
    expect(byName(csv.servers, 'Aster Queen')).toMatchObject({
      hostSystem: 'bovmmgt-17',
      cpuModel: 'Intel(R) Xeon(R) CPU E5-2667 v3 @ 3.20GHz',
      cpuMhz: 3196,
      hypervisor: 'VMware ESXi 6.0.0 build-4192238',
    })

    const xlsx = await importInto('xlsx', [fixture('nutanix-3x.xlsx')])
    expect(xlsx.servers.map(comparable)).toEqual(csv.servers.map(comparable))
  })
})

describe('RVTools hand-made 4.x export (every tab, custom attributes, two vCenters)', () => {
  const order = ['vPartition', 'vDisk', 'vNetwork', 'vHost', 'vMemory', 'vCPU', 'vMetaData', 'vSource', 'vInfo'] // vInfo streamed last

  it('reads every tab and gives the same servers from CSVs and from a workbook whose vInfo comes last', async () => {
    const xlsxPath = join(tmp.dir, 'handmade.xlsx')
    await workbookFromCsvs(fixture('handmade-4x'), xlsxPath, order)
    const csv = await importInto('csv', [fixture('handmade-4x')])
    const xlsx = await importInto('xlsx', [xlsxPath])
    expect(xlsx.sources[0]!.notes).toEqual(csv.sources[0]!.notes)
    expect(xlsx.servers.map(comparable)).toEqual(csv.servers.map(comparable))
    expect(xlsx.sources[0]!.observedAt).toBe('2025-03-04T10:15:00Z')
    expect(csv.sources[0]!.observedAt).toBe('2025-03-04T10:15:00Z') // vMetaData, an Excel serial date
  })

  it('a bad cell in a workbook sheet is refused with file, sheet, row and column, and nothing is written', async () => {
    const good = join(tmp.dir, 'good.xlsx')
    const bad = join(tmp.dir, 'bad.xlsx')
    await workbookFromCsvs(fixture('handmade-4x'), good, order)
    const wb = new ExcelJS.Workbook()
    await wb.xlsx.readFile(good)
    wb.getWorksheet('vDisk')!.getRow(3).getCell(9).value = -204800 // db01's Capacity MiB
    await writeOrdered(wb, bad, order)
    const ws = Workspace.open(join(tmp.dir, 'ws'), {create: true})
    try {
      await importPaths(ws, [fixture('kubev2v-4x')], {cwd: ROOT})
      const before = {servers: ws.servers(), sources: ws.sources()}
      const error = await importPaths(ws, [bad], {cwd: tmp.dir}).catch((e: unknown) => e)
      expect(error).toBeInstanceOf(UserInputError)
      expect((error as UserInputError).location).toEqual({file: 'bad.xlsx', sheet: 'vDisk', row: 3, column: 'Capacity MiB'})
      expect((error as UserInputError).message).toBe(
        'bad.xlsx, sheet "vDisk", row 3, column "Capacity MiB": -204800 is below the minimum of 0',
      )
      expect({servers: ws.servers(), sources: ws.sources()}).toEqual(before)
    } finally {
      ws.close()
    }
  })

  it('pins the values of each VM', async () => {
    const {servers, sources} = await importInto('csv', [fixture('handmade-4x')])
    expect(servers.map((s) => [s.vmName, s.vcenter])).toEqual([
      ['batch01', 'vc01.corp.example'],
      ['db01', 'vc01.corp.example'],
      ['short01', 'vc01.corp.example'],
      ['web01', 'vc01.corp.example'],
      ['web01', 'vc02.dr.example'],
    ])
    expect(byName(servers, 'web01', 'vc01.corp.example')).toMatchObject({
      hostname: 'web01',
      fqdn: 'web01.corp.example',
      biosUuid: '4220a1b2-c3d4-e5f6-0718-293a4b5c6d01',
      vmMoref: 'vm-101',
      ips: ['10.1.0.11', '10.1.0.12', '2001:db8::11'], // primary + vNetwork; link-local dropped
      macs: ['00:50:56:aa:bb:01'],
      nics: [
        {
          name: 'Network adapter 1',
          mac: '00:50:56:aa:bb:01',
          network: 'VLAN10',
          ips: ['10.1.0.11', '10.1.0.12', 'fe80::250:56ff:feaa:bb01', '2001:db8::11'],
        },
      ],
      osName: 'Microsoft Windows Server 2019 (64-bit)',
      osFamily: 'windows',
      architecture: 'x86_64',
      hypervisor: 'VMware ESXi 8.0.2 build-22380479',
      datacenter: 'DC1',
      cluster: 'ClusterA',
      hostSystem: 'esx01.corp.example',
      folder: '/DC1/vm/Web',
      resourcePool: '/DC1/host/ClusterA/Resources/Web',
      powerState: 'on',
      firmware: 'efi',
      vcpus: 4,
      cpuSockets: 2,
      cpuModel: 'Intel(R) Xeon(R) Gold 6248 CPU @ 2.50GHz',
      cpuMhz: 2494,
      memoryMib: 8192,
      storageProvisionedGib: 90,
      storageUsedGib: 40,
      disks: [
        {name: 'Hard disk 1', sizeGib: 60, thin: true},
        {name: 'Hard disk 2', sizeGib: 20, thin: false},
      ],
      filesystems: [
        {mount: 'C:\\', sizeGib: 61337 / 1024, usedGib: 30669 / 1024},
        {mount: 'D:\\', sizeGib: 20377 / 1024, usedGib: 10188 / 1024},
      ],
      description: 'Web front end, "shop"',
      tags: {Applications: 'shop, checkout', 'Business Unit': 'Retail', Environment: 'prod', owner: 'team-web'},
      environment: 'prod',
      owner: 'team-web',
      applications: ['checkout', 'shop'],
      businessUnit: 'Retail',
    })
    // same name and VM ID in another vCenter: another server, joined to its own tab rows
    expect(byName(servers, 'web01', 'vc02.dr.example')).toMatchObject({
      fqdn: 'web01.dr.example',
      vmMoref: 'vm-101',
      biosUuid: '4220a1b2-c3d4-e5f6-0718-293a4b5c6d11',
      ips: ['10.2.0.11'],
      vcpus: 2,
      cpuSockets: 1,
      memoryMib: 4096,
      disks: [{name: 'Hard disk 1', sizeGib: 40, thin: true}],
      cpuModel: 'Intel(R) Xeon(R) Silver 4214 CPU @ 2.20GHz',
      hypervisor: 'VMware ESXi 7.0.3 build-21424296',
      description: 'DR copy',
      tags: {Environment: 'dr'},
      environment: 'dr',
    })
    expect(byName(servers, 'db01')).toMatchObject({
      powerState: 'off',
      osName: 'Red Hat Enterprise Linux 8 (64-bit)',
      vcpus: 8,
      memoryMib: 32768,
      disks: [{name: 'Hard disk 1', sizeGib: 200, thin: false}], // "FALSE"
      macs: ['00:50:56:aa:bb:02'],
      cpuModel: 'AMD EPYC 7543 32-Core Processor',
      applications: ['shop'],
    })
    const batch = byName(servers, 'batch01')
    expect(batch).toMatchObject({powerState: 'suspended', hostname: 'batch01', memoryMib: 3072}) // Memory 0 in vInfo: vMemory's
    expect(batch.fqdn).toBeUndefined() // DNS Name localhost.localdomain identifies nothing
    expect(batch.flags).toContain('suspended')
    // a vInfo row with three cells: the other tabs, joined by name, fill in
    expect(byName(servers, 'short01')).toMatchObject({
      powerState: 'on',
      vmMoref: 'vm-106',
      vcpus: 6,
      cpuSockets: 3,
      memoryMib: 12288,
      osName: 'CentOS 7 (64-bit)',
      hostSystem: 'esx02.corp.example',
      storageProvisionedGib: 50, // sum of its disks
      storageUsedGib: (51100 - 12775) / 1024, // capacity - free where Consumed is empty
      description: 'nightly jobs',
    })
    expect(sources[0]!.notes).toEqual([
      {code: 'RVTOOLS_UNMATCHED', message: '1 VM in vNetwork match no single vInfo row and were left out (ghost01)', ref: 'vNetwork'},
      {code: 'RVTOOLS_TEMPLATE', message: 'tmpl-rhel9 is a template, not a server; skipped', ref: 'vInfo!5'},
      {
        code: 'RVTOOLS_SRM_PLACEHOLDER',
        message: 'app01-placeholder is an SRM placeholder (the protected VM lives elsewhere); skipped',
        ref: 'vInfo!6',
      },
    ])
  })

  it('reads CSVs with RVTools prefixed headers, semicolons, and takes the vCenter from a single-row vSource', async () => {
    const dir = join(tmp.dir, 'export')
    const {mkdirSync, writeFileSync} = await import('node:fs')
    mkdirSync(dir)
    writeFileSync(
      join(dir, 'RVTools_tabvInfo.csv'),
      'vInfoVMName;vInfoPowerstate;vInfoTemplate;vInfoCPUs;vInfoMemory;vInfoProvisioned;vInfoInUse;vInfoGuestHostName;vInfoPrimaryIPAddress;vInfoOSTools\n' +
        'app01;poweredOn;False;2;4096;20480,5;10240;app01.corp.example;10.9.0.1;Ubuntu Linux (64-bit)\n',
    )
    writeFileSync(
      join(dir, 'RVTools_tabvSource.csv'),
      'Name;API type;API version;VI SDK Server\nVMware vCenter Server;VirtualCenter;8.0.2.0;vc9.corp.example\n',
    )
    const {servers} = await importInto('ws', [dir])
    expect(servers).toHaveLength(1)
    expect(servers[0]).toMatchObject({
      hostname: 'app01',
      fqdn: 'app01.corp.example',
      vcenter: 'vc9.corp.example',
      vcpus: 2,
      memoryMib: 4096,
      storageProvisionedGib: 20480.5 / 1024,
      storageUsedGib: 10,
      ips: ['10.9.0.1'],
      osFamily: 'linux',
    })
  })

  it('a vInfo without VM rows imports nothing and says so; a vInfo sheet without a header is refused', async () => {
    const dir = join(tmp.dir, 'empty')
    const {mkdirSync, writeFileSync} = await import('node:fs')
    mkdirSync(dir)
    writeFileSync(join(dir, 'vInfo.csv'), 'VM,Powerstate,Template,CPUs,Memory\n,,,,\n')
    const r = await importInto('ws', [dir])
    expect(r.servers).toEqual([])
    expect(r.sources[0]).toMatchObject({
      format: 'rvtools',
      servers: 0,
      notes: [{code: 'RVTOOLS_NO_VMS', message: 'vInfo has no VM rows: no VMs imported'}],
    })

    const wbPath = join(tmp.dir, 'no-rows.xlsx')
    const wb = new ExcelJS.Workbook()
    wb.addWorksheet('vInfo')
    wb.addWorksheet('vHost').addRow(['Host', 'CPU Model'])
    await writeOrdered(wb, wbPath, ['vInfo', 'vHost'])
    // a header row without text is what a workbook whose shared strings were lost looks like
    const numbers = join(tmp.dir, 'numbers.xlsx')
    const wb2 = new ExcelJS.Workbook()
    wb2.addWorksheet('vInfo').addRows([
      [1, 2, 3],
      [4, 5, 6],
    ])
    await writeOrdered(wb2, numbers, ['vInfo'])
    await expect(importInto('ws3', [numbers])).rejects.toMatchObject({
      code: 'RVTOOLS_HEADER_UNREAD',
      location: {file: numbers, sheet: 'vInfo', row: 1},
    })
    // RVTools always writes vInfo's header: a vInfo sheet without one was not read, and is refused
    await expect(importInto('ws2', [wbPath])).rejects.toMatchObject({
      code: 'RVTOOLS_VINFO_UNREAD',
      location: {file: wbPath, sheet: 'vInfo'},
      message: expect.stringMatching(/the vInfo sheet could not be read: it has no header row/),
    })
  })
})
