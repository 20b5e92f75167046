import {Flags} from '@oclif/core'

import {BaseCommand} from '../src/cli/base-command.js'
import {TOKEN_ENV} from '../src/collect/options.js'
import {checkToken, parseSize, readTls} from '../src/serve/options.js'
import {DEFAULT_MAX_BYTES, IngestServer, type IngestStats} from '../src/serve/server.js'

export interface ServeResult extends IngestStats {
  readonly url: string
  readonly workspace: string
}

export default class Serve extends BaseCommand<typeof Serve> {
  static override summary = 'Receive agent pushes over HTTP(S) and write them into the workspace.'
  static override description = `Agents (\`collect --push URL\`) POST their files to /v1/agent-files with "Authorization: Bearer <token>". Each accepted payload becomes one source, through the same path as \`import\`; the same payload twice is stored once. GET /health answers {"status":"ok"}. SIGINT/SIGTERM stop it gracefully: in-flight payloads are written first. See docs/serve.md.`
  static override examples = [
    {
      description: 'Listen on all interfaces with TLS',
      command: `${TOKEN_ENV}=$(openssl rand -hex 32) <%= config.bin %> <%= command.id %> --host 0.0.0.0 --cert server.pem --key server.key`,
    },
    {description: 'Local test on a free port', command: '<%= config.bin %> <%= command.id %> --port 0 --token 0123456789abcdef0123'},
  ]
  static override flags = {
    host: Flags.string({summary: 'Address to listen on (0.0.0.0 for every interface).', default: '127.0.0.1'}),
    port: Flags.integer({summary: 'Port; 0 picks a free one.', default: 8443, min: 0, max: 65535}),
    token: Flags.string({summary: `Bearer token agents must send (prefer the ${TOKEN_ENV} environment variable).`, env: TOKEN_ENV}),
    cert: Flags.file({summary: 'TLS certificate (PEM); with --key, serve HTTPS.', exists: true}),
    key: Flags.file({summary: 'TLS private key (PEM).', exists: true}),
    'max-size': Flags.string({summary: 'Largest accepted payload.', default: `${DEFAULT_MAX_BYTES / 1024 / 1024}MiB`}),
  }

  public async run(): Promise<ServeResult> {
    const f = this.flags
    const token = checkToken(f.token, TOKEN_ENV)
    const tls = readTls(f.cert, f.key)
    const ws = this.openWorkspace({create: true})
    const quiet = this.jsonEnabled()
    const server = await IngestServer.start({
      workspace: ws,
      token,
      host: f.host,
      port: f.port,
      maxBytes: parseSize(f['max-size'], 'max-size'),
      ...(tls ? {tls} : {}),
      log: (line) => quiet || process.stderr.write(`${line}\n`),
    })
    const url = server.url
    process.stderr.write(`listening on ${url} (workspace ${ws.dir})\n`)
    if (!tls && !/^127\.|^::1$|^localhost$/.test(f.host))
      process.stderr.write('warning: no TLS; the token and inventory travel in clear text\n')
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve)
      process.once('SIGTERM', resolve)
    })
    process.stderr.write('shutting down: finishing in-flight payloads\n')
    const stats = await server.close()
    const result: ServeResult = {url, workspace: ws.dir, ...stats}
    this.log(
      `${stats.imported} imported, ${stats.unchanged} unchanged, ${stats.unauthorized} unauthorized, ${stats.invalid} invalid, ${stats.failed} failed`,
    )
    return result
  }
}
