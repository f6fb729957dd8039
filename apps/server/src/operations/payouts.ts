import { MAX_SHARES_PER_SETTLEMENT, TaskMarketError, resultHash } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { type Address, type Hex, keccak256, stringToHex } from 'viem'
import { enqueue } from '../outbox/items.ts'
import { VERDICT } from './tasks/settle.ts'

export type TaskRow = { id: string; chain_task_id: Hex; reward: string; poster: string; kind: string; payload: any; status: string; escrow_state: string; deadline: Date; jobs_total: number; jobs_done: number; qualifications: any; result: any }
/** A worker to pay for one assignment. */
export type Payee = { worker: Address; assignment_id: string }
export type PaidRecord = { job_id: string; chain_job_id: Hex; worker: Address; digest: Hex; accepted: boolean }

/** Locks a task row for the rest of the transaction; 404 when there is none. */
export async function lockTask(tx: Queryable, taskId: string): Promise<TaskRow> {
  const [task] = /^[0-9a-f-]{36}$/i.test(taskId) ? await tx.query<TaskRow>('SELECT * FROM tasks WHERE id = $1 FOR UPDATE', [taskId]) : []
  if (!task) throw new TaskMarketError('NOT_FOUND', 'id: no such task', { field: 'id', details: { reason: 'no such task' } })
  return task
}

/** Whether a human task takes claims or votes now: escrow locked, not ended, lifetime not over. */
export function takesWork(task: TaskRow, now: Date): boolean {
  return task.escrow_state === 'locked' && ['pending', 'in_progress'].includes(task.status) && new Date(task.deadline).getTime() > now.getTime()
}

/** Takes one free slot (job) of the task for an assignment; undefined when every slot is taken. */
export async function takeSlot(tx: Queryable, taskId: string): Promise<string | undefined> {
  const [slot] = await tx.query<{ id: string }>(
    `UPDATE jobs SET issued = issued + 1, updated_at = now() WHERE id = (
       SELECT id FROM jobs WHERE task_id = $1 AND status = 'open' AND issued < wanted ORDER BY index LIMIT 1 FOR UPDATE)
     RETURNING id`,
    [taskId],
  )
  return slot?.id
}

export function conflict(field: string, reason: string) {
  return new TaskMarketError('CONFLICT', `${field}: ${reason}`, { field, details: { reason } })
}

/** A digest of a person's answer (proofs or vote), anchored in the job records. */
export function answerDigest(answer: unknown): Hex {
  return keccak256(stringToHex(JSON.stringify(answer)))
}

/**
 * Queues payments of human work through the outbox: `amountEach` to each payee (one weight each), in
 * settlements of at most MAX_SHARES_PER_SETTLEMENT workers, the last one closing the task when `close`.
 * Every record, and the workers' reputations after this work, go with the first settlement. A settlement with no worker and amount 0 only closes the task
 * (what is left in escrow goes back to the poster).
 */
export async function queuePayments(
  tx: Queryable,
  task: { id: string; chain_task_id: Hex },
  { key, amountEach, payees, records, reputations = [], close }: { key: string; amountEach: bigint; payees: Payee[]; records: PaidRecord[]; reputations?: { address: Address; bps: number }[]; close: boolean },
) {
  const chunks: Payee[][] = []
  for (let i = 0; i < payees.length; i += MAX_SHARES_PER_SETTLEMENT) chunks.push(payees.slice(i, i + MAX_SHARES_PER_SETTLEMENT))
  if (chunks.length === 0) chunks.push([])
  for (const [i, chunk] of chunks.entries()) {
    const payload = {
      task_id: task.id,
      chain_task_id: task.chain_task_id,
      amount: (amountEach * BigInt(chunk.length)).toString(),
      close: close && i === chunks.length - 1,
      workers: chunk.map((p) => ({ address: p.worker, weight: 1 })),
      records: i === 0 ? records.map((r) => ({ job_id: r.job_id, chainJobId: r.chain_job_id, worker: r.worker, resultHash: resultHash(task.chain_task_id, r.chain_job_id, r.digest), verdict: r.accepted ? VERDICT.accepted : VERDICT.rejected })) : [],
      assignment_ids: chunk.map((p) => p.assignment_id),
      ...(i === 0 && reputations.length ? { reputations } : {}),
    }
    await enqueue(tx, 'settle', chunks.length > 1 ? `${key}:${i}` : key, payload)
  }
  if (payees.length) {
    await tx.query(`UPDATE assignments SET paid_amount = $2, payment_state = 'queued' WHERE id = ANY($1::uuid[])`, [payees.map((p) => p.assignment_id), amountEach.toString()])
  }
}
