import type { Queryable } from '@taskmarket/db'

/** How many tasks are in each status (statuses without tasks are absent). */
export async function tasksByStatus(db: Queryable): Promise<{ status: string; n: number }[]> {
  return db.query<{ status: string; n: number }>('SELECT status, count(*)::int AS n FROM tasks GROUP BY status')
}

/** How many tasks there are of each kind (kinds without tasks are absent). */
export async function tasksByKind(db: Queryable): Promise<{ kind: string; n: number }[]> {
  return db.query<{ kind: string; n: number }>('SELECT kind, count(*)::int AS n FROM tasks GROUP BY kind')
}

/** Nodes ever registered, and those seen in the last `onlineSeconds`. */
export async function nodeCounts(db: Queryable, onlineSeconds: number): Promise<{ active: number; total: number }> {
  const [row] = await db.query<{ active: number; total: number }>(`SELECT count(*) FILTER (WHERE last_seen > now() - make_interval(secs => $1))::int AS active, count(*)::int AS total FROM nodes`, [onlineSeconds])
  return row
}

/**
 * What `/stats` reports as tokens, from the database: `escrowed` is what the escrow still holds for locked
 * tasks (the reward less what settlements paid), `awaiting` is posted but not yet locked, `paid` what
 * settlements released, `refunded` what went back to posters.
 */
const ESCROW_TOTALS_SQL = `SELECT
    coalesce(sum(reward - escrow_paid) FILTER (WHERE escrow_state = 'locked'), 0)::text AS escrowed,
    coalesce(sum(reward) FILTER (WHERE escrow_state = 'awaiting'), 0)::text AS awaiting,
    coalesce(sum(escrow_paid), 0)::text AS paid,
    coalesce(sum(reward - escrow_paid) FILTER (WHERE escrow_state = 'refunded'), 0)::text AS refunded
  FROM tasks`

/** The tokens the books show escrowed, awaiting a lock, paid and refunded, in base units. */
export async function escrowTotals(db: Queryable): Promise<{ escrowed: string; awaiting: string; paid: string; refunded: string }> {
  const [row] = await db.query<{ escrowed: string; awaiting: string; paid: string; refunded: string }>(ESCROW_TOTALS_SQL)
  return row
}

/** Tasks posted and completed in each of the last 24 hours, oldest hour first (the current hour last). */
export async function hourlyTasks(db: Queryable): Promise<{ hour: number; posted: number; completed: number }[]> {
  return db.query<{ hour: number; posted: number; completed: number }>(
    `SELECT extract(epoch from h)::int AS hour,
            (SELECT count(*)::int FROM tasks WHERE date_trunc('hour', created_at) = h) AS posted,
            (SELECT count(*)::int FROM tasks WHERE date_trunc('hour', completed_at) = h) AS completed
     FROM generate_series(date_trunc('hour', now()) - interval '23 hours', date_trunc('hour', now()), interval '1 hour') AS h ORDER BY h`,
  )
}
