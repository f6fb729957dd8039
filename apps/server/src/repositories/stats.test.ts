import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { escrowTotals, hourlyTasks, nodeCounts, tasksByKind, tasksByStatus } from './stats.ts'
import { insertRow, insertTask, secondsAgo } from './testRows.ts'

let db: Database
const postedAt = { now: secondsAgo(0), threeHours: secondsAgo(3 * 3600), twoDays: secondsAgo(48 * 3600) }
beforeAll(async () => {
  db = await createTestDatabase()
  await insertTask(db, { kind: 'synthetic', status: 'pending', escrow_state: 'awaiting', reward: 7, created_at: postedAt.now })
  await insertTask(db, { kind: 'synthetic', status: 'in_progress', escrow_state: 'locked', reward: 100, escrow_paid: 30, created_at: postedAt.threeHours })
  await insertTask(db, { kind: 'hash', status: 'completed', escrow_state: 'released', reward: 50, escrow_paid: 50, created_at: postedAt.twoDays, completed_at: postedAt.threeHours })
  await insertTask(db, { kind: 'hash', status: 'failed', escrow_state: 'refunded', reward: 20, escrow_paid: 5, created_at: postedAt.twoDays })
  await insertRow(db, 'nodes', { address: '0x1', cores: 1, memory_mb: 1, executors: ['hash'], concurrency: 1, last_seen: secondsAgo(5) })
  await insertRow(db, 'nodes', { address: '0x2', cores: 1, memory_mb: 1, executors: ['hash'], concurrency: 1, last_seen: secondsAgo(120) })
})
afterAll(() => db?.close())

const sorted = <T>(rows: T[], key: keyof T) => [...rows].sort((a, b) => String(a[key]).localeCompare(String(b[key])))

describe('market stats', () => {
  it('counts tasks by status and by kind', async () => {
    expect(sorted(await tasksByStatus(db), 'status')).toEqual([
      { status: 'completed', n: 1 },
      { status: 'failed', n: 1 },
      { status: 'in_progress', n: 1 },
      { status: 'pending', n: 1 },
    ])
    expect(sorted(await tasksByKind(db), 'kind')).toEqual([
      { kind: 'hash', n: 2 },
      { kind: 'synthetic', n: 2 },
    ])
  })

  it('counts nodes seen within the window as active', async () => {
    expect(await nodeCounts(db, 60)).toEqual({ active: 1, total: 2 })
    expect(await nodeCounts(db, 600)).toEqual({ active: 2, total: 2 })
  })

  it('sums escrowed (locked less paid), awaiting, paid and refunded (reward less paid) tokens', async () => {
    expect(await escrowTotals(db)).toEqual({ escrowed: '70', awaiting: '7', paid: '85', refunded: '15' })
  })

  it('gives 24 hours oldest first, counting tasks posted and completed in each', async () => {
    const series = await hourlyTasks(db)
    expect(series).toHaveLength(24)
    expect(series.slice(1).every((h, i) => h.hour - series[i]!.hour === 3600)).toBe(true)
    const hourOf = (at: Date) => series.find((h) => h.hour === Math.floor(at.getTime() / 3_600_000) * 3600)!
    expect(hourOf(postedAt.now).posted).toBe(1)
    expect(hourOf(postedAt.threeHours)).toMatchObject({ posted: 1, completed: 1 })
    // Tasks posted two days ago are outside the series.
    expect(series.reduce((n, h) => n + h.posted, 0)).toBe(2)
    expect(series.reduce((n, h) => n + h.completed, 0)).toBe(1)
  })
})
