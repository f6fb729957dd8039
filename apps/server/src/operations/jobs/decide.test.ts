import { type Lease, type QuorumParams, errorDigest, resultHash } from '@taskmarket/core'
import type { Address, Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { TOKEN, address, digest, useTestMarket } from '../testMarket.ts'

const m = useTestMarket()
const [w1, w2, w3] = [address(1), address(2), address(3)]
const [right, wrong] = [digest('right'), digest('wrong')]
const statuses = async (leases: Lease[]) => Promise.all(leases.map(async (l) => (await m.assignmentRow(l.assignment_id)).status))

/** A task of `jobs` jobs, each leased to w1, w2 and w3 (three replicas, two agreeing decide). */
async function replicated(jobs = 1, replication: Partial<QuorumParams> = { minQuorum: 2, targetResults: 3 }) {
  const task = await m.task({ jobs, replication })
  const leases: Lease[][] = []
  for (const worker of [w1, w2, w3]) leases.push(await m.claim(worker, { max: jobs }))
  return { task, leases }
}
const answer = (worker: Address, lease: Lease, d: Hex) => m.submit(worker, [m.sealed(worker, lease, d)])

describe('decideJobs', () => {
  it('decides a job by two agreeing digests of three, judges the third invalid, and queues the settlement without it', async () => {
    const { task, leases: [[a], [b], [c]] } = await replicated()
    const heard = m.heard(`task:${task.id}`)
    await answer(w3, c!, wrong)
    await answer(w1, a!, right)
    expect((await m.jobRow(task.jobs[0]!.id)).status).toBe('open')
    await answer(w2, b!, right)
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ status: 'valid', canonical_digest: right, canonical_error: null, output_blob: right.slice(2) })
    expect(await statuses([a!, b!, c!])).toEqual(['valid', 'valid', 'invalid'])
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'verifying', jobs_done: 1 })
    const [settle, ...more] = await m.outbox(task.id, 'settle')
    expect(more).toEqual([])
    expect(settle!.key).toBe(`settle:${task.id}`)
    expect(settle!.payload).toMatchObject({ amount: TOKEN.toString(), close: true, workers: [{ address: w1, weight: 1 }, { address: w2, weight: 1 }] })
    expect(settle!.payload.records.map((r) => [r.worker, r.verdict])).toEqual([[w1, 1], [w2, 1], [w3, 2]])
    expect(settle!.payload.records[2]!.resultHash).toBe(resultHash(task.chainTaskId, task.jobs[0]!.chainJobId, wrong))
    expect(heard).toContainEqual({ type: 'TASK_VALIDATE', taskId: task.id, jobId: task.jobs[0]!.id, digest: right, valid: [w1, w2], invalid: [w3] })
  })

  it('cancels the replicas still leased once their job is decided; the task settles when its last job is', async () => {
    const { task, leases: [mine, theirs, late] } = await replicated(2)
    await answer(w1, mine![0]!, right)
    await answer(w2, theirs![0]!, right)
    expect(await statuses([late![0]!, late![1]!])).toEqual(['cancelled', 'leased'])
    expect(await m.submit(w3, [m.sealed(w3, late![0]!, right)])).toEqual([{ assignment_id: late![0]!.assignment_id, accepted: false, reason: 'lease is cancelled' }])
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'in_progress', jobs_done: 1 })
    expect(await m.outbox(task.id)).toEqual([])
    await answer(w1, mine![1]!, digest('second'))
    await answer(w3, late![1]!, digest('second'))
    expect(await statuses([theirs![1]!])).toEqual(['cancelled'])
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'verifying', jobs_done: 2 })
    const [settle] = await m.outbox(task.id, 'settle')
    expect(settle!.payload.workers).toEqual([{ address: w1, weight: 2 }, { address: w2, weight: 1 }, { address: w3, weight: 1 }])
  })

  it('decides a job whose replicas agree on an error code, with that error and no output', async () => {
    const { task, leases: [[a], [b]] } = await replicated()
    for (const [worker, lease] of [[w1, a], [w2, b]] as const) await m.submit(worker, [{ assignment_id: lease!.assignment_id, digest: null, error_code: 'TIME_LIMIT' }])
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ status: 'valid', canonical_digest: errorDigest('TIME_LIMIT'), canonical_error: 'TIME_LIMIT', output_blob: null })
    expect((await m.taskRow(task.id)).status).toBe('verifying')
  })

  it('issues one more replica when the results disagree', async () => {
    const { task, leases: [[a], [b]] } = await replicated(1, { minQuorum: 2, targetResults: 2 })
    await answer(w1, a!, right)
    await answer(w2, b!, wrong)
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ status: 'open', issued: 2, wanted: 3 })
    const [tiebreak] = await m.claim(w3)
    await answer(w3, tiebreak!, right)
    expect((await m.jobRow(task.jobs[0]!.id)).canonical_digest).toBe(right)
  })

  it('fails the task and queues its refund when a job cannot reach quorum', async () => {
    const { task, leases: [[a], [b]] } = await replicated(2, { minQuorum: 2, targetResults: 2, maxTotalResults: 2 })
    const heard = m.heard(`task:${task.id}`)
    await answer(w1, a!, right)
    await answer(w2, b!, wrong)
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ status: 'error' })
    expect(await m.jobRow(task.jobs[1]!.id)).toMatchObject({ status: 'cancelled' })
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'failed', failure_reason: `job ${task.jobs[0]!.id} failed: no consensus` })
    expect(await m.outbox(task.id)).toEqual([expect.objectContaining({ kind: 'refund', key: `refund:${task.id}`, payload: { task_id: task.id, chain_task_id: task.chainTaskId } })])
    expect(heard).toContainEqual(expect.objectContaining({ type: 'TASK_PROGRESS', status: 'failed' }))
  })

  it('fails the task when too many replicas error', async () => {
    const { task, leases } = await replicated(1, { minQuorum: 2, targetResults: 3, maxErrorResults: 2 })
    await m.submit(w1, [{ assignment_id: leases[0]![0]!.assignment_id, digest: null }])
    expect((await m.taskRow(task.id)).status).toBe('in_progress')
    await m.submit(w2, [{ assignment_id: leases[1]![0]!.assignment_id, digest: null }])
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'failed', failure_reason: `job ${task.jobs[0]!.id} failed: too many errors` })
    expect(await statuses([leases[2]![0]!])).toEqual(['cancelled'])
    expect(await m.outbox(task.id, 'refund')).toHaveLength(1)
  })

  it('decides nothing of a task that a job failed in the same request', async () => {
    const { task, leases: [mine, theirs] } = await replicated(2, { minQuorum: 2, targetResults: 2, maxTotalResults: 2 })
    await m.submit(w1, [m.sealed(w1, mine![0]!, right), m.sealed(w1, mine![1]!, right)])
    await m.submit(w2, [m.sealed(w2, theirs![0]!, right), m.sealed(w2, theirs![1]!, wrong)])
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'failed', jobs_done: 0 })
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ status: 'cancelled', canonical_digest: null })
    expect(await m.outbox(task.id, 'settle')).toEqual([])
  })
})
