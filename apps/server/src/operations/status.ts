import { type AssignmentState, type EscrowState, type JobState, type TaskState, assertTransition, statusesBefore } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import type { Hex } from 'viem'

export type MoveTasksParameters = {
  ids: string[]
  to: TaskState
  /** Move only tasks in these statuses and leave the others as they are (e.g. start only pending tasks). */
  onlyFrom?: TaskState[]
  failureReason?: string
  escrowState?: EscrowState
  /** Stamp completed_at. */
  completed?: boolean
}

export type MovedTask = { id: string; chain_task_id: Hex; escrow_state: EscrowState }

/**
 * The one place a task's status changes. Moves the tasks whose status core's lifecycle lets become `to`;
 * a task already at `to` is left alone (a repeat is not an error); any other status is an illegal move and
 * throws CONFLICT, unless `onlyFrom` says those tasks are simply not concerned.
 */
export async function moveTasks(tx: Queryable, { ids, to, onlyFrom, failureReason, escrowState, completed = false }: MoveTasksParameters): Promise<MovedTask[]> {
  if (ids.length === 0) return []
  const from = statusesBefore('task', to).filter((s) => !onlyFrom || onlyFrom.includes(s))
  const moved = await tx.query<MovedTask>(
    `UPDATE tasks SET status = $2, updated_at = now(),
       failure_reason = coalesce($4, failure_reason), escrow_state = coalesce($5, escrow_state),
       completed_at = CASE WHEN $6::boolean THEN now() ELSE completed_at END
     WHERE id = ANY($1::uuid[]) AND status = ANY($3::text[])
     RETURNING id, chain_task_id, escrow_state`,
    [ids, to, from, failureReason ?? null, escrowState ?? null, completed],
  )
  if (onlyFrom || moved.length === ids.length) return moved
  const movedIds = new Set(moved.map((t) => t.id))
  const rest = await tx.query<{ status: TaskState }>(`SELECT status FROM tasks WHERE id = ANY($1::uuid[]) AND status <> $2`, [ids.filter((id) => !movedIds.has(id)), to])
  for (const { status } of rest) assertTransition('task', status, to)
  return moved
}

/** Which rows of jobs or assignments a move concerns: every condition given must hold. */
export type RowSelector = { ids?: string[]; jobIds?: string[]; taskIds?: string[]; worker?: string }

type Moved = { id: string; job_id: string; task_id: string }

/** Columns a move may set beside the status: named here, so no caller's text reaches the SQL. */
const jobColumns = ['wanted'] as const
const assignmentColumns = ['reviewed_at', 'review', 'payment_state'] as const

export type MoveJobsParameters = RowSelector & {
  to: JobState
  /** The statuses to move from; each must be allowed to become `to` by core's lifecycle (else CONFLICT). */
  from: JobState[]
  set?: Partial<Record<(typeof jobColumns)[number], unknown>>
}

export type MoveAssignmentsParameters = RowSelector & {
  to: AssignmentState
  /** The statuses to move from; each must be allowed to become `to` by core's lifecycle (else CONFLICT). */
  from: AssignmentState[]
  set?: Partial<Record<(typeof assignmentColumns)[number], unknown>>
}

/** The one place a job's status changes: moves the selected jobs in `from` to `to`; returns those moved. */
export function moveJobs(tx: Queryable, params: MoveJobsParameters): Promise<Moved[]> {
  return move(tx, 'job', params, jobColumns)
}

/** The one place an assignment's status changes: moves the selected assignments in `from` to `to`. */
export function moveAssignments(tx: Queryable, params: MoveAssignmentsParameters): Promise<Moved[]> {
  return move(tx, 'assignment', params, assignmentColumns)
}

async function move<L extends 'job' | 'assignment'>(
  tx: Queryable,
  lifecycle: L,
  { to, from, set = {}, ids, jobIds, taskIds, worker }: RowSelector & { to: string; from: string[]; set?: Record<string, unknown> },
  columns: readonly string[],
): Promise<Moved[]> {
  for (const status of from) assertTransition(lifecycle, status as never, to as never)
  if ([ids, jobIds, taskIds].some((list) => list?.length === 0)) return []
  const table = lifecycle === 'job' ? 'jobs' : 'assignments'
  const params: unknown[] = [to, from]
  const where = ['status = ANY($2::text[])']
  const select = (column: string, value: unknown, cast: string) => {
    params.push(value)
    where.push(`${column} = ${cast === 'text' ? `$${params.length}` : `ANY($${params.length}::${cast}[])`}`)
  }
  if (ids) select('id', ids, 'uuid')
  if (jobIds) select(lifecycle === 'job' ? 'id' : 'job_id', jobIds, 'uuid')
  if (taskIds) select('task_id', taskIds, 'uuid')
  if (worker) select('worker', worker, 'text')
  const assignments = Object.entries(set).filter(([column]) => columns.includes(column)).map(([column, value]) => {
    params.push(value)
    return `${column} = $${params.length}`
  })
  if (lifecycle === 'job') assignments.push('updated_at = now()')
  return tx.query<Moved>(
    `UPDATE ${table} SET ${['status = $1', ...assignments].join(', ')} WHERE ${where.join(' AND ')}
     RETURNING id, ${lifecycle === 'job' ? 'id AS job_id' : 'job_id'}, task_id`,
    params,
  )
}
