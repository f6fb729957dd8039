import { describe, expect, it } from 'vitest'
import { useTestMarket } from '../operations/testMarket.ts'
import { OUTBOX_COLUMNS, type SettlePayload, decode, enqueue } from './items.ts'

const m = useTestMarket()
const ref = { task_id: 'b6b3c2a4-0d55-4c52-9a43-7a3d0b7d8f10', chain_task_id: `0x${'ab'.repeat(32)}` } as const

describe('outbox items', () => {
  it('writes one row for a key however often it is queued, keeping the first payload', async () => {
    await enqueue(m.db, 'refund', 'refund:1', ref)
    await enqueue(m.db, 'refund', 'refund:1', { ...ref, chain_task_id: `0x${'cd'.repeat(32)}` })
    await enqueue(m.db, 'freeze', 'freeze:1', ref)
    const rows = await m.db.query<{ kind: string; payload: unknown }>('SELECT kind, payload FROM outbox ORDER BY id')
    expect(rows).toEqual([{ kind: 'refund', payload: ref }, { kind: 'freeze', payload: ref }])
  })

  it('decodes a row read with OUTBOX_COLUMNS into its typed item', async () => {
    const settle: SettlePayload = { ...ref, amount: '1000', close: true, workers: [{ address: `0x${'11'.repeat(20)}`, weight: 2 }], records: [] }
    await m.transact((tx) => enqueue(tx, 'settle', 'settle:1', settle))
    const [row] = await m.db.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox`)
    const item = decode(row!)
    expect(item).toEqual({ id: expect.stringMatching(/^\d+$/), kind: 'settle', key: 'settle:1', payload: settle, attempts: 0, tried_batches: [] })
    if (item.kind !== 'settle') throw new Error('not a settlement')
    expect(item.payload.workers[0]!.weight).toBe(2)
  })

  it('queues nothing when the transaction that queued it rolls back', async () => {
    await expect(m.transact(async (tx) => {
      await enqueue(tx, 'refund', 'refund:2', ref)
      throw new Error('refused')
    })).rejects.toThrow('refused')
    expect(await m.db.query('SELECT 1 FROM outbox')).toEqual([])
  })
})
