import { devAccount } from '@taskmarket/chain'
import { feeSchemes, netPay } from '@taskmarket/core'
import { parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectHonestBooks } from './books.ts'
import { type TestMarket, lockedTask, sealedResult, startTestMarket, waitFor } from './market.ts'

/**
 * Work offered in rank order against real anvil and the database (issue 12): a new task's jobs go first to
 * the best-ranked online nodes its requirements admit (seed 003's score), for the market's offer window.
 */
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>
const fresh = () => privateKeyToAccount(generatePrivateKey())

beforeAll(async () => {
  m = await startTestMarket({ offerWindowSeconds: 30 })
  await m.fund(devAccount(1))
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

describe('matching', () => {
  it('offers a task first to the cheapest online node of the right type and region, which does it and is paid; the others wait', { timeout: 90_000 }, async () => {
    const [pricey, cheap, gpu, faraway] = await m.stakeNodes([fresh(), fresh(), fresh(), fresh()])
    const offers = [[pricey, 'cpu', 'eu-west', '0.5'], [cheap, 'cpu', 'eu-west', '0.2'], [gpu, 'gpu', 'eu-west', '0.1'], [faraway, 'cpu', 'us-east', '0.05']] as const
    for (const [node, resource_type, region, price_per_unit] of offers) {
      await node!.register({ cores: 2, memory_mb: 2048, executors: ['synthetic'], concurrency: 1, resource_type, region, price_per_unit })
    }
    const before = await m.tokenState([cheap!.address])
    const taskId = await lockedTask(alice, {
      challenge_type: 'synthetic', payload: { seed: '0x61', matrix_size: 4, iterations: 1 }, reward: '2',
      replication: { min_quorum: 1, target_results: 1 }, requirements: { resource_type: 'cpu', regions: ['eu-west'] },
    })
    expect((await alice.api.tasks.get(taskId)).waiting?.reason).toMatch(/^offered first to its 1 best-ranked online node \(price, reputation, uptime, verified power\) until /)
    // The pricier eu-west CPU node waits for the window; the GPU node and the one in us-east do not qualify at all.
    for (const node of [pricey!, gpu!, faraway!]) expect((await node.claim(['synthetic'], 1)).leases).toEqual([])
    const { leases } = await cheap!.claim(['synthetic'], 1)
    expect(leases.map((l) => l.task_id)).toEqual([taskId])
    await cheap!.submit([sealedResult(cheap!, leases[0]!, `0x${'e5'.repeat(32)}`)])
    expect(await waitFor(async () => (await alice.api.tasks.get(taskId)).escrow.state === 'released', 20_000)).toBe(true)
    const after = await m.tokenState([cheap!.address])
    expect(after.escrow[cheap!.address]! - before.escrow[cheap!.address]!).toBe(netPay(parseEther('2'), feeSchemes[0]!))
    await expectHonestBooks(m)
  })
})
