import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { failedTaskSlash } from './slashing.ts'
import { type HeldLease, coversLease, freeStake, leaseStakeAtRisk, leasesCovered } from './stakeAtRisk.ts'

const token = 10n ** 18n
const leases = (n: number, reward = token): HeldLease[] => Array.from({ length: n }, () => ({ reward }))

describe('stake at risk', () => {
  it('puts at risk what a failed lease would cost: 5% of the stake, within one to ten times the reward', () => {
    expect(leaseStakeAtRisk(100n * token, { reward: token })).toBe(5n * token)
    expect(leaseStakeAtRisk(10_000n * token, { reward: token })).toBe(10n * token)
    expect(leaseStakeAtRisk(100n * token, { reward: 20n * token })).toBe(20n * token)
    expect(leaseStakeAtRisk(100n * token, { reward: token })).toBe(failedTaskSlash(100n * token, token))
  })

  it('lets a level-1 stake hold 20 leases of one token, and more stake hold more', () => {
    expect(leasesCovered(100n * token, [], { reward: token })).toBe(20)
    expect(coversLease(100n * token, leases(19), { reward: token })).toBe(true)
    expect(coversLease(100n * token, leases(20), { reward: token })).toBe(false)
    expect(leasesCovered(1_000n * token, [], { reward: token })).toBe(100)
    expect(freeStake(100n * token, leases(25))).toBe(0n)
  })

  it('refuses a lease whose reward the stake could not pay back', () => {
    expect(coversLease(token / 2n, [], { reward: token })).toBe(false)
    expect(leasesCovered(0n, [], { reward: token })).toBe(0)
  })

  it('never lets the leases it admits put more than the stake at risk', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 23n }), fc.array(fc.bigInt({ min: 1n, max: 10n ** 21n }), { maxLength: 60 }), (stake, rewards) => {
        const held: HeldLease[] = []
        for (const reward of rewards) if (coversLease(stake, held, { reward })) held.push({ reward })
        const risk = held.reduce((sum, l) => sum + leaseStakeAtRisk(stake, l), 0n)
        expect(risk).toBeLessThanOrEqual(stake)
      }),
    )
  })
})
