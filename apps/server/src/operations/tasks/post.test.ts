import { chainTaskId } from '@taskmarket/chain'
import { type CreateTaskBody, jobChainId, replicationFor } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { POSTER, TOKEN, address, useTestMarket } from '../testMarket.ts'
import { type PlannedTask, allocateTaskId, awaitingRewards, recordTask } from './post.ts'

const m = useTestMarket()
const body: CreateTaskBody = { challenge_type: 'synthetic', payload: { seed: '0x1', matrix_size: 8, iterations: 1 }, reward: '1' }
const planned = (jobs = 2): PlannedTask => ({
  reward: TOKEN, deadline: 1_900_000_000, chainDeadline: 1_900_003_600, feeScheme: 0, minTrustLevel: 1, replication: replicationFor(true), jobs: Array.from({ length: jobs }, (_, i) => ({ i })),
})
const id = () => crypto.randomUUID()

describe('recordTask', () => {
  it('records the task awaiting its escrow, its jobs waiting, and the one outbox item that locks the reward', async () => {
    const taskId = id()
    await m.run(recordTask, { id: taskId, poster: POSTER, body, planned: planned(3) })
    const task = await m.taskRow(taskId)
    expect(task).toMatchObject({ status: 'pending', escrow_state: 'awaiting', funding: 'allowance', jobs_total: 3, chain_task_id: chainTaskId(POSTER, 1n).toLowerCase() })
    const jobs = await m.db.query('SELECT index, status, chain_job_id FROM jobs WHERE task_id = $1 ORDER BY index', [taskId])
    expect(jobs).toEqual([0, 1, 2].map((i) => ({ index: i, status: 'waiting', chain_job_id: jobChainId(task.chain_task_id, i) })))
    expect(await m.outbox(taskId)).toEqual([expect.objectContaining({ kind: 'create_allowance', key: `create:${taskId}`, payload: expect.objectContaining({ amount: TOKEN.toString(), deadline: 1_900_003_600 }) })])
    expect(await awaitingRewards(m.db, POSTER)).toBe(TOKEN)
  })

  it('takes the id of a signed order, once: a second task with that id is a 409 and records nothing', async () => {
    const order = { taskId: chainTaskId(POSTER, 7n), nonce: 3n, expiry: 1_900_000_000, signature: `0x${'ab'.repeat(65)}` as const }
    const first = id()
    await m.run(recordTask, { id: first, poster: POSTER, body, planned: planned(), order })
    expect(await m.outbox(first)).toEqual([expect.objectContaining({ kind: 'create_signed', payload: expect.objectContaining({ nonce: '3', signature: order.signature }) })])
    const second = id()
    await expect(m.run(recordTask, { id: second, poster: POSTER, body, planned: planned(), order })).rejects.toMatchObject({ code: 'CONFLICT', field: 'order.chain_task_id' })
    expect(await m.db.query('SELECT 1 FROM tasks WHERE id = $1', [second])).toEqual([])
  })
})

describe('allocateTaskId', () => {
  it('counts each poster’s task ids and order nonces on their own', async () => {
    const other = address(77)
    const ids = [await allocateTaskId(m.db, POSTER), await allocateTaskId(m.db, POSTER), await allocateTaskId(m.db, other)]
    // Task ids count from 1 (0 stays free), order nonces from 0.
    expect(ids).toEqual([{ taskId: chainTaskId(POSTER, 1n), nonce: 0n }, { taskId: chainTaskId(POSTER, 2n), nonce: 1n }, { taskId: chainTaskId(other, 1n), nonce: 0n }])
  })
})
