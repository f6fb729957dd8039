import { ADAPTIVE_REPLICATION, type AdaptiveParams, type Lease, type QuorumParams } from '@taskmarket/core'
import type { Address, Hex } from 'viem'
import { describe, expect, it } from 'vitest'
import { LEASE_SECONDS, TOKEN, address, digest, useTestMarket } from '../testMarket.ts'
import { registerNode } from '../../repositories/nodes.ts'
import { expireLeases } from './reap.ts'
import { releaseLeases } from './release.ts'

/**
 * Adaptive replication in the server (issue 12): runs per (node, kind), jobs planned alone for proven nodes,
 * checks that only another proven node may take, suspicion that sends a job back to replicas, newcomer places
 * on replicated jobs, and jobs run as posted while fewer than three other proven nodes are online.
 * A run of 2 proves a node here; at that run a job goes alone with chance 1/2 and is checked with chance 1/4,
 * so a draw below 0.25 checks it, from 0.25 to 0.5 sends it alone, and from 0.5 replicates it.
 */
const m = useTestMarket()
const [w1, w2, w3, w4, w5, w6, w7] = [1, 2, 3, 4, 5, 6, 7].map(address) as [Address, Address, Address, Address, Address, Address, Address]
const [right, wrong] = [digest('right'), digest('wrong')]
const adaptive: AdaptiveParams = { ...ADAPTIVE_REPLICATION, minRun: 2, spotCheckBps: 5_000 }
const [CHECKED, ALONE, REPLICATED] = [0.1, 0.4, 0.9]
const TWO_OF_THREE: Partial<QuorumParams> = { minQuorum: 2, targetResults: 3 }

const claim = (worker: Address, draw = REPLICATED) => m.claim(worker, { adaptive, random: () => draw })
const answer = (worker: Address, lease: Lease, d: Hex) => m.submit(worker, [m.sealed(worker, lease, d)], undefined, adaptive)
const runOf = async (worker: Address) => (await m.db.query<{ consecutive_valid: number }>(`SELECT consecutive_valid FROM node_runs WHERE worker = $1 AND kind = 'synthetic'`, [worker]))[0]?.consecutive_valid
/** Gives `workers` a run of 2 on synthetic work, online now (a check needs proven nodes that are there). */
async function prove(...workers: Address[]) {
  for (const address of workers) await registerNode(m.db, { address, cores: 1, memoryMb: 1, executors: ['synthetic'], concurrency: 1, version: null })
  await m.db.query(`INSERT INTO node_runs (worker, kind, consecutive_valid) SELECT w, 'synthetic', 2 FROM unnest($1::text[]) AS w`, [workers])
}
const paid = async (taskId: string) => (await m.outbox(taskId, 'settle')).flatMap((s) => s.payload.workers)

describe('adaptive replication', () => {
  it('extends a run by valid replicated results only, and resets it on an outvoted result or a lapsed lease', async () => {
    const first = await m.task({ replication: TWO_OF_THREE })
    const [[a], [b], [c]] = [await claim(w1), await claim(w2), await claim(w3)]
    await answer(w1, a!, right)
    await answer(w3, c!, wrong)
    await answer(w2, b!, right)
    expect([await runOf(w1), await runOf(w2), await runOf(w3)]).toEqual([1, 1, 0])

    await m.task({ replication: TWO_OF_THREE })
    const [lapsing] = await claim(w1)
    expect(lapsing).toBeDefined()
    m.clock.advance(LEASE_SECONDS + 1)
    expect(await m.transact(expireLeases)).toBe(1)
    expect(await runOf(w1)).toBe(0)
    expect(await runOf(w2)).toBe(1)
    expect((await m.taskRow(first.id)).status).toBe('verifying')
  })

  it('gives a proven node a job alone, decided by its one result and paid to it alone; the run stays', async () => {
    await prove(w1, w5, w6, w7)
    const task = await m.task({ replication: TWO_OF_THREE })
    const [lease] = await claim(w1, ALONE)
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ plan: 'unreplicated', wanted: 1, issued: 1 })
    expect(await claim(w2)).toEqual([])
    await answer(w1, lease!, right)
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ status: 'valid', canonical_digest: right })
    expect(await paid(task.id)).toEqual([{ address: w1, weight: 1 }])
    expect(await runOf(w1)).toBe(2)
  })

  it('replicates the first job of a node that is not proven whatever the draw, and a proven node’s on a high draw', async () => {
    await prove(w2, w5, w6, w7)
    const task = await m.task({ jobs: 2, replication: TWO_OF_THREE })
    await claim(w1, CHECKED)
    // w2 takes a replica of the first job and the second job's first lease.
    expect(await m.claim(w2, { max: 2, adaptive, random: () => REPLICATED })).toHaveLength(2)
    const plans = await Promise.all(task.jobs.map(async (j) => (await m.jobRow(j.id)).plan))
    expect(plans).toEqual(['replicated', 'replicated'])
    expect(await claim(w3)).toHaveLength(1)
  })

  it('checks a lone job with replicas only other proven nodes may take, once the result is in: a lie is outvoted and its run reset', async () => {
    await prove(w1, w2, w3, w4)
    const task = await m.task({ replication: TWO_OF_THREE })
    const job = task.jobs[0]!.id
    const [tested] = await claim(w1, CHECKED)
    // To the tested node and everyone else the job looks alone until its result is in.
    expect(await m.jobRow(job)).toMatchObject({ plan: 'checked', wanted: 1 })
    expect(await claim(w3)).toEqual([])
    await answer(w1, tested!, wrong)
    expect(await m.jobRow(job)).toMatchObject({ status: 'open', wanted: 2 })
    expect(await claim(w5)).toEqual([])
    const [check] = await claim(w3)
    expect(check?.job_id).toBe(job)
    // The check disagrees: the quorum rises to three agreeing results, and new identities still cannot vote.
    await answer(w3, check!, right)
    expect((await m.jobRow(job)).status).toBe('open')
    expect(await claim(w5)).toEqual([])
    const [r2] = await claim(w2)
    await answer(w2, r2!, right)
    expect((await m.jobRow(job)).status).toBe('open')
    const [r4] = await claim(w4)
    await answer(w4, r4!, right)
    expect(await m.jobRow(job)).toMatchObject({ status: 'valid', canonical_digest: right })
    expect((await m.assignmentRow(tested!.assignment_id)).status).toBe('invalid')
    expect(await runOf(w1)).toBe(0)
    expect(await paid(task.id)).toEqual([{ address: w2, weight: 1 }, { address: w3, weight: 1 }, { address: w4, weight: 1 }])
  })

  it('decides a checked job when its check agrees, and counts it as replicated for both runs', async () => {
    await prove(w1, w2, w3, w4)
    const task = await m.task({ replication: TWO_OF_THREE, reward: 2n * TOKEN })
    const [tested] = await claim(w1, CHECKED)
    await answer(w1, tested!, right)
    const [check] = await claim(w3)
    await answer(w3, check!, right)
    expect((await m.jobRow(task.jobs[0]!.id)).status).toBe('valid')
    expect([await runOf(w1), await runOf(w3)]).toEqual([3, 3])
  })

  it('runs a job as posted while fewer than three other proven nodes are online: decided at the task’s quorum as soon as it is met', async () => {
    await prove(w1, w2, w3)
    const checkedDraw = await m.task({ replication: TWO_OF_THREE })
    await claim(w1, CHECKED)
    expect(await m.jobRow(checkedDraw.jobs[0]!.id)).toMatchObject({ plan: 'posted', wanted: 3, max_unproven: null })
  })

  it('runs a new market’s jobs as posted: two newcomers’ agreeing results decide a 2-of-3 job (npm start’s two workers)', async () => {
    const task = await m.task({ replication: TWO_OF_THREE })
    const [a] = await claim(w4)
    const [b] = await claim(w5)
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ plan: 'posted', wanted: 3, issued: 2 })
    await answer(w4, a!, right)
    await answer(w5, b!, right)
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ status: 'valid', canonical_digest: right })
    expect(await paid(task.id)).toEqual([{ address: w4, weight: 1 }, { address: w5, weight: 1 }])
  })

  it('holds two newcomers who agree first on a 2-of-3 job until its proven replica answers: its dissent raises the quorum, which only proven nodes may then reach', async () => {
    await prove(w3, w4, w5)
    const task = await m.task({ replication: TWO_OF_THREE })
    const job = task.jobs[0]!.id
    const [c1] = await claim(w1)
    const [c2] = await claim(w2)
    expect(await m.jobRow(job)).toMatchObject({ plan: 'replicated', max_unproven: 2 })
    // Two newcomer places, both taken: a third new identity is refused the last replica.
    expect(await claim(w6)).toEqual([])
    await answer(w1, c1!, wrong)
    await answer(w2, c2!, wrong)
    expect(await m.jobRow(job)).toMatchObject({ status: 'open', wanted: 3, issued: 2 })
    const [p3] = await claim(w3)
    await answer(w3, p3!, right)
    expect(await m.jobRow(job)).toMatchObject({ status: 'open' })
    expect(await claim(w6)).toEqual([])
    for (const w of [w4, w5]) {
      const [replica] = await claim(w)
      expect(replica?.job_id).toBe(job)
      await answer(w, replica!, right)
    }
    expect(await m.jobRow(job)).toMatchObject({ status: 'valid', canonical_digest: right })
    expect(await Promise.all([c1, c2].map(async (l) => (await m.assignmentRow(l!.assignment_id)).status))).toEqual(['invalid', 'invalid'])
    expect(await paid(task.id)).toEqual([{ address: w3, weight: 1 }, { address: w4, weight: 1 }, { address: w5, weight: 1 }])
    expect([await runOf(w1), await runOf(w2), await runOf(w3)]).toEqual([0, 0, 3])
  })

  it('sends a suspect’s lone result back to replicas: a node below neutral reputation does not decide a job alone', async () => {
    await prove(w1, w5, w6, w7)
    const old = await m.task({ jobs: 2, open: false })
    await m.replica(old, 0, w1, 'invalid', wrong)
    await m.replica(old, 1, w1, 'invalid', wrong)
    const task = await m.task({ replication: TWO_OF_THREE })
    const job = task.jobs[0]!.id
    const [lease] = await claim(w1, ALONE)
    await answer(w1, lease!, right)
    expect(await m.jobRow(job)).toMatchObject({ status: 'open', plan: 'unreplicated' })
    for (const w of [w2, w3]) {
      const [replica] = await claim(w)
      expect(replica?.job_id).toBe(job)
      await answer(w, replica!, right)
    }
    expect((await m.jobRow(job)).status).toBe('valid')
  })

  it('sends a lone job whose lease ends unfinished back to the pool replicated, with two newcomer places', async () => {
    await prove(w1, w5, w6, w7)
    const task = await m.task({ replication: TWO_OF_THREE })
    const [lease] = await claim(w1, ALONE)
    await m.run(releaseLeases, { worker: w1, assignmentIds: [lease!.assignment_id] })
    expect(await m.jobRow(task.jobs[0]!.id)).toMatchObject({ plan: 'replicated', wanted: 3, issued: 0, max_unproven: 2 })
    for (const w of [w2, w3]) expect(await claim(w, ALONE)).toHaveLength(1)
    expect(await claim(w4, ALONE)).toEqual([])
    expect(await claim(w5, ALONE)).toHaveLength(1)
  })
})
