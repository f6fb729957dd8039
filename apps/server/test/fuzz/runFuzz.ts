import { request as httpRequest, Agent } from 'node:http'
import { devAccount, getTaskMarketContracts } from '@taskmarket/chain'
import { nodeSigningText } from '@taskmarket/core'
import { createClient } from '@taskmarket/sdk'
import fc from 'fast-check'
import { type Hex, createPublicClient, getAddress, http } from 'viem'
import { startTestMarket, waitFor } from '../market.ts'
import { type AuthMode, type FuzzRequest, type OpenApiDocument, requestArbitrary } from './fuzzRequests.ts'

/** A request the property failed on: a 5xx (or no answer), or a 4xx after which the market was not the same. */
export type Finding = { index: number; request: Omit<FuzzRequest, 'body'> & { body?: string }; status: number; response: string; changed?: Record<string, [unknown, unknown]> }
export type FuzzReport = { seed: number; requests: number; seconds: number; byRoute: Record<string, Record<string, number>>; serverErrors: Finding[]; changedBy4xx: Finding[] }

/**
 * A market for fuzzing: the real server (anvil, PGlite or PostgreSQL) without rate limits (the fuzzer is
 * one loopback client sending thousands of requests), small uploads, and real things to aim at: a poster
 * with a session and an API key, a worker with a session and a claimed manual slot, a staked node, tasks
 * of several kinds locked on chain, a blob. Leases last an hour: a lease the fuzzer's node takes must not
 * lapse mid-run, since its slash would change the market while some unrelated 4xx is being checked.
 */
export async function startFuzzMarket() {
  const m = await startTestMarket({ rateLimit: { perMinute: 0, burst: 1, authPerMinute: 0, authBurst: 1 }, maxUploadBytes: 1024 * 1024, leaseSeconds: 3600 })
  try {
    await m.fund(devAccount(1))
    const poster = await m.poster(1)
    const worker = createClient({ baseUrl: m.server.url })
    await worker.auth.signIn(devAccount(3), { chainId: m.server.chain.chain.id })
    const node = await m.stakedNode(4)
    await node.register({ cores: 1, memory_mb: 512, executors: ['synthetic', 'hash'], concurrency: 1 })
    const blob = await poster.api.blobs.upload('fuzz input data')
    const tasks = await Promise.all([
      poster.api.tasks.create({ challenge_type: 'synthetic', reward: '5', payload: { seed: '0x1', matrix_size: 4, iterations: 1 } }),
      poster.api.tasks.create({ challenge_type: 'hash', reward: '5', payload: { input: blob.hash, chunk_size: 1024 } }),
      poster.api.tasks.create({ challenge_type: 'manual', reward: '5', payload: { title: 'Check', description: 'Look at it', proofs: ['text', 'photo'], assignments: 3 } }),
      poster.api.tasks.create({ challenge_type: 'poll', reward: '5', payload: { title: 'Tea?', options: ['yes', 'no'], respondents: 3 } }),
    ])
    const ids = tasks.map((t) => t.task_id)
    if (!(await waitFor(async () => (await Promise.all(ids.map((id) => poster.api.tasks.get(id)))).every((t) => t.escrow.state === 'locked'), 60_000))) throw new Error('fixture tasks were not locked on chain')
    const claimed = await worker.work.claim(ids[2]!)
    const keys = (await poster.client.http.json<{ keys: { id: string }[] }>('GET', '/api-keys')).keys.map((k) => k.id)
    return { m, poster, worker, node, taskIds: ids, assignmentIds: [claimed.assignment_id], apiKeyIds: keys, blobHashes: [blob.hash] }
  } catch (error) {
    await m.close()
    throw error
  }
}
export type FuzzMarket = Awaited<ReturnType<typeof startFuzzMarket>>

/**
 * Sends `runs` requests drawn from the market's own OpenAPI document (seeded, so a run can be replayed) and
 * checks the property after each: no 5xx, and a 4xx leaves the market as it was (see `createSnapshot`: row
 * counts, escrow totals in the database and on GET /stats, balances and fixture escrows on chain). After a 2xx
 * that changed something, it waits for the market to settle (the relayer) before taking the next baseline.
 */
export async function runFuzz(target: FuzzMarket, { seed, runs, onProgress, debugRoute }: { seed: number; runs: number; onProgress?: (done: number) => void; debugRoute?: string }): Promise<FuzzReport> {
  const { m } = target
  const started = performance.now()
  const doc = (await (await fetch(`${m.server.url}/docs/json`)).json()) as OpenApiDocument
  const accounts = [devAccount(1), devAccount(3), devAccount(4), devAccount(0)].map((a) => a.address)
  const randomUuid = '5f0c4d2e-8b1a-4c3d-9e7f-0a1b2c3d4e5f'
  const pools = {
    uuid: [...target.taskIds, ...target.assignmentIds, ...target.apiKeyIds],
    sha256: target.blobHashes,
    address: accounts,
    paramValues: {
      id: [...target.taskIds, ...target.assignmentIds, ...target.apiKeyIds, randomUuid, randomUuid.toUpperCase()],
      hash: [...target.blobHashes, 'f'.repeat(64)],
      address: [...accounts, accounts[0]!.toLowerCase(), NOBODY],
      kind: ['photo', 'signature', 'text'],
    },
  }
  const requests = fc.sample(requestArbitrary(doc, pools), { seed, numRuns: runs })
  const send = createSender(target)
  const snapshot = createSnapshot(target)
  const report: FuzzReport = { seed, requests: 0, seconds: 0, byRoute: {}, serverErrors: [], changedBy4xx: [] }

  let before = await settle(snapshot)
  for (const [index, request] of requests.entries()) {
    const { status, response } = await send(request)
    if (debugRoute === request.route) console.error(status, request.auth, request.url, describeBody(request.body)?.slice(0, 200), '→', response.slice(0, 200))
    const route = (report.byRoute[request.route] ??= {})
    route[status] = (route[status] ?? 0) + 1
    report.requests++
    const after = await snapshot()
    const finding = () => ({ index, request: { ...request, body: describeBody(request.body) }, status, response: response.slice(0, 500) })
    if (status >= 500 || status === 0) report.serverErrors.push(finding())
    const changed = difference(before, after)
    if (status >= 400 && status < 500 && changed) {
      // Something else may still be moving (a relayer pass after an earlier success): only a change that stays counts.
      const settled = await settle(snapshot)
      if (difference(before, settled)) report.changedBy4xx.push({ ...finding(), changed: difference(before, settled) })
      before = settled
    } else if (changed && Object.keys(changed).some((k) => MOVING.has(k))) {
      // A success that queued work for the relayer: wait for it before the next baseline.
      await refresh(target)
      before = await settle(snapshot)
    } else {
      if (status < 400 && request.method !== 'GET') await refresh(target)
      before = changed ? await snapshot() : after
    }
    if (index % 250 === 249) onProgress?.(index + 1)
  }
  report.seconds = Math.round((performance.now() - started) / 100) / 10
  return report
}

const describeBody = (body: FuzzRequest['body']) =>
  body === undefined ? undefined : typeof body === 'string' ? body.slice(0, 300) : body instanceof Uint8Array ? `<${body.length} bytes>` : `<${body.oversize} bytes>`

/** Signs in again or makes a new API key when a fuzzed request logged out the session or revoked the key. */
async function refresh(target: FuzzMarket) {
  const { m } = target
  const me = (headers: Record<string, string>) => fetch(`${m.server.url}/auth/me`, { headers }).then((r) => r.status)
  if ((await me({ cookie: target.poster.client.http.cookie ?? '' })) !== 200) await target.poster.client.auth.signIn(devAccount(1), { chainId: m.server.chain.chain.id })
  if ((await me({ cookie: target.worker.http.cookie ?? '' })) !== 200) await target.worker.auth.signIn(devAccount(3), { chainId: m.server.chain.chain.id })
  if ((await me({ authorization: `Bearer ${target.poster.key}` })) !== 200) {
    const { key } = await target.poster.client.apiKeys.create('fuzz')
    target.poster.key = key
  }
}

/** Sends a request byte for byte (node:http, so no URL normalisation), signing it as its auth mode says. */
function createSender(target: FuzzMarket) {
  const { m } = target
  const port = new URL(m.server.url).port
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  const node = devAccount(4)
  const unstaked = devAccount(5)
  let last = 0

  async function headersFor(request: FuzzRequest, body: string): Promise<Record<string, string>> {
    const sign = async (account = node, signer = node, skew = 0) => {
      const timestamp = String((last = Math.max(Date.now(), last + 1)) + skew)
      const signature = await signer.signMessage({ message: nodeSigningText(request.method, request.url, timestamp, request.contentType?.startsWith('application/json') ? body : '') })
      return { 'x-node-address': account.address, 'x-node-timestamp': timestamp, 'x-node-signature': signature }
    }
    const modes: Record<AuthMode, () => Promise<Record<string, string>> | Record<string, string>> = {
      anonymous: () => ({}),
      'poster-session': () => ({ cookie: target.poster.client.http.cookie ?? '' }),
      'worker-session': () => ({ cookie: target.worker.http.cookie ?? '' }),
      'poster-key': () => ({ authorization: `Bearer ${target.poster.key}` }),
      node: () => sign(),
      'unstaked-node': () => sign(unstaked, unstaked),
      'bad-cookie': () => ({ cookie: 'tm_session=forged' }),
      'bad-key': () => ({ authorization: 'Bearer tm_notakey' }),
      'bad-authorization': () => ({ authorization: 'Basic \u00ff\u00fe' }),
      'node-wrong-signer': () => sign(node, unstaked),
      'node-stale': () => sign(node, node, -10 * 60_000),
      'node-garbage': () => ({ 'x-node-address': node.address, 'x-node-timestamp': String(Date.now()), 'x-node-signature': '0xdeadbeef' }),
      'node-no-address': async () => ({ ...(await sign()), 'x-node-address': '' }),
    }
    return modes[request.auth]()
  }

  return async function send(request: FuzzRequest): Promise<{ status: number; response: string }> {
    const raw = request.body
    const body = raw === undefined ? undefined : typeof raw === 'string' ? Buffer.from(raw, 'utf8') : raw instanceof Uint8Array ? Buffer.from(raw) : Buffer.alloc(raw.oversize, 0x61)
    const headers: Record<string, string> = { ...(await headersFor(request, body && typeof raw === 'string' ? raw : '')) }
    if (request.contentType) headers['content-type'] = request.contentType
    if (body) headers['content-length'] = String(body.length)
    return new Promise((resolve) => {
      const req = httpRequest({ host: '127.0.0.1', port, method: request.method, path: request.url, headers, agent, timeout: 30_000 }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.length < 64 && chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, response: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', (e) => resolve({ status: 0, response: String(e) }))
      })
      req.on('timeout', () => req.destroy(new Error('no answer within 30 s')))
      // A server that answers before reading the whole (oversize) body may close the socket: that is an answer.
      req.on('error', (e) => resolve({ status: 0, response: String(e) }))
      req.end(body)
    })
  }
}

type Snapshot = Record<string, unknown>
/** Parts of a snapshot that background work (the relayer) goes on changing after a request succeeded. */
const MOVING = new Set(['tasks', 'jobs', 'assignments', 'outbox', 'chain_batches', 'job_records', 'votes', 'escrow_totals', 'stats', 'chain'])
/** An address the fuzzer names in paths and bodies that no one holds the key of. */
const NOBODY = '0x000000000000000000000000000000000000dEaD'

/**
 * What a refused request must not change, read from the database, the API and the chain in one go: row counts
 * of every table a request can write (node_request_replays aside: every validly signed node request records
 * its signature, whatever it is answered, which is the replay protection working), the escrow totals in the
 * database and as GET /stats shows them, and on chain the tokens the escrow and registry hold, the supply,
 * every known account's escrow balance and wallet, and every fixture task's escrow.
 */
export function createSnapshot(target: FuzzMarket) {
  const { m } = target
  const client = createPublicClient({ chain: m.server.chain.chain, transport: http(m.server.chain.rpcUrl, { batch: true }) })
  const c = getTaskMarketContracts(m.server.chain.deployment.addresses, { public: client })
  const accounts = [...new Set([...[1, 3, 4, 5, 0].map((i) => devAccount(i).address), m.server.chain.deployment.treasury, NOBODY].map((a) => getAddress(a)))]
  const count = (table: string, where = '') => `(SELECT count(*) FROM ${table} ${where})::int AS ${table}`
  const tables = ['tasks', 'jobs', 'assignments', 'outbox', 'chain_batches', 'job_records', 'blobs', 'accounts', 'sessions', 'siwe_nonces', 'nodes', 'profiles', 'blocks', 'poll_invites']
  return async (): Promise<Snapshot> => {
    const [[rows], stats, chain] = await Promise.all([
      m.server.db.query(
        `SELECT ${tables.map((t) => count(t)).join(', ')}, (SELECT count(*) FROM poll_votes)::int AS votes,
                (SELECT count(*) FROM api_keys WHERE revoked_at IS NULL)::int AS api_keys,
                (SELECT json_object_agg(escrow_state, total) FROM (SELECT escrow_state, sum(reward)::text || '/' || sum(escrow_paid)::text AS total FROM tasks GROUP BY escrow_state) s) AS escrow_totals`,
      ),
      m.server.app.inject({ method: 'GET', url: '/stats' }).then((r) => {
        const { tasks, tokens } = r.json()
        return { tasks, tokens }
      }),
      (async () => Promise.all([
        c.token.read.balanceOf([c.escrow.address]),
        c.token.read.balanceOf([c.registry.address]),
        c.token.read.totalSupply(),
        ...accounts.flatMap((a) => [c.escrow.read.balanceOf([a]), c.token.read.balanceOf([a])]),
        ...(await chainTaskIds(target)).map(async (id) => (await c.escrow.read.getTask([id])) as unknown),
      ]))(),
    ])
    return { ...rows, stats, chain: JSON.stringify(chain, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) }
  }
}

async function chainTaskIds(target: FuzzMarket): Promise<Hex[]> {
  const rows = await target.m.server.db.query<{ id: Hex }>('SELECT chain_task_id AS id FROM tasks WHERE id = ANY($1::uuid[])', [target.taskIds])
  return rows.map((r) => r.id)
}

/** Snapshots until three in a row, 100 ms apart, agree (the relayer, at 50 ms, has caught up), or 15 s. */
export async function settle(snapshot: () => Promise<Snapshot>): Promise<Snapshot> {
  let last = await snapshot()
  let same = 0
  const end = Date.now() + 15_000
  while (same < 2 && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 100))
    const next = await snapshot()
    same = difference(last, next) ? 0 : same + 1
    last = next
  }
  return last
}

export function difference(a: Snapshot, b: Snapshot): Record<string, [unknown, unknown]> | undefined {
  const changed = Object.fromEntries(Object.keys({ ...a, ...b }).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).map((k) => [k, [a[k], b[k]] as [unknown, unknown]]))
  return Object.keys(changed).length ? changed : undefined
}

/** The report as lines: requests per route and their statuses, then every finding. */
export function formatReport(report: FuzzReport): string {
  const lines = [`fuzz seed ${report.seed}: ${report.requests} requests in ${report.seconds} s; ${report.serverErrors.length} 5xx, ${report.changedBy4xx.length} 4xx that changed the market`]
  for (const [route, statuses] of Object.entries(report.byRoute).sort()) {
    const total = Object.values(statuses).reduce((s, n) => s + n, 0)
    lines.push(`  ${route.padEnd(42)} ${String(total).padStart(5)}  ${Object.entries(statuses).map(([s, n]) => `${s}×${n}`).join(' ')}`)
  }
  for (const f of [...report.serverErrors, ...report.changedBy4xx]) lines.push(`  #${f.index} ${f.request.auth} ${f.request.method} ${f.request.url.slice(0, 200)} → ${f.status} ${f.response.slice(0, 300)}${f.changed ? ` changed ${JSON.stringify(f.changed)}` : ''}\n    body: ${f.request.body ?? ''}`)
  return lines.join('\n')
}

