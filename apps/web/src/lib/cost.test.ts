import { feeSchemes, splitPayment } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { costPreview, manualPay, perAssignmentUnits } from './cost.ts'

const E = 10n ** 18n

describe('cost preview', () => {
  it('splits a compute reward 92% to the replicas and 8% to the treasury, as the escrow does', () => {
    const c = costPreview('10', 'rendering', 3)!
    expect(c.total).toBe(10n * E)
    expect(c.workers + c.treasury + c.burn + c.validators).toBe(10n * E)
    expect(c.perReplica).toBe((92n * E) / 10n / 3n)
    expect(c.treasury).toBe(10n * E - 3n * c.perReplica)
    expect(c.treasury).toBeGreaterThanOrEqual((8n * E) / 10n)
    const exact = splitPayment(10n * E, feeSchemes[0]!, [1, 1, 1])
    expect(c.workers).toBe(exact.workers.reduce((a, b) => a + b, 0n))
  })

  it('uses the judged-inference scheme: 70% miner, 25% validators, 5% burned', () => {
    const c = costPreview('100', 'inference', 1)!
    expect(c).toMatchObject({ workers: 70n * E, validators: 25n * E, burn: 5n * E, treasury: 0n })
  })

  it('is undefined until the reward is a valid escrow amount', () => {
    expect(costPreview('', 'hash', 3)).toBeUndefined()
    expect(costPreview('abc', 'hash', 3)).toBeUndefined()
    expect(costPreview('0.0000000001', 'hash', 3)).toBeUndefined()
    expect(costPreview('0.000000001', 'hash', 1)?.reward).toBe(10n ** 9n)
  })

  it('pays each assignment of a manual task its share of the reward, of which the worker gets 92%', () => {
    const c = costPreview('10', 'manual', 4)!
    expect(c.perAssignment).toBe((10n * E) / 4n)
    expect(c.perReplica).toBe((23n * E) / 10n)
    expect(c.treasury).toBe(4n * ((2n * E) / 10n))
    // Split in whole nano-tokens, as the escrow stores amounts.
    expect(perAssignmentUnits('10', 3)).toBe(3_333_333_333n * 10n ** 9n)
    expect(perAssignmentUnits('0.000000002', 3)).toBe(0n)
    expect(manualPay('10', 2)).toEqual({ gross: 5n * 10n ** 18n, net: 46n * 10n ** 17n })
    expect(perAssignmentUnits('oops', 3)).toBe(0n)
  })
})
