import { describe, expect, it } from 'vitest'
import { LEASE_SECONDS, POSTER, START, TOKEN, address, useTestMarket } from '../testMarket.ts'
import { type NodeRequirements, ineligibility, parsePrice, requirementsOf } from '@taskmarket/core'
import { registerNode } from '../../repositories/nodes.ts'
import { claimJobs } from './claim.ts'

const m = useTestMarket()
const [w1, w2, w3, w4] = [address(1), address(2), address(3), address(4)]
const issued = async (jobId: string) => (await m.jobRow(jobId)).issued

describe('claimJobs', () => {
  it('never hands two replicas of one job to one worker, and stops when the job has all it wants', async () => {
    const task = await m.task({ replication: { minQuorum: 2, targetResults: 3 } })
    expect((await m.claim(w1, { max: 5 })).map((l) => l.job_id)).toEqual([task.jobs[0]!.id])
    expect(await m.claim(w1, { max: 5 })).toEqual([])
    expect(await m.claim(w2)).toHaveLength(1)
    expect(await m.claim(w3)).toHaveLength(1)
    expect(await m.claim(w4)).toEqual([])
    expect(await issued(task.jobs[0]!.id)).toBe(3)
  })

  it('gives a lease naming the job and expiring leaseSeconds after the clock', async () => {
    const task = await m.task()
    m.clock.advance(1234.5)
    const [lease] = await m.claim(w1, { leaseSeconds: 90 })
    const expires = START + 1_234_500 + 90_000
    expect(lease).toEqual({
      assignment_id: expect.any(String), task_id: task.id, job_id: task.jobs[0]!.id, chain_task_id: task.chainTaskId, chain_job_id: task.jobs[0]!.chainJobId,
      kind: 'synthetic', payload: { index: 0 }, lease_expires_at: Math.floor(expires / 1000),
    })
    expect(await m.assignmentRow(lease!.assignment_id)).toMatchObject({ worker: w1, status: 'leased', lease_expires_at: new Date(expires) })
  })

  it('takes no more of one task than its lease cap, and offers the next task', async () => {
    const capped = await m.task({ jobs: 10, leaseCap: 3 })
    const next = await m.task({ jobs: 10, leaseCap: 3 })
    const first = await m.claim(w1, { max: 10 })
    expect(first.map((l) => l.task_id)).toEqual([capped.id, capped.id, capped.id])
    expect((await m.claim(w1, { max: 10 })).map((l) => l.task_id)).toEqual([next.id, next.id, next.id])
    expect(await m.claim(w1, { max: 10 })).toEqual([])
    expect(await m.claim(w2, { max: 2 })).toHaveLength(2)
  })

  it('honours the per-node maximum: a claim takes only the room left, and a full node is RATE_LIMITED', async () => {
    await m.task({ jobs: 5 })
    expect(await m.claim(w1, { max: 2, maxLeasesPerNode: 3 })).toHaveLength(2)
    expect(await m.claim(w1, { max: 5, maxLeasesPerNode: 3 })).toHaveLength(1)
    await expect(m.claim(w1, { max: 1, maxLeasesPerNode: 3 })).rejects.toMatchObject({ code: 'RATE_LIMITED', field: 'max' })
    expect(await m.claim(w2, { max: 5, maxLeasesPerNode: 3 })).toHaveLength(3)
  })

  it('skips tasks past their deadline on the transactor’s clock', async () => {
    await m.task({ lifetimeSeconds: 600 })
    m.clock.advance(600)
    expect(await m.claim(w1)).toEqual([])
    m.clock.advance(-1)
    expect(await m.claim(w1)).toHaveLength(1)
  })

  it('offers only the kinds asked for, tasks the node’s trust level allows, and posters who do not block it', async () => {
    await m.task({ kind: 'wasm' })
    expect(await m.claim(w1, { kinds: ['synthetic'] })).toEqual([])
    expect(await m.claim(w1, { kinds: ['synthetic', 'wasm'] })).toHaveLength(1)
    await m.task({ minTrustLevel: 2 })
    expect(await m.claim(w2, { trustLevel: 1 })).toEqual([])
    await m.block(POSTER, w2)
    expect(await m.claim(w2, { trustLevel: 2 })).toEqual([])
    expect(await m.claim(w3, { trustLevel: 2 })).toHaveLength(1)
  })

  it('offers no job of a task not yet locked, not open, or ended', async () => {
    await m.task({ escrow: 'awaiting' })
    await m.task({ status: 'failed' })
    expect(await m.claim(w1, { max: 5 })).toEqual([])
  })

  it('moves a pending task to in_progress and tells its watchers only once the claim commits', async () => {
    const task = await m.task({ jobs: 2 })
    const heard = m.heard(`task:${task.id}`)
    const during = await m.transact(async (tx) => {
      await claimJobs(tx, { worker: w1, kinds: ['synthetic'], max: 1, leaseSeconds: LEASE_SECONDS, maxLeasesPerNode: 8 })
      return heard.length
    })
    expect(during).toBe(0)
    expect(heard).toEqual([{ type: 'TASK_PROGRESS', taskId: task.id, status: 'in_progress', jobsDone: 0, jobsTotal: 0 }])
    expect((await m.taskRow(task.id)).status).toBe('in_progress')
    await m.claim(w2)
    expect(heard).toHaveLength(1)
  })

  it('leaves nothing behind when the claim’s transaction rolls back', async () => {
    const task = await m.task()
    const heard = m.heard(`task:${task.id}`)
    await expect(m.transact(async (tx) => {
      await claimJobs(tx, { worker: w1, kinds: ['synthetic'], max: 1, leaseSeconds: LEASE_SECONDS, maxLeasesPerNode: 8 })
      throw new Error('the request was cut')
    })).rejects.toThrow('the request was cut')
    expect(heard).toEqual([])
    expect(await m.taskRow(task.id)).toMatchObject({ status: 'pending' })
    expect(await issued(task.jobs[0]!.id)).toBe(0)
  })

  it('offers no more leases than the node’s free stake covers, skipping one too rich for it, and says so when it can take none', async () => {
    // 40 jobs of 1 token (lease cap 16) and one job of 300 tokens, which a 100-token stake could not pay back.
    const rich = await m.task({ reward: 300n * TOKEN, replication: { minQuorum: 1, targetResults: 1 } })
    const cheap = await m.task({ jobs: 40, reward: 40n * TOKEN, replication: { minQuorum: 1, targetResults: 1 }, leaseCap: 40 })
    const leases = await m.claim(w1, { max: 40, stake: 100n * TOKEN })
    expect(leases).toHaveLength(20)
    expect(leases.every((l) => l.task_id === cheap.id)).toBe(true)
    expect(await issued(rich.jobs[0]!.id)).toBe(0)
    expect(await m.claim(w1, { max: 40, stake: 100n * TOKEN })).toEqual([])
    // 10 tokens staked: 5% is 0.5, raised to the lease's 1-token reward, so 10 leases.
    expect(await m.claim(w2, { max: 40, stake: 10n * TOKEN })).toHaveLength(10)
    // Staked too little for any open lease: a 403 naming the stake, and nothing taken.
    await expect(m.claim(w3, { max: 40, stake: TOKEN / 2n })).rejects.toMatchObject({ code: 'FORBIDDEN', field: 'stake' })
    expect(await issued(rich.jobs[0]!.id)).toBe(0)
  })

  it('offers a node only the tasks whose requirements it meets, exactly as core’s ineligibility says', async () => {
    const asked: (NodeRequirements | undefined)[] = [
      undefined,
      { resource_type: 'gpu' },
      { regions: ['eu-west'] },
      { max_price_per_unit: '0.3' },
      { min_uptime_bps: 5_000 },
      { resource_type: 'cpu', regions: ['eu-west', 'us-east'], max_price_per_unit: '1' },
      { min_verified_power: '500' },
    ]
    const tasks = []
    for (const requirements of asked) {
      const task = await m.task({ replication: { minQuorum: 1, targetResults: 3 } })
      const r = requirementsOf(requirements, 0)
      await m.db.query('UPDATE tasks SET req_resource_type = $2, req_regions = $3, req_max_price = $4, req_min_uptime_bps = $5, req_min_verified_power = $6 WHERE id = $1', [
        task.id, r.resourceType ?? null, r.regions ?? null, r.maxPricePerUnit?.toString() ?? null, r.minUptimeBps ?? null, r.minVerifiedPower?.toString() ?? null,
      ])
      tasks.push({ task, requirements })
    }
    const offers = [
      { who: w1, resourceType: 'cpu', region: 'eu-west', price: '0.2', power: 500n },
      { who: w2, resourceType: 'gpu', region: 'us-east', price: '0.5', power: 499n },
      { who: w3, resourceType: 'cpu', region: 'any', price: '0', power: 0n },
    ] as const
    for (const o of offers) {
      await registerNode(m.db, { address: o.who, cores: 1, memoryMb: 1, executors: ['synthetic'], concurrency: 1, version: null, offer: { resourceType: o.resourceType, region: o.region, pricePerUnit: parsePrice(o.price), hardware: {} } })
      const bid = { node: o.who, resourceType: o.resourceType, region: o.region, pricePerUnit: parsePrice(o.price), verifiedPower: o.power, trustLevel: 0, reputationBps: 0, latencyMs: 0, uptimeBps: 0 }
      const expected = tasks.filter((t) => ineligibility(requirementsOf(t.requirements, 0), bid) === undefined).map((t) => t.task.id)
      const claimed = (await m.claim(o.who, { max: 10, verifiedPower: o.power })).map((l) => l.task_id)
      expect(claimed.sort(), o.who).toEqual(expected.sort())
    }
    // Each node saw the unrestricted task; the uptime-bound one went to nobody (no node has been seen online yet).
    expect(await issued(tasks[0]!.task.jobs[0]!.id)).toBe(3)
    expect(await issued(tasks[4]!.task.jobs[0]!.id)).toBe(0)
  })
})
