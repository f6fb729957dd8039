import { MAX_BATCH_SLASHES, TaskStatus, encodeReputations, encodeSlash, encodeTaskSettlement } from '@taskmarket/chain'
import { buildMerkleTree, jobRecordLeaf } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import type { Address, Hex } from 'viem'
import { moveTasks } from '../../operations/status.ts'
import { type OutboxItem, type SettlePayload, paysNothing } from '../items.ts'
import { defineOutboxKind, escrowStatus } from './kind.ts'

/** Distinct accounts one settle batch credits: the contract allows 1,024, the block's gas far fewer first writes. */
export const MAX_ACCOUNTS_PER_BATCH = 256

const ZERO = `0x${'0'.repeat(64)}`

/**
 * Pays tasks' workers from escrow, many tasks in one batch with every job record under one Merkle root. A
 * partial settlement pays; only the closing part completes its task.
 */
export const settle = defineOutboxKind<'settle'>({
  batched: true,
  args: (items, batchId) => ({ functionName: 'settle', args: [settleBatch(items.map((i) => i.payload), batchId).batch] }),
  /** Done only when a batch it was sent in is anchored: a settled task is not proof that this payment was made. */
  async alreadyDone(chain, item) {
    for (const batchId of item.tried_batches) {
      if ((await chain.contracts.escrow.read.batchRoot([batchId as Hex])) !== ZERO) return { state: 'done' }
    }
    return { state: 'not_done' }
  },
  // A disputed task's settlements wait, and so does a closing one while the task's earlier parts are unpaid
  // (its slashes are not parts: a slash that cannot be sent must not hold the task's payment up).
  waitsWhile: `EXISTS (SELECT 1 FROM tasks t WHERE t.id = (o.payload->>'task_id')::uuid AND t.status = 'disputed')
    OR ((o.payload->>'close')::boolean AND EXISTS (
      SELECT 1 FROM outbox p WHERE p.kind = 'settle' AND p.payload->>'task_id' = o.payload->>'task_id' AND p.id < o.id AND p.status NOT IN ('confirmed', 'failed')
        AND p.key NOT LIKE 'slash:%'))`,
  mustWait: async (_db, chain, item) => (await escrowStatus(chain, item.payload.chain_task_id)) === TaskStatus.Frozen,
  onStaged: (tx, batchId, items) => recordJobRecords(tx, batchId, items.map((i) => i.payload)),
  async onConfirmed(tx, { payload, tried_batches }, { txHash, batchId }) {
    const taskId = payload.task_id
    const slashed = (payload.slashes ?? []).map((s) => s.assignment_id)
    if (slashed.length) await tx.query(`UPDATE node_slashes SET tx_hash = $2 WHERE assignment_id = ANY($1::uuid[])`, [slashed, txHash ?? null])
    const reputations = payload.reputations ?? []
    if (reputations.length) {
      await tx.query(`INSERT INTO node_reputations (worker, bps, tx_hash) SELECT * FROM unnest($1::text[], $2::int[], $3::text[])`, [
        reputations.map((r) => r.address), reputations.map((r) => r.bps), reputations.map(() => txHash ?? null),
      ])
    }
    if (paysNothing(payload)) return
    await tx.query(`UPDATE tasks SET escrow_paid = escrow_paid + $2::numeric, updated_at = now() WHERE id = $1`, [taskId, payload.amount])
    if (payload.close) await moveTasks(tx, { ids: [taskId], to: 'completed', escrowState: 'released', completed: true })
    const paid = payload.assignment_ids ?? []
    const hash = txHash ?? (await tx.query<{ tx_hash: string | null }>(`SELECT tx_hash FROM chain_batches WHERE batch_id = ANY($1::text[]) AND tx_hash IS NOT NULL LIMIT 1`, [tried_batches]))[0]?.tx_hash ?? null
    if (paid.length) await tx.query(`UPDATE assignments SET payment_state = 'paid', payment_tx = $2 WHERE id = ANY($1::uuid[])`, [paid, hash])
    if (batchId) await tx.query(`UPDATE chain_batches SET tx_hash = coalesce(tx_hash, $2) WHERE batch_id = $1`, [batchId, txHash])
    tx.publish(`task:${taskId}`, { type: 'TASK_REWARD', taskId, status: payload.close ? 'completed' : 'in_progress', txHash, batchId })
  },
  async onRejected(tx, { payload }) {
    const ids = payload.assignment_ids ?? []
    if (ids.length) await tx.query(`UPDATE assignments SET payment_state = 'failed' WHERE id = ANY($1::uuid[])`, [ids])
  },
})

/** The distinct accounts a settlement names: those it pays, slashes or gives a reputation (the contract limits them per batch). */
function settleAccounts(payload: SettlePayload): string[] {
  return [...payload.workers, ...(payload.slashes ?? []), ...(payload.reputations ?? [])].map((w) => w.address.toLowerCase())
}

/** Splits claimed settlements into those that fit one batch's account and slash limits, in order, and the rest. */
export function packAccounts(items: OutboxItem<'settle'>[]): [OutboxItem<'settle'>[], OutboxItem<'settle'>[]] {
  const accounts = new Set<string>()
  let slashes = 0
  let i = 0
  for (; i < items.length; i++) {
    const mine = settleAccounts(items[i]!.payload)
    const added = mine.filter((a) => !accounts.has(a)).length
    const slashed = items[i]!.payload.slashes?.length ?? 0
    if (i > 0 && (accounts.size + added > MAX_ACCOUNTS_PER_BATCH || slashes + slashed > MAX_BATCH_SLASHES)) break
    for (const a of mine) accounts.add(a)
    slashes += slashed
  }
  return [items.slice(0, i), items.slice(i)]
}

/** A settle batch of `payloads`: accounts indexed once, every job record under one Merkle root. */
export function settleBatch(payloads: SettlePayload[], batchId: Hex) {
  const accounts: Address[] = []
  const index = new Map<string, number>()
  const ix = (a: Address) => {
    const key = a.toLowerCase()
    if (!index.has(key)) {
      index.set(key, accounts.length)
      accounts.push(a)
    }
    return index.get(key)!
  }
  const records = payloads.flatMap((p) => p.records.map((r) => ({ ...r, taskId: p.chain_task_id, task_id: p.task_id })))
  const leaves = records.map((r) => jobRecordLeaf({ taskId: r.taskId, jobId: r.chainJobId, worker: r.worker, resultHash: r.resultHash, verdict: r.verdict }))
  const tree = buildMerkleTree(leaves.length ? leaves : [batchId])
  const tasks = payloads.filter((p) => !paysNothing(p)).map((p) =>
    encodeTaskSettlement({
      taskId: p.chain_task_id,
      amount: BigInt(p.amount),
      close: Boolean(p.close),
      workers: p.workers.map((w) => ({ account: ix(w.address), weight: w.weight })),
      validators: [],
    }),
  )
  const slashes = payloads.flatMap((p) => p.slashes ?? []).map((s) => encodeSlash({ account: ix(s.address), reason: s.reason, amount: BigInt(s.amount), unit: 'tokens', burn: false, ban: s.ban ?? false }))
  // One reputation per account: the latest item's, as items are in the order they were queued.
  const latest = new Map(payloads.flatMap((p) => p.reputations ?? []).map((r) => [ix(r.address), r.bps]))
  const reputations = encodeReputations([...latest].map(([account, bps]) => ({ account, bps })), accounts.length)
  return { batch: { batchId, jobsRoot: tree.root, accounts, tasks, reputations, slashes }, records, leaves, tree }
}

/** Records a staged settle batch's job records with their Merkle proofs. */
async function recordJobRecords(tx: Queryable, batchId: Hex, payloads: SettlePayload[]) {
  const { records, leaves, tree } = settleBatch(payloads, batchId)
  await tx.query(`UPDATE chain_batches SET jobs_root = $2 WHERE batch_id = $1`, [batchId, tree.root])
  if (records.length) {
    await tx.query(
      `INSERT INTO job_records (batch_id, leaf, task_id, job_id, worker, result_hash, verdict, proof)
       SELECT $1, x.leaf, x.task_id, x.job_id, x.worker, x.result_hash, x.verdict, x.proof
       FROM unnest($2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::int[], $8::jsonb[]) AS x(leaf, task_id, job_id, worker, result_hash, verdict, proof)
       ON CONFLICT DO NOTHING`,
      [batchId, leaves, records.map((r) => r.task_id), records.map((r) => r.job_id), records.map((r) => r.worker), records.map((r) => r.resultHash), records.map((r) => r.verdict),
        leaves.map((l) => JSON.stringify(tree.proof(l)))],
    )
  }
  const settled = payloads.filter((p) => !paysNothing(p)).map((p) => p.task_id)
  await tx.query(`UPDATE tasks SET settlement_batch = $2 WHERE id = ANY($1::uuid[])`, [[...new Set(settled)], batchId])
}
