import { existsSync, mkdirSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@taskmarket/chain'
import { type Browser, type Locator, type Page, chromium } from 'playwright-core'
import { expect } from 'vitest'
import { spawnMarket } from '../../cli/test/spawnCli.ts'

/**
 * What the browser end-to-end tests share: a built web app, `taskmarket start` on a free port (or
 * E2E_BASE_URL), Debian's Chromium, screenshots in test-artifacts/screenshots/, and polling assertions.
 */
const webDir = join(import.meta.dirname, '..')
export const shots = join(webDir, '../..', 'test-artifacts', 'screenshots')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const PASSWORD = 'correct horse battery'

export type Harness = { base: string; browser: Browser; go: (page: Page, hash: string) => Promise<void>; close: () => Promise<void> }

/** Builds the app if needed, starts a market with `workers` local worker nodes and launches Chromium. */
export async function startHarness({ workers }: { workers: number }): Promise<Harness> {
  if (!existsSync(chromiumPath)) throw new Error(`no Chromium at ${chromiumPath}: install Debian's package (apt-get install -y chromium) or set CHROMIUM_PATH`)
  if (!existsSync(join(webDir, 'dist', 'index.html'))) {
    const { build } = await import('vite')
    await build({ configFile: join(webDir, 'vite.config.ts'), logLevel: 'warn' })
  }
  mkdirSync(shots, { recursive: true })
  let market: Awaited<ReturnType<typeof spawnMarket>> | undefined
  let base = process.env.E2E_BASE_URL ?? ''
  if (!base) {
    const port = await freePort()
    const home = mkdtempSync(join(tmpdir(), 'taskmarket-web-'))
    market = await spawnMarket(['--port', String(port), '--home', home, '--workers', String(workers)])
    base = `http://localhost:${port}`
  }
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  })
  return {
    base,
    browser,
    async go(page, hash) {
      await page.goto(`${base}/#${hash}`)
      await page.locator('main h1').first().waitFor()
    },
    async close() {
      await browser.close()
      if (market) {
        market.child.kill('SIGINT')
        await market.exited
      }
    },
  }
}

/** Screenshots the whole page at each width; waits for the page's own loading states to settle. */
export async function snap(page: Page, name: string, widths: readonly number[] = [1280, 375]) {
  const before = page.viewportSize()
  for (const width of widths) {
    await page.setViewportSize({ width, height: width === 375 ? 812 : 900 })
    await page.evaluate(() => window.scrollTo(0, 0))
    await page.waitForTimeout(250)
    await page.locator('.loading').first().waitFor({ state: 'detached', timeout: 15_000 }).catch(() => {})
    await page.screenshot({ path: join(shots, `${name}-${width}.png`), fullPage: true })
  }
  if (before) await page.setViewportSize(before)
}

/** Polls a locator's text (playwright-core has no assertions of its own; vitest's expect.poll retries). */
export const text = (loc: Locator, timeout = 10_000) =>
  expect.poll(async () => (await loc.first().textContent({ timeout: 500 }).catch(() => null)) ?? '', { timeout, interval: 250 })
export const classes = (loc: Locator, timeout = 10_000) =>
  expect.poll(async () => (await loc.first().getAttribute('class', { timeout: 500 }).catch(() => null)) ?? '', { timeout, interval: 250 })
export const visible = (loc: Locator, timeout = 10_000) => loc.first().waitFor({ state: 'visible', timeout })

/** Collects page errors and console errors but the 401 of the signed-out session check and `allow`. */
export function watchProblems(page: Page, allow: RegExp[] = []): string[] {
  const problems: string[] = []
  const expected = [/401 \(Unauthorized\)/, /WebSocket is closed before/, ...allow]
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))
  page.on('console', (m) => {
    if (m.type() === 'error' && !expected.some((r) => r.test(m.text()))) problems.push(`console: ${m.text()}`)
  })
  return problems
}

/** Creates a wallet in this browser context and signs in with it; returns its address. */
export async function signUp(harness: Harness, page: Page): Promise<string> {
  await harness.go(page, '/signin')
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  await page.getByLabel('Repeat the password').fill(PASSWORD)
  await page.getByRole('button', { name: 'Create wallet and sign in' }).click()
  await page.waitForURL(/#\/wallet/, { timeout: 30_000 })
  const address = await page.locator('.lead .hex code').first().getAttribute('title')
  expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/)
  return address!
}

/** On the wallet page of a freshly signed-up account: tokens from the faucet, some deposited to escrow. */
export async function fundEscrow(page: Page, { faucet, deposit }: { faucet: number; deposit: number }) {
  await page.getByRole('radio', { name: 'Faucet' }).click()
  await page.getByLabel('Amount (TASK)').fill(String(faucet))
  await page.getByRole('button', { name: 'Get test tokens' }).click()
  await classes(page.locator('.tx-step', { hasText: 'from the faucet' }), 60_000).toContain('tx-mined')
  await page.getByRole('radio', { name: 'Deposit' }).click()
  await page.getByLabel('Amount (TASK)').fill(String(deposit))
  await page.getByRole('button', { name: 'Deposit to escrow' }).click()
  await classes(page.locator('.tx-step', { hasText: `Deposit ${deposit} TASK` }), 60_000).toContain('tx-mined')
}

/** The "Escrow balance" stat of the wallet page, as shown ("4.6 TASK"). */
export async function escrowBalance(harness: Harness, page: Page): Promise<string> {
  await harness.go(page, '/wallet')
  const stat = page.locator('.stat', { hasText: 'Escrow balance' }).locator('.stat-value')
  await visible(stat, 20_000)
  return ((await stat.textContent()) ?? '').trim()
}
