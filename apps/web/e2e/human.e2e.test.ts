import { join } from 'node:path'
import { crc32, deflateSync } from 'node:zlib'
import { devAccount } from '@taskmarket/chain'
import { createClient } from '@taskmarket/sdk'
import type { BrowserContext, Locator, Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, escrowBalance, fundEscrow, shots, signUp, snap, startHarness, text, visible, watchProblems } from './harness.ts'

/**
 * Human work on a phone (375 × 812) against a real `taskmarket start` without worker nodes: a poster posts a
 * manual delivery task, a worker claims it, proves it (photo, location stamp, signature) and is paid once
 * the poster approves; then a poll answered by four people through the SDK and one in the browser pays its
 * majority. Screenshots go to test-artifacts/screenshots/human-*-375.png.
 */
const PHONE = { width: 375, height: 812 }
const TOWN_HALL = { latitude: 52.518611, longitude: 13.408333 }
/** About 40 m from the town hall: inside a 200 m radius. */
const NEARBY = { latitude: 52.5189, longitude: 13.4086, accuracy: 12 }

let harness: Harness
let poster: Page
let worker: Page
let workerAddress: string
/** The manual task's page, for the last test. */
let manualTask: string
const contexts: BrowserContext[] = []
const problems: string[][] = []

beforeAll(async () => {
  harness = await startHarness({ workers: 0 })
  const posterContext = await harness.browser.newContext({ viewport: PHONE, permissions: ['geolocation'], geolocation: { ...TOWN_HALL, accuracy: 5 } })
  const workerContext = await harness.browser.newContext({ viewport: PHONE, permissions: ['geolocation'], geolocation: NEARBY })
  contexts.push(posterContext, workerContext)
  poster = await posterContext.newPage()
  worker = await workerContext.newPage()
  problems.push(watchProblems(poster), watchProblems(worker, [/status of 415/]))
}, 180_000)

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => {})
  await harness?.close()
}, 60_000)

/** A phone screenshot; `desktop` adds one at 1280 px. */
const shot = (page: Page, name: string, desktop = false) => snap(page, `human-${name}`, desktop ? [PHONE.width, 1280] : [PHONE.width])

describe('human work in Chromium on a phone', () => {
  it('posts a manual delivery, the worker proves it with photo, location and signature, is approved and paid', { timeout: 600_000 }, async () => {
    await signUp(harness, poster)
    await fundEscrow(poster, { faucet: 200, deposit: 100 })

    // The poster describes the delivery; the place comes from "Use my location".
    await harness.go(poster, '/tasks/new')
    await poster.locator('label.kind', { hasText: 'Manual task' }).click()
    await poster.getByRole('button', { name: 'Post task' }).click()
    await text(poster.locator('[id="payload.title-error"]')).toBe('Title is required')
    await poster.getByLabel('Title').fill('Deliver a parcel to the town hall')
    await poster.getByLabel('What to do').fill('Pick up the parcel at the kiosk on Alexanderplatz and hand it to the front desk of the Rotes Rathaus. Photo of the parcel at the desk, and the receptionist signs.')
    await poster.getByRole('checkbox', { name: /Location stamp/ }).check()
    await poster.getByRole('checkbox', { name: /Signature/ }).check()
    await poster.getByLabel('The work happens at a place').check()
    await poster.getByRole('button', { name: /Use my location/ }).click()
    await expect.poll(() => poster.getByLabel('Latitude').inputValue()).toBe(TOWN_HALL.latitude.toFixed(6))
    await poster.getByLabel('Radius (m)').fill('200')
    await poster.getByLabel('Address or landmark').fill('Rotes Rathaus, front desk')
    await poster.getByLabel('Assignments').fill('2')
    await poster.getByLabel('Reward (TASK)').fill('10')
    // 10 ÷ 2 assignments = 5 each, of which the worker gets 92%.
    await text(poster.getByTestId('per-assignment-pay')).toContain('4.6')
    await shot(poster, '01-create-manual')
    await poster.getByRole('button', { name: 'Post task' }).click()
    await poster.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    const taskUrl = new URL(poster.url()).hash.slice(1)
    manualTask = taskUrl
    await text(poster.locator('.live'), 20_000).toContain('Live')
    await text(poster.getByTestId('slots')).toBe('2 of 2 open')

    // The worker signs up (no tokens needed), sees the task and claims it.
    workerAddress = await signUp(harness, worker)
    const before = await escrowBalance(harness, worker)
    expect(before).toBe('0 TASK')
    await harness.go(worker, taskUrl)
    await text(worker.getByTestId('pay-per-assignment')).toContain('4.6')
    await visible(worker.getByRole('button', { name: 'Claim this task' }), 60_000)
    await shot(worker, '02-task-for-worker', true)
    await worker.getByRole('button', { name: 'Claim this task' }).click()
    await visible(worker.getByRole('heading', { name: 'Do the work' }), 20_000)
    await text(worker.locator('.work-head .countdown')).toMatch(/^1 h 59 min|^2 h 00 min/)
    await text(poster.getByTestId('slots'), 20_000).toBe('1 of 2 open')

    // A file that is not an image is refused by the server, and the error shows under the photo.
    await worker.locator('#photo').setInputFiles({ name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('not a picture at all') })
    await text(worker.locator('#photo-error'), 20_000).toContain('JPEG or PNG')
    // A portrait photo, larger than a phone shows: it is scaled down whole, never cropped, for the poster.
    await worker.locator('#photo').setInputFiles({ name: 'parcel.png', mimeType: 'image/png', buffer: png(480, 640) })
    await text(worker.locator('.proof-done').first(), 20_000).toContain('Uploaded')
    expect(await worker.locator('#photo-error').count()).toBe(0)

    // The location stamp, with its distance to the place.
    await worker.getByRole('button', { name: /Stamp my location/ }).click()
    await text(worker.getByTestId('location-distance'), 20_000).toMatch(/^\d+ m from the place · inside the 200 m radius$/)

    // A signature drawn on the canvas with the mouse.
    const pad = worker.getByRole('img', { name: 'Signature box' })
    await pad.scrollIntoViewIfNeeded()
    const box = (await pad.boundingBox())!
    await worker.mouse.move(box.x + 20, box.y + box.height * 0.7)
    await worker.mouse.down()
    for (let i = 1; i <= 12; i++) await worker.mouse.move(box.x + 20 + i * 22, box.y + box.height * (0.7 - 0.4 * Math.abs(Math.sin(i / 2))), { steps: 2 })
    await worker.mouse.up()
    await text(worker.locator('.signature-foot')).toContain('Signed')
    await shot(worker, '03-do-the-work')
    await worker.getByRole('button', { name: 'Submit the work' }).click()
    await text(worker.getByTestId('my-assignment'), 30_000).toContain('Submitted')
    // The confirmation replaces the long work panel: it is scrolled into view, below the sticky header.
    await expect.poll(() => placement(worker.getByTestId('my-assignment')), { timeout: 5_000 }).toMatchObject({ belowHeader: true, bottomInView: true })

    // The poster sees the photo (live), approves, and the worker is paid on chain.
    const row = poster.getByTestId('assignment').filter({ hasText: 'Submitted' })
    await visible(row, 30_000)
    const photo = row.getByTestId('review-photo')
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBe(480)
    // The whole photo: scaled at its own aspect (480 × 640), not cropped by object-fit or its frame.
    const seen = await photo.evaluate((img: HTMLImageElement) => {
      const box = img.getBoundingClientRect()
      const frame = img.closest<HTMLElement>('[data-testid="assignment"]')!.getBoundingClientRect()
      return { fit: getComputedStyle(img).objectFit, aspect: box.width / box.height, natural: img.naturalWidth / img.naturalHeight, width: box.width, inFrame: box.left >= frame.left && box.right <= frame.right && box.top >= frame.top && box.bottom <= frame.bottom }
    })
    expect(seen.fit).not.toBe('cover')
    expect(Math.abs(seen.aspect / seen.natural - 1)).toBeLessThan(0.02)
    expect(seen.width).toBeLessThan(PHONE.width)
    expect(seen.inFrame).toBe(true)
    await expect.poll(() => row.getByTestId('review-signature').evaluate((img: HTMLImageElement) => img.naturalWidth > 0), { timeout: 20_000 }).toBe(true)
    await text(row.getByTestId('review-distance')).toMatch(/m from the place/)
    await text(row).toContain('Auto-approves in')
    await shot(poster, '04-review', true)
    await row.getByRole('button', { name: 'Approve' }).click()
    await text(poster.getByTestId('assignment').first(), 30_000).toContain('Approved')

    await text(worker.getByTestId('my-assignment'), 30_000).toContain('Approved')
    await text(worker.getByTestId('payment-state'), 120_000).toContain('Paid')
    await text(worker.getByTestId('payment-state')).toContain('4.6 TASK')
    await shot(worker, '05-paid')
    await harness.go(worker, '/work')
    await text(worker.getByTestId('work-row').first(), 20_000).toContain('Deliver a parcel to the town hall')
    await text(worker.getByTestId('work-row').first()).toContain('Paid')
    await shot(worker, '06-my-work')
    // 92% of the 5 TASK per assignment reached the worker's escrow balance.
    await expect.poll(() => escrowBalance(harness, worker), { timeout: 60_000, interval: 2000 }).toBe('4.6 TASK')
  })

  it('runs a poll of 5: four vote through the SDK, one in the browser; it closes and pays the 3 of the majority', { timeout: 600_000 }, async () => {
    await harness.go(poster, '/tasks/new')
    await poster.locator('label.kind', { hasText: 'Poll' }).click()
    await poster.getByLabel('Question').fill('Which logo reads best on a phone?')
    await poster.getByRole('textbox', { name: 'Option 1' }).fill('Round')
    await poster.getByRole('textbox', { name: 'Option 2' }).fill('Square')
    await poster.getByRole('button', { name: 'Add an option' }).click()
    await poster.getByRole('textbox', { name: 'Option 3' }).fill('Round')
    await poster.getByLabel('Respondents').fill('5')
    // A rule every newcomer meets (trust level 0 and up): the poll is shown only to those who meet it.
    await poster.getByRole('button', { name: 'Add a rule' }).click()
    await poster.getByLabel('Rule 1: descriptor').selectOption('trust_level')
    await poster.getByLabel('Rule 1: test').selectOption('gte')
    await poster.getByRole('button', { name: 'Post task' }).click()
    await text(poster.locator('[id="qualifications.0.value-error"]')).toBe('A value is required')
    await poster.getByLabel('Rule 1: value').fill('0')
    await poster.getByLabel('Reward (TASK)').fill('6')
    await poster.getByRole('button', { name: 'Post task' }).click()
    await text(poster.locator('[id="payload.options.2-error"]')).toBe('Same as option 1')
    await poster.getByRole('textbox', { name: 'Option 3' }).fill('Star')
    await shot(poster, '07-create-poll')
    await poster.getByRole('button', { name: 'Post task' }).click()
    await poster.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    const taskId = poster.url().split('/').pop()!
    await text(poster.getByTestId('poll-votes'), 20_000).toBe('0 of 5')

    // Four people vote through the SDK once the reward is locked: Round, Round, Square, Star.
    const { chain_id: chainId } = await createClient({ baseUrl: harness.base }).market.config()
    const voters = [20, 21, 22, 23].map((n) => ({ account: devAccount(n), client: createClient({ baseUrl: harness.base }) }))
    for (const v of voters) await v.client.auth.signIn(v.account, { chainId })
    await expect.poll(async () => (await voters[0]!.client.polls.get(taskId)).can_vote, { timeout: 60_000, interval: 500 }).toBe(true)
    for (const [i, option] of [0, 0, 1, 2].entries()) expect(await voters[i]!.client.polls.vote(taskId, option)).toMatchObject({ accepted: true, closed: false })
    // The poster watches the counts arrive live.
    await text(poster.getByTestId('poll-votes'), 20_000).toBe('4 of 5')
    await text(poster.getByTestId('poll-bar').first()).toContain('2 · 50%')
    await shot(poster, '08-poll-live-counts')

    // The fifth vote, in the browser, is for Round: the poll closes and pays Round's three voters.
    await harness.go(worker, `/tasks/${taskId}`)
    await worker.locator('label.choice', { hasText: 'Round' }).click()
    await shot(worker, '09-vote')
    await worker.getByRole('button', { name: 'Vote' }).click()
    const results = worker.getByTestId('poll-results')
    await visible(results, 30_000)
    await text(worker.locator('.poll-bar-won')).toContain('Round')
    expect(await worker.locator('.poll-bar-won').count()).toBe(1)
    // 6 TASK ÷ 3 winners = 2 each, of which 92% is paid.
    await text(worker.getByTestId('poll-paid')).toContain('3 voters paid 1.84 TASK each')
    const paid = await results.locator('.paid-list code').allTextContents()
    expect(paid.map((a) => a.toLowerCase()).sort()).toEqual([voters[0]!.account.address, voters[1]!.account.address, workerAddress].map((a) => a.toLowerCase()).sort())
    await text(worker.getByTestId('poll-paid'), 120_000).toContain('settled on chain ✓')
    await shot(worker, '10-poll-result', true)
    await text(poster.getByTestId('poll-paid'), 30_000).toContain('3 voters paid 1.84 TASK each')
    expect(await poster.getByRole('button', { name: 'Close the poll now' }).count()).toBe(0)
    expect((await voters[2]!.client.polls.get(taskId)).my_vote).toBe(1)
  })

  it('lets the poster block a worker from an assignment and unblock them on the profile page', { timeout: 120_000 }, async () => {
    // The worker describes themself on their profile.
    await harness.go(worker, '/profile')
    await worker.getByLabel('Skills').fill('cycling, deliveries')
    await worker.getByLabel('Languages').fill('DE, en')
    await worker.getByLabel('Keep sensitive descriptors for matching').check()
    await worker.getByLabel('Nationality').fill('de')
    await worker.getByRole('button', { name: 'Save profile' }).click()
    await text(worker.locator('.notice-success')).toContain('Saved')
    expect(await worker.getByLabel('Languages').inputValue()).toBe('de, en')
    await shot(worker, '11-profile')

    // The Nodes page's worker command wraps on a phone: nothing scrolls sideways.
    await harness.go(worker, '/nodes')
    const command = worker.locator('pre.code', { hasText: 'npx taskmarket worker --server' })
    await visible(command)
    const wrapped = await command.evaluate((pre) => ({ scroll: pre.scrollWidth, client: pre.clientWidth }))
    expect(wrapped.scroll).toBeLessThanOrEqual(wrapped.client)
    expect(await worker.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(PHONE.width)
    await shot(worker, '17-nodes')

    // The phone menu reaches My work and, through the account, the profile.
    await poster.getByRole('button', { name: 'Menu' }).click()
    await visible(poster.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'My work' }))
    await poster.screenshot({ path: join(shots, 'human-13-menu-open-375.png') })
    await poster.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: /Profile/ }).click()
    await poster.waitForURL(/#\/profile/)

    await harness.go(poster, manualTask)
    await poster.getByTestId('assignment').first().getByRole('button', { name: 'Block worker' }).click()
    const dialog = poster.getByRole('dialog', { name: 'Block this worker' })
    await dialog.getByLabel('Reason (optional)').fill('late twice')
    await dialog.getByRole('button', { name: 'Block' }).click()
    await text(poster.getByTestId('assignment').first().locator('.assignment-block')).toBe('Blocked')
    await harness.go(poster, '/profile')
    await text(poster.locator('.key-list'), 20_000).toContain('late twice')
    await shot(poster, '12-profile-blocked')
    await poster.getByRole('button', { name: 'Unblock' }).click()
    await visible(poster.getByText('Nobody blocked'))

    // The marketplace lists human tasks by their title, and filters them by kind.
    await harness.go(poster, '/market')
    await visible(poster.locator('.task-row', { hasText: 'Deliver a parcel to the town hall' }))
    await shot(poster, '14-market')
    await poster.getByLabel('Kind').selectOption('poll')
    await expect.poll(() => poster.locator('.task-row').allTextContents()).toEqual([expect.stringContaining('Which logo reads best on a phone?')])
    for (const list of problems) expect(list).toEqual([])
  })
})

describe('review and filters in Chromium on a phone', () => {
  it('rejects work with a reason and the slot returns; a filter keeps an unqualified worker from a poll', { timeout: 300_000 }, async () => {
    // Someone takes the manual task's second slot through the SDK and submits.
    const { chain_id: chainId } = await createClient({ baseUrl: harness.base }).market.config()
    const courier = createClient({ baseUrl: harness.base })
    await courier.auth.signIn(devAccount(24), { chainId })
    const taskId = manualTask.split('/').pop()!
    await harness.go(poster, manualTask)
    await text(poster.getByTestId('slots'), 20_000).toBe('1 of 2 open')
    const claimed = await courier.work.claim(taskId)
    await text(poster.getByTestId('slots'), 20_000).toBe('0 of 2 open')
    await courier.work.uploadProof(claimed.assignment_id, 'photo', png(8, 8))
    await courier.work.uploadProof(claimed.assignment_id, 'signature', png(8, 4))
    await courier.work.submit(claimed.assignment_id, { location: { latitude: NEARBY.latitude, longitude: NEARBY.longitude, accuracy_m: 10 } })

    // The poster rejects it with a reason: the courier sees why, and the slot is open again.
    const row = poster.getByTestId('assignment').filter({ hasText: 'Submitted' })
    await visible(row, 30_000)
    await row.getByRole('button', { name: 'Reject' }).click()
    const dialog = poster.getByRole('dialog', { name: 'Reject this work' })
    await dialog.getByRole('button', { name: 'Reject' }).click()
    await visible(dialog.locator('.field-error'))
    await dialog.getByLabel('Reason').fill('The photo does not show the front desk')
    await dialog.getByRole('button', { name: 'Reject' }).click()
    await text(poster.getByTestId('slots'), 20_000).toBe('1 of 2 open')
    expect(await courier.work.get(claimed.assignment_id)).toMatchObject({ status: 'rejected', review: { reason: 'The photo does not show the front desk' } })
    await shot(poster, '15-rejected')

    // A poll for French speakers: the browser worker (de, en) neither sees it nor may open it; a French speaker votes.
    await harness.go(poster, '/tasks/new')
    await poster.locator('label.kind', { hasText: 'Poll' }).click()
    await poster.getByLabel('Question').fill('Quel nom pour le parc ?')
    await poster.getByRole('textbox', { name: 'Option 1' }).fill('Tilleul')
    await poster.getByRole('textbox', { name: 'Option 2' }).fill('Chêne')
    await poster.getByLabel('Respondents').fill('1')
    await poster.getByRole('button', { name: 'Add a rule' }).click()
    await poster.getByLabel('Rule 1: descriptor').selectOption('languages')
    await poster.getByLabel('Rule 1: test').selectOption('in')
    await poster.getByLabel('Rule 1: value').fill('fr')
    await poster.getByLabel('Reward (TASK)').fill('1')
    await poster.getByRole('button', { name: 'Post task' }).click()
    await poster.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    const pollUrl = new URL(poster.url()).hash.slice(1)
    const french = createClient({ baseUrl: harness.base })
    await french.auth.signIn(devAccount(25), { chainId })
    await french.profiles.put({ descriptors: { languages: ['fr'] }, sensitive_opt_in: false })
    await expect.poll(async () => (await french.polls.get(pollUrl.split('/').pop()!)).can_vote, { timeout: 60_000, interval: 500 }).toBe(true)

    await harness.go(worker, '/market')
    await visible(worker.locator('.task-row', { hasText: 'Which logo reads best on a phone?' }), 20_000)
    expect(await worker.locator('.task-row', { hasText: 'Quel nom pour le parc' }).count()).toBe(0)
    await harness.go(worker, pollUrl)
    await visible(worker.getByText('No such task'), 20_000)
    await shot(worker, '16-not-qualified')
    expect(await french.polls.vote(pollUrl.split('/').pop()!, 1)).toMatchObject({ accepted: true, closed: true })
    for (const list of problems) expect(list.filter((p) => !/status of 404/.test(p))).toEqual([])
  })
})

/** Where an element sits in the viewport: its top below the sticky header, its bottom on screen. */
function placement(loc: Locator) {
  return loc.evaluate((el) => {
    const box = el.getBoundingClientRect()
    const header = document.querySelector('.header')?.getBoundingClientRect().bottom ?? 0
    return { top: Math.round(box.top), header: Math.round(header), belowHeader: box.top >= header - 1, bottomInView: box.bottom <= window.innerHeight + 1 }
  })
}

/** A small RGB PNG (a gradient), built from its chunks: signature, IHDR, IDAT, IEND. */
function png(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data])
    const out = Buffer.alloc(12 + data.length)
    out.writeUInt32BE(data.length, 0)
    body.copy(out, 4)
    out.writeUInt32BE(crc32(body) >>> 0, 8 + data.length)
    return out
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 2, 0, 0, 0], 8) // 8-bit RGB, no interlace
  const rows = Buffer.alloc((width * 3 + 1) * height)
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rows.set([(x * 4) & 255, (y * 5) & 255, 160], y * (width * 3 + 1) + 1 + x * 3)
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', header), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0))])
}
