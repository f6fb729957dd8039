import { type PollPayload, TaskMarketError, equalShare, formatTokens, invalid, netPay, tallyPoll } from '@taskmarket/core'
import type { Queryable } from '@taskmarket/db'
import { type Address, getAddress } from 'viem'
import { type TaskRow, conflict, lockTask, queuePayments } from '../payouts.ts'
import { failTask } from '../tasks/fail.ts'
import { moveAssignments, moveJobs, moveTasks } from '../status.ts'
import type { Tx } from '../tx.ts'

export type PollRow = TaskRow & { payload: PollPayload }

/** Locks a poll's task row for the rest of the transaction; 404 or 400 when it is not a poll. */
export async function lockPoll(tx: Queryable, taskId: string): Promise<PollRow> {
  const task = await lockTask(tx, taskId)
  if (task.kind !== 'poll') throw invalid('id', 'is not a poll')
  return task as PollRow
}

export type ClosePollParameters = { poster: Address; taskId: string }

/** The poster closes the poll before it fills. */
export async function closePoll(tx: Tx, { poster, taskId }: ClosePollParameters): Promise<void> {
  const task = await lockPoll(tx, taskId)
  if (getAddress(task.poster) !== getAddress(poster)) throw new TaskMarketError('FORBIDDEN', 'id: only the poll’s poster closes it', { field: 'id', details: { reason: 'not your poll' } })
  if (task.escrow_state !== 'locked' || !['pending', 'in_progress'].includes(task.status)) throw conflict('id', `the poll is already ${task.status}`)
  await tallyAndPay(tx, task)
}

/** Polls past their deadline, still open (a hundred at a time). */
export async function pollsDue(tx: Tx): Promise<string[]> {
  const due = await tx.query<{ id: string }>(`SELECT id FROM tasks WHERE kind = 'poll' AND escrow_state = 'locked' AND status IN ('pending', 'in_progress') AND deadline < $1 LIMIT 100`, [tx.now])
  return due.map((t) => t.id)
}

/** Closes a poll whose deadline passed, unless it closed meanwhile. */
export async function closeDuePoll(tx: Tx, { taskId }: { taskId: string }): Promise<void> {
  const task = await lockPoll(tx, taskId)
  if (['pending', 'in_progress'].includes(task.status)) await tallyAndPay(tx, task)
}

/** Tallies the votes and queues the payout (or the refund when nobody is paid). */
export async function tallyAndPay(tx: Tx, task: PollRow) {
  const { payload } = task
  const votes = await tx.query<{ voter: Address; option: number; gold: number[]; assignment_id: string; job_id: string; chain_job_id: `0x${string}`; digest: `0x${string}` }>(
    `SELECT v.voter, v.option, v.gold, v.assignment_id, a.job_id, j.chain_job_id, a.digest FROM poll_votes v
     JOIN assignments a ON a.id = v.assignment_id JOIN jobs j ON j.id = a.job_id WHERE v.task_id = $1 ORDER BY v.created_at, v.voter`,
    [task.id],
  )
  const outcome = tallyPoll(payload.options.length, votes, (payload.gold ?? []).map((q: { answer: number }) => ({ answer: q.answer })), payload.reward_rule ?? 'majority')
  const paid = new Set(outcome.paid)
  const ofVoters = (voters: boolean) => votes.filter((v) => paid.has(v.voter) === voters).map((v) => v.assignment_id)
  await moveAssignments(tx, { ids: ofVoters(true), from: ['submitted'], to: 'valid' })
  await moveAssignments(tx, { ids: ofVoters(false), from: ['submitted'], to: 'invalid' })
  const voted = new Set(votes.map((v) => v.job_id))
  const open = await tx.query<{ id: string }>(`SELECT id FROM jobs WHERE task_id = $1 AND status = 'open'`, [task.id])
  await moveJobs(tx, { ids: open.filter((j) => voted.has(j.id)).map((j) => j.id), from: ['open'], to: 'valid' })
  await moveJobs(tx, { ids: open.filter((j) => !voted.has(j.id)).map((j) => j.id), from: ['open'], to: 'cancelled' })
  const amountEach = equalShare(BigInt(task.reward), paid.size)
  const result = { counts: outcome.counts, winners: outcome.winners, paid: outcome.paid, screened: outcome.screened.length, amount_each: formatTokens(netPay(amountEach)) }
  await tx.query(`UPDATE tasks SET result = $2, updated_at = now() WHERE id = $1`, [task.id, JSON.stringify(result)])
  if (paid.size === 0) {
    await failTask(tx, { taskId: task.id, reason: votes.length ? 'no respondent passed the check questions' : 'nobody voted' })
    return
  }
  await moveTasks(tx, { ids: [task.id], to: 'verifying' })
  await queuePayments(tx, task, {
    key: `settle:${task.id}`,
    amountEach,
    payees: votes.filter((v) => paid.has(v.voter)).map((v) => ({ worker: v.voter, assignment_id: v.assignment_id })),
    records: votes.map((v) => ({ job_id: v.job_id, chain_job_id: v.chain_job_id, worker: v.voter, digest: v.digest, accepted: paid.has(v.voter) })),
    close: true,
  })
  tx.publish(`task:${task.id}`, { type: 'TASK_PROGRESS', taskId: task.id, status: 'verifying', jobsDone: votes.length, jobsTotal: payload.respondents })
}
