import { type Static, Type } from 'typebox'
import { Address, Hex32, UnixSeconds } from './common.ts'

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
})
export type NodeView = Static<typeof NodeView>
