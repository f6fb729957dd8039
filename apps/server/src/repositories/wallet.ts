import type { WalletHistory } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'

export type WalletHistoryParameters = { account: string; limit: number; offset: number }

/**
 * What the books hold for a poster's tasks, in base units: `v` is still locked in escrow (rewards less what
 * settlements paid), `awaiting` is posted but not yet locked on chain.
 */
export async function posterEscrow(db: Queryable, poster: string): Promise<{ v: string; awaiting: string }> {
  const [row] = await db.query<{ v: string; awaiting: string }>(
    `SELECT coalesce(sum(reward - escrow_paid) FILTER (WHERE escrow_state = 'locked'), 0)::text AS v,
            coalesce(sum(reward) FILTER (WHERE escrow_state = 'awaiting'), 0)::text AS awaiting
     FROM tasks WHERE poster = $1 AND escrow_state IN ('awaiting', 'locked')`,
    [poster],
  )
  return row
}

/** One page of the indexed chain events that name `account`, newest first (the index keeps accounts in lower case). */
export async function walletHistory(db: Queryable, { account, limit, offset }: WalletHistoryParameters): Promise<WalletHistory['events']> {
  return db.query<WalletHistory['events'][number]>(
    `SELECT block_number::text AS block_number, log_index, tx_hash, contract, event, args, extract(epoch from block_time)::int AS time
     FROM chain_events WHERE $1 = ANY(accounts) ORDER BY block_number DESC, log_index DESC LIMIT $2 OFFSET $3`,
    [account.toLowerCase(), limit, offset],
  )
}

/** The sum of every escrow balance credited to `account` (BalanceCredited events), in base units. */
export async function creditedTotal(db: Queryable, account: string): Promise<string> {
  const [row] = await db.query<{ v: string }>(
    `SELECT coalesce(sum((args->>'amount')::numeric), 0)::text AS v FROM chain_events WHERE event = 'BalanceCredited' AND $1 = ANY(accounts)`,
    [account.toLowerCase()],
  )
  return row.v
}
