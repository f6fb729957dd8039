import { createHash } from 'node:crypto'
import { abortedError } from './abort.ts'
import { ExecutorError, type ExecutorContext } from './types.ts'

/**
 * Fetches exactly `length` bytes of a blob from `offset`; a shorter answer (the range runs past the
 * end of the blob) or a failed fetch is an ExecutorError naming `field`, the payload field of the hash.
 */
export async function fetchBlobRange(
  ctx: ExecutorContext,
  hash: string,
  range: { offset: number; length: number },
  field: string,
): Promise<Uint8Array> {
  if (range.length === 0) return new Uint8Array(0)
  const bytes = await fetchOrThrow(ctx, hash, field, range)
  if (bytes.byteLength !== range.length) {
    throw new ExecutorError(
      'BLOB_UNAVAILABLE',
      `blob ${hash} (${field}) gave ${bytes.byteLength} bytes for the range ${range.offset}+${range.length}; ` +
        'does the range run past the end of the blob?',
      { field, retryable: false },
    )
  }
  return bytes
}

/** Fetches a whole blob and checks that its sha256 is its name, since executors run what it holds. */
export async function fetchVerifiedBlob(ctx: ExecutorContext, hash: string, field: string): Promise<Uint8Array> {
  const bytes = await fetchOrThrow(ctx, hash, field)
  const actual = createHash('sha256').update(bytes).digest('hex')
  if (actual !== hash) {
    throw new ExecutorError('BLOB_UNAVAILABLE', `blob ${hash} (${field}) arrived with sha256 ${actual}`, { field })
  }
  return bytes
}

async function fetchOrThrow(
  ctx: ExecutorContext,
  hash: string,
  field: string,
  range?: { offset: number; length: number },
): Promise<Uint8Array> {
  try {
    return await ctx.fetchBlob(hash, range)
  } catch (cause) {
    if (ctx.signal.aborted) throw abortedError(ctx.signal)
    if (cause instanceof ExecutorError) throw cause
    const reason = cause instanceof Error ? cause.message : String(cause)
    throw new ExecutorError('BLOB_UNAVAILABLE', `could not fetch blob ${hash} (${field}): ${reason}`, { field, cause })
  }
}
