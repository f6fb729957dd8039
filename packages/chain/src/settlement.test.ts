import fc from 'fast-check'
import { type Hex, padHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { ChainError } from './errors.ts'
import { SlashReason } from './generated/index.ts'
import {
  type SlashInput,
  type SlashReasonName,
  type TaskSettlementInput,
  AMOUNT_UNIT,
  MAX_SHARES,
  MAX_SLASH_BPS,
  decodeReputations,
  decodeSlash,
  decodeTaskSettlement,
  encodeReputations,
  encodeSlash,
  encodeTaskSettlement,
} from './settlement.ts'

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

describe('encodeSlash and decodeSlash', () => {
  const base: SlashInput = { account: 2, reason: 'TaskTimeout', amount: 500n, unit: 'bps', burn: false, ban: false }

  it('packs a slash bit for bit as NodeRegistry reads it', () => {
    expect(encodeSlash(base)).toBe(500n | (2n << 96n) | (1n << 112n) | (1n << 120n))
    const misuse = encodeSlash({ account: 65_535, reason: 'Misuse', amount: 10n ** 18n, unit: 'tokens', burn: true, ban: true })
    expect(misuse).toBe(10n ** 18n | (0xffffn << 96n) | (3n << 112n) | (1n << 121n) | (1n << 122n))
    expect(SlashReason).toEqual({ None: 0, TaskTimeout: 1, WrongResult: 2, Misuse: 3, RepeatedFailures: 4 })
  })

  it('refuses a slash the registry would refuse, with a message naming it', () => {
    expect(errorOf(() => encodeSlash({ ...base, amount: MAX_SLASH_BPS + 1n })).message).toMatch(/from 1 to 5000 bps/)
    expect(errorOf(() => encodeSlash({ ...base, amount: 0n })).message).toMatch(/slash of account 2/)
    errorOf(() => encodeSlash({ ...base, unit: 'tokens', amount: 1n << 96n }))
    expect(errorOf(() => encodeSlash({ ...base, reason: 'None' as never })).message).toMatch(/reason None/)
    errorOf(() => encodeSlash({ ...base, reason: 'Whim' as never }))
    expect(errorOf(() => encodeSlash({ ...base, account: 65_536 })).message).toMatch(/slashed account index 65536/)
  })

  const slash = fc.record({
    account: fc.integer({ min: 0, max: 65_535 }),
    reason: fc.constantFrom('TaskTimeout', 'WrongResult', 'Misuse', 'RepeatedFailures') as fc.Arbitrary<SlashReasonName>,
    unit: fc.constantFrom('tokens' as const, 'bps' as const),
    amount: fc.bigInt({ min: 1n, max: (1n << 96n) - 1n }),
    burn: fc.boolean(),
    ban: fc.boolean(),
  }).map((s) => (s.unit === 'bps' ? { ...s, amount: (s.amount % MAX_SLASH_BPS) + 1n } : s))

  it('inverts encodeSlash', () => {
    fc.assert(
      fc.property(slash, (s) => {
        expect(decodeSlash(encodeSlash(s))).toEqual(s)
      }),
    )
  })

  it('refuses unknown bits and reasons', () => {
    const word = encodeSlash(base)
    for (const bit of [123n, 200n, 255n]) expect(errorOf(() => decodeSlash(word | (1n << bit))).message).toMatch(/unknown bits/)
    expect(errorOf(() => decodeSlash(word & ~(0xffn << 112n))).message).toMatch(/no known reason/)
    errorOf(() => decodeSlash((word & ~(0xffn << 112n)) | (5n << 112n)))
    errorOf(() => decodeSlash(word + 4_501n)) // 5,001 bps
  })
})

describe('encodeReputations and decodeReputations', () => {
  it('packs one entry per account, sixteen to a word, 0x8000 | bps where set', () => {
    expect(encodeReputations([], 40)).toEqual([])
    expect(encodeReputations([{ account: 1, bps: 9_800 }], 3)).toEqual([(0x8000n | 9_800n) << 16n])
    const words = encodeReputations([{ account: 0, bps: 0 }, { account: 16, bps: 10_000 }], 17)
    expect(words).toEqual([0x8000n, 0x8000n | 10_000n])
  })

  it('refuses what the registry would refuse', () => {
    expect(errorOf(() => encodeReputations([{ account: 3, bps: 1 }], 3)).message).toMatch(/reputation account index 3/)
    expect(errorOf(() => encodeReputations([{ account: 0, bps: 10_001 }], 3)).message).toMatch(/reputation of account 0/)
    expect(errorOf(() => encodeReputations([{ account: 0, bps: 1 }, { account: 0, bps: 2 }], 3)).message).toMatch(/two reputations/)
    errorOf(() => encodeReputations([{ account: 0, bps: 1 }], 1_025))
    errorOf(() => decodeReputations([0n, 0n], 3))
    errorOf(() => decodeReputations([0x1234n], 3)) // no set bit
    errorOf(() => decodeReputations([(0x8000n | 10_001n)], 3))
    errorOf(() => decodeReputations([0x8000n << 48n], 3)) // past the accounts
  })

  it('inverts encodeReputations', () => {
    const input = fc.integer({ min: 1, max: 100 }).chain((accounts) =>
      fc.record({
        accounts: fc.constant(accounts),
        reputations: fc.uniqueArray(
          fc.record({ account: fc.integer({ min: 0, max: accounts - 1 }), bps: fc.integer({ min: 0, max: 10_000 }) }),
          { selector: (r) => r.account, maxLength: accounts },
        ),
      }),
    )
    fc.assert(
      fc.property(input, ({ accounts, reputations }) => {
        const sorted = [...reputations].sort((a, b) => a.account - b.account)
        expect(decodeReputations(encodeReputations(reputations, accounts), accounts)).toEqual(sorted)
      }),
    )
  })
})
