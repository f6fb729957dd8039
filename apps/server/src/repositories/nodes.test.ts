import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NO_RECORD } from '@taskmarket/core'
import { saveChainEvent } from './chainEvents.ts'
import { ONLINE_SECONDS, listNodes, nodeSeen, onlineNodes, onlineStakes, registerNode, reputationCounters, touchNode, workerJobCounts } from './nodes.ts'
import { insertAssignment, insertJob, insertRow, insertTask, secondsAgo } from './testRows.ts'

const node = '0x00000000000000000000000000000000000000a1'

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

/** Replicas of `worker` in these statuses, one job each. */
async function replicas(worker: string, statuses: string[]) {
  const taskId = await insertTask(db)
  for (const [index, status] of statuses.entries()) await insertAssignment(db, { jobId: await insertJob(db, taskId, { index }), taskId }, worker, { status })
}

describe('nodes', () => {
  it('counts a node’s results, lapses and the proof-of-work challenges NodeRegistry logged for it', async () => {
    const worker = '0x00000000000000000000000000000000000000B7'
    await replicas(worker, ['valid', 'valid', 'invalid', 'expired', 'leased'])
    const events = [['registry', 'ChallengeSolved', worker], ['registry', 'ChallengeSolved', worker], ['registry', 'ChallengeFailed', worker], ['registry', 'ChallengeSolved', node], ['escrow', 'ChallengeSolved', worker]] as const
    for (const [i, [contract, event, who]] of events.entries()) {
      await saveChainEvent(db, { blockNumber: 900n + BigInt(i), logIndex: 0, txHash: `0x${'1'.repeat(64)}`, contract, event, args: { node: who }, accounts: [who.toLowerCase()], blockTime: 1_700_000_000 })
    }
    const counters = await reputationCounters(db, [worker, '0x00000000000000000000000000000000000000c9'])
    expect(counters.get(worker)).toEqual({ ...NO_RECORD, validResults: 2, invalidResults: 1, timeouts: 1, powPasses: 2, powFailures: 1 })
    expect(counters.get('0x00000000000000000000000000000000000000c9')).toEqual(NO_RECORD)
  })

  it('registers a node and, registering again, replaces what it advertises and marks it seen', async () => {
    expect(await nodeSeen(db, node)).toBeUndefined()
    await registerNode(db, { address: node, cores: 4, memoryMb: 2048, executors: ['hash'], concurrency: 2, version: null })
    await db.query('UPDATE nodes SET last_seen = $2 WHERE address = $1', [node, secondsAgo(3600)])
    await registerNode(db, { address: node, cores: 8, memoryMb: 4096, executors: ['hash', 'wasm'], concurrency: 4, version: '1.2.0' })
    const seen = await nodeSeen(db, node)
    expect(seen).toMatchObject({ executors: ['hash', 'wasm'], cores: 8, memory_mb: 4096 })
    expect(Math.abs(seen!.last_seen - Date.now() / 1000)).toBeLessThan(60)
    const [row] = await db.query('SELECT concurrency, version FROM nodes WHERE address = $1', [node])
    expect(row).toEqual({ concurrency: 4, version: '1.2.0' })
  })

  it('counts a worker’s accepted and rejected replicas, not the others', async () => {
    const worker = '0x00000000000000000000000000000000000000b2'
    expect(await workerJobCounts(db, worker)).toEqual({ accepted: 0, rejected: 0 })
    await replicas(worker, ['valid', 'valid', 'invalid', 'leased', 'error'])
    expect(await workerJobCounts(db, worker)).toEqual({ accepted: 2, rejected: 1 })
  })

  it('lists the 500 nodes seen most recently, newest first, with their counts', async () => {
    const counted = '0x00000000000000000000000000000000000000c3'
    await registerNode(db, { address: counted, cores: 1, memoryMb: 1, executors: ['hash'], concurrency: 1, version: null })
    await replicas(counted, ['valid', 'invalid', 'invalid'])
    await db.query(
      `INSERT INTO nodes (address, cores, memory_mb, executors, concurrency, last_seen)
       SELECT 'old' || i, 1, 1, '{hash}', 1, now() - make_interval(mins => i) FROM generate_series(1, 510) AS i`,
    )
    const nodes = await listNodes(db)
    expect(nodes).toHaveLength(500)
    expect(nodes[0]).toMatchObject({ address: counted, executors: ['hash'], jobs_accepted: 1, jobs_rejected: 2 })
    expect(nodes.slice(1).every((n, i) => n.last_seen <= nodes[i]!.last_seen)).toBe(true)
    expect(nodes.at(-1)!.address).toBe('old498')
  })

  it('counts the nodes seen in the last ONLINE_SECONDS that run a kind, and a touch brings one back', async () => {
    const seen = (address: string, executors: string[], secondsBefore: number) => insertRow(db, 'nodes', { address, cores: 1, memory_mb: 1, executors, concurrency: 1, last_seen: secondsAgo(secondsBefore) })
    await seen('zk-recent', ['zk', 'hash'], 5)
    await seen('zk-edge', ['zk'], ONLINE_SECONDS - 10)
    await seen('zk-gone', ['zk'], ONLINE_SECONDS + 10)
    await seen('not-zk', ['hash'], 0)
    expect(await onlineNodes(db, 'zk')).toBe(2)
    expect(await onlineNodes(db, 'nobody-runs-this')).toBe(0)

    await touchNode(db, 'zk-gone', 150n)
    expect(await onlineNodes(db, 'zk')).toBe(3)
    // The stake a claim read on chain is kept; a touch without one (a heartbeat) leaves it.
    await touchNode(db, 'zk-recent', 7n)
    await touchNode(db, 'zk-recent')
    expect(new Set(await onlineStakes(db, 'zk'))).toEqual(new Set([null, 150n, 7n]))
    expect(Math.abs((await nodeSeen(db, 'zk-gone'))!.last_seen - Date.now() / 1000)).toBeLessThan(60)
    await touchNode(db, 'never-registered')
    expect(await nodeSeen(db, 'never-registered')).toBeUndefined()
  })
})
