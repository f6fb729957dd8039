import { type Address, type Hex, keccak256, encodePacked } from 'viem'
import { AMOUNT_UNIT } from '@taskmarket/chain'
import { resultHash, splitSettlement } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import type { EventBus } from './events.ts'
import { moveTasks } from './taskStatus.ts'

/** Verdicts in job records: what the Merkle root anchors for each result. */
export const VERDICT = { accepted: 1, rejected: 2 } as const

/**
 * What happens when a task's last job reaches quorum (queue its settlement: honest workers weighted by
 * accepted jobs in settlements of at most 64 workers, rejected ones unpaid, every result in the job records) or when it fails (queue the
 * refund). Both go through the outbox, so the relayer sends each exactly once.
 */
export function createSettlement({ events, finalize }: { events: EventBus; finalize?: (tx: Queryable, taskId: string) => Promise<Record<string, unknown>> }) {
  async function onTaskVerified(tx: Queryable, taskId: string) {
    const [task] = await tx.query<{ chain_task_id: Hex; reward: string }>(
      'SELECT chain_task_id, reward::text AS reward FROM tasks WHERE id = $1',
      [taskId],
    )
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
    const result = finalize ? await finalize(tx, taskId) : {}
    const canonical = await tx.query<{ d: Hex }>(`SELECT canonical_digest AS d FROM jobs WHERE task_id = $1 ORDER BY index`, [taskId])
    const digest = canonical.length === 1 ? canonical[0]!.d : keccak256(encodePacked(canonical.map(() => 'bytes32'), canonical.map((c) => c.d)))
    const firstValid = replicas.find((r) => r.status === 'valid')
    await tx.query(`UPDATE tasks SET result = $2, updated_at = now() WHERE id = $1`, [
      taskId,
      JSON.stringify({ result_hash: digest, worker_address: firstValid?.worker ?? null, ...result }),
    ])
    // Split to fit the escrow's limits: at most 64 paid workers per settlement, the last one closing the task.
    const parts = splitSettlement(BigInt(task!.reward), [...weights].map(([address, weight]) => ({ address, weight })), { unit: AMOUNT_UNIT })
    for (const [i, part] of parts.entries()) {
      await tx.query(`INSERT INTO outbox (kind, key, payload) VALUES ('settle', $1, $2) ON CONFLICT (key) DO NOTHING`, [
        parts.length === 1 ? `settle:${taskId}` : `settle:${taskId}:${i}`,
        JSON.stringify({ task_id: taskId, chain_task_id: task!.chain_task_id, amount: part.amount.toString(), close: part.close, workers: part.shares, records: i === 0 ? records : [] }),
      ])
    }
    events.publish(`task:${taskId}`, { type: 'TASK_PROGRESS', taskId, status: 'verifying', jobsDone: canonical.length, jobsTotal: canonical.length })
  }

  async function onTaskFailed(tx: Queryable, taskId: string, reason: string) {
    const [task] = await moveTasks(tx, { ids: [taskId], to: 'failed', failureReason: reason })
    await tx.query(`UPDATE assignments SET status = 'cancelled' WHERE task_id = $1 AND status = 'leased'`, [taskId])
    await tx.query(`UPDATE jobs SET status = 'cancelled' WHERE task_id = $1 AND status IN ('open', 'waiting')`, [taskId])
    if (task?.escrow_state === 'locked') {
      await tx.query(`INSERT INTO outbox (kind, key, payload) VALUES ('refund', $1, $2) ON CONFLICT (key) DO NOTHING`, [
        `refund:${taskId}`,
        JSON.stringify({ task_id: taskId, chain_task_id: task.chain_task_id }),
      ])
    }
    events.publish(`task:${taskId}`, { type: 'TASK_PROGRESS', taskId, status: 'failed', jobsDone: 0, jobsTotal: 0, message: reason })
  }

  return { onTaskVerified, onTaskFailed }
}
