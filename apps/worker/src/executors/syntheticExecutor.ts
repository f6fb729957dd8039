import { createHash } from 'node:crypto'
import { endianness } from 'node:os'
import { SYNTHETIC_LIMITS } from '@taskmarket/core'
import { throwIfAborted, yieldToEventLoop } from './abort.ts'
import { multiplyRows } from './multiplyRows.ts'
import { invalid, readPayload } from './payload.ts'
import { throttleProgress } from './throttleProgress.ts'
import type { Executor, ExecutorContext, JobOutput, JobSpec } from './types.ts'
import { xoshiro128ss } from './xoshiro128.ts'

/** Job payload of kind `synthetic` (seed 001): a seeded integer matrix-power benchmark. */
export type SyntheticPayload = { seed: string; matrix_size: number; iterations: number }

/** What a `synthetic` job outputs, as JSON in this key order. */
export type SyntheticResult = { result_hash: string; matrix_size: number; iterations: number; ops: number }

export type SyntheticExecutorOptions = {
  /** Largest matrix_size (default: core's SYNTHETIC_LIMITS, as every limit here). */
  maxMatrixSize?: number
  /** Largest iterations. */
  maxIterations?: number
  /** Largest matrix_size³ × iterations, the number of multiply-adds. */
  maxWork?: number
  /** The main thread is handed back to the event loop (heartbeats) at least this often (default 20 ms). */
  sliceMs?: number
}

/** Parses and checks a `synthetic` payload; throws ExecutorError naming the field. */
export function parseSyntheticPayload(payload: unknown, options: SyntheticExecutorOptions = {}): SyntheticPayload {
  const p = readPayload(payload)
  const seed = p.string('seed', /^0x[0-9a-fA-F]{1,64}$/, 'a hexadecimal string of 1 to 64 digits after 0x, like "0x1234"')
  const size = p.integer('matrix_size', 1, options.maxMatrixSize ?? SYNTHETIC_LIMITS.maxMatrixSize)
  const iterations = p.integer('iterations', 1, options.maxIterations ?? SYNTHETIC_LIMITS.maxIterations)
  const maxWork = options.maxWork ?? SYNTHETIC_LIMITS.maxWork
  if (size ** 3 * iterations > maxWork) {
    throw invalid('iterations', `times matrix_size³ (${size ** 3}) must be at most ${maxWork}`, iterations)
  }
  return { seed, matrix_size: size, iterations }
}

/**
 * The 64-bit generator seed of a payload's `seed`: its value as an unsigned integer (so "0x01234" is
 * "0x1234"), up to 256 bits, folded to 64 by XOR of its 64-bit words. A seed below 2^64 is itself.
 * @example seedValue('0x1234') // 0x1234n
 */
export function seedValue(seed: string): bigint {
  let value = BigInt(seed)
  let folded = 0n
  for (; value > 0n; value >>= 64n) folded ^= BigInt.asUintN(64, value)
  return folded
}

/**
 * The two n×n uint32 matrices of a 64-bit seed, row-major: A takes the first n² outputs of
 * xoshiro128ss(seed), B the next n².
 */
export function seededMatrices(seed: bigint, n: number): { a: Int32Array; b: Int32Array } {
  const next = xoshiro128ss(seed)
  const a = new Int32Array(n * n)
  const b = new Int32Array(n * n)
  for (let i = 0; i < a.length; i++) a[i] = next()
  for (let i = 0; i < b.length; i++) b[i] = next()
  return { a, b }
}

/**
 * A × B^iterations modulo 2^32 (C = A × B, then A = C, `iterations` times), giving the event loop a
 * turn every `sliceMs` and stopping with ExecutorError('ABORTED') once `signal` is aborted.
 */
export async function computeSynthetic(
  params: { seed: bigint; size: number; iterations: number },
  hooks: { signal: AbortSignal; progress(fraction: number, message?: string): void; sliceMs?: number },
): Promise<Int32Array> {
  const { size: n, iterations } = params
  const sliceMs = hooks.sliceMs ?? 20
  const { a, b } = seededMatrices(params.seed, n)
  let A: Int32Array = a
  let C: Int32Array = new Int32Array(n * n)
  let lastYield = performance.now()
  for (let iteration = 0; iteration < iterations; iteration++) {
    for (let row = 0; row < n; ) {
      const to = Math.min(n, row + 4)
      multiplyRows(A, b, C, n, row, to)
      row = to
      if (performance.now() - lastYield >= sliceMs) {
        await yieldToEventLoop()
        throwIfAborted(hooks.signal)
        lastYield = performance.now()
        hooks.progress((iteration + row / n) / iterations, `iteration ${iteration + 1} of ${iterations}`)
      }
    }
    ;[A, C] = [C, A]
    throwIfAborted(hooks.signal)
    hooks.progress((iteration + 1) / iterations, `iteration ${iteration + 1} of ${iterations}`)
  }
  return A
}

/** sha256 of a uint32 matrix as little-endian bytes, whatever the host's byte order. */
export function matrixHash(matrix: Int32Array): string {
  let bytes = new Uint8Array(matrix.buffer, matrix.byteOffset, matrix.byteLength)
  if (endianness() === 'BE') {
    const view = new DataView(new ArrayBuffer(matrix.byteLength))
    matrix.forEach((value, i) => view.setInt32(i * 4, value, true))
    bytes = new Uint8Array(view.buffer)
  }
  return createHash('sha256').update(bytes).digest('hex')
}

/**
 * The `synthetic` executor (seed 001), specified so that anyone can recompute a result:
 * 1. g = xoshiro128ss(seedValue(seed)); A = the first n² outputs of g, B the next n² (row-major uint32);
 * 2. `iterations` times: A = A × B, every product and sum modulo 2^32;
 * 3. output `{"result_hash","matrix_size","iterations","ops"}` (this key order, no spaces), where
 *    result_hash is the sha256 (hex) of A's elements as uint32 little-endian and ops = 2·n³·iterations.
 * Runs on the calling thread in slices of `sliceMs`, so heartbeats keep flowing.
 */
export function syntheticExecutor(options: SyntheticExecutorOptions = {}): Executor {
  return {
    kind: 'synthetic',
    validate(payload) {
      parseSyntheticPayload(payload, options)
    },
    async run(job: JobSpec, ctx: ExecutorContext): Promise<JobOutput> {
      const { seed, matrix_size, iterations } = parseSyntheticPayload(job.payload, options)
      throwIfAborted(ctx.signal)
      const started = performance.now()
      const final = await computeSynthetic(
        { seed: seedValue(seed), size: matrix_size, iterations },
        { signal: ctx.signal, progress: throttleProgress(ctx.progress), sliceMs: options.sliceMs },
      )
      const ops = 2 * matrix_size ** 3 * iterations
      const result: SyntheticResult = { result_hash: matrixHash(final), matrix_size, iterations, ops }
      const durationMs = performance.now() - started
      return {
        output: new TextEncoder().encode(JSON.stringify(result)),
        contentType: 'application/json',
        metrics: { ops, duration_ms: durationMs, gops: ops / durationMs / 1e6 },
      }
    },
  }
}
