import { devAccount } from '@taskmarket/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket, waitFor } from './market.ts'

/** What a new poster meets (issue 10): a task says why it waits, and a kind nobody runs is flagged before the reward sits locked. */
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>
beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(1))
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

const register = (node: Awaited<ReturnType<TestMarket['stakedNode']>>, executors: string[]) => node.register({ cores: 2, memory_mb: 1024, executors, concurrency: 1 })

describe('the first hour', () => {
  it('says a task needs 2 distinct workers and how many are online, and counts idle polling workers as active', async () => {
    const created = await alice.api.tasks.create({ challenge_type: 'rendering', payload: { scene_file: 'example:cornell', resolution: '64x64', tile_size: 32, samples_per_pixel: 1 }, reward: '4' })
    expect(created.warnings).toEqual([expect.stringContaining('no online worker runs rendering jobs now')])
    expect(await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'locked')).toBe(true)
    expect((await alice.api.tasks.get(created.task_id)).waiting).toEqual({ reason: 'needs 2 distinct workers running rendering jobs; 0 online (start one with: taskmarket worker)', workers_needed: 2, workers_online: 0 })

    const first = await m.stakedNode(5)
    await register(first, ['rendering'])
    expect((await alice.api.tasks.get(created.task_id)).waiting).toMatchObject({ reason: expect.stringContaining('; 1 online'), workers_online: 1 })
    const second = await m.stakedNode(6)
    await register(second, ['rendering'])
    expect((await alice.api.tasks.get(created.task_id)).waiting).toBeNull()

    // An idle worker polls for work and sends no heartbeat: its claims alone keep it active.
    await m.server.db.query(`UPDATE nodes SET last_seen = now() - interval '1 hour'`)
    expect((await alice.client.market.stats()).workers).toMatchObject({ active: 0 })
    await new Promise((r) => setTimeout(r, 5_100)) // a node's last_seen is written at most every 5 s
    await first.claim(['hash'], 1)
    await second.claim(['hash'], 1)
    expect((await alice.client.market.stats()).workers).toMatchObject({ active: 2, total: 2 })
  })

  it('accepts a kind no worker runs with a warning and a one-hour default deadline', async () => {
    const before = Math.floor(Date.now() / 1000)
    const created = await alice.api.tasks.create({ challenge_type: 'inference', payload: { model_id: 'tiny', prompt: 'Hello' }, reward: '1' })
    expect(created.warnings).toEqual([expect.stringContaining('taskmarket worker does not run them yet')])
    const task = await alice.api.tasks.get(created.task_id)
    expect(task.deadline - before).toBeGreaterThanOrEqual(3600)
    // Why it waits does not send the poster to a worker that cannot run it.
    expect(await waitFor(async () => (await alice.api.tasks.get(created.task_id)).escrow.state === 'locked')).toBe(true)
    expect((await alice.api.tasks.get(created.task_id)).waiting?.reason).toBe('needs 1 distinct worker running inference jobs; 0 online (taskmarket worker does not run inference jobs yet)')
    expect(task.deadline - before).toBeLessThan(3700)
    // With a node that runs it online, no warning and the usual day.
    await register(await m.stakedNode(7), ['inference'])
    const served = await alice.api.tasks.create({ challenge_type: 'inference', payload: { model_id: 'tiny', prompt: 'Hello' }, reward: '1' })
    expect(served.warnings).toBeUndefined()
    expect((await alice.api.tasks.get(served.task_id)).deadline - before).toBeGreaterThan(23 * 3600)
  })
})
