import type { Queryable } from '@taskmarket/db'
import type { Address } from 'viem'
import { moveAssignments } from '../status.ts'
import type { Tx } from '../tx.ts'

export type ReleaseLeasesParameters = { worker: Address; assignmentIds: string[] }

/** Gives leases back before they expire (a worker stopping), so their jobs are reissued at once. */
export async function releaseLeases(tx: Tx, { worker, assignmentIds }: ReleaseLeasesParameters): Promise<number> {
  await lockJobsOfLeases(tx, assignmentIds, worker)
  const released = await moveAssignments(tx, { ids: assignmentIds, worker, from: ['leased'], to: 'released' })
  await returnToPool(tx, released.map((r) => r.job_id))
  return released.length
}

/**
 * Locks the jobs of `assignmentIds` in id order before their leases change: the order a result's decision
 * takes them (submit.ts locks its jobs, then cancels their leases), so a release or an expiry and a decision
 * never wait on each other in a circle.
 */
export async function lockJobsOfLeases(tx: Queryable, assignmentIds: string[], worker?: string) {
  if (assignmentIds.length === 0) return
  await tx.query(
    `SELECT id FROM jobs WHERE id IN (SELECT job_id FROM assignments WHERE id = ANY($1::uuid[]) AND status = 'leased' AND ($2::text IS NULL OR worker = $2))
     ORDER BY id FOR UPDATE`,
    [assignmentIds, worker ?? null],
  )
}

/**
 * Lets the jobs of leases that ended unfinished be issued again, once per ended lease. A job that was going to
 * one proven node alone (or to it and a check) goes back replicated to its task's target: whoever takes it next
 * has not earned being trusted alone (core's suspicionQuorum: a missing result takes the replicated quorum).
 */
export async function returnToPool(tx: Queryable, jobIds: string[]) {
  if (jobIds.length === 0) return
  await tx.query(
    `UPDATE jobs SET issued = jobs.issued - x.n, updated_at = now(),
       plan = CASE WHEN jobs.plan IN ('unreplicated', 'checked') THEN 'replicated' ELSE jobs.plan END,
       wanted = CASE WHEN jobs.plan IN ('unreplicated', 'checked') THEN greatest(jobs.wanted, t.target_results) ELSE jobs.wanted END
     FROM (SELECT job_id, count(*)::int AS n FROM unnest($1::uuid[]) AS job_id GROUP BY job_id) x, tasks t
     WHERE jobs.id = x.job_id AND t.id = jobs.task_id`,
    [jobIds],
  )
}
