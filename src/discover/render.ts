/** Human output of `discover ssh`. Pure. */
import {renderTable} from '../cli/format.js'
import type {DiscoverSshResult} from './run.js'

export function renderDiscovery(result: DiscoverSshResult): string {
  const table = renderTable(result.hosts, [
    {header: 'host', get: (h) => `${h.user}@${h.host}:${h.port}`},
    {header: 'outcome', get: (h) => (h.status === 'ok' ? `ok${h.hostKey === 'recorded' ? ' (key recorded)' : ''}` : h.error!.code)},
    {header: 'name', get: (h) => h.hostname},
    {header: 'detail', get: (h) => (h.error ? `${h.error.message}${h.error.hint ? ` — ${h.error.hint}` : ''}` : h.imported)},
  ])
  const where = result.workspace ? `; ${result.totalServers} servers in ${result.workspace}` : ''
  const keys = (result.knownHostsErrors ?? []).map((e) => `\ncould not record a host key in ${result.knownHosts}: ${e}`).join('')
  return `${table}\n\n${result.ok} ok, ${result.failed} failed${where}${keys}`
}
