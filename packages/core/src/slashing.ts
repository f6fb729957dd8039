import { BPS } from './fees.ts'
import { REPUTATION_WEIGHTS, type ReputationCounters, type ReputationWeights, failureBps, reputationBps } from './reputation.ts'

/**
 * Seed 003's slashing conditions as data. An outvoted result (by its replicas or its check) costs what a
 * task timeout does: the node failed the task it leased.
 */
export const SLASHING_TABLE = {
  /**
   * "Task timeout: −5% stake", per lease; never less than the lease's reward (walking away from or lying on
   * a lease must cost more than it can pay) nor more than ten times it (one flaky lease must not cost a large
   * staker a month of earnings).
   */
  failedTask: { stakeBps: 500, minRewardBps: 10_000, maxRewardBps: 100_000 },
  /** "Failed PoW challenge: −2% reputation": no stake, reputation.ts's `powFailureBps`. */
  powFailed: { reputationBps: REPUTATION_WEIGHTS.powFailureBps },
  /** "Repeated failures (>20%): review + potential ban": more than 20% of results failed, at least 3 of them. */
  repeatedFailures: { failureBps: 2_000, minFailures: 3 },
  /** "Data breach/Misuse: −50% stake + ban", only as a dispute's ruling; reputation.ts's `disputeLostBps` too. */
  misuse: { stakeBps: 5_000, reputationBps: REPUTATION_WEIGHTS.disputeLostBps },
} as const

type Widen<T> = { readonly [K in keyof T]: { readonly [F in keyof T[K]]: number } }
export type SlashingTable = Widen<typeof SLASHING_TABLE>

/** The bounds governance may move each parameter within (inclusive), like the contracts' bounded setters. */
export const SLASHING_BOUNDS: { readonly [K in keyof SlashingTable]: { readonly [F in keyof SlashingTable[K]]: readonly [number, number] } } = {
  failedTask: { stakeBps: [100, 2_000], minRewardBps: [10_000, 50_000], maxRewardBps: [10_000, 1_000_000] },
  powFailed: { reputationBps: [0, 1_000] },
  repeatedFailures: { failureBps: [500, 5_000], minFailures: [1, 100] },
  misuse: { stakeBps: [1_000, 10_000], reputationBps: [0, 5_000] },
}

/** Checks a slashing table against its bounds; returns the offending `row.field` or undefined. */
export function checkSlashingTable(table: SlashingTable): { field: string; reason: string } | undefined {
  for (const [row, fields] of Object.entries(SLASHING_BOUNDS)) {
    for (const [field, [min, max]] of Object.entries(fields as Record<string, readonly [number, number]>)) {
      const value = (table as Record<string, Record<string, number>>)[row]![field]!
      if (!Number.isInteger(value) || value < min || value > max) return { field: `${row}.${field}`, reason: `must be an integer from ${min} to ${max}` }
    }
  }
  if (table.failedTask.maxRewardBps < table.failedTask.minRewardBps) return { field: 'failedTask.maxRewardBps', reason: 'must be at least minRewardBps' }
  return undefined
}

/**
 * What a failed lease (timeout, outvoted or wrong gold answer) takes from a stake: 5% of it, within 1–10
 * times the lease's reward, never more than the stake.
 * @example failedTaskSlash(1_000n, 1n) // 10n (5% is 50, capped at ten times the reward)
 */
export function failedTaskSlash(stake: bigint, reward: bigint, table: SlashingTable = SLASHING_TABLE): bigint {
  const { stakeBps, minRewardBps, maxRewardBps } = table.failedTask
  const share = (stake * BigInt(stakeBps)) / BPS
  const floor = (reward * BigInt(minRewardBps)) / BPS
  const ceiling = (reward * BigInt(maxRewardBps)) / BPS
  const amount = share < floor ? floor : share > ceiling ? ceiling : share
  return amount < stake ? amount : stake
}

/** Whether a node's failures call for a review: seed 003's "repeated failures (>20%)". */
export function needsReview(c: ReputationCounters, table: SlashingTable = SLASHING_TABLE): boolean {
  const { failureBps: limit, minFailures } = table.repeatedFailures
  return c.invalidResults + c.timeouts >= minFailures && failureBps(c) > limit
}

/** What happened: a lease expired, a result was outvoted or missed a gold answer, a PoW challenge failed, a dispute ruled misuse. */
export type SlashEvent = { kind: 'timeout' | 'invalidResult'; reward: bigint } | { kind: 'powFailed' } | { kind: 'misuse' }

/** The node as a slash sees it: its on-chain stake and its job-record counters. */
export type SlashedNode = { stake: bigint; counters: ReputationCounters }

export type Slash = {
  reason: SlashEvent['kind']
  /** Base units to take from the stake (sent to the treasury or burned with the batch's settlements). */
  amount: bigint
  /** The counters after the event: the server stores them with the job record; reputation follows from them. */
  counters: ReputationCounters
  /** Reputation after minus before, in basis points (≤ 0). */
  reputationBps: number
  /** What the node's standing becomes: unchanged, under review (no new leases until cleared), or banned. */
  standing: 'unchanged' | 'review' | 'banned'
}

/**
 * Maps an event to its slash under seed 003's table.
 * @example slashFor({ kind: 'timeout', reward: 10n ** 18n }, { stake: 1_000n * 10n ** 18n, counters: NO_RECORD }).amount // 10 tokens
 */
export function slashFor(
  event: SlashEvent,
  node: SlashedNode,
  table: SlashingTable = SLASHING_TABLE,
  weights: ReputationWeights = REPUTATION_WEIGHTS,
): Slash {
  const c = node.counters
  const next =
    event.kind === 'timeout' ? { ...c, timeouts: c.timeouts + 1 }
    : event.kind === 'invalidResult' ? { ...c, invalidResults: c.invalidResults + 1 }
    : event.kind === 'powFailed' ? { ...c, powFailures: c.powFailures + 1 }
    : { ...c, disputesLost: c.disputesLost + 1 }
  const amount =
    event.kind === 'timeout' || event.kind === 'invalidResult' ? failedTaskSlash(node.stake, event.reward, table)
    : event.kind === 'misuse' ? (node.stake * BigInt(table.misuse.stakeBps)) / BPS
    : 0n
  const flat = { ...weights, powFailureBps: table.powFailed.reputationBps, disputeLostBps: table.misuse.reputationBps }
  const standing = event.kind === 'misuse' ? 'banned' : needsReview(next, table) ? 'review' : 'unchanged'
  return { reason: event.kind, amount, counters: next, reputationBps: reputationBps(next, flat) - reputationBps(c, flat), standing }
}
