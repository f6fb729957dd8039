import { describe, expect, it } from 'vitest'
import { START, UNKNOWN_ID, address, useTestMarket } from '../testMarket.ts'
import { graceLeasesOnStart, renewLeases } from './heartbeat.ts'
import { expireLeases } from './reap.ts'
import { releaseLeases } from './release.ts'

const m = useTestMarket()
const [w1, w2] = [address(1), address(2)]
const heartbeat = (worker: typeof w1, items: { assignment_id: string; progress?: number }[]) => m.once((tx) => renewLeases(tx, { worker, items, leaseSeconds: 120 }))

describe('renewLeases', () => {
  it('renews only the worker’s own leased assignments from the clock’s time, and reports the others as lost', async () => {
    await m.task({ jobs: 3 })
    const [mine, given] = await m.claim(w1, { max: 2 })
    const [theirs] = await m.claim(w2)
    await m.run(releaseLeases, { worker: w1, assignmentIds: [given!.assignment_id] })
    m.clock.advance(30)
    const answer = await heartbeat(w1, [{ assignment_id: mine!.assignment_id }, { assignment_id: given!.assignment_id }, { assignment_id: theirs!.assignment_id }, { assignment_id: UNKNOWN_ID }])
    expect(answer).toEqual({ renewed: [mine!.assignment_id], lost: [given!.assignment_id, theirs!.assignment_id, UNKNOWN_ID], lease_seconds: 120 })
    expect((await m.assignmentRow(mine!.assignment_id)).lease_expires_at).toEqual(new Date(START + 30_000 + 120_000))
    expect((await m.assignmentRow(theirs!.assignment_id)).lease_expires_at).toEqual(new Date(theirs!.lease_expires_at * 1000))
  })

  it('records progress clamped to [0, 1]', async () => {
    await m.task({ jobs: 3 })
    const leases = await m.claim(w1, { max: 3 })
    await heartbeat(w1, leases.map((l, i) => ({ assignment_id: l.assignment_id, progress: [0.25, 7, -1][i] })))
    const progress = await Promise.all(leases.map(async (l) => (await m.assignmentRow(l.assignment_id)).progress))
    expect(progress).toEqual([0.25, 1, 0])
  })

  it('does not bring back a lease that lapsed and was given to another', async () => {
    await m.task({ replication: { minQuorum: 1, targetResults: 1 } })
    const [lapsed] = await m.claim(w1)
    await m.db.query(`UPDATE assignments SET status = 'expired' WHERE id = $1`, [lapsed!.assignment_id])
    expect(await heartbeat(w1, [{ assignment_id: lapsed!.assignment_id }])).toMatchObject({ renewed: [], lost: [lapsed!.assignment_id] })
    expect((await m.assignmentRow(lapsed!.assignment_id)).status).toBe('expired')
  })

  it('does not extend a person’s claim of a manual slot beyond the time its terms allow', async () => {
    const task = await m.manualTask({ assignmentMinutes: 10 })
    const id = await m.claimSlot(w1, task.id)
    m.clock.advance(9 * 60)
    expect(await heartbeat(w1, [{ assignment_id: id }])).toMatchObject({ renewed: [], lost: [id] })
    expect((await m.assignmentRow(id)).lease_expires_at).toEqual(new Date(START + 10 * 60_000))
  })
})

describe('graceLeasesOnStart', () => {
  it('gives held leases a full period from the start, so none lapses for the downtime, and a gone node still loses its lease after', async () => {
    await m.task({ jobs: 3 })
    const [short, long, done] = await m.claim(address(7), { max: 3, leaseSeconds: 10 })
    await m.db.query(`UPDATE assignments SET lease_expires_at = lease_expires_at + interval '1 hour' WHERE id = $1`, [long!.assignment_id])
    await m.db.query(`UPDATE assignments SET status = 'submitted' WHERE id = $1`, [done!.assignment_id])
    m.clock.advance(30) // the market was down for 30 s: the short lease lapsed meanwhile
    expect(await m.run(graceLeasesOnStart, { leaseSeconds: 60 })).toBe(1)
    expect(new Date((await m.assignmentRow(short!.assignment_id)).lease_expires_at).getTime()).toBe(m.clock.now() + 60_000)
    expect(await m.transact(expireLeases)).toBe(0)
    m.clock.advance(61)
    expect(await m.transact(expireLeases)).toBe(1)
  })
})
