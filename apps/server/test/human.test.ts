import { devAccount } from '@taskmarket/chain'
import { type CreateTaskBody, NO_RECORD, parseTokens, reputationBps } from '@taskmarket/core'
import { crc32, encodePng } from '@taskmarket/pathtracer'
import { type ApiError, type TaskMarketClient } from '@taskmarket/sdk'
import type { Address, Hex } from 'viem'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket, waitFor } from './market.ts'

/**
 * Human work against a real market (anvil, PGlite or PostgreSQL): manual tasks with proofs, review,
 * disputes and auto-approval, polls paid to their majority, and qualification filters. Every test that
 * moves tokens checks that the escrow's books balance.
 */
let m: TestMarket
let offset = 0
let treasury: Address
let alice: Awaited<ReturnType<TestMarket['poster']>>
const HOUR = 3600_000
const place = { latitude: 52.52, longitude: 13.405, radius_m: 100, label: 'Alexanderplatz 1' }
const inside = { latitude: 52.5203, longitude: 13.4052, accuracy_m: 8 }
const outside = { latitude: 52.53, longitude: 13.405, accuracy_m: 8 } // ≈ 1.1 km north

beforeAll(async () => {
  m = await startTestMarket({}, { clock: () => Date.now() + offset, inject: true })
  await m.fund(devAccount(1))
  alice = await m.poster(1)
  treasury = (await alice.client.market.config()).treasury
}, 120_000)
afterAll(() => m?.close())
// The market's one clock moves every rule (deadlines, leases, reviews): a test that moves it puts it back.
afterEach(() => {
  offset = 0
})

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e) => e as ApiError)
const people = new Map<number, TaskMarketClient>()
async function person(index: number) {
  if (!people.has(index)) {
    const client = m.client()
    await client.auth.signIn(devAccount(index), { chainId: m.server.chain.chain.id })
    people.set(index, client)
  }
  return people.get(index)!
}

/** A PNG with a text chunk (as a phone's camera app might add) inside. */
function photoWithMetadata(secret: string) {
  const png = encodePng(2, 2, new Uint8Array(16).fill(200))
  const type = Buffer.from('tEXt', 'latin1')
  const data = Buffer.from(`Comment\0${secret}`, 'latin1')
  const head = Buffer.alloc(4)
  head.writeUInt32BE(data.length)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(type, data))
  return new Uint8Array(Buffer.concat([png.subarray(0, 33), head, type, data, crc, png.subarray(33)]))
}

async function postLocked(body: CreateTaskBody, poster = alice) {
  const { task_id } = await poster.api.tasks.create(body)
  expect(await waitFor(async () => (await poster.api.tasks.get(task_id)).escrow.state === 'locked')).toBe(true)
  return (await poster.api.tasks.get(task_id))
}

/** Escrow balances of the people involved plus what the given tasks still lock: constant while tokens only move. */
async function books(addresses: Address[], chainTaskIds: string[]) {
  const state = await m.tokenState(addresses)
  const escrow = m.contractsFor(devAccount(0)).escrow
  const locked = await Promise.all(chainTaskIds.map(async (id) => BigInt((await escrow.read.getTask([id as Hex])).locked)))
  return { state, total: Object.values(state.escrow).reduce((a, b) => a + b, 0n) + locked.reduce((a, b) => a + b, 0n) }
}

const delivery = (overrides: Record<string, unknown> = {}): CreateTaskBody => ({
  challenge_type: 'manual',
  reward: '10',
  payload: { title: 'Deliver a parcel', description: 'Bring the parcel to the front desk.', place, proofs: ['photo', 'location', 'signature'], ...overrides },
})

describe('manual tasks', () => {
  it('pays an approved delivery with photo, location and signature; refuses bad proofs without changing anything', async () => {
    const worker = await person(3)
    const workerAddress = devAccount(3).address
    const before = await books([alice.account.address, workerAddress, treasury], [])
    const task = await postLocked(delivery())
    const afterPost = await books([alice.account.address, workerAddress, treasury], [task.escrow.chain_task_id])
    expect(afterPost.total).toBe(before.total)

    const claimed = await worker.work.claim(task.task_id)
    expect(claimed).toMatchObject({ status: 'claimed', slot: 0, task_title: 'Deliver a parcel', proofs: {} })
    expect(claimed.expires_at! - Math.floor(Date.now() / 1000)).toBeGreaterThan(110 * 60)
    const id = claimed.assignment_id

    // Wrong type, too large, outside the radius, missing proofs: each a clear 4xx, the assignment unchanged.
    expect(await fail(worker.work.uploadProof(id, 'photo', new TextEncoder().encode('GIF89a not a photo')))).toMatchObject({ status: 415, field: 'photo' })
    expect(await fail(worker.work.uploadProof(id, 'photo', new Uint8Array(8 * 1024 * 1024 + 1)))).toMatchObject({ status: 413, field: 'photo' })
    expect(await fail(worker.work.submit(id, { location: inside }))).toMatchObject({ status: 400, field: 'photo', message: expect.stringContaining('missing: photo, signature') })
    await worker.work.uploadProof(id, 'photo', photoWithMetadata('GPS 52.52N 13.40E iPhone'))
    await worker.work.uploadProof(id, 'signature', encodePng(3, 1, new Uint8Array(12)))
    const far = await fail(worker.work.submit(id, { location: outside }))
    expect(far).toMatchObject({ status: 400, field: 'location', message: expect.stringMatching(/is 1\.\d km from the task’s place; it must be within 100 m/) })
    expect(await worker.work.get(id)).toMatchObject({ status: 'claimed', submitted_at: null })

    // Only the worker, the poster and the operator see the assignment and its proofs.
    expect(await fail((await person(4)).work.get(id))).toMatchObject({ status: 403 })
    const submitted = await worker.work.submit(id, { location: inside })
    expect(submitted).toMatchObject({ status: 'submitted', proofs: { location: { distance_m: expect.any(Number) }, photo: { content_type: 'image/png' } } })
    expect(submitted.review_due_at! - submitted.submitted_at!).toBeGreaterThanOrEqual(72 * 3600 - 2)
    expect(await fail(worker.work.uploadProof(id, 'photo', photoWithMetadata('late')))).toMatchObject({ status: 409 })

    const [forPoster] = (await alice.client.work.ofTask(task.task_id)).assignments
    expect(forPoster).toMatchObject({ assignment_id: id, status: 'submitted', worker: workerAddress })
    const photo = await alice.client.work.proof(id, 'photo')
    expect(Buffer.from(photo).subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))
    expect(Buffer.from(photo).toString('latin1')).not.toContain('GPS')
    expect(await fail(m.client().http.raw('GET', `/assignments/${id}/proofs/photo`))).toMatchObject({ status: 401 })

    expect(await fail(worker.work.approve(id))).toMatchObject({ status: 403 })
    expect(await fail(alice.client.work.approve(id, { rating: 6 }))).toMatchObject({ status: 400, field: 'rating' })
    await alice.client.work.approve(id, { rating: 4 })
    expect(await waitFor(async () => (await worker.work.get(id)).payment.state === 'paid', 30_000)).toBe(true)
    // The poster's four stars are the worker's record, stored on chain with the payment.
    const registry = m.contractsFor(devAccount(0)).registry
    expect((await registry.read.getNode([workerAddress])).reputation).toBe(reputationBps({ ...NO_RECORD, ratings: 1, ratingStars: 4 }))
    expect(await waitFor(async () => (await alice.api.tasks.get(task.task_id)).status === 'completed', 30_000)).toBe(true)

    const after = await books([alice.account.address, workerAddress, treasury], [task.escrow.chain_task_id])
    const reward = parseTokens('10')
    expect(after.state.escrow[workerAddress]! - before.state.escrow[workerAddress]!).toBe((reward * 92n) / 100n)
    expect(after.state.escrow[treasury]! - before.state.escrow[treasury]!).toBe((reward * 8n) / 100n)
    expect(before.state.escrow[alice.account.address]! - after.state.escrow[alice.account.address]!).toBe(reward)
    expect(after.total).toBe(before.total)
    expect(after.state.escrowHeld).toBe(before.state.escrowHeld)
    expect(after.state.supply).toBe(before.state.supply)
    expect((await worker.work.get(id)).payment).toMatchObject({ amount: '9.2', state: 'paid' })
    const { records } = await alice.api.tasks.records(task.task_id)
    expect(records).toHaveLength(1)
    expect(records[0]).toMatchObject({ worker: workerAddress, verdict: 1 })
  }, 120_000)

  it('returns a rejected slot to the pool; refuses a claim of a full task and a second claim', async () => {
    const task = await postLocked(delivery({ proofs: ['text'], place: undefined }))
    const [first, second, third] = [await person(3), await person(4), await person(5)]
    const a = await first.work.claim(task.task_id)
    expect(await fail(second.work.claim(task.task_id))).toMatchObject({ status: 409, field: 'id', message: expect.stringContaining('all 1 assignments are taken') })
    expect(await fail(first.work.claim(task.task_id))).toMatchObject({ status: 409 })
    expect(await fail(alice.client.work.claim(task.task_id))).toMatchObject({ status: 403 })
    expect(await fail(first.work.submit(a.assignment_id, {}))).toMatchObject({ status: 400, field: 'text' })
    await first.work.submit(a.assignment_id, { text: 'Left it with the neighbour' })
    expect(await fail(alice.client.work.reject(a.assignment_id, ''))).toMatchObject({ status: 400, field: 'reason' })
    const rejected = await alice.client.work.reject(a.assignment_id, 'The parcel had to reach the front desk')
    expect(rejected).toMatchObject({ status: 'rejected', review: { by: 'poster', reason: 'The parcel had to reach the front desk' } })
    expect(await fail(alice.client.work.approve(a.assignment_id))).toMatchObject({ status: 409 })
    expect(await fail(first.work.claim(task.task_id))).toMatchObject({ status: 409 })
    expect((await alice.api.tasks.get(task.task_id)).slots).toEqual({ total: 1, free: 1 })
    const b = await second.work.claim(task.task_id)
    expect(b.slot).toBe(0)
    expect((await alice.api.tasks.get(task.task_id)).slots).toEqual({ total: 1, free: 0 })
    expect(await fail(third.work.claim(task.task_id))).toMatchObject({ status: 409 })
    await second.work.release(b.assignment_id)
    expect((await third.work.claim(task.task_id)).status).toBe('claimed')
  }, 60_000)

  it('approves unreviewed work after the delay, and returns unused slots to the poster when the lifetime ends', async () => {
    // A poster of its own: moving the clock ends every task's lifetime, and alice's earlier tasks would move her balance.
    await m.fund(devAccount(8))
    const poster = await m.poster(8)
    const worker = await person(6)
    const workerAddress = devAccount(6).address
    const before = await books([poster.account.address, workerAddress, treasury], [])
    // A lifetime of 80 hours on the market's clock: the review delay (72 h) passes first, then the lifetime.
    const deadline = Math.floor(Date.now() / 1000) + 80 * 3600
    const task = await postLocked({ ...delivery({ proofs: ['checklist'], place: undefined, checklist: ['Water the plants', 'Lock the door'], assignments: 2 }), reward: '4', deadline }, poster)
    const { assignment_id: id } = await worker.work.claim(task.task_id)
    expect(await fail(worker.work.submit(id, { checklist: [true, false] }))).toMatchObject({ status: 400, field: 'checklist.1', message: expect.stringContaining('Lock the door') })
    await worker.work.submit(id, { checklist: [true, true] })
    await new Promise((r) => setTimeout(r, 1500))
    expect((await worker.work.get(id)).status).toBe('submitted')

    offset += 73 * HOUR
    expect(await waitFor(async () => (await worker.work.get(id)).status === 'approved', 10_000)).toBe(true)
    expect((await worker.work.get(id)).review).toMatchObject({ by: 'auto' })
    expect(await waitFor(async () => (await worker.work.get(id)).payment.state === 'paid', 30_000)).toBe(true)
    expect((await poster.api.tasks.get(task.task_id)).status).toBe('in_progress')

    // The second slot is never taken: after the lifetime, its half goes back to the poster.
    offset += 8 * HOUR
    expect(await waitFor(async () => (await poster.api.tasks.get(task.task_id)).status === 'completed', 90_000)).toBe(true)
    const after = await books([poster.account.address, workerAddress, treasury], [task.escrow.chain_task_id])
    expect(after.state.escrow[workerAddress]! - before.state.escrow[workerAddress]!).toBe(parseTokens('1.84'))
    expect(after.state.escrow[treasury]! - before.state.escrow[treasury]!).toBe(parseTokens('0.16'))
    expect(before.state.escrow[poster.account.address]! - after.state.escrow[poster.account.address]!).toBe(parseTokens('2'))
    expect(after.total).toBe(before.total)
    const onChain = await m.contractsFor(devAccount(0)).escrow.read.getTask([task.escrow.chain_task_id as Hex])
    expect(onChain).toMatchObject({ locked: 0n, status: 3 })
  }, 150_000)

  it('freezes a disputed task on chain until the operator resolves it; other approved work waits for it', async () => {
    const [worker, other] = [await person(7), await person(5)]
    const task = await postLocked(delivery({ proofs: ['text'], place: undefined, assignments: 2 }))
    const { assignment_id: id } = await worker.work.claim(task.task_id)
    const { assignment_id: otherId } = await other.work.claim(task.task_id)
    await worker.work.submit(id, { text: 'Done' })
    await other.work.submit(otherId, { text: 'Done too' })
    await alice.client.work.dispute(id, 'Nobody came')
    const escrow = m.contractsFor(devAccount(0)).escrow
    expect(await waitFor(async () => (await escrow.read.getTask([task.escrow.chain_task_id as Hex])).status === 2, 30_000)).toBe(true)
    expect((await alice.api.tasks.get(task.task_id)).status).toBe('disputed')
    await alice.client.work.approve(otherId)
    await new Promise((r) => setTimeout(r, 1500))
    expect((await other.work.get(otherId)).payment.state).toBe('queued')
    expect(await fail(alice.client.work.resolve(id, 'pay_worker'))).toMatchObject({ status: 403 })
    expect((await alice.client.work.disputes()).assignments.map((a) => a.assignment_id)).toEqual([id])

    const operator = await person(0)
    await operator.work.resolve(id, 'pay_worker', 'the recipient confirmed by phone')
    expect(await waitFor(async () => (await alice.api.tasks.get(task.task_id)).status === 'completed', 30_000)).toBe(true)
    expect((await worker.work.get(id)).payment.state).toBe('paid')
    expect((await other.work.get(otherId)).payment).toMatchObject({ state: 'paid', amount: '4.6' })
    expect((await escrow.read.getTask([task.escrow.chain_task_id as Hex]))).toMatchObject({ status: 3, locked: 0n })
  }, 90_000)

  it('rules misuse in a dispute: half the worker’s stake goes to the treasury on chain, and the worker is banned for good', async () => {
    const [staked] = await m.stakeNodes([devAccount(8)])
    const worker = await person(8)
    const task = await postLocked(delivery({ proofs: ['text'], place: undefined }))
    const { assignment_id: id } = await worker.work.claim(task.task_id)
    await worker.work.submit(id, { text: 'Done' })
    const before = await m.tokenState([staked!.address, treasury])
    await alice.client.work.dispute(id, 'The parcel was opened')
    const operator = await person(0)
    expect(await fail(alice.client.work.resolve(id, 'misuse'))).toMatchObject({ status: 403 })
    expect(await operator.work.resolve(id, 'misuse', 'the seal was broken')).toMatchObject({ status: 'rejected' })
    const registry = m.contractsFor(devAccount(0)).registry
    expect(await waitFor(async () => (await registry.read.getNode([staked!.address])).banned, 30_000)).toBe(true)
    const node = await registry.read.getNode([staked!.address])
    expect(node.stake).toBe(parseTokens('50'))
    expect(node.reputation).toBe(reputationBps({ ...NO_RECORD, disputesLost: 1 }))
    const after = await m.tokenState([staked!.address, treasury])
    expect(before.registryHeld - after.registryHeld).toBe(parseTokens('50'))
    expect(after.wallet[treasury]! - before.wallet[treasury]!).toBe(parseTokens('50'))
    expect(after.supply).toBe(before.supply)
    // Banned: Rejected on chain and in the market, with the slash and why.
    const shown = await alice.api.market.node(staked!.address)
    expect(shown).toMatchObject({ state: 'Rejected', stake: '50' })
    expect(shown.slashes).toEqual([expect.objectContaining({ reason: 'Misuse', amount: '50', assignment_id: id })])
    expect((await worker.work.get(id)).status).toBe('rejected')
  }, 90_000)

  it('refuses inconsistent manual tasks when posting', async () => {
    expect(await fail(alice.api.tasks.create(delivery({ place: undefined })))).toMatchObject({ status: 400, field: 'payload.place' })
    expect(await fail(alice.api.tasks.create(delivery({ proofs: ['checklist'] })))).toMatchObject({ status: 400, field: 'payload.checklist' })
    expect(await fail(alice.api.tasks.create(delivery({ proofs: ['fingerprint'] })))).toMatchObject({ status: 400, field: expect.stringMatching(/^payload\.proofs/) })
    expect(await fail(alice.api.tasks.create({ ...delivery({ assignments: 3 }), reward: '0.000000002' }))).toMatchObject({ status: 400, field: 'reward' })
  })
})

describe('polls', () => {
  const poll = (payload: Record<string, unknown> = {}, extra: Partial<CreateTaskBody> = {}): CreateTaskBody => ({
    challenge_type: 'poll',
    reward: '3',
    payload: { title: 'Best name for the park?', options: ['Linden', 'Oak', 'Birch'], respondents: 5, ...payload },
    ...extra,
  })

  it('pays the 3 voters of a 5-voter majority; refuses a second vote and a vote after closing', async () => {
    const voters = [2, 3, 4, 5, 6].map((i) => devAccount(i).address)
    const before = await books([alice.account.address, ...voters, treasury], [])
    const task = await postLocked(poll({ gold: [{ question: 'How many legs has a cat?', options: ['three', 'four'], answer: 1 }] }))
    expect(JSON.stringify(task.payload)).not.toContain('"answer"')
    const choices = [0, 1, 1, 2, 1]
    for (const [i, option] of choices.entries()) {
      const voter = await person(i + 2)
      if (i === 0) {
        expect(await fail(voter.polls.vote(task.task_id, 7, [1]))).toMatchObject({ status: 400, field: 'option' })
        expect(await fail(voter.polls.vote(task.task_id, 0))).toMatchObject({ status: 400, field: 'gold' })
      }
      const vote = await voter.polls.vote(task.task_id, option, [1])
      expect(vote).toEqual({ accepted: true, votes: i + 1, closed: i === 4 })
      if (i === 0) {
        expect(await fail(voter.polls.vote(task.task_id, 1, [1]))).toMatchObject({ status: 409, message: expect.stringContaining('already voted') })
        expect((await voter.polls.get(task.task_id)).counts).toBeNull()
        expect((await alice.client.polls.get(task.task_id)).counts).toEqual([1, 0, 0])
      }
    }
    expect(await fail((await person(7)).polls.vote(task.task_id, 1, [1]))).toMatchObject({ status: 409, message: expect.stringContaining('closed') })
    expect(await waitFor(async () => (await alice.api.tasks.get(task.task_id)).status === 'completed', 30_000)).toBe(true)
    const view = await (await person(2)).polls.get(task.task_id)
    expect(view).toMatchObject({ closed: true, counts: [1, 3, 1], my_vote: 0, can_vote: false, outcome: { winners: [1], paid: [voters[1], voters[2], voters[4]], amount_each: '0.92' } })

    const after = await books([alice.account.address, ...voters, treasury], [task.escrow.chain_task_id])
    for (const [i, address] of voters.entries()) {
      expect(after.state.escrow[address]! - before.state.escrow[address]!).toBe(choices[i] === 1 ? parseTokens('0.92') : 0n)
    }
    expect(after.state.escrow[treasury]! - before.state.escrow[treasury]!).toBe(parseTokens('0.24'))
    expect(after.total).toBe(before.total)
    expect(after.state.escrowHeld).toBe(before.state.escrowHeld)
    expect((await alice.api.tasks.records(task.task_id)).records).toHaveLength(5)
  }, 90_000)

  it('screens out a respondent who misses a check question, and lets the poster close early', async () => {
    const task = await postLocked(poll({ gold: [{ question: 'Is water wet?', options: ['no', 'yes'], answer: 1 }] }))
    await (await person(2)).polls.vote(task.task_id, 0, [1])
    await (await person(3)).polls.vote(task.task_id, 2, [0])
    // While the poll is open, nobody is told whether their gold answers were right.
    expect((await (await person(3)).polls.get(task.task_id)).my_screened).toBeNull()
    expect(await fail((await person(3)).polls.close(task.task_id))).toMatchObject({ status: 403 })
    const closed = await alice.client.polls.close(task.task_id)
    expect(closed).toMatchObject({ closed: true, counts: [1, 0, 0], my_screened: null, outcome: { winners: [0], paid: [devAccount(2).address], screened: 1, amount_each: '2.76' } })
    // Once closed, the screened-out voter is told so; the counted one is told they counted.
    expect((await (await person(3)).polls.get(task.task_id)).my_screened).toBe(true)
    expect((await (await person(2)).polls.get(task.task_id)).my_screened).toBe(false)
    expect(await waitFor(async () => (await alice.api.tasks.get(task.task_id)).status === 'completed', 30_000)).toBe(true)
  }, 60_000)

  it('refuses a gold answer that is not one of its options', async () => {
    expect(await fail(alice.api.tasks.create(poll({ gold: [{ question: 'q', options: ['a', 'b'], answer: 2 }] })))).toMatchObject({ status: 400, field: 'payload.gold.0.answer' })
  })
})

describe('qualifications', () => {
  it('keeps a worker who does not qualify from seeing or taking the task', async () => {
    const [qualified, other] = [await person(8), await person(9)]
    await qualified.profiles.put({ descriptors: { languages: ['de', 'en'] }, sensitive_opt_in: true, sensitive: { date_of_birth: '1990-01-01' } })
    await other.profiles.put({ descriptors: { languages: ['fr'] }, sensitive_opt_in: false })
    const task = await postLocked({
      ...poll_({ respondents: 2 }),
      qualifications: [{ field: 'languages', op: 'in', value: ['de'] }, { field: 'age', op: 'gte', value: 18 }],
    })
    const ids = async (c: TaskMarketClient) => (await c.tasks.list({ challenge_type: 'poll', limit: 200 })).tasks.map((t) => t.task_id)
    expect(await ids(qualified)).toContain(task.task_id)
    expect(await ids(other)).not.toContain(task.task_id)
    expect(await ids(m.client())).not.toContain(task.task_id)
    expect(await ids(alice.client)).toContain(task.task_id)
    expect(await fail(other.tasks.get(task.task_id))).toMatchObject({ status: 404 })
    const refused = await fail(other.polls.vote(task.task_id, 0))
    expect(refused).toMatchObject({ status: 403, message: expect.stringContaining('languages in ["de"]') })
    expect((await alice.client.polls.get(task.task_id)).votes).toBe(0)
    expect(await qualified.polls.vote(task.task_id, 0)).toMatchObject({ accepted: true, votes: 1 })
  }, 60_000)

  it('asks only the people drawn at random among those who qualify', async () => {
    const candidates = [10, 11, 12]
    for (const i of candidates) await (await person(i)).profiles.put({ descriptors: { interests: ['parks'] }, sensitive_opt_in: false })
    const task = await postLocked({ ...poll_({ respondents: 1, selection: 'random' }), qualifications: [{ field: 'interests', op: 'in', value: ['parks'] }] })
    const drawn: number[] = []
    for (const i of candidates) {
      const client = await person(i)
      const sees = (await client.tasks.list({ challenge_type: 'poll', limit: 200 })).tasks.some((t) => t.task_id === task.task_id)
      if (sees) {
        expect((await client.polls.get(task.task_id)).can_vote).toBe(true)
        drawn.push(i)
      } else {
        expect(await fail(client.polls.vote(task.task_id, 0))).toMatchObject({ status: 403, message: expect.stringContaining('drawn at random') })
      }
    }
    expect(drawn).toHaveLength(2) // 2 invitations per respondent wanted
    expect(await (await person(drawn[0]!)).polls.vote(task.task_id, 1)).toEqual({ accepted: true, votes: 1, closed: true })
  }, 60_000)

  function poll_(payload: Record<string, unknown>): CreateTaskBody {
    return { challenge_type: 'poll', reward: '1', payload: { title: 'Which dialect?', options: ['Berlinisch', 'Bairisch'], respondents: 2, ...payload } }
  }
})
