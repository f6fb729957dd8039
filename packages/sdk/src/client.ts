import type { AssignmentView, CreateTaskBody, CreateTaskResponse, PollView, ProfileBody, SubmitWorkBody, TaskView } from '@taskmarket/core'
import type { Account, Address, Hex } from 'viem'
import { createSiweMessage } from 'viem/siwe'
import { ApiError } from './errors.ts'
import { type HttpOptions, createHttp, query } from './http.ts'

export type TaskSummary = { task_id: string; title?: string; challenge_type: string; status: string; reward: string; created_at: number; deadline: number; progress: number }
/** What posting a task answers (seed 001's shape, with any warnings for the poster). */
export type CreatedTask = CreateTaskResponse
export type PreparedOrder = { chain_task_id: Hex; nonce: string; expiry: number; deadline: number; typed_data: { domain: any; types: any; primaryType: 'TaskOrder'; message: any } }
export type MarketEvent = { type: string; taskId?: string; status?: string; jobsDone?: number; jobsTotal?: number; [k: string]: unknown }

export type NodeView = {
  address: Address; registered: boolean; stake: string; unstaking: string; trust_level: number; pow_passes: number
  tasks_completed: number; tasks_failed: number; verified_power: string; earned: string; jobs_accepted: number; jobs_rejected: number
  last_seen: number | null; executors: string[]; cores: number | null; memory_mb: number | null
}
export type MarketStats = {
  tasks: Record<'pending' | 'in_progress' | 'verifying' | 'completed' | 'failed' | 'disputed', number>
  by_kind: Record<string, number>
  workers: { active: number; total: number }
  tokens: { escrowed: string; awaiting: string; paid: string; refunded: string }
  series: { hour: number; posted: number; completed: number }[]
}

const FINAL = new Set(['completed', 'failed'])

/**
 * The typed client of the Task Market API, shared by the web app, the CLI, the worker and the tests.
 * @example const tm = createClient({ baseUrl: 'http://localhost:8080', apiKey }); await tm.tasks.create({...})
 */
export function createClient(options: HttpOptions) {
  const http = createHttp(options)

  const auth = {
    nonce: () => http.json<{ nonce: string }>('GET', '/auth/nonce'),
    /**
     * Signs in with Ethereum (EIP-4361) using a viem account (local key or injected wallet). The message names
     * the origin this client talks to (`baseUrl`; in the browser, the page's), never one the server suggests,
     * so a client pointed at a look-alike cannot be made to sign for the real market; the server accepts only
     * its PUBLIC_URL.
     */
    async signIn(account: Account & { signMessage?: (a: { message: string }) => Promise<Hex> }, { chainId, domain, uri }: { chainId: number; domain?: string; uri?: string }) {
      const { nonce } = await auth.nonce()
      const url = new URL(http.base || (typeof window !== 'undefined' ? window.location.origin : 'http://localhost'))
      const message = createSiweMessage({
        address: account.address,
        chainId,
        domain: domain ?? url.host,
        nonce,
        uri: uri ?? url.origin,
        version: '1',
        statement: 'Sign in to Task Market',
        expirationTime: new Date(Date.now() + 10 * 60_000),
      })
      if (!account.signMessage) throw new Error('this account cannot sign messages')
      const signature = await account.signMessage({ message })
      return http.json<{ address: Address; expires_at: number }>('POST', '/auth/verify', { message, signature })
    },
    signInWithMessage: (message: string, signature: Hex) => http.json<{ address: Address; expires_at: number }>('POST', '/auth/verify', { message, signature }),
    me: () => http.json<{ address: Address; method: string }>('GET', '/auth/me'),
    logout: () => http.json<{ ok: true }>('POST', '/auth/logout'),
  }

  const apiKeys = {
    create: (name: string) => http.json<{ id: string; key: string; prefix: string; name: string }>('POST', '/api-keys', { name }),
    list: () => http.json<{ keys: { id: string; name: string; prefix: string; created_at: number; last_used_at: number | null }[] }>('GET', '/api-keys'),
    revoke: (id: string) => http.json<{ ok: true }>('DELETE', `/api-keys/${id}`),
  }

  const tasks = {
    /** Posts a task funded by the operator allowance (API keys) or by `body.order`. */
    create: (body: CreateTaskBody) => http.json<CreatedTask>('POST', '/tasks', body),
    prepareOrder: (body: CreateTaskBody) => http.json<PreparedOrder>('POST', '/tasks/orders', body),
    /** Prepares the order, has `account` sign it (EIP-712) and posts the task with it. */
    async createSigned(account: Account & { signTypedData?: (a: any) => Promise<Hex> }, body: CreateTaskBody) {
      const prepared = await tasks.prepareOrder(body)
      if (!account.signTypedData) throw new Error('this account cannot sign typed data')
      const m = prepared.typed_data.message
      const signature = await account.signTypedData({ ...prepared.typed_data, message: { ...m, amount: BigInt(m.amount), nonce: BigInt(m.nonce) } })
      return tasks.create({ ...body, deadline: prepared.deadline, order: { chain_task_id: prepared.chain_task_id, nonce: prepared.nonce, expiry: prepared.expiry, signature } })
    },
    get: (id: string) => http.json<TaskView>('GET', `/tasks/${id}`),
    list: (q: { status?: string; challenge_type?: string; poster?: string; min_reward?: string; limit?: number; offset?: number } = {}) =>
      http.json<{ tasks: TaskSummary[]; total: number; limit: number; offset: number }>('GET', `/tasks${query(q)}`),
    jobs: (id: string) => http.json<{ jobs: any[] }>('GET', `/tasks/${id}/jobs`),
    records: (id: string) => http.json<{ records: any[] }>('GET', `/tasks/${id}/records`),
    verify: (id: string) => http.json<any>('POST', '/tasks/verify', { task_id: id }),
    /** Polls until the task is completed or failed; `onProgress` sees every change, including of why it waits. */
    async wait(id: string, { timeoutMs = 600_000, intervalMs = 250, onProgress }: { timeoutMs?: number; intervalMs?: number; onProgress?: (t: TaskView) => void } = {}) {
      const deadline = Date.now() + timeoutMs
      let last = ''
      for (;;) {
        const task = await tasks.get(id)
        // The reason changes while the status does not: escrow locked, then "needs 2 distinct workers; 1 online".
        const key = `${task.status}:${task.progress.jobs_done}:${task.waiting?.reason ?? ''}`
        if (key !== last) onProgress?.(task)
        last = key
        if (FINAL.has(task.status)) return task
        if (Date.now() > deadline) throw new ApiError(408, 'TIMEOUT', `task ${id} is still ${task.status} after ${timeoutMs} ms`)
        await new Promise((r) => setTimeout(r, intervalMs))
      }
    },
    /** Downloads the finished task's output: a rendering's PNG, the jobs' outputs in order for hash, synthetic and wasm. */
    async result(id: string): Promise<Uint8Array> {
      return new Uint8Array(await (await tasks.resultResponse(id)).arrayBuffer())
    },
    /** The output as an HTTP response, to stream a big one (content-type and filename in its headers). */
    resultResponse: (id: string) => http.raw('GET', `/tasks/${id}/result`),
  }

  const blobs = {
    /** Uploads bytes, text or a stream (sent as it is read, so a big file never sits in memory). */
    async upload(data: Uint8Array | string | ReadableStream<Uint8Array>, contentType = 'application/octet-stream') {
      // Sent as octet-stream so the server streams it untouched; the real type travels beside it.
      const body = data instanceof ReadableStream ? data : new Blob([typeof data === 'string' ? new TextEncoder().encode(data) : (data as BlobPart)])
      const response = await http.raw('PUT', '/blobs', { body, headers: { 'content-type': 'application/octet-stream', 'x-blob-content-type': contentType } })
      return (await response.json()) as { hash: string; size: number; content_type: string }
    },
    async download(hash: string, range?: { offset: number; length: number }): Promise<Uint8Array> {
      const headers: Record<string, string> = range ? { range: `bytes=${range.offset}-${range.offset + range.length - 1}` } : {}
      const response = await http.raw('GET', `/blobs/${hash}`, { headers })
      return new Uint8Array(await response.arrayBuffer())
    },
  }

  /** Manual tasks (seed 000): claim, prove, submit; the poster reviews; an operator resolves disputes. */
  const work = {
    claim: (taskId: string) => http.json<AssignmentView>('POST', `/tasks/${taskId}/claim`, {}),
    mine: (q: { status?: string } = {}) => http.json<{ assignments: AssignmentView[] }>('GET', `/assignments${query(q)}`),
    ofTask: (taskId: string) => http.json<{ assignments: AssignmentView[] }>('GET', `/tasks/${taskId}/assignments`),
    get: (id: string) => http.json<AssignmentView>('GET', `/assignments/${id}`),
    /** Uploads a photo or signature image (JPEG or PNG; metadata is stripped by the server). */
    async uploadProof(id: string, kind: 'photo' | 'signature', data: Uint8Array | Blob) {
      const body = data instanceof Blob ? data : new Blob([data as BlobPart])
      const response = await http.raw('PUT', `/assignments/${id}/proofs/${kind}`, { body, headers: { 'content-type': 'application/octet-stream' } })
      return (await response.json()) as { kind: string; url: string; content_type: string; size: number }
    },
    async proof(id: string, kind: 'photo' | 'signature'): Promise<Uint8Array> {
      return new Uint8Array(await (await http.raw('GET', `/assignments/${id}/proofs/${kind}`)).arrayBuffer())
    },
    submit: (id: string, body: SubmitWorkBody) => http.json<AssignmentView>('POST', `/assignments/${id}/submit`, body),
    release: (id: string) => http.json<AssignmentView>('POST', `/assignments/${id}/release`, {}),
    approve: (id: string) => http.json<AssignmentView>('POST', `/assignments/${id}/approve`, {}),
    reject: (id: string, reason: string) => http.json<AssignmentView>('POST', `/assignments/${id}/reject`, { reason }),
    dispute: (id: string, reason: string) => http.json<AssignmentView>('POST', `/assignments/${id}/dispute`, { reason }),
    disputes: () => http.json<{ assignments: AssignmentView[] }>('GET', '/disputes'),
    /** Operator only: settle a dispute for the worker (pay) or the poster (reject; the slot returns to the pool). */
    resolve: (id: string, outcome: 'pay_worker' | 'reject', note?: string) => http.json<AssignmentView>('POST', `/assignments/${id}/resolve`, { outcome, note }),
  }

  /** Polls (seed 002): one vote per person; closing pays the majority. */
  const polls = {
    get: (taskId: string) => http.json<PollView>('GET', `/tasks/${taskId}/poll`),
    vote: (taskId: string, option: number, gold?: number[]) => http.json<{ accepted: true; votes: number; closed: boolean }>('POST', `/tasks/${taskId}/vote`, gold ? { option, gold } : { option }),
    close: (taskId: string) => http.json<PollView>('POST', `/tasks/${taskId}/close`, {}),
  }

  const profiles = {
    get: () => http.json<{ address: Address; descriptors: ProfileBody['descriptors']; sensitive_opt_in: boolean; sensitive: ProfileBody['sensitive'] | null }>('GET', '/profile'),
    put: (body: ProfileBody) => http.json<{ address: Address; descriptors: ProfileBody['descriptors']; sensitive_opt_in: boolean; sensitive: ProfileBody['sensitive'] | null }>('PUT', '/profile', body),
    of: (address: string) => http.json<{ address: Address; descriptors: ProfileBody['descriptors'] }>('GET', `/profiles/${address}`),
    blocks: () => http.json<{ blocks: { worker: Address; reason: string | null; created_at: number }[] }>('GET', '/blocks'),
    block: (worker: string, reason?: string) => http.json<{ worker: Address; blocked: true }>('POST', '/blocks', reason ? { worker, reason } : { worker }),
    unblock: (worker: string) => http.json<{ worker: Address; blocked: false }>('DELETE', `/blocks/${worker}`),
  }

  const wallet = {
    get: () => http.json<{ address: Address; eth: string; wallet: string; deposited: string; locked: string; awaiting: string; staked: string; unstaking: string }>('GET', '/wallet'),
    history: (limit?: number) => http.json<{ events: any[] }>('GET', `/wallet/history${query({ limit })}`),
  }

  const market = {
    config: () => http.json<{ chain_id: number; rpc_url?: string; contracts: { token: Address; sale: Address; escrow: Address; registry: Address }; operator: Address; treasury: Address }>('GET', '/config'),
    nodes: () => http.json<{ nodes: any[] }>('GET', '/nodes'),
    node: (address: string) => http.json<NodeView>('GET', `/nodes/${address}`),
    stats: () => http.json<MarketStats>('GET', '/stats'),
  }

  /** Subscribes to live events of a topic over WebSocket (`task:<id>`, `tasks`, `workers`). */
  function subscribe(topic: string, onEvent: (event: MarketEvent) => void): () => void {
    const wsUrl = `${http.base.replace(/^http/, 'ws')}/ws`
    const socket = new WebSocket(wsUrl)
    socket.onopen = () => socket.send(JSON.stringify({ subscribe: topic }))
    socket.onmessage = (m) => onEvent(JSON.parse(String(m.data)))
    return () => socket.close()
  }

  return { http, auth, apiKeys, tasks, blobs, work, polls, profiles, wallet, market, subscribe }
}

export type TaskMarketClient = ReturnType<typeof createClient>
