import { hashExecutor, type HashExecutorOptions } from './hashExecutor.ts'
import { renderingExecutor, type RenderingExecutorOptions } from './renderingExecutor.ts'
import { syntheticExecutor, type SyntheticExecutorOptions } from './syntheticExecutor.ts'
import { ExecutorError, type Executor } from './types.ts'
import { wasmExecutor, type WasmExecutorOptions } from './wasmExecutor.ts'

export * from './types.ts'
export { hashAlgorithms, hashExecutor, parseHashPayload } from './hashExecutor.ts'
export type { HashAlgorithm, HashExecutorOptions, HashPayload, HashResult } from './hashExecutor.ts'
export { computeSynthetic, matrixHash, parseSyntheticPayload, seededMatrices, seedValue, syntheticExecutor } from './syntheticExecutor.ts'
export type { SyntheticExecutorOptions, SyntheticPayload, SyntheticResult } from './syntheticExecutor.ts'
export { parseWasmPayload, wasmExecutor } from './wasmExecutor.ts'
export type { WasmExecutorOptions, WasmPayload } from './wasmExecutor.ts'
export { parseRenderingPayload, renderingExecutor } from './renderingExecutor.ts'
export type { RenderingExecutorOptions, RenderingPayload } from './renderingExecutor.ts'
export { runInWorkerThread, type RunInWorkerThreadParameters } from './runInWorkerThread.ts'
export { throttleProgress } from './throttleProgress.ts'

export type ExecutorOptions = {
  hash?: HashExecutorOptions
  synthetic?: SyntheticExecutorOptions
  wasm?: WasmExecutorOptions
  rendering?: RenderingExecutorOptions
}

/**
 * Every built-in executor, by job kind, with the given limits.
 * @example const executors = createExecutors({ wasm: { maxMemoryMb: 256 } }); await executorFor(executors, job.kind).run(job, ctx)
 */
export function createExecutors(options: ExecutorOptions = {}): Record<string, Executor> {
  const list = [
    hashExecutor(options.hash),
    syntheticExecutor(options.synthetic),
    wasmExecutor(options.wasm),
    renderingExecutor(options.rendering),
  ]
  return Object.fromEntries(list.map((executor) => [executor.kind, executor]))
}

/** The built-in executors with their default limits. */
export const executors: Record<string, Executor> = createExecutors()

/** The executor of a job's kind; ExecutorError('UNKNOWN_KIND', field `kind`) when there is none. */
export function executorFor(registry: Record<string, Executor>, kind: string): Executor {
  const executor = Object.hasOwn(registry, kind) ? registry[kind] : undefined
  if (!executor) {
    throw new ExecutorError('UNKNOWN_KIND', `no executor for jobs of kind '${kind}'; this worker runs ${Object.keys(registry).join(', ')}`, {
      field: 'kind',
    })
  }
  return executor
}
