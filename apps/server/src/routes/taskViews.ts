import { formatTokens, humanKinds } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { freeSlots } from '../repositories/jobs.ts'
import { type SettlementBatch, settlementBatch, taskById } from '../repositories/tasks.ts'
import type { Eligibility } from '../services/eligibility.ts'
import { onlineStakes, waitingFor } from '../services/presence.ts'

const epoch = (d: Date | string | null) => (d ? Math.floor(new Date(d).getTime() / 1000) : null)

/** A task row as the API shows it (seed 001's shape plus what a poster needs). */
export function taskView(t: any, batch?: SettlementBatch) {
  const result = t.result
    ? {
        result_hash: t.result.result_hash ?? null,
        worker_address: t.result.worker_address ?? null,
        completed_at: epoch(t.completed_at),
        ...(t.result.output_blob ? { output_url: `/blobs/${t.result.output_blob}` } : {}),
      }
    : null
  return {
    task_id: t.id,
    challenge_type: t.kind,
    status: t.status,
    reward: formatTokens(BigInt(t.reward)),
    poster: t.poster,
    payload: publicPayload(t.kind, t.payload),
    deadline: epoch(t.deadline)!,
    created_at: epoch(t.created_at)!,
    replication: { min_quorum: t.min_quorum, target_results: t.target_results, max_error_results: t.max_error_results, max_total_results: t.max_total_results },
    progress: { jobs_total: t.jobs_total, jobs_done: t.jobs_done, fraction: t.jobs_total ? t.jobs_done / t.jobs_total : 0 },
    escrow: {
      chain_task_id: t.chain_task_id,
      state: t.escrow_state,
      tx_hash: t.escrow_tx ?? null,
      locked: formatTokens(t.escrow_state === 'locked' ? BigInt(t.reward) - BigInt(t.escrow_paid ?? 0) : 0n),
      paid: formatTokens(BigInt(t.escrow_paid ?? 0)),
    },
    settlement: batch && batch.jobs_root ? { batch_id: batch.batch_id, tx_hash: batch.tx_hash, jobs_root: batch.jobs_root } : null,
    failure_reason: t.failure_reason ?? null,
    result: t.status === 'completed' || t.status === 'verifying' ? result : null,
  }
}

/**
 * A task by id; with `gate`, undefined too when the viewer may not see it (qualifications, random polls).
 * `now` is the market's clock, which its offer window was set by.
 */
export async function loadTask(db: Queryable, id: string, gate?: { viewer: string | undefined; eligibility: Eligibility }, now = new Date()) {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return undefined
  const task = await taskById(db, id)
  if (!task) return undefined
  if (gate && !(await gate.eligibility.maySee(db, task, gate.viewer))) return undefined
  const batch = task.settlement_batch ? await settlementBatch(db, task.settlement_batch) : undefined
  const view = taskView(task, batch)
  if (!humanKinds.includes(task.kind)) {
    const waiting = ['pending', 'in_progress'].includes(task.status) ? waitingFor(task, await onlineStakes(db, task.kind), now) : null
    return { ...view, waiting }
  }
  if (task.kind !== 'manual') return view
  return { ...view, slots: { total: task.jobs_total, free: await freeSlots(db, id) } }
}

/** A poll's check questions are shown without their answers. */
function publicPayload(kind: string, payload: any) {
  if (kind !== 'poll' || !payload.gold) return payload
  return { ...payload, gold: payload.gold.map(({ question, options }: { question: string; options: string[] }) => ({ question, options })) }
}
