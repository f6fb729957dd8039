import { AMOUNT_UNIT } from '@taskmarket/chain'
import { resultHash } from '@taskmarket/core'
import { encodePacked, keccak256 } from 'viem'
import { describe, expect, it } from 'vitest'
import { TOKEN, type TestTask, address, digest, finalize, useTestMarket } from '../testMarket.ts'
import { type Finalize, VERDICT, settleTask } from './settle.ts'

const m = useTestMarket()
const [w1, w2, w3] = [address(1), address(2), address(3)]
const [x, y, z] = [digest('x'), digest('y'), digest('z')]
const settle = (taskId: string, fin: Finalize = finalize) => m.transact((tx) => settleTask(tx, { taskId, finalize: fin }))

async function decided(task: TestTask, canonical: string[]) {
  for (const [i, d] of canonical.entries()) await m.db.query(`UPDATE jobs SET status = 'valid', canonical_digest = $2 WHERE id = $1`, [task.jobs[i]!.id, d])
}

describe('settleTask', () => {
  it('pays honest workers by accepted jobs, records every result, and keeps the deliverable with the result hash', async () => {
    const task = await m.task({ jobs: 2, status: 'verifying' })
    await decided(task, [x, z])
    await m.replica(task, 0, w1, 'valid', x)
    await m.replica(task, 0, w3, 'invalid', y)
    await m.replica(task, 0, w2, 'valid', x)
    await m.replica(task, 1, w3, 'valid', z)
    await m.replica(task, 1, w1, 'valid', z)
    await m.replica(task, 1, w2, 'error')
    await m.replica(task, 1, address(4), 'cancelled', z)
    const heard = m.heard(`task:${task.id}`)
    let built: string | undefined
    await settle(task.id, async (_tx, taskId) => {
      built = taskId
      return { output_blob: 'tiles' }
    })
    expect(built).toBe(task.id)
    const [item, ...more] = await m.outbox(task.id, 'settle')
    expect(more).toEqual([])
    expect(item).toMatchObject({ key: `settle:${task.id}`, payload: { task_id: task.id, chain_task_id: task.chainTaskId, amount: TOKEN.toString(), close: true } })
    expect(item!.payload.workers).toEqual([{ address: w1, weight: 2 }, { address: w2, weight: 1 }, { address: w3, weight: 1 }])
    const job = (i: number) => ({ job_id: task.jobs[i]!.id, chainJobId: task.jobs[i]!.chainJobId })
    expect(item!.payload.records).toEqual([
      { ...job(0), worker: w1, resultHash: resultHash(task.chainTaskId, task.jobs[0]!.chainJobId, x), verdict: VERDICT.accepted },
      { ...job(0), worker: w2, resultHash: resultHash(task.chainTaskId, task.jobs[0]!.chainJobId, x), verdict: VERDICT.accepted },
      { ...job(0), worker: w3, resultHash: resultHash(task.chainTaskId, task.jobs[0]!.chainJobId, y), verdict: VERDICT.rejected },
      { ...job(1), worker: w1, resultHash: resultHash(task.chainTaskId, task.jobs[1]!.chainJobId, z), verdict: VERDICT.accepted },
      { ...job(1), worker: w3, resultHash: resultHash(task.chainTaskId, task.jobs[1]!.chainJobId, z), verdict: VERDICT.accepted },
    ])
    expect((await m.taskRow(task.id)).result).toEqual({ result_hash: keccak256(encodePacked(['bytes32', 'bytes32'], [x, z])), worker_address: w1, output_blob: 'tiles' })
    expect(heard).toEqual([{ type: 'TASK_PROGRESS', taskId: task.id, status: 'verifying', jobsDone: 2, jobsTotal: 2 }])
  })

  it('gives a one-job task its job’s digest as the result hash, and queues it once however often it settles', async () => {
    const task = await m.task({ status: 'verifying' })
    await decided(task, [x])
    await m.replica(task, 0, w2, 'valid', x)
    await settle(task.id)
    await settle(task.id)
    expect((await m.taskRow(task.id)).result).toEqual({ result_hash: x, worker_address: w2 })
    expect(await m.outbox(task.id)).toHaveLength(1)
  })

  it('splits a payment to more than 64 workers into settlements in whole units, the last one closing the task', async () => {
    const task = await m.task({ status: 'verifying' })
    await decided(task, [x])
    for (let i = 0; i < 65; i++) await m.replica(task, 0, address(100 + i), 'valid', x)
    await settle(task.id)
    const parts = await m.outbox(task.id, 'settle')
    expect(parts.map((p) => [p.key, p.payload.workers.length, p.payload.records.length, p.payload.close])).toEqual([
      [`settle:${task.id}:0`, 64, 65, false],
      [`settle:${task.id}:1`, 1, 0, true],
    ])
    const amounts = parts.map((p) => BigInt(p.payload.amount))
    expect(amounts[0]! + amounts[1]!).toBe(TOKEN)
    expect(amounts[0]! % AMOUNT_UNIT).toBe(0n)
    expect(amounts[0]).toBe(((TOKEN / AMOUNT_UNIT) * 64n / 65n) * AMOUNT_UNIT)
  })
})
