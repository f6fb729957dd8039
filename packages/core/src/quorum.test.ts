import { describe, expect, it } from 'vitest'
import { decideQuorum } from './quorum.ts'

const p = { minQuorum: 2, targetResults: 3, maxErrorResults: 3, maxTotalResults: 6 }
const r = (worker: string, digest: string | null) => ({ worker, digest })

describe('decideQuorum', () => {
  it('issues target replicas at first', () => {
    expect(decideQuorum(p, [], 0)).toEqual({ state: 'pending', issue: 3 })
    expect(decideQuorum(p, [], 2)).toEqual({ state: 'pending', issue: 1 })
  })
  it('validates two agreeing results and names the odd one out', () => {
    expect(decideQuorum(p, [r('a', 'x'), r('b', 'y'), r('c', 'x')], 0)).toEqual({
      state: 'valid',
      digest: 'x',
      valid: ['a', 'c'],
      invalid: ['b'],
    })
  })
  it('waits while one result stands alone', () => {
    expect(decideQuorum(p, [r('a', 'x')], 2)).toEqual({ state: 'pending', issue: 0 })
  })
  it('issues one more replica on a tie', () => {
    expect(decideQuorum(p, [r('a', 'x'), r('b', 'y')], 0)).toEqual({ state: 'pending', issue: 1 })
    expect(decideQuorum(p, [r('a', 'x'), r('b', 'y'), r('c', 'z')], 0)).toEqual({ state: 'pending', issue: 1 })
  })
  it('needs a strict majority, not just the quorum', () => {
    const d = decideQuorum(p, [r('a', 'x'), r('b', 'x'), r('c', 'y'), r('d', 'y')], 0)
    expect(d.state).toBe('pending')
  })
  it('replaces errors and fails after too many', () => {
    expect(decideQuorum(p, [r('a', null)], 2)).toEqual({ state: 'pending', issue: 1 })
    expect(decideQuorum(p, [r('a', null), r('b', null), r('c', null)], 0)).toEqual({ state: 'error', reason: 'too_many_errors' })
  })
  it('fails without consensus at the total limit', () => {
    const all = ['1', '2', '3', '4', '5', '6'].map((d, i) => r(`w${i}`, d))
    expect(decideQuorum(p, all, 0)).toEqual({ state: 'error', reason: 'no_consensus' })
  })
  it('never issues past the total limit', () => {
    const d = decideQuorum(p, [r('a', 'x'), r('b', 'y'), r('c', 'z'), r('d', 'w')], 2)
    expect(d).toEqual({ state: 'pending', issue: 0 })
  })
  it('validates a single replica when the quorum is one', () => {
    expect(decideQuorum({ ...p, minQuorum: 1, targetResults: 1 }, [r('a', 'x')], 0).state).toBe('valid')
  })
})
