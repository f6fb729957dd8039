import { type Database, createTestDatabase } from '@taskmarket/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { freeSlots, jobOutputs, jobRecords, taskJobs } from './jobs.ts'
import { insertAssignment, insertJob, insertRow, insertTask, secondsAgo } from './testRows.ts'

const [w1, w2] = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000a2']
const digest = (n: number) => `0x${String(n).repeat(64)}`

let db: Database
let taskId: string
const jobs: string[] = []
beforeAll(async () => {
  db = await createTestDatabase()
  taskId = await insertTask(db, { jobs_total: 3 })
  // Inserted out of order: every read answers in job order.
  jobs[2] = await insertJob(db, taskId, { index: 2, status: 'open', wanted: 2, issued: 1 })
  jobs[0] = await insertJob(db, taskId, { index: 0, status: 'valid', canonical_digest: digest(1), output_blob: 'blob0' })
  jobs[1] = await insertJob(db, taskId, { index: 1, status: 'error', canonical_error: 'TIME_LIMIT' })
  await insertAssignment(db, { jobId: jobs[0]!, taskId }, w2, { status: 'valid', digest: digest(1), progress: 1, created_at: secondsAgo(10) })
  await insertAssignment(db, { jobId: jobs[0]!, taskId }, w1, { status: 'valid', digest: digest(1), progress: 1, created_at: secondsAgo(20) })
  await insertAssignment(db, { jobId: jobs[2]!, taskId }, w1, { status: 'submitted', digest: digest(3) })
})
afterAll(() => db?.close())

describe('jobs', () => {
  it('lists a task’s jobs in order with their replicas in the order taken, digests only of decided jobs', async () => {
    const listed = await taskJobs(db, { taskId, hideDigests: false })
    expect(listed.map((j) => [j.index, j.status, j.canonical_digest, j.canonical_error])).toEqual([
      [0, 'valid', digest(1), null],
      [1, 'error', null, 'TIME_LIMIT'],
      [2, 'open', null, null],
    ])
    expect(listed[0]!.replicas).toEqual([
      { worker: w1, status: 'valid', progress: 1, digest: digest(1) },
      { worker: w2, status: 'valid', progress: 1, digest: digest(1) },
    ])
    expect(listed[1]!.replicas).toEqual([])
    expect(listed[2]!.replicas).toEqual([{ worker: w1, status: 'submitted', progress: 0, digest: null }])
  })

  it('hides every digest when asked', async () => {
    const listed = await taskJobs(db, { taskId, hideDigests: true })
    expect(listed[0]!.canonical_digest).toBeNull()
    expect(listed.flatMap((j) => j.replicas.map((r) => r.digest))).toEqual([null, null, null])
  })

  it('gives the outputs in job order', async () => {
    expect(await jobOutputs(db, taskId)).toEqual([
      { index: 0, output_blob: 'blob0', canonical_error: null },
      { index: 1, output_blob: null, canonical_error: 'TIME_LIMIT' },
      { index: 2, output_blob: null, canonical_error: null },
    ])
  })

  it('counts the open slots not yet all taken', async () => {
    expect(await freeSlots(db, taskId)).toBe(1)
    const manual = await insertTask(db, { kind: 'manual', jobs_total: 4 })
    await insertJob(db, manual, { index: 0, wanted: 1, issued: 0 })
    await insertJob(db, manual, { index: 1, wanted: 1, issued: 1 })
    await insertJob(db, manual, { index: 2, wanted: 1, issued: 0, status: 'cancelled' })
    await insertJob(db, manual, { index: 3, wanted: 1, issued: 0 })
    expect(await freeSlots(db, manual)).toBe(2)
  })

  it('lists the records of confirmed batches only, by job then worker', async () => {
    await insertRow(db, 'chain_batches', { batch_id: 'done', kind: 'settle', status: 'confirmed', tx_hash: '0xt', jobs_root: '0xr', calldata: {} })
    await insertRow(db, 'chain_batches', { batch_id: 'pending', kind: 'settle', status: 'sent', calldata: {} })
    const record = (batch: string, leaf: string, job: number, worker: string) =>
      insertRow(db, 'job_records', { batch_id: batch, leaf, task_id: taskId, job_id: jobs[job], worker, result_hash: digest(job), verdict: 1, proof: JSON.stringify([leaf]) })
    await record('done', 'l1', 2, w1)
    await record('done', 'l2', 0, w2)
    await record('done', 'l3', 0, w1)
    await record('pending', 'l4', 1, w1)
    const records = await jobRecords(db, taskId)
    expect(records.map((r) => r.leaf)).toEqual(['l3', 'l2', 'l1'])
    expect(records[0]).toMatchObject({ batch_id: 'done', job_id: jobs[0], worker: w1, proof: ['l3'], jobs_root: '0xr', tx_hash: '0xt', batch_status: 'confirmed' })
  })
})
