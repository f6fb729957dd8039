import { parsePrice } from './money.ts'
/**
 * Seed 003's provider types, each with the unit its earnings are counted in. A fixed-reward task is
 * quoted in these units (quote.ts); metered hourly work comes later.
 */
export const RESOURCE_TYPES = {
  gpu: { name: 'GPU', unit: 'GPU-hour', resources: 'gaming PCs, mining rigs', useCase: 'AI training, rendering' },
  cpu: { name: 'CPU', unit: 'CPU-hour', resources: 'servers, desktops', useCase: 'data processing, compilation' },
  network: { name: 'Network', unit: 'GB transferred', resources: 'bandwidth, CDN', useCase: 'data transfer, streaming' },
  mobile: { name: 'Mobile', unit: 'task completed', resources: 'smartphones, tablets', useCase: 'edge computing, testing' },
  iot: { name: 'IoT/Edge', unit: 'data point', resources: 'e-bikes, smart devices', useCase: 'sensor data, location services' },
} as const

export type ResourceType = keyof typeof RESOURCE_TYPES

/** The provider types by name, as the API lists them (matching.test.ts checks they are RESOURCE_TYPES' keys). */
export const RESOURCE_TYPE_NAMES = ['gpu', 'cpu', 'network', 'mobile', 'iot'] as const satisfies readonly ResourceType[]

/** A node's offer for a task, with what the server knows of it. */
export type Bid = {
  node: string
  resourceType: ResourceType
  region: string
  /** Price per unit of its resource type's earnings model, base units. */
  pricePerUnit: bigint
  /** NodeRegistry's verified power from PoW solve times (expected hashes per second). */
  verifiedPower: bigint
  trustLevel: number
  reputationBps: number
  /** Round-trip to the task's poster or region, ms. */
  latencyMs: number
  /** Share of expected heartbeats received, bps. */
  uptimeBps: number
  /**
   * Results a job is expected to take when offered first to this node (adaptive replication's
   * `expectedResults`: 1 for a proven node, up to the replica count for a new one); default 1.
   */
  expectedResults?: number
}

/** What a task asks of the nodes that may work on it; each bound is optional. */
export type Requirements = {
  /** Undefined: any type. */
  resourceType?: ResourceType
  minVerifiedPower?: bigint
  minTrustLevel?: number
  regions?: readonly string[]
  maxLatencyMs?: number
  maxPricePerUnit?: bigint
  /** SLA uptime, bps. */
  minUptimeBps?: number
}

/** The weights w1…w5 of seed 003's score; any non-negative numbers, used as shares of their sum. */
export type MatchWeights = { price: number; reputation: number; latency: number; uptime: number; verifiedPower: number }

export const DEFAULT_MATCH_WEIGHTS: MatchWeights = { price: 0.3, reputation: 0.3, latency: 0.1, uptime: 0.15, verifiedPower: 0.15 }

/** Each term of a bid's score, already weighted: they add up to the score. */
export type ScoreBreakdown = MatchWeights

export type RankedBid = { bid: Bid; score: number; breakdown: ScoreBreakdown }

export type IneligibleReason = 'resource_type' | 'verified_power' | 'trust_level' | 'region' | 'latency' | 'price' | 'uptime'

/** Why a bid may not take the task, or undefined when it may: the first requirement it misses. */
export function ineligibility(req: Requirements, bid: Bid): IneligibleReason | undefined {
  if (req.resourceType !== undefined && bid.resourceType !== req.resourceType) return 'resource_type'
  if (req.minVerifiedPower !== undefined && bid.verifiedPower < req.minVerifiedPower) return 'verified_power'
  if (req.minTrustLevel !== undefined && bid.trustLevel < req.minTrustLevel) return 'trust_level'
  if (req.regions !== undefined && req.regions.length > 0 && !req.regions.includes(bid.region)) return 'region'
  if (req.maxLatencyMs !== undefined && bid.latencyMs > req.maxLatencyMs) return 'latency'
  if (req.maxPricePerUnit !== undefined && bid.pricePerUnit > req.maxPricePerUnit) return 'price'
  if (req.minUptimeBps !== undefined && bid.uptimeBps < req.minUptimeBps) return 'uptime'
  return undefined
}

/** A bid's price per job: its price times the results a job offered to it is expected to take. */
export function effectivePrice(bid: Bid): bigint {
  return (bid.pricePerUnit * BigInt(Math.round((bid.expectedResults ?? 1) * 1_000_000))) / 1_000_000n
}

/** `a / b` of two bigints as a number in [0, 1] to six places (b ≥ a > 0). */
function ratio(a: bigint, b: bigint): number {
  return b <= 0n ? 1 : Number((a * 1_000_000n) / b) / 1_000_000
}

/**
 * Seed 003's engine: drops the bids that miss a requirement, scores the rest by
 * `w1·price + w2·reputation + w3·latency + w4·uptime + w5·verifiedPower` and ranks them best first (ties
 * by price, then node). Each term is normalized to [0, 1] against the eligible bids: price = cheapest
 * effective price / this one (price × expected results, so a proven node's price counts once and a new
 * node's once per replica its jobs need); reputation = bps / 10,000; latency = lowest latency / this latency (1 ms floor); uptime =
 * bps / 10,000; verifiedPower = this power / the highest. Weights are shares of their sum, so a score is in
 * [0, 1] too. Work is offered in the returned order.
 * @example matchBids({ resourceType: 'gpu', regions: ['eu'] }, bids).ranked[0].bid.node
 */
export function matchBids(req: Requirements, bids: readonly Bid[], weights: MatchWeights = DEFAULT_MATCH_WEIGHTS): { ranked: RankedBid[]; ineligible: { node: string; reason: IneligibleReason }[] } {
  const eligible: Bid[] = []
  const ineligible: { node: string; reason: IneligibleReason }[] = []
  for (const bid of bids) {
    const reason = ineligibility(req, bid)
    if (reason) ineligible.push({ node: bid.node, reason })
    else eligible.push(bid)
  }
  if (eligible.length === 0) return { ranked: [], ineligible }
  const prices = new Map(eligible.map((b) => [b, effectivePrice(b)]))
  const cheapest = eligible.reduce((m, b) => (prices.get(b)! < m ? prices.get(b)! : m), prices.get(eligible[0]!)!)
  const strongest = eligible.reduce((m, b) => (b.verifiedPower > m ? b.verifiedPower : m), 0n)
  const fastest = Math.max(1, Math.min(...eligible.map((b) => b.latencyMs)))
  const sum = weights.price + weights.reputation + weights.latency + weights.uptime + weights.verifiedPower
  const share = (w: number) => (sum > 0 ? w / sum : 0)
  const ranked = eligible.map((bid): RankedBid => {
    const breakdown: ScoreBreakdown = {
      price: share(weights.price) * (prices.get(bid)! <= 0n ? 1 : ratio(cheapest, prices.get(bid)!)),
      reputation: share(weights.reputation) * (Math.min(10_000, Math.max(0, bid.reputationBps)) / 10_000),
      latency: share(weights.latency) * (fastest / Math.max(1, bid.latencyMs)),
      uptime: share(weights.uptime) * (Math.min(10_000, Math.max(0, bid.uptimeBps)) / 10_000),
      verifiedPower: share(weights.verifiedPower) * (strongest === 0n ? 1 : ratio(bid.verifiedPower, strongest)),
    }
    const score = breakdown.price + breakdown.reputation + breakdown.latency + breakdown.uptime + breakdown.verifiedPower
    return { bid, score, breakdown }
  })
  ranked.sort((a, b) => b.score - a.score || (a.bid.pricePerUnit < b.bid.pricePerUnit ? -1 : a.bid.pricePerUnit > b.bid.pricePerUnit ? 1 : 0) || (a.bid.node < b.bid.node ? -1 : a.bid.node > b.bid.node ? 1 : 0))
  return { ranked, ineligible }
}

/**
 * A task's requirements as the API states them (`requirements` of POST /tasks and /tasks/quote) with its
 * trust floor, in the form matching reads; prices in base units.
 */
export function requirementsOf(
  api: { resource_type?: ResourceType; regions?: readonly string[]; max_price_per_unit?: string; min_uptime_bps?: number; min_verified_power?: string } | undefined | null,
  minTrustLevel: number,
): Requirements {
  return {
    resourceType: api?.resource_type,
    minTrustLevel,
    regions: api?.regions,
    maxPricePerUnit: api?.max_price_per_unit === undefined ? undefined : parsePrice(api.max_price_per_unit, 'requirements.max_price_per_unit'),
    minUptimeBps: api?.min_uptime_bps,
    minVerifiedPower: api?.min_verified_power === undefined ? undefined : BigInt(api.min_verified_power),
  }
}
