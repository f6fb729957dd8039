import { describe, expect, it } from 'vitest'
import { compactNumber, linear, niceTicks } from './chartMath.ts'

describe('chart math', () => {
  it('makes nice ticks that cover the data', () => {
    expect(niceTicks(0, 87)).toEqual([0, 20, 40, 60, 80, 100])
    expect(niceTicks(0, 1000, 4)).toEqual([0, 250, 500, 750, 1000])
    expect(niceTicks(0, 0)).toEqual([0, 1])
    const t = niceTicks(90, 90)
    expect(t[0]).toBeLessThanOrEqual(90)
    expect(t[t.length - 1]).toBeGreaterThanOrEqual(90)
  })
  it('maps linearly and abbreviates', () => {
    expect(linear([0, 10], [100, 0])(2.5)).toBe(75)
    expect(compactNumber(1500)).toBe('1.5k')
    expect(compactNumber(2_000_000)).toBe('2M')
    expect(compactNumber(0.5)).toBe('0.5')
  })
})
