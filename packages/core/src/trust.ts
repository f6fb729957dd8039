import { TOKEN_DECIMALS } from './money.ts'

/**
 * The lowest trust level a node needs to take compute work: registered with at least the level-1 stake
 * (NodeRegistry's LEVEL1_STAKE, 100 tokens), so every identity in a quorum has stake at risk. A task may
 * ask for more with `min_trust_level`, never for less.
 */
export const MIN_COMPUTE_TRUST_LEVEL = 1

/** Tokens a node stakes for level 1 (NodeRegistry's LEVEL1_STAKE, in whole tokens). */
export const LEVEL1_STAKE_TOKENS = 100

/** The trust level a compute task's leases need: what the poster asked for, at least the floor. */
export function requiredTrustLevel(requested: number | undefined): number {
  return Math.max(MIN_COMPUTE_TRUST_LEVEL, requested ?? MIN_COMPUTE_TRUST_LEVEL)
}

/** The fewest leases a node may hold at once on one task, however small the task. */
export const MIN_LEASES_PER_TASK = 16

/**
 * Leases one node may hold at once on one task of `jobs` jobs: a quarter of them, at least
 * MIN_LEASES_PER_TASK, so that three identities cannot hold a whole task until their leases run out, while
 * one honest node still gets a full batch.
 *
 * @example maxLeasesOnTask(300) // 75
 */
export function maxLeasesOnTask(jobs: number): number {
  return Math.max(MIN_LEASES_PER_TASK, Math.ceil(jobs / 4))
}

/**
 * Trust levels 0–4 of seed 003, with what each takes. NodeRegistry computes levels 1–3 on chain from the
 * same thresholds (packages/chain's contractConstants test compares them); level 4 (Partner) adds an SLA
 * commitment and an insurance bond.
 */
export const TRUST_LEVELS = [
  { level: 0, name: 'Any node', detail: 'registered, no minimum stake', stakeTokens: 0, powPasses: 0, tasks: 0, successBps: 0 },
  { level: 1, name: 'Basic', detail: 'stake of 100+ tokens', stakeTokens: LEVEL1_STAKE_TOKENS, powPasses: 0, tasks: 0, successBps: 0 },
  { level: 2, name: 'Verified', detail: '1,000+ staked and 10+ proof-of-work challenges', stakeTokens: 1_000, powPasses: 10, tasks: 0, successBps: 0 },
  { level: 3, name: 'Trusted', detail: '10,000+ staked, 100+ tasks, 95%+ success', stakeTokens: 10_000, powPasses: 10, tasks: 100, successBps: 9_500 },
  { level: 4, name: 'Partner', detail: 'Trusted, with an SLA commitment and an insurance bond', stakeTokens: 10_000, powPasses: 10, tasks: 100, successBps: 9_500 },
] as const

/** The highest level NodeRegistry computes on chain, and so the most a task may ask for. */
export const MAX_CHAIN_TRUST_LEVEL = 3

/** The levels a task may ask for, with their names and what they take. */
export const REQUESTABLE_TRUST_LEVELS = TRUST_LEVELS.filter((t) => t.level <= MAX_CHAIN_TRUST_LEVEL)

/** The name of a trust level. @example trustLevelName(2) // 'Verified' */
export function trustLevelName(level: number): string {
  return TRUST_LEVELS[level]?.name ?? `Level ${level}`
}

/** What a node's trust level is computed from (NodeRegistry's record, plus the Partner commitment). */
export type TrustFacts = {
  registered: boolean
  /** Stake, base units. */
  stake: bigint
  powPasses: number
  tasksCompleted: number
  tasksFailed: number
  /** Level 4: an SLA commitment and an insurance bond posted on chain. */
  partner?: boolean
  /** Banned by a dispute's ruling: level 0 whatever the rest. */
  banned?: boolean
}

/**
 * A node's trust level from its record, as NodeRegistry's `trustLevel` computes levels 0–3 (the server
 * uses it where reading the chain per node would be too slow: matching, quotes, the simulation).
 * @example trustLevelOf({ registered: true, stake: 1_000n * 10n ** 18n, powPasses: 10, tasksCompleted: 0, tasksFailed: 0 }) // 2
 */
export function trustLevelOf(f: TrustFacts): number {
  const unit = 10n ** BigInt(TOKEN_DECIMALS)
  const total = f.tasksCompleted + f.tasksFailed
  let level = 0
  for (const t of TRUST_LEVELS) {
    if (t.level === 0) continue
    const meets =
      f.registered && f.banned !== true && f.stake >= BigInt(t.stakeTokens) * unit && f.powPasses >= t.powPasses && f.tasksCompleted >= t.tasks &&
      f.tasksCompleted * 10_000 >= total * t.successBps && (t.level < 4 || f.partner === true)
    if (!meets) break
    level = t.level
  }
  return level
}
