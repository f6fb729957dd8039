import { computeKinds, coversLease, formatTokens, leaseReward } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { touchNode } from '../repositories/nodes.ts'

export { ONLINE_SECONDS, onlineNodes, onlineStakes } from '../repositories/nodes.ts'

/** A node's last_seen is written at most this often per server: claims are the hot path. */
const TOUCH_EVERY_MS = 5_000

/**
 * Marks nodes seen: every heartbeat and claim poll counts (at most one write every few seconds per node,
 * so a busy claim loop costs no extra write per request).
 */
export function createPresence({ db, now = () => Date.now() }: { db: Queryable; now?: () => number }) {
  const touched = new Map<string, number>()

  /** Marks `address` seen now, with its stake when known (a no-op when it was marked in the last few seconds). */
  async function touch(address: string, stake?: bigint) {
    const last = touched.get(address) ?? 0
    if (now() - last < TOUCH_EVERY_MS) return
    touched.set(address, now())
    if (touched.size > 100_000) touched.clear()
    await touchNode(db, address, stake)
  }

  return { touch }
}

export type WaitingTask = {
  kind: string
  status: string
  escrow_state: string
  min_quorum: number
  reward: string
  jobs_total: number
  offered_to: string[] | null
  offer_until: Date | null
}

/**
 * Why a compute task is not moving, in words a poster acts on, or null when it is not waiting: its escrow
 * is not locked yet, fewer distinct workers that run its kind are online than a job's quorum needs, too few
 * of them stake enough to take one of its leases (a lease puts at least its reward at risk), or its jobs
 * are still offered to its best-ranked nodes only. `stakes` are the online nodes' (null: not known yet).
 * @example waitingFor({ kind: 'rendering', min_quorum: 2, ... }, [100n * TOKEN], now) // { reason: 'needs 2 distinct workers running rendering jobs; 1 online (…)', ... }
 */
export function waitingFor(task: WaitingTask, stakes: readonly (bigint | null)[], now: Date) {
  const online = stakes.length
  const view = (reason: string) => ({ reason, workers_needed: task.min_quorum, workers_online: online })
  if (!['pending', 'in_progress'].includes(task.status)) return null
  if (task.escrow_state === 'awaiting') return view('waiting for the reward to be locked in escrow on chain')
  const needed = `${task.min_quorum} distinct worker${task.min_quorum > 1 ? 's' : ''}`
  if (online < task.min_quorum) {
    // Only the stock compute kinds have an executor in `taskmarket worker`; for the others it is no help to name it.
    const start = (computeKinds as readonly string[]).includes(task.kind) ? 'start one with: taskmarket worker' : `taskmarket worker does not run ${task.kind} jobs yet`
    return view(`needs ${needed} running ${task.kind} jobs; ${online} online (${start})`)
  }
  const reward = leaseReward(BigInt(task.reward), task.jobs_total, task.min_quorum)
  const covering = stakes.filter((s) => s === null || coversLease(s, [], { reward })).length
  if (covering < task.min_quorum) {
    return view(`needs ${needed} staking enough for a lease paying ${formatTokens(reward)} tokens (a lease puts at least its pay at risk); ${covering} of the ${online} online do`)
  }
  if (task.status === 'pending' && task.offer_until && task.offer_until > now && task.offered_to?.length) {
    return view(`offered first to its ${task.offered_to.length} best-ranked online node${task.offered_to.length > 1 ? 's' : ''} (price, reputation, uptime, verified power) until ${task.offer_until.toISOString()}, then to every node`)
  }
  return null
}

export type Presence = ReturnType<typeof createPresence>
