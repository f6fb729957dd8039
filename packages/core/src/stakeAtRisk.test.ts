import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { failedTaskSlash } from './slashing.ts'
import { type HeldLease, admitLeases, coversLease, freeStake, leaseReward, leaseStakeAtRisk, leasesCovered } from './stakeAtRisk.ts'

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

  it('admits the leases a claim offers while the free stake covers them, recording what each puts at risk', () => {
    expect(admitLeases(100n * token, 0n, [token, token])).toEqual([5n * token, 5n * token])
    expect(admitLeases(100n * token, 95n * token, [token, token])).toEqual([5n * token, undefined])
    // A lease too rich for the stake is skipped; a cheaper one after it still fits.
    expect(admitLeases(100n * token, 0n, [200n * token, token])).toEqual([undefined, 5n * token])
    expect(admitLeases(100n * token, 0n, Array.from({ length: 21 }, () => token)).filter(Boolean)).toHaveLength(leasesCovered(100n * token, [], { reward: token }))
    expect(leaseReward(10n * token, 1, 2)).toBe(5n * token)
    expect(leaseReward(100n * token, 100, 1)).toBe(token)
  })

  it('never admits more risk than the stake left free', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 23n }), fc.bigInt({ min: 0n, max: 10n ** 23n }), fc.array(fc.bigInt({ min: 1n, max: 10n ** 21n }), { maxLength: 60 }), (stake, held, rewards) => {
        const admitted = admitLeases(stake, held, rewards).reduce((sum: bigint, r) => sum + (r ?? 0n), 0n)
        expect(admitted <= (stake > held ? stake - held : 0n)).toBe(true)
      }),
    )
  })
})
