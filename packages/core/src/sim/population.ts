import { type AdaptiveState, NEW_ADAPTIVE_STATE, expectedResults } from '../adaptiveReplication.ts'
import type { Bid } from '../matching.ts'
import { replicationFor } from '../quorum.ts'
import { NO_RECORD, type ReputationCounters, reputationBps } from '../reputation.ts'
import { slashFor } from '../slashing.ts'
import { trustLevelOf } from '../trust.ts'
import { type Random, between, pick } from './prng.ts'

export const STRATEGIES = ['honest', 'platform', 'random', 'collude', 'silent', 'sleeper'] as const
export type Strategy = (typeof STRATEGIES)[number]

export const STRATEGY_LABELS: { readonly [S in Strategy]: string } = {
  honest: 'honest',
  platform: 'platform nodes (trusted at start)',
  random: 'random wrong results',
  collude: 'colluding (same wrong answer)',
  silent: 'silent (leases time out)',
  sleeper: 'sleeper (honest until trusted)',
}

export const DISHONEST = ['random', 'collude', 'silent', 'sleeper'] as const
export type Dishonest = (typeof DISHONEST)[number]
/** The share of nodes following each dishonest strategy; the rest are honest. */
export type Mix = { readonly [S in Dishonest]: number }

/** Whether a strategy computes its answers (and answers when its work is done, not at once). */
export const works = (s: Strategy) => s === 'honest' || s === 'platform' || s === 'sleeper'

/** The brief's population: 20% random wrong results, 10% colluding, 5% silent. */
export const DEFAULT_MIX: Mix = { random: 0.2, collude: 0.1, silent: 0.05, sleeper: 0 }

export const TOKEN = 10n ** 18n
export const REGIONS = ['eu', 'us', 'asia'] as const
/** The task kind each resource type runs in the simulation: adaptive replication is counted per (node, kind). */
export const KIND_OF = { cpu: 'hash', gpu: 'rendering' } as const
export type SimResource = keyof typeof KIND_OF

/**
 * The replicated quorum the simulated tasks ask for: 2 agreeing of 2, BOINC's adaptive default. With at
 * most one unproven replica a job (adaptiveReplication's `maxUnproven`), the other is proven, and a dissent
 * raises the quorum to 3 agreeing results that a newcomer alone cannot reach.
 */
export const REPLICATED = replicationFor(true, { target_results: 2 })

/** An honest node's lease times out this often (a machine that reboots, a network that drops). */
export const HONEST_TIMEOUT_RATE = 0.01
/** An honest node's cost of computing a result, as a share of its price. */
export const COST_SHARE = 0.5

/** A lease as the simulation tracks it. */
export type SimLease = { reward: bigint; jobId: number; due: number; node: SimNode }

export type SimNode = {
  id: string
  strategy: Strategy
  joinedAtJob: number
  resourceType: SimResource
  region: string
  /** Gross price per result (base units), and what computing one costs it. */
  ask: bigint
  cost: bigint
  latencyMs: number
  uptimeBps: number
  verifiedPower: bigint
  /** The stake it keeps topped up to, and its stake now. */
  targetStake: bigint
  stake: bigint
  counters: ReputationCounters
  reputation: number
  trust: number
  adaptive: Record<string, AdaptiveState>
  leases: SimLease[]
  slots: number
  standing: 'unchanged' | 'review' | 'banned'
  /** Results it returned, and when it first got a job unreplicated (its results then, jobs posted then). */
  results: number
  firstUnreplicated?: { results: number; atJob: number }
  /** Tokens it was paid (net), spent computing, lost to slashes. */
  paid: bigint
  spent: bigint
  slashed: bigint
  bid: Bid
}

const tokens = (x: number) => (BigInt(Math.round(x * 1_000)) * TOKEN) / 1_000n

/** A node of `strategy` joining when `joinedAtJob` jobs have been posted, with its PoW challenges done. */
export function createNode(rng: Random, index: number, strategy: Strategy, joinedAtJob: number, minRun: number): SimNode {
  const honest = works(strategy)
  const platform = strategy === 'platform'
  // Platform nodes cover both resource types and every region, as seed 003's three data centers.
  const resourceType: SimResource = platform ? (index % 2 === 0 ? 'cpu' : 'gpu') : rng() < 0.7 ? 'cpu' : 'gpu'
  const ask = honest ? tokens(between(rng, 0.8, 1.2)) : tokens(0.8)
  // Honest stakes spread from the level-1 minimum to level-3 sizes; attackers stake the least a level takes.
  const targetStake = platform ? tokens(20_000) : honest ? tokens(Math.round(100 * 200 ** rng())) : rng() < 0.5 ? tokens(100) : tokens(1_000)
  const node: SimNode = {
    id: `n${index}`,
    strategy,
    joinedAtJob,
    resourceType,
    region: platform ? REGIONS[Math.floor(index / 2) % REGIONS.length]! : pick(rng, REGIONS),
    ask,
    cost: honest ? (ask * BigInt(COST_SHARE * 100)) / 100n : 0n,
    latencyMs: Math.round(between(rng, 10, 200)),
    uptimeBps: Math.round(honest || strategy === 'silent' ? between(rng, 9_500, 10_000) : between(rng, 9_900, 10_000)),
    verifiedPower: BigInt(Math.round(10 ** between(rng, 6, 8))),
    targetStake,
    stake: targetStake,
    counters: NO_RECORD,
    reputation: 0,
    trust: 0,
    adaptive: {},
    leases: [],
    // A platform node is a data-centre machine (seed 003's Tier 1); a community node runs two leases.
    slots: platform ? 8 : 2,
    standing: 'unchanged',
    results: 0,
    paid: 0n,
    spent: 0n,
    slashed: 0n,
    bid: undefined as unknown as Bid,
  }
  // Registration: PoW challenges until 10 pass (seed 003's level 2); 2% fail, each costing reputation.
  while (node.counters.powPasses < 10 && node.counters.powFailures < 3) {
    node.counters = rng() < 0.98 ? { ...node.counters, powPasses: node.counters.powPasses + 1 } : slashFor({ kind: 'powFailed' }, node).counters
  }
  // The platform's own nodes are proven from the start: they anchor the replicas of a new market.
  if (platform) node.adaptive[KIND_OF[resourceType]] = { consecutiveValid: minRun }
  refresh(node)
  return node
}

/** Recomputes what follows from a node's counters and stake: reputation, trust level, its bid. */
export function refresh(node: SimNode): void {
  const c = node.counters
  node.reputation = reputationBps(c)
  node.trust = trustLevelOf({ registered: true, banned: node.standing === 'banned', stake: node.stake, powPasses: c.powPasses, tasksCompleted: c.validResults, tasksFailed: c.invalidResults + c.timeouts })
  node.bid = {
    node: node.id,
    resourceType: node.resourceType,
    region: node.region,
    pricePerUnit: node.ask,
    verifiedPower: node.verifiedPower,
    trustLevel: node.trust,
    reputationBps: node.reputation,
    latencyMs: node.latencyMs,
    uptimeBps: node.uptimeBps,
    expectedResults: expectedResults(adaptiveOf(node, KIND_OF[node.resourceType]), REPLICATED),
  }
}

/** The adaptive state of a node for a kind. */
export function adaptiveOf(node: SimNode, kind: string): AdaptiveState {
  return node.adaptive[kind] ?? NEW_ADAPTIVE_STATE
}

/**
 * What a node returns for a job whose right answer is `truth`: a digest, or null when it lets the lease time
 * out. Colluders share one wrong answer per job; a sleeper is honest until its run makes unreplicated work
 * likely, then answers anything.
 */
export function answer(rng: Random, node: SimNode, jobId: number, truth: string, kind: string, minRun: number): string | null {
  switch (node.strategy) {
    case 'honest':
      return rng() < HONEST_TIMEOUT_RATE ? null : truth
    case 'platform':
      return truth
    case 'random':
      return `wrong:${rng()}`
    case 'collude':
      return `collude:${jobId}`
    case 'silent':
      return null
    case 'sleeper':
      return adaptiveOf(node, kind).consecutiveValid >= minRun ? `wrong:${rng()}` : truth
  }
}
