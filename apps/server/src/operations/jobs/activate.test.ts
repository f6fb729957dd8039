import { describe, expect, it } from 'vitest'
import { parsePrice } from '@taskmarket/core'
import { UNKNOWN_ID, address, useTestMarket } from '../testMarket.ts'
import { registerNode } from '../../repositories/nodes.ts'
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

  it('offers a compute task first to its best-ranked online nodes, as many as take every job at once, until the window ends', async () => {
    const [pricey, cheap, middle, gpu, away] = [address(1), address(2), address(3), address(4), address(5)]
    for (const [who, resourceType, price] of [[pricey, 'cpu', '0.5'], [cheap, 'cpu', '0.1'], [middle, 'cpu', '0.3'], [gpu, 'gpu', '0.01']] as const) {
      await registerNode(m.db, { address: who, cores: 1, memoryMb: 1, executors: ['synthetic'], concurrency: 1, version: null, offer: { resourceType, region: 'any', pricePerUnit: parsePrice(price), hardware: {} } })
    }
    const task = await m.task({ jobs: 1, replication: { minQuorum: 2, targetResults: 2 }, open: false })
    await m.db.query(`UPDATE tasks SET requirements = '{"resource_type":"cpu"}', req_resource_type = 'cpu' WHERE id = $1`, [task.id])
    expect(await m.run(openJobs, { taskId: task.id, offerWindowSeconds: 10 })).toBe(1)
    // Two replicas of one job: the two cheapest CPU nodes have it; the GPU node is not eligible at all.
    expect(await m.taskRow(task.id)).toMatchObject({ offered_to: [cheap, middle], offer_until: new Date(m.clock.now() + 10_000) })
    expect(await m.claim(pricey)).toEqual([])
    expect(await m.claim(away)).toEqual([])
    expect(await m.claim(cheap)).toHaveLength(1)
    m.clock.advance(10)
    expect(await m.claim(pricey)).toHaveLength(1)
    expect(await m.claim(middle)).toEqual([])
  })

  it('offers to everyone at once without a window, or when no node is online', async () => {
    const task = await m.task({ jobs: 1, open: false })
    expect(await m.run(openJobs, { taskId: task.id, offerWindowSeconds: 10 })).toBe(1)
    expect(await m.taskRow(task.id)).toMatchObject({ offered_to: null, offer_until: null })
    expect(await m.claim(address(9))).toHaveLength(1)
  })
})
