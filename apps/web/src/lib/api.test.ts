import { describe, expect, it } from 'vitest'
import { ApiError, describeError, errorField, fieldMessage } from './api.ts'

describe('API errors', () => {
  it('shows the message of the field an error names, without its prefix', () => {
    const e = new ApiError(402, 'PAYMENT_REQUIRED', 'reward: 10 is more than your available escrow balance of 5; deposit tokens first', 'reward', 'exceeds the escrow balance')
    expect(fieldMessage(e)).toBe('10 is more than your available escrow balance of 5; deposit tokens first')
    expect(errorField(e)).toBe('reward')
    expect(fieldMessage(new ApiError(400, 'VALIDATION', 'bad', 'payload.x', 'is not a known field'))).toBe('Is not a known field')
  })

  // Contract reverts, in viem's real shape, are in components/Feedback.test.tsx.
  it('describes wallet rejections and plain errors', () => {
    expect(describeError({ shortMessage: 'x', details: 'User rejected the request.' })).toBe('You rejected the request in your wallet')
    expect(describeError(new Error('first line\nsecond'))).toBe('first line')
    expect(describeError('text')).toBe('text')
  })
})
