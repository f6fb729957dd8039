import { devAccount } from '@taskmarket/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket } from '../../server/test/market.ts'
import { type Worker, type WorkerEvent, claimBackoffMs, createWorker } from '../src/worker.ts'

let m: TestMarket
let worker: Worker | undefined
beforeAll(async () => {
  m = await startTestMarket()
}, 120_000)
afterAll(async () => {
  await worker?.stop({ graceMs: 0 })
  await m?.close()
})

describe('a worker whose claims are refused', () => {
  it('doubles its wait between refused claims up to a minute', () => {
    expect([1, 2, 3, 4].map((n) => claimBackoffMs(1_000, n))).toEqual([1_000, 2_000, 4_000, 8_000])
    expect(claimBackoffMs(1_000, 7)).toBe(60_000)
    expect(claimBackoffMs(1_000, 10_000)).toBe(60_000)
  })

  it('asks again less and less often while under review, saying why and when it tries again', { timeout: 60_000 }, async () => {
    const account = devAccount(7)
    await m.stakedNode(account)
    await m.server.db.query('INSERT INTO node_reviews (worker, opened_at, failures, results) VALUES ($1, now(), 3, 10)', [account.address])
    const errors: { at: number; error: string }[] = []
    worker = createWorker({ serverUrl: m.server.url, account, concurrency: 1, kinds: ['synthetic'], idleMs: 100, onEvent: (e: WorkerEvent) => void (e.type === 'error' && errors.push({ at: Date.now(), error: e.error })) })
    void worker.start()
    await new Promise((r) => setTimeout(r, 3_500))
    // Refusals at about 0, 0.1, 0.3, 0.7, 1.5 and 3.1 s: six, where a fixed 100 ms wait would make some thirty.
    expect(errors.length).toBeGreaterThanOrEqual(3)
    expect(errors.length).toBeLessThanOrEqual(7)
    expect(errors[0]!.error).toMatch(/^claim: review: .* \(trying again in 1 s\)$/)
    // The waits grew: at least one reached 400 ms (the third refusal's), four times the idle wait.
    const gaps = errors.slice(1).map((e, i) => e.at - errors[i]!.at)
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(400)
  })
})
