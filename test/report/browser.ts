/**
 * Real Chromium for the report tests: Debian's /usr/bin/chromium driven by playwright-core (never a
 * downloaded browser), pages with their console errors, page errors and dialogs collected, and a
 * pixel check that decodes a screenshot in the browser itself.
 */
import {existsSync, readFileSync} from 'node:fs'
import {join} from 'node:path'

import {chromium, type Browser, type Page} from 'playwright-core'

import {ROOT} from '../helpers/cli.js'

export const CHROMIUM = '/usr/bin/chromium'
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium; .ci/run does)`)
  return chromium.launch({executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS})
}

export interface OpenedPage {
  readonly page: Page
  /** Console errors and uncaught page errors. */
  readonly errors: string[]
  /** alert/confirm/prompt dialogs that fired (and were dismissed). */
  readonly dialogs: string[]
  /** Requests the page tried to make other than the file itself. */
  readonly requests: string[]
  close(): Promise<void>
}

export async function openReport(
  browser: Browser,
  file: string,
  options: {bypassCSP?: boolean; initScript?: string} = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({viewport: {width: 1300, height: 900}, bypassCSP: options.bypassCSP ?? false})
  const page = await context.newPage()
  if (options.initScript) await page.addInitScript(options.initScript)
  const errors: string[] = []
  const dialogs: string[] = []
  const requests: string[] = []
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text())
  })
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`))
  page.on('dialog', (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`)
    void d.dismiss()
  })
  page.on('request', (r) => {
    if (r.url() !== `file://${file}`) requests.push(r.url())
  })
  await page.goto(`file://${file}`, {waitUntil: 'load'})
  // The per-application pictures are unpacked after the load event.
  await page.waitForFunction(`(() => {
    const holder = document.getElementById('app-picture')
    return !holder || holder.hasAttribute('data-ready')
  })()`)
  return {page, errors, dialogs, requests, close: () => context.close()}
}

export interface PixelStats {
  readonly width: number
  readonly height: number
  /** Variance of the luminance (0 for a uniform image). */
  readonly variance: number
  /** Distinct colours (quantised to 4 bits per channel). */
  readonly colours: number
}

/** Decode a PNG screenshot in a blank page (canvas) and measure how much is drawn in it. */
export async function pixelStats(browser: Browser, png: Buffer): Promise<PixelStats> {
  const page = await browser.newPage()
  try {
    // A string, evaluated in the page: it runs in the browser, where Image and canvas exist.
    return (await page.evaluate(`(async () => {
      const img = new Image()
      img.src = 'data:image/png;base64,${png.toString('base64')}'
      await img.decode()
      const canvas = document.createElement('canvas')
      canvas.width = img.width
      canvas.height = img.height
      const ctx = canvas.getContext('2d')
      ctx.drawImage(img, 0, 0)
      const d = ctx.getImageData(0, 0, img.width, img.height).data
      let sum = 0, sq = 0
      const colours = new Set()
      const n = d.length / 4
      for (let i = 0; i < d.length; i += 4) {
        const y = 0.2126 * d[i] + 0.7152 * d[i + 1] + 0.0722 * d[i + 2]
        sum += y
        sq += y * y
        colours.add(((d[i] >> 4) << 8) | ((d[i + 1] >> 4) << 4) | (d[i + 2] >> 4))
      }
      const mean = sum / n
      return {width: img.width, height: img.height, variance: sq / n - mean * mean, colours: colours.size}
    })()`)) as PixelStats
  } finally {
    await page.close()
  }
}

/** axe-core from node_modules, injected by evaluation (the report's CSP would refuse a script tag). */
export const AXE_SOURCE = readFileSync(join(ROOT, 'node_modules/axe-core/axe.min.js'), 'utf8')
