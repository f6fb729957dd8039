import { describe, expect, it } from 'vitest'
import { address, useTestMarket } from '../testMarket.ts'
import { expireLeases, lateComputeTasks } from './reap.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]

describe('expireLeases', () => {
  it('expires leases that lapsed on the clock and returns their jobs to the pool', async () => {
    const task = await m.task({ replication: { minQuorum: 1, targetResults: 1 } })
    const [lease] = await m.claim(w1, { leaseSeconds: 60 })
    m.clock.advance(60)
    expect(await m.transact(expireLeases)).toBe(0)
    expect(await m.claim(w2)).toEqual([])
    m.clock.advance(1)
    expect(await m.transact(expireLeases)).toBe(1)
    expect((await m.assignmentRow(lease!.assignment_id)).status).toBe('expired')
    expect((await m.jobRow(task.jobs[0]!.id)).issued).toBe(0)
    expect(await m.claim(w2)).toHaveLength(1)
    expect(await m.transact(expireLeases)).toBe(0)
  })

  it('leaves submitted work and renewed leases alone', async () => {
    await m.task({ jobs: 2 })
    const [done, renewed] = await m.claim(w1, { max: 2, leaseSeconds: 60 })
    await m.db.query(`UPDATE assignments SET status = 'submitted' WHERE id = $1`, [done!.assignment_id])
    await m.db.query(`UPDATE assignments SET lease_expires_at = lease_expires_at + interval '1 hour' WHERE id = $1`, [renewed!.assignment_id])
    m.clock.advance(120)
    expect(await m.transact(expireLeases)).toBe(0)
  })
})

describe('lateComputeTasks', () => {
  it('lists locked compute tasks still running past their deadline on the clock, not human work', async () => {
    const late = await m.task({ lifetimeSeconds: 60 })
    const started = await m.task({ lifetimeSeconds: 60, status: 'in_progress' })
    await m.task({ lifetimeSeconds: 600 })
    await m.task({ lifetimeSeconds: 60, escrow: 'awaiting' })
    await m.task({ lifetimeSeconds: 60, status: 'verifying' })
    await m.manualTask({ lifetimeSeconds: 60 })
    await m.pollTask({ lifetimeSeconds: 60 })
    expect(await m.once(lateComputeTasks)).toEqual([])
    m.clock.advance(61)
    expect((await m.once(lateComputeTasks)).sort()).toEqual([late.id, started.id].sort())
  })
})
