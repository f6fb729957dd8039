import { devAccount, devPrivateKey } from '@taskmarket/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket, waitFor } from '../../server/test/market.ts'
import { runCli } from './spawnCli.ts'

let m: TestMarket
beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(1))
}, 120_000)
afterAll(() => m?.close())

describe('taskmarket doctor', () => {
  it('says the books agree with the chain, and names the task whose escrow drifted', { timeout: 120_000 }, async () => {
    const alice = await m.poster(1)
    const { task_id } = await alice.api.tasks.create({ challenge_type: 'synthetic', payload: { seed: '0x1', matrix_size: 4, iterations: 1 }, reward: '7' })
    expect(await waitFor(async () => (await alice.api.tasks.get(task_id)).escrow.state === 'locked')).toBe(true)
    const operator = { TASKMARKET_SERVER: m.server.url, TASKMARKET_KEY: devPrivateKey(0) }

    const clean = await runCli(['doctor', '--json'], operator)
    expect(clean.code, clean.stderr).toBe(0)
    expect(JSON.parse(clean.stdout)).toMatchObject({ healthy: true, ready: true, drift: [], escrowed: { api: '7', chain: '7' } })
    const text = await runCli(['doctor'], operator)
    expect(text.stdout).toMatch(/escrow\s+7 locked by the server's books, 7 on chain/)
    expect(text.stdout).toMatch(/drift\s+none/)

    // The server's books claim 2 tokens paid that the chain never paid: doctor names the task and fails.
    await m.server.db.query(`UPDATE tasks SET escrow_paid = 2000000000000000000 WHERE id = $1`, [task_id])
    const drifted = await runCli(['doctor'], operator)
    expect(drifted.code).toBe(1)
    expect(drifted.stdout).toContain(`task ${task_id}: locked is 5 in the database, 7 on chain`)
    // Without the operator key it shows the last periodic report (here the operator's fresh one).
    const anyone = await runCli(['doctor', '--json'], { TASKMARKET_SERVER: m.server.url })
    expect(JSON.parse(anyone.stdout).drift).toHaveLength(1)
    await m.server.db.query(`UPDATE tasks SET escrow_paid = 0 WHERE id = $1`, [task_id])
  })
})
