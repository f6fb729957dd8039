import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AssignmentRow, approvedManualWork, assignmentById, disputedAssignments, taskAssignments, tasksTaken, workerAssignments } from './assignments.ts'
import { insertAssignment, insertJob, insertTask, secondsAgo } from './testRows.ts'

const poster = '0xA11cE00000000000000000000000000000000001'
const worker = '0x00000000000000000000000000000000000000a1'
const other = '0x00000000000000000000000000000000000000a2'

let db: Database
let manual: string
let compute: string
const a: Record<string, string> = {}
beforeAll(async () => {
  db = await createTestDatabase()
  manual = await insertTask(db, { poster, kind: 'manual', jobs_total: 4, payload: { title: 'Photograph the door' } })
  const slot = async (index: number) => ({ jobId: await insertJob(db, manual, { index }), taskId: manual })
  a.old = await insertAssignment(db, await slot(0), worker, { status: 'valid', created_at: secondsAgo(400), paid_amount: '1000000' })
  a.disputed = await insertAssignment(db, await slot(1), worker, { status: 'disputed', created_at: secondsAgo(300) })
  const third = await slot(2)
  a.released = await insertAssignment(db, third, worker, { status: 'released', created_at: secondsAgo(200) })
  a.leased = await insertAssignment(db, await slot(3), worker, { status: 'leased', created_at: secondsAgo(100) })
  a.othersDispute = await insertAssignment(db, third, other, { status: 'disputed', created_at: secondsAgo(50) })
  // The same worker on a compute task: never among its manual assignments.
  compute = await insertTask(db, { poster: other })
  a.compute = await insertAssignment(db, { jobId: await insertJob(db, compute), taskId: compute }, worker, { status: 'disputed', created_at: secondsAgo(10) })
})
afterAll(() => db?.close())

const idsOf = (rows: AssignmentRow[]) => rows.map((r) => r.id)

describe('assignments', () => {
  it('reads one with its slot, its task’s poster and title, and its pay as text', async () => {
    expect(await assignmentById(db, a.old!)).toMatchObject({ id: a.old, task_id: manual, worker, status: 'valid', slot: 0, poster, task_title: 'Photograph the door', paid_amount: '1000000' })
    expect(await assignmentById(db, '00000000-0000-0000-0000-000000000000')).toBeUndefined()
  })

  it('pages a worker’s manual assignments newest first, in the statuses asked for', async () => {
    expect(idsOf(await workerAssignments(db, { worker }))).toEqual([a.leased, a.released, a.disputed, a.old])
    expect(idsOf(await workerAssignments(db, { worker, limit: 2, offset: 1 }))).toEqual([a.released, a.disputed])
    expect(idsOf(await workerAssignments(db, { worker, statuses: ['valid', 'leased'] }))).toEqual([a.leased, a.old])
  })

  it('lists a task’s assignments still in play', async () => {
    expect(idsOf(await taskAssignments(db, manual))).toEqual([a.othersDispute, a.leased, a.disputed, a.old])
  })

  it('lists every dispute, or those of one party (poster or worker, any case)', async () => {
    expect(idsOf(await disputedAssignments(db, {}))).toEqual([a.compute, a.othersDispute, a.disputed])
    expect(idsOf(await disputedAssignments(db, { limit: 1, offset: 2 }))).toEqual([a.disputed])
    expect(idsOf(await disputedAssignments(db, { party: poster.toLowerCase() }))).toEqual([a.othersDispute, a.disputed])
    expect(idsOf(await disputedAssignments(db, { party: worker.toUpperCase().replace('0X', '0x') }))).toEqual([a.compute, a.disputed])
  })

  it('counts a worker’s approved manual work, not its approved compute replicas', async () => {
    expect(await approvedManualWork(db, worker)).toBe(1)
    await insertAssignment(db, { jobId: await insertJob(db, compute, { index: 1 }), taskId: compute }, worker, { status: 'valid' })
    expect(await approvedManualWork(db, worker)).toBe(1)
    expect(await approvedManualWork(db, other)).toBe(0)
  })

  it('names, once each, the tasks among those asked that a worker took, in any status', async () => {
    const unknown = '00000000-0000-0000-0000-000000000000'
    expect((await tasksTaken(db, { worker, taskIds: [manual, compute, unknown] })).sort()).toEqual([manual, compute].sort())
    expect(await tasksTaken(db, { worker, taskIds: [compute] })).toEqual([compute])
    expect(await tasksTaken(db, { worker: other, taskIds: [manual, compute] })).toEqual([manual])
    expect(await tasksTaken(db, { worker, taskIds: [] })).toEqual([])
  })
})
