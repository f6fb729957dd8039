import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type ListTasksParameters, listTasks, lockedTasks, restrictedTasks, settlementBatch, taskById } from './tasks.ts'
import { insertRow, insertTask, secondsAgo } from './testRows.ts'

const alice = '0xA11cE00000000000000000000000000000000001'
const bob = '0xb0B0000000000000000000000000000000000002'
const viewer = '0x00000000000000000000000000000000000000c3'

let db: Database
const ids: Record<string, string> = {}
beforeAll(async () => {
  db = await createTestDatabase()
  ids.oldest = await insertTask(db, { poster: alice, kind: 'hash', status: 'completed', reward: 50, created_at: secondsAgo(300) })
  ids.middle = await insertTask(db, { poster: bob, kind: 'synthetic', status: 'pending', reward: 5, created_at: secondsAgo(200), payload: { title: 'Count words' } })
  ids.newest = await insertTask(db, { poster: alice, kind: 'synthetic', status: 'pending', reward: 500, created_at: secondsAgo(100) })
  ids.qualified = await insertTask(db, { poster: alice, kind: 'manual', created_at: secondsAgo(50), qualifications: [{ field: 'region', op: 'eq', value: 'Lyon' }] })
  ids.randomPoll = await insertTask(db, { poster: bob, kind: 'poll', created_at: secondsAgo(40), payload: { selection: 'random' } })
})
afterAll(() => db?.close())

const list = async (params: Partial<ListTasksParameters> = {}) => {
  const { total, tasks } = await listTasks(db, { limit: 20, offset: 0, ...params })
  return { total, ids: tasks.map((t) => t.id) }
}

describe('tasks', () => {
  it('reads a task and its settlement batch by id', async () => {
    expect(await taskById(db, ids.middle!)).toMatchObject({ id: ids.middle, poster: bob, kind: 'synthetic', payload: { title: 'Count words' } })
    expect(await taskById(db, '00000000-0000-0000-0000-000000000000')).toBeUndefined()
    await insertRow(db, 'chain_batches', { batch_id: 'b1', kind: 'settle', status: 'confirmed', tx_hash: '0xabc', jobs_root: '0xroot', calldata: {} })
    expect(await settlementBatch(db, 'b1')).toEqual({ batch_id: 'b1', tx_hash: '0xabc', jobs_root: '0xroot' })
    expect(await settlementBatch(db, 'b2')).toBeUndefined()
  })

  it('lists the unrestricted tasks newest first, one page at a time, with the total of all that match', async () => {
    expect(await list()).toEqual({ total: 3, ids: [ids.newest, ids.middle, ids.oldest] })
    expect(await list({ limit: 1, offset: 1 })).toEqual({ total: 3, ids: [ids.middle] })
    const [row] = (await listTasks(db, { limit: 1, offset: 1 })).tasks
    expect(row).toMatchObject({ kind: 'synthetic', status: 'pending', reward: '5', title: 'Count words', jobs_done: 0, jobs_total: 1 })
    expect(row!.created_at).toBeInstanceOf(Date)
  })

  it('filters by status, kind, poster in any case and least reward', async () => {
    expect(await list({ status: 'pending' })).toEqual({ total: 2, ids: [ids.newest, ids.middle] })
    expect(await list({ kind: 'hash' })).toEqual({ total: 1, ids: [ids.oldest] })
    expect(await list({ poster: alice.toLowerCase() })).toEqual({ total: 2, ids: [ids.newest, ids.oldest] })
    expect(await list({ minReward: 50n })).toEqual({ total: 2, ids: [ids.newest, ids.oldest] })
    expect(await list({ status: 'pending', minReward: 6n })).toEqual({ total: 1, ids: [ids.newest] })
  })

  it('shows a viewer the restricted tasks it may see, and hides the tasks of posters who blocked it', async () => {
    expect(await list({ viewer: { address: viewer, restrictedIds: [ids.qualified!] } })).toEqual({ total: 4, ids: [ids.qualified, ids.newest, ids.middle, ids.oldest] })
    await insertRow(db, 'blocks', { poster: alice, worker: viewer })
    expect(await list({ viewer: { address: viewer, restrictedIds: [ids.qualified!, ids.randomPoll!] } })).toEqual({ total: 2, ids: [ids.randomPoll, ids.middle] })
    expect(await list({ viewer: { address: bob, restrictedIds: [] } })).toEqual({ total: 3, ids: [ids.newest, ids.middle, ids.oldest] })
  })

  it('lists the newest restricted tasks first, as many as asked, with what gates them', async () => {
    expect((await restrictedTasks(db, 10)).map((t) => t.id)).toEqual([ids.randomPoll, ids.qualified])
    const [newest] = await restrictedTasks(db, 1)
    expect(newest).toEqual({ id: ids.randomPoll, poster: bob, kind: 'poll', payload: { selection: 'random' }, qualifications: null })
    expect((await restrictedTasks(db, 10))[1]!.qualifications).toEqual([{ field: 'region', op: 'eq', value: 'Lyon' }])
  })

  it('lists the tasks locked in escrow oldest first, with what remains locked and whether the outbox is moving them', async () => {
    const partlyPaid = await insertTask(db, { reward: 100, escrow_paid: 40, created_at: secondsAgo(400) })
    await insertTask(db, { escrow_state: 'released', created_at: secondsAgo(500) })
    const outbox = (key: string, taskId: string, status: string) => insertRow(db, 'outbox', { kind: 'settle', key, payload: { task_id: taskId }, status })
    await outbox('sent', ids.middle!, 'sent')
    await outbox('staging', ids.qualified!, 'staging')
    await outbox('pending', ids.newest!, 'pending')
    await outbox('confirmed', ids.oldest!, 'confirmed')
    const locked = await lockedTasks(db, 100)
    expect(locked.map((t) => [t.id, t.remaining, t.moving])).toEqual([
      [partlyPaid, '60', false],
      [ids.oldest, '50', false],
      [ids.middle, '5', true],
      [ids.newest, '500', false],
      [ids.qualified, '1', true],
      [ids.randomPoll, '1', false],
    ])
    expect(locked[1]).toMatchObject({ status: 'completed', chain_task_id: `0x${ids.oldest!.replaceAll('-', '')}` })
    expect((await lockedTasks(db, 2)).map((t) => t.id)).toEqual([partlyPaid, ids.oldest])
  })
})
