import { describe, expect, it } from 'vitest'
import { MAX_CHAIN_TRUST_LEVEL, MIN_LEASES_PER_TASK, REQUESTABLE_TRUST_LEVELS, TRUST_LEVELS, maxLeasesOnTask, requiredTrustLevel, trustLevelName, trustLevelOf } from './trust.ts'

describe('trust', () => {
  it('never lets a task ask for less than the level-1 stake', () => {
    expect(requiredTrustLevel(undefined)).toBe(1)
    expect(requiredTrustLevel(0)).toBe(1)
    expect(requiredTrustLevel(3)).toBe(3)
  })

  it('caps the leases one node holds on a task at a quarter of its jobs, so three keys cannot hold it all', () => {
    expect(maxLeasesOnTask(1)).toBe(MIN_LEASES_PER_TASK)
    expect(maxLeasesOnTask(64)).toBe(MIN_LEASES_PER_TASK)
    expect(maxLeasesOnTask(300)).toBe(75)
    for (const jobs of [65, 300, 1001, 262_144]) expect(3 * maxLeasesOnTask(jobs)).toBeLessThan(jobs)
  })

  it('names levels 0–4 as seed 003, each asking at least what the one below does; a task may ask up to the chain’s level 3', () => {
    expect(TRUST_LEVELS.map((t) => t.name)).toEqual(['Any node', 'Basic', 'Verified', 'Trusted', 'Partner'])
    for (const [i, t] of TRUST_LEVELS.entries()) {
      expect(t.level).toBe(i)
      if (i > 0) for (const k of ['stakeTokens', 'powPasses', 'tasks', 'successBps'] as const) expect(t[k]).toBeGreaterThanOrEqual(TRUST_LEVELS[i - 1]![k])
    }
    expect(REQUESTABLE_TRUST_LEVELS.map((t) => t.level)).toEqual([0, 1, 2, MAX_CHAIN_TRUST_LEVEL])
    expect(trustLevelName(4)).toBe('Partner')
    expect(trustLevelName(7)).toBe('Level 7')
  })

  it('computes a node’s level from its record as NodeRegistry does, and level 4 with a partner commitment', () => {
    const token = 10n ** 18n
    const node = { registered: true, stake: 10_000n * token, powPasses: 10, tasksCompleted: 100, tasksFailed: 5 }
    expect(trustLevelOf(node)).toBe(3)
    expect(trustLevelOf({ ...node, partner: true })).toBe(4)
    expect(trustLevelOf({ ...node, tasksFailed: 6 })).toBe(2)
    expect(trustLevelOf({ ...node, tasksCompleted: 99, tasksFailed: 0 })).toBe(2)
    expect(trustLevelOf({ ...node, powPasses: 9 })).toBe(1)
    expect(trustLevelOf({ ...node, stake: 999n * token })).toBe(1)
    expect(trustLevelOf({ ...node, stake: 99n * token })).toBe(0)
    expect(trustLevelOf({ ...node, registered: false })).toBe(0)
    expect(trustLevelOf({ ...node, partner: true, banned: true })).toBe(0)
  })
})
