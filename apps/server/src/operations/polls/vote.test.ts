import { equalShare } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { POSTER, START, TOKEN, address, useTestMarket } from '../testMarket.ts'

const m = useTestMarket()
const [v1, v2, v3] = [address(1), address(2), address(3)]

describe('castVote', () => {
  it('records one vote a person, refusing a second with a 409', async () => {
    const poll = await m.pollTask({ respondents: 3 })
    m.clock.advance(9)
    const heard = m.heard(`task:${poll.id}`)
    expect(await m.vote(v1, poll.id, 1)).toEqual({ accepted: true, votes: 1, closed: false })
    await expect(m.vote(v1, poll.id, 0)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: you already voted in this poll' })
    const [vote] = await m.db.query('SELECT option, gold, assignment_id FROM poll_votes WHERE task_id = $1', [poll.id])
    expect(vote).toMatchObject({ option: 1, gold: [] })
    expect(await m.assignmentRow(vote!.assignment_id)).toMatchObject({ worker: v1, status: 'submitted', answer: { option: 1, gold: [] }, submitted_at: new Date(START + 9_000) })
    expect(await m.taskRow(poll.id)).toMatchObject({ status: 'in_progress', jobs_done: 1 })
    expect(heard).toEqual([{ type: 'POLL_VOTE', taskId: poll.id, votes: 1 }])
  })

  it('closes the poll with the vote that fills it and pays the majority’s voters', async () => {
    const poll = await m.pollTask({ respondents: 3 })
    await m.vote(v1, poll.id, 0)
    await m.vote(v3, poll.id, 1)
    expect(await m.vote(v2, poll.id, 0)).toEqual({ accepted: true, votes: 3, closed: true })
    expect(await m.taskRow(poll.id)).toMatchObject({ status: 'verifying', result: { counts: [2, 1], winners: [0], paid: [v1, v2], screened: 0 } })
    const share = equalShare(TOKEN, 2)
    expect(await m.outbox(poll.id)).toHaveLength(1)
    const [settle] = await m.outbox(poll.id, 'settle')
    expect(settle).toMatchObject({ key: `settle:${poll.id}`, payload: { amount: (share * 2n).toString(), close: true, workers: [{ address: v1, weight: 1 }, { address: v2, weight: 1 }] } })
    expect(settle!.payload.records.map((r) => [r.worker, r.verdict])).toEqual([[v1, 1], [v3, 2], [v2, 1]])
    const statuses = await m.db.query('SELECT a.worker, a.status, a.payment_state FROM assignments a WHERE a.task_id = $1 ORDER BY a.worker', [poll.id])
    expect(statuses).toEqual([{ worker: v1, status: 'valid', payment_state: 'queued' }, { worker: v2, status: 'valid', payment_state: 'queued' }, { worker: v3, status: 'invalid', payment_state: null }])
    await expect(m.vote(address(4), poll.id, 0)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the poll is closed (verifying)' })
  })

  it('checks the option and the answers to the check questions', async () => {
    const poll = await m.pollTask({ gold: [{ question: 'Sky?', options: ['blue', 'red', 'green'], answer: 0 }] })
    await expect(m.vote(v1, poll.id, 2)).rejects.toMatchObject({ code: 'VALIDATION', field: 'option' })
    await expect(m.vote(v1, poll.id, 0)).rejects.toMatchObject({ code: 'VALIDATION', field: 'gold' })
    await expect(m.vote(v1, poll.id, 0, [3])).rejects.toMatchObject({ code: 'VALIDATION', field: 'gold.0' })
    await m.vote(v1, poll.id, 0, [1])
  })

  it('takes votes only while the poll is open: reward locked, lifetime not over on the clock, not its poster', async () => {
    await expect(m.vote(v1, (await m.pollTask({ escrow: 'awaiting' })).id, 0)).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('not locked in escrow yet') })
    await expect(m.vote(v1, (await m.manualTask()).id, 0)).rejects.toMatchObject({ code: 'VALIDATION', message: 'id: is not a poll' })
    const poll = await m.pollTask({ lifetimeSeconds: 60 })
    await expect(m.vote(POSTER, poll.id, 0)).rejects.toMatchObject({ code: 'FORBIDDEN' })
    m.clock.advance(60)
    await expect(m.vote(v1, poll.id, 0)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the poll is closed (pending)' })
  })
})
