import { describe, expect, it } from 'vitest'
import { feeSchemes, splitPayment } from './fees.ts'
import type { Bid } from './matching.ts'
import { replicationFor } from './quorum.ts'
import { estimateTaskCost, grossForNet } from './quote.ts'

const token = 10n ** 18n
const bid = (node: string, trustLevel: number): Bid => ({ node, resourceType: 'cpu', region: 'eu', pricePerUnit: token, verifiedPower: 1n, trustLevel, reputationBps: 9_000, latencyMs: 10, uptimeBps: 10_000 })

describe('estimateTaskCost', () => {
  const bids = [bid('new1', 1), bid('new2', 1), bid('new3', 1), bid('old1', 2), bid('old2', 2), bid('old3', 2)]
  const adaptive = { old1: { consecutiveValid: 20 }, old2: { consecutiveValid: 20 }, old3: { consecutiveValid: 20 } }

  it('expects full replication from new nodes and little from proven ones, by the trust asked', () => {
    const base = { jobs: 3, unitsPerJob: 1, bids, adaptive, replication: replicationFor(true) }
    const any = estimateTaskCost({ ...base, requirements: { resourceType: 'cpu', minTrustLevel: 1 } })
    const trusted = estimateTaskCost({ ...base, requirements: { resourceType: 'cpu', minTrustLevel: 2 } })
    expect(any.eligibleNodes).toBe(6)
    expect(trusted.eligibleNodes).toBe(3)
    expect(trusted.unreplicatedShare).toBeCloseTo(0.95)
    // At a run of 20: alone 95% of the time, checked 5% of those, replicated to 3 otherwise: 1 + 0.05 × 2 + 0.95 × 0.05.
    expect(trusted.expectedResultsPerJob).toBeCloseTo(1.1475, 6)
    expect(any.expectedResultsPerJob).toBeGreaterThan(trusted.expectedResultsPerJob)
    expect(trusted.total).toBeLessThan(any.total)
  })

  it('charges jobs × expected results × the gross that leaves each worker its price after fees', () => {
    const q = estimateTaskCost({ jobs: 10, unitsPerJob: 2, bids, adaptive: {}, requirements: { resourceType: 'cpu' }, replication: replicationFor(true, { target_results: 2 }) })
    expect(q.expectedResultsPerJob).toBe(2)
    expect(q.pricePerUnit).toBe(token)
    expect(splitPayment(q.grossPerResult, feeSchemes[0]!, [1]).workers[0]).toBeGreaterThanOrEqual(2n * token)
    expect(q.total).toBe(q.grossPerResult * 20n)
    expect(q.maxTotal).toBe(q.total)
    expect(q.fee).toBe(q.total - splitPayment(q.total, feeSchemes[0]!, [1]).workers[0]!)
  })

  it('says when no node is eligible', () => {
    const q = estimateTaskCost({ jobs: 5, unitsPerJob: 1, bids, adaptive, requirements: { resourceType: 'gpu', maxPricePerUnit: token } })
    expect(q).toMatchObject({ eligibleNodes: 0, expectedResultsPerJob: 3, pricePerUnit: token })
  })

  it('grosses a net pay up through fees.ts’s split, rounding included', () => {
    for (const scheme of feeSchemes) for (const net of [1n, 92n, 10n ** 18n + 7n]) {
      const gross = grossForNet(net, scheme)
      expect(splitPayment(gross, scheme, [1]).workers[0]).toBeGreaterThanOrEqual(net)
      expect(splitPayment(gross - 1n, scheme, [1]).workers[0]).toBeLessThan(net)
    }
  })
})
