import type { Queryable } from '@taskmarket/db'

/** An assignment row with its slot (the job's index), its task's poster and title. */
export type AssignmentRow = Record<string, any> & { worker: string; poster: string; answer: Record<string, any> | null }

/** A page of rows: 500 unless asked for fewer. */
export type Page = { limit?: number; offset?: number }

export type WorkerAssignmentsParameters = Page & {
  worker: string
  /** Only assignments in these statuses (all of them when absent). */
  statuses?: string[]
}

export type DisputedAssignmentsParameters = Page & {
  /** Only the disputes where this address is the poster or the worker (any case); all of them when absent. */
  party?: string
}

/** An assignment by id, or undefined. */
export async function assignmentById(db: Queryable, id: string): Promise<AssignmentRow | undefined> {
  const [row] = await assignmentRows(db, 'a.id = $1', [id])
  return row
}

/** One page of a worker's assignments on manual tasks, newest first. */
export async function workerAssignments(db: Queryable, { worker, statuses, ...page }: WorkerAssignmentsParameters): Promise<AssignmentRow[]> {
  return statuses
    ? assignmentRows(db, `a.worker = $1 AND t.kind = 'manual' AND a.status = ANY($2::text[])`, [worker, statuses], page)
    : assignmentRows(db, `a.worker = $1 AND t.kind = 'manual'`, [worker], page)
}

/** A task's assignments still in play (not released, expired or cancelled), newest first, at most 500. */
export async function taskAssignments(db: Queryable, taskId: string): Promise<AssignmentRow[]> {
  return assignmentRows(db, `a.task_id = $1 AND a.status NOT IN ('released', 'expired', 'cancelled')`, [taskId])
}

/** One page of the disputed assignments, newest first. */
export async function disputedAssignments(db: Queryable, { party, ...page }: DisputedAssignmentsParameters): Promise<AssignmentRow[]> {
  return party
    ? assignmentRows(db, `a.status = 'disputed' AND (lower(t.poster) = lower($1) OR lower(a.worker) = lower($1))`, [party], page)
    : assignmentRows(db, `a.status = 'disputed'`, [], page)
}

/** Assignments with their slot and task, newest first: one page. */
async function assignmentRows(db: Queryable, where: string, params: unknown[], { limit = 500, offset = 0 }: Page = {}): Promise<AssignmentRow[]> {
  const n = params.length
  return db.query<AssignmentRow>(
    `SELECT a.*, a.paid_amount::text AS paid_amount, j.index AS slot, t.poster, t.payload->>'title' AS task_title FROM assignments a
     JOIN jobs j ON j.id = a.job_id JOIN tasks t ON t.id = a.task_id WHERE ${where} ORDER BY a.created_at DESC, a.id LIMIT $${n + 1} OFFSET $${n + 2}`,
    [...params, limit, offset],
  )
}

export type TasksTakenParameters = { worker: string; taskIds: string[] }

/** How many of a worker's assignments on manual tasks were approved (valid). */
export async function approvedManualWork(db: Queryable, worker: string): Promise<number> {
  const [row] = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM assignments a JOIN tasks t ON t.id = a.task_id WHERE a.worker = $1 AND a.status = 'valid' AND t.kind = 'manual'`, [worker])
  return row?.n ?? 0
}

/** Which of `taskIds` the worker ever took (an assignment in any status), each once. */
export async function tasksTaken(db: Queryable, { worker, taskIds }: TasksTakenParameters): Promise<string[]> {
  const rows = await db.query<{ v: string }>('SELECT DISTINCT task_id::text AS v FROM assignments WHERE worker = $1 AND task_id = ANY($2::uuid[])', [worker, taskIds])
  return rows.map((r) => r.v)
}
