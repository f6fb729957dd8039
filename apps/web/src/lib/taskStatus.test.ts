import { describe, expect, it } from 'vitest'
import { statusWord, taskTiming } from './taskStatus.ts'

const deadline = 1_700_003_600
const locked = { chain_task_id: '0x', state: 'locked', tx_hash: null, locked: '1', paid: '0' } as const

describe('status words', () => {
  it('calls a manual task or poll people can take "open", and "opening" while its reward is locked', () => {
    expect(statusWord({ challenge_type: 'poll', status: 'pending', deadline, escrow: locked })).toBe('open')
    expect(statusWord({ challenge_type: 'poll', status: 'in_progress', deadline, escrow: locked })).toBe('open')
    expect(statusWord({ challenge_type: 'manual', status: 'pending', deadline, escrow: { ...locked, state: 'awaiting' } })).toBe('opening')
    expect(statusWord({ challenge_type: 'manual', status: 'in_progress', deadline, escrow: locked, slots: { total: 2, free: 1 } })).toBe('open')
    expect(statusWord({ challenge_type: 'manual', status: 'in_progress', deadline, escrow: locked, slots: { total: 2, free: 0 } })).toBe('in_progress')
    // A list row knows no escrow or slots: a running human task is open.
    expect(statusWord({ challenge_type: 'manual', status: 'pending', deadline })).toBe('open')
  })

  it('leaves compute tasks and finished ones as they are', () => {
    expect(statusWord({ challenge_type: 'rendering', status: 'pending', deadline })).toBe('pending')
    expect(statusWord({ challenge_type: 'poll', status: 'completed', deadline })).toBe('completed')
  })
})

describe('task timing', () => {
  it('points at the deadline while it runs and at the end once it completed, never at a past deadline', () => {
    expect(taskTiming({ challenge_type: 'rendering', status: 'in_progress', deadline })).toEqual({ label: 'Deadline', at: deadline })
    expect(taskTiming({ challenge_type: 'poll', status: 'pending', deadline })).toEqual({ label: 'Closes', at: deadline })
    const result = { result_hash: null, worker_address: null, completed_at: 1_700_000_100 }
    expect(taskTiming({ challenge_type: 'rendering', status: 'completed', deadline, result })).toEqual({ label: 'Completed', at: 1_700_000_100 })
    expect(taskTiming({ challenge_type: 'poll', status: 'completed', deadline, result })).toEqual({ label: 'Closed and paid', at: 1_700_000_100 })
    expect(taskTiming({ challenge_type: 'rendering', status: 'failed', deadline })).toEqual({ label: 'Ended, refunded' })
    expect(taskTiming({ challenge_type: 'manual', status: 'verifying', deadline })).toEqual({ label: 'Closed, paying out' })
  })
})
