import { type Static, Type } from 'typebox'
import { Address, UnixSeconds, literals } from './common.ts'
import { taskStatuses } from './tasks.ts'

/** The chain, contracts and operator of a market (GET /config). */
export const MarketConfig = Type.Object({
  chain_id: Type.Integer(),
  rpc_url: Type.Optional(Type.String({ description: 'The chain’s RPC, published on a local development chain only' })),
  contracts: Type.Object({ token: Address, sale: Address, escrow: Address, registry: Address }),
  operator: Address,
  treasury: Address,
})
export type MarketConfig = Static<typeof MarketConfig>

const Count = Type.Integer({ minimum: 0 })

/** Public numbers about the market (GET /stats); token amounts as decimal strings. */
export const MarketStats = Type.Object({
  tasks: Type.Object(Object.fromEntries(taskStatuses.map((s) => [s, Count])) as Record<(typeof taskStatuses)[number], typeof Count>, { description: 'Tasks by status' }),
  by_kind: Type.Record(Type.String(), Count, { description: 'Tasks by challenge type' }),
  workers: Type.Object({ active: Count, total: Count }),
  tokens: Type.Object({
    escrowed: Type.String({ description: 'What the escrow holds for locked tasks (rewards less what settlements paid)' }),
    awaiting: Type.String({ description: 'Posted but not yet locked on chain' }),
    paid: Type.String({ description: 'What settlements released' }),
    refunded: Type.String({ description: 'What went back to posters' }),
  }),
  series: Type.Array(Type.Object({ hour: UnixSeconds, posted: Count, completed: Count }), { description: 'The last 24 hours, oldest first' }),
})
export type MarketStats = Static<typeof MarketStats>

/**
 * A difference between what the database believes of a task's escrow and what the chain holds; `held` (no
 * task) when the escrow contract's token balance cannot cover what the database shows locked.
 */
export const Drift = Type.Object({
  task_id: Type.Union([Type.String(), Type.Null()]),
  chain_task_id: Type.Union([Type.String(), Type.Null()]),
  field: Type.Union(literals(['status', 'locked', 'held'] as const)),
  database: Type.String(),
  chain: Type.String(),
})
export type Drift = Static<typeof Drift>

/** The last comparison of the escrow the database shows with the chain's (GET /reconciliation). */
export const ReconciliationReport = Type.Object({
  checked_at: UnixSeconds,
  tasks_checked: Type.Integer(),
  in_flight: Type.Integer({ description: 'Tasks skipped because a chain call for them is under way (their state is moving)' }),
  escrowed: Type.Object(
    { api: Type.String(), chain: Type.String(), held: Type.String() },
    { description: '`/stats` escrowed total and what the escrow contract holds for the same tasks; `held` is the contract’s token balance, which must cover all that `/stats` shows locked' },
  ),
  drift: Type.Array(Drift),
  quarantined: Type.Record(Type.String(), Type.Integer(), { description: 'Outbox items waiting out a failure, by kind' }),
})
export type ReconciliationReport = Static<typeof ReconciliationReport>
