import { type Static, Type } from 'typebox'
import { Address, Hex32, Pagination, RewardAmount, TokenAmount, UnixSeconds, literals } from './common.ts'
import { Qualifications } from './human.ts'
import { challengeTypes } from './kinds.ts'
import { RESOURCE_TYPE_NAMES } from '../matching.ts'
import { MAX_CHAIN_TRUST_LEVEL } from '../trust.ts'


export const ChallengeTypeSchema = Type.Union(literals(challengeTypes), { description: 'What kind of work the task is' })
export const taskStatuses = ['pending', 'in_progress', 'verifying', 'completed', 'failed', 'disputed'] as const
export const TaskStatus = Type.Union(literals(taskStatuses))
export const escrowStates = ['awaiting', 'locked', 'rejected', 'released', 'refunded'] as const

export const Replication = Type.Object(
  {
    min_quorum: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
    target_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 16 })),
    max_error_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 32 })),
    max_total_results: Type.Optional(Type.Integer({ minimum: 1, maximum: 32 })),
  },
  { additionalProperties: false },
)

/** The poster's EIP-712 signature over the task order returned by POST /tasks/orders. */
export const SignedOrder = Type.Object(
  {
    chain_task_id: Hex32,
    nonce: Type.String({ pattern: '^[0-9]{1,78}$' }),
    expiry: UnixSeconds,
    signature: Type.String({ pattern: '^0x[0-9a-fA-F]+$', maxLength: 2_000 }),
  },
  { additionalProperties: false },
)

/** What a compute task asks of the nodes that work on it (seed 003's matching), each bound optional. */
export const NodeRequirements = Type.Object(
  {
    resource_type: Type.Optional(Type.Union(literals(RESOURCE_TYPE_NAMES), { description: 'The provider type the work needs (seed 003)' })),
    regions: Type.Optional(Type.Array(Type.String({ pattern: '^[a-z0-9-]{1,32}$' }), { minItems: 1, maxItems: 16, description: 'Nodes of these regions only' })),
    max_price_per_unit: Type.Optional(TokenAmount),
    min_uptime_bps: Type.Optional(Type.Integer({ minimum: 0, maximum: 10_000, description: 'SLA uptime: the share of the time since it registered a node was seen online' })),
    min_verified_power: Type.Optional(Type.String({ pattern: '^[0-9]{1,30}$', description: 'The verified power (NodeRegistry, from proof-of-work solve times) a node needs, as a decimal integer' })),
  },
  { additionalProperties: false, examples: [{ resource_type: 'cpu', regions: ['eu-west'], max_price_per_unit: '0.5' }] },
)
export type NodeRequirements = Static<typeof NodeRequirements>

export const CreateTaskBody = Type.Object(
  {
    challenge_type: ChallengeTypeSchema,
    payload: Type.Record(Type.String(), Type.Unknown()),
    reward: RewardAmount,
    deadline: Type.Optional(UnixSeconds),
    replication: Type.Optional(Replication),
    min_trust_level: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_CHAIN_TRUST_LEVEL })),
    qualifications: Type.Optional(Qualifications),
    requirements: Type.Optional(NodeRequirements),
    order: Type.Optional(SignedOrder),
  },
  { additionalProperties: false },
)
export type CreateTaskBody = Static<typeof CreateTaskBody>

export const CreateTaskResponse = Type.Object({
  task_id: Type.String({ format: 'uuid' }),
  status: TaskStatus,
  created_at: UnixSeconds,
  warnings: Type.Optional(Type.Array(Type.String(), { description: 'What the poster should know, e.g. that no online worker runs this kind yet' })),
})
export type CreateTaskResponse = Static<typeof CreateTaskResponse>

export const TaskResult = Type.Object({
  result_hash: Type.Union([Hex32, Type.Null()]),
  worker_address: Type.Union([Address, Type.Null()]),
  completed_at: Type.Union([UnixSeconds, Type.Null()]),
  output_url: Type.Optional(Type.String()),
})

export const TaskProgress = Type.Object({ jobs_total: Type.Integer(), jobs_done: Type.Integer(), fraction: Type.Number() })

/** The settlement batch that anchored a task's job records on chain. */
export const Settlement = Type.Object({ batch_id: Hex32, tx_hash: Type.Union([Hex32, Type.Null()]), jobs_root: Hex32 })

export const TaskView = Type.Object({
  task_id: Type.String(),
  challenge_type: ChallengeTypeSchema,
  status: TaskStatus,
  reward: TokenAmount,
  poster: Address,
  payload: Type.Record(Type.String(), Type.Unknown()),
  deadline: UnixSeconds,
  created_at: UnixSeconds,
  replication: Type.Object({
    min_quorum: Type.Integer(),
    target_results: Type.Integer(),
    max_error_results: Type.Integer(),
    max_total_results: Type.Integer(),
  }),
  progress: TaskProgress,
  escrow: Type.Object({
    chain_task_id: Hex32,
    state: Type.Union(literals(escrowStates)),
    tx_hash: Type.Union([Hex32, Type.Null()]),
    locked: Type.String({ description: 'What the escrow holds for the task now (the reward less what settlements paid), in tokens' }),
    paid: Type.String({ description: 'What settlements of the task released, in tokens' }),
  }),
  waiting: Type.Optional(
    Type.Union([
      Type.Object(
        { reason: Type.String(), workers_needed: Type.Integer(), workers_online: Type.Integer() },
        { description: 'Why a compute task is not moving (e.g. "needs 2 distinct workers running rendering jobs; 1 online"), or null' },
      ),
      Type.Null(),
    ]),
  ),
  settlement: Type.Union([Settlement, Type.Null()]),
  failure_reason: Type.Union([Type.String(), Type.Null()]),
  result: Type.Union([TaskResult, Type.Null()]),
  slots: Type.Optional(Type.Object({ total: Type.Integer(), free: Type.Integer() }, { description: 'Manual tasks: assignments in all, and how many can be claimed now' })),
})
export type TaskView = Static<typeof TaskView>

export const TaskSummary = Type.Object({
  task_id: Type.String(),
  title: Type.Optional(Type.String({ description: 'Manual tasks and polls have a title' })),
  challenge_type: ChallengeTypeSchema,
  status: TaskStatus,
  reward: TokenAmount,
  created_at: UnixSeconds,
  deadline: UnixSeconds,
  progress: Type.Number(),
})
export type TaskSummary = Static<typeof TaskSummary>

export const ListTasksQuery = Type.Object({
  status: Type.Optional(TaskStatus),
  challenge_type: Type.Optional(ChallengeTypeSchema),
  poster: Type.Optional(Address),
  min_reward: Type.Optional(TokenAmount),
  ...Pagination,
})
export type ListTasksQuery = Static<typeof ListTasksQuery>

export const ListTasksResponse = Type.Object({
  tasks: Type.Array(TaskSummary),
  total: Type.Integer(),
  limit: Type.Integer(),
  offset: Type.Integer(),
})
export type ListTasksResponse = Static<typeof ListTasksResponse>

/** The EIP-712 order POST /tasks/orders prepares; the poster signs `typed_data` and posts the task with it. */
export const PreparedOrder = Type.Object({
  chain_task_id: Hex32,
  nonce: Type.String({ pattern: '^[0-9]{1,78}$' }),
  expiry: UnixSeconds,
  deadline: Type.Integer({ minimum: 0, description: 'The work deadline the order was made for (unix seconds); post the task with this same deadline' }),
  typed_data: Type.Object({
    domain: Type.Object({ name: Type.String(), version: Type.String(), chainId: Type.Integer(), verifyingContract: Address }),
    types: Type.Object({ TaskOrder: Type.Array(Type.Object({ name: Type.String(), type: Type.String() })) }),
    primaryType: Type.Literal('TaskOrder'),
    message: Type.Object(
      { taskId: Hex32, amount: Type.String({ description: 'Base units, as a decimal string' }), deadline: UnixSeconds, feeScheme: Type.Integer(), nonce: Type.String(), expiry: UnixSeconds },
      { description: 'Sign with amount and nonce as integers (uint96, uint256)' },
    ),
  }),
})
export type PreparedOrder = Static<typeof PreparedOrder>

/** One worker's replica of a job; its digest only once the job is decided. */
export const Replica = Type.Object({
  worker: Address,
  status: Type.String({ description: 'leased, submitted, valid, invalid, error, expired, released, …' }),
  progress: Type.Number(),
  digest: Type.Union([Type.String(), Type.Null()]),
})
export type Replica = Static<typeof Replica>

export const TaskJob = Type.Object({
  id: Type.String({ format: 'uuid' }),
  index: Type.Integer(),
  status: Type.String(),
  canonical_digest: Type.Union([Type.String(), Type.Null()]),
  canonical_error: Type.Union([Type.String(), Type.Null()], { description: 'The error code the replicas agreed on, when the job ended in one' }),
  output_blob: Type.Union([Type.String(), Type.Null()]),
  replicas: Type.Array(Replica),
})
export type TaskJob = Static<typeof TaskJob>

export const TaskJobs = Type.Object({ jobs: Type.Array(TaskJob) })
export type TaskJobs = Static<typeof TaskJobs>

/** A job record anchored on chain with the Merkle proof from its leaf to the batch's jobs root. */
export const JobRecordView = Type.Object({
  batch_id: Hex32,
  leaf: Hex32,
  job_id: Type.String({ format: 'uuid' }),
  chain_job_id: Hex32,
  worker: Address,
  result_hash: Hex32,
  verdict: Type.Integer(),
  proof: Type.Array(Hex32),
  jobs_root: Hex32,
  tx_hash: Type.Union([Hex32, Type.Null()]),
  batch_status: Type.String(),
})
export type JobRecordView = Static<typeof JobRecordView>

export const TaskRecords = Type.Object({ records: Type.Array(JobRecordView) })
export type TaskRecords = Static<typeof TaskRecords>

/** Seed 000's verification state of a task (POST /tasks/verify). */
export const TaskVerification = Type.Object({
  task_id: Type.String(),
  status: TaskStatus,
  verified: Type.Boolean(),
  progress: TaskProgress,
  settlement: Type.Union([Settlement, Type.Null()]),
})
export type TaskVerification = Static<typeof TaskVerification>

/** POST /tasks/quote: a task as it would be posted (the reward optional), and what the poster asks of the nodes. */
export const QuoteRequest = Type.Object(
  {
    challenge_type: ChallengeTypeSchema,
    payload: Type.Record(Type.String(), Type.Unknown()),
    reward: Type.Optional(RewardAmount),
    replication: Type.Optional(Replication),
    min_trust_level: Type.Optional(Type.Integer({ minimum: 0, maximum: MAX_CHAIN_TRUST_LEVEL })),
    requirements: Type.Optional(NodeRequirements),
    units_per_job: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1_000_000, description: 'Units of the resource type’s earnings model one job takes (GPU-hours, GB…); 1 by default (priced per job)' })),
  },
  { additionalProperties: false, examples: [{ challenge_type: 'synthetic', payload: { seed: '0x1234', matrix_size: 64, iterations: 10 }, reward: '10', requirements: { resource_type: 'cpu', regions: ['eu-west'] } }] },
)
export type QuoteRequest = Static<typeof QuoteRequest>

/** A bid as the quote ranks it: seed 003's score and each weighted term of it. */
export const RankedBidView = Type.Object({
  node: Address,
  score: Type.Number(),
  breakdown: Type.Object({ price: Type.Number(), reputation: Type.Number(), latency: Type.Number(), uptime: Type.Number(), verifiedPower: Type.Number() }),
  resource_type: Type.String(),
  region: Type.String(),
  price_per_unit: TokenAmount,
  trust_level: Type.Integer(),
  reputation_bps: Type.Integer(),
  uptime_bps: Type.Integer(),
})

/** Seed 003's estimateTaskCost for a task: its replication, what it costs at the online nodes' prices, and the ranked bids. */
export const TaskQuote = Type.Object({
  jobs: Type.Integer(),
  replication: Type.Object({ min_quorum: Type.Integer(), target_results: Type.Integer(), max_total_results: Type.Integer() }, { description: 'The replication the task gets when posted with this body' }),
  expected_results_per_job: Type.Number({ description: 'Results a job is expected to take (adaptive replication: fewer for proven nodes)' }),
  unreplicated_share: Type.Number({ description: 'Expected share of jobs that go to one proven node alone' }),
  eligible_nodes: Type.Integer(),
  counted_nodes: Type.Integer(),
  price_per_unit: TokenAmount,
  gross_per_result: TokenAmount,
  suggested_reward: TokenAmount,
  max_reward: TokenAmount,
  fee: TokenAmount,
  reward: Type.Optional(Type.Object({ per_result: TokenAmount, net_per_result: TokenAmount }, { description: 'With a reward: what one result is paid, before and after fees' })),
  bids: Type.Array(RankedBidView, { description: 'The best 20 eligible bids, in the order work is offered' }),
  ineligible: Type.Record(Type.String(), Type.Integer(), { description: 'Online nodes that run the kind but do not qualify, by reason' }),
})
export type TaskQuote = Static<typeof TaskQuote>
