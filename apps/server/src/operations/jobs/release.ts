import type { Queryable } from '@taskmarket/db'
import type { Address } from 'viem'
import { moveAssignments } from '../status.ts'
import type { Tx } from '../tx.ts'

export type ReleaseLeasesParameters = { worker: Address; assignmentIds: string[] }

/** Gives leases back before they expire (a worker stopping), so their jobs are reissued at once. */
export async function releaseLeases(tx: Tx, { worker, assignmentIds }: ReleaseLeasesParameters): Promise<number> {
  const released = await moveAssignments(tx, { ids: assignmentIds, worker, from: ['leased'], to: 'released' })
  await returnToPool(tx, released.map((r) => r.job_id))
  return released.length
}

/** Lets the jobs of leases that ended unfinished be issued again, once per ended lease. */
export async function returnToPool(tx: Queryable, jobIds: string[]) {
  if (jobIds.length === 0) return
  await tx.query(
    `UPDATE jobs SET issued = jobs.issued - x.n, updated_at = now()
     FROM (SELECT job_id, count(*)::int AS n FROM unnest($1::uuid[]) AS job_id GROUP BY job_id) x
     WHERE jobs.id = x.job_id`,
    [jobIds],
  )
}
