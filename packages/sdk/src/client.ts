import type {
  ApiKeyList, AssignmentList, AssignmentView, BlobInfo, BlockChanged, BlockList, CreateTaskBody, CreateTaskResponse, CreatedApiKey, ListTasksResponse, MarketConfig, MarketStats,
  Me, NodeList, NodeRecords, NodeView, QuoteRequest, TaskQuote, NonceResponse, Ok, OwnProfile, PollView, PreparedOrder, ProfileBody, PublicProfile, ReconciliationReport, SignedIn, SubmitWorkBody, TaskJobs, TaskRecords,
  TaskSummary, TaskVerification, TaskView, UploadedProof, VoteAccepted, WalletBalances, WalletHistory,
} from '@taskmarket/core'
import type { Account, Hex } from 'viem'
import { createSiweMessage } from 'viem/siwe'
import { ApiError } from './errors.ts'
import { type HttpOptions, createHttp, query } from './http.ts'

// The wire shapes are core's schemas (the server validates, serializes and documents with the same ones).
export type { MarketStats, NodeRecords, NodeView, PreparedOrder, ReconciliationReport, TaskSummary }
/** What posting a task answers (seed 001's shape, with any warnings for the poster). */
export type CreatedTask = CreateTaskResponse
/** A live event over WebSocket (/ws): TASK_SUBMIT, TASK_PROGRESS, … with the fields of its type. */
export type MarketEvent = { type: string; taskId?: string; status?: string; jobsDone?: number; jobsTotal?: number; [k: string]: unknown }

const FINAL = new Set(['completed', 'failed'])

/**
 * The typed client of the Task Market API, shared by the web app, the CLI, the worker and the tests.
 * @example const tm = createClient({ baseUrl: 'http://localhost:8080', apiKey }); await tm.tasks.create({...})
 */
export function createClient(options: HttpOptions) {
  const http = createHttp(options)

  const auth = {
    nonce: () => http.json<NonceResponse>('GET', '/auth/nonce'),
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
      return http.json<SignedIn>('POST', '/auth/verify', { message, signature })
    },
    signInWithMessage: (message: string, signature: Hex) => http.json<SignedIn>('POST', '/auth/verify', { message, signature }),
    me: () => http.json<Me>('GET', '/auth/me'),
    logout: () => http.json<Ok>('POST', '/auth/logout'),
  }

  const apiKeys = {
    create: (name: string) => http.json<CreatedApiKey>('POST', '/api-keys', { name }),
    list: () => http.json<ApiKeyList>('GET', '/api-keys'),
    revoke: (id: string) => http.json<Ok>('DELETE', `/api-keys/${id}`),
  }

  const tasks = {
    /** Posts a task funded by the operator allowance (API keys) or by `body.order`. */
    create: (body: CreateTaskBody) => http.json<CreatedTask>('POST', '/tasks', body),
    prepareOrder: (body: CreateTaskBody) => http.json<PreparedOrder>('POST', '/tasks/orders', body),
    /** Quotes a compute task before posting: its replication, the ranked online nodes and its cost at their prices. */
    quote: (body: QuoteRequest) => http.json<TaskQuote>('POST', '/tasks/quote', body),
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
      http.json<ListTasksResponse>('GET', `/tasks${query(q)}`),
    jobs: (id: string) => http.json<TaskJobs>('GET', `/tasks/${id}/jobs`),
    records: (id: string) => http.json<TaskRecords>('GET', `/tasks/${id}/records`),
    verify: (id: string) => http.json<TaskVerification>('POST', '/tasks/verify', { task_id: id }),
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
      return (await response.json()) as BlobInfo
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
    mine: (q: { status?: string } = {}) => http.json<AssignmentList>('GET', `/assignments${query(q)}`),
    ofTask: (taskId: string) => http.json<AssignmentList>('GET', `/tasks/${taskId}/assignments`),
    get: (id: string) => http.json<AssignmentView>('GET', `/assignments/${id}`),
    /** Uploads a photo or signature image (JPEG or PNG; metadata is stripped by the server). */
    async uploadProof(id: string, kind: 'photo' | 'signature', data: Uint8Array | Blob) {
      const body = data instanceof Blob ? data : new Blob([data as BlobPart])
      const response = await http.raw('PUT', `/assignments/${id}/proofs/${kind}`, { body, headers: { 'content-type': 'application/octet-stream' } })
      return (await response.json()) as UploadedProof
    },
    async proof(id: string, kind: 'photo' | 'signature'): Promise<Uint8Array> {
      return new Uint8Array(await (await http.raw('GET', `/assignments/${id}/proofs/${kind}`)).arrayBuffer())
    },
    submit: (id: string, body: SubmitWorkBody) => http.json<AssignmentView>('POST', `/assignments/${id}/submit`, body),
    release: (id: string) => http.json<AssignmentView>('POST', `/assignments/${id}/release`, {}),
    /** Approves submitted work (poster), with an optional rating of 1–5 stars. */
    approve: (id: string, body: { rating?: number } = {}) => http.json<AssignmentView>('POST', `/assignments/${id}/approve`, body),
    reject: (id: string, reason: string) => http.json<AssignmentView>('POST', `/assignments/${id}/reject`, { reason }),
    dispute: (id: string, reason: string) => http.json<AssignmentView>('POST', `/assignments/${id}/dispute`, { reason }),
    disputes: () => http.json<AssignmentList>('GET', '/disputes'),
    /** Operator only: settle a dispute for the worker (pay) or the poster (reject; the slot returns to the pool). */
    resolve: (id: string, outcome: 'pay_worker' | 'reject' | 'misuse', note?: string) => http.json<AssignmentView>('POST', `/assignments/${id}/resolve`, { outcome, note }),
  }

  /** Polls (seed 002): one vote per person; closing pays the majority. */
  const polls = {
    get: (taskId: string) => http.json<PollView>('GET', `/tasks/${taskId}/poll`),
    vote: (taskId: string, option: number, gold?: number[]) => http.json<VoteAccepted>('POST', `/tasks/${taskId}/vote`, gold ? { option, gold } : { option }),
    close: (taskId: string) => http.json<PollView>('POST', `/tasks/${taskId}/close`, {}),
  }

  const profiles = {
    get: () => http.json<OwnProfile>('GET', '/profile'),
    put: (body: ProfileBody) => http.json<OwnProfile>('PUT', '/profile', body),
    of: (address: string) => http.json<PublicProfile>('GET', `/profiles/${address}`),
    blocks: () => http.json<BlockList>('GET', '/blocks'),
    block: (worker: string, reason?: string) => http.json<BlockChanged>('POST', '/blocks', reason ? { worker, reason } : { worker }),
    unblock: (worker: string) => http.json<BlockChanged>('DELETE', `/blocks/${worker}`),
  }

  const wallet = {
    get: () => http.json<WalletBalances>('GET', '/wallet'),
    history: (limit?: number) => http.json<WalletHistory>('GET', `/wallet/history${query({ limit })}`),
  }

  const market = {
    config: () => http.json<MarketConfig>('GET', '/config'),
    nodes: () => http.json<NodeList>('GET', '/nodes'),
    node: (address: string) => http.json<NodeView>('GET', `/nodes/${address}`),
    /** A node's job records of public tasks, newest first, with the Merkle proofs that check them against the chain. */
    nodeRecords: (address: string, page: { limit?: number; offset?: number } = {}) => http.json<NodeRecords>('GET', `/nodes/${address}/records${query(page)}`),
    /** Clears a node's review for repeated failures so it takes work again (the operator only). */
    clearReview: (address: string) => http.json<undefined>('POST', `/nodes/${address}/review/clear`, {}),
    /** Vouches for a registered node on compute kinds, so it counts as proven there and anchors replicated jobs (the operator only). */
    vouch: (address: string, kinds: string[]) => http.json<undefined>('POST', `/nodes/${address}/vouch`, { kinds }),
    stats: () => http.json<MarketStats>('GET', '/stats'),
    /** The last escrow reconciliation; `fresh` runs one now (the operator's session only). */
    reconciliation: ({ fresh }: { fresh?: boolean } = {}) => http.json<ReconciliationReport>('GET', `/reconciliation${fresh ? '?fresh=true' : ''}`),
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
