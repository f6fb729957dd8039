import { describe, expect, it } from 'vitest'
import { type Bid, DEFAULT_MATCH_WEIGHTS, RESOURCE_TYPES, RESOURCE_TYPE_NAMES, effectivePrice, ineligibility, matchBids } from './matching.ts'

const token = 10n ** 18n
const bid = (node: string, b: Partial<Bid> = {}): Bid => ({
  node,
  resourceType: 'gpu',
  region: 'eu',
  pricePerUnit: token,
  verifiedPower: 1_000_000n,
  trustLevel: 2,
  reputationBps: 8_000,
  latencyMs: 50,
  uptimeBps: 9_900,
  ...b,
})

describe('matching', () => {
  it('names every provider type of seed 003 for the API', () => {
    expect([...RESOURCE_TYPE_NAMES].sort()).toEqual(Object.keys(RESOURCE_TYPES).sort())
  })

  it('states seed 003’s earnings unit for each provider type', () => {
    expect(Object.fromEntries(Object.entries(RESOURCE_TYPES).map(([k, v]) => [k, v.unit]))).toEqual({ gpu: 'GPU-hour', cpu: 'CPU-hour', network: 'GB transferred', mobile: 'task completed', iot: 'data point' })
  })

  it('names the first requirement a bid misses', () => {
    const req = { resourceType: 'gpu', minVerifiedPower: 10n, minTrustLevel: 2, regions: ['eu'], maxLatencyMs: 100, maxPricePerUnit: 2n * token, minUptimeBps: 9_500 } as const
    expect(ineligibility(req, bid('a'))).toBeUndefined()
    expect(ineligibility(req, bid('a', { resourceType: 'cpu' }))).toBe('resource_type')
    expect(ineligibility(req, bid('a', { verifiedPower: 1n }))).toBe('verified_power')
    expect(ineligibility(req, bid('a', { trustLevel: 1 }))).toBe('trust_level')
    expect(ineligibility(req, bid('a', { region: 'us' }))).toBe('region')
    expect(ineligibility(req, bid('a', { latencyMs: 101 }))).toBe('latency')
    expect(ineligibility(req, bid('a', { pricePerUnit: 3n * token }))).toBe('price')
    expect(ineligibility(req, bid('a', { uptimeBps: 9_000 }))).toBe('uptime')
    expect(ineligibility({ resourceType: 'gpu' }, bid('a', { region: 'asia', trustLevel: 0 }))).toBeUndefined()
  })

  it('picks the cheapest eligible node of the right type and region, with each bid’s breakdown adding up to its score', () => {
    const bids = [bid('cheap-cpu', { resourceType: 'cpu', pricePerUnit: token / 2n }), bid('cheap-us', { region: 'us', pricePerUnit: token / 2n }), bid('dear'), bid('cheap', { pricePerUnit: (token * 8n) / 10n })]
    const { ranked, ineligible } = matchBids({ resourceType: 'gpu', regions: ['eu'] }, bids)
    expect(ranked.map((r) => r.bid.node)).toEqual(['cheap', 'dear'])
    expect(ineligible).toEqual([{ node: 'cheap-cpu', reason: 'resource_type' }, { node: 'cheap-us', reason: 'region' }])
    for (const r of ranked) {
      const sum = Object.values(r.breakdown).reduce((a, b) => a + b, 0)
      expect(r.score).toBeCloseTo(sum)
      expect(r.score).toBeGreaterThanOrEqual(0)
      expect(r.score).toBeLessThanOrEqual(1)
    }
    expect(ranked[0]!.breakdown.price).toBeCloseTo(DEFAULT_MATCH_WEIGHTS.price)
    expect(ranked[1]!.breakdown.price).toBeCloseTo(DEFAULT_MATCH_WEIGHTS.price * 0.8)
  })

  it('normalizes each term against the eligible bids and takes weights as shares of their sum', () => {
    const bids = [bid('a', { latencyMs: 20, verifiedPower: 400n, reputationBps: 10_000, uptimeBps: 10_000 }), bid('b', { latencyMs: 80, verifiedPower: 100n, reputationBps: 5_000, uptimeBps: 5_000 })]
    const only = (w: keyof typeof DEFAULT_MATCH_WEIGHTS) => matchBids({ resourceType: 'gpu' }, bids, { price: 0, reputation: 0, latency: 0, uptime: 0, verifiedPower: 0, [w]: 7 }).ranked.map((r) => r.score)
    expect(only('latency')).toEqual([1, 0.25])
    expect(only('verifiedPower')).toEqual([1, 0.25])
    expect(only('reputation')).toEqual([1, 0.5])
    expect(only('uptime')).toEqual([1, 0.5])
    expect(matchBids({ resourceType: 'gpu' }, bids, { price: 0, reputation: 0, latency: 0, uptime: 0, verifiedPower: 0 }).ranked.map((r) => r.score)).toEqual([0, 0])
  })

  it('prices a bid per job: a new node’s price counts once per replica its jobs need', () => {
    expect(effectivePrice(bid('a', { expectedResults: 2 }))).toBe(2n * token)
    const { ranked } = matchBids({ resourceType: 'gpu' }, [bid('new', { pricePerUnit: (token * 8n) / 10n, expectedResults: 2 }), bid('proven', { expectedResults: 1.05 })])
    expect(ranked[0]!.bid.node).toBe('proven')
  })

  it('breaks ties by price, then by node', () => {
    expect(matchBids({ resourceType: 'gpu' }, [bid('b'), bid('a')]).ranked.map((r) => r.bid.node)).toEqual(['a', 'b'])
    expect(matchBids({ resourceType: 'gpu' }, []).ranked).toEqual([])
  })
})
