import { randomUUID } from 'node:crypto'
import { type Lease, TaskMarketError, decideQuorum, resultSeal } from '@taskmarket/core'
import type { Database, Queryable } from '@taskmarket/db'
import type { Address, Hex } from 'viem'
import type { EventBus } from './events.ts'


export type SubmittedResult = {
  assignment_id: string
  /** sha256 of the output as 0x-hex (the output blob's hash), or null when the job failed on the worker. */
  digest: Hex | null
  seal?: Hex
  error?: string
}

type JobRow = {
  id: string
  task_id: string
  status: string
  issued: number
  wanted: number
  canonical_digest: string | null
  chain_job_id: Hex
  chain_task_id: Hex
  min_quorum: number
  target_results: number
  max_error_results: number
  max_total_results: number
}

/**
 * Leases, quorum and the life of jobs. A lease is an assignment with a visibility timeout: it expires
 * unless renewed by heartbeats, and its job goes back to the pool. All state is in the database, claimed
 * with `FOR UPDATE SKIP LOCKED`, so several servers can share one PostgreSQL.
 */
export function createOrchestrator({
  db,
  events,
  leaseSeconds,
  onTaskVerified,
  onTaskFailed,
  onTaskActivated,
}: {
  db: Database
  events: EventBus
  leaseSeconds: number
  onTaskVerified(tx: Queryable, taskId: string): Promise<void>
  onTaskFailed(tx: Queryable, taskId: string, reason: string): Promise<void>
  /** Called in the same transaction once a task's escrow is locked (polls drawn at random invite people). */
  onTaskActivated?(tx: Queryable, taskId: string): Promise<void>
}) {
  /** Offers a task's jobs to workers once its escrow is locked on chain. */
  async function activate(tx: Queryable, taskId: string) {
    await tx.query(`UPDATE jobs SET status = 'open', wanted = t.target_results, updated_at = now()
      FROM tasks t WHERE jobs.task_id = t.id AND t.id = $1 AND jobs.status = 'waiting'`, [taskId])
    await onTaskActivated?.(tx, taskId)
  }

  /** Hands up to `max` jobs of the given kinds to `worker`, never two replicas of one job to one worker. */
  async function claim(worker: Address, { kinds, max, trustLevel = 0 }: { kinds: string[]; max: number; trustLevel?: number }): Promise<Lease[]> {
    const leases = await db.transaction(async (tx) => {
      const picked = await tx.query<{ id: string; task_id: string; kind: string; payload: unknown; chain_job_id: Hex; chain_task_id: Hex }>(
        `WITH picked AS (
           SELECT j.id FROM jobs j JOIN tasks t ON t.id = j.task_id
           WHERE j.status = 'open' AND j.issued < j.wanted AND t.kind = ANY($2::text[])
             AND t.deadline > now() AND t.min_trust_level <= $4 AND t.status IN ('pending', 'in_progress')
             AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.job_id = j.id AND a.worker = $1 AND a.status NOT IN ('expired', 'released', 'cancelled'))
             AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.poster = t.poster AND b.worker = $1)
           ORDER BY j.seq
           LIMIT $3
           FOR UPDATE OF j SKIP LOCKED)
         UPDATE jobs SET issued = jobs.issued + 1, updated_at = now()
         FROM picked, tasks t WHERE jobs.id = picked.id AND t.id = jobs.task_id
         RETURNING jobs.id, jobs.task_id, t.kind, jobs.payload, jobs.chain_job_id, t.chain_task_id`,
        [worker, kinds, max, trustLevel],
      )
      if (picked.length === 0) return []
      const ids = picked.map(() => randomUUID())
      const rows = await tx.query<{ id: string; lease_expires_at: Date }>(
        `INSERT INTO assignments (id, job_id, task_id, worker, status, lease_expires_at)
         SELECT id, job_id, task_id, $4, 'leased', now() + make_interval(secs => $5)
         FROM unnest($1::uuid[], $2::uuid[], $3::uuid[]) AS x(id, job_id, task_id)
         RETURNING id, lease_expires_at`,
        [ids, picked.map((p) => p.id), picked.map((p) => p.task_id), worker, leaseSeconds],
      )
      const taskIds = [...new Set(picked.map((p) => p.task_id))]
      const started = await tx.query<{ id: string }>(
        `UPDATE tasks SET status = 'in_progress', updated_at = now() WHERE id = ANY($1::uuid[]) AND status = 'pending' RETURNING id`,
        [taskIds],
      )
      for (const { id } of started) events.publish(`task:${id}`, { type: 'TASK_PROGRESS', taskId: id, status: 'in_progress', jobsDone: 0, jobsTotal: 0 })
      return picked.map((p, i): Lease => ({
        assignment_id: ids[i]!,
        task_id: p.task_id,
        job_id: p.id,
        chain_task_id: p.chain_task_id,
        chain_job_id: p.chain_job_id,
        kind: p.kind,
        payload: p.payload,
        lease_expires_at: Math.floor(new Date(rows[i]!.lease_expires_at).getTime() / 1000),
      }))
    })
    return leases
  }

  /** Renews `worker`'s leases and records progress; answers which of the given leases are no longer held. */
  async function heartbeat(worker: Address, items: { assignment_id: string; progress?: number }[]) {
    const ids = items.map((i) => i.assignment_id)
    const progress = items.map((i) => Math.max(0, Math.min(1, i.progress ?? 0)))
    const renewed = await db.query<{ id: string; task_id: string }>(
      `UPDATE assignments a SET lease_expires_at = now() + make_interval(secs => $3), progress = x.progress
       FROM unnest($2::uuid[], $4::real[]) AS x(id, progress)
       WHERE a.id = x.id AND a.worker = $1 AND a.status = 'leased'
       RETURNING a.id, a.task_id`,
      [worker, ids, leaseSeconds, progress],
    )
    const held = new Set(renewed.map((r) => r.id))
    return { renewed: [...held], lost: ids.filter((id) => !held.has(id)), lease_seconds: leaseSeconds }
  }

  /** Gives leases back before they expire (a worker stopping), so their jobs are reissued at once. */
  async function release(worker: Address, assignmentIds: string[]) {
    await db.transaction(async (tx) => {
      const released = await tx.query<{ job_id: string }>(
        `UPDATE assignments SET status = 'released' WHERE id = ANY($2::uuid[]) AND worker = $1 AND status = 'leased' RETURNING job_id`,
        [worker, assignmentIds],
      )
      await returnToPool(tx, released.map((r) => r.job_id))
    })
  }

  async function returnToPool(tx: Queryable, jobIds: string[]) {
    if (jobIds.length === 0) return
    await tx.query(
      `UPDATE jobs SET issued = jobs.issued - x.n, updated_at = now()
       FROM (SELECT job_id, count(*)::int AS n FROM unnest($1::uuid[]) AS job_id GROUP BY job_id) x
       WHERE jobs.id = x.job_id`,
      [jobIds],
    )
  }

  /** Records results; each is checked against its worker-bound seal and decided by quorum. */
  async function submit(worker: Address, results: SubmittedResult[]) {
    // One transaction per request; jobs are locked in id order so concurrent requests cannot deadlock.
    return db.transaction(async (tx) => {
      const rows = await tx.query<{ id: string; job_id: string }>('SELECT id, job_id FROM assignments WHERE id = ANY($1::uuid[])', [results.map((r) => r.assignment_id)])
      const jobOf = new Map(rows.map((r) => [r.id, r.job_id]))
      const order = results.map((r, i) => ({ r, i })).sort((a, b) => (jobOf.get(a.r.assignment_id) ?? '').localeCompare(jobOf.get(b.r.assignment_id) ?? ''))
      const outcomes: { assignment_id: string; accepted: boolean; reason?: string }[] = new Array(results.length)
      for (const { r, i } of order) outcomes[i] = await submitOne(tx, worker, r)
      return outcomes
    })
  }

  async function submitOne(tx: Queryable, worker: Address, result: SubmittedResult) {
    const [assignment] = await tx.query<{ id: string; job_id: string; status: string; worker: string }>(
      'SELECT id, job_id, status, worker FROM assignments WHERE id = $1',
      [result.assignment_id],
    )
    if (!assignment || assignment.worker !== worker) {
      throw new TaskMarketError('NOT_FOUND', `assignment ${result.assignment_id} is not yours`, { field: 'assignment_id' })
    }
    const [job] = await tx.query<JobRow>(
      `SELECT j.id, j.task_id, j.status, j.issued, j.wanted, j.canonical_digest, j.chain_job_id, t.chain_task_id,
              t.min_quorum, t.target_results, t.max_error_results, t.max_total_results
       FROM jobs j JOIN tasks t ON t.id = j.task_id WHERE j.id = $1 FOR UPDATE OF j`,
      [assignment.job_id],
    )
    if (!job) throw new TaskMarketError('NOT_FOUND', 'job not found')
    if (assignment.status !== 'leased') {
      return { assignment_id: assignment.id, accepted: false, reason: `lease is ${assignment.status}` }
    }
    if (result.digest !== null) {
      const expected = resultSeal(worker, job.chain_task_id, job.chain_job_id, result.digest)
      if (result.seal?.toLowerCase() !== expected) {
        throw new TaskMarketError('VALIDATION', 'seal: does not match H(worker, task, job, digest)', { field: 'seal', details: { reason: 'does not match H(worker, task, job, digest)' } })
      }
    }
    await tx.query(
      `UPDATE assignments SET status = $2, digest = $3, seal = $4, error = $5, output_blob = $6, submitted_at = now(), progress = 1 WHERE id = $1`,
      [assignment.id, result.digest === null ? 'error' : 'submitted', result.digest, result.seal ?? null, result.error ?? null, result.digest?.slice(2) ?? null],
    )
    events.publish(`task:${job.task_id}`, { type: 'TASK_RESPONSE', taskId: job.task_id, jobId: job.id, worker, digest: result.digest })

    if (job.status === 'valid') {
      // A late replica: judged against the canonical result, paid if it agrees and the task is not settled yet.
      await tx.query(`UPDATE assignments SET status = $2 WHERE id = $1`, [assignment.id, result.digest === job.canonical_digest ? 'valid' : 'invalid'])
      return { assignment_id: assignment.id, accepted: true }
    }
    if (job.status !== 'open') return { assignment_id: assignment.id, accepted: true }
    await decide(tx, job)
    return { assignment_id: assignment.id, accepted: true }
  }

  async function decide(tx: Queryable, job: JobRow) {
    const replicas = await tx.query<{ id: string; worker: string; status: string; digest: string | null }>(
      `SELECT id, worker, status, digest FROM assignments WHERE job_id = $1 AND status IN ('leased', 'submitted', 'error')`,
      [job.id],
    )
    const results = replicas.filter((r) => r.status !== 'leased').map((r) => ({ worker: r.worker, digest: r.digest }))
    const outstanding = replicas.length - results.length
    const decision = decideQuorum(
      { minQuorum: job.min_quorum, targetResults: job.target_results, maxErrorResults: job.max_error_results, maxTotalResults: job.max_total_results },
      results,
      outstanding,
    )
    if (decision.state === 'pending') {
      await tx.query('UPDATE jobs SET wanted = issued + $2, updated_at = now() WHERE id = $1', [job.id, decision.issue])
      return
    }
    if (decision.state === 'error') {
      await tx.query(`UPDATE jobs SET status = 'error', updated_at = now() WHERE id = $1`, [job.id])
      await onTaskFailed(tx, job.task_id, `job ${job.id} failed: ${decision.reason.replace('_', ' ')}`)
      return
    }
    await tx.query(
      `UPDATE assignments SET status = CASE WHEN digest = $2 THEN 'valid' ELSE 'invalid' END
       WHERE job_id = $1 AND status IN ('submitted', 'error')`,
      [job.id, decision.digest],
    )
    await tx.query(`UPDATE jobs SET status = 'valid', canonical_digest = $2, output_blob = $3, updated_at = now() WHERE id = $1`, [
      job.id,
      decision.digest,
      decision.digest.slice(2),
    ])
    events.publish(`task:${job.task_id}`, { type: 'TASK_VALIDATE', taskId: job.task_id, jobId: job.id, digest: decision.digest, valid: decision.valid, invalid: decision.invalid })
    const [task] = await tx.query<{ jobs_done: number; jobs_total: number; status: string }>(
      `UPDATE tasks SET jobs_done = jobs_done + 1, updated_at = now() WHERE id = $1 RETURNING jobs_done, jobs_total, status`,
      [job.task_id],
    )
    events.publish(`task:${job.task_id}`, { type: 'TASK_PROGRESS', taskId: job.task_id, status: task!.status, jobsDone: task!.jobs_done, jobsTotal: task!.jobs_total })
    if (task!.jobs_done === task!.jobs_total) {
      // Replicas still running are not needed any more.
      await tx.query(`UPDATE assignments SET status = 'cancelled' WHERE task_id = $1 AND status = 'leased'`, [job.task_id])
      await tx.query(`UPDATE tasks SET status = 'verifying', updated_at = now() WHERE id = $1`, [job.task_id])
      await onTaskVerified(tx, job.task_id)
    }
  }

  /** Expires lapsed leases (their jobs go back to the pool) and fails tasks past their deadline. */
  async function reap() {
    const expired = await db.transaction(async (tx) => {
      const rows = await tx.query<{ job_id: string }>(
        `UPDATE assignments SET status = 'expired' WHERE id IN (
           SELECT id FROM assignments WHERE status = 'leased' AND lease_expires_at < now() LIMIT 1000 FOR UPDATE SKIP LOCKED)
         RETURNING job_id`,
      )
      await returnToPool(tx, rows.map((r) => r.job_id))
      return rows.length
    })
    const late = await db.query<{ id: string }>(
      // Human work ends its own way (reviews and votes outlive the lifetime): see manualWork and polls.
      `SELECT id FROM tasks WHERE status IN ('pending', 'in_progress') AND escrow_state = 'locked' AND deadline < now() AND kind NOT IN ('manual', 'poll') LIMIT 100`,
    )
    for (const { id } of late) {
      await db.transaction(async (tx) => {
        const [row] = await tx.query(`SELECT id FROM tasks WHERE id = $1 AND status IN ('pending', 'in_progress') FOR UPDATE`, [id])
        if (row) await onTaskFailed(tx, id, 'deadline passed before every job reached quorum')
      })
    }
    return { expired, failed: late.length }
  }

  return { activate, claim, heartbeat, release, submit, reap }
}

export type Orchestrator = ReturnType<typeof createOrchestrator>
