import { describe, expect, it } from 'vitest'
import { TaskMarketError } from './errors.ts'
import { formatTokens, parsePrice, parseTokens } from './money.ts'

describe('token amounts', () => {
  it('round-trips decimal strings exactly', () => {
    for (const s of ['10', '10.5', '0.000000000000000001', '999999999.123456789']) expect(formatTokens(parseTokens(s))).toBe(s)
    expect(parseTokens('10.0')).toBe(10n * 10n ** 18n)
  })
  it('refuses zero, negatives, junk and too many decimals, naming the field', () => {
    for (const bad of ['0', '0.0', '-1', '1e5', 'ten', '', '1.', 12 as unknown as string]) {
      const error = (() => { try { parseTokens(bad, 'reward') } catch (e) { return e } })()
      expect(error).toBeInstanceOf(TaskMarketError)
      expect((error as TaskMarketError).field).toBe('reward')
    }
    expect(() => parseTokens('1.0000000001', 'reward', 9)).toThrow('at most 9 decimals')
    // Past the token's 18 decimals the context's limit is still the one named.
    expect(() => parseTokens(`1.${'0'.repeat(18)}1`, 'reward', 9)).toThrow('reward: must have at most 9 decimals')
    expect(() => parseTokens(`1.${'0'.repeat(18)}1`, 'amount')).toThrow('amount: must have at most 18 decimals')
    expect(parseTokens('1.000000001', 'reward', 9)).toBe(1_000_000_001_000_000_000n)
  })

  it('parses a price that may be zero, and refuses what parseTokens refuses', () => {
    expect(parsePrice('0')).toBe(0n)
    expect(parsePrice('0.000')).toBe(0n)
    expect(parsePrice('0.25')).toBe(25n * 10n ** 16n)
    expect(() => parsePrice('-1', 'price_per_unit')).toThrow(/price_per_unit/)
    expect(() => parsePrice('abc')).toThrow(/decimal string/)
  })
})
