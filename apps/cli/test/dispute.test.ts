import { devAccount, devPrivateKey } from '@taskmarket/chain'
import { createClient } from '@taskmarket/sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket, waitFor } from '../../server/test/market.ts'
import { runCli } from './spawnCli.ts'

let m: TestMarket
beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(1))
}, 120_000)
afterAll(() => m?.close())

describe('taskmarket dispute', () => {
  it('lets the operator list a disputed assignment and pay the worker', { timeout: 120_000 }, async () => {
    const alice = await m.poster(1)
    const worker = createClient({ baseUrl: m.server.url })
    await worker.auth.signIn(devAccount(3), { chainId: m.server.chain.chain.id })
    const { task_id } = await alice.api.tasks.create({ challenge_type: 'manual', reward: '5', payload: { title: 'Check the shop is open', description: 'Look at the door.', proofs: ['text'] } })
    expect(await waitFor(async () => (await alice.api.tasks.get(task_id)).escrow.state === 'locked')).toBe(true)
    const { assignment_id } = await worker.work.claim(task_id)
    await worker.work.submit(assignment_id, { text: 'Open until 8 pm' })
    await alice.client.work.dispute(assignment_id, 'The shop was closed')

    const operator = { TASKMARKET_SERVER: m.server.url, TASKMARKET_KEY: devPrivateKey(0) }
    const listed = await runCli(['dispute', 'list'], operator)
    expect(listed.code, listed.stderr).toBe(0)
    expect(listed.stdout).toContain(assignment_id)
    expect(listed.stdout).toContain('The shop was closed')

    const notOperator = await runCli(['dispute', 'resolve', assignment_id, '--pay'], { ...operator, TASKMARKET_KEY: devPrivateKey(1) })
    expect(notOperator.code).toBe(1)
    expect(notOperator.stderr).toContain('only the operator resolves disputes')
    expect((await runCli(['dispute', 'resolve', assignment_id], operator)).code).toBe(2)

    const resolved = await runCli(['dispute', 'resolve', assignment_id, '--pay', '--note', 'photo found', '--json'], operator)
    expect(resolved.code, resolved.stderr).toBe(0)
    expect(JSON.parse(resolved.stdout)).toMatchObject({ assignment_id, status: 'approved', review: { by: 'operator', reason: 'photo found' } })
    expect(await waitFor(async () => (await alice.api.tasks.get(task_id)).status === 'completed', 30_000)).toBe(true)
    expect((await worker.work.get(assignment_id)).payment).toMatchObject({ state: 'paid', amount: '4.6' })
  })
})
