import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { blockWorker, listBlocks, postersBlocking, unblockWorker } from './blocks.ts'
import { epoch, insertRow, secondsAgo } from './testRows.ts'

const poster = '0xA11cE00000000000000000000000000000000001'
const other = '0xb0B0000000000000000000000000000000000002'
const worker = (n: number) => `0x${n.toString(16).padStart(40, '0')}`
const lateAt = secondsAgo(60)

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
  // Two blocks at the same moment are ordered by worker.
  const sameTime = secondsAgo(30)
  await insertRow(db, 'blocks', { poster, worker: worker(3), reason: 'spam', created_at: sameTime })
  await insertRow(db, 'blocks', { poster, worker: worker(2), reason: null, created_at: sameTime })
  await insertRow(db, 'blocks', { poster, worker: worker(1), reason: 'late', created_at: lateAt })
  await insertRow(db, 'blocks', { poster: other, worker: worker(4), reason: null, created_at: secondsAgo(5) })
})
afterAll(() => db?.close())

const workers = async (page = { limit: 100, offset: 0 }) => (await listBlocks(db, { poster, ...page })).map((b) => b.worker)

describe('blocks', () => {
  it('lists a poster’s blocks newest first, ties by worker, one page at a time', async () => {
    expect(await workers()).toEqual([worker(2), worker(3), worker(1)])
    expect(await workers({ limit: 1, offset: 1 })).toEqual([worker(3)])
    expect(await workers({ limit: 5, offset: 3 })).toEqual([])
    expect((await listBlocks(db, { poster, limit: 1, offset: 2 }))[0]).toEqual({ worker: worker(1), reason: 'late', created_at: epoch(lateAt) })
  })

  it('blocks a worker once, a second block replacing the reason, and unblocks only that pair', async () => {
    const fresh = worker(9)
    await blockWorker(db, { poster, worker: fresh, reason: 'first' })
    await blockWorker(db, { poster, worker: fresh, reason: 'second' })
    const mine = await listBlocks(db, { poster, limit: 100, offset: 0 })
    expect(mine.filter((b) => b.worker === fresh).map((b) => b.reason)).toEqual(['second'])
    expect(mine[0]!.worker).toBe(fresh)

    await unblockWorker(db, { poster, worker: fresh })
    await unblockWorker(db, { poster, worker: worker(4) })
    expect(await workers()).toEqual([worker(2), worker(3), worker(1)])
    expect((await listBlocks(db, { poster: other, limit: 100, offset: 0 })).map((b) => b.worker)).toEqual([worker(4)])
  })

  it('names the posters who blocked a worker', async () => {
    expect(await postersBlocking(db, worker(2))).toEqual([poster])
    expect(await postersBlocking(db, worker(4))).toEqual([other])
    expect(await postersBlocking(db, worker(8))).toEqual([])
    await blockWorker(db, { poster: other, worker: worker(2), reason: null })
    expect((await postersBlocking(db, worker(2))).sort()).toEqual([poster, other].sort())
  })
})
