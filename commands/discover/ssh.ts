import {Args, Flags} from '@oclif/core'

import {BaseCommand} from '../../src/cli/base-command.js'
import {parseDuration} from '../../src/collect/duration.js'
import {renderDiscovery} from '../../src/discover/render.js'
import {runDiscovery, type DiscoverSshResult} from '../../src/discover/run.js'

export type {DiscoverSshResult} from '../../src/discover/run.js'

export default class DiscoverSsh extends BaseCommand<typeof DiscoverSsh> {
  static override summary = 'Discover Linux hosts over SSH, without installing anything on them.'
  static override description = `Logs in with a key or ssh-agent (never a password), checks each host key against known_hosts, runs read-only commands (os-release, /proc, df, ip, ss, ps …) and, with --sample, samples utilisation. Results go into the workspace like agent files. Every host gets an outcome; one failing host never stops the others, and the command exits 1 if any failed. See docs/discover-ssh.md.`
  static override examples = [
    {
      description: 'Hosts from a file ("host[:port] [user] [key]" per line)',
      command: '<%= config.bin %> <%= command.id %> hosts.txt --key ~/.ssh/inventory',
    },
    {
      description: 'A subnet through ssh-agent, sampling 10 minutes',
      command: '<%= config.bin %> <%= command.id %> --cidr 10.0.1.0/28 --user inventory --sample 10m',
    },
  ]
  static override args = {hosts: Args.file({description: 'Hosts file', exists: true})}
  static override flags = {
    cidr: Flags.string({summary: 'IPv4 CIDR block to scan (repeatable).', multiple: true}),
    user: Flags.string({char: 'u', summary: 'User for hosts without one in the hosts file.'}),
    port: Flags.integer({char: 'p', summary: 'SSH port for hosts without one.', default: 22, min: 1, max: 65535}),
    key: Flags.file({char: 'i', summary: 'Private key for hosts without one (otherwise ssh-agent).', exists: true}),
    'known-hosts': Flags.file({summary: 'OpenSSH known_hosts file.', description: 'Default: ~/.ssh/known_hosts.'}),
    'accept-new': Flags.boolean({summary: 'Record the key of hosts not yet in known_hosts (a changed key still fails).'}),
    concurrency: Flags.integer({summary: 'Hosts discovered at the same time.', default: 10, min: 1, max: 256}),
    timeout: Flags.string({summary: 'Per-host limit to connect and read the inventory.', default: '30s'}),
    sample: Flags.string({summary: 'Also sample utilisation for this long (e.g. 10m).'}),
    'sample-interval': Flags.string({summary: 'Time between samples.', default: '30s'}),
    'out-dir': Flags.directory({summary: 'Also write one agent file per host here.'}),
    import: Flags.boolean({summary: 'Import into the workspace.', default: true, allowNo: true}),
  }

  public async run(): Promise<DiscoverSshResult> {
    const f = this.flags
    const quiet = this.jsonEnabled()
    const sample = f.sample
      ? {durationMs: parseDuration(f.sample, 'sample'), intervalMs: parseDuration(f['sample-interval'], 'sample-interval')}
      : undefined
    const result = await runDiscovery({
      ...(this.args.hosts ? {hostsFile: this.args.hosts} : {}),
      cidrs: f.cidr ?? [],
      ...(f.user ? {user: f.user} : {}),
      port: f.port,
      ...(f.key ? {keyFile: f.key} : {}),
      ...(f['known-hosts'] ? {knownHostsFile: f['known-hosts']} : {}),
      acceptNew: f['accept-new'],
      concurrency: f.concurrency,
      timeoutMs: parseDuration(f.timeout, 'timeout'),
      ...(sample ? {sample} : {}),
      ...(f['out-dir'] ? {outDir: f['out-dir']} : {}),
      ...(f.import ? {workspace: this.openWorkspace({create: true})} : {}),
      ...(process.env.SSH_AUTH_SOCK ? {agentSocket: process.env.SSH_AUTH_SOCK} : {}),
      version: this.config.version,
      onHost: (h) => quiet || process.stderr.write(`${h.host}:${h.port} ${h.status}${h.error ? ` ${h.error.code}` : ''}\n`),
    })
    if (result.failed > 0 || result.knownHostsErrors) process.exitCode = 1
    this.log(renderDiscovery(result))
    return result
  }
}
