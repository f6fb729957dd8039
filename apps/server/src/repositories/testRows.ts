import { randomUUID } from 'node:crypto'
import type { Queryable } from '@taskmarket/db'

/** Inserts one row of `table` for a test, its keys naming the columns. */
export async function insertRow(db: Queryable, table: string, row: Record<string, unknown>) {
  const columns = Object.keys(row)
  await db.query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`, Object.values(row).map(asParameter))
}

/** JSON for objects and lists of objects (jsonb columns); PostgreSQL's driver would send a list as an array. */
function asParameter(value: unknown) {
  const json = value !== null && typeof value === 'object' && !(value instanceof Date) && !(Array.isArray(value) && value.every((v) => typeof v !== 'object'))
  return json ? JSON.stringify(value) : value
}

/** A task with every required column (a locked synthetic task by default); returns its id. */
export async function insertTask(db: Queryable, columns: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID()
  await insertRow(db, 'tasks', {
    id,
    chain_task_id: `0x${id.replaceAll('-', '')}`,
    poster: '0x0',
    kind: 'synthetic',
    payload: {},
    reward: 1,
    fee_scheme: 0,
    status: 'pending',
    escrow_state: 'locked',
    funding: 'allowance',
    deadline: new Date(Date.now() + 3_600_000),
    min_quorum: 1,
    target_results: 1,
    max_error_results: 1,
    max_total_results: 1,
    jobs_total: 1,
    lease_cap: 16,
    ...columns,
  })
  return id
}

/** A job of `taskId` (slot 0, open, one replica wanted, by default); returns its id. */
export async function insertJob(db: Queryable, taskId: string, columns: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID()
  await insertRow(db, 'jobs', { id, chain_job_id: `0x${id.replaceAll('-', '')}`, task_id: taskId, index: 0, payload: {}, status: 'open', wanted: 1, ...columns })
  return id
}

/** An assignment of `worker` to a job (leased by default); returns its id. */
export async function insertAssignment(db: Queryable, job: { jobId: string; taskId: string }, worker: string, columns: Record<string, unknown> = {}): Promise<string> {
  const id = randomUUID()
  await insertRow(db, 'assignments', { id, job_id: job.jobId, task_id: job.taskId, worker, status: 'leased', lease_expires_at: new Date(Date.now() + 600_000), ...columns })
  return id
}

/** A whole second `seconds` ago (the database's epochs round to seconds), for ordering rows by their timestamps. */
export const secondsAgo = (seconds: number) => new Date((Math.floor(Date.now() / 1000) - seconds) * 1000)

/** A moment as the epoch seconds the repositories answer with. */
export const epoch = (at: Date) => at.getTime() / 1000
