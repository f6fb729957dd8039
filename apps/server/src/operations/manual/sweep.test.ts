import { describe, expect, it } from 'vitest'
import { POSTER, address, useTestMarket } from '../testMarket.ts'
import { approveWork, rejectWork } from './review.ts'
import { approveOverdue, dueForSweep, finishIfOver } from './sweep.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]
const due = () => m.once(dueForSweep)
const finish = (taskId: string) => m.run(finishIfOver, { taskId })
const statusOf = async (taskId: string) => (await m.taskRow(taskId)).status

describe('dueForSweep and approveOverdue', () => {
  it('approve work left unreviewed past the task’s delay on the clock, as the sweep', async () => {
    const task = await m.manualTask({ autoApproveHours: 1 })
    const id = await m.submitted(w1, task.id)
    m.clock.advance(3599)
    expect(await due()).toEqual({ reviews: [], tasks: [] })
    m.clock.advance(1)
    expect(await due()).toEqual({ reviews: [id], tasks: [] })
    await m.run(approveOverdue, { assignmentId: id })
    expect(await m.assignmentRow(id)).toMatchObject({ status: 'valid', review: { by: 'auto', reason: null } })
    expect(await m.outbox(task.id, 'settle')).toHaveLength(1)
    expect(await due()).toEqual({ reviews: [], tasks: [] })
  })

  it('leave alone a review someone finished meanwhile', async () => {
    const task = await m.manualTask({ autoApproveHours: 1 })
    const id = await m.submitted(w1, task.id)
    await m.run(rejectWork, { reviewer: { address: POSTER, role: 'poster' }, assignmentId: id, reason: 'blurry' })
    await m.run(approveOverdue, { assignmentId: id })
    expect((await m.assignmentRow(id)).status).toBe('rejected')
    expect(await m.outbox(task.id)).toEqual([])
  })
})

describe('finishIfOver', () => {
  it('closes a task past its lifetime once its work is done: free slots cancelled, the rest of the escrow back', async () => {
    const task = await m.manualTask({ slots: 2, lifetimeSeconds: 3600 })
    const id = await m.submitted(w1, task.id)
    await m.run(approveWork, { reviewer: { address: POSTER, role: 'poster' }, assignmentId: id })
    await finish(task.id)
    expect(await statusOf(task.id)).toBe('in_progress')
    m.clock.advance(3601)
    expect((await due()).tasks).toEqual([task.id])
    const heard = m.heard(`task:${task.id}`)
    await finish(task.id)
    expect(await statusOf(task.id)).toBe('verifying')
    expect((await m.db.query('SELECT status FROM jobs WHERE task_id = $1 ORDER BY status', [task.id])).map((j) => j.status)).toEqual(['cancelled', 'valid'])
    expect(await m.outbox(task.id, 'settle')).toEqual([
      expect.objectContaining({ key: `settle:${id}` }),
      expect.objectContaining({ key: `close:${task.id}`, payload: expect.objectContaining({ amount: '0', close: true, workers: [], records: [], assignment_ids: [] }) }),
    ])
    expect(heard).toEqual([{ type: 'TASK_PROGRESS', taskId: task.id, status: 'verifying', jobsDone: 0, jobsTotal: 2 }])
    expect((await due()).tasks).toEqual([])
  })

  it('fails a task whose lifetime ended without approved work, and queues its refund', async () => {
    const task = await m.manualTask({ lifetimeSeconds: 60 })
    m.clock.advance(61)
    await finish(task.id)
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'failed', failure_reason: 'no work was approved before the task’s lifetime ended' })
    expect((await m.outbox(task.id)).map((i) => i.kind)).toEqual(['refund'])
  })

  it('waits while a slot is claimed or under review', async () => {
    const task = await m.manualTask({ slots: 2, lifetimeSeconds: 60 })
    const claimed = await m.claimSlot(w1, task.id)
    const submitted = await m.submitted(w2, task.id)
    m.clock.advance(61)
    await finish(task.id)
    expect(await statusOf(task.id)).toBe('in_progress')
    await m.db.query(`UPDATE assignments SET status = 'expired' WHERE id = $1`, [claimed])
    await finish(task.id)
    expect(await statusOf(task.id)).toBe('in_progress')
    await m.run(approveWork, { reviewer: { address: POSTER, role: 'poster' }, assignmentId: submitted })
    await finish(task.id)
    expect(await statusOf(task.id)).toBe('verifying')
  })

  it('sweeps only locked manual tasks still running', async () => {
    await m.task({ lifetimeSeconds: 60 })
    await m.pollTask({ lifetimeSeconds: 60 })
    await m.manualTask({ lifetimeSeconds: 60, escrow: 'awaiting' })
    await m.manualTask({ lifetimeSeconds: 60, status: 'failed' })
    m.clock.advance(61)
    expect(await due()).toEqual({ reviews: [], tasks: [] })
  })
})
