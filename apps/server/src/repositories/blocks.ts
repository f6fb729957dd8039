import type { BlockList } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'

export type ListBlocksParameters = { poster: string; limit: number; offset: number }
export type BlockWorkerParameters = { poster: string; worker: string; reason: string | null }
export type UnblockWorkerParameters = { poster: string; worker: string }

/** One page of the workers `poster` blocked, newest first. */
export async function listBlocks(db: Queryable, { poster, limit, offset }: ListBlocksParameters): Promise<BlockList['blocks']> {
  return db.query<BlockList['blocks'][number]>('SELECT worker, reason, extract(epoch from created_at)::int AS created_at FROM blocks WHERE poster = $1 ORDER BY created_at DESC, worker LIMIT $2 OFFSET $3', [poster, limit, offset])
}

/** Blocks `worker` from the tasks of `poster`; blocking again replaces the reason. */
export async function blockWorker(db: Queryable, { poster, worker, reason }: BlockWorkerParameters): Promise<void> {
  await db.query('INSERT INTO blocks (poster, worker, reason) VALUES ($1, $2, $3) ON CONFLICT (poster, worker) DO UPDATE SET reason = $3', [poster, worker, reason])
}

/** Lifts the block of `worker` by `poster` (a no-op when there is none). */
export async function unblockWorker(db: Queryable, { poster, worker }: UnblockWorkerParameters): Promise<void> {
  await db.query('DELETE FROM blocks WHERE poster = $1 AND worker = $2', [poster, worker])
}

/** The posters who blocked `worker`. */
export async function postersBlocking(db: Queryable, worker: string): Promise<string[]> {
  const rows = await db.query<{ poster: string }>('SELECT poster FROM blocks WHERE worker = $1', [worker])
  return rows.map((r) => r.poster)
}
