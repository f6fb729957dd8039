import { type AdaptiveOutcome, type AdaptiveState, NEW_ADAPTIVE_STATE, nextAdaptiveState } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'

/** A result's effect on its node's run: the node, the task kind, how it ended and whether its job was replicated. */
export type RunOutcome = { worker: string; kind: string; outcome: AdaptiveOutcome; replicated: boolean }

/** The adaptive state of `workers` on `kind` (a node never seen on the kind is new). */
export async function runsOn(db: Queryable, kind: string, workers: readonly string[]): Promise<Map<string, AdaptiveState>> {
  const rows = await db.query<{ worker: string; consecutive_valid: number }>('SELECT worker, consecutive_valid FROM node_runs WHERE kind = $1 AND worker = ANY($2::text[])', [kind, workers])
  const runs = new Map(rows.map((r) => [r.worker, { consecutiveValid: r.consecutive_valid }]))
  return new Map(workers.map((w) => [w, runs.get(w) ?? NEW_ADAPTIVE_STATE]))
}

/** A node's adaptive state on each kind it has a run on. */
export async function runsOf(db: Queryable, worker: string): Promise<Map<string, AdaptiveState>> {
  const rows = await db.query<{ kind: string; consecutive_valid: number }>('SELECT kind, consecutive_valid FROM node_runs WHERE worker = $1', [worker])
  return new Map(rows.map((r) => [r.kind, { consecutiveValid: r.consecutive_valid }]))
}

const key = (o: { worker: string; kind: string }) => `${o.worker} ${o.kind}`

/**
 * Locks the run rows of these (worker, kind) pairs, creating missing ones, in one pass in (worker, kind)
 * order, and returns them. An operation that moves runs more than once (a decision: outvoted results, then
 * valid ones) locks them all first, so two decisions never wait on each other's rows in a circle.
 */
export async function lockRuns(db: Queryable, of: readonly { worker: string; kind: string }[]): Promise<{ worker: string; kind: string; consecutive_valid: number }[]> {
  const pairs = [...new Map(of.map((o) => [key(o), o])).values()].sort((a, b) => (key(a) < key(b) ? -1 : 1))
  if (pairs.length === 0) return []
  await db.query(`INSERT INTO node_runs (worker, kind) SELECT * FROM unnest($1::text[], $2::text[]) ORDER BY 1, 2 ON CONFLICT DO NOTHING`, [pairs.map((p) => p.worker), pairs.map((p) => p.kind)])
  return db.query<{ worker: string; kind: string; consecutive_valid: number }>(
    `SELECT r.worker, r.kind, r.consecutive_valid FROM node_runs r JOIN unnest($1::text[], $2::text[]) AS x(worker, kind) ON r.worker = x.worker AND r.kind = x.kind
     ORDER BY r.worker, r.kind FOR UPDATE OF r`,
    [pairs.map((p) => p.worker), pairs.map((p) => p.kind)],
  )
}

/**
 * Moves each node's run by its results, in order (core's nextAdaptiveState): a valid replicated result extends
 * it, a valid unreplicated one leaves it, an outvoted result or a lapsed lease resets it. Rows are locked in
 * (worker, kind) order, so concurrent decisions cannot deadlock.
 */
export async function adaptRuns(db: Queryable, outcomes: readonly RunOutcome[]): Promise<void> {
  if (outcomes.length === 0) return
  const rows = await lockRuns(db, outcomes)
  const pairs = [...new Map(outcomes.map((o) => [key(o), o])).values()]
  const states = new Map(rows.map((r) => [key(r), { consecutiveValid: r.consecutive_valid }]))
  for (const o of outcomes) states.set(key(o), nextAdaptiveState(states.get(key(o))!, o.outcome, o.replicated))
  const next = pairs.map((p) => states.get(key(p))!.consecutiveValid)
  await db.query(
    `UPDATE node_runs r SET consecutive_valid = x.run, updated_at = now() FROM unnest($1::text[], $2::text[], $3::int[]) AS x(worker, kind, run)
     WHERE r.worker = x.worker AND r.kind = x.kind`,
    [pairs.map((p) => p.worker), pairs.map((p) => p.kind), next],
  )
}

/**
 * Vouches for `worker` on `kinds` (the operator's word): each run is raised to `minRun`, proven, unless it is
 * longer already; who vouched and when are kept. An outvoted result or a lapsed lease resets it like any run.
 */
export async function vouchRuns(db: Queryable, { worker, kinds, minRun, by, at }: { worker: string; kinds: readonly string[]; minRun: number; by: string; at: Date }): Promise<void> {
  await db.query(
    `INSERT INTO node_runs (worker, kind, consecutive_valid, vouched_by, vouched_at, updated_at) SELECT $1, kind, $3, $4, $5, $5 FROM unnest($2::text[]) AS kind
     ON CONFLICT (worker, kind) DO UPDATE SET consecutive_valid = greatest(node_runs.consecutive_valid, $3), vouched_by = $4, vouched_at = $5, updated_at = $5`,
    [worker, [...new Set(kinds)], minRun, by, at],
  )
}
