import { ADAPTIVE_REPLICATION, type AdaptiveParams, type AdaptiveState, NEW_ADAPTIVE_STATE, expectedResults, unreplicatedProbability } from './adaptiveReplication.ts'
import { type FeeScheme, feeSchemes, splitPayment } from './fees.ts'
import { type Bid, DEFAULT_MATCH_WEIGHTS, type MatchWeights, type Requirements, matchBids } from './matching.ts'
import { type QuorumParams, replicationFor } from './quorum.ts'

export type QuoteInput = {
  jobs: number
  /** Units of the resource type's earnings model one job takes (GPU-hours, GB, 1 for "per task"). */
  unitsPerJob: number
  /** The task's requirements, its minimum trust level among them. */
  requirements: Requirements
  /** The bids of the nodes that could take it. */
  bids: readonly Bid[]
  /** Each bidding node's adaptive state for the task's kind; a node missing is new. */
  adaptive: Readonly<Record<string, AdaptiveState>>
  /** The quorum of a replicated job (default: replicationFor(true)). */
  replication?: QuorumParams
  scheme?: FeeScheme
  adaptiveParams?: AdaptiveParams
  weights?: MatchWeights
}

export type Quote = {
  /** Eligible nodes, and how many of the best-ranked the quote counts on (as many as jobs, at least a replica set). */
  eligibleNodes: number
  countedNodes: number
  /** The highest price among the counted nodes, so that each of them takes the work; base units per unit. */
  pricePerUnit: bigint
  /** The expected share of jobs that go unreplicated, and the expected results per job. */
  unreplicatedShare: number
  expectedResultsPerJob: number
  /** What the poster pays per result so the worker gets its price after fees. */
  grossPerResult: bigint
  /** What to lock: jobs × expected results × gross per result; and what every job replicated would take. */
  total: bigint
  maxTotal: bigint
  /** The part of `total` that is not the workers' (treasury, validators, burn). */
  fee: bigint
}

const MICRO = 1_000_000

/** The least gross payment of which a lone worker receives `net` under `scheme` (fees.ts's split, rounding included). */
export function grossForNet(net: bigint, scheme: FeeScheme = feeSchemes[0]!): bigint {
  const share = BigInt(scheme.workerBps + scheme.validatorBps)
  if (share === 0n) return 0n
  let gross = (net * 10_000n + share - 1n) / share
  while (splitPayment(gross, scheme, [1]).workers[0]! < net) gross += 1n
  return gross
}

/**
 * Seed 003's `estimateTaskCost`: the expected replication and the cost of a task for the trust its poster
 * asks for. The eligible bids are ranked by matching.ts; the quote counts on the best `max(jobs,
 * targetResults)` of them. A job offered first to a node with a run of k valid results goes unreplicated
 * with probability p(k) (adaptive replication), checked by a second node with probability p(k)·c(k), and
 * is otherwise replicated to `targetResults`: a job expects the mean of adaptiveReplication.ts's
 * `expectedResults` over the counted nodes. A dissent's extra replicas are not expected (it is rare once
 * reputations settle).
 * @example estimateTaskCost({ jobs: 100, unitsPerJob: 1, requirements: { resourceType: 'cpu', minTrustLevel: 2 }, bids, adaptive }).expectedResultsPerJob
 */
export function estimateTaskCost(input: QuoteInput): Quote {
  const replication = input.replication ?? replicationFor(true)
  const scheme = input.scheme ?? feeSchemes[0]!
  const params = input.adaptiveParams ?? ADAPTIVE_REPLICATION
  const { ranked } = matchBids(input.requirements, input.bids, input.weights ?? DEFAULT_MATCH_WEIGHTS)
  const counted = ranked.slice(0, Math.max(input.jobs, replication.targetResults))
  const pricePerUnit = counted.reduce((max, r) => (r.bid.pricePerUnit > max ? r.bid.pricePerUnit : max), counted.length ? 0n : (input.requirements.maxPricePerUnit ?? 0n))
  const states = counted.map((r) => input.adaptive[r.bid.node] ?? NEW_ADAPTIVE_STATE)
  const mean = (f: (s: AdaptiveState) => number) => (states.length === 0 ? 0 : states.reduce((sum, s) => sum + f(s), 0) / states.length)
  const unreplicatedShare = mean((s) => unreplicatedProbability(s.consecutiveValid, params.minRun))
  const expectedResultsPerJob = states.length === 0 ? replication.targetResults : mean((s) => expectedResults(s, replication, params))
  const net = (pricePerUnit * BigInt(Math.round(input.unitsPerJob * MICRO)) + BigInt(MICRO - 1)) / BigInt(MICRO)
  const grossPerResult = grossForNet(net, scheme)
  const results = BigInt(Math.ceil(input.jobs * expectedResultsPerJob * MICRO))
  const total = (grossPerResult * results + BigInt(MICRO - 1)) / BigInt(MICRO)
  const maxTotal = grossPerResult * BigInt(input.jobs * replication.targetResults)
  const workers = splitPayment(total, scheme, [1]).workers[0]!
  return { eligibleNodes: ranked.length, countedNodes: counted.length, pricePerUnit, unreplicatedShare, expectedResultsPerJob, grossPerResult, total, maxTotal, fee: total - workers }
}
