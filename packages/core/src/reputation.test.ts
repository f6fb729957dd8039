import { describe, expect, it } from 'vitest'
import { MAX_REPUTATION_BPS, NEUTRAL_REPUTATION_BPS, NO_RECORD, REPUTATION_WEIGHTS, failureBps, reputationBps } from './reputation.ts'

const record = (c: Partial<typeof NO_RECORD>) => ({ ...NO_RECORD, ...c })

describe('reputation', () => {
  it('starts a new node at neutral, and a few results do not take it to the extremes', () => {
    expect(reputationBps(NO_RECORD)).toBe(NEUTRAL_REPUTATION_BPS)
    expect(reputationBps(record({ validResults: 3 }))).toBe(6_153)
    expect(reputationBps(record({ invalidResults: 1 }))).toBe(3_846)
    expect(reputationBps(record({ invalidResults: 3 }))).toBeGreaterThan(1_500)
    expect(reputationBps(record({ validResults: 5 }))).toBeLessThan(7_000)
  })

  it('reaches seed 003’s level-3 mark (95%) after 90 valid results and none bad', () => {
    expect(reputationBps(record({ validResults: 89 }))).toBeLessThan(9_500)
    expect(reputationBps(record({ validResults: 90 }))).toBe(9_500)
  })

  it('rises with good evidence and falls with bad, an outvoted result weighing three valid ones', () => {
    const base = record({ validResults: 20, timeouts: 1 })
    expect(reputationBps({ ...base, validResults: 21 })).toBeGreaterThan(reputationBps(base))
    expect(reputationBps({ ...base, powPasses: 1 })).toBeGreaterThan(reputationBps(base))
    expect(reputationBps({ ...base, timeouts: 2 })).toBeLessThan(reputationBps(base))
    expect(reputationBps({ ...base, invalidResults: 1 })).toBe(reputationBps({ ...base, timeouts: 1 + REPUTATION_WEIGHTS.invalid }))
  })

  it('takes 200 bps per failed PoW and 500 per dispute lost, within 0–10,000', () => {
    const base = record({ validResults: 50 })
    expect(reputationBps(base) - reputationBps({ ...base, powFailures: 1 })).toBe(200)
    expect(reputationBps(base) - reputationBps({ ...base, disputesLost: 1 })).toBe(500)
    expect(reputationBps(record({ disputesLost: 30 }))).toBe(0)
    expect(reputationBps(record({ validResults: 1e9 }))).toBeLessThanOrEqual(MAX_REPUTATION_BPS)
  })

  it('counts a rating of s stars as (s − 1)/4 good and (5 − s)/4 bad', () => {
    expect(reputationBps(record({ ratings: 2, ratingStars: 10 }))).toBeGreaterThan(NEUTRAL_REPUTATION_BPS)
    expect(reputationBps(record({ ratings: 2, ratingStars: 2 }))).toBeLessThan(NEUTRAL_REPUTATION_BPS)
    expect(reputationBps(record({ ratings: 2, ratingStars: 6 }))).toBe(NEUTRAL_REPUTATION_BPS)
    expect(reputationBps(record({ ratings: 1, ratingStars: 99 }))).toBe(reputationBps(record({ ratings: 1, ratingStars: 5 })))
  })

  it('says what share of compute results failed', () => {
    expect(failureBps(NO_RECORD)).toBe(0)
    expect(failureBps(record({ validResults: 3, invalidResults: 1 }))).toBe(2_500)
    expect(failureBps(record({ validResults: 8, timeouts: 2 }))).toBe(2_000)
  })
})
