import { describe, expect, it } from 'vitest'
import { countdown, formatAmount, formatBytes, humanize, percent, shortHex, timeAgo, toUnits, trustName } from './format.ts'

describe('formatters', () => {
  it('formats token amounts with separators, rounding and no trailing zeros', () => {
    expect(formatAmount('1234.56789')).toBe('1,234.5679')
    expect(formatAmount('1000')).toBe('1,000')
    expect(formatAmount('90.000000000')).toBe('90')
    expect(formatAmount('0')).toBe('0')
    expect(formatAmount('9.2', 2)).toBe('9.2')
    expect(formatAmount('0.00001', 2)).toBe('<0.01')
    expect(formatAmount(-10n * 10n ** 18n)).toBe('-10')
    expect(formatAmount('1234567.999999', 2)).toBe('1,234,568')
    expect(formatAmount(undefined)).toBe('0')
    expect(formatAmount('0.3', 0)).toBe('<1')
    expect(formatAmount('2.5', 0)).toBe('3')
  })

  it('parses decimal strings into base units', () => {
    expect(toUnits('1.5')).toBe(1_500_000_000_000_000_000n)
    expect(toUnits('-2')).toBe(-2_000_000_000_000_000_000n)
    expect(toUnits('0.000000000000000001')).toBe(1n)
    expect(toUnits('abc')).toBe(0n)
  })

  it('shortens hex, tells relative time, sizes and names', () => {
    expect(shortHex('0x1234567890abcdef1234567890abcdef12345678')).toBe('0x1234…5678')
    expect(shortHex(null)).toBe('—')
    const now = 1_700_000_000_000
    expect(timeAgo(now / 1000 - 10, now)).toBe('just now')
    expect(timeAgo(now / 1000 - 90, now)).toBe('2 min ago')
    expect(timeAgo(now / 1000 - 3 * 3600, now)).toBe('3 h ago')
    expect(timeAgo(now / 1000 + 2 * 86_400, now)).toBe('in 2 d')
    expect(formatBytes(512)).toBe('512 B')
    expect(formatBytes(1536)).toBe('1.5 KB')
    expect(formatBytes(64 * 1024 * 1024)).toBe('64 MB')
    expect(humanize('in_progress')).toBe('In progress')
    expect(percent(0.256)).toBe('26%')
    expect(percent(Number.NaN)).toBe('0%')
    expect(trustName(2)).toBe('Verified')
  })

  it('counts down to a moment in minutes, hours or days', () => {
    const now = 1_700_000_000_000
    expect(countdown(now / 1000 + 249, now)).toBe('4:09')
    expect(countdown(now / 1000 + 3 * 3600 + 5 * 60, now)).toBe('3 h 05 min')
    expect(countdown(now / 1000 + 2 * 86_400 + 3 * 3600, now)).toBe('2 d 3 h')
    expect(countdown(now / 1000 - 10, now)).toBe('0:00')
  })
})
