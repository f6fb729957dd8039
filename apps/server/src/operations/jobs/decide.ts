import { ADAPTIVE_REPLICATION, type AdaptiveParams, type JobPlan, type QuorumParams, decidePlannedJob, isSuspect, judgeLateResult, reputationBps } from '@taskmarket/core'
import type { Hex } from 'viem'
import { failTask } from '../tasks/fail.ts'
import { type Finalize, settleTask } from '../tasks/settle.ts'
import { moveAssignments, moveJobs, moveTasks } from '../status.ts'
import type { Tx } from '../tx.ts'
import { reputationCounters } from '../../repositories/nodes.ts'
import { adaptRuns, lockRuns } from '../../repositories/runs.ts'
import { penalizeLeases } from './penalize.ts'

/** A job with the replication terms of its task, as the decision reads it. */
export type DecidedJob = {
  id: string
  task_id: string
  status: string
  kind: string
  /** How its first lease planned it (claim.ts); null for a job not leased yet or not planned (decided as posted). */
  plan: JobPlan | null
  chain_job_id: Hex
  chain_task_id: Hex
  min_quorum: number
  target_results: number
  max_error_results: number
  max_total_results: number
}

export type DecideJobsParameters = { jobs: DecidedJob[]; finalize: Finalize; adaptive?: AdaptiveParams }

/**
 * Decides every given job at once by its plan (core's decidePlannedJob), judges every result in against the
 * canonical digest (core's `judgeLateResult`), and queues the settlement of each task whose last job it
 * decides; a job that cannot reach quorum fails its task.
 *
 * A job planned as posted (a task of one result, a market too thin to anchor the full rules) is decided at its
 * task's quorum as soon as it is met. Every other job is decided at the quorum core's suspicionQuorum gives
 * it, once the replicas it issued are all in: a dissent or a suspect's result (a reputation below neutral)
 * raises it, so that two colluders who answer first do not decide a job an honest replica would contradict.
 * Valid results extend their nodes' runs when their job took more than one result.
 */
export async function decideJobs(tx: Tx, { jobs, finalize, adaptive = ADAPTIVE_REPLICATION }: DecideJobsParameters): Promise<void> {
  const replicas = await tx.query<{ job_id: string; worker: string; status: string; digest: string | null }>(
    `SELECT job_id, worker, status, digest FROM assignments WHERE job_id = ANY($1::uuid[]) AND status IN ('leased', 'submitted', 'error')`,
    [jobs.map((j) => j.id)],
  )
  const ofJob = groupBy(replicas, (r) => r.job_id)
  const suspects = await suspectsAmong(tx, replicas.filter((r) => r.status !== 'leased' && planOf(jobs, r.job_id) !== 'posted').map((r) => r.worker), adaptive)
  const replicatedJobs = new Set<string>()
  const pending: { id: string; issue: number }[] = []
  const decided: { job: DecidedJob; digest: string; decision: { valid: string[]; invalid: string[] } }[] = []
  const failedTasks = new Set<string>()
  for (const job of jobs) {
    const mine = ofJob.get(job.id) ?? []
    const submitted = mine.filter((r) => r.status !== 'leased').map((r) => ({ worker: r.worker, digest: r.digest }))
    const replicated: QuorumParams = { minQuorum: job.min_quorum, targetResults: job.target_results, maxErrorResults: job.max_error_results, maxTotalResults: job.max_total_results }
    // A lapsed lease sent a lone or checked job back replicated (release.ts's returnToPool), so none has lapsed here.
    const { quorum, decision } = decidePlannedJob(job.plan ?? 'posted', replicated, submitted, { suspects, lapsed: 0 }, mine.length - submitted.length)
    if (quorum.minQuorum > 1) replicatedJobs.add(job.id)
    if (decision.state === 'pending') pending.push({ id: job.id, issue: decision.issue })
    else if (decision.state === 'valid') decided.push({ job, digest: decision.digest, decision })
    else if (!failedTasks.has(job.task_id)) {
      failedTasks.add(job.task_id)
      await moveJobs(tx, { ids: [job.id], from: ['open'], to: 'error' })
      await failTask(tx, { taskId: job.task_id, reason: `job ${job.id} failed: ${decision.reason.replaceAll('_', ' ')}` })
    }
  }
  if (pending.length) {
    await tx.query(`UPDATE jobs SET wanted = issued + x.issue, updated_at = now() FROM unnest($1::uuid[], $2::int[]) AS x(id, issue) WHERE jobs.id = x.id`, [pending.map((p) => p.id), pending.map((p) => p.issue)])
  }
  // A job decided in the same pass as another job that failed its task is not decided: the task is over.
  const valid = decided.filter((v) => !failedTasks.has(v.job.task_id))
  if (valid.length === 0) return
  const ids = valid.map((v) => v.job.id)
  const digests = valid.map((v) => v.digest)
  const canonical = new Map(valid.map((v) => [v.job.id, v.digest]))
  const judged = await tx.query<{ id: string; job_id: string; worker: string; digest: string | null }>(
    `SELECT id, job_id, worker, digest FROM assignments WHERE job_id = ANY($1::uuid[]) AND status IN ('submitted', 'error')`,
    [ids],
  )
  const kindOf = new Map(valid.map((v) => [v.job.id, v.job.kind]))
  // Every run this decision moves, locked at once in order (penalize resets the outvoted, then the valid extend).
  await lockRuns(tx, judged.map((j) => ({ worker: j.worker, kind: kindOf.get(j.job_id)! })))
  for (const verdict of ['valid', 'invalid'] as const) {
    const mine = judged.filter((j) => judgeLateResult(canonical.get(j.job_id)!, j.digest) === verdict).map((j) => j.id)
    if (mine.length) await moveAssignments(tx, { ids: mine, from: ['submitted', 'error'], to: verdict })
    // An outvoted result costs what a timed-out lease does.
    if (verdict === 'invalid') await penalizeLeases(tx, { assignmentIds: mine, reason: 'WrongResult' })
  }
  await adaptRuns(tx, judged.filter((j) => judgeLateResult(canonical.get(j.job_id)!, j.digest) === 'valid')
    .map((j) => ({ worker: j.worker, kind: kindOf.get(j.job_id)!, outcome: 'valid' as const, replicated: replicatedJobs.has(j.job_id) })))
  // Replicas still running are not needed, and once the digest is public they could only copy it.
  await moveAssignments(tx, { jobIds: ids, from: ['leased'], to: 'cancelled' })
  const errors = await tx.query<{ job_id: string; error_code: string }>(
    `SELECT DISTINCT ON (a.job_id) a.job_id, a.error_code FROM assignments a JOIN unnest($1::uuid[], $2::text[]) AS x(job_id, digest) ON a.job_id = x.job_id AND a.digest = x.digest
     WHERE a.error_code IS NOT NULL`,
    [ids, digests],
  )
  const errorOf = new Map(errors.map((e) => [e.job_id, e.error_code]))
  await moveJobs(tx, { ids, from: ['open'], to: 'valid' })
  await tx.query(
    `UPDATE jobs SET canonical_digest = x.digest, canonical_error = x.error_code, output_blob = CASE WHEN x.error_code IS NULL THEN substr(x.digest, 3) END
     FROM unnest($1::uuid[], $2::text[], $3::text[]) AS x(id, digest, error_code) WHERE jobs.id = x.id`,
    [ids, digests, ids.map((id) => errorOf.get(id) ?? null)],
  )
  for (const { job, digest, decision } of valid) {
    tx.publish(`task:${job.task_id}`, { type: 'TASK_VALIDATE', taskId: job.task_id, jobId: job.id, digest, valid: decision.valid, invalid: decision.invalid })
  }
  const perTask = [...groupBy(valid, (v) => v.job.task_id)].map(([taskId, list]) => ({ taskId, n: list.length }))
  const tasks = await tx.query<{ id: string; jobs_done: number; jobs_total: number; status: string }>(
    `UPDATE tasks SET jobs_done = jobs_done + x.n, updated_at = now() FROM unnest($1::uuid[], $2::int[]) AS x(id, n)
     WHERE tasks.id = x.id RETURNING tasks.id, tasks.jobs_done, tasks.jobs_total, tasks.status`,
    [perTask.map((t) => t.taskId), perTask.map((t) => t.n)],
  )
  for (const task of tasks) {
    tx.publish(`task:${task.id}`, { type: 'TASK_PROGRESS', taskId: task.id, status: task.status, jobsDone: task.jobs_done, jobsTotal: task.jobs_total })
    if (task.jobs_done !== task.jobs_total || task.status === 'failed') continue
    await moveAssignments(tx, { taskIds: [task.id], from: ['leased'], to: 'cancelled' })
    await moveTasks(tx, { ids: [task.id], to: 'verifying' })
    await settleTask(tx, { taskId: task.id, finalize })
  }
}

const planOf = (jobs: readonly DecidedJob[], id: string): JobPlan => jobs.find((j) => j.id === id)?.plan ?? 'posted'

/** Of the workers of results on adaptive jobs, those whose reputation makes a result suspicious (core's isSuspect). */
async function suspectsAmong(tx: Tx, workers: string[], adaptive: AdaptiveParams): Promise<string[]> {
  if (workers.length === 0) return []
  const counters = await reputationCounters(tx, [...new Set(workers)])
  return [...counters].flatMap(([worker, c]) => (isSuspect(reputationBps(c), adaptive) ? [worker] : []))
}

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
