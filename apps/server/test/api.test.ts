import { devAccount } from '@taskmarket/chain'
import { resultSeal } from '@taskmarket/core'
import { ApiError } from '@taskmarket/sdk'
import { type Hex, parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket, waitFor } from './market.ts'

let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>

beforeAll(async () => {
  // Every request of this file goes through app.inject(): the routes as HTTP sees them, without a socket.
  m = await startTestMarket({ maxUploadBytes: 1024 * 1024 }, { inject: true })
  await m.fund(devAccount(1))
  alice = await m.poster(1)
})
afterAll(() => m?.close())

const synthetic = { challenge_type: 'synthetic' as const, payload: { seed: '0x1234', matrix_size: 8, iterations: 2 }, reward: '10.0' }

async function expectError(promise: Promise<unknown>, status: number, field?: string) {
  const error = await promise.then(() => undefined, (e) => e)
  expect(error, 'expected the call to fail').toBeInstanceOf(ApiError)
  expect((error as ApiError).status).toBe(status)
  if (field) expect((error as ApiError).field).toBe(field)
  return error as ApiError
}

describe('posting', () => {
  it('lists tasks with a minimum reward, across every page', async () => {
    // Polls, so that no worker node of the other tests takes them.
    const poll = { challenge_type: 'poll' as const, payload: { title: 'Tea or coffee?', options: ['tea', 'coffee'], respondents: 1 } }
    const small = await alice.api.tasks.create({ ...poll, reward: '1.5' })
    const big = await alice.api.tasks.create({ ...poll, reward: '2.25' })
    const ids = async (min: string) => (await alice.api.tasks.list({ min_reward: min, limit: 200 })).tasks.map((t) => t.task_id)
    expect(await ids('2')).toContain(big.task_id)
    expect(await ids('2')).not.toContain(small.task_id)
    expect(await ids('1.5')).toEqual(expect.arrayContaining([small.task_id, big.task_id]))
    expect((await alice.api.tasks.list({ min_reward: '2.25' })).tasks.every((t) => Number(t.reward) >= 2.25)).toBe(true)
    await expectError(alice.api.tasks.list({ min_reward: 'lots' }), 400, 'min_reward')
  })

  it('refuses to post without credentials', async () => {
    await expectError(m.client().tasks.create(synthetic), 401, 'authorization')
  })

  it('refuses bad input naming the field, and records nothing', async () => {
    const before = (await alice.api.tasks.list()).total
    await expectError(alice.api.tasks.create({ ...synthetic, challenge_type: 'mining' as never }), 400, 'challenge_type')
    await expectError(alice.api.tasks.create({ ...synthetic, reward: '0' }), 400, 'reward')
    await expectError(alice.api.tasks.create({ ...synthetic, reward: '-5' }), 400, 'reward')
    await expectError(alice.api.tasks.create({ ...synthetic, payload: { seed: '0x1', matrix_size: 100000, iterations: 1 } }), 400, 'payload.matrix_size')
    await expectError(alice.api.tasks.create({ ...synthetic, payload: { seed: '0x1', iterations: 1 } }), 400, 'payload.matrix_size')
    await expectError(alice.api.tasks.create({ ...synthetic, payload: { seed: '0x1', matrix_size: 512, iterations: 1000 } }), 400, 'payload.iterations')
    await expectError(alice.api.tasks.create({ ...synthetic, reward: '1000000' }), 402, 'reward')
    await expectError(alice.api.tasks.create({ ...synthetic, deadline: 5 }), 400, 'deadline')
    const raw = await m.fetch(`${m.server.url}/tasks`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.key}` }, body: '{"challenge_type": ' })
    expect(raw.status).toBe(400)
    expect((await raw.json()).field).toBe('body')
    expect((await alice.api.tasks.list()).total).toBe(before)
  })

  it('refuses an expired or forged sign-in', async () => {
    const c = m.client()
    const account = devAccount(2)
    const { nonce } = await c.auth.nonce()
    const { createSiweMessage } = await import('viem/siwe')
    const host = new URL(m.server.url).host
    const expired = createSiweMessage({ address: account.address, chainId: 31337, domain: host, nonce, uri: m.server.url, version: '1', expirationTime: new Date(Date.now() - 1000) })
    await expectError(c.auth.signInWithMessage(expired, await account.signMessage({ message: expired })), 401, 'message')
    const phished = createSiweMessage({ address: account.address, chainId: 31337, domain: 'evil.example', nonce, uri: 'https://evil.example', version: '1' })
    await expectError(c.auth.signInWithMessage(phished, await account.signMessage({ message: phished })), 401, 'message.domain')
    const fresh = createSiweMessage({ address: account.address, chainId: 31337, domain: host, nonce, uri: m.server.url, version: '1' })
    await expectError(c.auth.signInWithMessage(fresh, await devAccount(3).signMessage({ message: fresh })), 401, 'signature')
  })

  it('escrows on chain, then offers the jobs; quorum pays the agreeing workers and not the odd one', async () => {
    const created = await alice.api.tasks.create(synthetic)
    expect(created.status).toBe('pending')
    const locked = await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'locked')
    expect(locked).toBe(true)
    const task = await alice.api.tasks.get(created.task_id)
    expect(await m.contractsFor(devAccount(0)).escrow.read.getTask([task.escrow.chain_task_id as Hex])).toMatchObject({ locked: parseEther('10'), status: 1 })

    const [w1, w2, w3] = await Promise.all([m.stakedNode(5), m.stakedNode(6), m.stakedNode(7)])
    // Claims one after the other: concurrent claimers skip a job another claim has locked (SKIP LOCKED).
    const leases: Awaited<ReturnType<typeof w1.claim>>[] = []
    for (const w of [w1, w2, w3]) leases.push(await w.claim(['synthetic'], 5))
    expect(leases.map((l) => l.leases.length)).toEqual([1, 1, 1])
    // A worker never gets two replicas of one job.
    expect((await w1.claim(['synthetic'], 5)).leases).toEqual([])

    const good = `0x${'aa'.repeat(32)}` as Hex
    const bad = `0x${'bb'.repeat(32)}` as Hex
    const submit = async (w: typeof w1, lease: (typeof leases)[0]['leases'][0], digest: Hex) =>
      w.submit([{ assignment_id: lease.assignment_id, digest, seal: resultSeal(w.address, lease.chain_task_id, lease.chain_job_id, digest) }])
    // Copying another worker's seal is refused.
    const stolen = resultSeal(w1.address, leases[1]!.leases[0]!.chain_task_id, leases[1]!.leases[0]!.chain_job_id, good)
    await expectError(w2.submit([{ assignment_id: leases[1]!.leases[0]!.assignment_id, digest: good, seal: stolen }]), 400, 'seal')

    await submit(w3, leases[2]!.leases[0]!, bad)
    await submit(w1, leases[0]!.leases[0]!, good)
    await submit(w2, leases[1]!.leases[0]!, good)
    const done = await alice.api.tasks.wait(created.task_id, { timeoutMs: 20_000 })
    expect(done.status).toBe('completed')
    expect(done.result?.result_hash).toBe(good)
    const escrow = m.contractsFor(devAccount(0)).escrow
    expect(await escrow.read.balanceOf([w1.address])).toBe(parseEther('4.6'))
    expect(await escrow.read.balanceOf([w2.address])).toBe(parseEther('4.6'))
    expect(await escrow.read.balanceOf([w3.address])).toBe(0n)
    const records = await alice.api.tasks.records(created.task_id)
    expect(records.records).toHaveLength(3)
    for (const r of records.records) {
      expect(await escrow.read.verifyJobRecord([r.batch_id, r.leaf, r.proof])).toBe(true)
    }
  })

  it('reissues the job of a worker that vanished', async () => {
    const created = await alice.api.tasks.create({ ...synthetic, replication: { min_quorum: 1, target_results: 1 } })
    await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'locked')
    const ghost = await m.stakedNode(8)
    const { leases } = await ghost.claim(['synthetic'], 1)
    expect(leases).toHaveLength(1)
    const other = await m.stakedNode(9)
    expect((await other.claim(['synthetic'], 1)).leases).toHaveLength(0)
    // The lease (3 s in tests) lapses without heartbeats; the job goes back to the pool.
    const reissued = await waitFor(async () => (await other.claim(['synthetic'], 1)).leases.length === 1, 15_000)
    expect(reissued).toBe(true)
    const hb = await ghost.heartbeat([{ assignment_id: leases[0]!.assignment_id, progress: 0.5 }])
    expect(hb.lost).toEqual([leases[0]!.assignment_id])
  })
})


describe("seed 000's worker routes", () => {
  it('GET /tasks/next leases one job, POST /tasks/complete submits it, POST /tasks/verify reports the verdict', async () => {
    const created = await alice.api.tasks.create({ ...synthetic, challenge_type: 'training', payload: { model_architecture: 'mlp', dataset_url: 'blob:x', epochs: 1, batch_size: 1 }, replication: { min_quorum: 1, target_results: 1 } })
    await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'locked')
    const node = await m.stakedNode(14)
    const lease = await node.http.json<any>('GET', '/tasks/next?kinds=training')
    expect(lease).toMatchObject({ task_id: created.task_id, kind: 'training' })
    expect(await node.http.json('GET', '/tasks/next?kinds=training')).toBeUndefined() // 204: nothing else to do
    const digest = `0x${'ef'.repeat(32)}` as Hex
    const outcome = await node.http.json<any>('POST', '/tasks/complete', { assignment_id: lease.assignment_id, digest, seal: resultSeal(node.address, lease.chain_task_id, lease.chain_job_id, digest) })
    expect(outcome).toMatchObject({ assignment_id: lease.assignment_id, accepted: true })
    const verdict = await alice.api.tasks.verify(created.task_id)
    expect(verdict).toMatchObject({ task_id: created.task_id, verified: true })
    expect((await alice.api.tasks.wait(created.task_id, { timeoutMs: 15_000 })).status).toBe('completed')
    // Someone else's task: 403.
    const bob = await m.poster(15)
    expect((await bob.api.tasks.verify(created.task_id).catch((e) => e)).status).toBe(403)
  })
})
