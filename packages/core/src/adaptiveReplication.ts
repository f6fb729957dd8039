import { type QuorumDecision, type QuorumParams, type ReplicaResult, decideQuorum, replicationFor } from './quorum.ts'

/**
 * BOINC's adaptive replication, per (node, task kind): `consecutiveValid` counts the node's valid results on
 * replicated jobs in a row (an unreplicated job proves nothing, so it never counts).
 */
export type AdaptiveState = { consecutiveValid: number }

export const NEW_ADAPTIVE_STATE: AdaptiveState = { consecutiveValid: 0 }

export type AdaptiveParams = {
  /** The run of valid replicated results before a node may get unreplicated work (BOINC: 10). */
  minRun: number
  /**
   * Of a node's unreplicated jobs, the share checked by a second, proven node once the result is in, in bps, at a
   * run of `minRun`; it falls as minRun/k, as the replicated share does (spotCheckRate).
   */
  spotCheckBps: number
  /** A result from a node whose reputation is below this makes its job suspicious (reputation.ts's neutral). */
  suspectBelowBps: number
}

export const ADAPTIVE_REPLICATION: AdaptiveParams = { minRun: 10, spotCheckBps: 1_000, suspectBelowBps: 5_000 }

/**
 * The chance that a node with a run of `k` valid replicated results gets a job unreplicated: 0 below
 * `minRun`, 1 − 1/k from there.
 * @example unreplicatedProbability(20) // 0.95
 */
export function unreplicatedProbability(k: number, minRun = ADAPTIVE_REPLICATION.minRun): number {
  return k < minRun ? 0 : 1 - 1 / k
}

/** Whether a node has proven itself on a kind: its run reaches `minRun`, so it may get unreplicated work. */
export function isProven(state: AdaptiveState, params: AdaptiveParams = ADAPTIVE_REPLICATION): boolean {
  return state.consecutiveValid >= params.minRun
}

/**
 * The results a job offered first to a node in `state` is expected to take: 1 when it goes alone, and one
 * more when that lone job is checked; `replication.targetResults` when it is replicated (matching ranks a
 * bid's price by it; quotes sum it).
 * @example expectedResults({ consecutiveValid: 0 }, replicationFor(true)) // 3
 */
export function expectedResults(state: AdaptiveState, replication: QuorumParams, params: AdaptiveParams = ADAPTIVE_REPLICATION): number {
  const k = state.consecutiveValid
  const alone = unreplicatedProbability(k, params.minRun)
  return 1 + (1 - alone) * (replication.targetResults - 1) + alone * spotCheckRate(k, params)
}

/**
 * The share of a node's unreplicated jobs that are spot-checked by a second, proven node: `spotCheckBps` at a run of
 * `minRun`, falling as minRun/k. A node that has just been trusted, when lying pays best (each of its jobs is
 * replicated with chance 1/k only), is checked most; one with a long run costs little to watch.
 * @example spotCheckRate(20) // 0.05 (10% at a run of 10, halved at 20)
 */
export function spotCheckRate(k: number, params: AdaptiveParams = ADAPTIVE_REPLICATION): number {
  return k < params.minRun ? 0 : Math.min(1, ((params.spotCheckBps / 10_000) * params.minRun) / k)
}

/** How a job offered first to a node goes out: replicated, or to that node alone (and then maybe checked). */
export type ReplicationChoice = { replicated: boolean; spotCheck: boolean }

/**
 * Decides a job offered first to a node in `state`, from `random` uniform in [0, 1): unreplicated when
 * `random` < p(k), and then also spot-checked when `random` < p(k)·spotCheckRate(k).
 * @example chooseReplication({ consecutiveValid: 20 }, 0.5) // { replicated: false, spotCheck: false }
 */
export function chooseReplication(state: AdaptiveState, random: number, params: AdaptiveParams = ADAPTIVE_REPLICATION): ReplicationChoice {
  const p = unreplicatedProbability(state.consecutiveValid, params.minRun)
  if (random >= p) return { replicated: true, spotCheck: false }
  return { replicated: false, spotCheck: random < p * spotCheckRate(state.consecutiveValid, params) }
}

/** A result's fate as adaptive replication counts it. */
export type AdaptiveOutcome = 'valid' | 'invalid' | 'timeout'

/**
 * The state after a result: a valid result on a replicated (or checked) job extends the run; a valid result on
 * a lone job leaves it; one invalid result or timeout resets it.
 */
export function nextAdaptiveState(state: AdaptiveState, outcome: AdaptiveOutcome, replicated: boolean): AdaptiveState {
  if (outcome !== 'valid') return NEW_ADAPTIVE_STATE
  return replicated ? { consecutiveValid: state.consecutiveValid + 1 } : state
}

/** An unreplicated job's quorum: the one result decides. */
export const UNREPLICATED_QUORUM: QuorumParams = replicationFor(true, { min_quorum: 1, target_results: 1 })

/** Whether a node's results make a job suspicious: its reputation is below `suspectBelowBps`. */
export function isSuspect(reputationBps: number, params: AdaptiveParams = ADAPTIVE_REPLICATION): boolean {
  return reputationBps < params.suspectBelowBps
}

/** What the server knows of a job besides its results: who of its workers are suspects, how many leases expired. */
export type JobSuspicion = { suspects: readonly string[]; lapsed: number }

/**
 * The quorum a job needs now, from the quorum it was planned with, the task's replicated quorum, its results
 * so far and what is suspicious about them. Pure of the results, so the server recomputes it on each one.
 * - An unreplicated job (quorum 1) whose result is missing (an error, or an expired lease), or comes from a
 *   suspect, takes the task's replicated quorum: its next results are replicas like any other job's.
 * - A replicated job is suspicious when its successful results disagree, and again when one comes from a
 *   suspect: each raises the quorum by one more agreeing result (minQuorum + 1, targetResults at least
 *   that) and two more results in all (maxTotalResults + 2), so that two colluders agreeing against one
 *   honest replica no longer decide it, and a dissent is settled by a clear majority.
 * @example suspicionQuorum(p, p, [{worker:'a',digest:'x'},{worker:'b',digest:'y'}], {suspects:[],lapsed:0}).minQuorum // p.minQuorum + 1
 */
export function suspicionQuorum(planned: QuorumParams, replicated: QuorumParams, results: readonly ReplicaResult[], suspicion: JobSuspicion): QuorumParams {
  const suspectResult = results.some((r) => r.digest !== null && suspicion.suspects.includes(r.worker))
  if (planned.minQuorum === 1 && planned.targetResults === 1) {
    const missing = suspicion.lapsed > 0 || results.some((r) => r.digest === null)
    return missing || suspectResult ? suspicionQuorum(replicated, replicated, results, suspicion) : planned
  }
  const dissent = new Set(results.flatMap((r) => (r.digest === null ? [] : [r.digest]))).size > 1
  const raise = (dissent ? 1 : 0) + (suspectResult ? 1 : 0)
  if (raise === 0) return planned
  const minQuorum = planned.minQuorum + raise
  return { ...planned, minQuorum, targetResults: Math.max(planned.targetResults, minQuorum), maxTotalResults: planned.maxTotalResults + 2 * raise }
}

/**
 * Decides a job as quorum.ts's `decideQuorum` does, except that a replicated job is not accepted before its
 * target replicas have all answered or lapsed: two replicas that agree first (a wrong answer costs nothing to
 * compute, so colluders answer at once) must not decide it before a dissenting replica arrives and raises
 * the quorum. Until then it says how many replicas are still to issue.
 * @example decideJob(p, [{worker:'a',digest:'x'},{worker:'b',digest:'x'}], 1) // { state: 'pending', issue: 0 }
 */
export function decideJob(quorum: QuorumParams, results: readonly ReplicaResult[], outstanding: number): QuorumDecision {
  const decision = decideQuorum(quorum, results, outstanding)
  if (decision.state !== 'valid' || quorum.minQuorum === 1) return decision
  const missing = quorum.targetResults - results.length - outstanding
  return outstanding > 0 || missing > 0 ? { state: 'pending', issue: Math.max(0, missing) } : decision
}

/**
 * The most unproven nodes (run below `minRun`) a replicated job may hold: fewer than its target, so at
 * least one replica is proven, and no more than its quorum, so that when they agree against a proven
 * replica the dissent raises the quorum (suspicionQuorum) beyond what they can reach: 2 in a 2-of-3 job, 1 in a 2-of-2.
 */
export function maxUnproven(quorum: QuorumParams): number {
  return Math.max(0, Math.min(quorum.minQuorum, quorum.targetResults - 1))
}

/**
 * How many unproven nodes (run below `minRun`) a job of `plan` may hold, or null for no limit: none on a
 * checked job (its check and the replicas after it are proven nodes'), `maxUnproven` of the task's quorum on a
 * replicated job and on the replicas of a lone one, and no limit on a job decided as posted. Fixed when the
 * job is planned: a lone or checked job that goes back replicated keeps it.
 * @example newcomerPlaces('replicated', replicationFor(true)) // 2 of a 2-of-3 job's 3 places
 */
export function newcomerPlaces(plan: JobPlan, replicated: QuorumParams): number | null {
  if (plan === 'posted') return null
  return plan === 'checked' ? 0 : maxUnproven(replicated)
}

/**
 * Picks a job's next `needed` replicas from candidates in the matching engine's order. Proven nodes go in
 * that order; unproven nodes (newcomers) only while the job holds fewer than `places` of them
 * (newcomerPlaces; null: no limit), so new identities, fresh Sybils among them, never decide a job whatever
 * they bid. Newcomer places go to the unproven candidates with the longest runs, so a node on its way to
 * being proven finishes first; among equals `random` (uniform in [0, 1)) draws, since the rank of a fresh
 * identity is what an attacker buys by underbidding. A job short of proven candidates waits for one.
 * @example pickReplicas(candidates, 2, 1, 0.5, 2) // in rank order: proven nodes, and at most one newcomer (the longest run)
 */
export function pickReplicas<T extends { proven: boolean; run: number }>(ranked: readonly T[], needed: number, unprovenOnJob: number, random: number, places: number | null): T[] {
  if (places === null) return ranked.slice(0, needed)
  const newcomers = ranked.filter((c) => !c.proven)
  const offset = Math.floor(random * newcomers.length)
  // Longest run first; among equal runs, a rotation of the list by the random draw.
  const order = newcomers.map((c, i) => ({ c, key: (i - offset + newcomers.length) % newcomers.length })).sort((a, b) => b.c.run - a.c.run || a.key - b.key)
  const taken = new Set(order.slice(0, Math.max(0, places - unprovenOnJob)).map(({ c }) => c))
  return ranked.filter((c) => c.proven || taken.has(c)).slice(0, needed)
}

/**
 * How the server plans a job when it issues its first lease: `replicated` to the task's target, `unreplicated`
 * to the first node alone, or `checked`: to the first node alone as far as it can tell, with one check replica
 * issued to another proven node once its result is in (the spot check). These three are decided by the full
 * rules (decidePlannedJob). `posted`: replicated and decided at the task's quorum as posted, for a task of one
 * result and for a market with too few proven nodes online to anchor the full rules (anchorsFor).
 */
export type JobPlan = 'replicated' | 'unreplicated' | 'checked' | 'posted'

/**
 * The proven nodes, besides a job's first node, that must be online for it to be run by the full rules:
 * enough to reach the quorum one dissent raises the task's to (suspicionQuorum) when every newcomer on the
 * job and its first node are wrong. A checked job's check needs as many (two agreeing, three after a
 * dissent), and a lone job's replicas, should its result be missing or a suspect's, the task's. Below it, a
 * new market would wait for nodes that are not there.
 * @example anchorsFor(replicationFor(true)) // 3: a 2-of-3 job's quorum after a dissent
 */
export function anchorsFor(replicated: QuorumParams): number {
  return Math.max(replicated.minQuorum, plannedQuorum('checked', replicated).minQuorum) + 1
}

/**
 * What adaptive replication can count on from the runs of the nodes online for a kind: a proven node's run
 * only while enough other proven nodes are among them to anchor its jobs (anchorsFor); below that its jobs go
 * as posted, as a new node's do. Quotes and rankings price each node's results by it (expectedResults).
 * @example anchoredRuns(new Map([['a', { consecutiveValid: 20 }]]), replicationFor(true)).get('a') // { consecutiveValid: 0 }
 */
export function anchoredRuns<K>(runs: ReadonlyMap<K, AdaptiveState>, replicated: QuorumParams, params: AdaptiveParams = ADAPTIVE_REPLICATION): Map<K, AdaptiveState> {
  const proven = [...runs.values()].filter((s) => isProven(s, params)).length
  return new Map([...runs].map(([node, s]) => [node, isProven(s, params) && proven - 1 < anchorsFor(replicated) ? NEW_ADAPTIVE_STATE : s]))
}

/**
 * The plan of a job whose first lease goes to a node in `state` (chooseReplication, from `random` uniform in
 * [0, 1)), with `provenOthers` other nodes proven on its kind online. A task whose quorum is one result has
 * nothing to adapt, and a market short of anchors (anchorsFor) cannot check: the job goes as posted.
 * @example planJob({ consecutiveValid: 20 }, replicationFor(true), 0.5, 3) // 'unreplicated'
 */
export function planJob(state: AdaptiveState, replicated: QuorumParams, random: number, provenOthers: number, params: AdaptiveParams = ADAPTIVE_REPLICATION): JobPlan {
  if (replicated.minQuorum < 2 || provenOthers < anchorsFor(replicated)) return 'posted'
  const choice = chooseReplication(state, random, params)
  return choice.replicated ? 'replicated' : choice.spotCheck ? 'checked' : 'unreplicated'
}

/**
 * The quorum a job was planned with: the task's for a replicated or posted job, one result for an unreplicated
 * one, and two agreeing results (the node's and its check's) for a checked one; the task's error and total
 * limits hold. suspicionQuorum raises it from there.
 */
export function plannedQuorum(plan: JobPlan, replicated: QuorumParams): QuorumParams {
  if (plan === 'replicated' || plan === 'posted') return replicated
  if (plan === 'unreplicated') return UNREPLICATED_QUORUM
  return { ...replicated, minQuorum: 2, targetResults: 2 }
}

/**
 * Decides a job by its plan: its quorum now (suspicionQuorum from plannedQuorum) and the decision (decideJob).
 * A posted job is decided at the task's quorum as soon as it is met (decideQuorum), with no dissent or
 * suspect raising it.
 * @example decidePlannedJob('posted', p, [{worker:'a',digest:'x'},{worker:'b',digest:'x'}], none, 1).decision.state // 'valid'
 */
export function decidePlannedJob(plan: JobPlan, replicated: QuorumParams, results: readonly ReplicaResult[], suspicion: JobSuspicion, outstanding: number): { quorum: QuorumParams; decision: QuorumDecision } {
  if (plan === 'posted') return { quorum: replicated, decision: decideQuorum(replicated, results, outstanding) }
  const quorum = suspicionQuorum(plannedQuorum(plan, replicated), replicated, results, suspicion)
  return { quorum, decision: decideJob(quorum, results, outstanding) }
}
