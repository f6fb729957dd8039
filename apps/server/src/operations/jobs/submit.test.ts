import { type Lease, errorDigest, resultSeal } from '@taskmarket/core'
import type { Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { START, UNKNOWN_ID, address, digest, useTestMarket } from '../testMarket.ts'
import { releaseLeases } from './release.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]

/** A task of one job wanting three replicas, and `worker`'s lease of it. */
async function leased(worker = w1) {
  const task = await m.task({ replication: { minQuorum: 2, targetResults: 3 } })
  const [lease] = await m.claim(worker)
  return { task, lease: lease! }
}

describe('submitResults', () => {
  it('records a sealed result: the assignment submitted with its digest, seal and output, at the clock’s time', async () => {
    const { task, lease } = await leased()
    m.clock.advance(42)
    const heard = m.heard(`task:${task.id}`)
    const result = m.sealed(w1, lease, digest(1))
    expect(await m.submit(w1, [result])).toEqual([{ assignment_id: lease.assignment_id, accepted: true }])
    expect(await m.assignmentRow(lease.assignment_id)).toMatchObject({
      status: 'submitted', digest: digest(1), seal: result.seal, output_blob: digest(1).slice(2), submitted_at: new Date(START + 42_000), progress: 1,
    })
    expect(heard).toEqual([{ type: 'TASK_RESPONSE', taskId: task.id }])
  })

  it('refuses a wrong seal, or another worker’s seal, and records nothing of the request', async () => {
    const { lease } = await leased()
    const copied = resultSeal(w2, lease.chain_task_id as Hex, lease.chain_job_id as Hex, digest(1))
    for (const seal of [copied, m.sealed(w1, lease, digest(2)).seal!, undefined]) {
      await expect(m.submit(w1, [{ assignment_id: lease.assignment_id, digest: digest(1), seal }])).rejects.toMatchObject({ code: 'VALIDATION', field: 'seal' })
    }
    expect(await m.assignmentRow(lease.assignment_id)).toMatchObject({ status: 'leased', digest: null })
  })

  it('refuses an assignment that is not the worker’s', async () => {
    const { lease } = await leased()
    await expect(m.submit(w2, [m.sealed(w2, lease, digest(1))])).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'assignment_id' })
    await expect(m.submit(w1, [{ ...m.sealed(w1, lease, digest(1)), assignment_id: UNKNOWN_ID }])).rejects.toMatchObject({ code: 'NOT_FOUND' })
  })

  it('accepts one copy of a result in a request and turns away a lease no longer held', async () => {
    const { lease } = await leased()
    const result = m.sealed(w1, lease, digest(1))
    expect(await m.submit(w1, [result, result])).toEqual([
      { assignment_id: lease.assignment_id, accepted: true },
      { assignment_id: lease.assignment_id, accepted: false, reason: 'lease is submitted' },
    ])
    const [other] = await m.claim(w2)
    await m.run(releaseLeases, { worker: w2, assignmentIds: [other!.assignment_id] })
    expect(await m.submit(w2, [m.sealed(w2, other!, digest(1))])).toEqual([{ assignment_id: other!.assignment_id, accepted: false, reason: 'lease is released' }])
  })

  it('records a failure without a code as an error, and one with a code as that code’s digest, neither needing a seal', async () => {
    const { lease } = await leased()
    const [coded] = await m.claim(w2)
    await m.submit(w1, [{ assignment_id: lease.assignment_id, digest: null, error: 'it crashed' }])
    await m.submit(w2, [{ assignment_id: coded!.assignment_id, digest: null, error: 'too slow', error_code: 'TIME_LIMIT' }])
    expect(await m.assignmentRow(lease.assignment_id)).toMatchObject({ status: 'error', digest: null, error: 'it crashed', error_code: null, output_blob: null })
    expect(await m.assignmentRow(coded!.assignment_id)).toMatchObject({ status: 'submitted', digest: errorDigest('TIME_LIMIT'), error_code: 'TIME_LIMIT', output_blob: null })
  })

  it('drops an error code sent with a digest: the result is checked by its seal', async () => {
    const { lease } = await leased()
    await expect(m.submit(w1, [{ assignment_id: lease.assignment_id, digest: digest(1), error_code: 'TIME_LIMIT' }])).rejects.toMatchObject({ field: 'seal' })
    await m.submit(w1, [{ ...m.sealed(w1, lease, digest(1)), error_code: 'TIME_LIMIT' }])
    expect(await m.assignmentRow(lease.assignment_id)).toMatchObject({ status: 'submitted', digest: digest(1), error_code: null })
  })

  it('takes no result for human work: a claimed manual slot is the poster’s to review', async () => {
    const task = await m.manualTask()
    const id = await m.claimSlot(w1, task.id)
    const lease = { assignment_id: id, chain_task_id: task.chainTaskId, chain_job_id: task.jobs[0]!.chainJobId } as Lease
    await expect(m.submit(w1, [m.sealed(w1, lease, digest(1))])).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect((await m.assignmentRow(id)).status).toBe('leased')
    expect(await m.outbox(task.id)).toEqual([])
  })
})
