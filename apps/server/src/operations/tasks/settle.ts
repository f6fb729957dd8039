import { AMOUNT_UNIT } from '@taskmarket/chain'
import { reputationBps, resultHash, splitSettlement } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { type Address, type Hex, encodePacked, keccak256 } from 'viem'
import { enqueue } from '../../outbox/items.ts'
import { reputationCounters } from '../../repositories/nodes.ts'
import type { Tx } from '../tx.ts'

/** Verdicts in job records: what the Merkle root anchors for each result. */
export const VERDICT = { accepted: 1, rejected: 2 } as const

/** Builds a task's deliverable from its verified jobs (a rendering's tiles become one PNG); see finalize.ts. */
export type Finalize = (tx: Queryable, taskId: string) => Promise<Record<string, unknown>>

export type SettleTaskParameters = { taskId: string; finalize: Finalize }

/**
 * Queues the settlement of a task whose last job reached quorum: honest workers weighted by accepted jobs,
 * in settlements of at most 64 workers (the last one closing the task), rejected ones unpaid, every result
 * in the job records. The outbox sends each part exactly once.
 */
export async function settleTask(tx: Tx, { taskId, finalize }: SettleTaskParameters): Promise<void> {
  const [task] = await tx.query<{ chain_task_id: Hex; reward: string }>('SELECT chain_task_id, reward::text AS reward FROM tasks WHERE id = $1', [taskId])
  const replicas = await tx.query<{ job_id: string; chain_job_id: Hex; worker: Address; digest: Hex; status: string }>(
    `SELECT a.job_id, j.chain_job_id, a.worker, a.digest, a.status FROM assignments a JOIN jobs j ON j.id = a.job_id
     WHERE a.task_id = $1 AND a.status IN ('valid', 'invalid') AND a.digest IS NOT NULL ORDER BY j.index, a.worker`,
    [taskId],
  )
  const weights = new Map<Address, number>()
  for (const r of replicas) if (r.status === 'valid') weights.set(r.worker, (weights.get(r.worker) ?? 0) + 1)
  const records = replicas.map((r) => ({
    job_id: r.job_id,
    chainJobId: r.chain_job_id,
    worker: r.worker,
    resultHash: resultHash(task!.chain_task_id, r.chain_job_id, r.digest),
    verdict: r.status === 'valid' ? VERDICT.accepted : VERDICT.rejected,
  }))
  const result = await finalize(tx, taskId)
  const canonical = await tx.query<{ d: Hex }>(`SELECT canonical_digest AS d FROM jobs WHERE task_id = $1 ORDER BY index`, [taskId])
  const digest = canonical.length === 1 ? canonical[0]!.d : keccak256(encodePacked(canonical.map(() => 'bytes32'), canonical.map((c) => c.d)))
  const firstValid = replicas.find((r) => r.status === 'valid')
  await tx.query(`UPDATE tasks SET result = $2, updated_at = now() WHERE id = $1`, [taskId, JSON.stringify({ result_hash: digest, worker_address: firstValid?.worker ?? null, ...result })])
  // The workers' reputations after this task go on chain with its first part (outvoted ones went with their slash).
  const counters = await reputationCounters(tx, [...weights.keys()])
  const reputations = [...counters].map(([address, c]) => ({ address: address as Address, bps: reputationBps(c) }))
  const parts = splitSettlement(BigInt(task!.reward), [...weights].map(([address, weight]) => ({ address, weight })), { unit: AMOUNT_UNIT })
  for (const [i, part] of parts.entries()) {
    await enqueue(tx, 'settle', parts.length === 1 ? `settle:${taskId}` : `settle:${taskId}:${i}`, {
      task_id: taskId, chain_task_id: task!.chain_task_id, amount: part.amount.toString(), close: part.close, workers: part.shares, records: i === 0 ? records : [], reputations: i === 0 ? reputations : [],
    })
  }
  tx.publish(`task:${taskId}`, { type: 'TASK_PROGRESS', taskId, status: 'verifying', jobsDone: canonical.length, jobsTotal: canonical.length })
}
