import { humanKinds } from '@taskmarket/core'
import type { Address } from 'viem'
import type { Tx } from '../tx.ts'

export type RenewLeasesParameters = { worker: Address; items: { assignment_id: string; progress?: number }[]; leaseSeconds: number }

/** Renews `worker`'s leases and records progress; answers which of the given leases are no longer held. */
export async function renewLeases(tx: Tx, { worker, items, leaseSeconds }: RenewLeasesParameters) {
  const ids = items.map((i) => i.assignment_id)
  // progress is a real (float4) column: a value it cannot hold (1e-50 underflows) becomes the nearest one it can.
  const progress = items.map((i) => Math.fround(Math.max(0, Math.min(1, i.progress ?? 0))))
  // Compute leases only: a person's claim of human work lasts the time its task's terms allow, not a lease.
  const renewed = await tx.query<{ id: string }>(
    `UPDATE assignments a SET lease_expires_at = $3, progress = x.progress
     FROM unnest($2::uuid[], $4::real[]) AS x(id, progress), tasks t
     WHERE a.id = x.id AND a.worker = $1 AND a.status = 'leased' AND t.id = a.task_id AND t.kind <> ALL($5::text[])
     RETURNING a.id`,
    [worker, ids, new Date(tx.now.getTime() + leaseSeconds * 1000), progress, humanKinds],
  )
  const held = new Set(renewed.map((r) => r.id))
  return { renewed: [...held], lost: ids.filter((id) => !held.has(id)), lease_seconds: leaseSeconds }
}

/**
 * Gives every held lease a full lease period from now, at a server's start: while no server answered, no
 * node could heartbeat, and a lease that lapsed then is the market's fault, not the node's (it would be
 * slashed). A node that is gone still loses its lease one period later. Returns how many were extended.
 */
export async function graceLeasesOnStart(tx: Tx, { leaseSeconds }: { leaseSeconds: number }): Promise<number> {
  const until = new Date(tx.now.getTime() + leaseSeconds * 1000)
  const extended = await tx.query(`UPDATE assignments SET lease_expires_at = $1 WHERE status = 'leased' AND lease_expires_at < $1 RETURNING id`, [until])
  return extended.length
}
