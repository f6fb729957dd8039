import { type Lease, NO_RECORD, reputationBps } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { TOKEN, address, digest, useTestMarket } from '../testMarket.ts'
import { penalizeLeases } from './penalize.ts'
import { expireLeases } from './reap.ts'

const m = useTestMarket()
const [w1, w2, w3] = [address(1), address(2), address(3)]
const slashes = () => m.db.query<{ worker: string; reason: string; amount: string; reputation_bps: number }>('SELECT worker, reason, amount::text AS amount, reputation_bps FROM node_slashes ORDER BY worker')

describe('penalizeLeases', () => {
  it('slashes a lease that timed out by the stake it put at risk, once, and queues the slash with the node’s new reputation', async () => {
    const task = await m.task({ reward: 10n * TOKEN, replication: { minQuorum: 1, targetResults: 1 } })
    const [lease] = await m.claim(w1, { stake: 100n * TOKEN })
    expect((await m.assignmentRow(lease!.assignment_id)).stake_at_risk).toBe((10n * TOKEN).toString())
    m.clock.advance(61)
    expect(await m.transact(expireLeases)).toBe(1)
    const timedOut = reputationBps({ ...NO_RECORD, timeouts: 1 })
    expect(await slashes()).toEqual([{ worker: w1, reason: 'TaskTimeout', amount: (10n * TOKEN).toString(), reputation_bps: timedOut }])
    const [item] = await m.outbox(task.id, 'settle')
    expect(item!.key).toBe(`slash:${lease!.assignment_id}`)
    expect(item!.payload).toMatchObject({ amount: '0', close: false, workers: [], records: [], reputations: [{ address: w1, bps: timedOut }] })
    expect(item!.payload.slashes).toEqual([{ address: w1, amount: (10n * TOKEN).toString(), reason: 'TaskTimeout', assignment_id: lease!.assignment_id }])
    // Penalizing the same lease again changes nothing.
    await m.run(penalizeLeases, { assignmentIds: [lease!.assignment_id], reason: 'TaskTimeout' })
    expect(await slashes()).toHaveLength(1)
    expect(await m.outbox(task.id, 'settle')).toHaveLength(1)
  })

  it('slashes the outvoted replica when its job is decided and none of the agreeing ones', async () => {
    const task = await m.task({ reward: 10n * TOKEN, replication: { minQuorum: 2, targetResults: 3 } })
    // One claim after the other: claims that run at once skip the job row another holds (FOR UPDATE SKIP LOCKED).
    const leases: (readonly [typeof w1, Lease])[] = []
    for (const w of [w1, w2, w3]) leases.push([w, (await m.claim(w, { stake: 100n * TOKEN }))[0]!])
    for (const [w, lease] of [leases[0]!, leases[2]!, leases[1]!]) await m.submit(w, [m.sealed(w, lease, w === w3 ? digest('wrong') : digest('right'))])
    // One job of 10 tokens at a quorum of 2 pays 5 a lease: 5% of 100 is 5.
    expect(await slashes()).toEqual([{ worker: w3, reason: 'WrongResult', amount: (5n * TOKEN).toString(), reputation_bps: reputationBps({ ...NO_RECORD, invalidResults: 1 }) }])
    const settle = (await m.outbox(task.id, 'settle')).find((i) => i.key === `settle:${task.id}`)!
    const up = reputationBps({ ...NO_RECORD, validResults: 1 })
    expect(settle.payload.reputations).toEqual(expect.arrayContaining([{ address: w1, bps: up }, { address: w2, bps: up }]))
  })

  it('does not slash a lease taken with no stake at risk', async () => {
    await m.task({ replication: { minQuorum: 1, targetResults: 1 } })
    await m.claim(w1)
    m.clock.advance(61)
    expect(await m.transact(expireLeases)).toBe(1)
    expect(await slashes()).toEqual([])
  })
})
