import { TaskStatus, encodeTaskSettlement } from '@taskmarket/chain'
import { buildMerkleTree, formatTokens, jobRecordLeaf } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import type { Address, Hex } from 'viem'
import type { ChainService } from './chain.ts'

/** A row of the outbox as the relayer handles it. */
export type OutboxItem = { id: string; kind: OutboxKind; key: string; payload: any; attempts: number; tried_batches: string[] }
export type OutboxKind = 'create_signed' | 'create_allowance' | 'freeze' | 'unfreeze' | 'refund' | 'settle'

/** TaskEscrow's `TaskStatus`, generated from the contract. */
export const TASK_STATUS = TaskStatus

/** What the chain says of an item: done (with the evidence), not done, or done differently (an attack or a bug). */
export type ChainVerdict = { state: 'done' } | { state: 'not_done' } | { state: 'mismatch'; reason: string }

/** The escrow call that carries a set of items of one kind. */
export function escrowCall(kind: OutboxKind, payloads: any[], batchId?: Hex) {
  if (kind === 'settle') return { functionName: 'settle' as const, args: [settleBatch(payloads, batchId!).batch] as const }
  if (kind === 'refund' || kind === 'freeze' || kind === 'unfreeze') return { functionName: kind, args: [payloads[0].chain_task_id as Hex] as const }
  const terms = payloads.map((p) => ({ taskId: p.chain_task_id as Hex, amount: BigInt(p.amount), deadline: Number(p.deadline), feeScheme: Number(p.fee_scheme) }))
  if (kind === 'create_allowance') return { functionName: 'createTasksFromAllowance' as const, args: [terms] as const }
  const orders = payloads.map((p, i) => ({ ...terms[i]!, nonce: BigInt(p.nonce), expiry: Number(p.expiry) }))
  return { functionName: 'createTasksFor' as const, args: [orders, payloads.map((p) => p.signature as Hex)] as const }
}

/** The distinct accounts a settlement pays (the contract limits them per batch). */
export function settleAccounts(payload: any): string[] {
  return (payload.workers as { address: string }[]).map((w) => w.address.toLowerCase())
}

/** A settle batch of `payloads`: accounts indexed once, every job record under one Merkle root. */
export function settleBatch(payloads: any[], batchId: Hex) {
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
  const records = payloads.flatMap((p) => (p.records as any[]).map((r) => ({ ...r, taskId: p.chain_task_id as Hex, task_id: p.task_id })))
  const leaves = records.map((r) => jobRecordLeaf({ taskId: r.taskId, jobId: r.chainJobId, worker: r.worker, resultHash: r.resultHash, verdict: r.verdict }))
  const tree = buildMerkleTree(leaves.length ? leaves : [batchId])
  const tasks = payloads.map((p) =>
    encodeTaskSettlement({
      taskId: p.chain_task_id as Hex,
      amount: BigInt(p.amount),
      close: Boolean(p.close),
      workers: (p.workers as { address: Address; weight: number }[]).map((w) => ({ account: ix(w.address), weight: w.weight })),
      validators: [],
    }),
  )
  return { batch: { batchId, jobsRoot: tree.root, accounts, tasks }, records, leaves, tree }
}

/**
 * Whether the chain holds what an item asks for. A creation is done only when the escrow holds that task
 * with exactly its amount, deadline and fee scheme (an id the poster created directly, with other terms, is
 * a mismatch); a settlement only when a batch it was sent in is anchored (a settled task is not proof that
 * this payment was made).
 */
export async function chainVerdict(chain: ChainService, item: OutboxItem): Promise<ChainVerdict> {
  const { escrow } = chain.contracts
  const p = item.payload
  if (item.kind === 'settle') {
    for (const batchId of item.tried_batches) {
      if ((await escrow.read.batchRoot([batchId as Hex])) !== ZERO) return { state: 'done' }
    }
    return { state: 'not_done' }
  }
  const task = await escrow.read.getTask([p.chain_task_id as Hex])
  const status = Number(task.status)
  switch (item.kind) {
    case 'refund':
      return status === TASK_STATUS.Refunded ? { state: 'done' } : { state: 'not_done' }
    case 'freeze':
      return status === TASK_STATUS.Frozen ? { state: 'done' } : { state: 'not_done' }
    case 'unfreeze':
      return status === TASK_STATUS.Open ? { state: 'done' } : { state: 'not_done' }
    default: {
      if (status === TASK_STATUS.None) return { state: 'not_done' }
      const wanted = BigInt(p.amount)
      if (status !== TASK_STATUS.Open || task.locked !== wanted || Number(task.deadline) !== Number(p.deadline) || Number(task.feeScheme) !== Number(p.fee_scheme)) {
        return {
          state: 'mismatch',
          reason: `the escrow on chain for ${p.chain_task_id} does not match the task: it holds ${formatTokens(task.locked)} (status ${status}, deadline ${task.deadline}, fee scheme ${task.feeScheme}); the task needs ${formatTokens(wanted)} (deadline ${p.deadline}, fee scheme ${p.fee_scheme})`,
        }
      }
      return { state: 'done' }
    }
  }
}

/** Records a confirmed settle batch's job records with their Merkle proofs. */
export async function recordJobRecords(tx: Queryable, batchId: Hex, payloads: any[]) {
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
  await tx.query(`UPDATE tasks SET settlement_batch = $2 WHERE id = ANY($1::uuid[])`, [[...new Set(payloads.map((p) => p.task_id))], batchId])
}

const ZERO = `0x${'0'.repeat(64)}`
