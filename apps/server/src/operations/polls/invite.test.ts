import { describe, expect, it } from 'vitest'
import { POSTER, address, useTestMarket } from '../testMarket.ts'
import { INVITES_PER_RESPONDENT, invitePollRespondents } from './invite.ts'

const m = useTestMarket()
const people = [1, 2, 3, 4, 5, 6].map(address)
const invite = (taskId: string) => m.run(invitePollRespondents, { taskId, eligibility: m.eligibility })
const invited = async (taskId: string) => (await m.db.query<{ address: string }>('SELECT address FROM poll_invites WHERE task_id = $1', [taskId])).map((r) => r.address)

describe('invitePollRespondents', () => {
  it('draws respondents × INVITES_PER_RESPONDENT people among those who qualify, never the poster or whom they block', async () => {
    await m.profile(POSTER, { region: 'EU' })
    for (const [i, who] of people.entries()) await m.profile(who, { region: i < 4 ? 'EU' : 'US' })
    await m.block(POSTER, people[0]!)
    const poll = await m.pollTask({ respondents: 1, selection: 'random', qualifications: [{ field: 'region', op: 'eq', value: 'EU' }] })
    expect(await invite(poll.id)).toBe(INVITES_PER_RESPONDENT)
    const drawn = await invited(poll.id)
    expect(drawn).toHaveLength(INVITES_PER_RESPONDENT)
    for (const who of drawn) expect(people.slice(1, 4)).toContain(who)
  })

  it('invites everyone who qualifies when there are fewer than wanted, each once', async () => {
    for (const who of people.slice(0, 3)) await m.profile(who)
    const poll = await m.pollTask({ respondents: 5, selection: 'random' })
    expect(await invite(poll.id)).toBe(3)
    await invite(poll.id)
    expect((await invited(poll.id)).sort()).toEqual(people.slice(0, 3).sort())
  })

  it('invites nobody to an open poll or to what is not a poll', async () => {
    await m.profile(people[0]!)
    expect(await invite((await m.pollTask()).id)).toBe(0)
    expect(await invite((await m.manualTask()).id)).toBe(0)
    expect(await m.db.query('SELECT 1 FROM poll_invites')).toEqual([])
  })
})
