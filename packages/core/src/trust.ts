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
