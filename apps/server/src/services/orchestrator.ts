import { randomUUID } from 'node:crypto'
import { type Lease, TaskMarketError, decideQuorum, errorDigest, judgeLateResult, resultSeal } from '@taskmarket/core'
import type { Database, Queryable } from '@taskmarket/db'
import type { Address, Hex } from 'viem'
import type { EventBus } from './events.ts'
import { moveTasks } from './taskStatus.ts'


export type SubmittedResult = {
  assignment_id: string
  /** sha256 of the output as 0x-hex (the output blob's hash), or null when the job failed on the worker. */
  digest: Hex | null
  seal?: Hex
  error?: string
  /** With a null digest: the executor's error code; replicas that agree on it decide the job (see errorDigest). */
  error_code?: string
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
  maxLeasesPerNode = 256,
  onTaskVerified,
  onTaskFailed,
  onTaskActivated,
}: {
  db: Database
  events: EventBus
  leaseSeconds: number
  /** Leases one node may hold at once. */
  maxLeasesPerNode?: number
  onTaskVerified(tx: Queryable, taskId: string): Promise<void>
  onTaskFailed(tx: Queryable, taskId: string, reason: string): Promise<void>
  /** Called in the same transaction once a task's escrow is locked (polls drawn at random invite people). */
  onTaskActivated?(tx: Queryable, taskId: string): Promise<void>
}) {
  /** Offers a task's jobs to workers once its escrow is locked on chain. */
  async function activate(tx: Queryable, taskId: string) {
    // A human task's job is one slot for one person, whatever its replication columns say.
    await tx.query(`UPDATE jobs SET status = 'open', wanted = CASE WHEN t.kind IN ('manual', 'poll') THEN 1 ELSE t.target_results END, updated_at = now()
      FROM tasks t WHERE jobs.task_id = t.id AND t.id = $1 AND jobs.status = 'waiting'`, [taskId])
    await onTaskActivated?.(tx, taskId)
  }

  /** Hands up to `max` jobs of the given kinds to `worker`, never two replicas of one job to one worker. */
  async function claim(worker: Address, { kinds, max, trustLevel = 0 }: { kinds: string[]; max: number; trustLevel?: number }): Promise<Lease[]> {
    const leases = await db.transaction(async (tx) => {
      const [{ held }] = (await tx.query<{ held: number }>(`SELECT count(*)::int AS held FROM assignments WHERE worker = $1 AND status = 'leased'`, [worker])) as [{ held: number }]
      if (held >= maxLeasesPerNode) {
        throw new TaskMarketError('RATE_LIMITED', `max: you hold ${held} leases, the most one node may hold; submit or release some first`, { field: 'max', details: { reason: `at most ${maxLeasesPerNode} leases per node` } })
      }
      max = Math.min(max, maxLeasesPerNode - held)
      const picked = await tx.query<{ id: string; task_id: string; kind: string; payload: unknown; chain_job_id: Hex; chain_task_id: Hex }>(
        // A task's lease_cap bounds what this node holds of it: tasks it is full on are skipped, and one
        // claim takes no more of a task than the room left.
        `WITH held AS (
           SELECT task_id, count(*)::int AS n FROM assignments WHERE worker = $1 AND status = 'leased' GROUP BY task_id),
         candidates AS (
           SELECT j.id, j.task_id, j.seq, t.lease_cap - coalesce(h.n, 0) AS room
           FROM jobs j JOIN tasks t ON t.id = j.task_id LEFT JOIN held h ON h.task_id = t.id
           WHERE j.status = 'open' AND j.issued < j.wanted AND t.kind = ANY($2::text[])
             AND t.deadline > now() AND t.min_trust_level <= $4 AND t.status IN ('pending', 'in_progress')
             AND coalesce(h.n, 0) < t.lease_cap
             AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.job_id = j.id AND a.worker = $1 AND a.status NOT IN ('expired', 'released', 'cancelled'))
             AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.poster = t.poster AND b.worker = $1)
           ORDER BY j.seq
           -- Lock no more rows than this node may take of one task: the rows of a task it cannot take must
           -- stay free for the other nodes claiming at the same moment.
           LIMIT least($3, (SELECT greatest(0, max(t2.lease_cap - coalesce(h2.n, 0))) FROM tasks t2 LEFT JOIN held h2 ON h2.task_id = t2.id
                            WHERE t2.kind = ANY($2::text[]) AND t2.status IN ('pending', 'in_progress')))
           FOR UPDATE OF j SKIP LOCKED),
         picked AS (
           SELECT id FROM (SELECT id, room, row_number() OVER (PARTITION BY task_id ORDER BY seq) AS n FROM candidates) c WHERE n <= room)
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
      const started = await moveTasks(tx, { ids: taskIds, to: 'in_progress', onlyFrom: ['pending'] })
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
    // progress is a real (float4) column: a value it cannot hold (1e-50 underflows) becomes the nearest one it can.
    const progress = items.map((i) => Math.fround(Math.max(0, Math.min(1, i.progress ?? 0))))
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

  /**
   * Records results; each is checked against its worker-bound seal and decided by quorum. Set-based: a
   * request costs about seven statements whatever its size, the jobs locked in id order so concurrent
   * requests cannot deadlock, and each task's counter updated once.
   */
  async function submit(worker: Address, results: SubmittedResult[]) {
    return db.transaction(async (tx) => {
      const rows = await tx.query<JobRow & { assignment_id: string; assignment_status: string; worker: string }>(
        `SELECT a.id AS assignment_id, a.status AS assignment_status, a.worker, j.id, j.task_id, j.status, j.issued, j.wanted, j.canonical_digest,
                j.chain_job_id, t.chain_task_id, t.min_quorum, t.target_results, t.max_error_results, t.max_total_results
         FROM assignments a JOIN jobs j ON j.id = a.job_id JOIN tasks t ON t.id = j.task_id
         WHERE a.id = ANY($1::uuid[]) ORDER BY j.id FOR UPDATE OF j`,
        [results.map((r) => r.assignment_id)],
      )
      const byId = new Map(rows.map((r) => [r.assignment_id, r]))
      const outcomes: { assignment_id: string; accepted: boolean; reason?: string }[] = []
      const recorded: { result: SubmittedResult; row: (typeof rows)[number] }[] = []
      for (const result of results) {
        const row = byId.get(result.assignment_id)
        if (!row || row.worker !== worker) throw new TaskMarketError('NOT_FOUND', `assignment ${result.assignment_id} is not yours`, { field: 'assignment_id' })
        if (row.assignment_status !== 'leased') {
          outcomes.push({ assignment_id: row.assignment_id, accepted: false, reason: `lease is ${row.assignment_status}` })
          continue
        }
        if (row.status !== 'open') {
          outcomes.push({ assignment_id: row.assignment_id, accepted: false, reason: row.status === 'valid' ? 'the job is already decided' : `the job is ${row.status}` })
          continue
        }
        if (result.digest === null && result.error_code) result.digest = errorDigest(result.error_code)
        else if (result.digest !== null) result.error_code = undefined
        if (result.digest !== null && !result.error_code && result.seal?.toLowerCase() !== resultSeal(worker, row.chain_task_id, row.chain_job_id, result.digest)) {
          throw new TaskMarketError('VALIDATION', 'seal: does not match H(worker, task, job, digest)', { field: 'seal', details: { reason: 'does not match H(worker, task, job, digest)' } })
        }
        row.assignment_status = 'submitted' // a second copy in the same request is refused above
        recorded.push({ result, row })
        outcomes.push({ assignment_id: row.assignment_id, accepted: true })
      }
      if (recorded.length === 0) return outcomes
      await tx.query(
        `UPDATE assignments a SET status = x.status, digest = x.digest, seal = x.seal, error = x.error, error_code = x.error_code,
           output_blob = CASE WHEN x.error_code IS NULL THEN substr(x.digest, 3) END, submitted_at = now(), progress = 1
         FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[]) AS x(id, status, digest, seal, error, error_code) WHERE a.id = x.id`,
        [recorded.map((x) => x.row.assignment_id), recorded.map((x) => (x.result.digest === null ? 'error' : 'submitted')), recorded.map((x) => x.result.digest),
          recorded.map((x) => x.result.seal ?? null), recorded.map((x) => x.result.error ?? null), recorded.map((x) => x.result.error_code ?? null)],
      )
      // No digest before the job is decided: a copier must not learn an honest worker's answer.
      for (const { row } of recorded) events.publish(`task:${row.task_id}`, { type: 'TASK_RESPONSE', taskId: row.task_id, jobId: row.id, worker })
      const open = [...new Map(recorded.map((x) => [x.row.id, x.row])).values()]
      if (open.length) await decide(tx, open)
      return outcomes
    })
  }

  /** Decides the quorum of every given job at once, and verifies the tasks whose last job it settles. */
  async function decide(tx: Queryable, jobs: JobRow[]) {
    const replicas = await tx.query<{ job_id: string; worker: string; status: string; digest: string | null }>(
      `SELECT job_id, worker, status, digest FROM assignments WHERE job_id = ANY($1::uuid[]) AND status IN ('leased', 'submitted', 'error')`,
      [jobs.map((j) => j.id)],
    )
    const ofJob = groupBy(replicas, (r) => r.job_id)
    const pending: { id: string; issue: number }[] = []
    const valid: { job: JobRow; digest: string; decision: { valid: string[]; invalid: string[] } }[] = []
    const failedTasks = new Set<string>()
    for (const job of jobs) {
      const mine = ofJob.get(job.id) ?? []
      const submitted = mine.filter((r) => r.status !== 'leased').map((r) => ({ worker: r.worker, digest: r.digest }))
      const decision = decideQuorum(
        { minQuorum: job.min_quorum, targetResults: job.target_results, maxErrorResults: job.max_error_results, maxTotalResults: job.max_total_results },
        submitted,
        mine.length - submitted.length,
      )
      if (decision.state === 'pending') pending.push({ id: job.id, issue: decision.issue })
      else if (decision.state === 'valid') valid.push({ job, digest: decision.digest, decision })
      else if (!failedTasks.has(job.task_id)) {
        failedTasks.add(job.task_id)
        await tx.query(`UPDATE jobs SET status = 'error', updated_at = now() WHERE id = $1`, [job.id])
        await onTaskFailed(tx, job.task_id, `job ${job.id} failed: ${decision.reason.replace('_', ' ')}`)
      }
    }
    if (pending.length) {
      await tx.query(`UPDATE jobs SET wanted = issued + x.issue, updated_at = now() FROM unnest($1::uuid[], $2::int[]) AS x(id, issue) WHERE jobs.id = x.id`, [pending.map((p) => p.id), pending.map((p) => p.issue)])
    }
    if (valid.length === 0) return
    const ids = valid.map((v) => v.job.id)
    const digests = valid.map((v) => v.digest)
    // Every result in is judged against its job's canonical digest by core's rule.
    const canonical = new Map(valid.map((v) => [v.job.id, v.digest]))
    const judged = await tx.query<{ id: string; job_id: string; digest: string | null }>(
      `SELECT id, job_id, digest FROM assignments WHERE job_id = ANY($1::uuid[]) AND status IN ('submitted', 'error')`,
      [ids],
    )
    await tx.query(
      `UPDATE assignments a SET status = x.status FROM unnest($1::uuid[], $2::text[]) AS x(id, status) WHERE a.id = x.id`,
      [judged.map((j) => j.id), judged.map((j) => judgeLateResult(canonical.get(j.job_id)!, j.digest))],
    )
    // Replicas still running are not needed, and once the digest is public they could only copy it.
    await tx.query(`UPDATE assignments SET status = 'cancelled' WHERE job_id = ANY($1::uuid[]) AND status = 'leased'`, [ids])
    const errors = await tx.query<{ job_id: string; error_code: string }>(
      `SELECT DISTINCT ON (a.job_id) a.job_id, a.error_code FROM assignments a JOIN unnest($1::uuid[], $2::text[]) AS x(job_id, digest) ON a.job_id = x.job_id AND a.digest = x.digest
       WHERE a.error_code IS NOT NULL`,
      [ids, digests],
    )
    const errorOf = new Map(errors.map((e) => [e.job_id, e.error_code]))
    await tx.query(
      `UPDATE jobs SET status = 'valid', canonical_digest = x.digest, canonical_error = x.error_code,
         output_blob = CASE WHEN x.error_code IS NULL THEN substr(x.digest, 3) END, updated_at = now()
       FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, digest, error_code) WHERE jobs.id = x.id`,
      [ids, digests, ids.map((id) => errorOf.get(id) ?? null)],
    )
    for (const { job, digest, decision } of valid) {
      events.publish(`task:${job.task_id}`, { type: 'TASK_VALIDATE', taskId: job.task_id, jobId: job.id, digest, valid: decision.valid, invalid: decision.invalid })
    }
    const perTask = [...groupBy(valid, (v) => v.job.task_id)].map(([taskId, list]) => ({ taskId, n: list.length }))
    const tasks = await tx.query<{ id: string; jobs_done: number; jobs_total: number; status: string }>(
      `UPDATE tasks SET jobs_done = jobs_done + x.n, updated_at = now() FROM unnest($1::uuid[], $2::int[]) AS x(id, n)
       WHERE tasks.id = x.id RETURNING tasks.id, tasks.jobs_done, tasks.jobs_total, tasks.status`,
      [perTask.map((t) => t.taskId), perTask.map((t) => t.n)],
    )
    for (const task of tasks) {
      events.publish(`task:${task.id}`, { type: 'TASK_PROGRESS', taskId: task.id, status: task.status, jobsDone: task.jobs_done, jobsTotal: task.jobs_total })
      if (task.jobs_done !== task.jobs_total || task.status === 'failed') continue
      // Replicas still running are not needed any more.
      await tx.query(`UPDATE assignments SET status = 'cancelled' WHERE task_id = $1 AND status = 'leased'`, [task.id])
      await moveTasks(tx, { ids: [task.id], to: 'verifying' })
      await onTaskVerified(tx, task.id)
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

/** Map.groupBy, which Node 20 lacks. */
function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>()
  for (const item of items) {
    const k = key(item)
    const group = groups.get(k)
    if (group) group.push(item)
    else groups.set(k, [item])
  }
  return groups
}
