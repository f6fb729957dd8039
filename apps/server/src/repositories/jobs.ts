import type { TaskJobs, TaskRecords } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'

export type TaskJobsParameters = {
  taskId: string
  /** Hide every digest (a poll still open: a digest of a vote reveals it). */
  hideDigests: boolean
  /**
   * Hide who holds a job until it is decided (everyone but the task's poster and the operator): a node must
   * not learn whether its job went to it alone, and so when lying would not meet a replica.
   */
  hideUndecided?: boolean
}

export type JobOutput = { index: number; output_blob: string | null; canonical_error: string | null }

/**
 * The jobs of a task in job order, each with its replicas in the order they were taken. A replica's digest
 * shows only once its job is decided (valid or error), so nobody can copy an honest worker's answer.
 */
export async function taskJobs(db: Queryable, { taskId, hideDigests, hideUndecided = false }: TaskJobsParameters): Promise<TaskJobs['jobs']> {
  return db.query<TaskJobs['jobs'][number]>(
    `SELECT j.id, j.index, j.status, CASE WHEN $2 THEN NULL ELSE j.canonical_digest END AS canonical_digest, j.canonical_error, j.output_blob,
       coalesce(json_agg(json_build_object('worker', a.worker, 'status', a.status, 'progress', a.progress,
           'digest', CASE WHEN $2 OR j.status NOT IN ('valid', 'error') THEN NULL ELSE a.digest END) ORDER BY a.created_at)
         FILTER (WHERE a.id IS NOT NULL AND NOT ($3 AND j.status NOT IN ('valid', 'error'))), '[]') AS replicas
     FROM jobs j LEFT JOIN assignments a ON a.job_id = j.id WHERE j.task_id = $1 GROUP BY j.id ORDER BY j.index`,
    [taskId, hideDigests, hideUndecided],
  )
}

/** Each job's output blob (or the error its workers agreed on), in job order. */
export async function jobOutputs(db: Queryable, taskId: string): Promise<JobOutput[]> {
  return db.query<JobOutput>('SELECT index, output_blob, canonical_error FROM jobs WHERE task_id = $1 ORDER BY index', [taskId])
}

/** How many slots of a task are open and not yet all taken. */
export async function freeSlots(db: Queryable, taskId: string): Promise<number> {
  const [row] = await db.query<{ free: number }>(`SELECT count(*)::int AS free FROM jobs WHERE task_id = $1 AND status = 'open' AND issued < wanted`, [taskId])
  return row.free
}

/** A task's job records in batches the chain confirmed, with their Merkle proofs, by job then worker. */
export async function jobRecords(db: Queryable, taskId: string): Promise<TaskRecords['records']> {
  return db.query<TaskRecords['records'][number]>(
    `SELECT r.batch_id, r.leaf, r.job_id, j.chain_job_id, r.worker, r.result_hash, r.verdict, r.proof, b.jobs_root, b.tx_hash, b.status AS batch_status
     FROM job_records r JOIN jobs j ON j.id = r.job_id JOIN chain_batches b ON b.batch_id = r.batch_id
     WHERE r.task_id = $1 AND b.status = 'confirmed' ORDER BY j.index, r.worker`,
    [taskId],
  )
}
