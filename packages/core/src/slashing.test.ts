import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { NO_RECORD, reputationBps } from './reputation.ts'
import { SLASHING_BOUNDS, SLASHING_TABLE, checkSlashingTable, failedTaskSlash, needsReview, slashFor } from './slashing.ts'

const token = 10n ** 18n
const node = (stake: bigint, c: Partial<typeof NO_RECORD> = {}) => ({ stake, counters: { ...NO_RECORD, ...c } })

describe('slashing', () => {
  it('holds seed 003’s table: timeout −5% stake, failed PoW −2% reputation, >20% failures → review, misuse −50% and a ban', () => {
    expect(SLASHING_TABLE.failedTask.stakeBps).toBe(500)
    expect(SLASHING_TABLE.powFailed.reputationBps).toBe(200)
    expect(SLASHING_TABLE.repeatedFailures.failureBps).toBe(2_000)
    expect(SLASHING_TABLE.misuse.stakeBps).toBe(5_000)
    expect(checkSlashingTable(SLASHING_TABLE)).toBeUndefined()
  })

  it('takes 5% of the stake for a failed lease, within one to ten times its reward and never more than the stake', () => {
    expect(failedTaskSlash(100n * token, token)).toBe(5n * token)
    expect(failedTaskSlash(1_000n * token, token)).toBe(10n * token)
    expect(failedTaskSlash(10n * token, token)).toBe(token)
    expect(failedTaskSlash(token / 2n, token)).toBe(token / 2n)
  })

  it('slashes a timeout and an outvoted result alike, records the counter, and lowers reputation', () => {
    for (const kind of ['timeout', 'invalidResult'] as const) {
      const s = slashFor({ kind, reward: token }, node(100n * token, { validResults: 30 }))
      expect(s.amount).toBe(5n * token)
      expect(s.reputationBps).toBeLessThan(0)
      expect(s.standing).toBe('unchanged')
      expect(s.counters[kind === 'timeout' ? 'timeouts' : 'invalidResults']).toBe(1)
    }
  })

  it('puts a node under review at its third failure when more than 20% of its results failed', () => {
    expect(slashFor({ kind: 'timeout', reward: token }, node(100n * token, { validResults: 7, timeouts: 1 })).standing).toBe('unchanged')
    expect(slashFor({ kind: 'timeout', reward: token }, node(100n * token, { validResults: 7, timeouts: 2 })).standing).toBe('review')
    expect(slashFor({ kind: 'timeout', reward: token }, node(100n * token, { validResults: 20, timeouts: 2 })).standing).toBe('unchanged')
    expect(needsReview({ ...NO_RECORD, invalidResults: 2 })).toBe(false)
  })

  it('takes no stake for a failed PoW but 200 bps of reputation; misuse takes half the stake and bans', () => {
    const pow = slashFor({ kind: 'powFailed' }, node(100n * token, { validResults: 40 }))
    expect(pow).toMatchObject({ amount: 0n, reputationBps: -200, standing: 'unchanged' })
    const misuse = slashFor({ kind: 'misuse' }, node(300n * token, { validResults: 40 }))
    expect(misuse).toMatchObject({ amount: 150n * token, reputationBps: -500, standing: 'banned' })
    expect(misuse.counters.disputesLost).toBe(1)
  })

  it('reports the reputation change the counters make, and never takes more than the stake', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 24n }), fc.bigInt({ min: 1n, max: 10n ** 22n }), fc.constantFrom('timeout', 'invalidResult', 'misuse', 'powFailed'), fc.nat(50), (stake, reward, kind, valid) => {
        const before = node(stake, { validResults: valid })
        const event = kind === 'timeout' || kind === 'invalidResult' ? { kind, reward } : { kind }
        const s = slashFor(event as Parameters<typeof slashFor>[0], before)
        expect(s.amount).toBeGreaterThanOrEqual(0n)
        expect(s.amount).toBeLessThanOrEqual(stake)
        expect(s.reputationBps).toBe(reputationBps(s.counters) - reputationBps(before.counters))
      }),
    )
  })

  it('refuses parameters out of their bounds, naming them', () => {
    expect(checkSlashingTable({ ...SLASHING_TABLE, failedTask: { ...SLASHING_TABLE.failedTask, stakeBps: 5_000 } })?.field).toBe('failedTask.stakeBps')
    expect(checkSlashingTable({ ...SLASHING_TABLE, misuse: { ...SLASHING_TABLE.misuse, stakeBps: 500 } })?.field).toBe('misuse.stakeBps')
    expect(checkSlashingTable({ ...SLASHING_TABLE, failedTask: { ...SLASHING_TABLE.failedTask, minRewardBps: 40_000, maxRewardBps: 20_000 } })?.field).toBe('failedTask.maxRewardBps')
    expect(SLASHING_BOUNDS.failedTask.stakeBps[0]).toBeGreaterThan(0)
  })
})
