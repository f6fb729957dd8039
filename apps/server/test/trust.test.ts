import { devAccount } from '@taskmarket/chain'
import { CHAIN_NODE_STATES, type CreateTaskBody, NEUTRAL_REPUTATION_BPS, NO_RECORD, agreesWithChain, reputationBps } from '@taskmarket/core'
import { solvePow } from '@taskmarket/worker'
import type { NodeClient } from '@taskmarket/sdk'
import { type Account, type Address, type Hex, getAddress, parseEther, toHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { expectHonestBooks } from './books.ts'
import { type TestMarket, lockedTask, sealedResult, startTestMarket, waitFor } from './market.ts'

/**
 * The trust layer against real anvil and the database (issue 12): every lease puts stake at risk, an outvoted
 * result or a timed-out lease is slashed on chain by that stake, and reputations follow the job records.
 * Money is conserved to the wei, stakes included.
 */
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>
const fresh = () => privateKeyToAccount(generatePrivateKey())
const synthetic = (extra: Partial<CreateTaskBody> = {}): CreateTaskBody => ({ challenge_type: 'synthetic', payload: { seed: '0x77', matrix_size: 4, iterations: 1 }, reward: '10', ...extra })

beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(1))
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

const locked = (body: CreateTaskBody) => lockedTask(alice, body)

async function leaseOf(node: NodeClient, taskId: string) {
  const { leases } = await node.claim(['synthetic'], 1)
  expect(leases.map((l) => l.task_id)).toEqual([taskId])
  return leases[0]!
}

const sealed = sealedResult

const registry = () => m.contractsFor(devAccount(0)).registry
const onChain = (address: Address) => registry().read.getNode([address])
const treasury = () => getAddress(m.server.chain.deployment.treasury)

/** Every token of the platform's contracts and of `accounts`, and the supply: what a slash may move and what it may not. */
async function tokens(accounts: Address[]) {
  const state = await m.tokenState([...accounts, treasury()])
  return { ...state, treasuryWallet: state.wallet[treasury()]! }
}

async function slashOf(assignmentId: string) {
  const [row] = await m.server.db.query<{ reason: string; amount: string; reputation_bps: number; tx_hash: string | null }>(
    'SELECT reason, amount::text AS amount, reputation_bps, tx_hash FROM node_slashes WHERE assignment_id = $1',
    [assignmentId],
  )
  return row
}

describe('stake at risk and slashing', () => {
  it('slashes an outvoted node on chain by the stake its lease put at risk and lowers its reputation; the agreeing nodes rise; every token accounted for', async () => {
    const [agree1, agree2, liar] = await m.stakeNodes([fresh(), fresh(), fresh()])
    const before = await tokens([agree1!.address, agree2!.address, liar!.address])
    const taskId = await locked(synthetic({ reward: '10', replication: { min_quorum: 2, target_results: 3 } }))
    const [l1, l2, l3] = [await leaseOf(agree1!, taskId), await leaseOf(agree2!, taskId), await leaseOf(liar!, taskId)]
    // The lease pays 5 of the 10 tokens (one job, a quorum of two): 5% of a 100-token stake is 5, at least the lease's reward.
    const [risk] = await m.server.db.query<{ r: string }>('SELECT stake_at_risk::text AS r FROM assignments WHERE id = $1', [l3.assignment_id])
    expect(BigInt(risk!.r)).toBe(parseEther('5'))
    const answer = `0x${'a1'.repeat(32)}` as Hex
    for (const [node, lease, digest] of [[agree1!, l1, answer], [liar!, l3, `0x${'b2'.repeat(32)}` as Hex], [agree2!, l2, answer]] as const) {
      await node.submit([sealed(node, lease, digest)])
    }
    expect(await waitFor(async () => (await alice.api.tasks.get(taskId)).escrow.state === 'released', 20_000)).toBe(true)
    expect(await waitFor(async () => Boolean((await slashOf(l3.assignment_id))?.tx_hash), 20_000)).toBe(true)

    const slash = await slashOf(l3.assignment_id)
    const liarReputation = reputationBps({ ...NO_RECORD, invalidResults: 1 })
    expect(slash).toMatchObject({ reason: 'WrongResult', amount: parseEther('5').toString(), reputation_bps: liarReputation })
    const [liarNode, honestNode] = [await onChain(liar!.address), await onChain(agree1!.address)]
    expect(liarNode.stake).toBe(parseEther('95'))
    expect(liarNode.reputation).toBe(liarReputation)
    expect(liarReputation).toBeLessThan(NEUTRAL_REPUTATION_BPS)
    expect(honestNode.stake).toBe(parseEther('100'))
    expect(honestNode.reputation).toBe(reputationBps({ ...NO_RECORD, validResults: 1 }))
    expect(honestNode.reputation).toBeGreaterThan(NEUTRAL_REPUTATION_BPS)

    // The 5 tokens left the registry for the treasury's wallet; the escrow paid 4.6 to each agreeing node; nothing was minted or burned.
    const after = await tokens([agree1!.address, agree2!.address, liar!.address])
    expect(before.registryHeld - after.registryHeld).toBe(parseEther('5'))
    expect(after.treasuryWallet - before.treasuryWallet).toBe(parseEther('5'))
    expect(after.supply).toBe(before.supply)
    expect(after.escrow[liar!.address]).toBe(before.escrow[liar!.address])
    expect(after.escrow[agree1!.address]! - before.escrow[agree1!.address]!).toBe(parseEther('4.6'))
    expect(after.escrowHeld).toBe(before.escrowHeld)
    await expectHonestBooks(m)

    // What anyone sees of the two nodes: state, the slash and why, the reputation history as stored on chain.
    const shown = await alice.api.market.node(liar!.address)
    expect(shown).toMatchObject({ stake: '95', reputation_bps: liarReputation, leases: 0, stake_at_risk: '0', trust_level: 0, trust_level_name: 'Any node' })
    // The slash left it below the level-1 stake: Slashed (seed 003), and it takes no compute work until it tops up.
    expect(shown.state).toBe('Slashed')
    expect(shown.slashes).toEqual([expect.objectContaining({ reason: 'WrongResult', amount: '5', reputation_bps: liarReputation, task_id: taskId, assignment_id: l3.assignment_id, tx_hash: expect.stringMatching(/^0x[0-9a-f]{64}$/) })])
    expect(shown.reputation_history.map((p) => p.bps)).toEqual([liarReputation])
    const honest = await alice.api.market.node(agree1!.address)
    expect(honest).toMatchObject({ stake: '100', reputation_bps: honestNode.reputation, slashes: [], trust_level: 1 })
    expect(honest.reputation_history.map((p) => p.bps)).toEqual([honestNode.reputation])
    const records = await alice.api.market.nodeRecords(liar!.address)
    expect(records.total).toBe(1)
    expect(records.records[0]).toMatchObject({ task_id: taskId, verdict: 2, worker: liar!.address })
  })

  it('slashes a node whose lease times out, gives the job to another node, and the task completes', { timeout: 90_000 }, async () => {
    const [sleeper, worker] = await m.stakeNodes([fresh(), fresh()])
    const before = await tokens([sleeper!.address, worker!.address])
    const taskId = await locked(synthetic({ reward: '2', replication: { min_quorum: 1, target_results: 1 } }))
    const lost = await leaseOf(sleeper!, taskId)
    // No heartbeat: the 3 s lease lapses, the reaper expires it and slashes the 5 tokens it put at risk.
    expect(await waitFor(async () => Boolean((await slashOf(lost.assignment_id))?.tx_hash), 30_000)).toBe(true)
    expect(await slashOf(lost.assignment_id)).toMatchObject({ reason: 'TaskTimeout', amount: parseEther('5').toString(), reputation_bps: reputationBps({ ...NO_RECORD, timeouts: 1 }) })
    expect((await onChain(sleeper!.address)).stake).toBe(parseEther('95'))
    const [status] = await m.server.db.query<{ status: string }>('SELECT status FROM assignments WHERE id = $1', [lost.assignment_id])
    expect(status!.status).toBe('expired')
    // Its late result is refused; the job went back to the pool for another node.
    expect((await sleeper!.submit([sealed(sleeper!, lost, `0x${'c3'.repeat(32)}`)])).results[0]).toMatchObject({ accepted: false, reason: 'lease is expired' })
    const lease = await leaseOf(worker!, taskId)
    await worker!.submit([sealed(worker!, lease, `0x${'c3'.repeat(32)}`)])
    expect(await waitFor(async () => (await alice.api.tasks.get(taskId)).escrow.state === 'released', 20_000)).toBe(true)

    const after = await tokens([sleeper!.address, worker!.address])
    expect(before.registryHeld - after.registryHeld).toBe(parseEther('5'))
    expect(after.treasuryWallet - before.treasuryWallet).toBe(parseEther('5'))
    expect(after.supply).toBe(before.supply)
    expect(after.escrow[sleeper!.address]).toBe(before.escrow[sleeper!.address])
    expect(after.escrow[worker!.address]! - before.escrow[worker!.address]!).toBe(parseEther('1.84'))
    await expectHonestBooks(m)
  })

  it('pays a task whose slash cannot be sent: the slash waits in quarantine, the payment does not', { timeout: 60_000 }, async () => {
    const [node] = await m.stakeNodes([fresh()])
    const taskId = await locked(synthetic({ reward: '2', replication: { min_quorum: 1, target_results: 1 } }))
    const [task] = await m.server.db.query<{ chain_task_id: Hex }>('SELECT chain_task_id FROM tasks WHERE id = $1', [taskId])
    // A slash of this task no transaction can be built from (its amount is not a number), queued before the payment.
    const poison = { address: node!.address, amount: 'not a number', reason: 'WrongResult', assignment_id: '00000000-0000-4000-8000-000000000001' }
    await m.server.db.query(`INSERT INTO outbox (kind, key, payload) VALUES ('settle', 'slash:poison', $1)`, [
      JSON.stringify({ task_id: taskId, chain_task_id: task!.chain_task_id, amount: '0', close: false, workers: [], records: [], slashes: [poison] }),
    ])
    const lease = await leaseOf(node!, taskId)
    await node!.submit([sealed(node!, lease, `0x${'d4'.repeat(32)}`)])
    expect(await waitFor(async () => (await alice.api.tasks.get(taskId)).escrow.state === 'released', 20_000)).toBe(true)
    const held = async () => (await m.server.db.query<{ status: string; last_error: string }>(`SELECT status, last_error FROM outbox WHERE key = 'slash:poison'`))[0]!
    expect(await waitFor(async () => (await held()).status === 'quarantined')).toBe(true)
    expect((await held()).last_error).toMatch(/not a number|BigInt/i)
    await m.server.db.query(`DELETE FROM outbox WHERE key = 'slash:poison'`)
    await expectHonestBooks(m)
  })

  it('offers a node no more leases than its free stake covers: 20 one-token leases on the level-1 stake, more with more stake', { timeout: 90_000 }, async () => {
    // 100 jobs of 1 token each; one node may hold a quarter of them (25) at once.
    const input = new Uint8Array(100 * 1024).map((_, i) => i % 239)
    const blob = await alice.api.blobs.upload(input)
    const { task_id } = await alice.api.tasks.create({ challenge_type: 'hash', payload: { input: blob.hash, chunk_size: 1024 }, reward: '100', replication: { min_quorum: 1, target_results: 1 } })
    expect(await waitFor(async () => (await alice.api.tasks.get(task_id)).escrow.state === 'locked')).toBe(true)
    const [small] = await m.stakeNodes([fresh()])
    const [big] = await m.stakeNodes([fresh()], { stake: parseEther('400') })
    const mine = async (node: NodeClient) => (await node.claim(['hash'], 100)).leases.filter((l) => l.task_id === task_id)
    expect(await mine(small!)).toHaveLength(20)
    expect(await mine(small!)).toHaveLength(0)
    // 400 staked: 5% is 20, capped at ten times the 1-token reward, so 10 at risk a lease and 40 leases; the lease cap (25) binds first.
    expect(await mine(big!)).toHaveLength(25)
    const [held] = await m.server.db.query<{ n: number; risk: string }>(`SELECT count(*)::int AS n, sum(stake_at_risk)::text AS risk FROM assignments WHERE worker = $1 AND status = 'leased'`, [small!.address])
    expect(held).toEqual({ n: 20, risk: parseEther('100').toString() })
  })
})

describe('node states', () => {
  /** Passes one proof-of-work challenge of the registry, as `taskmarket worker` does on its first run. */
  async function proveWork(account: Account) {
    const mine = m.contractsFor(account).registry
    await m.publicClient.waitForTransactionReceipt({ hash: await mine.write.issueChallenge([account.address]) })
    const challenge = await mine.read.getChallenge([account.address])
    const { nonce } = await solvePow(challenge.seed, challenge.target)
    await m.publicClient.waitForTransactionReceipt({ hash: await mine.write.submitSolution([nonce]) })
  }

  it('shows each node in a state that agrees with NodeRegistry’s view, refined only by what the market alone knows', { timeout: 90_000 }, async () => {
    const [unknown, unproven, proven, slashedRich, slashedPoor, leaving] = [fresh(), fresh(), fresh(), fresh(), fresh(), fresh()]
    await m.stakeNodes([unproven, proven, slashedPoor, leaving])
    await m.stakeNodes([slashedRich], { stake: parseEther('400') })
    for (const account of [proven, slashedRich, slashedPoor, leaving]) await proveWork(account)
    // A dispute's slash (the operator's role): 5 of 400 leaves the level-1 stake, 5 of 100 does not.
    for (const account of [slashedRich, slashedPoor]) {
      await m.asOperator((c) => c.registry.write.slash([account.address, parseEther('5'), false, toHex('test', { size: 32 })]))
    }
    await m.publicClient.waitForTransactionReceipt({ hash: await m.contractsFor(leaving).registry.write.requestUnstake([parseEther('50')]) })
    const expected = { unknown: ['None', 'Pending'], unproven: ['Pending', 'Pending'], proven: ['Verified', 'Verified'], slashedRich: ['Verified', 'Verified'], slashedPoor: ['Slashed', 'Slashed'], leaving: ['Inactive', 'Inactive'] }
    const accounts = { unknown, unproven, proven, slashedRich, slashedPoor, leaving }
    for (const [name, account] of Object.entries(accounts)) {
      const chain = CHAIN_NODE_STATES[await registry().read.nodeState([account.address])]!
      const shown = (await alice.api.market.node(account.address)).state
      expect([name, chain, shown]).toEqual([name, ...expected[name as keyof typeof expected]])
      expect(agreesWithChain(shown, chain)).toBe(true)
    }
  })
})

describe('review for repeated failures', () => {
  it('refuses work to a node under review, shows the review, and lets only the operator clear it', { timeout: 60_000 }, async () => {
    const [node] = await m.stakeNodes([fresh()])
    await locked(synthetic({ reward: '1', replication: { min_quorum: 1, target_results: 1 } }))
    // The review the reaper opens after a third failure in ten results (operations/nodes/review.test.ts).
    await m.server.db.query('INSERT INTO node_reviews (worker, opened_at, failures, results) VALUES ($1, now(), 3, 10)', [node!.address])
    await expect(node!.claim(['synthetic'], 1)).rejects.toMatchObject({ status: 403, field: 'review' })
    expect((await alice.api.market.node(node!.address)).review).toMatchObject({ failures: 3, results: 10 })
    await expect(alice.api.market.clearReview(node!.address)).rejects.toMatchObject({ status: 403, field: 'address' })
    const operator = await m.poster(0)
    await operator.api.market.clearReview(node!.address)
    expect((await alice.api.market.node(node!.address)).review).toBeNull()
    expect((await node!.claim(['synthetic'], 1)).leases).toHaveLength(1)
    await expect(operator.api.market.clearReview(node!.address)).rejects.toMatchObject({ status: 404 })
  })
})

describe('matching and quotes', () => {
  it('ranks the online nodes of the right type and region, cheapest first, and quotes the replication the task then gets', { timeout: 90_000 }, async () => {
    const [pricey, cheap, gpu, faraway] = await m.stakeNodes([fresh(), fresh(), fresh(), fresh()])
    const offers = [[pricey, 'cpu', 'eu-west', '0.5'], [cheap, 'cpu', 'eu-west', '0.2'], [gpu, 'gpu', 'eu-west', '0.1'], [faraway, 'cpu', 'us-east', '0.05']] as const
    for (const [node, resource_type, region, price_per_unit] of offers) {
      await node!.register({ cores: 4, memory_mb: 4096, executors: ['synthetic'], concurrency: 1, resource_type, region, price_per_unit, hardware: { ram_mb: 4096 } })
    }
    const body = synthetic({ reward: '6' })
    const quote = await alice.api.tasks.quote({ ...body, requirements: { resource_type: 'cpu', regions: ['eu-west'] } })
    // The cheapest CPU node in eu-west comes first; the GPU node and the one in us-east are not eligible.
    expect(quote.bids.map((b) => b.node)).toEqual([cheap!.address, pricey!.address])
    expect(quote.bids[0]!.breakdown.price).toBeGreaterThan(quote.bids[1]!.breakdown.price)
    expect(quote.bids[0]!.score).toBeCloseTo(Object.values(quote.bids[0]!.breakdown).reduce((a, b) => a + b, 0), 9)
    expect(quote.ineligible).toMatchObject({ resource_type: 1 })
    expect(quote.ineligible.region).toBeGreaterThanOrEqual(1)
    expect(quote).toMatchObject({ jobs: 1, eligible_nodes: 2, counted_nodes: 2, price_per_unit: '0.5', expected_results_per_job: 3 })
    // Three results of 0.5 net each: 1.5 / 0.92 gross, rounded up to the escrow's nano-token.
    expect(quote.suggested_reward).toBe('1.630434783')
    expect(quote.reward).toEqual({ per_result: '2', net_per_result: '1.84' })
    // A price cap and another region change who is eligible.
    expect((await alice.api.tasks.quote({ ...body, requirements: { resource_type: 'cpu', max_price_per_unit: '0.1' } })).bids.map((b) => b.node)).not.toContain(cheap!.address)
    expect((await alice.api.tasks.quote({ ...body, requirements: { resource_type: 'cpu', regions: ['us-east'] } })).bids.map((b) => b.node)).toEqual([faraway!.address])
    // None of them has proven any power by proof of work yet: a task asking for some finds nobody, and says why.
    const powerful = await alice.api.tasks.quote({ ...body, requirements: { min_verified_power: '1' } })
    expect(powerful).toMatchObject({ eligible_nodes: 0, bids: [] })
    expect(powerful.ineligible.verified_power).toBeGreaterThanOrEqual(4)

    // Posted with the same body, the task gets the replication and jobs the quote counted on.
    const taskId = await locked(body)
    const task = await alice.api.tasks.get(taskId)
    expect(task.replication).toMatchObject(quote.replication)
    expect(task.progress.jobs_total).toBe(quote.jobs)
    const custom = { ...body, replication: { min_quorum: 3, target_results: 4 } }
    expect((await alice.api.tasks.quote(custom)).replication).toMatchObject({ min_quorum: 3, target_results: 4 })
    // Posted with requirements, the task goes only to the nodes that meet them.
    const placed = await locked(synthetic({ reward: '6', requirements: { resource_type: 'cpu', regions: ['eu-west'] } }))
    const leased = async (node: NodeClient) => (await node.claim(['synthetic'], 10)).leases.some((l) => l.task_id === placed)
    expect(await leased(gpu!)).toBe(false)
    expect(await leased(faraway!)).toBe(false)
    expect(await leased(cheap!)).toBe(true)
    await expect(alice.api.tasks.create({ challenge_type: 'poll', reward: '1', payload: { title: 'Tea?', options: ['yes', 'no'], respondents: 1 }, requirements: { regions: ['eu-west'] } })).rejects.toMatchObject({ status: 400, field: 'requirements' })
    // Bad input names the field; human work is not quoted.
    await expect(alice.api.tasks.quote({ ...body, requirements: { resource_type: 'quantum' as never } })).rejects.toMatchObject({ status: 400 })
    await expect(alice.api.tasks.quote({ ...body, replication: { min_quorum: 4, target_results: 2 } })).rejects.toMatchObject({ status: 400, field: expect.stringContaining('replication') })
    await expect(alice.api.tasks.quote({ challenge_type: 'poll', payload: {} })).rejects.toMatchObject({ status: 400 })
    await expect(m.client().tasks.quote(body)).rejects.toMatchObject({ status: 401 })
  })
})
