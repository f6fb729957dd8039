import { randomUUID } from 'node:crypto'
import { invalid } from '@taskmarket/core'
import type { Address } from 'viem'
import type { Eligibility } from '../../services/eligibility.ts'
import { answerDigest, conflict as conflictOn, takeSlot, takesWork } from '../payouts.ts'
import { moveTasks } from '../status.ts'
import type { Tx } from '../tx.ts'
import { lockPoll, tallyAndPay } from './close.ts'

export type CastVoteParameters = { voter: Address; taskId: string; option: number; gold?: number[]; eligibility: Eligibility }

const conflict = (reason: string) => conflictOn('id', reason)

/** Records `voter`'s one vote (with the answers to the check questions); the vote that fills the poll closes it. */
export async function castVote(tx: Tx, { voter, taskId, option, gold = [], eligibility }: CastVoteParameters) {
  const task = await lockPoll(tx, taskId)
  if (task.escrow_state === 'awaiting') throw conflict('the reward is not locked in escrow yet; try again in a few seconds')
  if (!takesWork(task, tx.now)) throw conflict(`the poll is closed (${task.status})`)
  const { payload } = task
  if (option >= payload.options.length) throw invalid('option', `must be between 0 and ${payload.options.length - 1}`)
  const questions = payload.gold ?? []
  if (gold.length !== questions.length) throw invalid('gold', `answer each of the ${questions.length} check questions`)
  const bad = gold.findIndex((answer, i) => answer >= questions[i]!.options.length)
  if (bad >= 0) throw invalid(`gold.${bad}`, `must be between 0 and ${questions[bad]!.options.length - 1}`)
  await eligibility.assertMayTake(tx, task, voter)
  const [already] = await tx.query('SELECT 1 FROM poll_votes WHERE task_id = $1 AND voter = $2', [task.id, voter])
  if (already) throw conflict('you already voted in this poll')
  const slot = await takeSlot(tx, task.id)
  if (!slot) throw conflict('the poll has all its votes')
  const assignmentId = randomUUID()
  const answer = { option, gold }
  await tx.query(
    `INSERT INTO assignments (id, job_id, task_id, worker, status, lease_expires_at, answer, digest, submitted_at, progress)
     VALUES ($1, $2, $3, $4, 'submitted', $7, $5, $6, $7, 1)`,
    [assignmentId, slot, task.id, voter, JSON.stringify(answer), answerDigest(answer), tx.now],
  )
  await tx.query('INSERT INTO poll_votes (task_id, voter, option, gold, assignment_id) VALUES ($1, $2, $3, $4, $5)', [task.id, voter, option, gold, assignmentId])
  await moveTasks(tx, { ids: [task.id], to: 'in_progress', onlyFrom: ['pending'] })
  const [row] = await tx.query<{ jobs_done: number }>(`UPDATE tasks SET jobs_done = jobs_done + 1, updated_at = now() WHERE id = $1 RETURNING jobs_done`, [task.id])
  const votes = row!.jobs_done
  const closed = votes >= payload.respondents
  if (closed) await tallyAndPay(tx, task)
  tx.publish(`task:${task.id}`, { type: 'POLL_VOTE', taskId: task.id, votes })
  return { accepted: true as const, votes, closed }
}
