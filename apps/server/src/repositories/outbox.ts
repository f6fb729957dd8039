import type { Queryable } from '@taskmarket/db'

/**
 * How many outbox rows of each kind wait before they can go again: quarantined, or sent in a batch that backs
 * off until a later attempt (kinds with none are absent).
 */
export async function outboxWaiting(db: Queryable): Promise<{ kind: string; n: number }[]> {
  return db.query<{ kind: string; n: number }>(
    `SELECT o.kind, count(*)::int AS n FROM outbox o LEFT JOIN chain_batches b ON b.batch_id = o.batch_id AND o.status = 'sent'
     WHERE o.status = 'quarantined' OR b.next_attempt_at > now() GROUP BY o.kind`,
  )
}
