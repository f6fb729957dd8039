import type { Queryable } from '@taskmarket/db'

/** One contract event as the index keeps it. */
export type ChainEvent = {
  blockNumber: bigint
  logIndex: number
  txHash: string
  /** The contract's name in the deployment (its address when it has none). */
  contract: string
  event: string
  /** The event's arguments, JSON-safe (bigints as decimal strings). */
  args: Record<string, unknown>
  /** Every address the event mentions, lower case: what wallet history looks up. */
  accounts: string[]
  /** The block's timestamp, in seconds. */
  blockTime: number | undefined
}

/** The last block the index holds every event of, or undefined before the first pass. */
export async function lastIndexedBlock(db: Queryable): Promise<bigint | undefined> {
  const [state] = await db.query<{ last_block: string }>('SELECT last_block::text AS last_block FROM indexer_state WHERE id = 1')
  return state ? BigInt(state.last_block) : undefined
}

/** Records that every event up to `block` is indexed. */
export async function setLastIndexedBlock(db: Queryable, block: bigint): Promise<void> {
  await db.query(`INSERT INTO indexer_state (id, last_block) VALUES (1, $1) ON CONFLICT (id) DO UPDATE SET last_block = $1`, [block.toString()])
}

/** Indexes an event; indexing the same block and log index again replaces its hash, name, arguments and accounts. */
export async function saveChainEvent(db: Queryable, { blockNumber, logIndex, txHash, contract, event, args, accounts, blockTime }: ChainEvent): Promise<void> {
  await db.query(
    `INSERT INTO chain_events (block_number, log_index, tx_hash, contract, event, args, accounts, block_time)
     VALUES ($1,$2,$3,$4,$5,$6,$7,to_timestamp($8)) ON CONFLICT (block_number, log_index) DO UPDATE SET tx_hash = $3, event = $5, args = $6, accounts = $7`,
    [blockNumber.toString(), logIndex, txHash, contract, event, JSON.stringify(args), accounts, blockTime],
  )
}
