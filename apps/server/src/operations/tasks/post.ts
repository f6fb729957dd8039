import { chainTaskId } from '@taskmarket/chain'
import { type CreateTaskBody, type QuorumParams, TaskMarketError, jobChainId, maxLeasesOnTask, requirementsOf } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import type { Address, Hex } from 'viem'
import { enqueue } from '../../outbox/items.ts'
import type { Tx } from '../tx.ts'

/** A poster's signed order (EIP-712) that funds the task from their own escrow balance. */
export type SignedOrder = { taskId: Hex; nonce: bigint; expiry: number; signature: Hex }

/** What posting checked and planned (services/posting.ts `validate`), as the records need it. */
export type PlannedTask = {
  reward: bigint
  deadline: number
  chainDeadline: number
  feeScheme: number
  minTrustLevel: number
  replication: QuorumParams
  jobs: unknown[]
}

export type RecordTaskParameters = { id: string; poster: Address; body: CreateTaskBody; planned: PlannedTask; order?: SignedOrder }

/**
 * Records a posted task, its jobs (waiting for the escrow) and the outbox item that locks its reward on
 * chain, in one transaction: a task id from the poster's signed order, or the poster's next one (the
 * operator allowance pays). Returns when it was recorded.
 */
export async function recordTask(tx: Tx, { id, poster, body, planned: v, order }: RecordTaskParameters): Promise<Date> {
  const taskId = order?.taskId ?? (await allocateTaskId(tx, poster)).taskId
  const [exists] = await tx.query('SELECT 1 FROM tasks WHERE chain_task_id = $1', [taskId])
  if (exists) throw new TaskMarketError('CONFLICT', 'order.chain_task_id: a task with this id was already posted', { field: 'order.chain_task_id', details: { reason: 'already posted' } })
  const req = requirementsOf(body.requirements, v.minTrustLevel)
  const [row] = await tx.query<{ created_at: Date }>(
    `INSERT INTO tasks (id, chain_task_id, poster, kind, payload, reward, fee_scheme, status, escrow_state, funding, deadline,
       min_quorum, target_results, max_error_results, max_total_results, min_trust_level, jobs_total, lease_cap, qualifications, requirements,
       req_resource_type, req_regions, req_max_price, req_min_uptime_bps, req_min_verified_power)
     VALUES ($1,$2,$3,$4,$5,$6,$7,'pending','awaiting',$8,to_timestamp($9),$10,$11,$12,$13,$14,$15,$16,$17,$18,$19,$20,$21,$22,$23) RETURNING created_at`,
    [id, taskId, poster, body.challenge_type, JSON.stringify(body.payload), v.reward.toString(), v.feeScheme, order ? 'signed' : 'allowance', v.deadline,
      v.replication.minQuorum, v.replication.targetResults, v.replication.maxErrorResults, v.replication.maxTotalResults, v.minTrustLevel, v.jobs.length, maxLeasesOnTask(v.jobs.length),
      body.qualifications?.length ? JSON.stringify(body.qualifications) : null, body.requirements ? JSON.stringify(body.requirements) : null,
      req.resourceType ?? null, req.regions ?? null, req.maxPricePerUnit?.toString() ?? null, req.minUptimeBps ?? null, req.minVerifiedPower?.toString() ?? null],
  )
  await tx.query(
    `INSERT INTO jobs (id, chain_job_id, task_id, index, payload, wanted)
     SELECT gen_random_uuid(), x.chain_job_id, $1, x.index, x.payload, 0
     FROM unnest($2::text[], $3::int[], $4::jsonb[]) AS x(chain_job_id, index, payload)`,
    [id, v.jobs.map((_, i) => jobChainId(taskId, i)), v.jobs.map((_, i) => i), v.jobs.map((j) => JSON.stringify(j))],
  )
  const terms = { task_id: id, chain_task_id: taskId, amount: v.reward.toString(), deadline: v.chainDeadline, fee_scheme: v.feeScheme }
  if (order) await enqueue(tx, 'create_signed', `create:${id}`, { ...terms, nonce: order.nonce.toString(), expiry: Number(order.expiry), signature: order.signature })
  else await enqueue(tx, 'create_allowance', `create:${id}`, terms)
  return row!.created_at
}

/** Rewards of `poster`'s tasks posted but not yet locked on chain: promised, so not available again. */
export async function awaitingRewards(tx: Queryable, poster: Address): Promise<bigint> {
  const [row] = await tx.query<{ pending: string }>(`SELECT coalesce(sum(reward), 0)::text AS pending FROM tasks WHERE poster = $1 AND escrow_state = 'awaiting'`, [poster])
  return BigInt(row!.pending)
}

/** The poster's next task id (derived from their address and a counter) and order nonce. */
export async function allocateTaskId(tx: Queryable, poster: Address): Promise<{ taskId: Hex; nonce: bigint }> {
  await tx.query('INSERT INTO accounts (address) VALUES ($1) ON CONFLICT (address) DO NOTHING', [poster])
  const [row] = await tx.query<{ local: string; nonce: string }>(
    `UPDATE accounts SET next_local_task = next_local_task + 1, next_order_nonce = next_order_nonce + 1 WHERE address = $1
     RETURNING (next_local_task - 1)::text AS local, (next_order_nonce - 1)::text AS nonce`,
    [poster],
  )
  return { taskId: chainTaskId(poster, BigInt(row!.local)), nonce: BigInt(row!.nonce) }
}
