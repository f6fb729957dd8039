import { ExecutorError } from './types.ts'

/** Throws ExecutorError('ABORTED') when the job's signal has been aborted. */
export function throwIfAborted(signal: AbortSignal): void {
  if (signal.aborted) throw abortedError(signal)
}

/** The error a job ends with once its signal is aborted; the signal's reason is its cause. */
export function abortedError(signal: AbortSignal): ExecutorError {
  return new ExecutorError('ABORTED', 'the job was aborted (lease lost or worker stopping)', { cause: signal.reason })
}

/** Lets timers and I/O (heartbeats) run between slices of CPU-bound work on the main thread. */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve))
}
