import { createHash } from 'node:crypto'
import { os } from './os.ts'
import { type ResourceType, resultSeal } from '@taskmarket/core'
import { ApiError, type Lease, type NodeClient, createNodeClient } from '@taskmarket/sdk'
import type { Account, Hex } from 'viem'
import WebSocket from 'ws'
import { ExecutorError, type Executor, createExecutors, executorFor } from './executors/index.ts'

export type WorkerEvent =
  | { type: 'registered'; address: string; leaseSeconds: number; kinds: string[] }
  | { type: 'job_started'; lease: Lease }
  | { type: 'job_progress'; assignmentId: string; fraction: number; message?: string }
  | { type: 'job_done'; assignmentId: string; kind: string; digest: Hex; ms: number; accepted: boolean }
  | { type: 'job_failed'; assignmentId: string; kind: string; error: string; reported: boolean }
  | { type: 'lease_lost'; assignmentId: string }
  | { type: 'error'; error: string }
  | { type: 'stopping'; running: number }
  | { type: 'stopped'; released: number }

export type WorkerOptions = {
  serverUrl: string
  account: Account
  /** Jobs run at once (default: the number of cores). */
  concurrency?: number
  /** Kinds to take (default: every executor this worker has). */
  kinds?: string[]
  executors?: Record<string, Executor>
  /** How long to wait between claims when there was no work (a job offer over WebSocket wakes it sooner). */
  idleMs?: number
  onEvent?: (event: WorkerEvent) => void
  /** What the node offers for matching (seed 003): resource type, region, price per unit; the market's defaults otherwise. */
  offer?: { resource_type?: ResourceType; region?: string; price_per_unit?: string }
  /** Changes outputs before they are submitted: only for testing how the market treats a dishonest worker. */
  tamper?: (output: Uint8Array, lease: Lease) => Uint8Array
}

/**
 * The worker loop: claim jobs up to the concurrency, run each in its executor, upload the output, submit
 * its digest with a seal bound to this node, heartbeat every running lease. `stop()` stops claiming,
 * lets running jobs finish for a grace period, then gives the rest back.
 */
export function createWorker(options: WorkerOptions) {
  const executors = options.executors ?? createExecutors()
  const kinds = options.kinds ?? Object.keys(executors)
  const concurrency = options.concurrency ?? os.cores()
  const emit = options.onEvent ?? (() => {})
  const node: NodeClient = createNodeClient({ baseUrl: options.serverUrl, account: options.account })
  const running = new Map<string, { lease: Lease; controller: AbortController; progress: number; done: Promise<void> }>()
  let stopping = false
  let wake: (() => void) | undefined
  let leaseSeconds = 30
  /** Jobs submitted, failed, whose lease was lost, and given back on stop: what the CLI's summary reports. */
  const stats = { done: 0, failed: 0, lost: 0, released: 0 }

  /** Claims refused in a row, and when the next may be tried. */
  let refusals = 0
  let retryAt = 0
  const nap = (ms: number) => new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms)
    wake = () => { clearTimeout(timer); resolve() }
  })

  async function heartbeat() {
    if (running.size === 0) return
    const { lost, lease_seconds } = await node.heartbeat([...running.values()].map((r) => ({ assignment_id: r.lease.assignment_id, progress: r.progress })))
    leaseSeconds = lease_seconds
    for (const id of lost) {
      const job = running.get(id)
      if (!job) continue
      stats.lost++
      emit({ type: 'lease_lost', assignmentId: id })
      job.controller.abort(new ExecutorError('ABORTED', 'lease lost'))
    }
  }

  async function runJob(lease: Lease, controller: AbortController) {
    const started = performance.now()
    const id = lease.assignment_id
    try {
      const executor = executorFor(executors, lease.kind)
      const result = await executor.run(
        { taskId: lease.task_id, jobId: lease.job_id, kind: lease.kind, payload: lease.payload },
        {
          signal: controller.signal,
          progress(fraction, message) {
            const job = running.get(id)
            if (job) job.progress = fraction
            emit({ type: 'job_progress', assignmentId: id, fraction, message })
          },
          fetchBlob: (hash, range) => node.blobs.download(hash, range),
        },
      )
      if (controller.signal.aborted) return
      const output = options.tamper ? options.tamper(result.output, lease) : result.output
      const uploaded = await node.blobs.upload(output, result.contentType)
      const digest = `0x${createHash('sha256').update(output).digest('hex')}` as Hex
      if (`0x${uploaded.hash}` !== digest) throw new Error('the server stored a different blob than was sent')
      const seal = resultSeal(node.address, lease.chain_task_id, lease.chain_job_id, digest)
      const [outcome] = (await node.submit([{ assignment_id: id, digest, seal }])).results
      stats.done++
      emit({ type: 'job_done', assignmentId: id, kind: lease.kind, digest, ms: performance.now() - started, accepted: Boolean(outcome?.accepted) })
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      const lost = controller.signal.aborted
      // An aborted job is counted where it was aborted: a lost lease, or given back by stop().
      if (!lost) stats.failed++
      // A job that cannot succeed anywhere is reported as an error result with its code (replicas that agree on
      // it decide the job, and are paid); a passing fault gives the lease back.
      const final = error instanceof ExecutorError && !error.retryable
      if (final) await node.submit([{ assignment_id: id, digest: null, error: message.slice(0, 2000), error_code: error.code }]).catch(() => {})
      else if (!lost) await node.release([id]).catch(() => {})
      emit({ type: 'job_failed', assignmentId: id, kind: lease.kind, error: message, reported: final })
    }
  }

  function start(lease: Lease) {
    const controller = new AbortController()
    const entry = { lease, controller, progress: 0, done: Promise.resolve() }
    running.set(lease.assignment_id, entry)
    emit({ type: 'job_started', lease })
    entry.done = runJob(lease, controller).finally(() => {
      running.delete(lease.assignment_id)
      wake?.()
    })
  }

  async function run() {
    const registered = await node.register({ cores: os.cores(), memory_mb: os.memoryMb(), executors: kinds, concurrency, version: '0.1.0', ...options.offer })
    leaseSeconds = registered.lease_seconds
    emit({ type: 'registered', address: node.address, leaseSeconds, kinds })
    const beat = setInterval(() => heartbeat().catch((e) => emit({ type: 'error', error: `heartbeat: ${e.message}` })), Math.max(250, (leaseSeconds * 1000) / 3))
    const socket = listenForOffers()
    const idleMs = options.idleMs ?? 1000
    try {
      while (!stopping) {
        const free = concurrency - running.size
        let claimed = 0
        if (free > 0) {
          try {
            const { leases } = await node.claim(kinds, free)
            claimed = leases.length
            refusals = 0
            for (const lease of leases) start(lease)
          } catch (error) {
            // A claim the market refuses (under review, too little stake, too many leases) is asked again after a
            // wait that doubles up to a minute, which offers do not cut short; a market that did not answer (down,
            // restarting) is asked again after the idle wait, so its workers are back as soon as it is.
            const refused = error instanceof ApiError && error.status < 500
            refusals = refused ? refusals + 1 : 0
            const waitMs = refused ? claimBackoffMs(idleMs, refusals) : idleMs
            retryAt = Date.now() + waitMs
            emit({ type: 'error', error: `claim: ${(error as Error).message} (trying again in ${Math.ceil(waitMs / 1000)} s)` })
          }
        }
        if (stopping) break
        if (refusals > 0) await nap(retryAt - Date.now())
        else if (claimed === 0 || running.size >= concurrency) await nap(claimed === 0 ? idleMs : 60_000)
      }
    } finally {
      clearInterval(beat)
      socket?.close()
    }
  }

  function listenForOffers() {
    try {
      const socket = new WebSocket(`${options.serverUrl.replace(/^http/, 'ws')}/ws`)
      socket.on('open', () => socket.send(JSON.stringify({ subscribe: 'workers' })))
      socket.on('message', () => {
        if (running.size < concurrency && Date.now() >= retryAt) wake?.()
      })
      socket.on('error', () => {})
      return socket
    } catch {
      return undefined
    }
  }

  let loop: Promise<void> | undefined
  return {
    node,
    stats,
    get running() {
      return running.size
    },
    /** Starts the loop; resolves when it has stopped. */
    start() {
      loop ??= run()
      return loop
    },
    /** Stops claiming, waits up to `graceMs` for running jobs, then aborts and releases the rest. */
    async stop({ graceMs = 10_000 } = {}) {
      stopping = true
      wake?.()
      emit({ type: 'stopping', running: running.size })
      await loop?.catch(() => {})
      const pending = [...running.values()]
      await Promise.race([Promise.all(pending.map((p) => p.done)), new Promise((r) => setTimeout(r, graceMs))])
      const left = [...running.values()]
      for (const job of left) job.controller.abort(new ExecutorError('ABORTED', 'worker stopping'))
      stats.released += left.length
      if (left.length) await node.release(left.map((j) => j.lease.assignment_id)).catch(() => {})
      await Promise.all(left.map((j) => j.done))
      emit({ type: 'stopped', released: left.length })
    },
  }
}

export type Worker = ReturnType<typeof createWorker>

/**
 * The wait before claiming again after `refusals` refused claims in a row: the idle wait, doubled with each
 * refusal, at most a minute.
 * @example claimBackoffMs(1000, 3) // 4000
 */
export function claimBackoffMs(idleMs: number, refusals: number): number {
  return Math.min(60_000, idleMs * 2 ** Math.min(refusals - 1, 16))
}
