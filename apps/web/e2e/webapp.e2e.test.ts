import { join } from 'node:path'
import { devAccount } from '@taskmarket/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, PASSWORD, classes, shots, snap, startHarness, text, visible, watchProblems } from './harness.ts'

/**
 * The web app in Debian's Chromium against a real `taskmarket start --workers 2`: sign up, faucet, deposit,
 * post a rendering, watch the local workers finish it, see the image, the settled balance and the history;
 * and a screenshot of every page at 1280 px and 375 px in test-artifacts/screenshots/.
 * E2E_BASE_URL=http://localhost:8080 reuses a market that is already running.
 */
let harness: Harness

beforeAll(async () => {
  // Two workers: each tile needs both to agree, so each has accepted jobs (a third one's replicas are cancelled once two agree).
  harness = await startHarness({ workers: 2 })
}, 180_000)

afterAll(async () => {
  await harness?.close()
}, 60_000)

const go = (page: Parameters<Harness['go']>[0], hash: string) => harness.go(page, hash)

describe('web app in Chromium', () => {
  it('signs up, buys and deposits tokens, posts a rendering, shows the image, the settled balance and the history', { timeout: 600_000 }, async () => {
    const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 } })
    const page = await context.newPage()
    const problems = watchProblems(page)

    // Signed out: home, sign-in, marketplace, network.
    await go(page, '/')
    await text(page.getByRole('heading', { level: 1 })).toContain('Compute you can check')
    await snap(page, '01-home-signed-out')
    await go(page, '/signin')
    await snap(page, '02-signin')

    // Sign up: a wallet made in the browser, encrypted with the password, then Sign-In with Ethereum.
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByLabel('Repeat the password').fill(PASSWORD)
    await page.getByRole('button', { name: 'Create wallet and sign in' }).click()
    await page.waitForURL(/#\/wallet/, { timeout: 30_000 })
    await visible(page.getByRole('heading', { name: 'Wallet', level: 1 }))
    const address = await page.locator('.lead .hex code').first().getAttribute('title')
    expect(address).toMatch(/^0x[0-9a-fA-F]{40}$/)
    expect(await page.evaluate(() => localStorage.getItem('taskmarket.wallet.v1'))).toContain('"ciphertext"')

    // Buy tokens: the faucet of the local chain, tracked until mined.
    await page.getByRole('radio', { name: 'Faucet' }).click()
    await page.getByLabel('Amount (TASK)').fill('1000')
    await page.getByRole('button', { name: 'Get test tokens' }).click()
    await classes(page.locator('.tx-step', { hasText: 'Receive 1,000 TASK from the faucet' }), 60_000).toContain('tx-mined')
    await text(page.locator('.stat', { hasText: 'In your wallet' }).locator('.stat-value'), 20_000).toBe('1,000 TASK')

    // The session survives a reload; the key is locked again and is unlocked with the password to deposit.
    await page.reload()
    await visible(page.locator('.account'))
    await page.getByRole('radio', { name: 'Deposit' }).click()
    await page.getByLabel('Amount (TASK)').fill('100')
    await page.getByRole('button', { name: 'Deposit to escrow' }).click()
    const unlock = page.getByRole('dialog', { name: 'Unlock your wallet' })
    await unlock.getByLabel('Password').fill('wrong password')
    await unlock.getByRole('button', { name: 'Unlock' }).click()
    await visible(unlock.getByText(/Wrong password/), 20_000)
    await unlock.getByLabel('Password').fill(PASSWORD)
    await unlock.getByRole('button', { name: 'Unlock' }).click()
    await classes(page.locator('.tx-step', { hasText: 'Deposit 100 TASK' }), 60_000).toContain('tx-mined')
    await text(page.locator('.stat', { hasText: 'Escrow balance' }).locator('.stat-value'), 20_000).toBe('100 TASK')

    // Post a rendering task: validation next to the field first, then a valid one.
    await go(page, '/tasks/new')
    await page.getByLabel('Reward (TASK)').fill('1.1234567891')
    await page.getByRole('button', { name: 'Post task' }).click()
    await text(page.locator('#reward-error')).toContain('9 decimals')
    await page.getByLabel('Reward (TASK)').fill('10')
    await page.getByLabel('Scene', { exact: true }).selectOption('example:cornell')
    await page.getByLabel('Width', { exact: true }).fill('64')
    await page.getByLabel('Height', { exact: true }).fill('64')
    await page.getByLabel('Tile size', { exact: true }).fill('32')
    await page.getByLabel('Samples per pixel', { exact: true }).fill('4')
    await text(page.locator('.cost-total')).toContain('10 TASK')
    await text(page.locator('.cost')).toContain('9.2')
    await snap(page, '04-create-task')
    await page.getByRole('button', { name: 'Post task' }).click()
    await page.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    const taskId = page.url().split('/').pop()!
    await text(page.locator('.live'), 20_000).toContain('Live')

    // The local workers finish it; the image appears, the records are verified in the browser.
    const image = page.getByTestId('result-image')
    await visible(image, 240_000)
    await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth), { timeout: 20_000 }).toBe(64)
    await text(page.getByTestId('task-status'), 120_000).toContain('Completed')
    await text(page.getByTestId('proof-summary'), 60_000).toMatch(/✓ ([1-9][0-9]*) of \1 records verified/)
    await text(page.getByTestId('proof-summary'), 20_000).toContain('anchored on chain ✓')
    await page.locator('.tile').first().click()
    await snap(page, '05-task-completed')

    // The wallet shows the settled balance and the settlement in the history.
    await go(page, '/wallet')
    await text(page.locator('.stat', { hasText: 'Escrow balance' }).locator('.stat-value'), 30_000).toBe('90 TASK')
    await text(page.locator('.stat', { hasText: 'Locked in tasks' }).locator('.stat-value')).toMatch(/^0 TASK$/)
    await text(page.locator('tr[data-event="TaskSettled"]'), 60_000).toContain('−10 TASK')
    await text(page.locator('tr[data-event="FaucetDripped"]')).toContain('+1,000 TASK')
    await visible(page.locator('.chart svg'))
    await snap(page, '06-wallet')

    // Every other page, signed in.
    await go(page, '/market')
    await visible(page.locator('.task-row', { hasText: taskId.slice(0, 8) }))
    await snap(page, '03-marketplace')
    await go(page, '/nodes')
    await page.getByRole('button', { name: /to my nodes/ }).first().click()
    await expect.poll(() => page.locator('.node-card').count()).toBe(1)
    await text(page.locator('.node-card'), 20_000).toMatch(/Jobs accepted\s*[1-9]/)
    await snap(page, '07-nodes')
    await go(page, '/network')
    await text(page.locator('.stat', { hasText: 'Tasks completed' }).locator('.stat-value')).toMatch(/^1\s*$/)
    await snap(page, '08-network')
    await go(page, '/keys')
    await page.getByLabel('Name', { exact: true }).fill('e2e script')
    await page.getByRole('button', { name: 'Create key' }).click()
    await text(page.locator('.secret')).toContain('tm_')
    await expect.poll(() => page.locator('.key-list li').count()).toBe(1)
    // API posting needs the operator allowance: set it from the browser, then post with the key.
    const apiKey = (await page.locator('.secret code').textContent())!.trim()
    await page.getByRole('button', { name: 'Unlimited' }).click()
    await classes(page.locator('.tx-step', { hasText: 'Allow the operator' }), 60_000).toContain('tx-mined')
    await text(page.getByTestId('operator-allowance'), 20_000).toContain('unlimited')
    const posted = await fetch(`${harness.base}/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ challenge_type: 'synthetic', reward: '1', payload: { seed: '0x2a', matrix_size: 8, iterations: 1 } }),
    })
    expect(posted.status, await posted.clone().text()).toBe(201)
    await snap(page, '09-api-keys')
    await go(page, '/')
    await snap(page, '10-home-signed-in')
    await go(page, '/nowhere')
    await snap(page, '11-not-found')

    // The phone menu: opens from the button, lists every page, closes on navigation.
    await page.setViewportSize({ width: 375, height: 812 })
    await go(page, '/')
    await page.getByRole('button', { name: 'Menu' }).click()
    await visible(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'API keys' }))
    await page.screenshot({ path: join(shots, '12-menu-open-375.png') })
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Marketplace' }).click()
    await page.waitForURL(/#\/market/)
    // The URL changes before React renders the route that closes the menu: wait for the render.
    await expect.poll(() => page.getByRole('button', { name: 'Menu' }).getAttribute('aria-expanded')).toBe('false')
    await page.setViewportSize({ width: 1280, height: 900 })

    // Sign out, then back in by unlocking the wallet this browser keeps.
    await page.getByRole('button', { name: 'Sign out' }).click()
    await visible(page.getByRole('link', { name: 'Sign in' }))
    await go(page, '/wallet')
    await visible(page.getByText('Sign in to continue'))
    await go(page, '/signin')
    await text(page.getByRole('tab', { selected: true })).toBe('Unlock')
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
    await page.getByRole('button', { name: 'Unlock and sign in' }).click()
    await page.waitForURL(/#\/wallet/, { timeout: 30_000 })
    await text(page.locator('.lead')).toContain(address!.slice(0, 10))

    expect(problems).toEqual([])
    await context.close()
  })

  it('signs in with an injected EIP-1193 wallet, funds the escrow and posts a task signed in the wallet', { timeout: 300_000 }, async () => {
    const config = (await (await fetch(`${harness.base}/config`)).json()) as { rpc_url: string }
    const address = devAccount(5).address
    const context = await harness.browser.newContext({ viewport: { width: 1280, height: 900 } })
    // A wallet extension cannot run here: this provider speaks EIP-1193 and hands every request to anvil,
    // which holds the development accounts unlocked (personal_sign, eth_signTypedData_v4, eth_sendTransaction).
    await context.addInitScript(
      ({ rpc, account }) => {
        let id = 0
        const requests: string[] = []
        ;(window as any).__walletRequests = requests
        ;(window as any).ethereum = {
          async request({ method, params = [] }: { method: string; params?: unknown[] }) {
            requests.push(method)
            if (method === 'eth_requestAccounts' || method === 'eth_accounts') return [account]
            if (method === 'wallet_switchEthereumChain' || method === 'wallet_addEthereumChain') return null
            const response = await fetch(rpc, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }) })
            const body = await response.json()
            if (body.error) throw Object.assign(new Error(body.error.message), { code: body.error.code })
            return body.result
          },
          on() {},
          removeListener() {},
        }
      },
      { rpc: config.rpc_url, account: address },
    )
    const page = await context.newPage()
    const problems: string[] = []
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`))

    await go(page, '/signin')
    await page.getByRole('tab', { name: 'Browser wallet' }).click()
    await page.getByRole('button', { name: 'Connect browser wallet' }).click()
    await page.waitForURL(/#\/wallet/, { timeout: 30_000 })
    await text(page.locator('.lead')).toContain('browser wallet')
    await text(page.locator('.account')).toContain(address.slice(0, 6))

    await page.getByRole('radio', { name: 'Faucet' }).click()
    await page.getByLabel('Amount (TASK)').fill('500')
    await page.getByRole('button', { name: 'Get test tokens' }).click()
    await classes(page.locator('.tx-step', { hasText: 'from the faucet' }), 60_000).toContain('tx-mined')
    // Buy tokens from the sale with ETH (0.001 ETH per token on the local deployment).
    await page.getByRole('radio', { name: 'Buy with ETH' }).click()
    await page.getByLabel('ETH to spend').fill('0.01')
    await text(page.locator('#funds-amount-hint'), 10_000).toContain('You get 10 TASK at 0.001 ETH per token')
    await page.getByRole('button', { name: 'Buy tokens' }).click()
    await classes(page.locator('.tx-step', { hasText: 'Buy 10 TASK for 0.01 ETH' }), 60_000).toContain('tx-mined')
    await text(page.locator('.stat', { hasText: 'In your wallet' }).locator('.stat-value'), 20_000).toBe('510 TASK')
    await page.getByRole('radio', { name: 'Deposit' }).click()
    await page.getByLabel('Amount (TASK)').fill('50')
    await page.getByRole('button', { name: 'Deposit to escrow' }).click()
    await classes(page.locator('.tx-step', { hasText: 'Deposit 50 TASK' }), 60_000).toContain('tx-mined')

    // An error only the API can find (the uploaded scene is not JSON) shows next to the field it names.
    await go(page, '/tasks/new')
    await page.getByLabel('Scene', { exact: true }).selectOption('upload')
    await page.getByLabel('Scene file (JSON)').setInputFiles({ name: 'scene.json', mimeType: 'application/json', buffer: Buffer.from('{ not json') })
    await page.getByLabel('Reward (TASK)').fill('5')
    await page.getByRole('button', { name: 'Post task' }).click()
    await text(page.locator('[id="scene-file-error"]'), 30_000).toContain('not valid JSON')

    // Data processing: the typed data is uploaded as a blob, then the order is signed in the wallet.
    await page.locator('label.kind', { hasText: 'Data processing' }).click()
    await page.getByLabel('Data', { exact: true }).fill('hello, task market\n'.repeat(200))
    await page.getByLabel('Chunk size (KB)').fill('1')
    await page.getByLabel('Replicas per job').fill('2')
    await page.getByRole('button', { name: 'Post task' }).click()
    await page.waitForURL(/#\/tasks\/[0-9a-f-]{36}$/, { timeout: 60_000 })
    await text(page.getByTestId('task-status'), 180_000).toContain('Completed')
    await text(page.getByTestId('proof-summary'), 60_000).toMatch(/✓ ([1-9][0-9]*) of \1 records verified/)

    const used = await page.evaluate(() => (window as any).__walletRequests as string[])
    expect(used).toEqual(expect.arrayContaining(['eth_requestAccounts', 'personal_sign', 'eth_sendTransaction', 'eth_signTypedData_v4']))
    expect(problems).toEqual([])
    await context.close()
  })
})
