import { TaskMarketError, assignmentStates } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { type Address, getAddress } from 'viem'
import { conflict } from '../payouts.ts'
import type { Tx } from '../tx.ts'

export type AssignmentRow = { id: string; task_id: string; job_id: string; worker: Address; status: string; answer: any; lease_expires_at: Date; chain_job_id: `0x${string}`; digest: `0x${string}` | null }

/** Who reviews human work: the task's poster, the operator (disputes), or the sweep (overdue reviews). */
export type Reviewer = { address: string; role: 'poster' | 'operator' | 'auto' }

/** An assignment with its job's on-chain id (locked when `lock`); 404 when there is none. */
export async function loadAssignment(tx: Queryable, assignmentId: string, lock = false): Promise<AssignmentRow> {
  const [a] = /^[0-9a-f-]{36}$/i.test(assignmentId)
    ? await tx.query<AssignmentRow>(`SELECT a.*, j.chain_job_id FROM assignments a JOIN jobs j ON j.id = a.job_id WHERE a.id = $1 ${lock ? 'FOR UPDATE OF a' : ''}`, [assignmentId])
    : []
  if (!a) throw new TaskMarketError('NOT_FOUND', 'id: no such assignment', { field: 'id', details: { reason: 'no such assignment' } })
  return a
}

/** `worker`'s own claimed assignment, still within its time; 403, 409 otherwise. */
export async function loadOwn(tx: Tx, worker: Address, assignmentId: string, { lock = false } = {}) {
  const a = await loadAssignment(tx, assignmentId, lock)
  if (getAddress(a.worker) !== getAddress(worker)) throw new TaskMarketError('FORBIDDEN', 'id: not your assignment', { field: 'id', details: { reason: 'not your assignment' } })
  if (a.status !== 'leased') throw conflict('id', `the assignment is ${viewStatus(a.status)}; it can no longer change`)
  if (new Date(a.lease_expires_at).getTime() <= tx.now.getTime()) throw conflict('id', 'the claim has expired; claim the task again if a slot is free')
  return a
}

export async function approvedCount(tx: Queryable, taskId: string) {
  const [row] = await tx.query<{ n: number }>(`SELECT count(*)::int AS n FROM assignments WHERE task_id = $1 AND status = 'valid'`, [taskId])
  return row?.n ?? 0
}

/** Tells the task's watchers that one of its assignments changed. */
export function publishAssignment(tx: Tx, taskId: string, assignmentId: string, status: string) {
  tx.publish(`task:${taskId}`, { type: 'ASSIGNMENT', taskId, assignmentId, status })
}

const VIEW_STATUS: Record<string, string> = { leased: 'claimed', valid: 'approved', invalid: 'rejected', cancelled: 'expired', error: 'rejected' }

/** The status a person sees for an assignment row's status. */
export function viewStatus(status: string) {
  return VIEW_STATUS[status] ?? status
}

/** The row statuses a person's view status stands for (the inverse of viewStatus). */
export function rowStatuses(view: string): string[] {
  // Over every row status: 'rejected' and 'expired' are row statuses of their own as well as views of others.
  return assignmentStates.filter((s) => viewStatus(s) === view)
}
