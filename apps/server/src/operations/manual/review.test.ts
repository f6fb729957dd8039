import { NO_RECORD, equalShare, reputationBps, resultHash } from '@taskmarket/core'
import { describe, expect, it } from 'vitest'
import { POSTER, START, TOKEN, address, useTestMarket } from '../testMarket.ts'
import { reputationCounters } from '../../repositories/nodes.ts'
import type { Reviewer } from './assignments.ts'
import { approveWork, disputeWork, rejectWork, resolveDispute } from './review.ts'

const m = useTestMarket()
const [w1, w2, w3] = [address(1), address(2), address(3)]
const OPERATOR = address(0x0b)
const poster: Reviewer = { address: POSTER, role: 'poster' }
const approve = (assignmentId: string, reviewer = poster) => m.run(approveWork, { reviewer, assignmentId })
const reject = (assignmentId: string) => m.run(rejectWork, { reviewer: poster, assignmentId, reason: 'blurry' })
const dispute = (assignmentId: string) => m.run(disputeWork, { reviewer: poster, assignmentId, reason: 'not the shop' })
const resolve = (assignmentId: string, outcome: 'pay_worker' | 'reject') => m.run(resolveDispute, { operator: OPERATOR, assignmentId, outcome, note: 'checked' })
const statusOf = async (taskId: string) => (await m.taskRow(taskId)).status

/** A manual task of `slots` slots, each submitted by one of w1, w2, w3. */
async function submittedBy(slots: number) {
  const task = await m.manualTask({ slots })
  const ids: string[] = []
  for (const worker of [w1, w2, w3].slice(0, slots)) ids.push(await m.submitted(worker, task.id))
  return { task, ids }
}

describe('approveWork', () => {
  it('keeps the poster’s rating with the approval and sends the worker’s reputation after it with the payment', async () => {
    const { task, ids: [a, b] } = await submittedBy(2)
    await m.run(approveWork, { reviewer: poster, assignmentId: a!, rating: 2 })
    await m.run(approveWork, { reviewer: poster, assignmentId: b!, rating: 5 })
    expect((await m.assignmentRow(a!)).review).toEqual({ by: 'poster', reason: null, rating: 2 })
    const [first, second] = await m.outbox(task.id, 'settle')
    expect(first!.payload.reputations).toEqual([{ address: w1, bps: reputationBps({ ...NO_RECORD, ratings: 1, ratingStars: 2 }) }])
    expect(second!.payload.reputations).toEqual([{ address: w2, bps: reputationBps({ ...NO_RECORD, ratings: 1, ratingStars: 5 }) }])
    expect(reputationBps({ ...NO_RECORD, ratings: 1, ratingStars: 5 })).toBeGreaterThan(reputationBps({ ...NO_RECORD, ratings: 1, ratingStars: 2 }))
  })

  it('counts each poster’s ratings of a worker as one voice, their mean', async () => {
    const rate = async (by: typeof w1, rating: number) => {
      const task = await m.manualTask({ poster: by })
      await m.run(approveWork, { reviewer: { address: by, role: 'poster' }, assignmentId: await m.submitted(w1, task.id), rating })
    }
    for (const rating of [5, 5, 4]) await rate(POSTER, rating)
    await rate(w2, 1)
    // POSTER's three ratings, a mean of 4.67, are one rating of 5; w2 adds one rating of 1.
    expect((await reputationCounters(m.db, [w1])).get(w1)).toMatchObject({ ratings: 2, ratingStars: 6 })
  })

  it('pays an approved slot reward ÷ slots on its own, and the last slot approved closes the task', async () => {
    const { task, ids: [a, b, c] } = await submittedBy(3)
    m.clock.advance(60)
    const heard = m.heard(`task:${task.id}`)
    await approve(a!)
    const share = equalShare(TOKEN, 3)
    const row = await m.assignmentRow(a!)
    expect(row).toMatchObject({ status: 'valid', payment_state: 'queued', paid_amount: share.toString(), reviewed_at: new Date(START + 60_000), review: { by: 'poster', reason: null } })
    expect(await m.jobRow(row.job_id)).toMatchObject({ status: 'valid', canonical_digest: row.digest })
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'in_progress', jobs_done: 1 })
    const [settle] = await m.outbox(task.id, 'settle')
    expect(settle).toMatchObject({ key: `settle:${a}`, payload: { amount: share.toString(), close: false, workers: [{ address: w1, weight: 1 }], assignment_ids: [a] } })
    const chainJobId = task.jobs.find((j) => j.id === row.job_id)!.chainJobId
    expect(settle!.payload.records).toEqual([{ job_id: row.job_id, chainJobId, worker: w1, resultHash: resultHash(task.chainTaskId, chainJobId, row.digest), verdict: 1 }])
    expect(heard).toEqual([{ type: 'ASSIGNMENT', taskId: task.id, assignmentId: a, status: 'approved' }])
    await approve(b!)
    await approve(c!)
    expect((await m.outbox(task.id, 'settle')).map((s) => s.payload.close)).toEqual([false, false, true])
    expect(await statusOf(task.id)).toBe('verifying')
  })

  it('is the poster’s to give, once', async () => {
    const { ids: [a] } = await submittedBy(1)
    await expect(approve(a!, { address: w2, role: 'poster' })).rejects.toMatchObject({ code: 'FORBIDDEN' })
    await approve(a!)
    await expect(approve(a!)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the assignment is approved, not submitted' })
  })
})

describe('rejectWork', () => {
  it('rejects work with its reason and returns the slot to the pool for someone else', async () => {
    const { task, ids: [a] } = await submittedBy(1)
    await reject(a!)
    expect(await m.assignmentRow(a!)).toMatchObject({ status: 'rejected', review: { by: 'poster', reason: 'blurry' } })
    expect((await m.jobRow(task.jobs[0]!.id)).issued).toBe(0)
    expect(await m.outbox(task.id)).toEqual([])
    await expect(m.claimSlot(w1, task.id)).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: you already took this task (your assignment is rejected)' })
    await m.claimSlot(w2, task.id)
  })
})

describe('disputeWork and resolveDispute', () => {
  it('freezes the task at its first dispute and unfreezes it when the last one is resolved', async () => {
    const { task, ids: [a, b] } = await submittedBy(2)
    await dispute(a!)
    await dispute(b!)
    expect(await statusOf(task.id)).toBe('disputed')
    expect(await m.assignmentRow(a!)).toMatchObject({ status: 'disputed', review: { by: 'poster', reason: 'not the shop' } })
    expect((await m.outbox(task.id)).map((i) => i.key)).toEqual([`freeze:${a}`])
    await resolve(a!, 'reject')
    expect(await m.assignmentRow(a!)).toMatchObject({ status: 'rejected', review: { by: 'operator', reason: 'checked' } })
    expect(await statusOf(task.id)).toBe('disputed')
    await resolve(b!, 'pay_worker')
    expect((await m.outbox(task.id)).map((i) => [i.kind, i.key])).toEqual([['freeze', `freeze:${a}`], ['unfreeze', `unfreeze:${b}`], ['settle', `settle:${b}`]])
    expect(await m.outbox(task.id, 'unfreeze')).toEqual([expect.objectContaining({ payload: { task_id: task.id, chain_task_id: task.chainTaskId } })])
    expect(await statusOf(task.id)).toBe('in_progress')
  })

  it('rules misuse: rejects the work, takes half the worker’s stake with a ban, and counts a dispute lost', async () => {
    const { task, ids: [a, b] } = await submittedBy(2)
    await dispute(a!)
    await dispute(b!)
    await m.run(resolveDispute, { operator: OPERATOR, assignmentId: a!, outcome: 'misuse', stake: 100n * TOKEN })
    expect(await m.assignmentRow(a!)).toMatchObject({ status: 'rejected', review: { by: 'operator', reason: 'misuse ruled in a dispute', misuse: true } })
    const lost = reputationBps({ ...NO_RECORD, disputesLost: 1 })
    const [slash] = await m.outbox(task.id, 'settle')
    expect(slash!.key).toBe(`slash:${a}`)
    expect(slash!.payload).toMatchObject({ amount: '0', workers: [], reputations: [{ address: w1, bps: lost }] })
    expect(slash!.payload.slashes).toEqual([{ address: w1, amount: (50n * TOKEN).toString(), reason: 'Misuse', assignment_id: a, ban: true }])
    expect(await m.db.query('SELECT reason, amount::text AS amount, reputation_bps FROM node_slashes WHERE assignment_id = $1', [a])).toEqual([{ reason: 'Misuse', amount: (50n * TOKEN).toString(), reputation_bps: lost }])
    // A worker with nothing staked: the ruling counts in its reputation, and there is nothing to take.
    await m.run(resolveDispute, { operator: OPERATOR, assignmentId: b!, outcome: 'misuse' })
    const second = (await m.outbox(task.id, 'settle')).find((i) => i.key === `slash:${b}`)!
    expect(second.payload).toMatchObject({ slashes: [], reputations: [{ address: w2, bps: lost }] })
  })

  it('pays the last slot of a resolved dispute and closes the task, the unfreeze queued first', async () => {
    const { task, ids: [a] } = await submittedBy(1)
    await dispute(a!)
    await resolve(a!, 'pay_worker')
    expect((await m.outbox(task.id)).map((i) => i.kind)).toEqual(['freeze', 'unfreeze', 'settle'])
    expect((await m.outbox(task.id, 'settle'))[0]!.payload).toMatchObject({ close: true, amount: TOKEN.toString() })
    expect(await statusOf(task.id)).toBe('verifying')
  })

  it('takes disputes of submitted work only, and resolutions of disputed work only', async () => {
    const { ids: [a] } = await submittedBy(1)
    await expect(resolve(a!, 'pay_worker')).rejects.toMatchObject({ code: 'CONFLICT', message: 'id: the assignment is submitted, not disputed' })
    await dispute(a!)
    await expect(dispute(a!)).rejects.toMatchObject({ code: 'CONFLICT' })
    await expect(approve(a!)).rejects.toMatchObject({ code: 'CONFLICT' })
  })
})
