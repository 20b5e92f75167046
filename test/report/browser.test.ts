/**
 * The report in real Chromium: it loads without console or page errors and without a single
 * request, its key figures are the Assessment's, its charts draw something, the server table
 * searches, sorts and pages, the application pictures draw, hostile names stay text and run
 * nothing, and axe-core finds no serious or critical accessibility violation.
 */
import {writeFileSync} from 'node:fs'
import {join} from 'node:path'

import type {Browser} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'

import {loadReportDocuments} from '../../src/pipeline.js'
import {joinServers, type ReportDocuments} from '../../src/report/documents.js'
import {int, pct, usd} from '../../src/report/format.js'
import {renderReport} from '../../src/report/html.js'
import {loadReportTemplates} from '../../src/report/templates.js'
import {tempDir} from '../helpers/cli.js'
import {AXE_SOURCE, launch, openReport, pixelStats, type OpenedPage} from './browser.js'
import {acmeWorkspace, HOSTILE_NAMES, hostileWorkspace} from './helpers.js'

let tmp: ReturnType<typeof tempDir>
let browser: Browser
let acme: ReportDocuments
let hostile: ReportDocuments
let acmeFile: string
let hostileFile: string

beforeAll(async () => {
  tmp = tempDir('mp-report-browser-')
  const a = await acmeWorkspace(join(tmp.dir, 'acme'))
  const h = await hostileWorkspace(join(tmp.dir, 'hostile'))
  acme = loadReportDocuments(a, {applications: true})
  hostile = loadReportDocuments(h, {applications: true})
  a.close()
  h.close()
  const templates = loadReportTemplates()
  acmeFile = join(tmp.dir, 'acme.html')
  hostileFile = join(tmp.dir, 'hostile.html')
  writeFileSync(acmeFile, renderReport(acme, templates).html)
  writeFileSync(hostileFile, renderReport(hostile, templates).html)
  browser = await launch()
}, 240_000)
afterAll(async () => {
  await browser?.close()
  tmp.cleanup()
})

const figure = async (p: OpenedPage, name: string): Promise<{value: string; text: string}> => {
  const el = p.page.locator(`[data-figure="${name}"]`).first()
  return {value: (await el.getAttribute('data-value')) ?? '', text: (await el.textContent())?.trim() ?? ''}
}

const tableRows = (p: OpenedPage): Promise<string[][]> =>
  p.page.$$eval('#server-table tbody tr', (trs) => trs.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent ?? '')))

describe('the Acme report in Chromium', () => {
  let p: OpenedPage
  beforeAll(async () => {
    p = await openReport(browser, acmeFile)
  })
  afterAll(async () => p?.close())

  it('loads with no console errors, no page errors and no requests', () => {
    expect(p.errors).toEqual([])
    expect(p.dialogs).toEqual([])
    expect(p.requests).toEqual([])
  })

  it('shows the Assessment’s figures', async () => {
    const s = acme.assessment.summary
    const od = s.monthly.find((m) => m.model === 'on-demand')!
    expect(await figure(p, 'servers')).toEqual({value: String(s.servers), text: int(s.servers)})
    expect(await figure(p, 'monthly-on-demand')).toEqual({value: String(od.monthlyUsd), text: usd(od.monthlyUsd)})
    expect(await figure(p, 'three-year-on-demand')).toEqual({value: String(od.monthlyUsd * 36), text: usd(od.monthlyUsd * 36)})
    expect(await figure(p, 'on-premises-3yr')).toEqual({value: String(s.tco!.onPremises3yrUsd), text: usd(s.tco!.onPremises3yrUsd)})
    for (const [strategy, n] of Object.entries(s.byStrategy))
      expect(await figure(p, `strategy-${strategy}`)).toEqual({value: String(n), text: int(n)})
    for (const [target, n] of Object.entries(s.byTarget))
      expect(await figure(p, `target-${target}`)).toEqual({value: String(n), text: int(n)})
    for (const [sev, n] of Object.entries(s.findings)) expect(await figure(p, `findings-${sev}`)).toEqual({value: String(n), text: int(n)})
    const vcpus = acme.assessment.servers.reduce((a, x) => a + (x.sizing.cpu.allocated ?? 0), 0)
    expect((await figure(p, 'vcpus')).value).toBe(String(vcpus))
    const measured = acme.inventory!.filter((i) => i.utilisation === 'measured').length
    expect(await figure(p, 'measured-share')).toEqual({value: String(measured / s.servers), text: pct(measured / s.servers)})
    const rows = await p.page.$$eval('#costs tbody tr', (trs) =>
      trs.map((tr) => [tr.getAttribute('data-model'), tr.querySelector('[data-figure=monthly]')?.getAttribute('data-value')]),
    )
    expect(rows).toEqual(s.monthly.map((m) => [m.model, String(m.monthlyUsd)]))
    const waveServers = await p.page.$$eval('[data-figure=wave-servers]', (tds) => tds.map((td) => Number(td.getAttribute('data-value'))))
    expect(waveServers).toEqual(acme.plan!.waves.map((w) => w.servers))
  })

  it('draws every chart (screenshots are not blank) and a blank area is detected as blank', async () => {
    const charts = [
      '#costs svg.chart',
      '#utilisation svg.chart',
      '#estate-graph svg',
      '#app-picture svg',
      '#waves svg.chart',
      '#landing-zone svg.chart',
    ]
    for (const sel of charts) {
      const el = p.page.locator(sel).first()
      await el.scrollIntoViewIfNeeded()
      const stats = await pixelStats(browser, await el.screenshot())
      expect(stats.width, sel).toBeGreaterThan(100)
      expect(stats.variance, sel).toBeGreaterThan(200)
      expect(stats.colours, sel).toBeGreaterThan(4)
    }
    await p.page.evaluate(`(() => {
      const d = document.createElement('div')
      d.id = 'blank-probe'
      d.style.cssText = 'width:300px;height:120px;background:#fff'
      document.body.prepend(d)
    })()`)
    const blank = await pixelStats(browser, await p.page.locator('#blank-probe').screenshot())
    expect(blank.variance).toBeLessThan(1)
    await p.page.evaluate(`document.getElementById('blank-probe').remove()`)
  })

  it('pages, searches and sorts the server table', async () => {
    const n = acme.assessment.servers.length
    expect(await tableRows(p)).toHaveLength(Math.min(50, n))
    await expect.poll(() => p.page.textContent('#table-status')).toBe(`Showing 1–50 of ${n} servers`)
    await p.page.click('#table-next')
    expect(await tableRows(p)).toHaveLength(n - 50)
    expect(await p.page.textContent('#table-page')).toBe('Page 2 of 2')
    await p.page.selectOption('#table-size', '25')
    expect(await tableRows(p)).toHaveLength(25)

    await p.page.fill('#table-search', 'payroll')
    const joined = joinServers(acme)
    const expected = joined.filter((j) =>
      [j.a.name, j.planned?.environment ?? j.inv?.environment, j.group?.name, j.a.strategy, j.a.target.service, j.inv?.os]
        .filter(Boolean)
        .some((t) => String(t).toLowerCase().includes('payroll')),
    )
    await expect.poll(async () => (await tableRows(p)).length).toBe(Math.min(25, expected.length))
    expect((await tableRows(p)).map((r) => r[0])).toEqual(expected.map((j) => j.a.name).slice(0, 25))
    expect(await p.page.textContent('#table-status')).toContain(`of ${expected.length} servers (filtered from ${n})`)

    await p.page.fill('#table-search', '')
    await expect.poll(async () => (await p.page.textContent('#table-status')) ?? '').toContain(`of ${n} servers`)
    const costHeader = p.page.locator('#server-table thead th', {hasText: 'On-demand $/month'}).locator('button')
    await costHeader.click()
    await costHeader.click()
    expect(await p.page.locator('#server-table thead th[aria-sort=descending]').textContent()).toBe('On-demand $/month')
    const top = Math.max(...acme.assessment.servers.map((x) => x.targetMonthlyUsd['on-demand'] ?? -1))
    expect((await tableRows(p))[0]![11]).toBe(usd(Math.round(top * 100) / 100, true))
    const nameHeader = p.page.locator('#server-table thead th', {hasText: 'Server'}).first().locator('button')
    await nameHeader.click()
    const names = (await tableRows(p)).map((r) => r[0]!)
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)))
  })

  it('draws the picture of the application chosen', async () => {
    const webshop = acme.plan!.groups.find((g) => g.name === 'webshop')!
    await p.page.fill('#app-search', 'websh')
    await p.page.click('#app-list button:text-is("webshop")')
    await expect.poll(() => p.page.locator('#app-picture svg g.app-node.member').count()).toBe(webshop.servers.length)
    expect(await p.page.textContent('#app-caption')).toContain(`webshop: ${webshop.servers.length} servers drawn`)
    expect(p.errors).toEqual([])
  })
})

describe('the hostile report in Chromium', () => {
  it('shows every name as text and runs nothing', async () => {
    const p = await openReport(browser, hostileFile)
    try {
      await p.page.fill('#table-search', '')
      const cells = (await tableRows(p)).flat()
      for (const name of HOSTILE_NAMES) expect(cells).toContain(name)
      const apps = await p.page.locator('#app-list button').count()
      for (let i = 0; i < apps; i++) await p.page.locator('#app-list button').nth(i).click()
      await p.page.fill('#table-search', '<script>')
      await expect
        .poll(async () => (await tableRows(p)).map((r) => r[0]))
        .toEqual(['</script><script>alert(2)</script>', '<script>alert(1)</script>'])
      const texts = await p.page.$$eval('#app-picture text, #estate-graph text, #app-list button', (els) => els.map((e) => e.textContent))
      expect(texts.join('\n')).toContain('"><img src=x onerror=alert(1)>'.slice(0, 20))
      expect(await p.page.locator('img').count()).toBe(0)
      expect(await p.page.locator('script').count()).toBe(3)
      expect(await p.page.locator('[onerror], [onload], [onclick]').count()).toBe(0)
      expect(await p.page.title()).toBe('Migration to AWS: <b>Evil</b> & Co {{constructor}}')
      expect(p.dialogs).toEqual([])
      expect(p.errors).toEqual([])
      expect(p.requests).toEqual([])
    } finally {
      await p.close()
    }
  })
})

describe('a browser without DecompressionStream', () => {
  it('says the pictures cannot be unpacked, and the table and figures still work', async () => {
    const p = await openReport(browser, acmeFile, {initScript: 'delete globalThis.DecompressionStream'})
    try {
      expect(await p.page.getAttribute('#app-picture', 'data-ready')).toBe('false')
      expect(await p.page.textContent('#app-picture')).toContain('cannot unpack the pictures')
      expect((await tableRows(p)).length).toBeGreaterThan(0)
      expect(p.errors).toEqual([])
    } finally {
      await p.close()
    }
  })
})

describe('accessibility (axe-core)', () => {
  it.each(['acme', 'hostile'])('the %s report has no serious or critical violations', async (which) => {
    const p = await openReport(browser, which === 'acme' ? acmeFile : hostileFile, {bypassCSP: true})
    try {
      await p.page.evaluate(AXE_SOURCE)
      const result = (await p.page.evaluate(
        `axe.run({runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})`,
      )) as {violations: {id: string; impact: string; help: string; nodes: {target: string[]}[]}[]}
      const serious = result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map(
          (v) =>
            `${v.impact} ${v.id}: ${v.help} (${v.nodes
              .slice(0, 3)
              .map((n) => n.target.join(' '))
              .join('; ')})`,
        )
      expect(serious).toEqual([])
    } finally {
      await p.close()
    }
  })
})
