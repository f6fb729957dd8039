import { TaskMarketError, equalShare, manualTerms, reputationBps, slashFor } from '@taskmarket/core'
import { type Address, getAddress } from 'viem'
import { enqueue } from '../../outbox/items.ts'
import { type TaskRow, conflict, lockTask, queuePayments } from '../payouts.ts'
import { returnToPool } from '../jobs/release.ts'
import { reputationCounters } from '../../repositories/nodes.ts'
import { moveAssignments, moveJobs, moveTasks } from '../status.ts'
import type { Tx } from '../tx.ts'
import { type AssignmentRow, type Reviewer, approvedCount, loadAssignment, publishAssignment, viewStatus } from './assignments.ts'

export type ReviewParameters = { reviewer: Reviewer; assignmentId: string }

/**
 * Approves submitted work, with the poster's rating when given: its slot is paid on its own, with the
 * worker's reputation after it; the last slot approved closes the task.
 */
export async function approveWork(tx: Tx, { reviewer, assignmentId, rating }: ReviewParameters & { rating?: number }): Promise<void> {
  const { a, task } = await forReview(tx, reviewer, assignmentId, 'submitted')
  await approveIn(tx, a, task, reviewer, null, rating)
}

/** Rejects submitted work with a reason; its slot goes back to the pool while the task lives. */
export async function rejectWork(tx: Tx, { reviewer, assignmentId, reason }: ReviewParameters & { reason: string }): Promise<void> {
  const { a } = await forReview(tx, reviewer, assignmentId, 'submitted')
  await rejectIn(tx, a, reviewer, reason)
}

/** Disputes submitted work: the task is frozen on chain until an operator resolves the dispute. */
export async function disputeWork(tx: Tx, { reviewer, assignmentId, reason }: ReviewParameters & { reason: string }): Promise<void> {
  const { a, task } = await forReview(tx, reviewer, assignmentId, 'submitted')
  await moveAssignments(tx, { ids: [a.id], from: ['submitted'], to: 'disputed' })
  await tx.query(`UPDATE assignments SET review = $2 WHERE id = $1`, [a.id, JSON.stringify({ by: reviewer.role, reason })])
  if (task.status !== 'disputed') {
    await moveTasks(tx, { ids: [task.id], to: 'disputed' })
    await enqueue(tx, 'freeze', `freeze:${a.id}`, { task_id: task.id, chain_task_id: task.chain_task_id })
  }
  publishAssignment(tx, task.id, a.id, 'disputed')
}

export type ResolveDisputeParameters = {
  operator: Address
  assignmentId: string
  outcome: 'pay_worker' | 'reject' | 'misuse'
  note?: string
  /** With misuse: the worker's stake on chain, half of which the ruling takes. */
  stake?: bigint
}

/**
 * Operator: ends a dispute for the worker (paid) or the poster (rejected); the last one unfreezes the task.
 * A misuse ruling (seed 003) rejects the work, counts a dispute lost in the worker's reputation, and takes
 * half of its stake and bans it for good with the next settle batch (nothing to take from a worker with no
 * stake: the ruling then only counts).
 */
export async function resolveDispute(tx: Tx, { operator, assignmentId, outcome, note, stake = 0n }: ResolveDisputeParameters): Promise<void> {
  const reviewer: Reviewer = { address: operator, role: 'operator' }
  const { a, task } = await forReview(tx, reviewer, assignmentId, 'disputed')
  const [{ open }] = (await tx.query<{ open: number }>(`SELECT count(*)::int AS open FROM assignments WHERE task_id = $1 AND status = 'disputed' AND id <> $2`, [task.id, a.id])) as [{ open: number }]
  if (open === 0) {
    // Unfreeze first: the relayer sends it before the settlement this resolution may queue.
    await moveTasks(tx, { ids: [task.id], to: 'in_progress' })
    await enqueue(tx, 'unfreeze', `unfreeze:${a.id}`, { task_id: task.id, chain_task_id: task.chain_task_id })
  }
  if (outcome === 'pay_worker') return approveIn(tx, a, { ...task, status: 'in_progress' }, reviewer, note ?? null)
  await rejectIn(tx, a, reviewer, note ?? (outcome === 'misuse' ? 'misuse ruled in a dispute' : 'dispute resolved for the poster'), outcome === 'misuse')
  if (outcome === 'misuse') await punishMisuse(tx, a, task, stake)
}

/** Takes a misuse ruling's slash (core's slashFor) with a ban, and stores the worker's reputation after it. */
async function punishMisuse(tx: Tx, a: AssignmentRow, task: TaskRow, stake: bigint) {
  const counters = (await reputationCounters(tx, [a.worker])).get(a.worker)!
  // The counters already hold this ruling: slashFor counts it once more, so it is given the record before.
  const slash = slashFor({ kind: 'misuse' }, { stake, counters: { ...counters, disputesLost: counters.disputesLost - 1 } })
  const bps = reputationBps(counters)
  if (slash.amount > 0n) {
    await tx.query(
      `INSERT INTO node_slashes (assignment_id, worker, task_id, job_id, reason, amount, reputation_bps) VALUES ($1, $2, $3, $4, 'Misuse', $5, $6) ON CONFLICT DO NOTHING`,
      [a.id, a.worker, task.id, a.job_id, slash.amount.toString(), bps],
    )
  }
  await enqueue(tx, 'settle', `slash:${a.id}`, {
    task_id: task.id, chain_task_id: task.chain_task_id, amount: '0', close: false, workers: [], records: [],
    slashes: slash.amount > 0n ? [{ address: a.worker as Address, amount: slash.amount.toString(), reason: 'Misuse', assignment_id: a.id, ban: true }] : [],
    reputations: [{ address: a.worker as Address, bps }],
  })
}

/** Loads an assignment for review by the task's poster (or the operator, for disputes), both locked. */
async function forReview(tx: Tx, reviewer: Reviewer, assignmentId: string, wanted: string) {
  const a = await loadAssignment(tx, assignmentId)
  const task = await lockTask(tx, a.task_id)
  if (reviewer.role === 'poster' && getAddress(task.poster) !== getAddress(reviewer.address)) throw new TaskMarketError('FORBIDDEN', 'id: only the task’s poster reviews its work', { field: 'id', details: { reason: 'not your task' } })
  const [fresh] = await tx.query<{ status: string }>('SELECT status FROM assignments WHERE id = $1 FOR UPDATE', [a.id])
  if (fresh!.status !== wanted) throw conflict('id', `the assignment is ${viewStatus(fresh!.status)}, not ${viewStatus(wanted)}`)
  return { a, task }
}

async function approveIn(tx: Tx, a: AssignmentRow, task: TaskRow, reviewer: Reviewer, note: string | null = null, rating?: number) {
  const { slots } = manualTerms(task.payload)
  const close = (await approvedCount(tx, task.id)) + 1 >= slots
  await moveAssignments(tx, { ids: [a.id], from: ['submitted', 'disputed'], to: 'valid', set: { reviewed_at: tx.now, review: JSON.stringify({ by: reviewer.role, reason: note, ...(rating ? { rating } : {}) }) } })
  await moveJobs(tx, { ids: [a.job_id], from: ['open'], to: 'valid' })
  const counters = await reputationCounters(tx, [a.worker])
  await tx.query(`UPDATE jobs SET canonical_digest = $2 WHERE id = $1`, [a.job_id, a.digest])
  await tx.query(`UPDATE tasks SET jobs_done = jobs_done + 1, updated_at = now() WHERE id = $1`, [task.id])
  if (close) await moveTasks(tx, { ids: [task.id], to: 'verifying' })
  await queuePayments(tx, task, {
    key: `settle:${a.id}`,
    amountEach: equalShare(BigInt(task.reward), slots),
    payees: [{ worker: a.worker, assignment_id: a.id }],
    records: [{ job_id: a.job_id, chain_job_id: a.chain_job_id, worker: a.worker, digest: a.digest!, accepted: true }],
    reputations: [{ address: a.worker, bps: reputationBps(counters.get(a.worker)!) }],
    close,
  })
  publishAssignment(tx, task.id, a.id, 'approved')
}

async function rejectIn(tx: Tx, a: AssignmentRow, reviewer: Reviewer, reason: string, misuse = false) {
  await moveAssignments(tx, { ids: [a.id], from: ['submitted', 'disputed'], to: 'rejected', set: { reviewed_at: tx.now, review: JSON.stringify({ by: reviewer.role, reason, ...(misuse ? { misuse } : {}) }) } })
  await returnToPool(tx, [a.job_id])
  publishAssignment(tx, a.task_id, a.id, 'rejected')
}
