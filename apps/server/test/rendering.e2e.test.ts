import { devAccount } from '@taskmarket/chain'
import { exampleScenes, parseScene, renderImage } from '@taskmarket/pathtracer'
import { type Worker, createWorker } from '@taskmarket/worker'
import { parseEther } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket } from './market.ts'

let m: TestMarket
const workers: Worker[] = []
afterAll(async () => {
  await Promise.all(workers.map((w) => w.stop({ graceMs: 1000 })))
  await m?.close()
})

describe('a rendering task end to end', () => {
  beforeAll(async () => {
    m = await startTestMarket({ leaseSeconds: 10 })
  })

  it('16 tiles × 3 replicas, one cheating worker: the PNG matches the reference and only honest work is paid', { timeout: 180_000 }, async () => {
    const t0 = performance.now()
    const posterAccount = devAccount(1)
    await m.fund(posterAccount)
    const alice = await m.poster(1)
    const [honest1, honest2, cheat] = [devAccount(4), devAccount(5), devAccount(6)]
    const treasury = m.server.chain.deployment.treasury
    const everyone = [posterAccount.address, honest1.address, honest2.address, cheat.address, treasury]
    await m.stakeNodes([honest1, honest2, cheat])
    const before = await m.tokenState(everyone)

    const samples = 8
    const created = await alice.api.tasks.create({
      challenge_type: 'rendering',
      payload: { scene_file: 'example:cornell', resolution: '128x128', tile_size: 32, samples_per_pixel: samples },
      reward: '32.0',
      replication: { min_quorum: 2, target_results: 3 },
    })
    const timings: Record<string, number> = { posted: performance.now() - t0 }

    for (const account of [honest1, honest2, cheat]) {
      const worker = createWorker({
        serverUrl: m.server.url,
        account,
        concurrency: 2,
        kinds: ['rendering'],
        idleMs: 200,
        // The dishonest worker darkens every tile it returns.
        tamper: account === cheat ? (output) => output.map((b, i) => (i % 4 === 3 ? b : b >> 1)) : undefined,
      })
      workers.push(worker)
      void worker.start()
    }
    const progress: number[] = []
    const done = await alice.api.tasks.wait(created.task_id, { timeoutMs: 120_000, onProgress: (t) => progress.push(t.progress.jobs_done) })
    timings.completed = performance.now() - t0
    expect(done.status).toBe('completed')
    expect(done.progress).toMatchObject({ jobs_total: 16, jobs_done: 16 })
    expect(progress.length).toBeGreaterThan(1)

    // The image is the reference render, bit for bit.
    const png = await alice.api.tasks.result(created.task_id)
    const reference = renderImage(parseScene({ ...exampleScenes.cornell, width: 128, height: 128, samples_per_pixel: samples }), 32)
    expect(Buffer.from(png).equals(reference)).toBe(true)

    // Quorum rejected every tile of the cheat.
    const { jobs } = await alice.api.tasks.jobs(created.task_id)
    const replicas = jobs.flatMap((j: any) => j.replicas)
    const byWorker = (a: string, status: string) => replicas.filter((r: any) => r.worker === a && r.status === status).length
    expect(byWorker(cheat.address, 'valid')).toBe(0)
    const accepted = [byWorker(honest1.address, 'valid'), byWorker(honest2.address, 'valid')]
    expect(accepted[0]! + accepted[1]!).toBeGreaterThanOrEqual(32)

    // On chain: 92% to the honest workers by accepted tiles, 8% to the treasury, nothing to the cheat.
    const after = await m.tokenState(everyone)
    const reward = parseEther('32')
    const pool = (reward * 9200n) / 10000n
    const total = BigInt(accepted[0]! + accepted[1]!)
    const pay1 = (pool * BigInt(accepted[0]!)) / total
    const pay2 = (pool * BigInt(accepted[1]!)) / total
    expect(after.escrow[honest1.address]! - before.escrow[honest1.address]!).toBe(pay1)
    expect(after.escrow[honest2.address]! - before.escrow[honest2.address]!).toBe(pay2)
    expect(after.escrow[cheat.address]! - before.escrow[cheat.address]!).toBe(0n)
    expect(after.escrow[treasury]! - before.escrow[treasury]!).toBe(reward - pay1 - pay2)
    expect(before.escrow[posterAccount.address]! - after.escrow[posterAccount.address]!).toBe(reward)
    // Conservation: what left the poster is exactly what the others received; the escrow holds the same.
    const sum = (s: typeof before) => Object.values(s.escrow).reduce((a, b) => a + b, 0n)
    expect(sum(after)).toBe(sum(before))
    expect(after.escrowHeld).toBe(before.escrowHeld)
    expect(after.supply).toBe(before.supply)
    const task = await m.contractsFor(devAccount(0)).escrow.read.getTask([done.escrow.chain_task_id as `0x${string}`])
    expect(task).toMatchObject({ locked: 0n, status: 3 })
    console.log(`rendering e2e: posted in ${timings.posted!.toFixed(0)} ms, completed and settled in ${(timings.completed! / 1000).toFixed(2)} s; accepted tiles ${accepted.join(' + ')}`)
  })
})
