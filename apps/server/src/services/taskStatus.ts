import { type EscrowState, type TaskState, assertTransition, statusesBefore } from '@taskmarket/core'
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
