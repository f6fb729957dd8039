import { randomUUID } from 'node:crypto'
import { type TaskState, assignmentStates, escrowStates, jobStates, taskStatuses, taskTransitions } from '@taskmarket/core'
import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { moveTasks } from './status.ts'

let db: Database
beforeAll(async () => {
  db = await createTestDatabase()
})
afterAll(() => db?.close())

async function task(status: TaskState): Promise<string> {
  const id = randomUUID()
  await db.query(
    `INSERT INTO tasks (id, chain_task_id, poster, kind, payload, reward, fee_scheme, status, escrow_state, funding, deadline,
       min_quorum, target_results, max_error_results, max_total_results, jobs_total, lease_cap)
     VALUES ($1, $2, '0x0', 'synthetic', '{}', 1, 0, $3, 'locked', 'allowance', now(), 1, 1, 1, 1, 1, 16)`,
    [id, `0x${id.replaceAll('-', '')}`, status],
  )
  return id
}

const statusOf = async (id: string) => (await db.query<{ status: string }>('SELECT status FROM tasks WHERE id = $1', [id]))[0]!.status

describe('moveTasks', () => {
  it('moves a task along every transition of the lifecycle, and refuses every other move with a 409 naming both statuses', async () => {
    for (const from of taskStatuses) {
      for (const to of taskStatuses) {
        if (from === to) continue
        const id = await task(from)
        const move = moveTasks(db, { ids: [id], to })
        if (taskTransitions[from].includes(to)) {
          expect(await move).toEqual([expect.objectContaining({ id })])
          expect(await statusOf(id)).toBe(to)
        } else {
          await expect(move).rejects.toMatchObject({ code: 'CONFLICT', message: `a task that is ${from} cannot become ${to}` })
          expect(await statusOf(id)).toBe(from)
        }
      }
    }
  })

  it('leaves a task already there alone, and with onlyFrom moves only the tasks it names', async () => {
    const [done, pending, running] = [await task('failed'), await task('pending'), await task('in_progress')]
    expect(await moveTasks(db, { ids: [done], to: 'failed', failureReason: 'again' })).toEqual([])
    const started = await moveTasks(db, { ids: [pending, running], to: 'in_progress', onlyFrom: ['pending'] })
    expect(started.map((t) => t.id)).toEqual([pending])
    expect(await statusOf(running)).toBe('in_progress')
  })

  it('records the failure reason and escrow state it is given', async () => {
    const id = await task('pending')
    expect(await moveTasks(db, { ids: [id], to: 'failed', failureReason: 'escrow refused', escrowState: 'rejected' })).toEqual([expect.objectContaining({ id, escrow_state: 'rejected' })])
    expect((await db.query<{ failure_reason: string }>('SELECT failure_reason FROM tasks WHERE id = $1', [id]))[0]!.failure_reason).toBe('escrow refused')
  })
})

describe('status columns', () => {
  /** The values a CHECK constraint lists, as the database states it. */
  async function allowed(constraint: string): Promise<string[]> {
    const [row] = await db.query<{ def: string }>('SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname = $1', [constraint])
    return [...row!.def.matchAll(/'([a-z_]+)'/g)].map((m) => m[1]!).sort()
  }

  it('hold exactly the statuses of core’s lifecycles', async () => {
    expect(await allowed('tasks_status_known')).toEqual([...taskStatuses].sort())
    expect(await allowed('tasks_escrow_state_known')).toEqual([...escrowStates].sort())
    expect(await allowed('jobs_status_known')).toEqual([...jobStates].sort())
    expect(await allowed('assignments_status_known')).toEqual([...assignmentStates].sort())
  })

  it('refuse a status no lifecycle knows', async () => {
    const id = await task('pending')
    await expect(db.query(`UPDATE tasks SET status = 'paused' WHERE id = $1`, [id])).rejects.toThrow(/tasks_status_known/)
  })
})
