import { equalShare } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { POSTER, TOKEN, address, useTestMarket } from '../testMarket.ts'
import { closeDuePoll, closePoll, pollsDue } from './close.ts'

const m = useTestMarket()
const [v1, v2, v3] = [address(1), address(2), address(3)]
const close = (taskId: string, poster = POSTER) => m.run(closePoll, { poster, taskId })
const jobStatuses = async (taskId: string) => (await m.db.query('SELECT status FROM jobs WHERE task_id = $1 ORDER BY status', [taskId])).map((j) => j.status)

describe('closePoll', () => {
  it('fails a poll nobody voted in and queues its refund', async () => {
    const poll = await m.pollTask()
    await close(poll.id)
    expect(await m.taskRow(poll.id)).toMatchObject({ status: 'failed', failure_reason: 'nobody voted', result: { counts: [0, 0], winners: [], paid: [] } })
    expect(await m.outbox(poll.id)).toEqual([expect.objectContaining({ kind: 'refund', key: `refund:${poll.id}` })])
    expect(await jobStatuses(poll.id)).toEqual(['cancelled', 'cancelled', 'cancelled'])
  })

  it('pays the votes in so far, cancelling the slots nobody took', async () => {
    const poll = await m.pollTask({ respondents: 4 })
    await m.vote(v1, poll.id, 1)
    await m.vote(v2, poll.id, 0)
    await close(poll.id)
    expect(await m.taskRow(poll.id)).toMatchObject({ status: 'verifying', result: { counts: [1, 1], winners: [0, 1], paid: [v1, v2] } })
    expect(await jobStatuses(poll.id)).toEqual(['cancelled', 'cancelled', 'valid', 'valid'])
    expect((await m.outbox(poll.id, 'settle'))[0]!.payload).toMatchObject({ amount: (equalShare(TOKEN, 2) * 2n).toString(), close: true })
  })

  it('is the poster’s to do, once', async () => {
    const poll = await m.pollTask()
    await expect(close(poll.id, v1)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await close(poll.id)
    await expect(close(poll.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the poll is already failed' })
  })
})

describe('tallyAndPay', () => {
  it('screens out respondents who miss a check question, and refunds when nobody passes', async () => {
    const gold = [{ question: 'Sky?', options: ['blue', 'red'], answer: 0 }]
    const poll = await m.pollTask({ respondents: 3, gold })
    await m.vote(v1, poll.id, 0, [0])
    await m.vote(v2, poll.id, 1, [1])
    await m.vote(v3, poll.id, 1, [1])
    expect(await m.taskRow(poll.id)).toMatchObject({ status: 'verifying', result: { counts: [1, 0], paid: [v1], screened: 2 } })
    const missed = await m.pollTask({ respondents: 1, gold })
    await m.vote(v1, missed.id, 0, [1])
    expect(await m.taskRow(missed.id)).toMatchObject({ status: 'failed', failure_reason: 'no respondent passed the check questions' })
    expect((await m.outbox(missed.id)).map((i) => i.kind)).toEqual(['refund'])
  })

  it('pays every counted respondent when the poll rewards all', async () => {
    const poll = await m.pollTask({ respondents: 3, rewardRule: 'all' })
    for (const [voter, option] of [[v1, 0], [v2, 0], [v3, 1]] as const) await m.vote(voter, poll.id, option)
    const [settle] = await m.outbox(poll.id, 'settle')
    expect(settle!.payload.workers.map((w) => w.address)).toEqual([v1, v2, v3])
    expect(settle!.payload.amount).toBe((equalShare(TOKEN, 3) * 3n).toString())
  })
})

describe('pollsDue and closeDuePoll', () => {
  it('close polls past their deadline on the clock, and leave alone one closed meanwhile', async () => {
    const due = await m.pollTask({ lifetimeSeconds: 60 })
    const closed = await m.pollTask({ lifetimeSeconds: 60 })
    await m.pollTask({ lifetimeSeconds: 600 })
    await m.manualTask({ lifetimeSeconds: 60 })
    await m.vote(v1, due.id, 0)
    expect(await m.once(pollsDue)).toEqual([])
    m.clock.advance(61)
    expect((await m.once(pollsDue)).sort()).toEqual([due.id, closed.id].sort())
    await close(closed.id)
    await m.run(closeDuePoll, { taskId: due.id })
    await m.run(closeDuePoll, { taskId: closed.id })
    expect((await m.taskRow(due.id)).status).toBe('verifying')
    expect((await m.outbox(closed.id)).map((i) => i.kind)).toEqual(['refund'])
    expect(await m.once(pollsDue)).toEqual([])
  })
})
