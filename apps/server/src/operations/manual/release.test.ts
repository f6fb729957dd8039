import { describe, expect, it } from 'vitest'
import { address, useTestMarket } from '../testMarket.ts'
import { releaseSlot } from './release.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]
const release = (worker: typeof w1, assignmentId: string) => m.run(releaseSlot, { worker, assignmentId })

describe('releaseSlot', () => {
  it('gives a claimed slot back, free for the next person', async () => {
    const task = await m.manualTask()
    const id = await m.claimSlot(w1, task.id)
    await expect(m.claimSlot(w2, task.id)).rejects.toMatchObject({ code: 'CONFLICT' })
    const heard = m.heard(`task:${task.id}`)
    await release(w1, id)
    expect((await m.assignmentRow(id)).status).toBe('released')
    expect((await m.jobRow(task.jobs[0]!.id)).issued).toBe(0)
    expect(heard).toEqual([{ type: 'ASSIGNMENT', taskId: task.id, assignmentId: id, status: 'released' }])
    await m.claimSlot(w2, task.id)
  })

  it('releases only one’s own claim, and only while it is claimed', async () => {
    const task = await m.manualTask()
    const id = await m.claimSlot(w1, task.id)
    await expect(release(w2, id)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await release(w1, id)
    await expect(release(w1, id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the assignment is released; it can no longer change' })
    expect((await m.jobRow(task.jobs[0]!.id)).issued).toBe(0)
  })
})
