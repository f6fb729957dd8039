import { devAccount } from '@taskmarket/chain'
import { ADAPTIVE_REPLICATION, type CreateTaskBody, type Lease, feeSchemes, netPay } from '@taskmarket/core'
import type { NodeClient } from '@taskmarket/sdk'
import { type Address, type Hex, getAddress, parseEther } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectHonestBooks } from './books.ts'
import { type TestMarket, lockedTask, sealedResult, startTestMarket, waitFor } from './market.ts'

/**
 * Adaptive replication against real anvil and the database (issue 12): nodes earn a run on replicated jobs,
 * a proven node then gets jobs alone and is paid alone, and a proven node that lies on a job it thinks it
 * holds alone is caught by the job's check, outvoted, slashed on chain and sent back to the start. A run of
 * 2 proves a node here; the market's chance is set by the test (below 0.25: checked, to 0.5: alone, above:
 * replicated). Two newcomers who collude on a replicated job are held until the replica of a node the operator
 * vouched for answers, outvoted by such nodes, and slashed. Money is conserved to the wei, stakes included.
 */
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>
let draw = 0.9
const [CHECKED, ALONE, REPLICATED] = [0.1, 0.4, 0.9]
const fresh = () => privateKeyToAccount(generatePrivateKey())
const synthetic = (extra: Partial<CreateTaskBody> = {}): CreateTaskBody => ({ challenge_type: 'synthetic', payload: { seed: '0x51', matrix_size: 4, iterations: 1 }, reward: '3', ...extra })
const [right, wrong] = [`0x${'a1'.repeat(32)}` as Hex, `0x${'b2'.repeat(32)}` as Hex]

beforeAll(async () => {
  m = await startTestMarket({ adaptive: { ...ADAPTIVE_REPLICATION, minRun: 2, spotCheckBps: 5_000 } }, { random: () => draw })
  await m.fund(devAccount(1))
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

const claimed = async (node: NodeClient, max = 1) => (await node.claim(['synthetic'], max)).leases
const answer = (node: NodeClient, leases: Lease[], digest: Hex) => node.submit(leases.map((l) => sealedResult(node, l, digest)))
const released = (taskId: string) => waitFor(async () => (await alice.api.tasks.get(taskId)).escrow.state === 'released', 20_000)
const runOf = async (node: NodeClient) => (await m.server.db.query<{ n: number }>(`SELECT consecutive_valid AS n FROM node_runs WHERE worker = $1 AND kind = 'synthetic'`, [node.address]))[0]?.n ?? 0
const escrowOf = (address: Address) => m.contractsFor(devAccount(0)).escrow.read.balanceOf([address])
const net = (gross: string) => netPay(parseEther(gross), feeSchemes[0]!)

describe('adaptive replication', () => {
  it('gives a proven node jobs alone, and catches a proven liar with the check of a job it thought it held alone', { timeout: 120_000 }, async () => {
    const [liar, honest, b, c, newcomer] = await m.stakeNodes([fresh(), fresh(), fresh(), fresh(), fresh()])
    const proven = [liar!, honest!, b!, c!]
    const treasury = getAddress(m.server.chain.deployment.treasury)
    for (const node of [...proven, newcomer!]) await node.register({ cores: 2, memory_mb: 2048, executors: ['synthetic'], concurrency: 1 })
    const before = await m.tokenState([...proven.map((n) => n.address), treasury])

    // Two replicated jobs all four answer right: a run of 2 each, which proves them on synthetic work.
    draw = REPLICATED
    for (const seed of ['0x52', '0x55']) {
      const earning = await lockedTask(alice, synthetic({ reward: '2', payload: { seed, matrix_size: 4, iterations: 2 }, replication: { min_quorum: 4, target_results: 4 } }))
      for (const node of proven) await answer(node, await claimed(node), right)
      expect(await released(earning)).toBe(true)
    }
    expect(await Promise.all(proven.map(runOf))).toEqual([2, 2, 2, 2])

    // The quote now counts on proven nodes: fewer than three results a job.
    const quote = await alice.api.tasks.quote(synthetic())
    expect(quote.unreplicated_share).toBeGreaterThan(0)
    expect(quote.expected_results_per_job).toBeLessThan(3)

    // A proven node's job alone: no other node gets a replica, its one result decides it, and it is paid the whole reward.
    draw = ALONE
    const alone = await lockedTask(alice, synthetic({ payload: { seed: '0x53', matrix_size: 4, iterations: 1 } }))
    const lone = await claimed(honest!)
    expect(lone.map((l) => l.task_id)).toEqual([alone])
    expect(await claimed(newcomer!)).toEqual([])
    await answer(honest!, lone, right)
    expect(await released(alone)).toBe(true)
    expect(await runOf(honest!)).toBe(2)

    // The liar's job is checked; it cannot tell, and answers wrong.
    draw = CHECKED
    const checked = await lockedTask(alice, synthetic({ payload: { seed: '0x54', matrix_size: 4, iterations: 1 } }))
    const lie = await claimed(liar!)
    expect(lie.map((l) => l.task_id)).toEqual([checked])
    expect(await claimed(b!)).toEqual([])
    await answer(liar!, lie, wrong)
    // The check goes only to another proven node; its dissent raises the quorum to three agreeing results,
    // which only proven nodes may bring: a new identity cannot outvote the check.
    expect(await claimed(newcomer!)).toEqual([])
    await answer(honest!, await claimed(honest!), right)
    expect(await claimed(newcomer!)).toEqual([])
    for (const node of [b!, c!]) await answer(node, await claimed(node), right)
    expect(await released(checked)).toBe(true)
    const [verdict] = await m.server.db.query<{ status: string }>('SELECT status FROM assignments WHERE id = $1', [lie[0]!.assignment_id])
    expect(verdict!.status).toBe('invalid')
    expect(await runOf(liar!)).toBe(0)
    expect(await waitFor(async () => Boolean((await m.server.db.query<{ tx_hash: string | null }>('SELECT tx_hash FROM node_slashes WHERE assignment_id = $1', [lie[0]!.assignment_id]))[0]?.tx_hash), 20_000)).toBe(true)
    expect((await m.contractsFor(devAccount(0)).registry.read.getNode([liar!.address])).stake).toBe(parseEther('95'))

    // What anyone sees: the liar starts again from nothing; the honest node's check counted as a replicated result.
    expect((await alice.api.market.node(liar!.address)).runs).toEqual([{ kind: 'synthetic', consecutive_valid: 0, proven: false, unreplicated_probability: 0 }])
    expect((await alice.api.market.node(honest!.address)).runs).toEqual([{ kind: 'synthetic', consecutive_valid: 3, proven: true, unreplicated_probability: 1 - 1 / 3 }])

    // Every token: the slash went from the registry to the treasury; the escrow paid what each result earned.
    const after = await m.tokenState([...proven.map((n) => n.address), treasury])
    expect(before.registryHeld - after.registryHeld).toBe(parseEther('5'))
    expect(after.wallet[treasury]! - before.wallet[treasury]!).toBe(parseEther('5'))
    expect(after.supply).toBe(before.supply)
    // Each earning job paid 2 tokens to four results; the lone job paid its 3 to one; the checked job its 3 to three.
    expect(after.escrow[liar!.address]! - before.escrow[liar!.address]!).toBe(2n * net('0.5'))
    expect(after.escrow[honest!.address]! - before.escrow[honest!.address]!).toBe(2n * net('0.5') + net('3') + net('1'))
    expect(after.escrow[b!.address]! - before.escrow[b!.address]!).toBe(2n * net('0.5') + net('1'))
    expect(await escrowOf(c!.address)).toBe(before.escrow[c!.address]! + 2n * net('0.5') + net('1'))
    await expectHonestBooks(m)
  })

  it('holds two colluding newcomers who answer a 2-of-3 job first until its proven replica dissents; proven nodes outvote them and they are slashed on chain', { timeout: 120_000 }, async () => {
    const [c1, c2, c3, p1, p2, p3] = await m.stakeNodes([fresh(), fresh(), fresh(), fresh(), fresh(), fresh()])
    const colluders = [c1!, c2!]
    const proven = [p1!, p2!, p3!]
    for (const node of [...colluders, c3!, ...proven]) await node.register({ cores: 2, memory_mb: 2048, executors: ['synthetic'], concurrency: 1 })
    // The operator vouches for three nodes of its own on synthetic work (a run of 2 here): they anchor the job.
    const operator = await m.poster(0)
    await expect(alice.api.market.vouch(p1!.address, ['synthetic'])).rejects.toMatchObject({ status: 403, field: 'address' })
    await expect(operator.api.market.vouch(p1!.address, ['manual'])).rejects.toMatchObject({ status: 400, field: 'kinds.0' })
    await expect(operator.api.market.vouch(fresh().address, ['synthetic'])).rejects.toMatchObject({ status: 404, field: 'address' })
    expect(await runOf(p1!)).toBe(0)
    for (const node of proven) await operator.api.market.vouch(node.address, ['synthetic'])
    expect((await alice.api.market.node(p1!.address)).runs).toEqual([{ kind: 'synthetic', consecutive_valid: 2, proven: true, unreplicated_probability: 1 / 2 }])
    const treasury = getAddress(m.server.chain.deployment.treasury)
    const everyone = [...colluders, ...proven].map((n) => n.address)
    const before = await m.tokenState([...everyone, treasury])

    draw = REPLICATED
    const task = await lockedTask(alice, synthetic({ payload: { seed: '0x56', matrix_size: 4, iterations: 1 } }))
    // One after the other: on PostgreSQL two claims at the same moment skip each other's locked job row.
    const leases = [await claimed(c1!), await claimed(c2!)]
    expect(leases.map((l) => l.map((x) => x.task_id))).toEqual([[task], [task]])
    // Both newcomer places are taken: a third new identity gets no replica of the job.
    expect(await claimed(c3!)).toEqual([])
    for (const [i, node] of colluders.entries()) await answer(node, leases[i]!, wrong)
    expect((await alice.api.tasks.get(task)).status).toBe('in_progress')
    for (const node of proven) await answer(node, await claimed(node), right)
    expect(await released(task)).toBe(true)
    const verdicts = await m.server.db.query<{ worker: string; status: string }>('SELECT worker, status FROM assignments WHERE task_id = $1', [task])
    const verdictOf = Object.fromEntries(verdicts.map((v) => [getAddress(v.worker), v.status]))
    expect([...colluders, ...proven].map((n) => verdictOf[n.address])).toEqual(['invalid', 'invalid', 'valid', 'valid', 'valid'])
    for (const node of colluders) {
      await waitFor(async () => (await m.contractsFor(devAccount(0)).registry.read.getNode([node.address])).stake === parseEther('95'), 20_000)
      expect(await runOf(node)).toBe(0)
    }

    // Every token: 5 slashed from each colluder to the treasury; the three proven nodes split the reward.
    const after = await m.tokenState([...everyone, treasury])
    expect(before.registryHeld - after.registryHeld).toBe(parseEther('10'))
    expect(after.wallet[treasury]! - before.wallet[treasury]!).toBe(parseEther('10'))
    expect(after.supply).toBe(before.supply)
    for (const node of colluders) expect(after.escrow[node.address]).toBe(before.escrow[node.address])
    for (const node of proven) expect(after.escrow[node.address]! - before.escrow[node.address]!).toBe(net('1'))
    await expectHonestBooks(m)
  })
})
