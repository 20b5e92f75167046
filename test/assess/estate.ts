/** Small hand-made estates for assess tests and golden cases: merged servers as the workspace returns them. */
import type {AggregatedConnection} from '../../src/model/connection.js'
import type {DetectedSoftware, Server, SoftwareCategory} from '../../src/model/server.js'

let n = 0
export function server(name: string, facts: Partial<Server> = {}): Server {
  n++
  return {
    id: facts.id ?? `srv-${name}`,
    name,
    sourceIds: [1],
    provenance: {},
    flags: [],
    hostname: name,
    ips: [`10.0.${Math.floor(n / 200)}.${(n % 200) + 10}`],
    ...facts,
  }
}

export const sw = (...items: [string, SoftwareCategory][]): DetectedSoftware[] =>
  items.map(([name, category]) => ({name, category, evidence: [`process ${name}`]}))
export const tcp = (...ports: [number, string][]) =>
  ports.map(([port, process]) => ({protocol: 'tcp' as const, ip: '0.0.0.0', port, process}))

const util = (avg: number, p95: number, max: number) => ({avg, p50: avg, p95, p99: (p95 + max) / 2, max, samples: 20160})

/** A dozen servers that exercise every strategy family. */
export function smallEstate(): {servers: Server[]; connections: AggregatedConnection[]} {
  n = 0
  const servers: Server[] = [
    server('web01', {
      ips: ['10.0.1.10'],
      osName: 'Ubuntu',
      osVersion: '22.04',
      osFamily: 'linux',
      vcpus: 2,
      memoryMib: 8192,
      cpuUtilisation: util(4, 18, 60),
      memoryUtilisation: util(30, 40, 45),
      networkThroughput: util(2, 8, 30),
      filesystems: [{mount: '/', fsType: 'ext4', sizeGib: 78, usedGib: 21.5}],
      listeners: tcp([22, 'sshd'], [443, 'nginx'], [8080, 'node']),
      processes: [
        {name: 'nginx', memoryMib: 64},
        {name: 'node', memoryMib: 300},
      ],
      software: sw(['nginx', 'web-server'], ['nodejs', 'runtime']),
      environment: 'prod',
    }),
    server('api01', {
      ips: ['10.0.1.11'],
      osName: 'Red Hat Enterprise Linux',
      osVersion: '8.9',
      osFamily: 'linux',
      vcpus: 4,
      memoryMib: 16384,
      cpuUtilisation: util(55, 70, 85),
      memoryUtilisation: util(60, 65, 70),
      networkThroughput: util(80, 120, 300),
      storageUsedGib: 60,
      listeners: tcp([22, 'sshd'], [8443, 'java']),
      processes: [{name: 'java', memoryMib: 4096}],
      software: sw(['tomcat', 'app-server']),
    }),
    server('db01', {
      ips: ['10.0.2.20'],
      osName: 'CentOS Linux',
      osVersion: '7.9.2009',
      osFamily: 'linux',
      vcpus: 8,
      memoryMib: 32768,
      cpuUtilisation: util(20, 45, 80),
      memoryUtilisation: util(70, 80, 85),
      diskIops: util(900, 4200, 9000),
      diskThroughput: util(40, 180, 400),
      disks: [{name: 'sda', sizeGib: 500, usedGib: 310, readIops: 3400, writeIops: 600}],
      listeners: tcp([22, 'sshd'], [5432, 'postgres']),
      software: sw(['postgresql', 'database']),
    }),
    server('sql01', {
      ips: ['10.0.2.21'],
      osName: 'Microsoft Windows Server 2012 R2 Standard',
      osVersion: '6.3.9600',
      osFamily: 'windows',
      vcpus: 4,
      memoryMib: 16384,
      storageProvisionedGib: 400,
      listeners: tcp([1433, 'sqlservr.exe'], [3389, 'svchost.exe'], [445, 'System']),
      software: sw(['sql-server', 'database']),
      annualCostUsd: 9000,
    }),
    server('app02', {
      ips: ['10.0.1.12'],
      osName: 'Microsoft Windows Server 2019 Standard',
      osVersion: '10.0.17763',
      osFamily: 'windows',
      vcpus: 4,
      memoryMib: 8192,
      cpuUtilisation: util(15, 35, 60),
      memoryUtilisation: util(50, 60, 70),
      networkThroughput: util(10, 20, 40),
      storageUsedGib: 80,
      listeners: tcp([80, 'w3wp.exe'], [443, 'w3wp.exe'], [3389, 'svchost.exe']),
      software: sw(['iis', 'web-server'], ['dotnet', 'runtime']),
    }),
    server('old01', {
      ips: ['10.0.3.30'],
      osName: 'CentOS 6 (64-bit)',
      osFamily: 'linux',
      vcpus: 2,
      memoryMib: 4096,
      cpuUtilisation: util(0.5, 1.2, 3),
      networkThroughput: util(0.01, 0.05, 0.2),
      storageUsedGib: 15,
      powerState: 'on',
    }),
    server('mq01', {
      ips: ['10.0.4.40'],
      osName: 'Red Hat Enterprise Linux',
      osVersion: '8.9',
      osFamily: 'linux',
      vcpus: 2,
      memoryMib: 8192,
      listeners: tcp([5672, 'beam.smp'], [22, 'sshd']),
      software: sw(['rabbitmq', 'message-broker']),
    }),
    server('cache01', {
      ips: ['10.0.4.41'],
      osName: 'Ubuntu',
      osVersion: '20.04',
      osFamily: 'linux',
      vcpus: 2,
      memoryMib: 16384,
      software: sw(['redis', 'cache']),
    }),
    server('files01', {
      ips: ['10.0.5.50'],
      osName: 'Microsoft Windows Server 2016 Standard',
      osVersion: '10.0.14393',
      osFamily: 'windows',
      vcpus: 2,
      memoryMib: 8192,
      storageProvisionedGib: 2048,
      storageUsedGib: 1500,
      software: sw(['windows-file-server', 'file-service']),
    }),
    server('nfs01', {
      ips: ['10.0.5.51'],
      osName: 'SUSE Linux Enterprise Server',
      osVersion: '12 SP5',
      osFamily: 'linux',
      vcpus: 2,
      memoryMib: 4096,
      software: sw(['nfs-server', 'file-service']),
    }),
    server('aix01', {ips: ['10.0.6.60'], osName: 'AIX 7.2', osFamily: 'unix', vcpus: 8, memoryMib: 65536}),
    server('mystery', {ips: ['10.0.7.70']}),
  ]
  const connections: AggregatedConnection[] = [
    {
      sourceIp: '203.0.113.7',
      destinationIp: '10.0.1.10',
      destinationPort: 443,
      protocol: 'tcp',
      processes: ['nginx'],
      count: 42_000,
      firstSeen: '2026-10-31T00:00:00Z',
      lastSeen: '2026-11-14T00:00:00Z',
      sourceIds: [1],
    },
    {
      sourceIp: '10.0.1.10',
      destinationIp: '10.0.2.20',
      destinationPort: 5432,
      protocol: 'tcp',
      processes: ['node', 'postgres'],
      count: 20_000,
      firstSeen: '2026-10-31T00:00:00Z',
      lastSeen: '2026-11-14T00:00:00Z',
      sourceIds: [1],
    },
    {
      sourceIp: '10.0.1.10',
      destinationIp: '10.0.1.11',
      destinationPort: 8443,
      protocol: 'tcp',
      processes: ['java'],
      count: 5_000_000,
      firstSeen: '2026-10-31T00:00:00Z',
      lastSeen: '2026-11-14T00:00:00Z',
      sourceIds: [1],
    },
  ]
  return {servers, connections}
}
