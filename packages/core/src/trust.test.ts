import { describe, expect, it } from 'vitest'
import { MIN_LEASES_PER_TASK, maxLeasesOnTask, requiredTrustLevel } from './trust.ts'

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
})
