import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { MAX_SHARES_PER_SETTLEMENT, splitSettlement } from './settlementSplit.ts'

const unit = 1_000_000_000n
const workers = (n: number, weight = (i: number) => 1) => Array.from({ length: n }, (_, i) => ({ address: `w${i}`, weight: weight(i) }))

describe('splitSettlement', () => {
  it('keeps a task of up to 64 paid workers in one closing settlement and leaves out rejected ones', () => {
    const parts = splitSettlement(100n * unit, [...workers(64), { address: 'liar', weight: 0 }], { unit })
    expect(parts).toHaveLength(1)
    expect(parts[0]).toMatchObject({ amount: 100n * unit, close: true })
    expect(parts[0]!.shares.map((s) => s.address)).not.toContain('liar')
  })

  it('pays 300 workers in five settlements, only the last closing, amounts in whole units summing to the total', () => {
    const parts = splitSettlement(1000n * unit + 7n * unit, workers(300, (i) => 1 + (i % 3)), { unit })
    expect(parts.map((p) => p.shares.length)).toEqual([64, 64, 64, 64, 44])
    expect(parts.map((p) => p.close)).toEqual([false, false, false, false, true])
    expect(parts.reduce((s, p) => s + p.amount, 0n)).toBe(1007n * unit)
    for (const p of parts) expect(p.amount % unit).toBe(0n)
  })

  it('keeps every part within the share limit, conserves the total and pays in proportion to weight (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 500 }), { minLength: 1, maxLength: 400 }), fc.bigInt({ min: 0n, max: 10n ** 12n }), (weights, units) => {
        const total = units * unit
        const parts = splitSettlement(total, weights.map((w, i) => ({ address: `w${i}`, weight: w })), { unit })
        expect(parts.reduce((s, p) => s + p.amount, 0n)).toBe(total)
        for (const p of parts) {
          expect(p.shares.length).toBeLessThanOrEqual(MAX_SHARES_PER_SETTLEMENT)
          expect(p.amount % unit).toBe(0n)
          expect(p.shares.every((s) => s.weight > 0)).toBe(true)
        }
        expect(parts.filter((p) => p.close)).toHaveLength(1)
        expect(parts.at(-1)!.close).toBe(true)
      }),
      { numRuns: 200 },
    )
  })
})
