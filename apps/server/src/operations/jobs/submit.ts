import { type AdaptiveParams, TaskMarketError, errorDigest, humanKinds, resultSeal } from '@taskmarket/core'
import type { Address, Hex } from 'viem'
import type { Finalize } from '../tasks/settle.ts'
import { moveAssignments } from '../status.ts'
import type { Tx } from '../tx.ts'
import { type DecidedJob, decideJobs } from './decide.ts'

export type SubmittedResult = {
  assignment_id: string
  /** sha256 of the output as 0x-hex (the output blob's hash), or null when the job failed on the worker. */
  digest: Hex | null
  seal?: Hex
  error?: string
  /** With a null digest: the executor's error code; replicas that agree on it decide the job (see errorDigest). */
  error_code?: string
}

export type SubmitResultsParameters = { worker: Address; results: SubmittedResult[]; finalize: Finalize; adaptive?: AdaptiveParams }

export type SubmitOutcome = { assignment_id: string; accepted: boolean; reason?: string }

/**
 * Records results; each is checked against its worker-bound seal and decided by quorum. Set-based: a
 * request costs a handful of statements whatever its size, the jobs locked in id order so concurrent
 * requests cannot deadlock.
 */
export async function submitResults(tx: Tx, { worker, results: sent, finalize, adaptive }: SubmitResultsParameters): Promise<SubmitOutcome[]> {
  // Copies: an error result is given its digest below, and a transaction retried after a deadlock must see
  // the results as the worker sent them.
  const results = sent.map((r) => ({ ...r }))
  const rows = await tx.query<DecidedJob & { assignment_id: string; assignment_status: string; worker: string }>(
    `SELECT a.id AS assignment_id, a.status AS assignment_status, a.worker, j.id, j.task_id, j.status, j.plan, t.kind,
            j.chain_job_id, t.chain_task_id, t.min_quorum, t.target_results, t.max_error_results, t.max_total_results
     FROM assignments a JOIN jobs j ON j.id = a.job_id JOIN tasks t ON t.id = j.task_id
     WHERE a.id = ANY($1::uuid[]) AND t.kind <> ALL($2::text[]) ORDER BY j.id FOR UPDATE OF j`,
    // Human work is reviewed by its poster (operations/manual), never decided by quorum from a node's result.
    [results.map((r) => r.assignment_id), humanKinds],
  )
  const byId = new Map(rows.map((r) => [r.assignment_id, r]))
  const outcomes: SubmitOutcome[] = []
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
  const ids = (failed: boolean) => recorded.filter((x) => (x.result.digest === null) === failed).map((x) => x.row.assignment_id)
  await moveAssignments(tx, { ids: ids(false), from: ['leased'], to: 'submitted' })
  await moveAssignments(tx, { ids: ids(true), from: ['leased'], to: 'error' })
  await tx.query(
    `UPDATE assignments a SET digest = x.digest, seal = x.seal, error = x.error, error_code = x.error_code,
       output_blob = CASE WHEN x.error_code IS NULL THEN substr(x.digest, 3) END, submitted_at = $6, progress = 1
     FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::text[]) AS x(id, digest, seal, error, error_code) WHERE a.id = x.id`,
    [recorded.map((x) => x.row.assignment_id), recorded.map((x) => x.result.digest), recorded.map((x) => x.result.seal ?? null),
      recorded.map((x) => x.result.error ?? null), recorded.map((x) => x.result.error_code ?? null), tx.now],
  )
  // Nothing but that a result came in: no digest (a copier must not learn an honest worker's answer), and
  // neither job nor worker (a node holding a job must not learn whether others hold it too, and so whether
  // it went alone).
  for (const { row } of recorded) tx.publish(`task:${row.task_id}`, { type: 'TASK_RESPONSE', taskId: row.task_id })
  await decideJobs(tx, { jobs: [...new Map(recorded.map((x) => [x.row.id, x.row])).values()], finalize, adaptive })
  return outcomes
}
