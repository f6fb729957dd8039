import type { Address } from 'viem'
import { returnToPool } from '../jobs/release.ts'
import { moveAssignments } from '../status.ts'
import type { Tx } from '../tx.ts'
import { loadOwn, publishAssignment } from './assignments.ts'

export type ReleaseSlotParameters = { worker: Address; assignmentId: string }

/** Gives a claimed slot back before it expires. */
export async function releaseSlot(tx: Tx, { worker, assignmentId }: ReleaseSlotParameters): Promise<void> {
  const a = await loadOwn(tx, worker, assignmentId, { lock: true })
  await moveAssignments(tx, { ids: [a.id], from: ['leased'], to: 'released' })
  await returnToPool(tx, [a.job_id])
  publishAssignment(tx, a.task_id, assignmentId, 'released')
}
