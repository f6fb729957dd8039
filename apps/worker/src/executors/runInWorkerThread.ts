import { availableParallelism } from 'node:os'
import { Worker, type ResourceLimits } from 'node:worker_threads'
import { abortedError } from './abort.ts'
import { ExecutorError, type ExecutorErrorCode } from './types.ts'

const entry = new URL('./workerThreadEntry.mjs', import.meta.url)

export type RunInWorkerThreadParameters = {
  /**
   * The task module: its default export is `(input, { progress }) => result | Promise<result>`; an
   * error it throws with a string `code` (and optionally `field`, `retryable`) comes back as that
   * ExecutorError.
   */
  task: URL
  /** Structured-cloned into the thread (or moved, for the buffers in `transferList`). */
  input: unknown
  transferList?: ArrayBuffer[]
  /** Aborting it terminates the thread: ExecutorError('ABORTED'). */
  signal: AbortSignal
  /** Wall-clock limit from the moment the task starts (its module loaded); then the thread is terminated: 'TIME_LIMIT'. */
  timeLimitMs: number
  /** Limit on starting the thread and loading the task module (default 60 s). */
  startupTimeoutMs?: number
  /** V8 heap limits of the thread; running out of them is 'MEMORY_LIMIT'. */
  resourceLimits?: ResourceLimits
  /**
   * Keep the thread, once it succeeded, for the next run of the same task (trusted tasks only: the
   * WebAssembly sandbox always gets a fresh thread). Saves the start-up, a few hundred ms for a `.ts` task.
   */
  reuse?: boolean
  onProgress?(fraction: number, message?: string): void
}

type Thread = { worker: Worker; ready: boolean; key: string }

/** Threads kept by `reuse`, idle, by task and limits; each is unref'd and ends after a minute unused. */
const idle = new Map<string, { thread: Thread; timer: NodeJS.Timeout; forget(): void }[]>()
const idleMs = 60_000

/**
 * Runs a task module in a worker thread, so the main thread keeps heartbeating and a runaway job can be
 * killed: the one way executors leave the main thread. Settles once the thread is terminated (or idle).
 * @example const rgba = await runInWorkerThread<Uint8Array>({ task: new URL('./renderTileTask.ts', import.meta.url), input, signal, timeLimitMs: 60_000 })
 */
export function runInWorkerThread<T>(params: RunInWorkerThreadParameters): Promise<T> {
  const { signal, timeLimitMs, startupTimeoutMs = 60_000 } = params
  return new Promise<T>((resolve, reject) => {
    if (signal.aborted) return reject(abortedError(signal))
    const key = `${params.task.href} ${JSON.stringify(params.resourceLimits ?? {})}`
    const thread = (params.reuse && takeIdle(key)) || startThread(params, key)
    const { worker } = thread
    let settled = false
    let timer: NodeJS.Timeout | undefined

    const onAbort = () => fail(abortedError(signal))
    const onMessage = (message: WorkerMessage) => {
      if (message.type === 'ready') {
        thread.ready = true
        start()
      } else if (message.type === 'progress') {
        if (!settled) params.onProgress?.(message.fraction, message.message)
      } else if (message.type === 'result') {
        settle(() => resolve(message.value as T), params.reuse)
      } else if (message.type === 'error') {
        fail(fromThread(message.error))
      }
    }
    const onError = (error: Error & { code?: string }) => {
      if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
        const heap = params.resourceLimits?.maxOldGenerationSizeMb ?? 'the default'
        fail(new ExecutorError('MEMORY_LIMIT', `the job ran out of its heap (${heap} MB)`, { cause: error }))
      } else {
        fail(new ExecutorError('WORKER_CRASHED', `the worker thread failed: ${error.message}`, { cause: error }))
      }
    }
    const onExit = (code: number) => fail(new ExecutorError('WORKER_CRASHED', `the worker thread exited with code ${code}`))

    signal.addEventListener('abort', onAbort, { once: true })
    worker.on('message', onMessage).on('error', onError).on('exit', onExit)
    worker.ref()
    if (thread.ready) {
      start()
    } else {
      timer = setTimeout(
        () => fail(new ExecutorError('WORKER_CRASHED', `the worker thread did not start within ${startupTimeoutMs} ms`)),
        startupTimeoutMs,
      )
    }

    function start() {
      clearTimeout(timer)
      timer = setTimeout(
        () => fail(new ExecutorError('TIME_LIMIT', `the job ran past its time limit of ${timeLimitMs} ms and was stopped`)),
        timeLimitMs,
      )
      worker.postMessage({ type: 'run', input: params.input }, params.transferList ?? [])
    }
    function fail(error: ExecutorError) {
      settle(() => reject(error), false)
    }
    function settle(done: () => void, keep = false) {
      if (settled) return
      settled = true
      clearTimeout(timer)
      signal.removeEventListener('abort', onAbort)
      worker.off('message', onMessage).off('error', onError).off('exit', onExit)
      if (keep && putIdle(thread)) return done()
      worker.terminate().then(done, done)
    }
  })
}

function startThread(params: RunInWorkerThreadParameters, key: string): Thread {
  // No execArgv: the parent's flags (tsx's loader, under `tsx`) would cost every thread ~100 ms to load.
  const worker = new Worker(entry, { workerData: { taskUrl: params.task.href }, resourceLimits: params.resourceLimits, execArgv: [] })
  // A run reports the errors of its thread; one between runs (an idle thread) must not crash the process.
  worker.on('error', () => {})
  return { worker, ready: false, key }
}

function takeIdle(key: string): Thread | undefined {
  const entry = idle.get(key)?.pop()
  if (!entry) return undefined
  clearTimeout(entry.timer)
  entry.thread.worker.off('exit', entry.forget)
  return entry.thread
}

function putIdle(thread: Thread): boolean {
  const list = idle.get(thread.key) ?? []
  if (list.length >= availableParallelism()) return false
  const forget = () => {
    const at = list.findIndex((e) => e.thread === thread)
    if (at >= 0) clearTimeout(list.splice(at, 1)[0].timer)
  }
  const timer = setTimeout(() => {
    forget()
    void thread.worker.terminate()
  }, idleMs).unref()
  thread.worker.unref()
  thread.worker.once('exit', forget)
  list.push({ thread, timer, forget })
  idle.set(thread.key, list)
  return true
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'progress'; fraction: number; message?: string }
  | { type: 'result'; value: unknown }
  | { type: 'error'; error: { message: string; name?: string; stack?: string; code?: string; field?: string; retryable?: boolean } }

const threadCodes = new Set<string>([
  'INVALID_PAYLOAD', 'BLOB_UNAVAILABLE', 'TIME_LIMIT', 'MEMORY_LIMIT', 'FORBIDDEN_IMPORT', 'WASM_INVALID', 'WASM_TRAP',
  'EXECUTION_FAILED',
])

function fromThread(error: Extract<WorkerMessage, { type: 'error' }>['error']): ExecutorError {
  const code = (error.code && threadCodes.has(error.code) ? error.code : 'EXECUTION_FAILED') as ExecutorErrorCode
  const cause = Object.assign(new Error(error.message), { name: error.name ?? 'Error', stack: error.stack })
  return new ExecutorError(code, error.message, { field: error.field, retryable: error.retryable, cause })
}
