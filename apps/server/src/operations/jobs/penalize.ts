import { reputationBps } from '@taskmarket/core'
import type { Address, Hex } from 'viem'
import { type SettleSlash, enqueue } from '../../outbox/items.ts'
import { reputationCounters } from '../../repositories/nodes.ts'
import { reviewFailures } from '../../repositories/reviews.ts'
import { adaptRuns } from '../../repositories/runs.ts'
import type { Tx } from '../tx.ts'

export type PenalizeLeasesParameters = {
  /** Leases that failed: timed out (expired) or outvoted (invalid), already in that status. */
  assignmentIds: string[]
  reason: SettleSlash['reason']
}

/**
 * Slashes each failed lease by the stake it put at risk when it was leased (seed 003's "task timeout: −5%
 * stake", an outvoted result alike; see core's admitLeases), and stores the node's reputation after it: one
 * settle item each, sent with the next settle batch whether or not the task ever settles. The slash is kept
 * with its lease in node_slashes. Leases taken with no stake at risk (no chain attached) are not slashed.
 * Either way the node's run on the task's kind starts again (adaptive replication), and a node whose results
 * now fail too often is put under review (seed 003's repeated failures).
 */
export async function penalizeLeases(tx: Tx, { assignmentIds, reason }: PenalizeLeasesParameters): Promise<number> {
  if (assignmentIds.length === 0) return 0
  const ended = await tx.query<{ worker: string; kind: string }>('SELECT a.worker, t.kind FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.id = ANY($1::uuid[])', [assignmentIds])
  await adaptRuns(tx, ended.map((e) => ({ ...e, outcome: reason === 'TaskTimeout' ? 'timeout' : 'invalid', replicated: true })))
  await reviewFailures(tx, [...new Set(ended.map((e) => e.worker))].sort(), tx.now)
  const failed = await tx.query<{ id: string; worker: Address; task_id: string; job_id: string; chain_task_id: Hex; stake_at_risk: string }>(
    `SELECT a.id, a.worker, a.task_id, a.job_id, t.chain_task_id, a.stake_at_risk::text AS stake_at_risk FROM assignments a JOIN tasks t ON t.id = a.task_id
     WHERE a.id = ANY($1::uuid[]) AND a.stake_at_risk > 0`,
    [assignmentIds],
  )
  if (failed.length === 0) return 0
  const counters = await reputationCounters(tx, [...new Set(failed.map((f) => f.worker))])
  for (const f of failed) {
    const bps = reputationBps(counters.get(f.worker)!)
    await tx.query(
      `INSERT INTO node_slashes (assignment_id, worker, task_id, job_id, reason, amount, reputation_bps) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [f.id, f.worker, f.task_id, f.job_id, reason, f.stake_at_risk, bps],
    )
    await enqueue(tx, 'settle', `slash:${f.id}`, {
      task_id: f.task_id, chain_task_id: f.chain_task_id, amount: '0', close: false, workers: [], records: [],
      slashes: [{ address: f.worker, amount: f.stake_at_risk, reason, assignment_id: f.id }],
      reputations: [{ address: f.worker, bps }],
    })
  }
  return failed.length
}
