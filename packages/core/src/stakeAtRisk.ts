import { SLASHING_TABLE, type SlashingTable, failedTaskSlash } from './slashing.ts'

/**
 * A lease a node holds, as the stake accounting sees it: what the lease pays the node when its result is
 * valid (its gross share of the job's reward), in base units.
 */
export type HeldLease = { reward: bigint }

/**
 * The stake a lease puts at risk: what seed 003's table takes if it fails (times out or is outvoted), 5% of
 * the stake within 1–10 times the lease's reward. The server accounts it against the node's on-chain stake
 * instead of locking it on chain per lease.
 * @example leaseStakeAtRisk(1_000n * token, 1n * token) // 10 tokens
 */
export function leaseStakeAtRisk(stake: bigint, lease: HeldLease, table: SlashingTable = SLASHING_TABLE): bigint {
  return failedTaskSlash(stake, lease.reward, table)
}

/** The stake not yet at risk: the on-chain stake less the stake at risk of every lease held (never below 0). */
export function freeStake(stake: bigint, leases: readonly HeldLease[], table: SlashingTable = SLASHING_TABLE): bigint {
  let free = stake
  for (const lease of leases) free -= leaseStakeAtRisk(stake, lease, table)
  return free > 0n ? free : 0n
}

/**
 * Whether a node's free stake covers one more lease: its stake at risk must fit in what the current leases
 * leave, and must reach the lease's own reward (a stake too small to pay a failure back takes no lease).
 * @example coversLease(100n * token, [], { reward: 1n * token }) // true: 5 tokens at risk of 100
 */
export function coversLease(stake: bigint, leases: readonly HeldLease[], next: HeldLease, table: SlashingTable = SLASHING_TABLE): boolean {
  return leasesCovered(stake, leases, next, table) > 0
}

/**
 * How many more leases of `reward` a node may take: what the server tells a claim asking for many.
 * @example leasesCovered(100n * token, [], { reward: 1n * token }) // 20
 */
export function leasesCovered(stake: bigint, leases: readonly HeldLease[], next: HeldLease, table: SlashingTable = SLASHING_TABLE): number {
  const risk = leaseStakeAtRisk(stake, next, table)
  const floor = (next.reward * BigInt(table.failedTask.minRewardBps)) / 10_000n
  if (risk === 0n || risk < floor) return 0
  return Number(freeStake(stake, leases, table) / risk)
}

/**
 * Which of the leases a claim offers (in rank order, by reward) a node may take, given what its held leases
 * already put at risk: each admitted lease's stake at risk (what the server records with the lease and
 * slashes if it fails), or undefined for a lease the free stake does not cover or could not pay back.
 * @example admitLeases(100n * token, 95n * token, [token, token]) // [5 tokens, undefined]
 */
export function admitLeases(stake: bigint, atRisk: bigint, rewards: readonly bigint[], table: SlashingTable = SLASHING_TABLE): (bigint | undefined)[] {
  let free = stake - atRisk
  return rewards.map((reward) => {
    const risk = leaseStakeAtRisk(stake, { reward }, table)
    const floor = (reward * BigInt(table.failedTask.minRewardBps)) / 10_000n
    if (risk === 0n || risk < floor || risk > free) return undefined
    free -= risk
    return risk
  })
}

/**
 * What one lease of a compute task pays when its result is valid and the job's quorum is just met: the
 * task's reward over its jobs and the quorum (gross, base units). The stake at risk of a lease is sized by it.
 * @example leaseReward(10n * token, 1, 2) // 5 tokens
 */
export function leaseReward(taskReward: bigint, jobs: number, minQuorum: number): bigint {
  return taskReward / BigInt(Math.max(1, jobs) * Math.max(1, minQuorum))
}
