import type { Queryable } from '@taskmarket/db'
import type { Address, Hex } from 'viem'

/** Every outbox item names its task, in the database and on chain. */
export type TaskRef = { task_id: string; chain_task_id: Hex }

/** Lock a task's reward in escrow: its terms, and for a signed order the poster's signature over them. */
export type CreatePayload = TaskRef & { amount: string; deadline: number; fee_scheme: number }
export type CreateSignedPayload = CreatePayload & { nonce: string; expiry: number; signature: Hex }

/** A job record anchored under a settlement's Merkle root. */
export type SettleRecord = { job_id: string; chainJobId: Hex; worker: Address; resultHash: Hex; verdict: number }

/** Pay `amount` of a task's escrow to its workers by weight; `close` ends the task (the rest goes back). */
export type SettlePayload = TaskRef & {
  amount: string
  close: boolean
  workers: { address: Address; weight: number }[]
  records: SettleRecord[]
  /** Human work: the assignments this settlement pays, marked paid when it is confirmed. */
  assignment_ids?: string[]
  /** Stake the batch takes from nodes (base units, to the treasury), each for the lease it punishes. */
  slashes?: SettleSlash[]
  /** Reputations (0–10,000 bps) the batch stores for nodes whose record this settlement changed. */
  reputations?: { address: Address; bps: number }[]
}

/** A slash a settle batch carries: NodeRegistry's reason, the stake the lease put at risk, and the lease. */
export type SettleSlash = { address: Address; amount: string; reason: 'TaskTimeout' | 'WrongResult' | 'Misuse'; assignment_id: string; ban?: boolean }

/** A settle item that only slashes or records reputations: it pays nothing and settles no task on chain. */
export function paysNothing(p: SettlePayload): boolean {
  return p.workers.length === 0 && !p.close && BigInt(p.amount) === 0n
}

/** The kinds of chain calls the server makes, each with its payload. */
export type OutboxPayloads = {
  create_signed: CreateSignedPayload
  create_allowance: CreatePayload
  settle: SettlePayload
  refund: TaskRef
  freeze: TaskRef
  unfreeze: TaskRef
}
export type OutboxKind = keyof OutboxPayloads

/** A row of the outbox as the relayer handles it, typed by its kind. */
export type OutboxItem<K extends OutboxKind = OutboxKind> = {
  [k in K]: { id: string; kind: k; key: string; payload: OutboxPayloads[k]; attempts: number; tried_batches: string[] }
}[K]

/** The columns an outbox row is read with; `decode` types it. */
export const OUTBOX_COLUMNS = 'id::text, kind, key, payload, attempts, tried_batches'

/** Types a row read with OUTBOX_COLUMNS (the payload is stored as JSON by `enqueue`). */
export function decode(row: Record<string, unknown>): OutboxItem {
  return { id: String(row.id), kind: row.kind, key: row.key, payload: row.payload, attempts: Number(row.attempts), tried_batches: (row.tried_batches as string[]) ?? [] } as OutboxItem
}

/**
 * Queues a chain call in the transaction of the state change that needs it. The key makes it happen once:
 * a second enqueue with the same key changes nothing.
 */
export async function enqueue<K extends OutboxKind>(tx: Queryable, kind: K, key: string, payload: OutboxPayloads[K]): Promise<void> {
  await tx.query(`INSERT INTO outbox (kind, key, payload) VALUES ($1, $2, $3) ON CONFLICT (key) DO NOTHING`, [kind, key, JSON.stringify(payload)])
}
