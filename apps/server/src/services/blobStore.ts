import { createHash, randomUUID } from 'node:crypto'
import { createReadStream, createWriteStream } from 'node:fs'
import { mkdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { join } from 'node:path'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import { TaskMarketError } from '@taskmarket/core'
import type { Database, Queryable } from '@taskmarket/db'

export type BlobInfo = { hash: string; size: number; content_type: string; private?: boolean }

/**
 * Content-addressed blobs in a folder (`ab/abcdef…`, sha256): streamed in while hashing, refused past
 * `maxBytes`, written atomically so a crash never leaves a half blob under its name.
 */
export function createBlobStore({ dir, db, maxBytes }: { dir: string; db: Database; maxBytes: number }) {
  const pathOf = (hash: string) => join(dir, hash.slice(0, 2), hash)

  return {
    maxBytes,
    async put(source: Readable, { contentType, uploader, tx = db, isPrivate = false }: { contentType: string; uploader?: string; tx?: Queryable; isPrivate?: boolean }): Promise<BlobInfo> {
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
      await mkdir(join(dir, digest.slice(0, 2)), { recursive: true })
      await rename(tmp, pathOf(digest))
      await tx.query(
        // A blob uploaded in public once stays public; a private one is served only through its owner's routes.
        `INSERT INTO blobs (hash, size, content_type, uploader, private) VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (hash) DO UPDATE SET private = blobs.private AND excluded.private`,
        [digest, size, contentType, uploader ?? null, isPrivate],
      )
      return { hash: digest, size, content_type: contentType }
    },

    /** Stores bytes; pass `tx` when inside a transaction (PGlite has one connection). */
    async putBuffer(data: Uint8Array, contentType: string, tx?: Queryable, options: { uploader?: string; isPrivate?: boolean } = {}): Promise<BlobInfo> {
      return this.put(Readable.from([Buffer.from(data)]), { contentType, tx, ...options })
    },

    async info(hash: string): Promise<BlobInfo | undefined> {
      const rows = await db.query<BlobInfo>('SELECT hash, size::int AS size, content_type, private FROM blobs WHERE hash = $1', [hash])
      if (!rows[0]) return undefined
      // The row may outlive a deleted file; the file is the truth.
      const exists = await stat(pathOf(hash)).then(() => true, () => false)
      return exists ? rows[0] : undefined
    },

    open(hash: string, range?: { start: number; end: number }): Readable {
      return createReadStream(pathOf(hash), range)
    },

    async read(hash: string): Promise<Buffer> {
      return readFile(pathOf(hash))
    },
  }
}

export type BlobStore = ReturnType<typeof createBlobStore>
