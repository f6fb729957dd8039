import { NO_RECORD, type NodeReview, type ReputationCounters, needsReview } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { reputationCounters } from './nodes.ts'

type ReviewRow = { worker: string; opened_at: Date; failures: number; results: number; cleared_at: Date | null; baseline_valid: number; baseline_invalid: number; baseline_timeouts: number }

/** A node's open review, or undefined when it works freely. */
export async function openReview(db: Queryable, worker: string): Promise<NodeReview | undefined> {
  const [row] = await db.query<ReviewRow>('SELECT * FROM node_reviews WHERE worker = $1 AND cleared_at IS NULL', [worker])
  return row && { opened_at: Math.floor(row.opened_at.getTime() / 1000), failures: row.failures, results: row.results }
}

/** A record since a baseline: what a review judges after the operator cleared the last one. */
function since(c: ReputationCounters, row: ReviewRow | undefined): ReputationCounters {
  if (!row) return c
  return { ...c, validResults: c.validResults - row.baseline_valid, invalidResults: c.invalidResults - row.baseline_invalid, timeouts: c.timeouts - row.baseline_timeouts }
}

/**
 * Opens a review for each of `workers` whose results since its last cleared review fail too often (core's
 * needsReview: more than 20%, at least 3). Returns the workers newly under review.
 */
export async function reviewFailures(db: Queryable, workers: readonly string[], now: Date): Promise<string[]> {
  if (workers.length === 0) return []
  const counters = await reputationCounters(db, workers)
  const rows = await db.query<ReviewRow>('SELECT * FROM node_reviews WHERE worker = ANY($1::text[]) FOR UPDATE', [workers])
  const reviewOf = new Map(rows.map((r) => [r.worker, r]))
  const opened: string[] = []
  for (const worker of workers) {
    const row = reviewOf.get(worker)
    if (row && row.cleared_at === null) continue
    const c = since(counters.get(worker) ?? NO_RECORD, row)
    if (!needsReview(c)) continue
    const failures = c.invalidResults + c.timeouts
    await db.query(
      `INSERT INTO node_reviews (worker, opened_at, failures, results) VALUES ($1, $2, $3, $4)
       ON CONFLICT (worker) DO UPDATE SET opened_at = $2, failures = $3, results = $4, cleared_at = NULL, cleared_by = NULL`,
      [worker, now, failures, failures + c.validResults],
    )
    opened.push(worker)
  }
  return opened
}

/** Clears a node's open review (the operator's call): its record now is the baseline of the next. False when none is open. */
export async function clearReview(db: Queryable, worker: string, by: string, now: Date): Promise<boolean> {
  const c = (await reputationCounters(db, [worker])).get(worker) ?? NO_RECORD
  const cleared = await db.query(
    `UPDATE node_reviews SET cleared_at = $3, cleared_by = $2, baseline_valid = $4, baseline_invalid = $5, baseline_timeouts = $6
     WHERE worker = $1 AND cleared_at IS NULL RETURNING worker`,
    [worker, by, now, c.validResults, c.invalidResults, c.timeouts],
  )
  return cleared.length > 0
}
