import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { outboxWaiting } from './outbox.ts'
import { insertRow, secondsAgo } from './testRows.ts'

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

let keys = 0
const row = (kind: string, status: string, batchId: string | null = null) => insertRow(db, 'outbox', { kind, key: `k${keys++}`, payload: {}, status, batch_id: batchId })
const batch = (batchId: string, nextAttemptAt: Date | null) => insertRow(db, 'chain_batches', { batch_id: batchId, kind: 'settle', status: 'sent', calldata: {}, next_attempt_at: nextAttemptAt })

describe('outbox', () => {
  it('counts by kind the rows quarantined or sent in a batch that backs off, and no others', async () => {
    expect(await outboxWaiting(db)).toEqual([])
    await batch('backing-off', secondsAgo(-300))
    await batch('due', secondsAgo(5))
    await batch('not-failed', null)
    await row('settle', 'quarantined')
    await row('settle', 'quarantined')
    await row('fail', 'quarantined')
    await row('settle', 'sent', 'backing-off')
    await row('settle', 'sent', 'due')
    await row('settle', 'sent', 'not-failed')
    await row('fail', 'sent')
    // Only a sent row waits on its batch's back-off.
    await row('fail', 'pending', 'backing-off')
    await row('fail', 'confirmed', 'backing-off')
    const counts = (await outboxWaiting(db)).sort((a, b) => a.kind.localeCompare(b.kind))
    expect(counts).toEqual([
      { kind: 'fail', n: 1 },
      { kind: 'settle', n: 3 },
    ])
  })
})
