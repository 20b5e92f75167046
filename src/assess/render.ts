/** Human summary of an Assessment for `assess` (text tables). Pure: a document in, a string out. */
import {renderTable} from '../cli/format.js'
import type {Assessment, ServerAssessment} from '../model/assessment.js'

const usd = (n: number | undefined): string | undefined =>
  n === undefined ? undefined : n.toLocaleString('en-US', {minimumFractionDigits: 2, maximumFractionDigits: 2})
const int = (n: number | undefined): string | undefined => (n === undefined ? undefined : Math.round(n).toLocaleString('en-US'))

/** Fit from which a server is listed as a Lambda candidate (with its break-even). */
export const LAMBDA_CANDIDATE_FIT = 0.5

/** Servers moving to AWS for which Lambda is a real option (not blocked, fit at least 0.5), most fitting first. */
export function lambdaCandidates(a: Assessment): ServerAssessment[] {
  return a.servers
    .filter(
      (s) =>
        s.strategy !== 'retire' && s.strategy !== 'retain' && !s.compute.lambda.blocked && s.compute.lambda.score >= LAMBDA_CANDIDATE_FIT,
    )
    .sort((x, y) => y.compute.lambda.score - x.compute.lambda.score || (x.name < y.name ? -1 : x.name > y.name ? 1 : 0))
}

export function renderSummary(a: Assessment, opts: {maxCandidates?: number} = {}): string {
  const s = a.summary
  const out: string[] = []
  out.push(
    `Assessment of ${s.servers} servers in ${a.region} (catalog ${a.catalog.version}, rules ${a.rules.version}${a.rules.userFile ? ` + ${a.rules.userFile}` : ''}, as of ${a.asOf})`,
  )
  out.push('')
  out.push(
    renderTable(s.byStrategyTarget, [
      {header: 'strategy', get: (r) => r.strategy},
      {header: 'target', get: (r) => r.target},
      {header: 'servers', get: (r) => r.servers, align: 'right'},
    ]),
  )
  out.push('')
  const unavailable = new Map<string, string>()
  for (const srv of a.servers)
    for (const m of srv.ec2?.models ?? []) if (m.unavailable && !unavailable.has(m.model)) unavailable.set(m.model, m.unavailable)
  out.push(
    renderTable(s.monthly, [
      {header: 'pricing model', get: (m) => m.model},
      {header: 'USD/month', get: (m) => (m.pricedServers > 0 ? usd(m.monthlyUsd) : undefined), align: 'right'},
      {header: 'priced', get: (m) => m.pricedServers, align: 'right'},
      {header: 'not priced', get: (m) => m.unpricedServers, align: 'right'},
      {header: 'storage unpriced', get: (m) => m.incompleteServers, align: 'right'},
      {
        header: 'note',
        get: (m) => (m.pricedServers === 0 || m.unpricedServers > 0 ? shorten(a.catalog.unavailable?.[m.model]) : undefined),
      },
    ]),
  )
  const unpriced = Object.entries(s.unpricedTargets)
  if (unpriced.length > 0)
    out.push(
      `\nTargets without prices in the catalog: ${unpriced.map(([t, n]) => `${t} ${n}`).join(', ')} (for managed services, what the server would cost rehosted on EC2 is in --json)`,
    )
  const f = s.findings
  out.push(`\nFindings: ${f.high ?? 0} high, ${f.medium ?? 0} medium, ${f.low ?? 0} low, ${f.info ?? 0} info`)
  if (s.tco) {
    const parts = Object.entries(s.tco.aws3yrUsd).map(
      ([m, v]) => `${m} ${usd(v)} (saves ${usd(s.tco!.savings3yrUsd[m as keyof typeof s.tco.savings3yrUsd])})`,
    )
    out.push(
      `3-year TCO over ${s.tco.servers} servers with an on-premises cost: on-premises ${usd(s.tco.onPremises3yrUsd)} USD; AWS ${parts.length > 0 ? parts.join('; ') : 'not fully priced under any model'}`,
    )
  }
  const candidates = lambdaCandidates(a)
  if (candidates.length > 0) {
    const max = opts.maxCandidates ?? 20
    out.push(
      `\nLambda candidates (EC2 on-demand vs Lambda at the estimated volume; break-even = requests/month at which they cost the same):`,
    )
    out.push(
      renderTable(candidates.slice(0, max), [
        {header: 'server', get: (x) => x.name},
        {header: 'fit', get: (x) => x.compute.lambda.score.toFixed(2), align: 'right'},
        {header: 'requests/month', get: (x) => int(x.compute.lambda.estimate.requestsPerMonth), align: 'right'},
        {header: 'Lambda USD/mo', get: (x) => usd(x.compute.lambda.estimate.monthlyUsd), align: 'right'},
        {header: 'EC2 USD/mo', get: (x) => usd(x.compute.ec2.monthlyUsd), align: 'right'},
        {header: 'break-even req/mo', get: (x) => int(x.compute.lambda.estimate.breakEvenRequestsPerMonth), align: 'right'},
        {header: 'strategy', get: (x) => `${x.strategy} → ${x.target.service}`},
      ]),
    )
    if (candidates.length > max) out.push(`… ${candidates.length - max} more in --json`)
  }
  for (const d of a.diagnostics) out.push(`\nwarning: ${d.message}`)
  return out.join('\n')
}

function shorten(s: string | undefined): string | undefined {
  if (!s) return undefined
  return s.includes('not available offline') ? 'not available offline' : s
}
