import { describe, expect, it } from 'vitest'
import { address, useTestMarket } from '../testMarket.ts'
import { releaseLeases, returnToPool } from './release.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]
const issued = async (jobId: string) => (await m.jobRow(jobId)).issued

describe('releaseLeases', () => {
  it('gives a lease back so its job is issued again at once, to anyone', async () => {
    const task = await m.task({ replication: { minQuorum: 1, targetResults: 1 } })
    const [lease] = await m.claim(w1)
    expect(await m.claim(w2)).toEqual([])
    expect(await m.run(releaseLeases, { worker: w1, assignmentIds: [lease!.assignment_id] })).toBe(1)
    expect((await m.assignmentRow(lease!.assignment_id)).status).toBe('released')
    expect(await issued(task.jobs[0]!.id)).toBe(0)
    expect(await m.claim(w1)).toHaveLength(1)
  })

  it('releases only the worker’s own leases that are still leased', async () => {
    const task = await m.task({ jobs: 2, replication: { minQuorum: 1, targetResults: 1 } })
    const [a, b] = await m.claim(w1, { max: 2 })
    expect(await m.run(releaseLeases, { worker: w2, assignmentIds: [a!.assignment_id] })).toBe(0)
    expect((await m.assignmentRow(a!.assignment_id)).status).toBe('leased')
    await m.run(releaseLeases, { worker: w1, assignmentIds: [b!.assignment_id] })
    expect(await m.run(releaseLeases, { worker: w1, assignmentIds: [b!.assignment_id] })).toBe(0)
    expect([await issued(task.jobs[0]!.id), await issued(task.jobs[1]!.id)]).toEqual([1, 0])
  })
})

describe('returnToPool', () => {
  it('lets a job be issued again once per ended lease', async () => {
    const task = await m.task({ jobs: 2 })
    await m.db.query('UPDATE jobs SET issued = 3')
    const [j0, j1] = task.jobs.map((j) => j.id) as [string, string]
    await m.transact((tx) => returnToPool(tx, [j0, j1, j0]))
    expect([await issued(j0), await issued(j1)]).toEqual([1, 2])
  })
})
