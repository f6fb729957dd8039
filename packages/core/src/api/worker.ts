import { type Static, Type } from 'typebox'
import { NODE_STATES } from '../nodeState.ts'
import { Address, Hex32, UnixSeconds, literals } from './common.ts'
import { JobRecordView } from './tasks.ts'

/** A job leased to a worker: what it runs and the ids its result's seal binds. */
export const Lease = Type.Object({
  assignment_id: Type.String({ format: 'uuid' }),
  task_id: Type.String({ format: 'uuid' }),
  job_id: Type.String({ format: 'uuid' }),
  chain_task_id: Hex32,
  chain_job_id: Hex32,
  kind: Type.String(),
  payload: Type.Unknown({ description: 'The job’s share of the task: what the kind’s executor runs' }),
  lease_expires_at: Type.Integer({ minimum: 0, description: 'Unix seconds; renewed by heartbeats' }),
})
export type Lease = Static<typeof Lease>

export const Leases = Type.Object({ leases: Type.Array(Lease) })
export type Leases = Static<typeof Leases>

export const NodeRegistered = Type.Object({ address: Address, lease_seconds: Type.Integer({ description: 'How long a lease lasts without a heartbeat' }) })
export type NodeRegistered = Static<typeof NodeRegistered>

export const HeartbeatResponse = Type.Object({
  renewed: Type.Array(Type.String({ format: 'uuid' })),
  lost: Type.Array(Type.String({ format: 'uuid' }), { description: 'Leases this node no longer holds: stop their jobs' }),
  lease_seconds: Type.Integer(),
})
export type HeartbeatResponse = Static<typeof HeartbeatResponse>

/** What became of one submitted result. */
export const ResultOutcome = Type.Object({
  assignment_id: Type.String({ format: 'uuid' }),
  accepted: Type.Boolean(),
  reason: Type.Optional(Type.String({ description: 'Why it was not accepted, e.g. "lease is expired"' })),
})
export type ResultOutcome = Static<typeof ResultOutcome>

export const ResultOutcomes = Type.Object({ results: Type.Array(ResultOutcome) })
export type ResultOutcomes = Static<typeof ResultOutcomes>

/** A node as GET /nodes lists it. */
export const NodeSummary = Type.Object({
  address: Address,
  cores: Type.Integer(),
  memory_mb: Type.Integer(),
  executors: Type.Array(Type.String()),
  concurrency: Type.Integer(),
  last_seen: UnixSeconds,
  jobs_accepted: Type.Integer(),
  jobs_rejected: Type.Integer(),
})
export type NodeSummary = Static<typeof NodeSummary>

export const NodeList = Type.Object({ nodes: Type.Array(NodeSummary) })
export type NodeList = Static<typeof NodeList>

/** Seed 003's node metadata: what a node's hardware is, each field optional. */
export const NodeHardware = Type.Object(
  {
    gpu_model: Type.Optional(Type.String({ maxLength: 64 })),
    gpu_memory_mb: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 })),
    ram_mb: Type.Optional(Type.Integer({ minimum: 0, maximum: 16 * 1024 * 1024 })),
    storage_gb: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
    bandwidth_mbps: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
  },
  { additionalProperties: false, examples: [{ gpu_model: 'RTX 4090', gpu_memory_mb: 24576, ram_mb: 65536, storage_gb: 2000, bandwidth_mbps: 1000 }] },
)
export type NodeHardware = Static<typeof NodeHardware>

/** A slash a settle batch took from a node's stake, with the lease it punished. */
export const NodeSlash = Type.Object({
  reason: Type.Union([Type.Literal('TaskTimeout'), Type.Literal('WrongResult'), Type.Literal('Misuse')], { description: 'TaskTimeout: the lease expired without a result; WrongResult: its result was outvoted; Misuse: a dispute ruled misuse (half the stake, and a ban)' }),
  amount: Type.String({ description: 'Tokens taken from the stake (to the treasury)' }),
  reputation_bps: Type.Integer({ description: 'Its reputation after the slash' }),
  task_id: Type.String({ format: 'uuid' }),
  job_id: Type.String({ format: 'uuid' }),
  assignment_id: Type.String({ format: 'uuid' }),
  tx_hash: Type.Union([Hex32, Type.Null()], { description: 'The settle batch that took it; null while it is on its way' }),
  at: UnixSeconds,
})
export type NodeSlash = Static<typeof NodeSlash>

/** A reputation stored on chain for a node, and when. */
export const ReputationPoint = Type.Object({ at: UnixSeconds, bps: Type.Integer({ minimum: 0, maximum: 10_000 }), tx_hash: Type.Union([Hex32, Type.Null()]) })
export type ReputationPoint = Static<typeof ReputationPoint>

/** A node under review (seed 003's "repeated failures (>20%)"): since when, and the record that opened it. */
export const NodeReview = Type.Object({
  opened_at: UnixSeconds,
  failures: Type.Integer({ minimum: 0, description: 'Outvoted results and lapsed leases since its last cleared review' }),
  results: Type.Integer({ minimum: 0, description: 'Results and lapsed leases since its last cleared review' }),
})
export type NodeReview = Static<typeof NodeReview>

/** A node's run on one task kind (adaptive replication): valid replicated results in a row, and what they earn it. */
export const NodeRun = Type.Object({
  kind: Type.String(),
  consecutive_valid: Type.Integer({ minimum: 0, description: 'Valid results on replicated jobs in a row; an outvoted result or a lapsed lease resets it' }),
  proven: Type.Boolean({ description: 'Whether the run is long enough for jobs alone' }),
  unreplicated_probability: Type.Number({ minimum: 0, maximum: 1, description: 'The chance its next first lease of a job goes to it alone: 1 − 1/run once proven' }),
})
export type NodeRun = Static<typeof NodeRun>

/** One node: its on-chain registration and counters, and its work on this market. */
export const NodeView = Type.Object({
  address: Address,
  registered: Type.Boolean(),
  stake: Type.String({ description: 'Tokens staked' }),
  unstaking: Type.String({ description: 'Tokens on their way out of the stake' }),
  trust_level: Type.Integer(),
  pow_passes: Type.Integer(),
  tasks_completed: Type.Integer(),
  tasks_failed: Type.Integer(),
  verified_power: Type.String({ description: 'An unbounded integer, as a decimal string' }),
  earned: Type.String({ description: 'Tokens credited to it by settlements' }),
  jobs_accepted: Type.Integer(),
  jobs_rejected: Type.Integer(),
  last_seen: Type.Union([UnixSeconds, Type.Null()], { description: 'Null when it never registered here' }),
  executors: Type.Array(Type.String()),
  cores: Type.Union([Type.Integer(), Type.Null()]),
  memory_mb: Type.Union([Type.Integer(), Type.Null()]),
  state: Type.Union(literals(NODE_STATES), { description: 'Seed 003’s node state, from the chain (registration, stake, PoW record, slashes, ban) and this market (heartbeats, leases held)' }),
  trust_level_name: Type.String({ description: 'Any node, Basic, Verified, Trusted or Partner (seed 003)' }),
  reputation_bps: Type.Integer({ minimum: 0, maximum: 10_000, description: 'Reputation on chain, 0–10,000 (5,000 before any record)' }),
  leases: Type.Integer({ description: 'Leases it holds now' }),
  stake_at_risk: Type.String({ description: 'Tokens its leases put at risk now: what it would lose if every one failed' }),
  slashes: Type.Array(NodeSlash, { description: 'Its latest 50 slashes, newest first, each with the lease it punished' }),
  reputation_history: Type.Array(ReputationPoint, { description: 'The reputations this market stored on chain for it, oldest first (the latest 200)' }),
  runs: Type.Array(NodeRun, { description: 'Adaptive replication: its run on each task kind it has worked on' }),
  review: Type.Union([NodeReview, Type.Null()], { description: 'Open when more than 20% of its results failed (at least 3): it takes no work until the operator clears it' }),
})
export type NodeView = Static<typeof NodeView>

/** A node's job records anchored on chain, each with its Merkle proof and the task's on-chain id (GET /nodes/{address}/records). */
export const NodeRecords = Type.Object({
  records: Type.Array(Type.Intersect([JobRecordView, Type.Object({ task_id: Type.String({ format: 'uuid' }), chain_task_id: Hex32 })])),
  total: Type.Integer({ description: 'Records of public tasks this node has, in all' }),
})
export type NodeRecords = Static<typeof NodeRecords>
