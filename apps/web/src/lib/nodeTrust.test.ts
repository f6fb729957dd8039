import { NODE_STATES } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { NODE_STATE_TONE, formatReputation, reputationSeries, slashReason, trustLevelLabel } from './nodeTrust.ts'

describe('node trust in words', () => {
  it('names slash reasons and trust levels as people read them', () => {
    expect(slashReason('TaskTimeout')).toBe('Lease timed out')
    expect(slashReason('WrongResult')).toBe('Result outvoted')
    expect(slashReason('Misuse')).toBe('Misuse ruled in a dispute')
    expect(trustLevelLabel(1, 'Basic')).toBe('Level 1 · Basic')
  })

  it('shows a reputation out of 10,000 as a percentage with one decimal', () => {
    expect(formatReputation(7250)).toBe('72.5%')
    expect(formatReputation(3846)).toBe('38.5%')
    expect(formatReputation(10_000)).toBe('100.0%')
    expect(formatReputation(0)).toBe('0.0%')
  })

  it('gives every node state a badge colour', () => {
    for (const state of NODE_STATES) expect(NODE_STATE_TONE[state]).toBeTruthy()
    expect(NODE_STATE_TONE.Slashed).toBe('danger')
  })

  it('turns the reputation history into chart points in percent, in the order given', () => {
    expect(reputationSeries([])).toEqual([])
    expect(
      reputationSeries([
        { at: 1_700_000_000, bps: 5000, tx_hash: null },
        { at: 1_700_000_600, bps: 5454, tx_hash: `0x${'ab'.repeat(32)}` },
      ]),
    ).toEqual([
      { x: 1_700_000_000, y: 50 },
      { x: 1_700_000_600, y: 54.54 },
    ])
  })
})
