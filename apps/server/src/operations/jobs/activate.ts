import { ADAPTIVE_REPLICATION, type AdaptiveParams, anchoredRuns, type Bid, type ChallengeType, type NodeRequirements, expectedResults, humanKinds, matchBids, replicationFor, reputationBps, requirementsOf } from '@taskmarket/core'
import { onlineOffers, reputationCounters, verifiedPowers } from '../../repositories/nodes.ts'
import { runsOn } from '../../repositories/runs.ts'
import { moveJobs } from '../status.ts'
import type { Tx } from '../tx.ts'

/** Online nodes a task's ranking reads at most (cheapest first). */
const MAX_RANKED = 200

export type OpenJobsParameters = {
  taskId: string
  /** How long the best-ranked online nodes have a compute task's jobs to themselves; 0 offers them to all at once. */
  offerWindowSeconds?: number
  adaptive?: AdaptiveParams
}

type OpenedTask = { kind: string; target_results: number; min_quorum: number; min_trust_level: number; jobs_total: number; lease_cap: number; requirements: NodeRequirements | null }

/**
 * Offers a task's jobs to workers once its escrow is locked on chain: each wants its task's target results,
 * or one person for a human task's slot, whatever its replication columns say. A compute task's jobs go
 * first to the online nodes its requirements admit, in seed 003's rank order: the best of them, as many as
 * take every job at once, have it for `offerWindowSeconds`, then every node may claim.
 */
export async function openJobs(tx: Tx, { taskId, offerWindowSeconds = 0, adaptive = ADAPTIVE_REPLICATION }: OpenJobsParameters): Promise<number> {
  const [task] = await tx.query<OpenedTask>('SELECT kind, target_results, min_quorum, min_trust_level, jobs_total, lease_cap, requirements FROM tasks WHERE id = $1', [taskId])
  if (!task) return 0
  const human = humanKinds.includes(task.kind as ChallengeType)
  const opened = await moveJobs(tx, { taskIds: [taskId], from: ['waiting'], to: 'open', set: { wanted: human ? 1 : task.target_results } })
  if (!human && offerWindowSeconds > 0 && opened.length > 0) {
    const first = (await rankedNodes(tx, task, adaptive)).slice(0, task.target_results * Math.ceil(task.jobs_total / task.lease_cap))
    if (first.length > 0) {
      await tx.query('UPDATE tasks SET offered_to = $2, offer_until = $3 WHERE id = $1', [taskId, first, new Date(tx.now.getTime() + offerWindowSeconds * 1000)])
    }
  }
  return opened.length
}

/**
 * The online nodes that run a task's kind and meet its requirements, best first, by matching.ts's score from
 * this market's records: their offers and uptime, reputation from their job records, the verified power the
 * registry logged, and the results a job takes with them (adaptive replication). Trust levels are the
 * claim's to check (they live on chain), and latency is not measured: every node counts as equally near.
 */
async function rankedNodes(tx: Tx, task: OpenedTask, adaptive: AdaptiveParams): Promise<string[]> {
  const offers = await onlineOffers(tx, task.kind, MAX_RANKED)
  if (offers.length === 0) return []
  const nodes = offers.map((o) => o.address)
  const counters = await reputationCounters(tx, nodes)
  const power = await verifiedPowers(tx, nodes)
  const replication = replicationFor(true, task)
  const runs = anchoredRuns(await runsOn(tx, task.kind, nodes), replication, adaptive)
  const bids = offers.map((o): Bid => ({
    node: o.address, resourceType: o.resource_type, region: o.region, pricePerUnit: BigInt(o.price_per_unit), verifiedPower: power.get(o.address) ?? 0n,
    trustLevel: task.min_trust_level, reputationBps: reputationBps(counters.get(o.address)!), latencyMs: 0, uptimeBps: o.uptime_bps,
    expectedResults: expectedResults(runs.get(o.address)!, replication, adaptive),
  }))
  return matchBids(requirementsOf(task.requirements, task.min_trust_level), bids).ranked.map((r) => r.bid.node)
}
