import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { devAccount } from '@taskmarket/chain'
import { createClient } from '@taskmarket/sdk'
import type { BrowserContext, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { bin } from '../../cli/test/spawnCli.ts'
import { type Harness, classes, signUp, snap, startHarness, text, visible, watchProblems } from './harness.ts'

/**
 * The first hour of a newcomer (issue 10) against `taskmarket start --workers 0`: sign up, faucet, deposit,
 * post a small rendering from the form and read why it waits (2 distinct workers needed, 0 online), start
 * two workers with the CLI as the page says, watch it complete live and download the PNG; a rendering of
 * 48 tiles, whose page stays short with its records paged (screenshots and page heights at 1280 and 375 px);
 * and a poll with a gold question that the form refuses unmarked, where a voter who misses it is told
 * they were not counted; the marketplace found by search and sorted by reward and distance.
 */
const DESKTOP = { width: 1280, height: 900 }
let harness: Harness
let page: Page
let problems: string[]
const contexts: BrowserContext[] = []
const workers: ChildProcess[] = []

beforeAll(async () => {
  harness = await startHarness({ workers: 0 })
  const context = await harness.browser.newContext({ viewport: DESKTOP, acceptDownloads: true })
  contexts.push(context)
  page = await context.newPage()
  problems = watchProblems(page)
}, 180_000)

afterAll(async () => {
  for (const w of workers) w.kill('SIGINT')
  for (const c of contexts) await c.close().catch(() => {})
  await harness?.close()
}, 60_000)

/** `taskmarket worker` as a newcomer runs it: a fresh key, onboarded (staked, registered) on its first run. */
function startWorker() {
  const key = join(mkdtempSync(join(tmpdir(), 'tm-web-node-')), 'node.key')
  const child = spawn(process.execPath, [bin, 'worker', '--server', harness.base, '--key', key, '--kinds', 'rendering', '--concurrency', '1', '--grace', '0'], { stdio: 'ignore' })
  workers.push(child)
}

/** Posts a rendering of the Cornell box from the form: tiles of 32 px, 1 sample per pixel. */
async function postRendering(resolution: string, reward: string) {
  const [width, height] = resolution.split('x') as [string, string]
  await harness.go(page, '/tasks/new')
  await page.getByLabel('Scene', { exact: true }).selectOption('example:cornell')
  await page.getByLabel('Width', { exact: true }).fill(width)
  await page.getByLabel('Height', { exact: true }).fill(height)
  await page.getByLabel('Tile size', { exact: true }).fill('32')
  await page.getByLabel('Samples per pixel', { exact: true }).fill('1')
  await page.getByLabel('Reward (TASK)').fill(reward)
  await page.getByRole('button', { name: 'Post task' }).click()
}

/** The page's full height in CSS pixels at a width. */
async function heightAt(width: number) {
  await page.setViewportSize({ width, height: width === 375 ? 812 : 900 })
  await page.waitForTimeout(300)
  return page.evaluate(() => document.documentElement.scrollHeight)
}

describe('the first hour in Chromium', () => {
  it('signs up, funds, posts a rendering, reads why it waits, starts two workers, sees it complete and downloads it', { timeout: 600_000 }, async () => {
    await signUp(harness, page)

    // Faucet: the balance and the history row arrive together (the history no longer trails by seconds).
    await page.getByRole('radio', { name: 'Faucet' }).click()
    await page.getByLabel('Amount (TASK)').fill('1000')
    await page.getByRole('button', { name: 'Get test tokens' }).click()
    await classes(page.locator('.tx-step', { hasText: 'from the faucet' }), 60_000).toContain('tx-mined')
    await text(page.locator('.stat', { hasText: 'In your wallet' }).locator('.stat-value'), 20_000).toBe('1,000 TASK')
    await visible(page.locator('tr[data-event="FaucetDripped"]'), 1_500)
    await page.getByRole('radio', { name: 'Deposit' }).click()
    await page.getByLabel('Amount (TASK)').fill('200')
    await page.getByRole('button', { name: 'Deposit to escrow' }).click()
    await classes(page.locator('.tx-step', { hasText: 'Deposit 200 TASK' }), 60_000).toContain('tx-mined')
    await text(page.locator('.stat', { hasText: 'Escrow balance' }).locator('.stat-value'), 20_000).toBe('200 TASK')
    await visible(page.locator('tr[data-event="Deposited"]'), 1_500)

    // A small rendering from the form: the market warns that no online worker runs it.
    await postRendering('64x64', '4')
    await text(page.getByTestId('posted'), 60_000).toContain('no online worker runs rendering jobs now')
    await snap(page, 'first-01-posted-warning')
    await page.getByRole('button', { name: 'Open the task' }).click()
    await page.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/)

    // The task page says why it waits, live: two distinct workers are needed, none is online.
    const waiting = page.getByTestId('waiting')
    await text(waiting, 60_000).toContain('needs 2 distinct workers running rendering jobs; 0 online')
    await text(page.getByTestId('workers-online')).toBe('0')
    await text(waiting).toContain(`npx taskmarket worker --server ${new URL(harness.base).origin}`)
    await snap(page, 'first-02-waiting')

    // Two workers, started as the page says: the count moves, then the task runs and completes live.
    startWorker()
    startWorker()
    // The count moves (or, when both come online between two of the page's polls, the notice goes at once).
    await text(page.getByTestId('workers-online'), 120_000).toMatch(/^[12]?$/)
    await waiting.waitFor({ state: 'detached', timeout: 120_000 })
    const image = page.getByTestId('result-image')
    await visible(image, 180_000)
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBe(64)
    await text(page.getByTestId('task-status'), 120_000).toContain('Completed')
    await text(page.getByTestId('task-timing')).not.toContain('deadline')

    // The image downloads as a PNG.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PNG' }).click()])
    const png = readFileSync((await download.path())!)
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

    // Idle online workers count as active.
    await harness.go(page, '/nodes')
    await text(page.getByTestId('nodes-online'), 30_000).toContain('2 of 2 online')
    await harness.go(page, '/network')
    await text(page.locator('.stat', { hasText: 'Active workers' }).locator('.stat-value'), 30_000).toMatch(/^2\s*$/)
    await snap(page, 'first-03-network')
  })

  it('keeps the page of a 48-tile rendering short: its job records are paged', { timeout: 600_000 }, async () => {
    await postRendering('256x192', '48')
    // Workers are online now: no warning, straight to the task.
    await page.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    await text(page.getByTestId('task-status'), 300_000).toContain('Completed')
    await text(page.getByTestId('proof-summary'), 60_000).toMatch(/✓ (\d+) of \1 records verified/)
    const records = Number(/of (\d+) records/.exec((await page.getByTestId('proof-summary').textContent())!)![1])
    expect(records).toBeGreaterThanOrEqual(96)
    // Collapsed to the summary, then ten a page, then all of them (the page as it was before).
    expect(await page.locator('.table-stack tbody tr').count()).toBe(0)
    const collapsed = { desktop: await heightAt(1280), phone: await heightAt(375) }
    await snap(page, 'first-04-48-tiles')
    await page.setViewportSize(DESKTOP)
    await page.getByRole('button', { name: `Show the ${records} records` }).click()
    expect(await page.locator('.table-stack tbody tr').count()).toBe(10)
    const paged = { desktop: await heightAt(1280), phone: await heightAt(375) }
    await snap(page, 'first-05-48-tiles-records-paged')
    await page.setViewportSize(DESKTOP)
    await page.getByRole('button', { name: `Show all ${records}` }).click()
    const all = { desktop: await heightAt(1280), phone: await heightAt(375) }
    await page.setViewportSize(DESKTOP)
    console.log(`48-tile task page height (1280 / 375 px): records collapsed ${collapsed.desktop} / ${collapsed.phone}; paged ${paged.desktop} / ${paged.phone}; all ${records} shown ${all.desktop} / ${all.phone}`)
    expect(collapsed.desktop).toBeLessThan(1750)
    expect(paged.desktop).toBeLessThan(2300)
    expect(all.desktop - paged.desktop).toBeGreaterThan(2000)
    await page.getByRole('button', { name: 'Show 10 per page' }).click()
    await page.getByRole('button', { name: 'Next →' }).click()
    await text(page.getByRole('navigation', { name: 'Pages of records' })).toContain('Page 2 of')
  })

  it('refuses a gold question without a marked answer, and tells a voter who missed it that they were not counted', { timeout: 300_000 }, async () => {
    await harness.go(page, '/tasks/new')
    await page.locator('label.kind', { hasText: 'Poll' }).click()
    await page.getByLabel('Question', { exact: true }).first().fill('Which logo reads best?')
    await page.getByRole('textbox', { name: 'Option 1' }).fill('Round')
    await page.getByRole('textbox', { name: 'Option 2' }).fill('Square')
    await page.getByLabel('Respondents').fill('2')
    await page.getByLabel('Reward (TASK)').fill('2')
    await page.getByRole('button', { name: '+ Add a gold question' }).click()
    await page.locator('[id="payload.gold.0.question"]').fill('How many legs has a cat?')
    await page.getByRole('textbox', { name: 'Answer 1' }).fill('three')
    await page.getByRole('textbox', { name: 'Answer 2' }).fill('four')
    expect(await page.getByRole('radio', { name: /^Answer \d is right$/, checked: true }).count()).toBe(0)
    await page.getByRole('button', { name: 'Post task' }).click()
    await text(page.locator('[id="payload.gold.0.answer-error"]')).toBe('Mark the right answer')
    await snap(page, 'first-06-gold-unmarked', [375])
    await page.getByRole('radio', { name: 'Answer 2 is right' }).check()
    await page.getByRole('button', { name: 'Post task' }).click()
    await page.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    const taskId = page.url().split('/').pop()!

    // A voter in another browser sees an Open poll and misses the gold question.
    const context = await harness.browser.newContext({ viewport: { width: 375, height: 812 } })
    contexts.push(context)
    const voter = await context.newPage()
    problems.push(...watchProblems(voter))
    await signUp(harness, voter)
    await harness.go(voter, `/tasks/${taskId}`)
    await visible(voter.getByRole('button', { name: 'Vote' }), 60_000)
    await text(voter.locator('.lead .badge').first()).toBe('Open')
    await voter.locator('label.choice', { hasText: 'Round' }).click()
    await voter.locator('.gold-question label.choice', { hasText: 'three' }).click()
    await voter.getByRole('button', { name: 'Vote' }).click()
    await visible(voter.getByTestId('my-vote'), 20_000)

    // The second vote, right on the gold question, closes the poll.
    const { chain_id: chainId } = await createClient({ baseUrl: harness.base }).market.config()
    const other = createClient({ baseUrl: harness.base })
    await other.auth.signIn(devAccount(24), { chainId })
    expect(await other.polls.vote(taskId, 1, [1])).toMatchObject({ accepted: true, closed: true })

    const standing = voter.getByTestId('my-standing')
    await text(standing, 30_000).toContain('Your vote was not counted')
    await text(standing).toContain('you missed the check question')
    await text(voter.getByTestId('poll-paid')).toContain('1 screened out by the gold questions')
    await snap(voter, 'first-07-screened-out', [375])
  })

  it('finds tasks in the marketplace by search and sort, with the pay, time and distance of a manual task', { timeout: 300_000 }, async () => {
    await harness.go(page, '/tasks/new')
    await page.locator('label.kind', { hasText: 'Manual task' }).click()
    await page.getByLabel('Title').fill('Deliver a parcel to the town hall')
    await page.getByLabel('What to do').fill('Pick up the parcel at the kiosk and hand it to the front desk.')
    await page.getByLabel('The work happens at a place').check()
    await page.getByLabel('Latitude').fill('52.518611')
    await page.getByLabel('Longitude').fill('13.408333')
    await page.getByLabel('Assignments').fill('2')
    await page.getByLabel('Reward (TASK)').fill('10')
    await page.getByRole('button', { name: 'Post task' }).click()
    await page.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    await text(page.getByTestId('slots'), 30_000).toBe('2 of 2 open')
    await text(page.locator('.lead .badge').first()).toBe('Open')

    await harness.go(page, '/market')
    await page.getByLabel('Search').fill('parcel')
    await page.getByLabel('Search').press('Enter')
    await text(page.getByTestId('market-count'), 20_000).toBe('1 task')
    const row = page.locator('.task-row', { hasText: 'Deliver a parcel' })
    await text(row.getByTestId('task-terms'), 20_000).toBe('4.6 TASK per assignment · 120 min to do it · 2 of 2 open')
    await text(row.locator('.badge')).toBe('Open')
    await page.getByLabel('Search').fill('')
    await page.getByLabel('Search').press('Enter')
    await page.getByLabel('Sort').selectOption('reward')
    await text(page.locator('.task-row').first(), 20_000).toContain('48')
    // Nearest first, from where the browser says it is (about 40 m away).
    await page.context().grantPermissions(['geolocation'])
    await page.context().setGeolocation({ latitude: 52.5189, longitude: 13.4086, accuracy: 10 })
    await page.getByLabel('Sort').selectOption('distance')
    await text(page.locator('.task-row').first().getByTestId('task-terms'), 30_000).toMatch(/· \d+ m away$/)
    await snap(page, 'first-08-market-nearest')
    expect(problems).toEqual([])
  })
})
