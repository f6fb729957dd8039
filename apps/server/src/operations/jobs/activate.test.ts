import { describe, expect, it } from 'vitest'
import { UNKNOWN_ID, useTestMarket } from '../testMarket.ts'
import { openJobs } from './activate.ts'

const m = useTestMarket()
const jobs = async (taskId: string) => m.db.query('SELECT status, wanted, issued FROM jobs WHERE task_id = $1 ORDER BY index', [taskId])

describe('openJobs', () => {
  it('opens a compute task’s waiting jobs, each wanting its task’s target results', async () => {
    const task = await m.task({ jobs: 2, replication: { minQuorum: 2, targetResults: 3 }, escrow: 'awaiting' })
    expect(await jobs(task.id)).toEqual([{ status: 'waiting', wanted: 0, issued: 0 }, { status: 'waiting', wanted: 0, issued: 0 }])
    expect(await m.run(openJobs, { taskId: task.id })).toBe(2)
    expect(await jobs(task.id)).toEqual([{ status: 'open', wanted: 3, issued: 0 }, { status: 'open', wanted: 3, issued: 0 }])
  })

  it('opens a human task’s slots for one person each, whatever its replication columns say', async () => {
    const manual = await m.manualTask({ slots: 2, replication: { targetResults: 5 }, open: false })
    const poll = await m.pollTask({ respondents: 3, replication: { targetResults: 4 }, open: false })
    expect(await m.run(openJobs, { taskId: manual.id })).toBe(2)
    expect(await m.run(openJobs, { taskId: poll.id })).toBe(3)
    expect((await jobs(manual.id)).map((j) => j.wanted)).toEqual([1, 1])
    expect((await jobs(poll.id)).map((j) => j.wanted)).toEqual([1, 1, 1])
  })

  it('opens only waiting jobs: a second call, a cancelled job and an unknown task open nothing', async () => {
    const task = await m.task({ jobs: 2, open: false })
    await m.db.query(`UPDATE jobs SET status = 'cancelled' WHERE id = $1`, [task.jobs[1]!.id])
    expect(await m.run(openJobs, { taskId: task.id })).toBe(1)
    expect(await m.run(openJobs, { taskId: task.id })).toBe(0)
    expect((await jobs(task.id)).map((j) => j.status)).toEqual(['open', 'cancelled'])
    expect(await m.run(openJobs, { taskId: UNKNOWN_ID })).toBe(0)
  })
})
