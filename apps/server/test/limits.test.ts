import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { devAccount } from '@taskmarket/chain'
import { nodeSigningText } from '@taskmarket/core'
import { encodePng } from '@taskmarket/pathtracer'
import { ApiError, createClient } from '@taskmarket/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { type TestMarket, startTestMarket, waitFor } from './market.ts'

const QUOTA = 64 * 1024
const GRACE_SECONDS = 2
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>

beforeAll(async () => {
  // Default rate limits: the suite itself (and 64 workers below) must never meet them.
  m = await startTestMarket({ blobQuotaBytes: QUOTA, blobGraceSeconds: GRACE_SECONDS, blobCollectIntervalMs: 3_600_000 })
  await m.fund(devAccount(1))
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

const failure = (p: Promise<unknown>) => p.then(() => undefined, (e) => e as ApiError)
const taskCount = async () => Number((await m.server.db.query<{ n: string }>('SELECT count(*)::text AS n FROM tasks'))[0]!.n)
const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${m.server.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.key}`, ...headers }, body })

describe('job caps at the API', () => {
  it('answers a 4096×4096 render in 8-pixel tiles with a 400 naming tile_size and the cap, and records nothing', async () => {
    const before = await taskCount()
    const error = await failure(alice.api.tasks.create({ challenge_type: 'rendering', reward: '1', payload: { scene_file: 'example:cornell', resolution: '4096x4096', tile_size: 8 } }))
    expect(error).toMatchObject({ status: 400, field: 'payload.tile_size' })
    expect(error!.message).toMatch(/262144 jobs, more than the 10000/)
    expect(await taskCount()).toBe(before)
  })
})

describe('strings no column can hold', () => {
  it('refuses NUL and lone surrogates in bodies, queries and path parameters with a 400 naming the field', async () => {
    const before = await taskCount()
    const poll = (title: string) => JSON.stringify({ challenge_type: 'poll', reward: '1', payload: { title, options: ['a', 'b'], respondents: 1 } })
    for (const [body, field] of [[poll('tea\u0000'), 'payload.title'], [poll('tea\ud800'), 'payload.title'], ['{"challenge_type":"poll","reward":"1","payload":{"x\\u0000":1}}', 'payload']] as const) {
      const response = await post('/tasks', body)
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ code: 'VALIDATION', field })
    }
    const query = await fetch(`${m.server.url}/tasks?status=pending%00`)
    expect([query.status, (await query.json()).field]).toEqual([400, 'status'])
    const params = await fetch(`${m.server.url}/tasks/%00`)
    expect([params.status, (await params.json()).field]).toEqual([400, 'id'])
    const deep = await post('/tasks', `${'['.repeat(5000)}${']'.repeat(5000)}`)
    expect([deep.status, (await deep.json()).reason]).toEqual([400, 'is nested more than 32 levels deep'])
    expect(await taskCount()).toBe(before)
  })

  it('stores a JSON blob as bytes, whatever strings it holds', async () => {
    const uploaded = await alice.api.blobs.upload('{"x":"\\u0000"}', 'application/json')
    expect(uploaded.size).toBe(14)
  })
})

describe('list bounds', () => {
  it('refuses limit and offset out of bounds, and huge numbers, naming the field', async () => {
    for (const [q, field] of [['offset=100000000000000000000', 'offset'], ['offset=100001', 'offset'], ['limit=0', 'limit'], ['limit=201', 'limit'], ['limit=1e308', 'limit'], ['offset=-1', 'offset'], ['min_reward=1e308', 'min_reward']]) {
      const response = await fetch(`${m.server.url}/tasks?${q}`)
      expect(response.status, q).toBe(400)
      expect((await response.json()).field, q).toBe(field)
    }
    expect((await fetch(`${m.server.url}/tasks?offset=100000`)).status).toBe(200)
  })

  it('pages a person’s own lists (assignments, disputes, blocks, history) within the same bounds', async () => {
    const get = (path: string) => fetch(`${m.server.url}${path}`, { headers: { authorization: `Bearer ${alice.key}` } })
    for (const path of ['/assignments', '/disputes', '/blocks', '/wallet/history']) {
      for (const [q, field] of [['limit=501', 'limit'], ['limit=0', 'limit'], ['offset=100001', 'offset'], ['limit=Infinity', 'limit']]) {
        const response = await get(`${path}?${q}`)
        expect([response.status, (await response.json()).field], `${path}?${q}`).toEqual([400, field])
      }
      expect((await get(`${path}?limit=500&offset=0`)).status, path).toBe(200)
    }
    for (let i = 0; i < 3; i++) await alice.api.profiles.block(`0x${String(i + 1).padStart(40, '0')}`)
    const page = async (q: string) => ((await (await get(`/blocks?${q}`)).json()) as { blocks: { worker: string }[] }).blocks.map((b) => b.worker)
    const all = await page('limit=500')
    expect(all).toHaveLength(3)
    expect([...(await page('limit=2')), ...(await page('limit=2&offset=2'))]).toEqual(all)
  })
})

describe('blob quota and collection', () => {
  it('refuses uploads past the uploader’s quota of unreferenced bytes with a 413 naming it; a posted task frees its input', async () => {
    const bob = await m.poster(2)
    const first = await bob.api.blobs.upload(new Uint8Array(40 * 1024).fill(1))
    const refused = await failure(bob.api.blobs.upload(new Uint8Array(40 * 1024).fill(2)))
    expect(refused).toMatchObject({ status: 413, code: 'PAYLOAD_TOO_LARGE', field: 'body' })
    expect(refused!.message).toMatch(`quota of ${QUOTA} bytes`)
    expect((await m.server.db.query('SELECT 1 FROM blobs WHERE size = $1 AND uploader = $2', [40 * 1024, bob.account.address])).length).toBe(1)
    // Another uploader is not held back by Bob's bytes.
    expect((await alice.api.blobs.upload(new Uint8Array(40 * 1024).fill(3))).size).toBe(40 * 1024)

    await m.fund(bob.account)
    await bob.api.tasks.create({ challenge_type: 'hash', reward: '1', payload: { input: first.hash, chunk_size: 64 * 1024 } })
    await m.server.blobs.collect()
    expect((await bob.api.blobs.upload(new Uint8Array(40 * 1024).fill(2))).size).toBe(40 * 1024)
  })

  it('collects blobs nothing references once their grace period is over, row and file; keeps referenced ones and proofs', async () => {
    const orphan = await alice.api.blobs.upload('nobody uses me')
    const input = await alice.api.blobs.upload('a dataset')
    await alice.api.tasks.create({ challenge_type: 'hash', reward: '1', payload: { input: input.hash, chunk_size: 1024 } })

    // A proof photo of a manual assignment is referenced only from the assignment's answer.
    const manual = await alice.api.tasks.create({ challenge_type: 'manual', reward: '1', payload: { title: 'Photo', description: 'Take one', proofs: ['photo'] } })
    expect(await waitFor(async () => (await alice.api.tasks.get(manual.task_id)).escrow.state === 'locked')).toBe(true)
    const carol = createClient({ baseUrl: m.server.url })
    await carol.auth.signIn(devAccount(3), { chainId: m.server.chain.chain.id })
    const claimed = await carol.work.claim(manual.task_id)
    await carol.work.uploadProof(claimed.assignment_id, 'photo', encodePng(2, 2, new Uint8Array(16).fill(9)))
    const [photo] = await m.server.db.query<{ hash: string }>(`SELECT answer->'photo'->>'sha256' AS hash FROM assignments WHERE id = $1`, [claimed.assignment_id])

    await new Promise((r) => setTimeout(r, GRACE_SECONDS * 1000 + 500))
    const fresh = await alice.api.blobs.upload('uploaded just now')
    await m.server.blobs.collect()
    const kept = async (hash: string) => (await m.server.db.query('SELECT 1 FROM blobs WHERE hash = $1', [hash])).length === 1 && existsSync(join(m.server.config.blobDir, hash.slice(0, 2), hash))
    expect(await kept(orphan.hash)).toBe(false)
    expect((await fetch(`${m.server.url}/blobs/${orphan.hash}`)).status).toBe(404)
    expect(await kept(input.hash)).toBe(true)
    expect(await kept(photo!.hash)).toBe(true)
    expect(await kept(fresh.hash)).toBe(true)
    // Uploaded again, a collected blob is back.
    expect((await alice.api.blobs.upload('nobody uses me')).hash).toBe(orphan.hash)
    expect(await kept(orphan.hash)).toBe(true)
  })
})

describe('rate limits', () => {
  it('never limits 64 workers, each with its own key, at full speed on one host', async () => {
    const nodes = Array.from({ length: 64 }, (_, i) => m.node(100 + i))
    const statuses = await Promise.all(nodes.map(async (node) => {
      const seen: number[] = []
      for (let i = 0; i < 6; i++) seen.push(await node.heartbeat([]).then(() => 200, (e: ApiError) => e.status))
      return seen
    }))
    expect(statuses.flat().filter((s) => s !== 200)).toEqual([])
  }, 120_000)

  it('answers 429 with Retry-After and a JSON error per client: identity when authenticated, address otherwise; sign-in tighter', async () => {
    const common = m.server.common
    const app = await buildApp({ ...common, config: { ...common.config, rateLimit: { perMinute: 60, burst: 3, authPerMinute: 60, authBurst: 2 } } })
    const get = (url: string, remoteAddress = '10.0.0.1', headers: Record<string, string> = {}) => app.inject({ method: 'GET', url, remoteAddress, headers })
    try {
      expect((await Promise.all([1, 2, 3].map(() => get('/tasks')))).map((r) => r.statusCode)).toEqual([200, 200, 200])
      const limited = await get('/tasks')
      expect(limited.statusCode).toBe(429)
      expect(Number(limited.headers['retry-after'])).toBeGreaterThanOrEqual(1)
      expect(limited.json()).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', error: 'Too Many Requests' })
      // Another address has its own budget; an API key its own, on the same address.
      expect((await get('/tasks', '10.0.0.2')).statusCode).toBe(200)
      expect((await get('/tasks', '10.0.0.3', { authorization: `Bearer ${alice.key}` })).statusCode).toBe(200)
      // Sign-in: two nonces per address and window.
      expect([(await get('/auth/nonce', '10.0.0.4')).statusCode, (await get('/auth/nonce', '10.0.0.4')).statusCode, (await get('/auth/nonce', '10.0.0.4')).statusCode]).toEqual([200, 200, 429])

      // Two node keys on one address: each has its own budget.
      const signed = async (index: number) => {
        const account = devAccount(200 + index)
        const body = JSON.stringify({ leases: [] })
        const timestamp = String(Date.now() + index * 1000 + Math.floor(Math.random() * 1000))
        const signature = await account.signMessage({ message: nodeSigningText('POST', '/jobs/heartbeat', timestamp, body) })
        return app.inject({ method: 'POST', url: '/jobs/heartbeat', remoteAddress: '10.0.0.5', payload: body, headers: { 'content-type': 'application/json', 'x-node-address': account.address, 'x-node-timestamp': timestamp, 'x-node-signature': signature } })
      }
      const a = [], b = []
      for (let i = 0; i < 4; i++) a.push((await signed(0)).statusCode)
      for (let i = 0; i < 3; i++) b.push((await signed(1)).statusCode)
      expect(a).toEqual([200, 200, 200, 429])
      expect(b).toEqual([200, 200, 200])

      // Requests refused before their handler (bad credentials) count against the address, which is then refused up front.
      const bad = await Promise.all([1, 2, 3].map(() => get('/wallet', '10.0.0.6', { authorization: 'Bearer tm_unknown' })))
      expect(bad.map((r) => r.statusCode)).toEqual([401, 401, 401])
      expect((await get('/wallet', '10.0.0.6', { authorization: 'Bearer tm_unknown' })).statusCode).toBe(429)
    } finally {
      await app.close()
    }
  })
})
