import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, readdir, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { type BlobInfo as WireBlobInfo, TaskMarketError } from '@taskmarket/core'
import type { Database, Queryable } from '@taskmarket/db'

/** A blob as the API shows it (core's BlobInfo), and whether only the server may read it. */
export type BlobInfo = WireBlobInfo & { private?: boolean }

/**
 * Whether the blob `hash` (an SQL expression) is referenced: a task's input, module, scene or output, a
 * job's or a replica's output, or a manual assignment's photo or signature proof. Each term has an index.
 */
const referencedSql = (hash: string) => `(
  EXISTS (SELECT 1 FROM tasks t WHERE t.payload->>'input' = ${hash} OR t.payload->>'module' = ${hash} OR t.payload->>'scene_file' = ${hash} OR t.result->>'output_blob' = ${hash})
  OR EXISTS (SELECT 1 FROM jobs j WHERE j.output_blob = ${hash})
  OR EXISTS (SELECT 1 FROM assignments a WHERE a.output_blob = ${hash} OR a.answer->'photo'->>'sha256' = ${hash} OR a.answer->'signature'->>'sha256' = ${hash}))`

/** Uploads that died leave their temporary file; one this old is no longer being written. */
const STALE_UPLOAD_MS = 3600_000
const COLLECT_BATCH = 500

/**
 * Content-addressed blobs in a folder (`ab/abcdef…`, sha256): streamed in while hashing, refused past
 * `maxBytes` or past the uploader's quota of unreferenced bytes, written atomically so a crash never leaves
 * a half blob under its name. `collect()` deletes blobs nothing references once their grace period is over.
 */
export function createBlobStore({ dir, db, maxBytes, quotaBytes = Infinity, graceSeconds = 24 * 3600 }: { dir: string; db: Database; maxBytes: number; quotaBytes?: number; graceSeconds?: number }) {
  const pathOf = (hash: string) => join(dir, hash.slice(0, 2), hash)

  /** Bytes `uploader` holds in blobs nothing references yet (referenced ones are marked by `collect`). */
  async function heldBy(uploader: string, tx: Queryable): Promise<number> {
    const [row] = await tx.query<{ n: string }>('SELECT coalesce(sum(size), 0)::text AS n FROM blobs WHERE uploader = $1 AND NOT referenced', [uploader])
    return Number(row!.n)
  }

  return {
    maxBytes,
    async put(source: Readable, { contentType, uploader, tx = db, isPrivate = false }: { contentType: string; uploader?: string; tx?: Queryable; isPrivate?: boolean }): Promise<BlobInfo> {
      const room = uploader ? quotaBytes - (await heldBy(uploader, tx)) : Infinity
      const overQuota = () =>
        new TaskMarketError('PAYLOAD_TOO_LARGE', `body: your unreferenced blobs would hold more than your quota of ${quotaBytes} bytes (BLOB_QUOTA_BYTES); post the tasks that use them, or wait for unused ones to be collected`, {
          field: 'body',
          details: { reason: `over the blob quota of ${quotaBytes} bytes per uploader`, quota_bytes: quotaBytes },
        })
      if (room <= 0) {
        source.resume()
        throw overQuota()
      }
      await mkdir(join(dir, 'tmp'), { recursive: true })
      const tmp = join(dir, 'tmp', randomUUID())
      const hash = createHash('sha256')
      let size = 0
      try {
        await pipeline(
          source,
          async function* (chunks: AsyncIterable<Buffer>) {
            for await (const chunk of chunks) {
              size += chunk.length
              if (size > maxBytes) {
                throw new TaskMarketError('PAYLOAD_TOO_LARGE', `body: larger than the limit of ${maxBytes} bytes`, {
                  field: 'body',
                  details: { reason: `larger than ${maxBytes} bytes` },
                })
              }
              if (size > room) throw overQuota()
              hash.update(chunk)
              yield chunk
            }
          },
          createWriteStream(tmp),
        )
      } catch (error) {
        await rm(tmp, { force: true })
        throw error
      }
      const digest = hash.digest('hex')
      // The row first, then the file: a collection deleting this hash holds the row's lock until its file is
      // gone, so the file renamed in below is never removed under a row that says it exists.
      await tx.query(
        // A blob uploaded in public once stays public; a private one is served only through its owner's routes.
        `INSERT INTO blobs (hash, size, content_type, uploader, private) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hash) DO UPDATE SET private = blobs.private AND excluded.private, used_at = now()`,
        [digest, size, contentType, uploader ?? null, isPrivate],
      )
      await mkdir(join(dir, digest.slice(0, 2)), { recursive: true })
      await rename(tmp, pathOf(digest))
      return { hash: digest, size, content_type: contentType }
    },

    /** Stores bytes; pass `tx` when inside a transaction (PGlite has one connection). */
    async putBuffer(data: Uint8Array, contentType: string, tx?: Queryable, options: { uploader?: string; isPrivate?: boolean } = {}): Promise<BlobInfo> {
      return this.put(Readable.from([Buffer.from(data)]), { contentType, tx, ...options })
    },

    async info(hash: string): Promise<BlobInfo | undefined> {
      const rows = await db.query<BlobInfo>('SELECT hash, size::int AS size, content_type, private FROM blobs WHERE hash = $1', [hash])
      return rows[0] && (await fileExists(hash)) ? rows[0] : undefined
    },

    /** `info` for a blob a task is about to reference: its grace period starts again, so it is not collected meanwhile. */
    async use(hash: string): Promise<BlobInfo | undefined> {
      const rows = await db.query<BlobInfo>('UPDATE blobs SET used_at = now() WHERE hash = $1 RETURNING hash, size::int AS size, content_type, private', [hash])
      return rows[0] && (await fileExists(hash)) ? rows[0] : undefined
    },

    open(hash: string, range?: { start: number; end: number }): Readable {
      return createReadStream(pathOf(hash), range)
    },

    async read(hash: string): Promise<Buffer> {
      return readFile(pathOf(hash))
    },

    /**
     * Marks the blobs that became referenced (they leave their uploader's quota and are kept for good), then
     * deletes, row and file, up to 500 that nothing references and that were neither uploaded nor used in a
     * posting within the grace period; also removes temporary files of uploads that died.
     */
    async collect(): Promise<{ marked: number; collected: number }> {
      const marked = await db.query(`UPDATE blobs b SET referenced = true WHERE NOT b.referenced AND ${referencedSql('b.hash')} RETURNING hash`)
      const collected = await db.transaction(async (tx) => {
        const rows = await tx.query<{ hash: string }>(
          `DELETE FROM blobs WHERE hash IN (
             SELECT hash FROM blobs b WHERE NOT b.referenced AND coalesce(b.used_at, b.created_at) < now() - make_interval(secs => $1)
               AND b.created_at < now() - make_interval(secs => $1) AND NOT ${referencedSql('b.hash')}
             ORDER BY b.created_at LIMIT $2 FOR UPDATE SKIP LOCKED)
           RETURNING hash`,
          [graceSeconds, COLLECT_BATCH],
        )
        for (const { hash } of rows) await rm(pathOf(hash), { force: true })
        return rows.length
      })
      const tmp = join(dir, 'tmp')
      for (const name of await readdir(tmp).catch(() => [] as string[])) {
        const file = join(tmp, name)
        const age = Date.now() - (await stat(file).then((s) => s.mtimeMs, () => Date.now()))
        if (age > STALE_UPLOAD_MS) await rm(file, { force: true })
      }
      return { marked: marked.length, collected }
    },
  }

  async function fileExists(hash: string) {
    // The row may outlive a deleted file; the file is the truth.
    return stat(pathOf(hash)).then(() => true, () => false)
  }
}

export type BlobStore = ReturnType<typeof createBlobStore>
