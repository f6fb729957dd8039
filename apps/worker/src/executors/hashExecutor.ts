import { createHash } from 'node:crypto'
import { throwIfAborted } from './abort.ts'
import { fetchBlobRange } from './blobs.ts'
import { readPayload } from './payload.ts'
import { throttleProgress } from './throttleProgress.ts'
import type { Executor, ExecutorContext, JobOutput, JobSpec } from './types.ts'

export const hashAlgorithms = ['sha256', 'sha512', 'sha3-256', 'blake2b512'] as const
export type HashAlgorithm = (typeof hashAlgorithms)[number]

/** Job payload of kind `hash`: the checksum of a byte range of a blob. */
export type HashPayload = { blob: string; offset: number; length: number; algorithm: HashAlgorithm }

/** What a `hash` job outputs, as JSON in this key order. */
export type HashResult = { algorithm: HashAlgorithm; digest: string; length: number }

export type HashExecutorOptions = {
  /** Largest range a job may ask for, in bytes (default 4 GiB). */
  maxLength?: number
  /** The range is fetched and hashed this many bytes at a time (default 8 MiB). */
  chunkBytes?: number
}

/** Parses and checks a `hash` payload; throws ExecutorError naming the field. */
export function parseHashPayload(payload: unknown, options: HashExecutorOptions = {}): HashPayload {
  const p = readPayload(payload)
  const blob = p.blobHash('blob')
  const { offset, length } = p.range(options.maxLength ?? 4 * 2 ** 30)
  return { blob, offset, length, algorithm: p.oneOf('algorithm', hashAlgorithms) }
}

/**
 * The `hash` executor: digests `length` bytes of `blob` from `offset` with node:crypto, fetching the
 * range in chunks so that memory stays bounded, and outputs `{"algorithm","digest","length"}`.
 */
export function hashExecutor(options: HashExecutorOptions = {}): Executor {
  const chunkBytes = options.chunkBytes ?? 8 * 2 ** 20
  return {
    kind: 'hash',
    validate(payload) {
      parseHashPayload(payload, options)
    },
    async run(job: JobSpec, ctx: ExecutorContext): Promise<JobOutput> {
      const { blob, offset, length, algorithm } = parseHashPayload(job.payload, options)
      const started = performance.now()
      const progress = throttleProgress(ctx.progress)
      const hash = createHash(algorithm)
      for (let done = 0; done < length; ) {
        throwIfAborted(ctx.signal)
        const size = Math.min(chunkBytes, length - done)
        hash.update(await fetchBlobRange(ctx, blob, { offset: offset + done, length: size }, 'blob'))
        done += size
        progress(done / length)
      }
      throwIfAborted(ctx.signal)
      const result: HashResult = { algorithm, digest: hash.digest('hex'), length }
      return {
        output: new TextEncoder().encode(JSON.stringify(result)),
        contentType: 'application/json',
        metrics: { bytes: length, duration_ms: performance.now() - started },
      }
    },
  }
}
