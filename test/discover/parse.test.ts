import {createHmac} from 'node:crypto'

import {describe, expect, it} from 'vitest'

import {buildSshDocument} from '../../src/discover/document.js'
import {expandCidr, finishTargets, parseHostsFile, splitHostPort} from '../../src/discover/hosts.js'
import {blobKeyType, knownKeyTypes, parseKnownHosts, verifyHostKey} from '../../src/discover/known-hosts.js'
import {parseCpuinfo, parseDf, parseIp, parseLsblk, parsePs, parseSockets} from '../../src/discover/parse.js'
import {summariseReadings, type Reading} from '../../src/discover/sample.js'
import {samplingScript, splitSamples, splitSections} from '../../src/discover/script.js'
import {hostKeyOrder} from '../../src/discover/ssh.js'
import {agentFileSchema} from '../../src/model/agent-file.js'

const blob = (type: string, body: string): Buffer => {
  const t = Buffer.from(type)
  const len = Buffer.alloc(4)
  len.writeUInt32BE(t.length)
  return Buffer.concat([len, t, Buffer.from(body)])
}
const KEY_A = blob('ssh-ed25519', 'key-a')
const KEY_B = blob('ssh-ed25519', 'key-b')
const RSA = blob('ssh-rsa', 'rsa-key')
const line = (hosts: string, key: Buffer): string => `${hosts} ${blobKeyType(key)} ${key.toString('base64')}`
const hashed = (name: string, salt = Buffer.from('0123456789abcdef0123')): string =>
  `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`

describe('known_hosts', () => {
  const file = [
    '# comment',
    line('web01.corp.example,10.0.0.5', KEY_A),
    line('[db01]:2222', KEY_A),
    line(hashed('[10.0.0.9]:2200'), KEY_B),
    line('*.lab.example,!bad.lab.example', KEY_B),
    `@cert-authority *.corp.example ${blobKeyType(RSA)} ${RSA.toString('base64')}`,
    `@revoked * ssh-rsa ${RSA.toString('base64')}`,
    'garbage line',
  ].join('\n')
  const entries = parseKnownHosts(file)

  it.each([
    ['web01.corp.example', 22, KEY_A, 'known'],
    ['10.0.0.5', 22, KEY_A, 'known'],
    ['WEB01.corp.example', 22, KEY_A, 'known'],
    ['web01.corp.example', 22, KEY_B, 'changed'],
    ['web01.corp.example', 2222, KEY_A, 'unknown'],
    ['db01', 2222, KEY_A, 'known'],
    ['db01', 22, KEY_A, 'unknown'],
    ['10.0.0.9', 2200, KEY_B, 'known'],
    ['10.0.0.9', 2200, KEY_A, 'changed'],
    ['x.lab.example', 22, KEY_B, 'known'],
    ['bad.lab.example', 22, KEY_B, 'unknown'],
    ['app.corp.example', 22, KEY_A, 'unknown'],
    ['anything', 22, RSA, 'revoked'],
  ] as const)('%s:%d → %s', (host, port, key, status) => {
    expect(verifyHostKey(entries, host, port, key).status).toBe(status)
  })

  it('orders host key algorithms with known types first', () => {
    expect(knownKeyTypes(entries, 'web01.corp.example', 22)).toEqual(['ssh-ed25519'])
    expect(hostKeyOrder(['ssh-rsa']).slice(0, 3)).toEqual(['rsa-sha2-512', 'rsa-sha2-256', 'ssh-rsa'])
    expect(hostKeyOrder([])[0]).toBe('ssh-ed25519')
  })
})

describe('hosts file', () => {
  const defaults = {user: 'ops', port: 22, baseDir: '/keys'}
  it('reads host[:port] [user] [key], CIDR blocks and IPv6', () => {
    const targets = parseHostsFile(
      '# inventory\nweb01.corp.example admin ~/.ssh/id\n10.0.0.12:2222\n[fe80::1]:2200 root k/id_rsa\n10.1.0.0/30 scan  # two hosts\n\n',
      'hosts.txt',
      defaults,
    )
    expect(targets.map((t) => [t.host, t.port, t.user, t.keyFile?.replace(/^.*\/\.ssh/, '~/.ssh'), t.origin])).toEqual([
      ['web01.corp.example', 22, 'admin', '~/.ssh/id', 'hosts.txt:2'],
      ['10.0.0.12', 2222, 'ops', undefined, 'hosts.txt:3'],
      ['fe80::1', 2200, 'root', '/keys/k/id_rsa', 'hosts.txt:4'],
      ['10.1.0.1', 22, 'scan', undefined, 'hosts.txt:5'],
      ['10.1.0.2', 22, 'scan', undefined, 'hosts.txt:5'],
    ])
  })

  it.each([
    ['web01:99999 ops', /row 1.*is not host\[:port\]/],
    ['web01 ops key extra', /row 1.*expected "host\[:port\] \[user\] \[key\]"/],
    ['10.0.0.0/8 ops', /more than 4096/],
    ['10.0.0.300/24 ops', /not an IPv4 CIDR block/],
  ])('refuses %j with its line', (text, message) => {
    expect(() => parseHostsFile(text, 'hosts.txt', defaults)).toThrow(message)
  })

  it('needs a user from somewhere, and at least one host', () => {
    expect(() => parseHostsFile('web01', 'h', {port: 22, baseDir: '/'})).toThrow(/no user for web01/)
    expect(() => finishTargets([])).toThrow(/no hosts/)
  })

  it('expands CIDR blocks without network and broadcast addresses', () => {
    expect(expandCidr('192.168.1.0/30', 'x')).toEqual(['192.168.1.1', '192.168.1.2'])
    expect(expandCidr('192.168.1.7/32', 'x')).toEqual(['192.168.1.7'])
    expect(expandCidr('192.168.1.4/31', 'x')).toEqual(['192.168.1.4', '192.168.1.5'])
    expect(splitHostPort('::1', 22)).toEqual({host: '::1', port: 22})
  })
})

const SS = `Netid State  Recv-Q Send-Q Local Address:Port  Peer Address:Port Process
udp   UNCONN 0      0      0.0.0.0:68          0.0.0.0:*     users:(("dhclient",pid=501,fd=6))
tcp   LISTEN 0      128    0.0.0.0:22          0.0.0.0:*     users:(("sshd",pid=700,fd=3))
tcp   LISTEN 0      244    [::]:5432           [::]:*
tcp   ESTAB  0      0      10.0.0.5:5432       10.0.0.7:40001 users:(("postgres",pid=901,fd=9))
tcp   ESTAB  0      0      [::ffff:10.0.0.5]:51000 [::ffff:10.0.0.20]:443
tcp   TIME-WAIT 0   0      10.0.0.5:51001      10.0.0.20:443`
const NETSTAT = `Active Internet connections (servers and established)
Proto Recv-Q Send-Q Local Address           Foreign Address         State       PID/Program name
tcp        0      0 0.0.0.0:22              0.0.0.0:*               LISTEN      700/sshd: /usr/sbin
tcp        0      0 10.0.0.5:22             10.0.0.9:51234          ESTABLISHED 800/sshd: ops
tcp6       0      0 :::5432                 :::*                    LISTEN      -
udp        0      0 0.0.0.0:68              0.0.0.0:*                           501/dhclient`

describe('command output parsers', () => {
  it('reads ss and netstat sockets alike', () => {
    expect(parseSockets(SS, 'ss').map((s) => [s.protocol, s.state, s.localIp, s.localPort, s.remoteIp, s.remotePort, s.process])).toEqual([
      ['udp', 'UNCONN', '0.0.0.0', 68, '0.0.0.0', 0, 'dhclient'],
      ['tcp', 'LISTEN', '0.0.0.0', 22, '0.0.0.0', 0, 'sshd'],
      ['tcp', 'LISTEN', '::', 5432, '::', 0, undefined],
      ['tcp', 'ESTABLISHED', '10.0.0.5', 5432, '10.0.0.7', 40001, 'postgres'],
      ['tcp', 'ESTABLISHED', '::ffff:10.0.0.5', 51000, '::ffff:10.0.0.20', 443, undefined],
      ['tcp', 'TIME-WAIT', '10.0.0.5', 51001, '10.0.0.20', 443, undefined],
    ])
    expect(parseSockets(NETSTAT, 'netstat').map((s) => [s.protocol, s.state, s.localIp, s.localPort, s.remoteIp, s.process])).toEqual([
      ['tcp', 'LISTEN', '0.0.0.0', 22, '0.0.0.0', 'sshd'],
      ['tcp', 'ESTABLISHED', '10.0.0.5', 22, '10.0.0.9', 'sshd'],
      ['tcp', 'LISTEN', '::', 5432, '::', undefined],
      ['udp', 'UNCONN', '0.0.0.0', 68, '0.0.0.0', 'dhclient'],
    ])
  })

  it('reads ps with names from comm, redacts command lines and leaves out kernel threads', () => {
    const ps = `    1     0 root      0.0  11000 /sbin/init
    2     0 root      0.0      0 [kthreadd]
   15     2 root      0.0      0 [ksoftirqd/0]
  901     1 postgres  1.5 204800 /usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main
  950     1 app       0.3  51200 java -Dspring.datasource.password=hunter2 -jar app.jar`
    const comm = '    1 systemd\n  901 postgres\n  950 java'
    expect(parsePs(ps, comm)).toEqual([
      {pid: 1, name: 'systemd', user: 'root', cpuPct: 0, memoryMib: 10.74, command: '/sbin/init'},
      {
        pid: 901,
        name: 'postgres',
        user: 'postgres',
        cpuPct: 1.5,
        memoryMib: 200,
        command: '/usr/lib/postgresql/15/bin/postgres -D /var/lib/postgresql/15/main',
      },
      {
        pid: 950,
        name: 'java',
        user: 'app',
        cpuPct: 0.3,
        memoryMib: 50,
        command: 'java -Dspring.datasource.password=[REDACTED] -jar app.jar',
      },
    ])
  })

  it('reads df, lsblk, ip and a two-socket cpuinfo', () => {
    const df = `Filesystem     Type     1024-blocks    Used Available Capacity Mounted on
/dev/sda1      ext4        102400000 51200000  51200000      50% /
tmpfs          tmpfs         8000000       0   8000000       0% /run
/dev/sdb1      xfs         209715200 10485760 199229440       5% /data dir`
    expect(parseDf(df)).toEqual([
      {mount: '/', fsType: 'ext4', sizeGib: 97.66, usedGib: 48.83},
      {mount: '/data dir', fsType: 'xfs', sizeGib: 200, usedGib: 10},
    ])
    expect(
      parseLsblk(
        'NAME="sda" SIZE="107374182400" TYPE="disk"\nNAME="loop0" SIZE="100" TYPE="loop"\nNAME="sr0" SIZE="1073741312" TYPE="rom"',
      ),
    ).toEqual([{name: '/dev/sda', type: 'disk', sizeGib: 100}])
    const addr = `1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever
2: eth0    inet 10.0.0.5/24 brd 10.0.0.255 scope global eth0\\       valid_lft forever preferred_lft forever
2: eth0    inet6 FE80::1/64 scope link \\       valid_lft forever preferred_lft forever`
    const link = `1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN mode DEFAULT group default qlen 1000\\    link/loopback 00:00:00:00:00:00 brd 00:00:00:00:00:00
2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc fq_codel state UP mode DEFAULT group default qlen 1000\\    link/ether 00:50:56:aa:bb:cc brd ff:ff:ff:ff:ff:ff
5: veth1@if4: <BROADCAST> mtu 1500 qdisc noop state DOWN\\    link/ether 02:42:ac:11:00:02 brd ff:ff:ff:ff:ff:ff link-netnsid 0`
    expect(parseIp(addr, link)).toEqual([
      {name: 'eth0', mac: '00:50:56:aa:bb:cc', ips: ['10.0.0.5', 'fe80::1']},
      {name: 'veth1', mac: '02:42:ac:11:00:02', ips: []},
    ])
    const cpu = [0, 1, 2, 3]
      .map(
        (i) =>
          `processor\t: ${i}\nmodel name\t: Intel(R) Xeon(R) Gold 6248\ncpu MHz\t\t: 2500.000\nphysical id\t: ${i >> 1}\ncore id\t\t: ${i & 1}\n`,
      )
      .join('\n')
    expect(parseCpuinfo(cpu)).toEqual({model: 'Intel(R) Xeon(R) Gold 6248', sockets: 2, cores: 4, threads: 4, mhz: 2500})
  })
})

describe('sampling', () => {
  const reading = (uptime: number, cpu: number[], available: number, ios: number[], net: number[], at: string): Reading => ({
    uptime,
    at,
    sections: new Map([
      ['stat', `cpu  ${cpu.join(' ')}\nMemTotal: 1000 kB\nMemAvailable: ${available} kB`],
      [
        'diskstats',
        `   8       0 sda ${ios[0]} 0 ${ios[1]} 0 ${ios[2]} 0 ${ios[3]} 0 0 0 0\n   8       1 sda1 999 0 999 0 999 0 999 0 0 0 0\n 253 0 dm-0 999 0 999 0 999 0 999 0 0 0 0`,
      ],
      [
        'netdev',
        `Inter-|   Receive\n face |bytes\n    lo: 9999 0 0 0 0 0 0 0 9999 0 0 0 0 0 0 0\n  eth0: ${net[0]} 0 0 0 0 0 0 0 ${net[1]} 0 0 0 0 0 0 0`,
      ],
      ['ss', 'tcp ESTAB 0 0 10.0.0.5:51000 10.0.0.20:443'],
    ]),
  })

  it('turns /proc counters into rates between readings', () => {
    const readings = [
      reading(100, [100, 0, 100, 700, 100, 0, 0, 0], 800, [0, 0, 0, 0], [0, 0], '2026-01-01T00:00:00.000Z'),
      // 10 s later: 250 of 1000 jiffies busy (idle+iowait 750), 100 reads + 100 writes, 2048 sectors, 1.25 MB each way
      reading(110, [200, 0, 250, 1350, 200, 0, 0, 0], 600, [100, 1024, 100, 1024], [1_250_000, 1_250_000], '2026-01-01T00:00:10.000Z'),
      reading(120, [200, 0, 250, 2350, 200, 0, 0, 0], 600, [100, 1024, 100, 1024], [1_250_000, 1_250_000], '2026-01-01T00:00:20.000Z'),
    ]
    const w = summariseReadings(readings, 10)
    expect(w.samples).toBe(2)
    expect(w.utilisation.cpuPct).toMatchObject({max: 25, p50: 12.5, samples: 2})
    expect(w.utilisation.memoryPct).toMatchObject({max: 40, samples: 2})
    expect(w.utilisation.diskIops).toMatchObject({max: 20})
    expect(w.utilisation.diskThroughputMiBps).toMatchObject({max: 0.1})
    expect(w.utilisation.networkMbps).toMatchObject({max: 2})
    expect(w.connections.list()).toMatchObject([
      {remoteIp: '10.0.0.20', remotePort: 443, count: 3, firstSeen: '2026-01-01T00:00:00.000Z', lastSeen: '2026-01-01T00:00:20.000Z'},
    ])
  })

  it('splits the sampling loop output into readings', () => {
    expect(samplingScript(3, 10)).toMatch(/sleep 10/)
    const out =
      '\n@@mp:sample 100.5\ncpu 1 2\n@@mp:diskstats\nd\n@@mp:netdev\nn\n@@mp:ss\ns\n@@mp:sample 110.5\ncpu 3 4\n@@mp:diskstats\nd2\n\n@@mp:end\n'
    const r = splitSamples(out)
    expect(r.map((x) => [x.uptime, x.sections.get('stat'), x.sections.get('diskstats')])).toEqual([
      [100.5, 'cpu 1 2', 'd'],
      [110.5, 'cpu 3 4', 'd2'],
    ])
  })
})

describe('buildSshDocument', () => {
  it('makes a valid agent file from the inventory sections, saying what it could not see', () => {
    const sections = splitSections(
      [
        '@@mp:uname\nLinux\n5.15.0-91-generic\nx86_64',
        '@@mp:hostname\ndb01',
        '@@mp:fqdn\ndb01.corp.example',
        '@@mp:uid\n1000',
        '@@mp:os-release\nNAME="Ubuntu"\nVERSION_ID="22.04"',
        '@@mp:nproc\n2',
        '@@mp:meminfo\nMemTotal:        8167848 kB',
        `@@mp:ss\n${SS}`,
        '@@mp:ps\n  901     1 postgres  1.5 204800 /usr/lib/postgresql/15/bin/postgres -D /data',
        '@@mp:comm\n  901 postgres',
        '@@mp:product_uuid',
        '@@mp:sys_vendor\nVMware, Inc.',
        '@@mp:virt\nvmware',
        '@@mp:cron\n* * * * * root /bin/true',
        '@@mp:end',
      ].join('\n'),
    )
    const doc = agentFileSchema.parse(buildSshDocument({sections, version: '1.0.0', at: '2026-01-01T00:00:00.000Z'}))
    expect(doc.collector).toEqual({kind: 'ssh', version: '1.0.0', mode: 'snapshot', privileged: false})
    expect(doc.host).toMatchObject({
      hostname: 'db01',
      fqdn: 'db01.corp.example',
      virtual: true,
      hypervisor: 'VMware',
      manufacturer: 'VMware, Inc.',
    })
    expect(doc.os).toEqual({platform: 'linux', name: 'Ubuntu', version: '22.04', kernel: '5.15.0-91-generic', arch: 'x86_64'})
    expect(doc.cpu.threads).toBe(2)
    expect(doc.memory.totalMib).toBe(7976)
    expect(doc.software.map((s) => [s.name, s.version])).toEqual([['postgresql', '15']])
    expect(doc.connections).toMatchObject([
      {direction: 'inbound', localPort: 5432, remoteIp: '10.0.0.7', remotePort: 0, process: 'postgres'},
      {direction: 'outbound', localPort: 0, remoteIp: '10.0.0.20', remotePort: 443},
    ])
    expect(doc.limitations).toEqual([
      'network interfaces (the ip command is missing)',
      'system UUID (product_uuid and dmidecode need root)',
      'physical disk layout (lsblk found none; filesystem sizes are given instead)',
      "owning process of 2 sockets (other users' sockets are hidden when not logged in as root)",
      'user crontabs (readable by root only)',
    ])
  })
})
