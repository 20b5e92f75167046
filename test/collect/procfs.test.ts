import {connect, createServer, type Server, type Socket} from 'node:net'

import {describe, expect, it} from 'vitest'

import {hexAddress, parseProcNet, procCounters, procRates} from '../../src/collect/procfs.js'
import {createSampler, ProcSampler} from '../../src/collect/sampler.js'

describe('/proc parsers', () => {
  it.each([
    ['0100007F:0016', '127.0.0.1', 22],
    ['00000000:1F90', '0.0.0.0', 8080],
    ['00000000000000000000000001000000:0016', '::1', 22],
    ['00000000000000000000000000000000:0050', '::', 80],
    ['0000000000000000FFFF00000100007F:1F90', '::ffff:127.0.0.1', 8080],
    ['000080FE000000000000000001000000:01BB', 'fe80::1', 443],
    ['B80D0120000000000000000001000000:0035', '2001:db8::1', 53],
  ])('%s → %s:%d', (hex, ip, port) => {
    expect(hexAddress(hex)).toEqual({ip, port})
  })

  it('reads /proc/net/tcp and udp lines with state and inode', () => {
    const tcp = `  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000:0016 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1 0000000000000000 100 0 0 10 0
   1: 0500000A:1538 0700000A:9C41 01 00000000:00000000 02:000A7B6A 00000000   112        0 23456 2 0000000000000000 20 4 29 10 -1`
    const udp = `   sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode ref pointer drops
  100: 00000000:0044 00000000:0000 07 00000000:00000000 00:00000000 00000000     0        0 34567 2 0000000000000000 0`
    expect(parseProcNet(tcp, 'tcp')).toEqual([
      {socket: {protocol: 'tcp', localIp: '0.0.0.0', localPort: 22, remoteIp: '0.0.0.0', remotePort: 0, state: 'LISTEN'}, inode: 12345},
      {
        socket: {protocol: 'tcp', localIp: '10.0.0.5', localPort: 5432, remoteIp: '10.0.0.7', remotePort: 40001, state: 'ESTABLISHED'},
        inode: 23456,
      },
    ])
    expect(parseProcNet(udp, 'udp')).toEqual([
      {socket: {protocol: 'udp', localIp: '0.0.0.0', localPort: 68, remoteIp: '0.0.0.0', remotePort: 0, state: 'UNCONN'}, inode: 34567},
    ])
  })

  it('computes rates between two readings', () => {
    const text = (busy: number, idle: number, ios: number, bytes: number) => ({
      stat: `cpu  ${busy} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 1 2 3`,
      meminfo: 'MemTotal: 1000 kB\nMemAvailable: 250 kB',
      diskstats: `   8 0 sda ${ios} 0 ${ios * 8} 0 0 0 0 0 0 0 0\n   8 1 sda1 ${ios} 0 ${ios * 8} 0 0 0 0 0 0 0 0`,
      netdev: `    lo: 999 0 0 0 0 0 0 0 999\n  eth0: ${bytes} 0 0 0 0 0 0 0 ${bytes}`,
    })
    const rates = procRates(procCounters(text(100, 900, 0, 0)), procCounters(text(150, 1850, 200, 500_000)), 10)
    expect(rates!.cpuPct).toBeCloseTo(5, 9)
    expect(rates).toMatchObject({memoryPct: 75, diskIops: 20, diskMiBps: (1600 * 512) / 1048576 / 10, networkMbps: 0.8})
    expect(procRates(procCounters(text(1, 1, 1, 1)), procCounters(text(1, 1, 1, 1)), 0)).toBeUndefined()
  })
})

describe.skipIf(process.platform !== 'linux')('ProcSampler on this machine', () => {
  it('samples utilisation and sees our own listening socket and connection with their process', async () => {
    const server: Server = createServer((s) => s.on('error', () => undefined))
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()))
    const port = (server.address() as {port: number}).port
    const client: Socket = connect(port, '127.0.0.1')
    await new Promise<void>((r) => client.once('connect', () => r()))
    try {
      const sampler = createSampler()
      expect(sampler).toBeInstanceOf(ProcSampler)
      await sampler.init()
      await new Promise((r) => setTimeout(r, 300))
      const s = await sampler.sample()
      expect(s.cpuPct).toBeGreaterThanOrEqual(0)
      expect(s.cpuPct).toBeLessThanOrEqual(100)
      expect(s.memoryPct).toBeGreaterThan(0)
      expect(s.diskIops).toBeGreaterThanOrEqual(0)
      expect(s.networkMbps).toBeGreaterThanOrEqual(0)
      const listen = s.sockets.find((x) => x.state === 'LISTEN' && x.localPort === port)
      expect(listen).toMatchObject({protocol: 'tcp', localIp: '127.0.0.1', process: expect.stringMatching(/node|vitest/)})
      const established = s.sockets.filter((x) => x.state === 'ESTABLISHED' && (x.localPort === port || x.remotePort === port))
      expect(established).toHaveLength(2)
    } finally {
      client.destroy()
      await new Promise((r) => server.close(r))
    }
  })
})
