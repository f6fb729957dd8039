import { NO_RECORD, type NodeList, type ResourceType, type NodeRecords, type NodeSlash, type ReputationCounters, type ReputationPoint } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { UNRESTRICTED_SQL } from './tasks.ts'

/** A node seen (heartbeat or claim poll) this recently is online. */
export const ONLINE_SECONDS = 60

/** What a node offers for matching (seed 003's metadata); every field has a default. */
export type NodeOffer = { resourceType: ResourceType; region: string; pricePerUnit: bigint; hardware: Record<string, unknown> }

/** A node that says nothing of its offer: a CPU anywhere, at no price. */
export const DEFAULT_NODE_OFFER: NodeOffer = { resourceType: 'cpu', region: 'any', pricePerUnit: 0n, hardware: {} }

export type RegisterNodeParameters = { address: string; cores: number; memoryMb: number; executors: string[]; concurrency: number; version: string | null; offer?: NodeOffer }

export type NodeSeen = { executors: string[]; cores: number; memory_mb: number; last_seen: number }

/** Records what a node advertises (its first registration or a later one) and marks it seen now. */
export async function registerNode(db: Queryable, { address, cores, memoryMb, executors, concurrency, version, offer = DEFAULT_NODE_OFFER }: RegisterNodeParameters): Promise<void> {
  await db.query(
    `INSERT INTO nodes (address, cores, memory_mb, executors, concurrency, version, resource_type, region, price_per_unit, hardware) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
     ON CONFLICT (address) DO UPDATE SET cores = $2, memory_mb = $3, executors = $4, concurrency = $5, version = $6,
       resource_type = $7, region = $8, price_per_unit = $9, hardware = $10, last_seen = now()`,
    [address, cores, memoryMb, executors, concurrency, version, offer.resourceType, offer.region, offer.pricePerUnit.toString(), JSON.stringify(offer.hardware)],
  )
}

/** The 500 nodes seen most recently, with the replicas each had accepted and rejected. */
export async function listNodes(db: Queryable): Promise<NodeList['nodes']> {
  return db.query<NodeList['nodes'][number]>(
    `SELECT n.address, n.cores, n.memory_mb, n.executors, n.concurrency, extract(epoch from n.last_seen)::int AS last_seen,
       (SELECT count(*)::int FROM assignments a WHERE a.worker = n.address AND a.status = 'valid') AS jobs_accepted,
       (SELECT count(*)::int FROM assignments a WHERE a.worker = n.address AND a.status = 'invalid') AS jobs_rejected
     FROM nodes n ORDER BY n.last_seen DESC LIMIT 500`,
  )
}

/** What a node last advertised and when it was last seen, or undefined when it never registered here. */
export async function nodeSeen(db: Queryable, address: string): Promise<NodeSeen | undefined> {
  const [row] = await db.query<NodeSeen>('SELECT executors, cores, memory_mb, extract(epoch from last_seen)::int AS last_seen FROM nodes WHERE address = $1', [address])
  return row
}

/** How many of a worker's replicas were accepted (valid) and rejected (invalid). */
export async function workerJobCounts(db: Queryable, worker: string): Promise<{ accepted: number; rejected: number }> {
  const [row] = await db.query<{ accepted: number; rejected: number }>(
    `SELECT count(*) FILTER (WHERE status = 'valid')::int AS accepted, count(*) FILTER (WHERE status = 'invalid')::int AS rejected FROM assignments WHERE worker = $1`,
    [worker],
  )
  return row
}

/** Marks a registered node seen now (a no-op for an address that never registered). */
export async function touchNode(db: Queryable, address: string, stake?: bigint): Promise<void> {
  // A sighting within a minute of the last one counts the time between them as online.
  await db.query(
    `UPDATE nodes SET online_seconds = online_seconds + least(greatest(extract(epoch from now() - last_seen), 0), 60), last_seen = now(),
       stake = coalesce($2::numeric, stake) WHERE address = $1`,
    [address, stake?.toString() ?? null],
  )
}

/** The on-chain stake each online node that runs `kind` had when it last asked for work (null: not known yet). */
export async function onlineStakes(db: Queryable, kind: string): Promise<(bigint | null)[]> {
  const rows = await db.query<{ stake: string | null }>(
    `SELECT stake::text AS stake FROM nodes WHERE $1 = ANY(executors) AND last_seen > now() - make_interval(secs => $2)`,
    [kind, ONLINE_SECONDS],
  )
  return rows.map((r) => (r.stake === null ? null : BigInt(r.stake)))
}

/** Distinct online nodes (seen in the last ONLINE_SECONDS) that run `kind`. */
export async function onlineNodes(db: Queryable, kind: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM nodes WHERE $1 = ANY(executors) AND last_seen > now() - make_interval(secs => $2)`,
    [kind, ONLINE_SECONDS],
  )
  return row?.n ?? 0
}

/**
 * The reputation counters of each of `workers` (core's ReputationCounters), from the server's records: compute
 * results valid and outvoted, leases that timed out, and the proof-of-work challenges NodeRegistry logged as
 * solved or failed (indexed into chain_events), the stars posters gave its approved human work, and the
 * disputes ruled against it for misuse.
 */
export async function reputationCounters(db: Queryable, workers: readonly string[]): Promise<Map<string, ReputationCounters>> {
  const rows = await db.query<{ worker: string; valid: number; invalid: number; expired: number }>(
    `SELECT a.worker, count(*) FILTER (WHERE a.status = 'valid')::int AS valid, count(*) FILTER (WHERE a.status = 'invalid')::int AS invalid,
       count(*) FILTER (WHERE a.status = 'expired')::int AS expired
     FROM assignments a JOIN tasks t ON t.id = a.task_id
     WHERE a.worker = ANY($1::text[]) AND t.kind NOT IN ('manual', 'poll') AND a.status IN ('valid', 'invalid', 'expired') GROUP BY a.worker`,
    [workers],
  )
  const pow = await db.query<{ worker: string; passes: number; failures: number }>(
    `SELECT w.worker, count(*) FILTER (WHERE e.event = 'ChallengeSolved')::int AS passes, count(*) FILTER (WHERE e.event = 'ChallengeFailed')::int AS failures
     FROM unnest($1::text[]) AS w(worker) JOIN chain_events e ON e.accounts @> ARRAY[lower(w.worker)]
     WHERE e.contract = 'registry' AND e.event IN ('ChallengeSolved', 'ChallengeFailed') GROUP BY w.worker`,
    [workers],
  )
  // Each poster is one voice on a worker, its ratings' mean: a poster rating a friend a thousand times counts once,
  // and every further voice costs another poster identity a task with an escrowed reward (nobody takes their own).
  const ratings = await db.query<{ worker: string; ratings: number; stars: number }>(
    `SELECT worker, count(*)::int AS ratings, sum(stars)::int AS stars FROM (
       SELECT a.worker, round(avg((a.review->>'rating')::int)) AS stars FROM assignments a JOIN tasks t ON t.id = a.task_id
       WHERE a.worker = ANY($1::text[]) AND t.kind = 'manual' AND a.status = 'valid' AND a.review->>'rating' IS NOT NULL
       GROUP BY a.worker, lower(t.poster)) AS voices GROUP BY worker`,
    [workers],
  )
  const counters = new Map<string, ReputationCounters>(workers.map((w) => [w, NO_RECORD]))
  for (const r of rows) counters.set(r.worker, { ...NO_RECORD, validResults: r.valid, invalidResults: r.invalid, timeouts: r.expired })
  for (const p of pow) counters.set(p.worker, { ...counters.get(p.worker)!, powPasses: p.passes, powFailures: p.failures })
  for (const r of ratings) counters.set(r.worker, { ...counters.get(r.worker)!, ratings: r.ratings, ratingStars: r.stars })
  const lost = await db.query<{ worker: string; n: number }>(
    `SELECT worker, count(*)::int AS n FROM assignments WHERE worker = ANY($1::text[]) AND status = 'rejected' AND (review->>'misuse')::boolean GROUP BY worker`,
    [workers],
  )
  for (const l of lost) counters.set(l.worker, { ...counters.get(l.worker)!, disputesLost: l.n })
  return counters
}

/** A node's latest 50 slashes, newest first. */
export async function nodeSlashes(db: Queryable, worker: string): Promise<NodeSlash[]> {
  return db.query<NodeSlash>(
    `SELECT reason, amount::text AS amount, reputation_bps, task_id, job_id, assignment_id, tx_hash, extract(epoch from created_at)::int AS at
     FROM node_slashes WHERE worker = $1 ORDER BY created_at DESC, assignment_id LIMIT 50`,
    [worker],
  )
}

/** The latest 200 reputations stored on chain for a node, oldest first. */
export async function reputationHistory(db: Queryable, worker: string): Promise<ReputationPoint[]> {
  return db.query<ReputationPoint>(
    `SELECT at, bps, tx_hash FROM (SELECT id, extract(epoch from recorded_at)::int AS at, bps, tx_hash FROM node_reputations WHERE worker = $1 ORDER BY id DESC LIMIT 200) h ORDER BY id`,
    [worker],
  )
}

/** The leases a node holds now and the stake they put at risk (base units). */
export async function heldLeases(db: Queryable, worker: string): Promise<{ leases: number; at_risk: string }> {
  const [row] = await db.query<{ leases: number; at_risk: string }>(
    `SELECT count(*)::int AS leases, coalesce(sum(stake_at_risk), 0)::text AS at_risk FROM assignments WHERE worker = $1 AND status = 'leased'`,
    [worker],
  )
  return row!
}

/**
 * A node's job records anchored on chain (confirmed batches), newest first, with their Merkle proofs; only
 * those of public tasks (a restricted task's records are not anyone's to list), and how many there are.
 */
export async function nodeRecords(db: Queryable, worker: string, { limit, offset }: { limit: number; offset: number }): Promise<NodeRecords> {
  const from = `FROM job_records r JOIN jobs j ON j.id = r.job_id JOIN tasks t ON t.id = r.task_id JOIN chain_batches b ON b.batch_id = r.batch_id
     WHERE r.worker = $1 AND b.status = 'confirmed' AND ${UNRESTRICTED_SQL}`
  const [records, [count]] = await Promise.all([
    db.query<NodeRecords['records'][number]>(
      `SELECT r.batch_id, r.leaf, r.task_id, t.chain_task_id, r.job_id, j.chain_job_id, r.worker, r.result_hash, r.verdict, r.proof, b.jobs_root, b.tx_hash, b.status AS batch_status
       ${from} ORDER BY b.created_at DESC, t.id, j.index LIMIT $2 OFFSET $3`,
      [worker, limit, offset],
    ),
    db.query<{ n: number }>(`SELECT count(*)::int AS n ${from}`, [worker]),
  ])
  return { records, total: count!.n }
}

/** A node's uptime in bps (on table `nodes`): the share of the time since it first registered that it was seen online. */
export const UPTIME_BPS_SQL = 'least(10000, floor(10000 * online_seconds / greatest(extract(epoch from now() - first_seen), 1)))::int'

/** An online node's offer as matching reads it (chain facts are added by the caller). */
export type OfferRow = { address: string; resource_type: ResourceType; region: string; price_per_unit: string; hardware: Record<string, unknown>; uptime_bps: number }

/**
 * The offers of up to `limit` nodes online now that run `kind`, cheapest first. Uptime is the share of the
 * time since a node first registered that it was seen online (heartbeats and claim polls), in bps.
 */
export async function onlineOffers(db: Queryable, kind: string, limit: number): Promise<OfferRow[]> {
  return db.query<OfferRow>(
    `SELECT address, resource_type, region, price_per_unit::text AS price_per_unit, hardware,
       ${UPTIME_BPS_SQL} AS uptime_bps
     FROM nodes WHERE $1 = ANY(executors) AND last_seen > now() - make_interval(secs => $2)
     ORDER BY price_per_unit, address LIMIT $3`,
    [kind, ONLINE_SECONDS, limit],
  )
}

/** The verified power NodeRegistry last logged for each of `workers` (ChallengeSolved, as indexed); absent when none. */
export async function verifiedPowers(db: Queryable, workers: readonly string[]): Promise<Map<string, bigint>> {
  const rows = await db.query<{ worker: string; power: string }>(
    `SELECT DISTINCT ON (w.worker) w.worker, e.args->>'verifiedPower' AS power
     FROM unnest($1::text[]) AS w(worker) JOIN chain_events e ON e.accounts @> ARRAY[lower(w.worker)]
     WHERE e.contract = 'registry' AND e.event = 'ChallengeSolved' ORDER BY w.worker, e.block_number DESC, e.log_index DESC`,
    [workers],
  )
  return new Map(rows.map((r) => [r.worker, BigInt(r.power)]))
}
