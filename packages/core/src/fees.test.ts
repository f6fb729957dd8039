import { describe, expect, it } from 'vitest'
import { equalShare, feeSchemeIdFor, feeSchemes, netPay, splitPayment } from './fees.ts'

const token = 10n ** 18n

describe('fees', () => {
  it('split equally in whole escrow units (nano-tokens), the dust staying with the poster', () => {
    expect(equalShare(10n * token, 3)).toBe(3_333_333_333_000_000_000n)
    expect(equalShare(1n, 1)).toBe(0n)
    expect(equalShare(5n * token, 0)).toBe(0n)
    for (const n of [1, 2, 3, 7, 64]) expect(equalShare(10n * token, n) * BigInt(n)).toBeLessThanOrEqual(10n * token)
  })

  it('pay a lone worker what the escrow’s split gives it: 92% under the default scheme', () => {
    expect(netPay(100n)).toBe(92n)
    expect(netPay(equalShare(10n * token, 2))).toBe(4_600_000_000_000_000_000n)
    for (const scheme of feeSchemes) expect(netPay(1_000n, scheme)).toBe(splitPayment(1_000n, scheme, [1]).workers[0])
  })

  it('pick the judged scheme for inference only', () => {
    expect(feeSchemeIdFor('inference')).toBe(1)
    for (const kind of ['hash', 'rendering', 'manual', 'poll']) expect(feeSchemeIdFor(kind)).toBe(0)
  })
})
