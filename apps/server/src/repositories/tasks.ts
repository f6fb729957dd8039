import type { Qualification } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import type { Hex } from 'viem'

/** SQL condition (on table alias `t`) for tasks everyone may see: no qualifications, no random selection of respondents. */
export const UNRESTRICTED_SQL = `(t.qualifications IS NULL AND coalesce(t.payload->>'selection', '') <> 'random')`

export type ListTasksParameters = {
  /** A signed-in viewer also sees the restricted tasks it may see, and never the tasks of posters who blocked it. */
  viewer?: { address: string; restrictedIds: string[] }
  status?: string
  kind?: string
  /** Any case. */
  poster?: string
  /** In base units. */
  minReward?: bigint
  limit: number
  offset: number
}

export type TaskListRow = { id: string; kind: string; status: string; reward: string; created_at: Date; deadline: Date; jobs_done: number; jobs_total: number; title: string | null }

/** The columns of a task that decide who may see and take it. */
export type GatedTaskRow = { id: string; poster: string; kind: string; payload: any; qualifications: Qualification[] | null }

/** A task locked in escrow: what remains locked (base units, as text) and whether an outbox row is moving it now. */
export type LockedTask = { id: string; chain_task_id: Hex; status: string; remaining: string; moving: boolean }

export type SettlementBatch = { batch_id: string; tx_hash: string | null; jobs_root: string | null }

/** A task row by id (every column, as the database names them), or undefined. */
export async function taskById(db: Queryable, id: string): Promise<any> {
  const [task] = await db.query<any>('SELECT * FROM tasks WHERE id = $1', [id])
  return task
}

/** The chain batch that settles a task, or undefined. */
export async function settlementBatch(db: Queryable, batchId: string): Promise<SettlementBatch | undefined> {
  const [batch] = await db.query<SettlementBatch>('SELECT batch_id, tx_hash, jobs_root FROM chain_batches WHERE batch_id = $1', [batchId])
  return batch
}

/**
 * One page of the tasks matching the filters, newest first, and how many match in all. Without a viewer only
 * unrestricted tasks (no qualifications, no random selection) are listed.
 */
export async function listTasks(db: Queryable, { viewer, status, kind, poster, minReward, limit, offset }: ListTasksParameters): Promise<{ total: number; tasks: TaskListRow[] }> {
  const params: unknown[] = []
  const where: string[] = [viewer
    ? `(${UNRESTRICTED_SQL} OR t.id = ANY($${params.push(viewer.restrictedIds)}::uuid[]))
       AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.poster = t.poster AND b.worker = $${params.push(viewer.address)})`
    : UNRESTRICTED_SQL]
  if (status) where.push(`status = $${params.push(status)}`)
  if (kind) where.push(`kind = $${params.push(kind)}`)
  if (poster) where.push(`lower(poster) = lower($${params.push(poster)})`)
  if (minReward !== undefined) where.push(`reward >= $${params.push(minReward.toString())}::numeric`)
  const clause = `WHERE ${where.join(' AND ')}`
  const [{ total }] = (await db.query<{ total: number }>(`SELECT count(*)::int AS total FROM tasks t ${clause}`, params)) as [{ total: number }]
  const tasks = await db.query<TaskListRow>(
    `SELECT id, kind, status, reward::text AS reward, created_at, deadline, jobs_done, jobs_total, payload->>'title' AS title FROM tasks t ${clause}
     ORDER BY created_at DESC, id LIMIT $${params.length + 1} OFFSET $${params.length + 2}`,
    [...params, limit, offset],
  )
  return { total, tasks }
}

/** The `limit` newest restricted tasks (with qualifications, or a poll asking people drawn at random), newest first. */
export async function restrictedTasks(db: Queryable, limit: number): Promise<GatedTaskRow[]> {
  return db.query<GatedTaskRow>(
    `SELECT id, poster, kind, payload, qualifications FROM tasks
     WHERE qualifications IS NOT NULL OR payload->>'selection' = 'random' ORDER BY created_at DESC LIMIT $1`,
    [limit],
  )
}

/** The `limit` oldest tasks locked in escrow; `moving` when an outbox row for the task is staging or sent. */
export async function lockedTasks(db: Queryable, limit: number): Promise<LockedTask[]> {
  return db.query<LockedTask>(
    `SELECT t.id, t.chain_task_id, t.status, (t.reward - t.escrow_paid)::text AS remaining,
       EXISTS (SELECT 1 FROM outbox o WHERE o.payload->>'task_id' = t.id::text AND o.status IN ('staging', 'sent')) AS moving
     FROM tasks t WHERE t.escrow_state = 'locked' ORDER BY t.created_at LIMIT $1`,
    [limit],
  )
}
