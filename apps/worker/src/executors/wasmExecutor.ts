import { throwIfAborted } from './abort.ts'
import { fetchBlobRange, fetchVerifiedBlob } from './blobs.ts'
import { capWasmLimits } from './capWasmLimits.ts'
import { checkWasmAbi } from './checkWasmAbi.ts'
import { inspectWasmModule } from './inspectWasmModule.ts'
import { readPayload } from './payload.ts'
import { runInWorkerThread } from './runInWorkerThread.ts'
import { throttleProgress } from './throttleProgress.ts'
import { ExecutorError, type Executor, type ExecutorContext, type JobOutput, type JobSpec } from './types.ts'

const sandbox = new URL('./wasmSandbox.mjs', import.meta.url)
const mib = 2 ** 20

/** Job payload of kind `wasm`: run the poster's module (a blob) over a byte range of an input blob. */
export type WasmPayload = {
  module: string
  input: string
  offset: number
  length: number
  memory_limit_mb: number
  time_limit_ms: number
}

export type WasmExecutorOptions = {
  /** Largest memory_limit_mb a job may ask for (default 512). */
  maxMemoryMb?: number
  /** Largest time_limit_ms a job may ask for (default 600,000). */
  maxTimeLimitMs?: number
  /** Largest module, in bytes (default 16 MiB). */
  maxModuleBytes?: number
  /** Largest output, in bytes (default 64 MiB). */
  maxOutputBytes?: number
  /** V8 heap of the sandbox thread, in MB (default 64); wasm memory is not part of it. */
  heapMb?: number
}

/** Parses and checks a `wasm` payload; throws ExecutorError naming the field. */
export function parseWasmPayload(payload: unknown, options: WasmExecutorOptions = {}): WasmPayload {
  const p = readPayload(payload)
  const module = p.blobHash('module')
  const input = p.blobHash('input')
  const memoryLimitMb = p.integer('memory_limit_mb', 1, options.maxMemoryMb ?? 512, 64)
  const timeLimitMs = p.integer('time_limit_ms', 1, options.maxTimeLimitMs ?? 600_000, 10_000)
  const { offset, length } = p.range(memoryLimitMb * mib) // the input must fit in the module's memory
  return { module, input, offset, length, memory_limit_mb: memoryLimitMb, time_limit_ms: timeLimitMs }
}

type SandboxResult = { output: Uint8Array; memoryPages: number; runMs: number }

/**
 * The `wasm` executor: runs the poster's WebAssembly module in a worker thread with a memory cap, a
 * wall-clock limit and no host access beyond the ABI of WASM_ABI.md, and outputs the bytes its
 * `run` returns. The module is checked before any thread starts; a hostile one ends in TIME_LIMIT,
 * MEMORY_LIMIT, FORBIDDEN_IMPORT, WASM_INVALID or WASM_TRAP.
 */
export function wasmExecutor(options: WasmExecutorOptions = {}): Executor {
  const maxModuleBytes = options.maxModuleBytes ?? 16 * mib
  return {
    kind: 'wasm',
    validate(payload) {
      parseWasmPayload(payload, options)
    },
    async run(job: JobSpec, ctx: ExecutorContext): Promise<JobOutput> {
      const payload = parseWasmPayload(job.payload, options)
      const started = performance.now()
      throwIfAborted(ctx.signal)
      const original = await fetchVerifiedBlob(ctx, payload.module, 'module')
      if (original.byteLength > maxModuleBytes) {
        throw new ExecutorError('WASM_INVALID', `the module is ${original.byteLength} bytes; at most ${maxModuleBytes} are accepted`, {
          field: 'module',
        })
      }
      const info = inspectWasmModule(original)
      const { memory, caps } = checkWasmAbi(info, payload.memory_limit_mb * 16)
      const module = capWasmLimits(original, info, caps)
      const range = { offset: payload.offset, length: payload.length }
      const input = (await fetchBlobRange(ctx, payload.input, range, 'input')).slice()
      throwIfAborted(ctx.signal)

      const result = await runInWorkerThread<SandboxResult>({
        task: sandbox,
        input: { module, input, memory, maxOutputBytes: options.maxOutputBytes ?? 64 * mib },
        transferList: [module.buffer, input.buffer as ArrayBuffer],
        signal: ctx.signal,
        timeLimitMs: payload.time_limit_ms,
        resourceLimits: { maxOldGenerationSizeMb: options.heapMb ?? 64, maxYoungGenerationSizeMb: 16, stackSizeMb: 4 },
        onProgress: throttleProgress(ctx.progress),
      })
      return {
        output: result.output,
        contentType: 'application/octet-stream',
        metrics: {
          input_bytes: payload.length,
          output_bytes: result.output.byteLength,
          memory_pages: result.memoryPages,
          run_ms: result.runMs,
          duration_ms: performance.now() - started,
        },
      }
    },
  }
}
