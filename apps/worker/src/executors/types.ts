/** One job as the worker runtime received it from the server. */
export type JobSpec = { taskId: string; jobId: string; kind: string; payload: unknown }

/** What the runtime lends an executor for one job; the executor reaches nothing else (no network). */
export type ExecutorContext = {
  /** Aborted when the lease is lost or the worker stops. */
  signal: AbortSignal
  /** 0..1; executors call it at most a few times a second. */
  progress(fraction: number, message?: string): void
  /** Content-addressed input (sha256 hex), optionally a byte range of it. */
  fetchBlob(hash: string, range?: { offset: number; length: number }): Promise<Uint8Array>
}

/**
 * The result of a job. Only `output` is hashed and compared across replicas, so it must be the same
 * bytes on every machine; `metrics` (timings, counts) may differ and are informational.
 */
export type JobOutput = { output: Uint8Array; contentType: string; metrics?: Record<string, number> }

export interface Executor {
  kind: string
  /** Throws an ExecutorError naming the field when the payload is not one this executor runs. */
  validate(payload: unknown): void
  /** Runs the job; validates the payload first, so calling validate before is optional. */
  run(job: JobSpec, ctx: ExecutorContext): Promise<JobOutput>
}

export type ExecutorErrorCode =
  /** The payload is malformed or outside the limits; `field` names the culprit. */
  | 'INVALID_PAYLOAD'
  /** No executor for this job's kind. */
  | 'UNKNOWN_KIND'
  /** The signal was aborted (lease lost, worker stopping). */
  | 'ABORTED'
  /** A blob could not be fetched, or came back shorter or different than asked. */
  | 'BLOB_UNAVAILABLE'
  /** The job ran past its wall-clock limit and was stopped. */
  | 'TIME_LIMIT'
  /** The job wanted more memory than its limit (wasm memory or the thread's heap). */
  | 'MEMORY_LIMIT'
  /** A WebAssembly module imports something the sandbox does not provide. */
  | 'FORBIDDEN_IMPORT'
  /** A WebAssembly module is malformed or does not follow the ABI (WASM_ABI.md). */
  | 'WASM_INVALID'
  /** A WebAssembly module trapped (unreachable, out-of-bounds access, stack overflow...). */
  | 'WASM_TRAP'
  /** The worker thread died for a reason of its own (a bug, not the job's fault). */
  | 'WORKER_CRASHED'
  /** The job failed in a way its executor reports (the message says how). */
  | 'EXECUTION_FAILED'

const retryableCodes: ReadonlySet<string> = new Set(['ABORTED', 'BLOB_UNAVAILABLE', 'WORKER_CRASHED'])

/**
 * The one error type executors throw. `retryable` says whether running the same job again (here or
 * on another worker) may succeed: a lost blob or a crash may, a bad payload or a hostile module won't.
 * @example throw new ExecutorError('INVALID_PAYLOAD', 'matrix_size must be an integer from 1 to 512', { field: 'matrix_size' })
 */
export class ExecutorError extends Error {
  override name = 'ExecutorError'
  readonly code: ExecutorErrorCode
  readonly field?: string
  readonly retryable: boolean

  constructor(
    code: ExecutorErrorCode,
    message: string,
    options: { field?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.code = code
    if (options.field !== undefined) this.field = options.field
    this.retryable = options.retryable ?? retryableCodes.has(code)
  }
}
