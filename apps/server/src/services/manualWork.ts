import { randomUUID } from 'node:crypto'
import { type ManualPayload, type SubmitWorkBody, TaskMarketError, distanceMeters, equalShare, invalid, manualTerms, sniffImageType, stripImageMetadata, withinPlace } from '@taskmarket/core'
import type { Database, Queryable } from '@taskmarket/db'
import { type Address, getAddress } from 'viem'
import type { BlobStore } from './blobStore.ts'
import type { Eligibility } from './eligibility.ts'
import type { EventBus } from './events.ts'
import { type TaskRow, answerDigest, conflict, lockTask, queuePayments, takeSlot, takesWork } from './payouts.ts'
import { moveTasks } from './taskStatus.ts'

/** Largest photo or signature a worker may upload. */
export const MAX_PROOF_BYTES = 8 * 1024 * 1024

type AssignmentRow = { id: string; task_id: string; job_id: string; worker: Address; status: string; answer: any; lease_expires_at: Date; chain_job_id: `0x${string}`; digest: `0x${string}` | null }
type Reviewer = { address: string; role: 'poster' | 'operator' | 'auto' }

/**
 * Manual tasks (seed 000): a person claims a slot, uploads proofs, submits; the poster approves (the slot
 * is paid on its own), rejects (the slot goes back to the pool) or disputes (the task is frozen on chain
 * until an operator resolves it). Work left unreviewed past the task's delay is approved by `sweep`, which
 * also ends tasks whose lifetime is over. `now` is the clock of reviews (tests move it).
 */
export function createManualWork({ db, blobs, events, eligibility, now = () => Date.now() }: { db: Database; blobs: BlobStore; events: EventBus; eligibility: Eligibility; now?: () => number }) {
  const publish = (taskId: string, assignmentId: string, status: string) => events.publish(`task:${taskId}`, { type: 'ASSIGNMENT', taskId, assignmentId, status })

  /** Gives `worker` a free slot of the task for the assignment duration. */
  async function claim(worker: Address, taskId: string) {
    const id = await db.transaction(async (tx) => {
      const task = await lockTask(tx, taskId)
      if (task.kind !== 'manual') throw invalid('id', task.kind === 'poll' ? 'polls take votes (POST /tasks/{id}/vote), not claims' : 'compute jobs are leased by worker nodes, not claimed')
      if (task.escrow_state !== 'locked') throw conflict('id', task.escrow_state === 'awaiting' ? 'the reward is not locked in escrow yet; try again in a few seconds' : `the task is ${task.status}`)
      if (!takesWork(task)) throw conflict('id', `the task is closed (${task.status})`)
      await eligibility.assertMayTake(tx, task, worker)
      const [mine] = await tx.query(`SELECT status FROM assignments WHERE task_id = $1 AND worker = $2 AND status NOT IN ('expired', 'released', 'cancelled')`, [task.id, worker])
      if (mine) throw conflict('id', `you already took this task (your assignment is ${viewStatus(mine.status)})`)
      const slot = await takeSlot(tx, task.id)
      if (!slot) throw conflict('id', `the task is full: all ${task.jobs_total} assignments are taken`)
      const assignmentId = randomUUID()
      const { assignmentSeconds } = manualTerms(task.payload)
      await tx.query(
        `INSERT INTO assignments (id, job_id, task_id, worker, status, lease_expires_at, answer) VALUES ($1, $2, $3, $4, 'leased', now() + make_interval(secs => $5), '{}')`,
        [assignmentId, slot, task.id, worker, assignmentSeconds],
      )
      await moveTasks(tx, { ids: [task.id], to: 'in_progress', onlyFrom: ['pending'] })
      return assignmentId
    })
    publish(taskId, id, 'claimed')
    return id
  }

  async function loadOwn(tx: Queryable, worker: Address, assignmentId: string, { lock = false } = {}) {
    const a = await loadAssignment(tx, assignmentId, lock)
    if (getAddress(a.worker) !== getAddress(worker)) throw new TaskMarketError('FORBIDDEN', 'id: not your assignment', { field: 'id', details: { reason: 'not your assignment' } })
    if (a.status !== 'leased') throw conflict('id', `the assignment is ${viewStatus(a.status)}; it can no longer change`)
    if (new Date(a.lease_expires_at).getTime() <= Date.now()) throw conflict('id', 'the claim has expired; claim the task again if a slot is free')
    return a
  }

  /** Stores a photo or signature for a claimed assignment: JPEG or PNG only, metadata stripped. */
  async function putProof(worker: Address, assignmentId: string, kind: 'photo' | 'signature', bytes: Uint8Array) {
    const a = await loadOwn(db, worker, assignmentId)
    const [task] = await db.query<TaskRow>('SELECT * FROM tasks WHERE id = $1', [a.task_id])
    if (!(task!.payload as ManualPayload).proofs.includes(kind)) throw invalid('kind', `this task does not ask for a ${kind}`)
    if (bytes.length > MAX_PROOF_BYTES) throw new TaskMarketError('PAYLOAD_TOO_LARGE', `${kind}: ${megabytes(bytes.length)} is more than the ${megabytes(MAX_PROOF_BYTES)} limit`, { field: kind, details: { reason: `larger than ${MAX_PROOF_BYTES} bytes` } })
    const type = sniffImageType(bytes)
    if (!type) throw new TaskMarketError('UNSUPPORTED_MEDIA_TYPE', `${kind}: must be a JPEG or PNG image`, { field: kind, details: { reason: 'not a JPEG or PNG image' } })
    let clean: Uint8Array
    try {
      clean = stripImageMetadata(bytes)
    } catch (error) {
      throw invalid(kind, `is not a readable image (${(error as Error).message})`)
    }
    const stored = await blobs.putBuffer(clean, type, undefined, { uploader: worker, isPrivate: true })
    const proof = { sha256: stored.hash, content_type: type, size: stored.size, uploaded_at: Math.floor(now() / 1000) }
    await db.transaction(async (tx) => {
      await loadOwn(tx, worker, assignmentId, { lock: true })
      await tx.query(`UPDATE assignments SET answer = coalesce(answer, '{}') || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1`, [assignmentId, kind, JSON.stringify(proof)])
    })
    publish(a.task_id, assignmentId, 'claimed')
    return { kind, url: `/assignments/${assignmentId}/proofs/${kind}`, content_type: type, size: stored.size }
  }

  /** Submits the work with every proof the task asks for; the poster reviews it next. */
  async function submit(worker: Address, assignmentId: string, body: SubmitWorkBody) {
    const taskId = await db.transaction(async (tx) => {
      const a = await loadOwn(tx, worker, assignmentId, { lock: true })
      const [task] = await tx.query<TaskRow>('SELECT * FROM tasks WHERE id = $1', [a.task_id])
      const payload = task!.payload as ManualPayload
      const answer = { ...a.answer, ...checkProofs(payload, a.answer ?? {}, body) }
      const due = new Date(now() + manualTerms(payload).autoApproveSeconds * 1000)
      await tx.query(
        `UPDATE assignments SET status = 'submitted', answer = $2, digest = $3, submitted_at = now(), review_due_at = $4, progress = 1 WHERE id = $1`,
        [assignmentId, JSON.stringify(answer), answerDigest(answer), due],
      )
      return a.task_id
    })
    publish(taskId, assignmentId, 'submitted')
  }

  /** Gives a claimed slot back before it expires. */
  async function release(worker: Address, assignmentId: string) {
    const taskId = await db.transaction(async (tx) => {
      const a = await loadOwn(tx, worker, assignmentId, { lock: true })
      await tx.query(`UPDATE assignments SET status = 'released' WHERE id = $1`, [a.id])
      await tx.query(`UPDATE jobs SET issued = issued - 1, updated_at = now() WHERE id = $1`, [a.job_id])
      return a.task_id
    })
    publish(taskId, assignmentId, 'released')
  }

  /** Loads an assignment for review by the task's poster (or the operator, for disputes). */
  async function forReview(tx: Queryable, reviewer: Reviewer, assignmentId: string, wanted: string) {
    const a = await loadAssignment(tx, assignmentId)
    const task = await lockTask(tx, a.task_id)
    if (reviewer.role === 'poster' && getAddress(task.poster) !== getAddress(reviewer.address)) throw new TaskMarketError('FORBIDDEN', 'id: only the task’s poster reviews its work', { field: 'id', details: { reason: 'not your task' } })
    const [fresh] = await tx.query<{ status: string }>('SELECT status FROM assignments WHERE id = $1 FOR UPDATE', [a.id])
    if (fresh!.status !== wanted) throw conflict('id', `the assignment is ${viewStatus(fresh!.status)}, not ${viewStatus(wanted)}`)
    return { a, task }
  }

  async function approveIn(tx: Queryable, a: AssignmentRow, task: TaskRow, reviewer: Reviewer, note: string | null = null) {
    const { slots } = manualTerms(task.payload)
    const close = (await approvedCount(tx, task.id)) + 1 >= slots
    await tx.query(`UPDATE assignments SET status = 'valid', reviewed_at = now(), review = $2 WHERE id = $1`, [a.id, JSON.stringify({ by: reviewer.role, reason: note })])
    await tx.query(`UPDATE jobs SET status = 'valid', canonical_digest = $2, updated_at = now() WHERE id = $1`, [a.job_id, a.digest])
    await tx.query(`UPDATE tasks SET jobs_done = jobs_done + 1, status = CASE WHEN $2 THEN 'verifying' ELSE status END, updated_at = now() WHERE id = $1`, [task.id, close])
    await queuePayments(tx, task, {
      key: `settle:${a.id}`,
      amountEach: equalShare(BigInt(task.reward), slots),
      payees: [{ worker: a.worker, assignment_id: a.id }],
      records: [{ job_id: a.job_id, chain_job_id: a.chain_job_id, worker: a.worker, digest: a.digest!, accepted: true }],
      close,
    })
  }

  async function approve(reviewer: Reviewer, assignmentId: string) {
    const taskId = await db.transaction(async (tx) => {
      const { a, task } = await forReview(tx, reviewer, assignmentId, 'submitted')
      await approveIn(tx, a, task, reviewer)
      return task.id
    })
    publish(taskId, assignmentId, 'approved')
  }

  async function rejectIn(tx: Queryable, a: AssignmentRow, reviewer: Reviewer, reason: string) {
    await tx.query(`UPDATE assignments SET status = 'rejected', reviewed_at = now(), review = $2 WHERE id = $1`, [a.id, JSON.stringify({ by: reviewer.role, reason })])
    await tx.query(`UPDATE jobs SET issued = issued - 1, updated_at = now() WHERE id = $1`, [a.job_id])
  }

  /** Rejects submitted work with a reason; its slot goes back to the pool while the task lives. */
  async function reject(reviewer: Reviewer, assignmentId: string, reason: string) {
    const taskId = await db.transaction(async (tx) => {
      const { a, task } = await forReview(tx, reviewer, assignmentId, 'submitted')
      await rejectIn(tx, a, reviewer, reason)
      return task.id
    })
    publish(taskId, assignmentId, 'rejected')
  }

  /** Disputes submitted work: the task is frozen on chain until an operator resolves the dispute. */
  async function dispute(reviewer: Reviewer, assignmentId: string, reason: string) {
    const taskId = await db.transaction(async (tx) => {
      const { a, task } = await forReview(tx, reviewer, assignmentId, 'submitted')
      await tx.query(`UPDATE assignments SET status = 'disputed', review = $2 WHERE id = $1`, [a.id, JSON.stringify({ by: reviewer.role, reason })])
      if (task.status !== 'disputed') {
        await moveTasks(tx, { ids: [task.id], to: 'disputed' })
        await tx.query(`INSERT INTO outbox (kind, key, payload) VALUES ('freeze', $1, $2)`, [`freeze:${a.id}`, JSON.stringify({ task_id: task.id, chain_task_id: task.chain_task_id })])
      }
      return task.id
    })
    publish(taskId, assignmentId, 'disputed')
  }

  /** Operator: ends a dispute for the worker (paid) or the poster (rejected); the last one unfreezes the task. */
  async function resolve(operator: Address, assignmentId: string, outcome: 'pay_worker' | 'reject', note?: string) {
    const reviewer: Reviewer = { address: operator, role: 'operator' }
    const taskId = await db.transaction(async (tx) => {
      const { a, task } = await forReview(tx, reviewer, assignmentId, 'disputed')
      const [{ open }] = (await tx.query<{ open: number }>(`SELECT count(*)::int AS open FROM assignments WHERE task_id = $1 AND status = 'disputed' AND id <> $2`, [task.id, a.id])) as [{ open: number }]
      if (open === 0) {
        // Unfreeze first: the relayer sends it before the settlement this resolution may queue.
        await moveTasks(tx, { ids: [task.id], to: 'in_progress' })
        await tx.query(`INSERT INTO outbox (kind, key, payload) VALUES ('unfreeze', $1, $2)`, [`unfreeze:${a.id}`, JSON.stringify({ task_id: task.id, chain_task_id: task.chain_task_id })])
      }
      if (outcome === 'pay_worker') await approveIn(tx, a, { ...task, status: 'in_progress' }, reviewer, note ?? null)
      else await rejectIn(tx, a, reviewer, note ?? 'dispute resolved for the poster')
      return task.id
    })
    publish(taskId, assignmentId, outcome === 'pay_worker' ? 'approved' : 'rejected')
  }

  /** Approves work whose review is overdue, and ends manual tasks whose lifetime is over; returns how many it looked at. */
  async function sweep(onTaskFailed: (tx: Queryable, taskId: string, reason: string) => Promise<void>) {
    const due = await db.query<{ id: string }>(`SELECT id FROM assignments WHERE status = 'submitted' AND review_due_at <= $1 ORDER BY review_due_at LIMIT 100`, [new Date(now())])
    for (const { id } of due) {
      await approve({ address: '', role: 'auto' }, id).catch((error) => {
        if (!(error instanceof TaskMarketError && error.code === 'CONFLICT')) throw error
      })
    }
    const ended = await db.query<{ id: string }>(
      `SELECT id FROM tasks WHERE kind = 'manual' AND escrow_state = 'locked' AND status IN ('pending', 'in_progress') AND deadline < now() LIMIT 100`,
    )
    for (const { id } of ended) await db.transaction((tx) => finishIfOver(tx, id, onTaskFailed))
    return due.length + ended.length
  }

  /** After its lifetime, a manual task ends once nothing is claimed, under review or disputed. */
  async function finishIfOver(tx: Queryable, taskId: string, onTaskFailed: (tx: Queryable, taskId: string, reason: string) => Promise<void>) {
    const task = await lockTask(tx, taskId)
    if (!['pending', 'in_progress'].includes(task.status) || new Date(task.deadline).getTime() > Date.now()) return
    const [busy] = await tx.query(`SELECT 1 FROM assignments WHERE task_id = $1 AND status IN ('leased', 'submitted', 'disputed') LIMIT 1`, [taskId])
    if (busy) return
    await tx.query(`UPDATE jobs SET status = 'cancelled', updated_at = now() WHERE task_id = $1 AND status = 'open'`, [taskId])
    if (Number(task.jobs_total) > 0 && (await approvedCount(tx, taskId)) === 0) {
      await onTaskFailed(tx, taskId, 'no work was approved before the task’s lifetime ended')
      return
    }
    await moveTasks(tx, { ids: [taskId], to: 'verifying' })
    await queuePayments(tx, task, { key: `close:${taskId}`, amountEach: 0n, payees: [], records: [], close: true })
    events.publish(`task:${taskId}`, { type: 'TASK_PROGRESS', taskId, status: 'verifying', jobsDone: 0, jobsTotal: task.jobs_total })
  }

  return { claim, putProof, submit, release, approve, reject, dispute, resolve, sweep }
}

export type ManualWork = ReturnType<typeof createManualWork>

/** An assignment with its job's on-chain id (locked when `lock`); 404 when there is none. */
async function loadAssignment(tx: Queryable, assignmentId: string, lock = false): Promise<AssignmentRow> {
  const [a] = /^[0-9a-f-]{36}$/i.test(assignmentId)
    ? await tx.query<AssignmentRow>(`SELECT a.*, j.chain_job_id FROM assignments a JOIN jobs j ON j.id = a.job_id WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}`, [assignmentId])
    : []
  if (!a) throw new TaskMarketError('NOT_FOUND', 'id: no such assignment', { field: 'id', details: { reason: 'no such assignment' } })
  return a
}

async function approvedCount(tx: Queryable, taskId: string) {
  const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM assignments WHERE task_id = $1 AND status = 'valid'`, [taskId])
  return row?.n ?? 0
}

/** Checks the submitted proofs against what the task asks for; returns the parts to keep. */
function checkProofs(payload: ManualPayload, uploaded: Record<string, unknown>, body: SubmitWorkBody) {
  const missing = payload.proofs.filter((kind) => (kind === 'photo' || kind === 'signature' ? !uploaded[kind] : body[kind] === undefined))
  if (missing.length) throw invalid(missing[0]!, `required by this task (missing: ${missing.join(', ')})${missing.some((k) => k === 'photo' || k === 'signature') ? '; upload images before submitting' : ''}`)
  const kept: Record<string, unknown> = {}
  if (body.text !== undefined) kept.text = body.text
  if (body.checklist !== undefined) {
    const items = payload.checklist ?? []
    if (body.checklist.length !== items.length) throw invalid('checklist', `must have ${items.length} answers, one per item`)
    const unticked = body.checklist.findIndex((done) => !done)
    if (unticked >= 0) throw invalid(`checklist.${unticked}`, `"${items[unticked]}" is not ticked`)
    kept.checklist = body.checklist
  }
  if (body.location !== undefined) {
    const stamp = body.location
    let distance: number | null = null
    if (payload.place) {
      distance = Math.round(distanceMeters(payload.place, stamp))
      if (!withinPlace(payload.place, stamp)) throw invalid('location', `is ${formatDistance(distance)} from the task’s place; it must be within ${formatDistance(payload.place.radius_m)}`)
    }
    kept.location = { latitude: stamp.latitude, longitude: stamp.longitude, accuracy_m: stamp.accuracy_m ?? null, distance_m: distance, taken_at: stamp.taken_at ?? null }
  }
  return kept
}

const VIEW_STATUS: Record<string, string> = { leased: 'claimed', valid: 'approved', invalid: 'rejected', cancelled: 'expired', error: 'rejected' }

/** The status a person sees for an assignment row's status. */
export function viewStatus(status: string) {
  return VIEW_STATUS[status] ?? status
}

/** The row statuses a person's view status stands for (the inverse of viewStatus). */
export function rowStatuses(view: string): string[] {
  return [...(Object.values(VIEW_STATUS).includes(view) ? [] : [view]), ...Object.keys(VIEW_STATUS).filter((s) => VIEW_STATUS[s] === view)]
}

function formatDistance(m: number) {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${m} m`
}

function megabytes(n: number) {
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
