import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TaskEscrow, devAccount, freePort, getTaskMarketContracts, stakeDevNodes } from '@taskmarket/chain'
import { foundry } from 'viem/chains'
import { createClient } from '@taskmarket/sdk'
import { type Worker, createWorker } from '@taskmarket/worker'
import { type Hex, createPublicClient, http, maxUint256, parseEther, parseEventLogs, createWalletClient } from 'viem'
import { afterAll, describe, expect, it } from 'vitest'
import { spawnMarket } from './spawnCli.ts'

const workers: Worker[] = []
let market: Awaited<ReturnType<typeof spawnMarket>> | undefined
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceMs: 500 })))
  market?.child.kill('SIGINT')
  await market?.exited
})

describe('kill -9 of the server in the middle of a run', () => {
  it('settles every task exactly once after a restart', { timeout: 240_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'taskmarket-crash-'))
    const port = await freePort()
    const env = { LEASE_SECONDS: '3', RELAY_INTERVAL_MS: '50', BATCH_SIZE: '3' }
    market = await spawnMarket(['--port', String(port), '--home', home, '--workers', '0'], env)
    const url = `http://localhost:${port}` // its PUBLIC_URL, for Sign-In with Ethereum
    const deployment = JSON.parse(readFileSync(join(home, 'deployment.json'), 'utf8'))
    const rpcUrl = (await createClient({ baseUrl: url }).market.config()).rpc_url!

    // Fund a poster and let the operator post for its API key.
    const poster = devAccount(1)
    const pub = createPublicClient({ chain: foundry, transport: http(rpcUrl) })
    const c = getTaskMarketContracts(deployment.addresses, { public: pub, wallet: createWalletClient({ account: poster, chain: foundry, transport: http(rpcUrl) }) })
    const mined = async (hash: Hex) => pub.waitForTransactionReceipt({ hash })
    await mined(await c.sale.write.faucet([poster.address, parseEther('1000')]))
    await mined(await c.token.write.approve([c.escrow.address, maxUint256]))
    await mined(await c.escrow.write.deposit([parseEther('600')]))
    await mined(await c.escrow.write.approveOperator([deployment.operator, maxUint256]))
    const client = createClient({ baseUrl: url })
    await client.auth.signIn(poster, { chainId: 31337 })
    const api = createClient({ baseUrl: url, apiKey: (await client.apiKeys.create('crash')).key })

    const count = 12
    const ids: string[] = []
    for (let i = 0; i < count; i++) {
      ids.push((await api.tasks.create({ challenge_type: 'synthetic', payload: { seed: `0x${(i + 1).toString(16)}`, matrix_size: 48, iterations: 40 }, reward: '5' })).task_id)
    }
    await stakeDevNodes({ rpcUrl, chain: foundry, addresses: deployment.addresses, accounts: [4, 5, 6].map(devAccount) })
    for (const i of [4, 5, 6]) {
      const w = createWorker({ serverUrl: url, account: devAccount(i), concurrency: 2, kinds: ['synthetic'], idleMs: 100 })
      workers.push(w)
      void w.start().catch(() => {})
    }
    // Kill the server outright once some tasks are settled and others are still running.
    const t0 = performance.now()
    for (;;) {
      const page = await api.tasks.list({ status: 'completed', limit: 200 })
      if (page.total >= 2) break
      await new Promise((r) => setTimeout(r, 50))
    }
    market.child.kill('SIGKILL')
    await market.exited
    const killedAt = performance.now() - t0
    await new Promise((r) => setTimeout(r, 500))
    market = await spawnMarket(['--port', String(port), '--home', home, '--workers', '0'], env)

    const done = await Promise.all(ids.map((id) => api.tasks.wait(id, { timeoutMs: 180_000 })))
    const total = performance.now() - t0
    expect(done.map((t) => t.status)).toEqual(ids.map(() => 'completed'))

    // On chain: each task settled by exactly one TaskSettled event, and its escrow is closed.
    const logs = await pub.getLogs({ address: deployment.addresses.escrow, fromBlock: 0n })
    const settled = parseEventLogs({ abi: TaskEscrow.abi, logs, eventName: 'TaskSettled' })
    for (const t of done) {
      expect(settled.filter((e) => e.args.taskId === t.escrow.chain_task_id).length).toBe(1)
      const onChain = await pub.readContract({ address: deployment.addresses.escrow, abi: TaskEscrow.abi, functionName: 'getTask', args: [t.escrow.chain_task_id as Hex] })
      expect(onChain).toMatchObject({ locked: 0n, status: 3 })
    }
    // Conservation: the poster's deposit went down by exactly the rewards, and the workers plus the treasury got exactly that.
    const balance = (a: Hex) => pub.readContract({ address: deployment.addresses.escrow, abi: TaskEscrow.abi, functionName: 'balanceOf', args: [a] })
    const received = (await Promise.all([4, 5, 6].map((i) => balance(devAccount(i).address)))).reduce((a, b) => a + b, 0n) + (await balance(deployment.treasury))
    expect(await balance(poster.address)).toBe(parseEther('600') - parseEther('5') * BigInt(count))
    expect(received).toBe(parseEther('5') * BigInt(count))
    console.log(`kill -9: server killed ${(killedAt / 1000).toFixed(1)} s into the run; all ${count} tasks settled once after restart, ${(total / 1000).toFixed(1)} s in all`)
  })
})
