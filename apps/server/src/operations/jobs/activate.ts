import { type ChallengeType, humanKinds } from '@taskmarket/core'
import { moveJobs } from '../status.ts'
import type { Tx } from '../tx.ts'

export type OpenJobsParameters = { taskId: string }

/**
 * Offers a task's jobs to workers once its escrow is locked on chain: each wants its task's target results,
 * or one person for a human task's slot, whatever its replication columns say.
 */
export async function openJobs(tx: Tx, { taskId }: OpenJobsParameters): Promise<number> {
  const [task] = await tx.query<{ kind: string; target_results: number }>('SELECT kind, target_results FROM tasks WHERE id = $1', [taskId])
  if (!task) return 0
  const opened = await moveJobs(tx, { taskIds: [taskId], from: ['waiting'], to: 'open', set: { wanted: humanKinds.includes(task.kind as ChallengeType) ? 1 : task.target_results } })
  return opened.length
}
