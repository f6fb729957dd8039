import { failTask } from '../tasks/fail.ts'
import { moveAssignments } from '../status.ts'
import type { Tx } from '../tx.ts'
import { penalizeLeases } from './penalize.ts'
import { lockJobsOfLeases, returnToPool } from './release.ts'

/** Leases one pass expires at most, so a backlog is worked off in bounded transactions. */
const EXPIRE_AT_ONCE = 1000

/**
 * Expires lapsed leases; their jobs go back to the pool and each is slashed by the stake it put at risk.
 * Rows another server is expiring are skipped.
 */
export async function expireLeases(tx: Tx): Promise<number> {
  // Jobs first, then their leases: the order a decision locks them in (release.ts's lockJobsOfLeases).
  const due = await tx.query<{ id: string }>(`SELECT id FROM assignments WHERE status = 'leased' AND lease_expires_at < $1 LIMIT ${EXPIRE_AT_ONCE}`, [tx.now])
  await lockJobsOfLeases(tx, due.map((r) => r.id))
  const lapsed = await tx.query<{ id: string }>(
    `SELECT id FROM assignments WHERE id = ANY($2::uuid[]) AND status = 'leased' AND lease_expires_at < $1 FOR UPDATE SKIP LOCKED`,
    [tx.now, due.map((r) => r.id)],
  )
  const expired = await moveAssignments(tx, { ids: lapsed.map((r) => r.id), from: ['leased'], to: 'expired' })
  await returnToPool(tx, expired.map((r) => r.job_id))
  await penalizeLeases(tx, { assignmentIds: expired.map((r) => r.id), reason: 'TaskTimeout' })
  return expired.length
}

/**
 * Compute tasks whose deadline passed before every job reached quorum (a few at a time). Human work ends
 * its own way: reviews and votes outlive the lifetime (see operations/manual and polls).
 */
export async function lateComputeTasks(tx: Tx): Promise<string[]> {
  const late = await tx.query<{ id: string }>(
    `SELECT id FROM tasks WHERE status IN ('pending', 'in_progress') AND escrow_state = 'locked' AND deadline < $1 AND kind NOT IN ('manual', 'poll') LIMIT 100`,
    [tx.now],
  )
  return late.map((t) => t.id)
}

/** Fails a compute task whose deadline passed before every job reached quorum, unless it ended meanwhile. */
export async function failLateTask(tx: Tx, { taskId }: { taskId: string }): Promise<void> {
  const [open] = await tx.query(`SELECT id FROM tasks WHERE id = $1 AND status IN ('pending', 'in_progress') FOR UPDATE`, [taskId])
  if (open) await failTask(tx, { taskId, reason: 'deadline passed before every job reached quorum' })
}
