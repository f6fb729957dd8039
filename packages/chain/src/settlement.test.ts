import fc from 'fast-check'
import { type Hex, padHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { ChainError } from './errors.ts'
import { type TaskSettlementInput, AMOUNT_UNIT, MAX_SHARES, decodeTaskSettlement, encodeTaskSettlement } from './settlement.ts'

const taskId = padHex('0x1234', { size: 32 })

function errorOf(fn: () => unknown): ChainError {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ChainError)
    expect((error as ChainError).code).toBe('INVALID_SETTLEMENT')
    return error as ChainError
  }
  throw new Error('expected an INVALID_SETTLEMENT error')
}

describe('encodeTaskSettlement', () => {
  it('packs terms and shares bit for bit as TaskEscrow reads them', () => {
    const encoded = encodeTaskSettlement({
      taskId,
      amount: 10n ** 18n,
      close: true,
      workers: [
        { account: 0, weight: 1 },
        { account: 1, weight: 2 },
        { account: 2, weight: 0 },
      ],
      validators: [{ account: 3, weight: 5 }],
    })
    expect(encoded).toEqual({
      taskId,
      terms: 10n ** 18n | (1n << 96n) | (3n << 104n) | (1n << 112n),
      shares: [0x1n | (0x1_0002n << 32n) | (0x2_0000n << 64n) | (0x3_0005n << 96n)],
    })
    expect(AMOUNT_UNIT).toBe(1_000_000_000n)
  })

  it('starts a new word at the ninth share and leaves the rest of it zero', () => {
    const workers = Array.from({ length: 9 }, (_, i) => ({ account: 65_535 - i, weight: 65_535 }))
    const { shares, terms } = encodeTaskSettlement({ taskId, amount: 0n, close: false, workers, validators: [] })
    expect(terms).toBe(9n << 104n)
    expect(shares).toHaveLength(2)
    expect(shares[0]! & 0xffffffffn).toBe(0xffff_ffffn)
    expect(shares[0]! >> 224n).toBe(0xfff8_ffffn)
    expect(shares[1]).toBe(0xfff7_ffffn)
  })

  it('encodes a settlement without shares as no words', () => {
    expect(encodeTaskSettlement({ taskId, amount: 5n, close: true, workers: [], validators: [] })).toEqual({
      taskId,
      terms: 5n | (1n << 96n),
      shares: [],
    })
  })

  it('refuses what does not fit, with a message naming it', () => {
    const base: TaskSettlementInput = { taskId, amount: 1n, close: true, workers: [], validators: [] }
    expect(errorOf(() => encodeTaskSettlement({ ...base, amount: 1n << 96n })).message).toMatch(/fit in 96 bits/)
    expect(errorOf(() => encodeTaskSettlement({ ...base, amount: -1n })).message).toMatch(/amount/)
    expect(
      errorOf(() => encodeTaskSettlement({ ...base, workers: [{ account: 65_536, weight: 1 }] })).message,
    ).toMatch(/worker account index 65536/)
    expect(
      errorOf(() => encodeTaskSettlement({ ...base, validators: [{ account: 0, weight: 70_000 }] })).message,
    ).toMatch(/validator weight 70000/)
    errorOf(() => encodeTaskSettlement({ ...base, workers: [{ account: -1, weight: 1 }] }))
    errorOf(() => encodeTaskSettlement({ ...base, workers: [{ account: 1.5, weight: 1 }] }))
    errorOf(() => encodeTaskSettlement({ ...base, workers: [{ account: 1, weight: Number.NaN }] }))
    const many = Array.from({ length: MAX_SHARES + 1 }, () => ({ account: 0, weight: 1 }))
    expect(errorOf(() => encodeTaskSettlement({ ...base, workers: many })).message).toMatch(`${MAX_SHARES + 1} worker shares`)
    expect(errorOf(() => encodeTaskSettlement({ ...base, validators: many })).message).toMatch(`${MAX_SHARES + 1} validator`)
    encodeTaskSettlement({ ...base, workers: many.slice(1), validators: many.slice(1) })
    errorOf(() => encodeTaskSettlement({ ...base, taskId: '0x1234' }))
  })
})

describe('decodeTaskSettlement', () => {
  const share = fc.record({ account: fc.integer({ min: 0, max: 65_535 }), weight: fc.integer({ min: 0, max: 65_535 }) })
  const settlement = fc.record({
    taskId: fc.bigInt({ min: 0n, max: (1n << 256n) - 1n }).map((n) => padHex(`0x${n.toString(16)}`, { size: 32 })),
    amount: fc.bigInt({ min: 0n, max: (1n << 96n) - 1n }),
    close: fc.boolean(),
    workers: fc.array(share, { maxLength: MAX_SHARES }),
    validators: fc.array(share, { maxLength: 20 }),
  })

  it('inverts encodeTaskSettlement', () => {
    fc.assert(
      fc.property(settlement, (t) => {
        expect(decodeTaskSettlement(encodeTaskSettlement(t))).toEqual(t)
      }),
    )
  })

  it('refuses unknown terms bits, a wrong number of words and non-zero unused bits', () => {
    const encoded = encodeTaskSettlement({
      taskId,
      amount: 7n,
      close: false,
      workers: [{ account: 1, weight: 1 }],
      validators: [],
    })
    for (const bit of [97n, 103n, 120n, 255n]) {
      expect(errorOf(() => decodeTaskSettlement({ ...encoded, terms: encoded.terms | (1n << bit) })).message).toMatch(
        /unknown bits/,
      )
    }
    errorOf(() => decodeTaskSettlement({ ...encoded, shares: [] }))
    errorOf(() => decodeTaskSettlement({ ...encoded, shares: [...encoded.shares, 0n] }))
    expect(
      errorOf(() => decodeTaskSettlement({ ...encoded, shares: [encoded.shares[0]! | (1n << 32n)] })).message,
    ).toMatch(/unused share bits/)
    errorOf(() => decodeTaskSettlement({ ...encoded, shares: [1n << 256n] }))
    errorOf(() => decodeTaskSettlement({ ...encoded, taskId: '0x' as Hex }))
  })
})
