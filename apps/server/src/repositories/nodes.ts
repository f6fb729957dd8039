import { NO_RECORD, type NodeList, type ReputationCounters } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'

/** A node seen (heartbeat or claim poll) this recently is online. */
export const ONLINE_SECONDS = 60

export type RegisterNodeParameters = { address: string; cores: number; memoryMb: number; executors: string[]; concurrency: number; version: string | null }

export type NodeSeen = { executors: string[]; cores: number; memory_mb: number; last_seen: number }

/** Records what a node advertises (its first registration or a later one) and marks it seen now. */
export async function registerNode(db: Queryable, { address, cores, memoryMb, executors, concurrency, version }: RegisterNodeParameters): Promise<void> {
  await db.query(
    `INSERT INTO nodes (address, cores, memory_mb, executors, concurrency, version) VALUES ($1,$2,$3,$4,$5,$6)
     ON CONFLICT (address) DO UPDATE SET cores = $2, memory_mb = $3, executors = $4, concurrency = $5, version = $6, last_seen = now()`,
    [address, cores, memoryMb, executors, concurrency, version],
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
export async function touchNode(db: Queryable, address: string): Promise<void> {
  await db.query('UPDATE nodes SET last_seen = now() WHERE address = $1', [address])
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
 * The reputation counters the server's own records give each of `workers` (core's ReputationCounters): compute
 * results valid and outvoted, and leases that timed out. PoW challenges, ratings and disputes are not counted
 * here yet: they live on chain or come with later kinds of work.
 */
export async function reputationCounters(db: Queryable, workers: readonly string[]): Promise<Map<string, ReputationCounters>> {
  const rows = await db.query<{ worker: string; valid: number; invalid: number; expired: number }>(
    `SELECT a.worker, count(*) FILTER (WHERE a.status = 'valid')::int AS valid, count(*) FILTER (WHERE a.status = 'invalid')::int AS invalid,
       count(*) FILTER (WHERE a.status = 'expired')::int AS expired
     FROM assignments a JOIN tasks t ON t.id = a.task_id
     WHERE a.worker = ANY($1::text[]) AND t.kind NOT IN ('manual', 'poll') AND a.status IN ('valid', 'invalid', 'expired') GROUP BY a.worker`,
    [workers],
  )
  const counters = new Map<string, ReputationCounters>(workers.map((w) => [w, NO_RECORD]))
  for (const r of rows) counters.set(r.worker, { ...NO_RECORD, validResults: r.valid, invalidResults: r.invalid, timeouts: r.expired })
  return counters
}
