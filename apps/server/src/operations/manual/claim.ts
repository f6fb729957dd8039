import { randomUUID } from 'node:crypto'
import { invalid, manualTerms } from '@taskmarket/core'
import type { Address } from 'viem'
import type { Eligibility } from '../../services/eligibility.ts'
import { conflict, lockTask, takeSlot, takesWork } from '../payouts.ts'
import { moveTasks } from '../status.ts'
import type { Tx } from '../tx.ts'
import { publishAssignment, viewStatus } from './assignments.ts'

export type ClaimSlotParameters = { worker: Address; taskId: string; eligibility: Eligibility }

/** Gives `worker` a free slot of a manual task for the time its terms allow; returns the assignment id. */
export async function claimSlot(tx: Tx, { worker, taskId, eligibility }: ClaimSlotParameters): Promise<string> {
  const task = await lockTask(tx, taskId)
  if (task.kind !== 'manual') throw invalid('id', task.kind === 'poll' ? 'polls take votes (POST /tasks/{id}/vote), not claims' : 'compute jobs are leased by worker nodes, not claimed')
  if (task.escrow_state !== 'locked') throw conflict('id', task.escrow_state === 'awaiting' ? 'the reward is not locked in escrow yet; try again in a few seconds' : `the task is ${task.status}`)
  if (!takesWork(task, tx.now)) throw conflict('id', `the task is closed (${task.status})`)
  await eligibility.assertMayTake(tx, task, worker)
  const [mine] = await tx.query(`SELECT status FROM assignments WHERE task_id = $1 AND worker = $2 AND status NOT IN ('expired', 'released', 'cancelled')`, [task.id, worker])
  if (mine) throw conflict('id', `you already took this task (your assignment is ${viewStatus(mine.status)})`)
  const slot = await takeSlot(tx, task.id)
  if (!slot) throw conflict('id', `the task is full: all ${task.jobs_total} assignments are taken`)
  const assignmentId = randomUUID()
  const { assignmentSeconds } = manualTerms(task.payload)
  await tx.query(`INSERT INTO assignments (id, job_id, task_id, worker, status, lease_expires_at, answer) VALUES ($1, $2, $3, $4, 'leased', $5, '{}')`, [
    assignmentId, slot, task.id, worker, new Date(tx.now.getTime() + assignmentSeconds * 1000),
  ])
  await moveTasks(tx, { ids: [task.id], to: 'in_progress', onlyFrom: ['pending'] })
  publishAssignment(tx, task.id, assignmentId, 'claimed')
  return assignmentId
}
