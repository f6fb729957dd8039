import { describe, expect, it } from 'vitest'
import { LEASE_SECONDS, address, digest, useTestMarket } from '../testMarket.ts'
import { openReview } from '../../repositories/reviews.ts'
import { expireLeases } from '../jobs/reap.ts'
import { clearNodeReview } from './review.ts'

const m = useTestMarket()
const [w1, operator] = [address(1), address(0xaa)]

/** Leases an open job to w1 and lets the lease lapse: a timeout, judged by the reaper. */
async function lapse() {
  const [lease] = await m.claim(w1)
  expect(lease).toBeDefined()
  m.clock.advance(LEASE_SECONDS + 1)
  expect(await m.transact(expireLeases)).toBe(1)
}

describe('review for repeated failures (seed 003)', () => {
  it('puts a node whose failures pass 20% (at least 3) under review, refuses it work until the operator clears it, and counts the next review from there', async () => {
    const past = await m.task({ jobs: 8, open: false })
    for (let i = 0; i < 7; i++) await m.replica(past, i, w1, 'valid', digest(i))
    await m.replica(past, 7, w1, 'invalid', digest('x'))
    await m.task({ jobs: 3 })
    // 7 valid, 1 outvoted, then one lapse: 2 of 9 failed (22%), but fewer than 3 failures.
    await lapse()
    expect(await openReview(m.db, w1)).toBeUndefined()
    // The next lapse makes 3 of 10 (30%): under review, and no more work.
    await lapse()
    const review = await openReview(m.db, w1)
    expect(review).toMatchObject({ failures: 3, results: 10 })
    await expect(m.claim(w1)).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'review' })

    await m.run(clearNodeReview, { worker: w1, by: operator })
    expect(await openReview(m.db, w1)).toBeUndefined()
    // Cleared: its old failures are not judged again; one more lapse is 1 of 1, under the minimum of 3.
    await lapse()
    expect(await openReview(m.db, w1)).toBeUndefined()
    await expect(m.run(clearNodeReview, { worker: w1, by: operator })).rejects.toMatchObject({ code: 'NOT_FOUND', field: 'address' })
  })
})
