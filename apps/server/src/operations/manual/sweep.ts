import { TaskMarketError } from '@taskmarket/core'
import { lockTask, queuePayments } from '../payouts.ts'
import { failTask } from '../tasks/fail.ts'
import { moveJobs, moveTasks } from '../status.ts'
import type { Tx } from '../tx.ts'
import { approvedCount } from './assignments.ts'
import { approveWork } from './review.ts'

/** Work under review past its task's delay, and manual tasks past their lifetime (a hundred of each at a time). */
export async function dueForSweep(tx: Tx): Promise<{ reviews: string[]; tasks: string[] }> {
  const reviews = await tx.query<{ id: string }>(`SELECT id FROM assignments WHERE status = 'submitted' AND review_due_at <= $1 ORDER BY review_due_at LIMIT 100`, [tx.now])
  const tasks = await tx.query<{ id: string }>(
    `SELECT id FROM tasks WHERE kind = 'manual' AND escrow_state = 'locked' AND status IN ('pending', 'in_progress') AND deadline < $1 LIMIT 100`,
    [tx.now],
  )
  return { reviews: reviews.map((r) => r.id), tasks: tasks.map((t) => t.id) }
}

/** Approves one overdue review as the sweep; a review someone finished meanwhile is left alone. */
export async function approveOverdue(tx: Tx, { assignmentId }: { assignmentId: string }): Promise<void> {
  await approveWork(tx, { reviewer: { address: '', role: 'auto' }, assignmentId }).catch((error) => {
    if (!(error instanceof TaskMarketError && error.code === 'CONFLICT')) throw error
  })
}

/**
 * After its lifetime, a manual task ends once nothing is claimed, under review or disputed: closed (what is
 * left in escrow goes back to the poster), or failed and refunded when no work was approved.
 */
export async function finishIfOver(tx: Tx, { taskId }: { taskId: string }): Promise<void> {
  const task = await lockTask(tx, taskId)
  if (!['pending', 'in_progress'].includes(task.status) || new Date(task.deadline).getTime() > tx.now.getTime()) return
  const [busy] = await tx.query(`SELECT 1 FROM assignments WHERE task_id = $1 AND status IN ('leased', 'submitted', 'disputed') LIMIT 1`, [taskId])
  if (busy) return
  await moveJobs(tx, { taskIds: [taskId], from: ['open'], to: 'cancelled' })
  if (Number(task.jobs_total) > 0 && (await approvedCount(tx, taskId)) === 0) {
    await failTask(tx, { taskId, reason: 'no work was approved before the task’s lifetime ended' })
    return
  }
  await moveTasks(tx, { ids: [taskId], to: 'verifying' })
  await queuePayments(tx, task, { key: `close:${taskId}`, amountEach: 0n, payees: [], records: [], close: true })
  tx.publish(`task:${taskId}`, { type: 'TASK_PROGRESS', taskId, status: 'verifying', jobsDone: 0, jobsTotal: task.jobs_total })
}
