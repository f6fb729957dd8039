import type { Upload } from './taskForm.ts'

/** Stores bytes or text as a blob and answers its hash (the SDK's `client.blobs.upload`). */
export type UploadBlob = (data: Uint8Array | string, contentType: string) => Promise<{ hash: string }>

export type UploadCache = ReturnType<typeof createUploadCache>

/** Typed texts remembered at most: a hash task's data changes as the poster types it. */
const MAX_TEXTS = 8

/**
 * Uploads each picked file or typed text once, whichever asks first (the market quote, which needs the blob
 * to count the jobs, or the post), and answers the hash the blob store gave it. A failed upload is forgotten,
 * so the next ask tries again.
 * @example const cache = createUploadCache((d, t) => client.blobs.upload(d, t)); withUploads(body, await cache.hashes(uploads))
 */
export function createUploadCache(upload: UploadBlob) {
  const files = new WeakMap<File, Map<string, Promise<string>>>()
  const texts = new Map<string, Promise<string>>()

  function hashOf({ data, contentType }: Upload): Promise<string> {
    const byType = typeof data === 'string' ? undefined : (files.get(data) ?? new Map<string, Promise<string>>())
    const key = typeof data === 'string' ? `${contentType}\n${data}` : contentType
    const cached = byType ? byType.get(key) : texts.get(key)
    if (cached) return cached
    const pending = (async () => (await upload(typeof data === 'string' ? data : new Uint8Array(await data.arrayBuffer()), contentType)).hash)()
    const forget = () => (byType ? byType.delete(key) : texts.delete(key))
    pending.catch(forget)
    if (byType && typeof data !== 'string') {
      byType.set(key, pending)
      files.set(data, byType)
    } else {
      texts.set(key, pending)
      if (texts.size > MAX_TEXTS) texts.delete(texts.keys().next().value!)
    }
    return pending
  }

  /** The hash of every upload by its payload field, uploading one after the other; `onUpload` sees each start. */
  async function hashes(uploads: readonly Upload[], onUpload?: (u: Upload) => void): Promise<Record<string, string>> {
    const out: Record<string, string> = {}
    for (const u of uploads) {
      onUpload?.(u)
      out[u.field] = await hashOf(u)
    }
    return out
  }

  return { hashOf, hashes }
}
