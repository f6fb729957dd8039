import { type ManualPayload, type SubmitWorkBody, checkProofs, manualTerms } from '@taskmarket/core'
import type { Address } from 'viem'
import { answerDigest } from '../payouts.ts'
import { moveAssignments } from '../status.ts'
import type { Tx } from '../tx.ts'
import { loadOwn, publishAssignment } from './assignments.ts'

export type SubmitWorkParameters = { worker: Address; assignmentId: string; body: SubmitWorkBody }

/** Submits the work with every proof the task asks for; the poster reviews it next, or the sweep approves it when due. */
export async function submitWork(tx: Tx, { worker, assignmentId, body }: SubmitWorkParameters): Promise<void> {
  const a = await loadOwn(tx, worker, assignmentId, { lock: true })
  const [task] = await tx.query<{ payload: ManualPayload }>('SELECT payload FROM tasks WHERE id = $1', [a.task_id])
  const payload = task!.payload
  const answer = { ...a.answer, ...checkProofs(payload, a.answer ?? {}, body) }
  await moveAssignments(tx, { ids: [assignmentId], from: ['leased'], to: 'submitted' })
  await tx.query(`UPDATE assignments SET answer = $2, digest = $3, submitted_at = $4, review_due_at = $5, progress = 1 WHERE id = $1`, [
    assignmentId, JSON.stringify(answer), answerDigest(answer), tx.now, new Date(tx.now.getTime() + manualTerms(payload).autoApproveSeconds * 1000),
  ])
  publishAssignment(tx, a.task_id, assignmentId, 'submitted')
}
