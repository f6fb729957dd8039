import { computeKinds } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { touchNode } from '../repositories/nodes.ts'

export { ONLINE_SECONDS, onlineNodes } from '../repositories/nodes.ts'

/** A node's last_seen is written at most this often per server: claims are the hot path. */
const TOUCH_EVERY_MS = 5_000

/**
 * Marks nodes seen: every heartbeat and claim poll counts (at most one write every few seconds per node,
 * so a busy claim loop costs no extra write per request).
 */
export function createPresence({ db, now = () => Date.now() }: { db: Queryable; now?: () => number }) {
  const touched = new Map<string, number>()

  /** Marks `address` seen now (a no-op when it was marked in the last few seconds). */
  async function touch(address: string) {
    const last = touched.get(address) ?? 0
    if (now() - last < TOUCH_EVERY_MS) return
    touched.set(address, now())
    if (touched.size > 100_000) touched.clear()
    await touchNode(db, address)
  }

  return { touch }
}

/**
 * Why a compute task is not moving, in words a poster acts on, or null when it is not waiting: its escrow
 * is not locked yet, or fewer distinct workers that run its kind are online than a job's quorum needs.
 * @example waitingFor({ kind: 'rendering', min_quorum: 2, ... }, 1) // { reason: 'needs 2 distinct workers; 1 online', ... }
 */
export function waitingFor(task: { kind: string; status: string; escrow_state: string; min_quorum: number }, online: number) {
  if (!['pending', 'in_progress'].includes(task.status)) return null
  if (task.escrow_state === 'awaiting') return { reason: 'waiting for the reward to be locked in escrow on chain', workers_needed: task.min_quorum, workers_online: online }
  if (online >= task.min_quorum) return null
  const needed = `${task.min_quorum} distinct worker${task.min_quorum > 1 ? 's' : ''}`
  // Only the stock compute kinds have an executor in `taskmarket worker`; for the others it is no help to name it.
  const start = (computeKinds as readonly string[]).includes(task.kind) ? 'start one with: taskmarket worker' : `taskmarket worker does not run ${task.kind} jobs yet`
  return { reason: `needs ${needed} running ${task.kind} jobs; ${online} online (${start})`, workers_needed: task.min_quorum, workers_online: online }
}

export type Presence = ReturnType<typeof createPresence>
