import { createHash } from 'node:crypto'
import type { ExecutorContext } from '../types.ts'

export type TestContext = {
  ctx: ExecutorContext
  controller: AbortController
  /** Every progress report, in order. */
  reports: { fraction: number; message?: string }[]
  /** Every fetchBlob call, in order. */
  fetches: { hash: string; range?: { offset: number; length: number } }[]
  /** Stores a blob, returning its sha256 hex name. */
  put(bytes: Uint8Array | string): string
}

/**
 * An ExecutorContext over an in-memory content-addressed blob store, which answers a range past the
 * end of a blob with the bytes that exist, as an HTTP range request would.
 */
export function createTestContext(): TestContext {
  const blobs = new Map<string, Uint8Array>()
  const controller = new AbortController()
  const reports: TestContext['reports'] = []
  const fetches: TestContext['fetches'] = []
  return {
    controller,
    reports,
    fetches,
    put(content) {
      const bytes = typeof content === 'string' ? new TextEncoder().encode(content) : content
      const hash = createHash('sha256').update(bytes).digest('hex')
      blobs.set(hash, bytes)
      return hash
    },
    ctx: {
      signal: controller.signal,
      progress: (fraction, message) => reports.push({ fraction, message }),
      async fetchBlob(hash, range) {
        fetches.push({ hash, range })
        const blob = blobs.get(hash)
        if (!blob) throw new Error(`no blob ${hash}`)
        return range ? blob.slice(range.offset, range.offset + range.length) : blob.slice()
      },
    },
  }
}
