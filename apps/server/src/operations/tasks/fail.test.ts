import { describe, expect, it } from 'vitest'
import { address, useTestMarket } from '../testMarket.ts'
import { failTask } from './fail.ts'

const m = useTestMarket()
const fail = (taskId: string, reason = 'deadline passed') => m.run(failTask, { taskId, reason })

describe('failTask', () => {
  it('fails a task with its reason, cancels its open work and queues the refund of its locked escrow', async () => {
    const task = await m.task({ jobs: 2 })
    const [lease] = await m.claim(address(1))
    await m.db.query(`UPDATE jobs SET status = 'valid' WHERE id = $1`, [task.jobs[1]!.id])
    const heard = m.heard(`task:${task.id}`)
    await fail(task.id)
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'failed', failure_reason: 'deadline passed' })
    expect((await m.assignmentRow(lease!.assignment_id)).status).toBe('cancelled')
    expect([(await m.jobRow(task.jobs[0]!.id)).status, (await m.jobRow(task.jobs[1]!.id)).status]).toEqual(['cancelled', 'valid'])
    expect(await m.outbox(task.id)).toEqual([expect.objectContaining({ kind: 'refund', key: `refund:${task.id}`, payload: { task_id: task.id, chain_task_id: task.chainTaskId } })])
    expect(heard).toEqual([{ type: 'TASK_PROGRESS', taskId: task.id, status: 'failed', jobsDone: 0, jobsTotal: 0, message: 'deadline passed' }])
  })

  it('queues no refund when nothing is locked, and one only however often the task fails', async () => {
    const waiting = await m.task({ escrow: 'awaiting' })
    await fail(waiting.id)
    expect((await m.taskRow(waiting.id)).status).toBe('failed')
    expect((await m.jobRow(waiting.jobs[0]!.id)).status).toBe('cancelled')
    expect(await m.outbox(waiting.id)).toEqual([])
    const locked = await m.task()
    await fail(locked.id)
    await fail(locked.id, 'again')
    expect(await m.taskRow(locked.id)).toMatchObject({ failure_reason: 'deadline passed' })
    expect(await m.outbox(locked.id)).toHaveLength(1)
  })

  it('refuses to fail a completed task', async () => {
    const task = await m.task({ status: 'completed' })
    await expect(fail(task.id)).rejects.toMatchObject({ code: 'CONFLICT' })
    expect(await m.outbox(task.id)).toEqual([])
  })
})
