import { assignmentStates, assignmentStatuses } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { START, UNKNOWN_ID, address, useTestMarket } from '../testMarket.ts'
import { approvedCount, loadAssignment, loadOwn, rowStatuses, viewStatus } from './assignments.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]
const own = (worker: typeof w1, id: string) => m.transact((tx) => loadOwn(tx, worker, id))

describe('loadAssignment', () => {
  it('loads an assignment with its job’s on-chain id, and answers 404 for one that does not exist', async () => {
    const task = await m.manualTask()
    const id = await m.claimSlot(w1, task.id)
    expect(await loadAssignment(m.db, id)).toMatchObject({ id, task_id: task.id, job_id: task.jobs[0]!.id, worker: w1, chain_job_id: task.jobs[0]!.chainJobId })
    for (const missing of [UNKNOWN_ID, 'not-an-id']) {
      await expect(loadAssignment(m.db, missing)).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'id' })
    }
  })
})

describe('loadOwn', () => {
  it('gives a worker their own claim while it runs, on the clock', async () => {
    const task = await m.manualTask({ assignmentMinutes: 10 })
    const id = await m.claimSlot(w1, task.id)
    expect((await own(w1, id)).id).toBe(id)
    await expect(own(w2, id)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    m.clock.set(START + 10 * 60_000)
    await expect(own(w1, id)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('the claim has expired') })
  })

  it('refuses a claim that can no longer change, naming its status as a person sees it', async () => {
    const task = await m.manualTask()
    const id = await m.submitted(w1, task.id)
    await expect(own(w1, id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the assignment is submitted; it can no longer change' })
  })
})

describe('approvedCount', () => {
  it('counts a task’s approved assignments', async () => {
    const task = await m.manualTask({ slots: 3 })
    await m.replica(task, 0, w1, 'valid')
    await m.replica(task, 1, w2, 'submitted')
    expect(await approvedCount(m.db, task.id)).toBe(1)
  })
})

describe('viewStatus and rowStatuses', () => {
  it('show every row status as one of the statuses a person sees', () => {
    for (const status of assignmentStates) expect(assignmentStatuses).toContain(viewStatus(status))
    expect(viewStatus('leased')).toBe('claimed')
    expect(viewStatus('valid')).toBe('approved')
  })

  it('find, for each status a person sees, every row status shown as it', () => {
    for (const view of assignmentStatuses) {
      expect(rowStatuses(view).sort(), view).toEqual(assignmentStates.filter((s) => viewStatus(s) === view).sort())
    }
    expect(rowStatuses('rejected').sort()).toEqual(['error', 'invalid', 'rejected'])
    expect(rowStatuses('expired').sort()).toEqual(['cancelled', 'expired'])
  })
})
