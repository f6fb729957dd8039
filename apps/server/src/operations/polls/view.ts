import { type PollPayload, TaskMarketError, passesGold } from '@taskmarket/core'
import { getAddress } from 'viem'
import type { Eligibility } from '../../services/eligibility.ts'
import { type TaskRow, takesWork } from '../payouts.ts'
import type { Tx } from '../tx.ts'

export type ViewPollParameters = { taskId: string; viewer: string | undefined; eligibility: Eligibility }

/** The poll as `viewer` may see it: counts only to the poster while open, to everyone once closed. */
export async function viewPoll(tx: Tx, { taskId, viewer, eligibility }: ViewPollParameters) {
  const [task] = /^[0-9a-f-]{36}$/i.test(taskId) ? await tx.query<TaskRow>('SELECT * FROM tasks WHERE id = $1', [taskId]) : []
  if (!task || task.kind !== 'poll' || !(await eligibility.maySee(tx, task, viewer))) throw new TaskMarketError('NOT_FOUND', 'id: no such poll', { field: 'id', details: { reason: 'no such poll' } })
  const payload = task.payload as PollPayload
  const closed = !['pending', 'in_progress'].includes(task.status)
  const isPoster = viewer !== undefined && getAddress(viewer) === getAddress(task.poster)
  const [mine] = viewer ? await tx.query<{ option: number; gold: number[] }>('SELECT option, gold FROM poll_votes WHERE task_id = $1 AND voter = $2', [task.id, getAddress(viewer)]) : []
  const counts = closed && task.result ? (task.result.counts as number[]) : isPoster ? await liveCounts(tx, task.id, payload.options.length) : null
  const canVote = Boolean(viewer) && !mine && takesWork(task, tx.now) && (await eligibility.mayTake(tx, task, viewer!))
  return {
    task_id: task.id,
    title: payload.title,
    options: payload.options,
    gold: (payload.gold ?? []).map(({ question, options }) => ({ question, options })),
    respondents: payload.respondents,
    votes: task.jobs_done,
    closed,
    reward_rule: payload.reward_rule ?? 'majority',
    selection: payload.selection ?? 'open',
    my_vote: mine?.option ?? null,
    // Told only once the poll is closed, so an open poll never hints at the gold answers.
    my_screened: closed && mine ? !passesGold(mine, payload.gold ?? []) : null,
    can_vote: canVote,
    counts,
    outcome: closed && task.result ? { winners: task.result.winners, paid: task.result.paid, screened: task.result.screened, amount_each: task.result.amount_each } : null,
  }
}

async function liveCounts(tx: Tx, taskId: string, n: number) {
  const rows = await tx.query<{ option: number; n: number }>('SELECT option, count(*)::int AS n FROM poll_votes WHERE task_id = $1 GROUP BY option', [taskId])
  const counts = Array.from({ length: n }, () => 0)
  for (const r of rows) counts[r.option] = r.n
  return counts
}

