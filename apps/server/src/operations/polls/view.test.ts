import { describe, expect, it } from 'vitest'
import { POSTER, address, useTestMarket } from '../testMarket.ts'
import { closePoll } from './close.ts'
import { viewPoll } from './view.ts'

const m = useTestMarket()
const [v1, v2, v3] = [address(1), address(2), address(3)]
const view = (taskId: string, viewer: string | undefined) => m.run(viewPoll, { taskId, viewer, eligibility: m.eligibility })
const gold = [{ question: 'Sky?', options: ['blue', 'red'], answer: 0 }]

describe('viewPoll', () => {
  it('shows the counts of an open poll only to its poster, and each voter their own vote', async () => {
    const poll = await m.pollTask({ respondents: 3, gold })
    await m.vote(v1, poll.id, 1, [0])
    await m.vote(v2, poll.id, 1, [1])
    expect(await view(poll.id, POSTER)).toMatchObject({ counts: [0, 2], votes: 2, closed: false, my_vote: null, can_vote: false, outcome: null })
    expect(await view(poll.id, v1)).toMatchObject({ counts: null, my_vote: 1, my_screened: null, can_vote: false })
    expect(await view(poll.id, v3)).toMatchObject({ counts: null, my_vote: null, can_vote: true })
    const anonymous = await view(poll.id, undefined)
    expect(anonymous).toMatchObject({ counts: null, can_vote: false, options: ['Blue', 'Green'], respondents: 3, reward_rule: 'majority', selection: 'open' })
    expect(anonymous.gold).toEqual([{ question: 'Sky?', options: ['blue', 'red'] }])
  })

  it('shows everyone the outcome once closed, and each voter whether they were screened out', async () => {
    const poll = await m.pollTask({ respondents: 3, gold })
    await m.vote(v1, poll.id, 1, [0])
    await m.vote(v2, poll.id, 1, [1])
    await m.run(closePoll, { poster: POSTER, taskId: poll.id })
    expect(await view(poll.id, v3)).toMatchObject({ closed: true, counts: [0, 1], can_vote: false, outcome: { winners: [1], paid: [v1], screened: 1 } })
    expect(await view(poll.id, v1)).toMatchObject({ my_screened: false })
    expect(await view(poll.id, v2)).toMatchObject({ my_screened: true })
  })

  it('offers no vote once the poll’s lifetime is over on the clock', async () => {
    const poll = await m.pollTask({ lifetimeSeconds: 60 })
    expect((await view(poll.id, v1)).can_vote).toBe(true)
    m.clock.advance(60)
    expect((await view(poll.id, v1)).can_vote).toBe(false)
  })

  it('answers 404 for what is not a poll, and for a poll drawn at random to one not invited', async () => {
    await expect(view((await m.manualTask()).id, v1)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    await expect(view('nope', v1)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    const poll = await m.pollTask({ selection: 'random' })
    await m.db.query('INSERT INTO poll_invites (task_id, address) VALUES ($1, $2)', [poll.id, v1])
    await expect(view(poll.id, v2)).rejects.toMatchObject({ code: 'NOT_FOUND' })
    expect(await view(poll.id, v1)).toMatchObject({ selection: 'random', can_vote: true })
  })
})
