import { describe, expect, it } from 'vitest'
import { checkQuorumParams, decideQuorum, replicationFor } from './quorum.ts'

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

describe('replicationFor', () => {
  it('issues compute work to 3 replicas needing 2 that agree, a human task to one person, and keeps what the poster asked', () => {
    expect(replicationFor(true)).toEqual({ minQuorum: 2, targetResults: 3, maxErrorResults: 3, maxTotalResults: 6 })
    expect(replicationFor(false)).toEqual({ minQuorum: 1, targetResults: 1, maxErrorResults: 3, maxTotalResults: 3 })
    expect(replicationFor(true, { min_quorum: 1, target_results: 1 })).toEqual({ minQuorum: 1, targetResults: 1, maxErrorResults: 3, maxTotalResults: 3 })
    for (const target of [1, 2, 3, 5, 16]) expect(checkQuorumParams(replicationFor(true, { target_results: target }))).toBeUndefined()
  })
})
