/**
 * BOINC-style replication parameters of a job: `minQuorum` agreeing results are needed, `targetResults`
 * replicas are issued at first, a job fails after `maxErrorResults` errors or `maxTotalResults` results
 * without agreement.
 */
export type QuorumParams = {
  minQuorum: number
  targetResults: number
  maxErrorResults: number
  maxTotalResults: number
}

/** Replication as a poster may ask for it (the API's snake_case fields, each optional). */
export type ReplicationRequest = { min_quorum?: number; target_results?: number; max_error_results?: number; max_total_results?: number }

/**
 * A task's replication: what the poster asked, the rest by default. Compute work is issued to 3 replicas and
 * needs 2 that agree; a human task is one person per slot. Check the result with `checkQuorumParams`.
 * @example replicationFor(true, {}) // { minQuorum: 2, targetResults: 3, maxErrorResults: 3, maxTotalResults: 6 }
 */
export function replicationFor(compute: boolean, r: ReplicationRequest = {}): QuorumParams {
  const target = r.target_results ?? (compute ? 3 : 1)
  return {
    minQuorum: r.min_quorum ?? Math.min(2, target),
    targetResults: target,
    maxErrorResults: r.max_error_results ?? 3,
    maxTotalResults: r.max_total_results ?? Math.max(target * 2, target + 2),
  }
}

/** A replica's outcome: a digest, or null when the worker reported an error. */
export type ReplicaResult = { worker: string; digest: string | null }

export type QuorumDecision =
  | { state: 'valid'; digest: string; valid: string[]; invalid: string[] }
  | { state: 'error'; reason: 'too_many_errors' | 'no_consensus' }
  | { state: 'pending'; issue: number }

/**
 * Decides a job from its results so far and the replicas still running (`outstanding`): valid when a
 * digest has at least `minQuorum` votes and a strict majority of the successful results; otherwise how
 * many more replicas to issue.
 * @example decideQuorum(params, [{worker:'a',digest:'x'},{worker:'b',digest:'x'}], 1) // valid 'x'
 */
export function decideQuorum(params: QuorumParams, results: readonly ReplicaResult[], outstanding: number): QuorumDecision {
  const counts = new Map<string, number>()
  let errors = 0
  for (const r of results) {
    if (r.digest === null) errors++
    else counts.set(r.digest, (counts.get(r.digest) ?? 0) + 1)
  }
  const successful = results.length - errors
  let best: string | undefined
  let bestVotes = 0
  for (const [digest, votes] of counts) {
    if (votes > bestVotes) [best, bestVotes] = [digest, votes]
  }
  if (best !== undefined && bestVotes >= params.minQuorum && bestVotes * 2 > successful) {
    return {
      state: 'valid',
      digest: best,
      valid: results.filter((r) => r.digest === best).map((r) => r.worker),
      invalid: results.filter((r) => r.digest !== best).map((r) => r.worker),
    }
  }
  if (errors >= params.maxErrorResults) return { state: 'error', reason: 'too_many_errors' }
  if (results.length >= params.maxTotalResults) return { state: 'error', reason: 'no_consensus' }
  // Disagreement among enough results: one more replica at a time breaks the tie.
  const target =
    successful >= params.minQuorum ? successful + Math.max(1, params.minQuorum - bestVotes) : params.targetResults
  const room = params.maxTotalResults - results.length - outstanding
  return { state: 'pending', issue: Math.max(0, Math.min(room, target - successful - outstanding)) }
}

/** Judges a replica's result against its job's canonical digest: when the job is decided, and for any result after. */
export function judgeLateResult(canonical: string, digest: string | null): 'valid' | 'invalid' {
  return digest === canonical ? 'valid' : 'invalid'
}

/** Checks that quorum parameters make sense together; returns the name of the offending field or undefined. */
export function checkQuorumParams(p: QuorumParams): { field: keyof QuorumParams; reason: string } | undefined {
  if (p.minQuorum < 1) return { field: 'minQuorum', reason: 'must be at least 1' }
  if (p.targetResults < p.minQuorum) return { field: 'targetResults', reason: 'must be at least min_quorum' }
  if (p.maxTotalResults < p.targetResults) return { field: 'maxTotalResults', reason: 'must be at least target_results' }
  if (p.maxErrorResults < 1) return { field: 'maxErrorResults', reason: 'must be at least 1' }
  return undefined
}
