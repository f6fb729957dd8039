import { describe, expect, it } from 'vitest'
import { POSTER, START, UNKNOWN_ID, address, useTestMarket } from '../testMarket.ts'
import { releaseSlot } from './release.ts'

const m = useTestMarket()
const [w1, w2, w3] = [address(1), address(2), address(3)]

describe('claimSlot', () => {
  it('takes exactly the task’s slots, each for the time its terms allow', async () => {
    const task = await m.manualTask({ slots: 2, assignmentMinutes: 30 })
    m.clock.advance(5)
    const first = await m.claimSlot(w1, task.id)
    const second = await m.claimSlot(w2, task.id)
    await expect(m.claimSlot(w3, task.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the task is full: all 2 assignments are taken' })
    expect(await m.assignmentRow(first)).toMatchObject({ worker: w1, status: 'leased', lease_expires_at: new Date(START + 5_000 + 30 * 60_000) })
    expect((await m.assignmentRow(second)).job_id).not.toBe((await m.assignmentRow(first)).job_id)
    expect(await m.db.query('SELECT issued FROM jobs WHERE task_id = $1', [task.id])).toEqual([{ issued: 1 }, { issued: 1 }])
    expect((await m.taskRow(task.id)).status).toBe('in_progress')
  })

  it('refuses a second claim by the same person with a 409, until they gave the first back', async () => {
    const task = await m.manualTask({ slots: 3 })
    const id = await m.claimSlot(w1, task.id)
    await expect(m.claimSlot(w1, task.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: you already took this task (your assignment is claimed)' })
    await m.run(releaseSlot, { worker: w1, assignmentId: id })
    expect(await m.claimSlot(w1, task.id)).not.toBe(id)
  })

  it('tells the task’s watchers of the claim once it commits', async () => {
    const task = await m.manualTask()
    const heard = m.heard(`task:${task.id}`)
    const id = await m.claimSlot(w1, task.id)
    expect(heard).toEqual([{ type: 'ASSIGNMENT', taskId: task.id, assignmentId: id, status: 'claimed' }])
  })

  it('refuses compute tasks and polls, unlocked rewards and tasks past their lifetime on the clock', async () => {
    await expect(m.claimSlot(w1, (await m.task()).id)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('leased by worker nodes') })
    await expect(m.claimSlot(w1, (await m.pollTask()).id)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringContaining('polls take votes') })
    await expect(m.claimSlot(w1, (await m.manualTask({ escrow: 'awaiting' })).id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not locked in escrow yet') })
    await expect(m.claimSlot(w1, UNKNOWN_ID)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const task = await m.manualTask({ lifetimeSeconds: 60 })
    m.clock.advance(60)
    await expect(m.claimSlot(w1, task.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the task is closed (pending)' })
    m.clock.advance(-1)
    await m.claimSlot(w1, task.id)
  })

  it('lets only those the task admits claim: not its poster, not whom the poster blocks, only who qualifies', async () => {
    const task = await m.manualTask({ slots: 5, qualifications: [{ field: 'region', op: 'eq', value: 'EU' }] })
    await m.profile(w1, { region: 'EU' })
    await m.profile(w2, { region: 'US' })
    await m.profile(w3, { region: 'EU' })
    await m.block(POSTER, w3)
    await expect(m.claimSlot(POSTER, task.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: 'id: you cannot take your own task' })
    await expect(m.claimSlot(w2, task.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('region eq "EU"') })
    await expect(m.claimSlot(w3, task.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('does not take work from you') })
    await m.claimSlot(w1, task.id)
  })

  it('counts an unreadable trust level as 0', async () => {
    const task = await m.manualTask({ qualifications: [{ field: 'trust_level', op: 'gte', value: 1 }] })
    await expect(m.claimSlot(w1, task.id)).rejects.toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('trust_level gte 1') })
  })
})
