import { randomUUID } from 'node:crypto'
import { ADAPTIVE_REPLICATION, type AdaptiveParams, type Lease, NEW_ADAPTIVE_STATE, TaskMarketError, admitLeases, leaseReward, newcomerPlaces, planJob, replicationFor } from '@taskmarket/core'
import type { Address, Hex } from 'viem'
import { moveTasks } from '../status.ts'
import { DEFAULT_NODE_OFFER, ONLINE_SECONDS, UPTIME_BPS_SQL, heldLeases } from '../../repositories/nodes.ts'
import { openReview } from '../../repositories/reviews.ts'
import { runsOf } from '../../repositories/runs.ts'
import type { Tx } from '../tx.ts'

export type ClaimJobsParameters = {
  worker: Address
  kinds: string[]
  max: number
  /** The node's on-chain trust level: tasks asking for more are not offered. */
  trustLevel?: number
  leaseSeconds: number
  /** Leases one node may hold at once. */
  maxLeasesPerNode: number
  /**
   * The node's on-chain stake (base units): each lease puts part of it at risk (core's `admitLeases`), and a
   * node is offered no more work than its free stake covers. Undefined only where no chain is attached.
   */
  stake?: bigint
  /** The node's verified power on chain (PoW solve times): tasks asking for more are not offered. */
  verifiedPower?: bigint
  /** Adaptive replication's parameters (core's ADAPTIVE_REPLICATION by default). */
  adaptive?: AdaptiveParams
  /** Uniform in [0, 1): draws whether a proven node's job goes unreplicated, and whether it is checked. */
  random?: () => number
}

/**
 * Hands up to `max` jobs of the given kinds to `worker`, never two replicas of one job to one worker, never
 * more of one task than its lease cap, never more than the node's free stake covers. Rows are taken with
 * `FOR UPDATE SKIP LOCKED`, so several servers can share one PostgreSQL.
 *
 * A job's first lease plans it (adaptive replication, core's planJob): a node proven on the kind may get it
 * alone, and then maybe with a check replica issued once its result is in, which only another proven node
 * may take. A node cannot tell these apart: a checked job looks unreplicated until it is decided. A
 * replicated job takes no more unproven nodes than core's newcomerPlaces allow, so the rest are proven.
 */
export async function claimJobs(tx: Tx, { worker, kinds, max, trustLevel = 0, leaseSeconds, maxLeasesPerNode, stake, verifiedPower = 0n, adaptive = ADAPTIVE_REPLICATION, random = Math.random }: ClaimJobsParameters): Promise<Lease[]> {
  const review = await openReview(tx, worker)
  if (review) {
    throw new TaskMarketError('FORBIDDEN', `review: ${review.failures} of your last ${review.results} results failed (outvoted or lapsed), more than 20%; you take no work until the operator clears the review`, {
      field: 'review',
      details: { reason: 'under review for repeated failures', ...review },
    })
  }
  const { leases: held, at_risk } = await heldLeases(tx, worker)
  if (held >= maxLeasesPerNode) {
    throw new TaskMarketError('RATE_LIMITED', `max: you hold ${held} leases, the most one node may hold; submit or release some first`, { field: 'max', details: { reason: `at most ${maxLeasesPerNode} leases per node` } })
  }
  // What the node offers (a node that never registered here offers the defaults: a CPU anywhere, free, never seen).
  const offer = (await tx.query<{ resource_type: string; region: string; price_per_unit: string; uptime_bps: number }>(
    `SELECT resource_type, region, price_per_unit::text AS price_per_unit, ${UPTIME_BPS_SQL} AS uptime_bps FROM nodes WHERE address = $1`,
    [worker],
  ))[0] ?? { resource_type: DEFAULT_NODE_OFFER.resourceType, region: DEFAULT_NODE_OFFER.region, price_per_unit: DEFAULT_NODE_OFFER.pricePerUnit.toString(), uptime_bps: 0 }
  const candidates = await tx.query<{ id: string; task_id: string; reward: string; jobs_total: number; min_quorum: number; plan: string | null } & Quorum>(
    // A task's lease_cap bounds what this node holds of it: tasks it is full on are skipped, and one
    // claim takes no more of a task than the room left.
    `WITH held AS (
       SELECT task_id, count(*)::int AS n FROM assignments WHERE worker = $1 AND status = 'leased' GROUP BY task_id),
     candidates AS (
       SELECT j.id, j.task_id, j.seq, t.lease_cap - coalesce(h.n, 0) AS room
       FROM jobs j JOIN tasks t ON t.id = j.task_id LEFT JOIN held h ON h.task_id = t.id
       WHERE j.status = 'open' AND j.issued < j.wanted AND t.kind = ANY($2::text[])
         AND t.deadline > $5 AND t.min_trust_level <= $4 AND t.status IN ('pending', 'in_progress')
         AND coalesce(h.n, 0) < t.lease_cap
         AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.job_id = j.id AND a.worker = $1 AND a.status NOT IN ('expired', 'released', 'cancelled'))
         AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.poster = t.poster AND b.worker = $1)
         -- The task's requirements, as core's ineligibility states them (claim.test.ts holds the two together).
         AND (t.req_resource_type IS NULL OR t.req_resource_type = $6) AND (t.req_regions IS NULL OR $7 = ANY(t.req_regions))
         AND (t.req_max_price IS NULL OR t.req_max_price >= $8::numeric) AND (t.req_min_uptime_bps IS NULL OR t.req_min_uptime_bps <= $9)
         AND (t.req_min_verified_power IS NULL OR t.req_min_verified_power <= $11::numeric)
         -- Work offered in rank order: while a task's offer window lasts, only the nodes ranked first take it.
         AND (t.offer_until IS NULL OR t.offer_until <= $5 OR $1 = ANY(t.offered_to))
         -- A job holds at most max_unproven replicas of nodes not proven on its kind (core's newcomerPlaces and
         -- isProven: a run of $10): a checked job's check and the replicas after it go only to proven nodes, and
         -- new identities never hold the quorum of a replicated job.
         AND (j.max_unproven IS NULL
              OR coalesce((SELECT r.consecutive_valid FROM node_runs r WHERE r.worker = $1 AND r.kind = t.kind), 0) >= $10
              OR (SELECT count(*) FROM assignments a LEFT JOIN node_runs r ON r.worker = a.worker AND r.kind = t.kind
                  WHERE a.job_id = j.id AND a.status NOT IN ('expired', 'released', 'cancelled') AND coalesce(r.consecutive_valid, 0) < $10) < j.max_unproven)
       ORDER BY j.seq
       -- Lock no more rows than this node may take of one task: the rows of a task it cannot take must
       -- stay free for the other nodes claiming at the same moment.
       LIMIT least($3, (SELECT greatest(0, max(t2.lease_cap - coalesce(h2.n, 0))) FROM tasks t2 LEFT JOIN held h2 ON h2.task_id = t2.id
                        WHERE t2.kind = ANY($2::text[]) AND t2.status IN ('pending', 'in_progress')))
       FOR UPDATE OF j SKIP LOCKED)
     SELECT c.id, c.task_id, t.reward::text AS reward, t.jobs_total, t.min_quorum, t.target_results, t.max_error_results, t.max_total_results, j.plan
     FROM (SELECT id, task_id, seq, room, row_number() OVER (PARTITION BY task_id ORDER BY seq) AS n FROM candidates) c
       JOIN tasks t ON t.id = c.task_id JOIN jobs j ON j.id = c.id
     WHERE c.n <= c.room ORDER BY c.seq`,
    [worker, kinds, Math.min(max, maxLeasesPerNode - held), trustLevel, tx.now, offer.resource_type, offer.region, offer.price_per_unit, offer.uptime_bps, adaptive.minRun, verifiedPower.toString()],
  )
  const risks = stake === undefined ? candidates.map(() => null) : admitLeases(stake, BigInt(at_risk), candidates.map((c) => leaseReward(BigInt(c.reward), c.jobs_total, c.min_quorum)))
  const admitted = candidates.flatMap((c, i) => (risks[i] === undefined ? [] : [{ ...c, stake_at_risk: risks[i] }]))
  const updated = await tx.query<{ id: string; task_id: string; kind: string; payload: unknown; chain_job_id: Hex; chain_task_id: Hex }>(
    `UPDATE jobs SET issued = jobs.issued + 1, updated_at = now() FROM tasks t
     WHERE jobs.id = ANY($1::uuid[]) AND t.id = jobs.task_id
     RETURNING jobs.id, jobs.task_id, t.kind, jobs.payload, jobs.chain_job_id, t.chain_task_id`,
    [admitted.map((a) => a.id)],
  )
  // Leases in the order the jobs were offered (RETURNING keeps none).
  const byId = new Map(updated.map((u) => [u.id, u]))
  const picked = admitted.map((a) => byId.get(a.id)!)
  if (picked.length === 0 && held === 0 && candidates.length > 0) {
    throw new TaskMarketError('FORBIDDEN', `stake: your free stake does not cover a lease of the work open to you (a failed lease costs 5% of the stake, at least its reward); stake more in the NodeRegistry`, {
      field: 'stake',
      details: { reason: 'stake too small for the open work', stake: String(stake), at_risk: at_risk },
    })
  }
  if (picked.length === 0) return []
  await planJobs(tx, worker, admitted.flatMap((a) => (a.plan === null ? [{ ...a, kind: byId.get(a.id)!.kind }] : [])), adaptive, random)
  const ids = picked.map(() => randomUUID())
  const expires = new Date(tx.now.getTime() + leaseSeconds * 1000)
  const riskOf = new Map(admitted.map((a) => [a.id, a.stake_at_risk?.toString() ?? null]))
  await tx.query(
    `INSERT INTO assignments (id, job_id, task_id, worker, status, lease_expires_at, stake_at_risk)
     SELECT id, job_id, task_id, $4, 'leased', $5, stake_at_risk FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $6::numeric[]) AS x(id, job_id, task_id, stake_at_risk)`,
    [ids, picked.map((p) => p.id), picked.map((p) => p.task_id), worker, expires, picked.map((p) => riskOf.get(p.id) ?? null)],
  )
  const started = await moveTasks(tx, { ids: [...new Set(picked.map((p) => p.task_id))], to: 'in_progress', onlyFrom: ['pending'] })
  for (const { id } of started) tx.publish(`task:${id}`, { type: 'TASK_PROGRESS', taskId: id, status: 'in_progress', jobsDone: 0, jobsTotal: 0 })
  return picked.map((p, i): Lease => ({
    assignment_id: ids[i]!,
    task_id: p.task_id,
    job_id: p.id,
    chain_task_id: p.chain_task_id,
    chain_job_id: p.chain_job_id,
    kind: p.kind,
    payload: p.payload,
    lease_expires_at: Math.floor(expires.getTime() / 1000),
  }))
}

type Quorum = { min_quorum: number; target_results: number; max_error_results: number; max_total_results: number }

/**
 * Plans the jobs whose first lease `worker` takes (core's planJob, from its run on the task's kind and the
 * other nodes proven on it online): a job going to it alone wants no other replica for now; a checked one gets
 * its check when its result is in (decide.ts raises `wanted` then); a job the market has too few proven nodes
 * to anchor goes as posted. Each job's newcomer places follow from its plan (core's newcomerPlaces).
 */
async function planJobs(tx: Tx, worker: Address, jobs: ({ id: string; kind: string } & Quorum)[], adaptive: AdaptiveParams, random: () => number): Promise<void> {
  if (jobs.length === 0) return
  const runs = await runsOf(tx, worker)
  const provenOthers = new Map((await tx.query<{ kind: string; n: number }>(
    `SELECT r.kind, count(*)::int AS n FROM node_runs r JOIN nodes n ON n.address = r.worker
     WHERE r.kind = ANY($1::text[]) AND r.worker <> $2 AND r.consecutive_valid >= $3 AND n.last_seen > now() - make_interval(secs => $4) GROUP BY r.kind`,
    [[...new Set(jobs.map((j) => j.kind))], worker, adaptive.minRun, ONLINE_SECONDS],
  )).map((r) => [r.kind, r.n]))
  const plans = jobs.map((j) => {
    const replication = replicationFor(true, j)
    const plan = planJob(runs.get(j.kind) ?? NEW_ADAPTIVE_STATE, replication, random(), provenOthers.get(j.kind) ?? 0, adaptive)
    return { plan, places: newcomerPlaces(plan, replication) }
  })
  await tx.query(
    `UPDATE jobs SET plan = x.plan, max_unproven = x.places, wanted = CASE WHEN x.plan IN ('replicated', 'posted') THEN jobs.wanted ELSE jobs.issued END
     FROM unnest($1::uuid[], $2::text[], $3::int[]) AS x(id, plan, places) WHERE jobs.id = x.id`,
    [jobs.map((j) => j.id), plans.map((p) => p.plan), plans.map((p) => p.places)],
  )
}
