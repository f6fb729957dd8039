import { enqueue } from '../../outbox/items.ts'
import { moveAssignments, moveJobs, moveTasks } from '../status.ts'
import type { Tx } from '../tx.ts'

export type FailTaskParameters = { taskId: string; reason: string }

/** Fails a task with its reason: its open work is cancelled and a locked escrow is queued for a refund. */
export async function failTask(tx: Tx, { taskId, reason }: FailTaskParameters): Promise<void> {
  const [task] = await moveTasks(tx, { ids: [taskId], to: 'failed', failureReason: reason })
  await moveAssignments(tx, { taskIds: [taskId], from: ['leased'], to: 'cancelled' })
  await moveJobs(tx, { taskIds: [taskId], from: ['open', 'waiting'], to: 'cancelled' })
  if (task?.escrow_state === 'locked') await enqueue(tx, 'refund', `refund:${taskId}`, { task_id: taskId, chain_task_id: task.chain_task_id })
  tx.publish(`task:${taskId}`, { type: 'TASK_PROGRESS', taskId, status: 'failed', jobsDone: 0, jobsTotal: 0, message: reason })
}
