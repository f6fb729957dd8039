import { TOKEN_DECIMALS } from './money.ts'
import { LEVEL1_STAKE_TOKENS } from './trust.ts'

/** Seed 003's node states, in the order of its diagram. */
export const NODE_STATES = ['Pending', 'Verified', 'Active', 'Earning', 'Inactive', 'Slashed', 'Rejected'] as const
export type NodeState = (typeof NODE_STATES)[number]

/** What a node's state is derived from: chain state (registration, stake, PoW record) and the server's own (heartbeats, leases, standing). */
export type NodeFacts = {
  registered: boolean
  /** On-chain stake, base units. */
  stake: bigint
  powPasses: number
  powFailures: number
  /** When the node last sent a heartbeat (ms), undefined if never. */
  lastHeartbeatAt?: number
  /** Leases it holds now. */
  leases: number
  /** Slashed and not cleared: under review for repeated failures, or slashed below the minimum stake. */
  slashed: boolean
  /** Banned by a dispute's ruling (misuse) or a review. */
  banned: boolean
}

export type NodeStateParams = {
  /** The stake a node needs to work: the level-1 stake, in base units. */
  minStake: bigint
  /** Heartbeats older than this make a node Inactive (ms). */
  heartbeatTimeoutMs: number
  /** PoW failures before any pass that reject a node's verification. */
  maxPowFailuresUnverified: number
}

export const NODE_STATE_PARAMS: NodeStateParams = {
  minStake: BigInt(LEVEL1_STAKE_TOKENS) * 10n ** BigInt(TOKEN_DECIMALS),
  heartbeatTimeoutMs: 120_000,
  maxPowFailuresUnverified: 3,
}

/**
 * A node's state at `now` (ms), first match wins: Rejected (banned, or failed verification), Slashed,
 * Pending (not registered, or no PoW pass yet), Inactive (stake withdrawn below the minimum, as
 * NodeRegistry's `nodeState` says, or heartbeat too old), Verified (never online yet), Earning (holds
 * leases), Active.
 * @example nodeState({ registered: true, stake: 100n * token, powPasses: 1, powFailures: 0, lastHeartbeatAt: now, leases: 2, slashed: false, banned: false }, now) // 'Earning'
 */
export function nodeState(f: NodeFacts, now: number, params: NodeStateParams = NODE_STATE_PARAMS): NodeState {
  if (f.banned || (f.powPasses === 0 && f.powFailures >= params.maxPowFailuresUnverified)) return 'Rejected'
  if (f.slashed) return 'Slashed'
  if (!f.registered || f.powPasses === 0) return 'Pending'
  if (f.stake < params.minStake) return 'Inactive'
  if (f.lastHeartbeatAt === undefined) return 'Verified'
  if (now - f.lastHeartbeatAt > params.heartbeatTimeoutMs) return 'Inactive'
  return f.leases > 0 ? 'Earning' : 'Active'
}

/** Whether a node in `state` may be offered work. */
export function mayTakeWork(state: NodeState): boolean {
  return state === 'Active' || state === 'Earning'
}

/**
 * The moves one change of fact can make (seed 003's diagram, plus what it implies: a node can lose its
 * minimum stake or be slashed from any working state, comes back from Inactive with a heartbeat, and is
 * cleared from Slashed by a review or a top-up). A ban is final; a node Rejected only for failing its
 * first PoW challenges comes back with a pass, as NodeRegistry's `nodeState` says.
 */
export const NODE_TRANSITIONS: { readonly [S in NodeState]: readonly NodeState[] } = {
  // A PoW pass or a top-up verifies it; a node already heartbeating goes straight on.
  Pending: ['Verified', 'Active', 'Earning', 'Inactive', 'Slashed', 'Rejected'],
  Verified: ['Active', 'Earning', 'Inactive', 'Pending', 'Slashed', 'Rejected'],
  Active: ['Earning', 'Inactive', 'Pending', 'Slashed', 'Rejected'],
  Earning: ['Active', 'Inactive', 'Pending', 'Slashed', 'Rejected'],
  Inactive: ['Verified', 'Active', 'Earning', 'Pending', 'Slashed', 'Rejected'],
  Slashed: ['Pending', 'Verified', 'Active', 'Earning', 'Inactive', 'Rejected'],
  Rejected: ['Pending', 'Verified', 'Active', 'Earning', 'Inactive', 'Slashed'],
}

/** Whether a node may move from one state to another. */
export function canMoveNode(from: NodeState, to: NodeState): boolean {
  return from === to || NODE_TRANSITIONS[from].includes(to)
}

/** NodeRegistry's `nodeState` view, by its enum's index (None first; it never returns Active). */
export const CHAIN_NODE_STATES = ['None', ...NODE_STATES] as const
export type ChainNodeState = (typeof CHAIN_NODE_STATES)[number]

/** A node as NodeRegistry's getNode returns it, as far as its state goes. */
export type ChainNode = Pick<NodeFacts, 'registered' | 'stake' | 'powPasses' | 'powFailures' | 'banned'> & { slashed: boolean }

/**
 * A node's facts from its on-chain record and what only the market knows (heartbeats, leases, an open
 * review). The registry's `slashed` flag stays set after a slash until the next top-up; like the registry's
 * view, a node counts as Slashed only while that leaves it below the minimum stake, or while under review.
 */
export function nodeFacts(chain: ChainNode, market: { lastHeartbeatAt?: number; leases: number; underReview: boolean }, params: NodeStateParams = NODE_STATE_PARAMS): NodeFacts {
  return {
    registered: chain.registered, stake: chain.stake, powPasses: chain.powPasses, powFailures: chain.powFailures, banned: chain.banned,
    slashed: (chain.slashed && chain.stake < params.minStake) || market.underReview,
    lastHeartbeatAt: market.lastHeartbeatAt, leases: market.leases,
  }
}

/**
 * Whether the state the market shows agrees with NodeRegistry's view of the same node. The chain knows
 * registration, stake, proof of work, slashes and bans, not heartbeats, leases or reviews: where it says
 * Verified or Earning (whether the node ever completed a task), the market may refine that to Verified,
 * Active, Earning, Inactive (silent) or Slashed (under review); every other chain state is shown as it is,
 * None as Pending.
 */
export function agreesWithChain(state: NodeState, chain: ChainNodeState): boolean {
  if (chain === 'None') return state === 'Pending'
  if (chain === 'Verified' || chain === 'Earning') return ['Verified', 'Active', 'Earning', 'Inactive', 'Slashed'].includes(state)
  return state === chain
}
