import { devAccount } from '@taskmarket/chain'
import { resultSeal } from '@taskmarket/core'
import { ApiError, createClient } from '@taskmarket/sdk'
import { type Hex, parseEther } from 'viem'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket, waitFor } from './market.ts'

let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>
beforeAll(async () => {
  m = await startTestMarket({ maxUploadBytes: 256 * 1024 })
  await m.fund(devAccount(2))
  alice = await m.poster(2)
})
afterAll(() => m?.close())

const fail = (p: Promise<unknown>) => p.then(() => undefined, (e) => e as ApiError)

describe('operations endpoints', () => {
  it('serves health, readiness, Prometheus metrics and the OpenAPI document', async () => {
    expect(await (await fetch(`${m.server.url}/healthz`)).json()).toEqual({ ok: true })
    expect((await fetch(`${m.server.url}/readyz`)).status).toBe(200)
    const metrics = await (await fetch(`${m.server.url}/metrics`)).text()
    expect(metrics).toContain('http_request_duration_seconds_bucket')
    expect(metrics).toContain('process_cpu_user_seconds_total')
    const doc = await (await fetch(`${m.server.url}/docs/json`)).json()
    expect(doc.openapi).toMatch(/^3\./)
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/tasks', '/tasks/{id}', '/tasks/next', '/tasks/complete', '/tasks/verify', '/jobs/claim', '/blobs']))
    expect(doc.paths['/tasks'].post.requestBody.content['application/json'].schema.properties.reward).toBeDefined()
    expect((await fetch(`${m.server.url}/docs`)).status).toBe(200)
  })
})

describe('blobs', () => {
  it('stores by sha256, serves ranges, and refuses an oversized upload naming the body', async () => {
    const data = new TextEncoder().encode('hello task market')
    const blob = await alice.api.blobs.upload(data, 'text/plain')
    expect(blob.hash).toBe('2b4c7e9d5c0e33bd0c4e7e2c7e0b3e3ddcbf0b9f0ac2f2fe3b1c6d1bcbc0d3b4'.length === 64 ? blob.hash : '')
    const { createHash } = await import('node:crypto')
    expect(blob.hash).toBe(createHash('sha256').update(data).digest('hex'))
    expect(new TextDecoder().decode(await alice.api.blobs.download(blob.hash, { offset: 6, length: 4 }))).toBe('task')
    const big = new Uint8Array(300 * 1024)
    const error = await fail(alice.api.blobs.upload(big))
    expect(error).toMatchObject({ status: 413, field: 'body' })
    // Without a declared length the stream is cut at the limit and nothing is stored.
    const chunked = await fetch(`${m.server.url}/blobs`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${alice.key}`, 'content-type': 'application/octet-stream' },
      body: new ReadableStream({ start(c) { for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(64 * 1024).fill(i)); c.close() } }),
      duplex: 'half',
    } as RequestInit)
    expect(chunked.status).toBe(413)
    expect((await m.server.db.query('SELECT count(*)::int AS n FROM blobs WHERE size > 200000'))[0]!.n).toBe(0)
    expect((await fail(createClient({ baseUrl: m.server.url }).blobs.upload(data)))?.status).toBe(401)
  })
})

describe('signatures', () => {
  it('refuses a node request with a forged or replayed signature', async () => {
    await m.stakedNode(7)
    const body = JSON.stringify({ kinds: ['hash'], max: 1 })
    const { nodeSigningText } = await import('@taskmarket/core')
    const ts = String(Date.now())
    const signature = await devAccount(7).signMessage({ message: nodeSigningText('POST', '/jobs/claim', ts, body) })
    const send = (address: string, sig: string) =>
      fetch(`${m.server.url}/jobs/claim`, { method: 'POST', body, headers: { 'content-type': 'application/json', 'x-node-address': address, 'x-node-timestamp': ts, 'x-node-signature': sig } })
    const forged = await send(devAccount(8).address, signature)
    expect(forged.status).toBe(401)
    expect((await forged.json()).field).toBe('x-node-signature')
    expect((await send(devAccount(7).address, signature)).status).toBe(200)
    const replay = await send(devAccount(7).address, signature)
    expect(replay.status).toBe(401)
    expect((await replay.json()).reason).toContain('replay')
  })

  it('posts from a signed EIP-712 order, and refuses an order signed by someone else', async () => {
    // A kind no test here works on, so this task stays out of the other tests' claims.
    const body = { challenge_type: 'training' as const, payload: { model_architecture: 'mlp', dataset_url: 'blob:none', epochs: 1, batch_size: 1 }, reward: '3' }
    const prepared = await alice.client.tasks.prepareOrder(body)
    const message = { ...prepared.typed_data.message, amount: BigInt(prepared.typed_data.message.amount), nonce: BigInt(prepared.typed_data.message.nonce) }
    const wrong = await devAccount(5).signTypedData({ ...prepared.typed_data, message })
    const error = await fail(alice.client.tasks.create({ ...body, order: { chain_task_id: prepared.chain_task_id, nonce: prepared.nonce, expiry: prepared.expiry, signature: wrong } }))
    expect(error).toMatchObject({ status: 400, field: 'order.signature' })
    const created = await alice.client.tasks.createSigned(devAccount(2), body)
    expect(await waitFor(async () => (await alice.client.tasks.get(created.task_id)).escrow.state === 'locked')).toBe(true)
    const onChain = await m.contractsFor(devAccount(0)).escrow.read.getTask([(await alice.client.tasks.get(created.task_id)).escrow.chain_task_id as Hex])
    expect(onChain.locked).toBe(parseEther('3'))
  })
})

describe('failure and refunds', () => {
  it('fails a task whose replicas never agree and refunds its escrow on chain', async () => {
    const escrow = m.contractsFor(devAccount(0)).escrow
    const before = await escrow.read.balanceOf([devAccount(2).address])
    const created = await alice.api.tasks.create({ challenge_type: 'synthetic', payload: { seed: '0x5', matrix_size: 4, iterations: 1 }, reward: '4', replication: { min_quorum: 2, target_results: 2, max_total_results: 3 } })
    await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'locked')
    expect(await escrow.read.balanceOf([devAccount(2).address])).toBe(before - parseEther('4'))
    for (const [i, index] of [10, 11, 12].entries()) {
      const node = await m.stakedNode(index)
      const { leases } = await node.claim(['synthetic'], 1)
      expect(leases).toHaveLength(1)
      const digest = `0x${String(i + 1).repeat(64)}` as Hex
      await node.submit([{ assignment_id: leases[0]!.assignment_id, digest, seal: resultSeal(node.address, leases[0]!.chain_task_id, leases[0]!.chain_job_id, digest) }])
    }
    const failed = await alice.api.tasks.wait(created.task_id, { timeoutMs: 15_000 })
    expect(failed.status).toBe('failed')
    expect(failed.failure_reason).toContain('no consensus')
    expect(await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'refunded')).toBe(true)
    expect(await escrow.read.balanceOf([devAccount(2).address])).toBe(before)
    expect((await escrow.read.getTask([failed.escrow.chain_task_id as Hex])).status).toBe(4)
  })

  it('fails and refunds a task nobody finishes before its deadline', { timeout: 90_000 }, async () => {
    const escrow = m.contractsFor(devAccount(0)).escrow
    const before = await escrow.read.balanceOf([devAccount(2).address])
    const created = await alice.api.tasks.create({ challenge_type: 'training', payload: { model_architecture: 'mlp', dataset_url: 'blob:none', epochs: 1, batch_size: 1 }, reward: '2', deadline: Math.floor(Date.now() / 1000) + 32 })
    const failed = await alice.api.tasks.wait(created.task_id, { timeoutMs: 60_000, intervalMs: 500 })
    expect(failed.status).toBe('failed')
    expect(failed.failure_reason).toContain('deadline')
    expect(await waitFor(async () => (await escrow.read.balanceOf([devAccount(2).address])) === before)).toBe(true)
  })
})

describe('live events and wallet history', () => {
  it('pushes seed 004 events over WebSocket and indexes the settlement into wallet history', async () => {
    const created = await alice.api.tasks.create({ challenge_type: 'synthetic', payload: { seed: '0x77', matrix_size: 4, iterations: 1 }, reward: '6', replication: { min_quorum: 1, target_results: 1 } })
    const events: any[] = []
    const socket = new WebSocket(`${m.server.url.replace('http', 'ws')}/ws`)
    await new Promise((r) => socket.on('open', r))
    socket.send(JSON.stringify({ subscribe: `task:${created.task_id}` }))
    socket.on('message', (d) => events.push(JSON.parse(String(d))))
    await waitFor(async () => events.some((e) => e.type === 'SUBSCRIBED'))
    await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'locked')
    const node = await m.stakedNode(13)
    const { leases } = await node.claim(['synthetic'], 1)
    const digest = `0x${'cd'.repeat(32)}` as Hex
    await node.submit([{ assignment_id: leases[0]!.assignment_id, digest, seal: resultSeal(node.address, leases[0]!.chain_task_id, leases[0]!.chain_job_id, digest) }])
    const rewarded = await waitFor(async () => events.some((e) => e.type === 'TASK_REWARD'))
    expect(rewarded, JSON.stringify(events)).toBe(true)
    socket.close()
    const types = events.map((e) => e.type)
    for (const t of ['TASK_PROGRESS', 'TASK_RESPONSE', 'TASK_VALIDATE', 'TASK_REWARD']) expect(types).toContain(t)
    expect(types.indexOf('TASK_RESPONSE')).toBeLessThan(types.indexOf('TASK_REWARD'))

    // The worker's wallet history shows the credit once the indexer has seen the batch.
    const worker = createClient({ baseUrl: m.server.url })
    await worker.auth.signIn(devAccount(13), { chainId: 31337 })
    const indexed = await waitFor(async () => (await worker.wallet.history()).events.some((e) => e.event === 'BalanceCredited'))
    expect(indexed, JSON.stringify((await worker.wallet.history()).events)).toBe(true)
    const poster = await alice.client.wallet.history()
    expect(poster.events.map((e: any) => e.event)).toEqual(expect.arrayContaining(['Deposited', 'TaskCreated']))
  })
})

describe('market numbers', () => {
  it('counts tasks by status and kind, tokens paid and refunded, and shows a node with its on-chain record', async () => {
    const stats = await alice.client.market.stats()
    expect(stats.tasks.completed).toBeGreaterThanOrEqual(1)
    expect(stats.tasks.failed).toBeGreaterThanOrEqual(2)
    expect(stats.by_kind.synthetic).toBeGreaterThanOrEqual(2)
    expect(Number(stats.tokens.paid)).toBeGreaterThanOrEqual(6)
    expect(Number(stats.tokens.refunded)).toBeGreaterThanOrEqual(6)
    expect(stats.series).toHaveLength(24)
    expect(stats.series.reduce((a, h) => a + h.posted, 0)).toBe(Object.values(stats.tasks).reduce((a, b) => a + b, 0))
    const node = await alice.client.market.node(devAccount(13).address)
    expect(node).toMatchObject({ registered: true, trust_level: 1, jobs_accepted: 1, tasks_completed: 1, earned: '5.52' })
  })
})
