/**
 * What a node's job records count (seed 002's reputation inputs: accepted results, majority agreement,
 * posters' ratings; seed 003's PoW challenges and disputes). The server keeps them per node and stores
 * them on chain in batches with the task counters; reputation is computed from them, never stored alone.
 */
export type ReputationCounters = {
  /** Results that agreed with their job's quorum (a lone job's one result, or its check). */
  validResults: number
  /** Results outvoted by their job's quorum (its replicas, or a lone job's check and the replicas after it). */
  invalidResults: number
  /** Leases that expired without a result. */
  timeouts: number
  powPasses: number
  powFailures: number
  /** Poster ratings of human work, and the sum of their stars (1–5 each). */
  ratings: number
  ratingStars: number
  /** Disputes ruled against the node. */
  disputesLost: number
}

/** The record of a node that has done nothing yet. */
export const NO_RECORD: ReputationCounters = {
  validResults: 0,
  invalidResults: 0,
  timeouts: 0,
  powPasses: 0,
  powFailures: 0,
  ratings: 0,
  ratingStars: 0,
  disputesLost: 0,
}

/**
 * The weight of each input. Reputation is the share of good evidence in all evidence (a beta estimate), so
 * weights are in "results": an outvoted result counts as three valid ones count, since it is either a lie or
 * a broken machine. PoW failures and lost disputes are flat deductions, as seed 003's table and dispute
 * workflow state them.
 */
export const REPUTATION_WEIGHTS = {
  /**
   * Pseudo-results of the prior, half good and half bad: a new node starts at 5,000 (neutral), three valid
   * results take it to 6,153 and one outvoted result to 3,846, so a few results never reach the extremes.
   * With this prior, 90 valid results and none bad reach 9,500, near seed 003's level 3 (100+ tasks, 95%+).
   */
  prior: 10,
  valid: 1,
  invalid: 3,
  timeout: 1,
  /** A passed PoW challenge proves hardware, not honesty: a quarter of a valid result. */
  powPass: 0.25,
  /** A rating of s stars is (s − 1)/4 good and (5 − s)/4 bad, times this. */
  rating: 2,
  /** Seed 003: "Failed PoW challenge: −2% reputation", 200 bps off each time. */
  powFailureBps: 200,
  /** Seed 003's dispute workflow: the provider who loses a dispute gets `updateReputation(−500)`. */
  disputeLostBps: 500,
} as const

export type ReputationWeights = { readonly [K in keyof typeof REPUTATION_WEIGHTS]: number }

/** The reputation scale: 0 to 10,000 basis points, as NodeRegistry's seed (003) keeps it. */
export const MAX_REPUTATION_BPS = 10_000

/** A new node's reputation: the prior alone. */
export const NEUTRAL_REPUTATION_BPS = MAX_REPUTATION_BPS / 2

/**
 * A node's reputation in basis points (0–10,000) from its counters.
 * @example reputationBps({ ...NO_RECORD, validResults: 100 }) // 9545
 */
export function reputationBps(c: ReputationCounters, w: ReputationWeights = REPUTATION_WEIGHTS): number {
  const stars = Math.min(Math.max(c.ratingStars, c.ratings), 5 * c.ratings)
  const good = w.prior / 2 + c.validResults * w.valid + c.powPasses * w.powPass + (w.rating * (stars - c.ratings)) / 4
  const bad = w.prior / 2 + c.invalidResults * w.invalid + c.timeouts * w.timeout + (w.rating * (5 * c.ratings - stars)) / 4
  const share = Math.floor((MAX_REPUTATION_BPS * good) / (good + bad))
  const deducted = share - c.powFailures * w.powFailureBps - c.disputesLost * w.disputeLostBps
  return Math.min(MAX_REPUTATION_BPS, Math.max(0, deducted))
}

/** The share of a node's compute results that failed (outvoted or timed out), in basis points; 0 with none. */
export function failureBps(c: ReputationCounters): number {
  const failures = c.invalidResults + c.timeouts
  const total = failures + c.validResults
  return total === 0 ? 0 : Math.floor((failures * MAX_REPUTATION_BPS) / total)
}
