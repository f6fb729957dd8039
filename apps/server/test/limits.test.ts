import { existsSync } from 'node:fs'
import { Agent, request as httpRequest } from 'node:http'
import { join } from 'node:path'
import { devAccount } from '@taskmarket/chain'
import { nodeSigningText } from '@taskmarket/core'
import { encodePng } from '@taskmarket/pathtracer'
import { ApiError, createClient } from '@taskmarket/sdk'
import WebSocket from 'ws'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { buildApp } from '../src/app.ts'
import { MAX_SOCKETS_PER_CLIENT, MAX_SUBSCRIPTIONS_PER_SOCKET } from '../src/routes/live.ts'
import { openLiveSocket } from './liveSocket.ts'
import { type TestMarket, startTestMarket, waitFor } from './market.ts'
import { type WorkerHostReport, startWorkerHost } from './startWorkerHost.ts'

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

describe('WebSocket limits', () => {
  const connect = (localAddress?: string) => openLiveSocket(m.server.url, localAddress)
  const count = (messages: any[], match: (message: any) => boolean) => messages.filter(match).length

  /** Task topics the anonymous viewer may subscribe to (with "tasks" and "workers", one more than the cap): small public polls. */
  const topics: string[] = []
  beforeAll(async () => {
    for (let i = 0; i < MAX_SUBSCRIPTIONS_PER_SOCKET - 1; i++) {
      const { task_id } = await alice.api.tasks.create({ challenge_type: 'poll', reward: '0.01', payload: { title: `Topic ${i}`, options: ['a', 'b'], respondents: 1 } })
      topics.push(`task:${task_id}`)
    }
  }, 60_000)

  it(`holds ${MAX_SOCKETS_PER_CLIENT} sockets per client, refuses the next with an error and close 1008, and frees a slot when one closes`, async () => {
    expect(MAX_SOCKETS_PER_CLIENT).toBeGreaterThanOrEqual(64 + 8) // 64 workers on one host each hold one, and a few browsers
    const held = Array.from({ length: MAX_SOCKETS_PER_CLIENT }, () => connect())
    await Promise.all(held.map(async (s) => {
      await s.opened
      s.send({ subscribe: 'workers' })
      await s.subscribed('workers')
    }))
    const refused = connect()
    expect(await refused.next((e) => e.type === 'ERROR')).toMatchObject({ code: 'RATE_LIMITED', message: `too many connections: at most ${MAX_SOCKETS_PER_CLIENT} per client` })
    expect(await refused.closed).toEqual({ code: 1008, reason: 'too many connections' })
    // The held sockets still work, and another client (address) is not counted with this one.
    held[0]!.send({ subscribe: 'tasks' })
    await held[0]!.subscribed('tasks')
    const other = connect('127.0.0.2')
    await other.opened
    other.send({ subscribe: 'workers' })
    await other.subscribed('workers')

    await held.pop()!.close()
    // The server counts the close when it sees it; one more socket fits then.
    expect(await waitFor(async () => {
      const again = connect()
      await again.opened
      again.send({ subscribe: 'workers' })
      const ok = await again.subscribed('workers').then(() => true, () => false)
      if (ok) held.push(again)
      else await again.close()
      return ok
    }, 5000)).toBe(true)
    await Promise.all([...held, other].map((s) => s.close()))
  })

  it(`accepts ${MAX_SUBSCRIPTIONS_PER_SOCKET} topics on a socket and refuses the next one clearly, the socket still usable`, async () => {
    const live = connect()
    await live.opened
    const wanted = ['tasks', 'workers', ...topics.slice(0, MAX_SUBSCRIPTIONS_PER_SOCKET - 2)]
    for (const topic of wanted) {
      live.send({ subscribe: topic })
      await live.subscribed(topic)
    }
    const extra = topics[MAX_SUBSCRIPTIONS_PER_SOCKET - 2]!
    live.send({ subscribe: extra })
    expect(await live.next((e) => e.type === 'ERROR')).toEqual({ type: 'ERROR', code: 'RATE_LIMITED', topic: extra, message: `subscribe: at most ${MAX_SUBSCRIPTIONS_PER_SOCKET} topics per connection; unsubscribe one first` })
    // Subscribing again to a topic it holds takes no new slot and is no error.
    live.send({ subscribe: 'tasks' })
    // After an unsubscribe the slot is free again: the socket is still open and usable.
    live.send({ unsubscribe: topics[0] })
    live.send({ subscribe: extra })
    await live.subscribed(extra)
    expect(live.socket.readyState).toBe(WebSocket.OPEN)
    expect(count(live.messages, (e) => e.type === 'SUBSCRIBED')).toBe(MAX_SUBSCRIPTIONS_PER_SOCKET + 1)
    expect(count(live.messages, (e) => e.type === 'ERROR')).toBe(1)
    // Events still arrive on it: a new public task goes out on "tasks".
    const { task_id } = await alice.api.tasks.create({ challenge_type: 'poll', reward: '0.01', payload: { title: 'One more', options: ['a', 'b'], respondents: 1 } })
    await live.next((e) => e.taskId === task_id, 15_000)
    await live.close()
  })

  it('keeps the cap when subscribes arrive in one burst, faster than the server checks each task', async () => {
    const live = connect()
    await live.opened
    const burst = [...topics.slice(0, MAX_SUBSCRIPTIONS_PER_SOCKET - 1), 'tasks', 'workers'] // one more than the cap; task topics need a database read each
    for (const topic of burst) live.send({ subscribe: topic })
    expect(await waitFor(async () => live.messages.length >= burst.length, 10_000)).toBe(true)
    await new Promise((r) => setTimeout(r, 300)) // nothing more comes
    expect(count(live.messages, (e) => e.type === 'SUBSCRIBED')).toBe(MAX_SUBSCRIPTIONS_PER_SOCKET)
    expect(live.messages.filter((e) => e.type === 'ERROR')).toEqual([expect.objectContaining({ code: 'RATE_LIMITED', topic: burst.at(-1) })])
    await live.close()
  })

  it('takes a message of 4 KiB and closes the socket with 1009 (message too big) on one byte more', async () => {
    const message = (bytes: number, topic: string) => {
      const json = JSON.stringify({ subscribe: topic })
      return `${json.slice(0, -1)}${' '.repeat(bytes - json.length)}}`
    }
    const live = connect()
    await live.opened
    expect(Buffer.byteLength(message(4096, 'tasks'))).toBe(4096)
    live.send(message(4096, 'tasks'))
    await live.subscribed('tasks')
    live.send(message(4097, 'workers'))
    expect(await Promise.race([live.closed, new Promise((r) => setTimeout(() => r('still open after 5 s'), 5000))])).toMatchObject({ code: 1009 })
    expect(count(live.messages, (e) => e.topic === 'workers')).toBe(0)
    // Only that socket is closed: the server goes on serving others.
    const next = connect()
    await next.opened
    next.send({ subscribe: 'workers' })
    await next.subscribed('workers')
    await next.close()
  })
})

describe('rate limits', () => {
  /** Answers the server gave so far, by route and status (its own request metrics, so nothing is missed). */
  async function answers() {
    const { values } = await m.server.common.metrics.httpDuration.get()
    const counts = new Map<string, number>()
    for (const v of values) if (v.metricName?.endsWith('_count')) counts.set(`${v.labels.route} ${v.labels.status}`, (counts.get(`${v.labels.route} ${v.labels.status}`) ?? 0) + v.value)
    return counts
  }
  const since = (before: Map<string, number>, after: Map<string, number>) =>
    new Map([...after].map(([k, n]) => [k, n - (before.get(k) ?? 0)] as const).filter(([, n]) => n > 0))

  /** Asks for sign-in nonces from `localAddress` over 4 connections as fast as they are answered, until refused (or 1000). */
  async function askUntilRefused(localAddress: string) {
    const agent = new Agent({ keepAlive: true, maxSockets: 4, localAddress })
    const get = () =>
      new Promise<{ status: number; retryAfter?: string; body: string }>((resolve, reject) => {
        const req = httpRequest({ host: '127.0.0.1', port: new URL(m.server.url).port, path: '/auth/nonce', agent, timeout: 10_000 }, (res) => {
          let body = ''
          res.on('data', (c) => (body += c))
          res.on('end', () => resolve({ status: res.statusCode!, retryAfter: res.headers['retry-after'] as string | undefined, body }))
        })
        req.on('error', reject)
        req.on('timeout', () => req.destroy(new Error('no answer to /auth/nonce within 10 s')))
        req.end()
      })
    let refused: Awaited<ReturnType<typeof get>> | undefined
    let sent = 0
    try {
      await Promise.all(Array.from({ length: 4 }, async () => {
        while (!refused && sent < 1000) {
          sent++
          const answer = await get()
          if (answer.status === 429) refused ??= answer
        }
      }))
    } finally {
      agent.destroy()
    }
    return { refused, sent }
  }

  it('never limits 64 staked workers running the real worker loop at full speed on one host, while a greedy client elsewhere gets 429', async () => {
    const WORKERS = 64
    const WINDOW_MS = 6000
    const { perMinute, burst } = m.server.config.rateLimit
    // Work for longer than the window: hash jobs of 1 KiB (claim, a signed ranged download, an output upload, a sealed submit).
    const poster = await m.poster(4)
    await m.fund(poster.account)
    const input = await poster.api.blobs.upload(new Uint8Array(60 * 1024).map((_, i) => (i * 31) % 251))
    const taskIds: string[] = []
    for (let i = 0; i < 16; i++) taskIds.push((await poster.api.tasks.create({ challenge_type: 'hash', reward: '1', payload: { input: input.hash, chunk_size: 1024 } })).task_id)
    expect(await waitFor(async () => (await Promise.all(taskIds.map((id) => poster.api.tasks.get(id)))).every((t) => t.escrow.state === 'locked'), 30_000)).toBe(true)
    await m.stakeNodes(Array.from({ length: WORKERS }, (_, i) => devAccount(100 + i)))

    // Their claims, idle waits, heartbeats at a third of the lease, downloads, uploads and submits, 2 jobs at a time (the CLI's default on 2 cores).
    const before = await answers()
    const host = await startWorkerHost({ serverUrl: m.server.url, first: 100, count: WORKERS, concurrency: 2 })
    let report: WorkerHostReport
    const started = performance.now()
    let greedy: Awaited<ReturnType<typeof askUntilRefused>>
    let everyone = false
    const leased = async () => (await m.server.db.query<{ n: number }>(`SELECT count(DISTINCT worker)::int AS n FROM assignments WHERE task_id = ANY($1::uuid[])`, [taskIds]))[0]!.n
    try {
      // Meanwhile a client on another address asks for sign-in nonces as fast as it can.
      greedy = await askUntilRefused('127.0.0.3')
      // At least the window, and until every worker has been handed work (a loaded machine serves some of them late).
      everyone = await waitFor(async () => performance.now() - started >= WINDOW_MS && (await leased()) === WORKERS, 150_000)
      report = await host.stop()
    } finally {
      host.kill()
    }
    const seconds = (performance.now() - started) / 1000
    const during = [...since(before, await answers())].filter(([k]) => !k.startsWith('/auth/nonce '))

    // The greedy client alone is refused, with Retry-After.
    expect(greedy.refused, `greedy client sent ${greedy.sent}`).toBeDefined()
    expect(Number(greedy.refused!.retryAfter)).toBeGreaterThanOrEqual(1)
    expect(JSON.parse(greedy.refused!.body)).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' })

    const requests = report.perWorker.map((w) => Object.values(w.statuses).reduce((a, b) => a + b, 0))
    const summary = [
      `64 workers: ${requests.reduce((a, b) => a + b, 0)} requests in ${seconds.toFixed(1)} s, per worker ${Math.min(...requests)}–${Math.max(...requests)}, busiest second of any worker ${Math.max(...report.perWorker.map((w) => w.busiestSecond))} (budget ${perMinute / 60}/s, bursts of ${burst}), slowest answer ${Math.max(...report.perWorker.map((w) => w.slowestMs))} ms`,
      `jobs done per worker ${report.perWorker.map((w) => w.done).join(' ')}; events ${JSON.stringify(report.events)}; greedy client sent ${greedy.sent}`,
      `server answers ${JSON.stringify(Object.fromEntries(during))}; first errors ${JSON.stringify(report.errors.slice(0, 3))}`,
    ].join('\n')
    console.log(summary)
    // No worker was refused: not by the server's count, nor by any worker's.
    expect(during.filter(([k]) => k.endsWith(' 429')), summary).toEqual([])
    expect(report.perWorker.filter((w) => w.statuses[429]), summary).toEqual([])
    expect(report.errors.filter((e) => /429|too many requests/i.test(e)), summary).toEqual([])
    // They worked the whole window: every key registered and was handed jobs, every worker route was used many times, and work was left at the end.
    expect(report.events.registered, summary).toBe(WORKERS)
    expect(everyone, `${await leased()} of ${WORKERS} workers were handed jobs: ${summary}`).toBe(true)
    const answered = new Map(during)
    for (const route of ['/nodes/register 200', '/jobs/claim 200', '/jobs/heartbeat 200', '/jobs/results 200', '/blobs 200', '/blobs/:hash 206']) {
      expect(answered.get(route) ?? 0, `${route}: ${summary}`).toBeGreaterThanOrEqual(WORKERS)
    }
    const [open] = await m.server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE task_id = ANY($1::uuid[]) AND status = 'open'`, [taskIds])
    expect(open!.n, summary).toBeGreaterThan(0)
  }, 300_000)

  it('answers 429 with Retry-After and a JSON error per client: identity when authenticated, address otherwise; sign-in tighter', async () => {
    const common = m.server.common
    // A token every 10 s: a loaded machine cannot get one back between the requests below.
    const app = await buildApp({ ...common, config: { ...common.config, rateLimit: { perMinute: 6, burst: 3, authPerMinute: 6, authBurst: 2 } } })
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
      // Each request a timestamp of its own: the same signer, body and timestamp twice is a replay (401).
      let sent = 0
      const signed = async (index: number) => {
        const account = devAccount(200 + index)
        const body = JSON.stringify({ leases: [] })
        const timestamp = String(Date.now() + index * 1000 + ++sent)
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
