import { describe, expect, it } from 'vitest'
import { MAX_DEADLINE_SECONDS, MIN_DEADLINE_SECONDS, deadlineProblem } from './deadlines.ts'

describe('deadlineProblem', () => {
  const now = 1_800_000_000
  it('accepts the bounds themselves and refuses a second past either, naming the bound', () => {
    expect(deadlineProblem(now + MIN_DEADLINE_SECONDS, now)).toBeUndefined()
    expect(deadlineProblem(now + MAX_DEADLINE_SECONDS, now)).toBeUndefined()
    expect(deadlineProblem(now + MIN_DEADLINE_SECONDS - 1, now)).toBe('must be at least 30 seconds in the future')
    expect(deadlineProblem(now + MAX_DEADLINE_SECONDS + 1, now)).toBe('must be within 364 days')
    expect(deadlineProblem(now - 1, now)).toBe('must be at least 30 seconds in the future')
  })
})
