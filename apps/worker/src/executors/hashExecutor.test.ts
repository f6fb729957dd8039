import { createHash, randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { hashAlgorithms, hashExecutor } from './hashExecutor.ts'
import { createTestContext } from './testing/testContext.ts'
import { ExecutorError, type JobOutput } from './types.ts'

const job = (payload: unknown) => ({ taskId: 'task-1', jobId: 'job-1', kind: 'hash', payload })
const json = (output: JobOutput) => JSON.parse(new TextDecoder().decode(output.output))

describe('hashExecutor', () => {
  const data = randomBytes(100_000)

  it.each(hashAlgorithms)('digests a range with %s exactly as node:crypto does', async (algorithm) => {
    const t = createTestContext()
    const blob = t.put(data)
    const out = await hashExecutor().run(job({ blob, offset: 1234, length: 50_000, algorithm }), t.ctx)
    const digest = createHash(algorithm).update(data.subarray(1234, 51_234)).digest('hex')
    expect(out.contentType).toBe('application/json')
    expect(new TextDecoder().decode(out.output)).toBe(`{"algorithm":"${algorithm}","digest":"${digest}","length":50000}`)
  })

  it('gives the same bytes however the range is chunked, and reports progress up to 1', async () => {
    const t = createTestContext()
    const blob = t.put(data)
    const payload = { blob, offset: 0, length: data.length, algorithm: 'sha3-256' }
    const whole = await hashExecutor().run(job(payload), t.ctx)
    const chunked = await hashExecutor({ chunkBytes: 7_000 }).run(job(payload), t.ctx)
    const again = await hashExecutor({ chunkBytes: 7_000 }).run(job(payload), t.ctx)
    expect(chunked.output).toEqual(whole.output)
    expect(again.output).toEqual(chunked.output)
    expect(t.fetches.filter((f) => f.range?.length === 7_000)).toHaveLength(2 * 14)
    expect(t.reports.at(-1)?.fraction).toBe(1)
  })

  it('hashes an empty range without fetching', async () => {
    const t = createTestContext()
    const out = await hashExecutor().run(job({ blob: 'a'.repeat(64), offset: 0, length: 0, algorithm: 'sha256' }), t.ctx)
    expect(json(out).digest).toBe(createHash('sha256').digest('hex'))
    expect(t.fetches).toHaveLength(0)
  })

  it('refuses a range past the end of the blob, and a blob that cannot be fetched', async () => {
    const t = createTestContext()
    const blob = t.put('short')
    const past = hashExecutor().run(job({ blob, offset: 2, length: 10, algorithm: 'sha256' }), t.ctx)
    await expect(past).rejects.toMatchObject({ code: 'BLOB_UNAVAILABLE', field: 'blob', retryable: false })
    const missing = hashExecutor().run(job({ blob: 'b'.repeat(64), offset: 0, length: 1, algorithm: 'sha256' }), t.ctx)
    await expect(missing).rejects.toMatchObject({ code: 'BLOB_UNAVAILABLE', field: 'blob', retryable: true })
  })

  it('stops fetching once the signal is aborted', async () => {
    const t = createTestContext()
    const blob = t.put(data)
    const ctx = {
      ...t.ctx,
      fetchBlob: async (hash: string, range?: { offset: number; length: number }) => {
        if (t.fetches.length === 3) t.controller.abort(new Error('lease lost'))
        return t.ctx.fetchBlob(hash, range)
      },
    }
    const run = hashExecutor({ chunkBytes: 1_000 }).run(job({ blob, offset: 0, length: data.length, algorithm: 'sha256' }), ctx)
    await expect(run).rejects.toMatchObject({ code: 'ABORTED', retryable: true })
    expect(t.fetches).toHaveLength(4)
  })

  it.each([
    [{ offset: 0, length: 1, algorithm: 'sha256' }, 'blob'],
    [{ blob: 'A'.repeat(64), offset: 0, length: 1, algorithm: 'sha256' }, 'blob'],
    [{ blob: 'a'.repeat(64), offset: -1, length: 1, algorithm: 'sha256' }, 'offset'],
    [{ blob: 'a'.repeat(64), offset: 0, length: 1.5, algorithm: 'sha256' }, 'length'],
    [{ blob: 'a'.repeat(64), offset: 0, length: 2 ** 40, algorithm: 'sha256' }, 'length'],
    [{ blob: 'a'.repeat(64), offset: Number.MAX_SAFE_INTEGER, length: 2, algorithm: 'sha256' }, 'offset'],
    [{ blob: 'a'.repeat(64), offset: 0, length: 1, algorithm: 'md5' }, 'algorithm'],
    ['not an object', 'payload'],
  ])('names the bad field of %j: %s', (payload, field) => {
    const error = catchError(() => hashExecutor().validate(payload))
    expect(error).toBeInstanceOf(ExecutorError)
    expect(error).toMatchObject({ code: 'INVALID_PAYLOAD', field, retryable: false })
    expect(error.message).toContain(field)
  })
})

function catchError(fn: () => void): ExecutorError {
  try {
    fn()
  } catch (error) {
    return error as ExecutorError
  }
  throw new Error('expected an error')
}
