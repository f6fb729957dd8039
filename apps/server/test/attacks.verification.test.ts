import { TaskEscrow, decodeTaskSettlement, devAccount } from '@taskmarket/chain'
import { type CreateTaskBody, errorDigest } from '@taskmarket/core'
import { type ApiError, type NodeClient, createClient } from '@taskmarket/sdk'
import { type Hex, decodeFunctionData, getAddress, parseEther, parseEventLogs } from 'viem'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { MAX_SOCKETS_PER_CLIENT } from '../src/routes/live.ts'
import { escrowBooks, expectHonestBooks } from './books.ts'
import { type TestMarket, lockedTask, sealedResult, startTestMarket, waitFor } from './market.ts'

/**
 * The attack suite, verification half (issue 9, classes 7–10 and the lease and socket limits): results
 * cannot be faked cheaply or copied, and restricted tasks leak nothing. Real anvil and database; the books
 * are checked to the wei after each test that moves tokens.
 */
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>
const fail = (p: Promise<unknown>) => p.then(() => undefined, (e) => e as ApiError)
const synthetic = (extra: Partial<CreateTaskBody> = {}): CreateTaskBody => ({ challenge_type: 'synthetic', payload: { seed: '0x99', matrix_size: 4, iterations: 1 }, reward: '10', ...extra })

beforeAll(async () => {
  m = await startTestMarket({ maxLeasesPerNode: 4 })
  await m.fund(devAccount(1))
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

const locked = (body: CreateTaskBody) => lockedTask(alice, body)

async function leaseOf(node: NodeClient, taskId: string) {
  const { leases } = await node.claim(['synthetic'], 4)
  const lease = leases.find((l) => l.task_id === taskId)
  const others = leases.filter((l) => l !== lease).map((l) => l.assignment_id)
  if (others.length) await node.release(others)
  expect(lease, `a lease of ${taskId}`).toBeDefined()
  return lease!
}

const sealed = sealedResult

function listen(topic: string, cookie?: string) {
  const events: any[] = []
  const socket = new WebSocket(`${m.server.url.replace('http', 'ws')}/ws`, cookie ? { headers: { cookie } } : {})
  socket.on('message', (d) => events.push(JSON.parse(String(d))))
  const ready = new Promise((r) => socket.on('open', r)).then(() => socket.send(JSON.stringify({ subscribe: topic })))
  return { events, socket, ready }
}

describe('results cannot be faked cheaply or copied', () => {
  it('shows no digest before a job is decided, and a copier who waits for it is refused and unpaid', async () => {
    const taskId = await locked(synthetic())
    const live = listen(`task:${taskId}`)
    await live.ready
    const [honest1, honest2, copier] = await Promise.all([m.stakedNode(5), m.stakedNode(6), m.stakedNode(7)])
    const [l1, l2, l3] = [await leaseOf(honest1, taskId), await leaseOf(honest2, taskId), await leaseOf(copier, taskId)]
    const answer = `0x${'5a'.repeat(32)}` as Hex
    await honest1.submit([sealed(honest1, l1, answer)])
    // What a copier can read before the job is decided: no digest anywhere, no seal, no TASK_RESPONSE digest.
    const jobs = (await createClient({ baseUrl: m.server.url }).tasks.jobs(taskId)).jobs
    expect(JSON.stringify(jobs)).not.toContain(answer.slice(2))
    expect(jobs[0].canonical_digest).toBeNull()
    expect(await waitFor(async () => live.events.some((e) => e.type === 'TASK_RESPONSE'))).toBe(true)
    expect(JSON.stringify(live.events)).not.toContain(answer.slice(2))
    for (const e of live.events.filter((e) => e.type === 'TASK_RESPONSE')) expect(Object.keys(e).sort()).toEqual(['taskId', 'type'])
    // Nor who holds the job: a node must not learn whether its job went to it alone (then a lie meets no
    // replica). Its poster sees the three replicas.
    expect(jobs[0].replicas).toEqual([])
    expect((await alice.api.tasks.jobs(taskId)).jobs[0].replicas).toHaveLength(3)

    await honest2.submit([sealed(honest2, l2, answer)])
    expect((await alice.api.tasks.wait(taskId, { timeoutMs: 20_000 })).status).toBe('completed')
    // Now the digest is public, and the copier's replica was cancelled when the job was decided.
    expect((await alice.api.tasks.jobs(taskId)).jobs[0].canonical_digest).toBe(answer)
    const [late] = (await copier.submit([sealed(copier, l3, answer)])).results
    expect(late).toMatchObject({ accepted: false, reason: 'lease is cancelled' })
    const books = await escrowBooks(m)
    expect(books.balance[copier.address] ?? 0n).toBe(0n)
    expect(books.balance[honest1.address]).toBe(parseEther('4.6'))
    live.socket.close()
    await expectHonestBooks(m)
  })

  it('pays the two workers who agree and gives the outvoted one nothing, not even a share slot, to the wei', async () => {
    const before = await escrowBooks(m)
    const taskId = await locked(synthetic({ reward: '10', replication: { min_quorum: 2, target_results: 3 } }))
    const [agree1, agree2, outvoted] = await Promise.all([m.stakedNode(15), m.stakedNode(16), m.stakedNode(17)])
    const [l1, l2, l3] = [await leaseOf(agree1, taskId), await leaseOf(agree2, taskId), await leaseOf(outvoted, taskId)]
    const answer = `0x${'a1'.repeat(32)}` as Hex
    const wrong = `0x${'b2'.repeat(32)}` as Hex
    // The dissenter answers before the second agreeing result, so it is counted and then outvoted (not cancelled).
    for (const [node, lease, digest] of [[agree1, l1, answer], [outvoted, l3, wrong], [agree2, l2, answer]] as const) {
      expect((await node.submit([sealed(node, lease, digest)])).results[0]).toMatchObject({ accepted: true })
    }
    expect(await waitFor(async () => (await alice.api.tasks.get(taskId)).escrow.state === 'released', 20_000)).toBe(true)
    const [job] = (await alice.api.tasks.jobs(taskId)).jobs
    const status = Object.fromEntries(job.replicas.map((r: any) => [getAddress(r.worker), r.status]))
    expect(status).toEqual({ [agree1.address]: 'valid', [agree2.address]: 'valid', [outvoted.address]: 'invalid' })

    // The settlement the server queued: two shares, the outvoted worker only in the job records (verdict 2, rejected).
    const outbox = await m.server.db.query<{ payload: any }>(`SELECT payload FROM outbox WHERE kind = 'settle' AND payload->>'task_id' = $1 AND key NOT LIKE 'slash:%'`, [taskId])
    expect(outbox).toHaveLength(1)
    // The outvoted node pays with the stake its lease put at risk instead (trust.test.ts follows the slash on chain).
    const slashes = await m.server.db.query<{ payload: any }>(`SELECT payload FROM outbox WHERE kind = 'settle' AND key = $1`, [`slash:${l3.assignment_id}`])
    expect(slashes.map((s) => s.payload.slashes.map((x: any) => [getAddress(x.address), x.reason]))).toEqual([[[outvoted.address, 'WrongResult']]])
    expect(outbox[0]!.payload.workers.map((w: any) => [getAddress(w.address), w.weight]).sort()).toEqual([[agree1.address, 1], [agree2.address, 1]].sort())
    expect(outbox[0]!.payload.records.map((r: any) => [getAddress(r.worker), r.verdict]).sort()).toEqual([[agree1.address, 1], [agree2.address, 1], [outvoted.address, 2]].sort())

    // What the chain was sent and did: the settle call names two worker shares for this task, and credits no one else.
    const [task] = await m.server.db.query<{ chain_task_id: Hex; settlement_batch: Hex }>('SELECT chain_task_id, settlement_batch FROM tasks WHERE id = $1', [taskId])
    const [batch] = await m.server.db.query<{ tx_hash: Hex }>('SELECT tx_hash FROM chain_batches WHERE batch_id = $1', [task!.settlement_batch])
    const { input } = await m.publicClient.getTransaction({ hash: batch!.tx_hash })
    const call = decodeFunctionData({ abi: TaskEscrow.abi, data: input })
    expect(call.functionName).toBe('settle')
    const sent = (call.args as any)[0] as { batchId: Hex; accounts: Hex[]; tasks: { taskId: Hex; terms: bigint; shares: bigint[] }[] }
    const ours = sent.tasks.filter((t) => t.taskId.toLowerCase() === task!.chain_task_id.toLowerCase()).map(decodeTaskSettlement)
    expect(ours).toHaveLength(1)
    expect(ours[0]).toMatchObject({ amount: parseEther('10'), close: true, validators: [] })
    expect(ours[0]!.workers.map((w) => [getAddress(sent.accounts[w.account]!), w.weight]).sort()).toEqual([[agree1.address, 1], [agree2.address, 1]].sort())
    const receipt = await m.publicClient.getTransactionReceipt({ hash: batch!.tx_hash })
    const credited = parseEventLogs({ abi: TaskEscrow.abi, logs: receipt.logs, eventName: 'BalanceCredited' }).map((e) => getAddress(e.args.account))
    expect(credited).not.toContain(outvoted.address)
    expect(await m.contractsFor(devAccount(0)).escrow.read.batchRoot([sent.batchId])).toBe((await alice.api.tasks.records(taskId)).records[0].jobs_root)

    // The money, to the wei: 92% of 10 split between the two, 8% to the treasury, nothing to the dissenter.
    const after = await escrowBooks(m)
    const gained = (a: Hex) => (after.balance[getAddress(a)] ?? 0n) - (before.balance[getAddress(a)] ?? 0n)
    expect(gained(agree1.address)).toBe(parseEther('4.6'))
    expect(gained(agree2.address)).toBe(parseEther('4.6'))
    expect(gained(outvoted.address)).toBe(0n)
    expect(gained(m.server.chain.deployment.treasury)).toBe(parseEther('0.8'))
    expect(gained(alice.account.address)).toBe(-parseEther('10'))
    expect(after.locked.get(task!.chain_task_id.toLowerCase() as Hex)).toBe(0n)
    expect(after.held).toBe(before.held)
    await expectHonestBooks(m)
  })

  it('gives compute work only to nodes with the level-1 stake, and refuses a task that asks for less', async () => {
    const taskId = await locked(synthetic({ replication: { min_quorum: 1, target_results: 1 } }))
    const free = m.node(20) // a key with no stake: a free identity
    expect(await fail(free.claim(['synthetic'], 1))).toMatchObject({ status: 403, field: 'authorization', message: expect.stringContaining('stake 100 tokens') })
    expect(await fail(free.http.json('GET', '/tasks/next?kinds=synthetic'))).toMatchObject({ status: 403 })
    expect(await fail(alice.api.tasks.create(synthetic({ min_trust_level: 0 })))).toMatchObject({ status: 400, field: 'min_trust_level' })
    const staked = await m.stakedNode(21)
    await staked.submit([sealed(staked, await leaseOf(staked, taskId), `0x${'11'.repeat(32)}`)])
    expect((await alice.api.tasks.wait(taskId, { timeoutMs: 20_000 })).status).toBe('completed')
    await expectHonestBooks(m)
  })

  it('decides and pays a job whose replicas agree that it errors, so a poster cannot get work for free', async () => {
    const before = await escrowBooks(m)
    const taskId = await locked(synthetic({ reward: '6' }))
    const [a, b, c] = await Promise.all([m.stakedNode(8), m.stakedNode(9), m.stakedNode(10)])
    const [la, lb, lc] = [await leaseOf(a, taskId), await leaseOf(b, taskId), await leaseOf(c, taskId)]
    // An error without a code is not an answer anyone can agree on.
    await a.submit([{ assignment_id: la.assignment_id, digest: null, error: 'trapped: unreachable', error_code: 'EXECUTION_FAILED' }])
    await b.submit([{ assignment_id: lb.assignment_id, digest: null, error: 'trapped: unreachable', error_code: 'EXECUTION_FAILED' }])
    const done = await alice.api.tasks.wait(taskId, { timeoutMs: 20_000 })
    expect(done).toMatchObject({ status: 'completed', escrow: { paid: '6' } })
    const [job] = (await alice.api.tasks.jobs(taskId)).jobs
    expect(job).toMatchObject({ canonical_digest: errorDigest('EXECUTION_FAILED'), canonical_error: 'EXECUTION_FAILED' })
    expect((await c.submit([{ assignment_id: lc.assignment_id, digest: null, error_code: 'EXECUTION_FAILED' }])).results[0]).toMatchObject({ accepted: false })
    const after = await escrowBooks(m)
    for (const node of [a, b]) expect(after.balance[node.address]! - (before.balance[node.address] ?? 0n)).toBe(parseEther('2.76'))
    expect(after.balance[alice.account.address]).toBe(before.balance[alice.account.address]! - parseEther('6'))
    await expectHonestBooks(m)
  })

  it('caps the leases one node holds, so a few keys cannot hoard a task', async () => {
    const taskId = await locked({ challenge_type: 'hash', payload: { input: (await alice.api.blobs.upload(new Uint8Array(8 * 1024).fill(7))).hash, chunk_size: 1024 }, reward: '8', replication: { min_quorum: 1, target_results: 1 } })
    const hoarder = await m.stakedNode(11)
    const { leases } = await hoarder.claim(['hash'], 100)
    expect(leases).toHaveLength(4) // maxLeasesPerNode in this market
    expect(await fail(hoarder.claim(['hash'], 100))).toMatchObject({ status: 429, field: 'max' })
    await hoarder.release(leases.map((l) => l.assignment_id))
    expect((await hoarder.claim(['hash'], 1)).leases.filter((l) => l.task_id === taskId)).toHaveLength(1)
  })
})

describe('restricted tasks and open polls leak nothing', () => {
  it('gives a restricted poll’s jobs, records, result and live topic only to those who may see the task', async () => {
    const insider = createClient({ baseUrl: m.server.url })
    await insider.auth.signIn(devAccount(12), { chainId: m.server.chain.chain.id })
    await insider.profiles.put({ descriptors: { languages: ['la'] }, sensitive_opt_in: false })
    const outsider = createClient({ baseUrl: m.server.url })
    await outsider.auth.signIn(devAccount(13), { chainId: m.server.chain.chain.id })
    const publicFeed = listen('tasks')
    await publicFeed.ready
    const taskId = await locked({ challenge_type: 'poll', reward: '2', payload: { title: 'Secret vote', options: ['yes', 'no'], respondents: 2 }, qualifications: [{ field: 'languages', op: 'in', value: ['la'] }] })
    await insider.polls.vote(taskId, 1)
    const anonymous = createClient({ baseUrl: m.server.url })
    for (const viewer of [outsider, anonymous]) {
      expect(await fail(viewer.tasks.get(taskId))).toMatchObject({ status: 404 })
      expect(await fail(viewer.tasks.jobs(taskId))).toMatchObject({ status: 404 })
      expect(await fail(viewer.tasks.records(taskId))).toMatchObject({ status: 404 })
      expect(await fail(viewer.http.json('GET', `/tasks/${taskId}/result`))).toMatchObject({ status: 404 })
    }
    const spy = listen(`task:${taskId}`)
    await spy.ready
    expect(await waitFor(async () => spy.events.some((e) => e.type === 'ERROR' && e.code === 'NOT_FOUND'))).toBe(true)
    expect(spy.events.some((e) => e.type === 'SUBSCRIBED')).toBe(false)
    // The insider sees the poll, but even the poll's jobs show no vote digest before it closes.
    const seen = (await insider.tasks.jobs(taskId)).jobs
    expect(seen.flatMap((j: any) => j.replicas).some((r: any) => r.digest)).toBe(false)
    expect(publicFeed.events.some((e) => e.taskId === taskId)).toBe(false)
    // An unrestricted task does go out on the public topic.
    const open = await locked(synthetic({ reward: '1' }))
    expect(await waitFor(async () => publicFeed.events.some((e) => e.taskId === open))).toBe(true)
    spy.socket.close()
    publicFeed.socket.close()
  })

  it('keeps an open poll’s votes underivable until it closes', async () => {
    const taskId = await locked({ challenge_type: 'poll', reward: '2', payload: { title: 'Open vote', options: ['red', 'blue'], respondents: 2 } })
    const voter = createClient({ baseUrl: m.server.url })
    await voter.auth.signIn(devAccount(14), { chainId: m.server.chain.chain.id })
    await voter.polls.vote(taskId, 0)
    const jobs = (await createClient({ baseUrl: m.server.url }).tasks.jobs(taskId)).jobs
    expect(jobs.flatMap((j: any) => j.replicas).filter((r: any) => r.digest)).toEqual([])
    expect(jobs.every((j: any) => j.canonical_digest === null)).toBe(true)
  })

  it('limits the sockets one client opens', async () => {
    const sockets = Array.from({ length: MAX_SOCKETS_PER_CLIENT + 1 }, () => new WebSocket(`${m.server.url.replace('http', 'ws')}/ws`))
    const closes = await Promise.all(sockets.map((s) => new Promise<number | undefined>((resolve) => {
      s.on('close', (code) => resolve(code))
      setTimeout(() => resolve(undefined), 3000)
    })))
    expect(closes.filter((c) => c === 1008)).toHaveLength(1)
    for (const s of sockets) s.close()
  })
})
