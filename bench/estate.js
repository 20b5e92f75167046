// A planted-partition estate for the grouping and waves benchmarks, used until src/synth's
// generateEstate lands (then the benches switch to it when it is present in dist/).
// Applications of web/app/db(/cache) tiers with chatty links inside, shared services every server
// talks to (DNS, directory, NTP, SMTP, monitoring pollers, backup), and low-traffic noise records
// between unrelated applications. Deterministic for a seed.

function mulberry32(seed) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const ip = (i) => `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`
const ENVS = ['dev', 'test', 'staging', 'prod']

/**
 * @param {object} o
 * @param {number} o.servers approximate server count (applications are whole)
 * @param {number} [o.seed]
 * @param {[number, number]} [o.appSize]
 * @param {number} [o.shared] shared-service servers
 * @param {number} [o.records] connection records (rows), default servers × 20
 * @param {number} [o.noise] share of records that are noise between unrelated applications
 */
export function plantedEstate(o) {
  const random = mulberry32(o.seed ?? 1)
  const [lo, hi] = o.appSize ?? [2, 12]
  const int = (a, b) => a + Math.floor(random() * (b - a + 1))
  const servers = []
  const apps = []
  const sharedKinds = ['dns', 'ad', 'ntp', 'smtp', 'monitoring', 'backup', 'patching']
  const sharedCount = o.shared ?? Math.max(7, Math.round(o.servers / 500))
  const shared = {dns: [], ad: [], ntp: [], smtp: [], monitoring: [], backup: [], patching: []}
  for (let s = 0; s < sharedCount; s++) {
    const kind = sharedKinds[s % sharedKinds.length]
    const index = servers.length
    const name = `${kind}${String(shared[kind].length + 1).padStart(2, '0')}`
    servers.push({
      id: `srv-${String(index).padStart(7, '0')}`,
      name,
      ips: [ip(index + 1)],
      environment: 'prod',
      truth: `shared:${kind}`,
      tier: 'shared',
    })
    shared[kind].push(index)
  }
  let a = 0
  while (servers.length < o.servers) {
    const size = int(lo, hi)
    const app = `app${String(a++).padStart(5, '0')}`
    const env = ENVS[int(0, 3)]
    // tiers: at least one db; the rest split between web and app (and a cache from 6 servers up)
    const db = size >= 8 ? 2 : 1
    const cache = size >= 6 ? 1 : 0
    const rest = size - db - cache
    const web = Math.max(0, Math.floor(rest / 2))
    const appTier = rest - web
    const tiers = [...Array(web).fill('web'), ...Array(appTier).fill('app'), ...Array(cache).fill('cache'), ...Array(db).fill('db')]
    const members = []
    const counts = {}
    for (const tier of tiers) {
      const index = servers.length
      counts[tier] = (counts[tier] ?? 0) + 1
      servers.push({
        id: `srv-${String(index).padStart(7, '0')}`,
        name: `${app}-${tier}${String(counts[tier]).padStart(2, '0')}`,
        ips: [ip(index + 1)],
        environment: env,
        truth: app,
        tier,
        listeners: [{protocol: 'tcp', ip: '0.0.0.0', port: tier === 'db' ? 5432 : tier === 'cache' ? 6379 : tier === 'web' ? 443 : 8080}],
      })
      members.push(index)
    }
    // links: web → app (or web → db when there is no app tier), app → db, app → cache
    const by = (t) => members.filter((m) => servers[m].tier === t)
    const links = []
    const callers = by('app').length > 0 ? by('app') : by('web')
    for (const w of by('web')) for (const p of by('app')) links.push([w, p, 8080])
    for (const p of callers) for (const d of by('db')) links.push([p, d, 5432])
    for (const p of callers) for (const c of by('cache')) links.push([p, c, 6379])
    if (links.length === 0 && members.length > 1) links.push([members[0], members[1], 5432])
    // how busy this application is: three orders of magnitude between quiet and busy ones
    const scale = 10 ** (random() * 3)
    apps.push({name: app, members, links, scale})
  }
  const records = o.records ?? servers.length * 20
  const noise = o.noise ?? 0.02
  const appServers = servers.length - sharedCount
  const truth = new Map(servers.map((s) => [s.name, s.truth]))

  /** Connection records, lazily; the same sequence every call. */
  function* connections() {
    const r = mulberry32((o.seed ?? 1) * 7919)
    const pick = (list) => list[Math.floor(r() * list.length)]
    const rec = (c, s, port, protocol, count, proc) => ({
      sourceIp: servers[c].ips[0],
      sourcePort: 30000 + Math.floor(r() * 30000),
      destinationIp: servers[s].ips[0],
      destinationPort: port,
      protocol,
      process: proc,
      count,
    })
    const sharedRecords = Math.round(records * 0.25)
    const noiseRecords = Math.round(records * noise)
    const appRecords = records - sharedRecords - noiseRecords
    // application traffic: records spread over every application's links, in proportion to links
    const totalLinks = apps.reduce((s, x) => s + x.links.length, 0)
    let emitted = 0
    for (const app of apps) {
      const share = Math.max(app.links.length, Math.round((appRecords * app.links.length) / totalLinks))
      for (let k = 0; k < share && emitted < appRecords; k++, emitted++) {
        const [c, s, port] = app.links[k % app.links.length]
        yield rec(c, s, port, 'tcp', Math.max(1, Math.round(app.scale * (5 + r() * 20))), port === 5432 ? 'java' : 'nginx')
      }
    }
    // shared services: every server resolves names, authenticates, syncs time; monitoring polls
    for (let k = 0; k < sharedRecords; k++) {
      const client = sharedCount + Math.floor(r() * appServers)
      const kind = pick(['dns', 'dns', 'ad', 'ntp', 'monitoring', 'backup', 'smtp', 'patching'])
      const srv = pick(shared[kind])
      if (srv === undefined) continue
      if (kind === 'dns') yield rec(client, srv, 53, 'udp', 1 + Math.floor(r() * 50), 'systemd-resolved')
      else if (kind === 'ad') yield rec(client, srv, pick([389, 88, 636]), 'tcp', 1 + Math.floor(r() * 20), 'sssd')
      else if (kind === 'ntp') yield rec(client, srv, 123, 'udp', 1 + Math.floor(r() * 5), 'chronyd')
      else if (kind === 'monitoring') yield rec(srv, client, 10050, 'tcp', 1 + Math.floor(r() * 30), 'zabbix_server')
      else if (kind === 'backup') yield rec(client, srv, 9392, 'tcp', 1 + Math.floor(r() * 3), 'veeam')
      else if (kind === 'smtp') yield rec(client, srv, 25, 'tcp', 1 + Math.floor(r() * 3), 'postfix')
      else yield rec(client, srv, 8530, 'tcp', 1 + Math.floor(r() * 3), 'wuauserv')
    }
    // noise: a trickle between servers of unrelated applications
    for (let k = 0; k < noiseRecords; k++) {
      const c = sharedCount + Math.floor(r() * appServers)
      const s = sharedCount + Math.floor(r() * appServers)
      if (servers[c].truth === servers[s].truth) continue
      yield rec(c, s, pick([443, 8080, 22, 445, 3389]), 'tcp', 1 + Math.floor(r() * 3), 'curl')
    }
  }
  return {servers, apps, sharedCount, truth, connections}
}
