import { randomInt, randomUUID } from 'node:crypto'
import { type PollPayload, TaskMarketError, equalShare, formatTokens, invalid, netPay, passesGold, qualifies, tallyPoll } from '@taskmarket/core'
import type { Database, Queryable } from '@taskmarket/db'
import { type Address, getAddress } from 'viem'
import type { Eligibility } from './eligibility.ts'
import type { EventBus } from './events.ts'
import { type TaskRow, answerDigest, conflict as conflictOn, lockTask, queuePayments, takeSlot, takesWork } from './payouts.ts'
import { moveTasks } from './taskStatus.ts'

/** A poll drawn at random invites this many people per respondent it wants, so a few silent ones do not stall it. */
export const INVITES_PER_RESPONDENT = 2

type OnTaskFailed = (tx: Queryable, taskId: string, reason: string) => Promise<void>

/**
 * Polls (seed 002's Task-Net): one vote per person; the poll closes when its respondents have voted, when
 * the poster closes it or at its deadline. Closing tallies the votes (gold questions screen respondents
 * out) and pays the majority's voters (or every counted one) an equal share through the escrow; if nobody
 * is paid, the reward is refunded. Tie rule: the voters of every tied option share the reward.
 */
export function createPolls({ db, events, eligibility, onTaskFailed }: { db: Database; events: EventBus; eligibility: Eligibility; onTaskFailed: OnTaskFailed }) {
  async function lockPoll(tx: Queryable, taskId: string): Promise<TaskRow & { payload: PollPayload }> {
    const task = await lockTask(tx, taskId)
    if (task.kind !== 'poll') throw invalid('id', 'is not a poll')
    return task as TaskRow & { payload: PollPayload }
  }

  /** Records `voter`'s one vote; the vote that fills the poll closes it. */
  async function vote(voter: Address, taskId: string, option: number, gold: number[] = []) {
    const result = await db.transaction(async (tx) => {
      const task = await lockPoll(tx, taskId)
      if (task.escrow_state === 'awaiting') throw conflict('the reward is not locked in escrow yet; try again in a few seconds')
      if (!takesWork(task)) throw conflict(`the poll is closed (${task.status})`)
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
         VALUES ($1, $2, $3, $4, 'submitted', now(), $5, $6, now(), 1)`,
        [assignmentId, slot, task.id, voter, JSON.stringify(answer), answerDigest(answer)],
      )
      await tx.query('INSERT INTO poll_votes (task_id, voter, option, gold, assignment_id) VALUES ($1, $2, $3, $4, $5)', [task.id, voter, option, gold, assignmentId])
      const [row] = await tx.query<{ jobs_done: number }>(`UPDATE tasks SET jobs_done = jobs_done + 1, status = 'in_progress', updated_at = now() WHERE id = $1 RETURNING jobs_done`, [task.id])
      const votes = row!.jobs_done
      const closed = votes >= payload.respondents
      if (closed) await closeIn(tx, task)
      return { votes, closed }
    })
    events.publish(`task:${taskId}`, { type: 'POLL_VOTE', taskId, votes: result.votes })
    return { accepted: true as const, ...result }
  }

  /** The poster closes the poll before it fills. */
  async function close(poster: Address, taskId: string) {
    await db.transaction(async (tx) => {
      const task = await lockPoll(tx, taskId)
      if (getAddress(task.poster) !== getAddress(poster)) throw new TaskMarketError('FORBIDDEN', 'id: only the poll’s poster closes it', { field: 'id', details: { reason: 'not your poll' } })
      if (task.escrow_state !== 'locked' || !['pending', 'in_progress'].includes(task.status)) throw conflict(`the poll is already ${task.status}`)
      await closeIn(tx, task)
    })
  }

  /** Tallies and queues the payout (or the refund when nobody is paid). */
  async function closeIn(tx: Queryable, task: TaskRow & { payload: PollPayload }) {
    const { payload } = task
    const votes = await tx.query<{ voter: Address; option: number; gold: number[]; assignment_id: string; job_id: string; chain_job_id: `0x${string}`; digest: `0x${string}` }>(
      `SELECT v.voter, v.option, v.gold, v.assignment_id, a.job_id, j.chain_job_id, a.digest FROM poll_votes v
       JOIN assignments a ON a.id = v.assignment_id JOIN jobs j ON j.id = a.job_id WHERE v.task_id = $1 ORDER BY v.created_at, v.voter`,
      [task.id],
    )
    const outcome = tallyPoll(payload.options.length, votes, (payload.gold ?? []).map((q: { answer: number }) => ({ answer: q.answer })), payload.reward_rule ?? 'majority')
    const paid = new Set(outcome.paid)
    await tx.query(`UPDATE assignments SET status = CASE WHEN worker = ANY($2::text[]) THEN 'valid' ELSE 'invalid' END WHERE task_id = $1 AND status = 'submitted'`, [task.id, [...paid]])
    await tx.query(`UPDATE jobs SET status = CASE WHEN issued > 0 THEN 'valid' ELSE 'cancelled' END, updated_at = now() WHERE task_id = $1 AND status = 'open'`, [task.id])
    const amountEach = equalShare(BigInt(task.reward), paid.size)
    const result = { counts: outcome.counts, winners: outcome.winners, paid: outcome.paid, screened: outcome.screened.length, amount_each: formatTokens(netPay(amountEach)) }
    await tx.query(`UPDATE tasks SET result = $2, updated_at = now() WHERE id = $1`, [task.id, JSON.stringify(result)])
    if (paid.size === 0) {
      await onTaskFailed(tx, task.id, votes.length ? 'no respondent passed the check questions' : 'nobody voted')
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
    events.publish(`task:${task.id}`, { type: 'TASK_PROGRESS', taskId: task.id, status: 'verifying', jobsDone: votes.length, jobsTotal: payload.respondents })
  }

  /** Once the escrow is locked, a poll drawn at random invites its respondents. */
  async function onActivated(tx: Queryable, taskId: string) {
    const [task] = await tx.query<TaskRow>('SELECT * FROM tasks WHERE id = $1', [taskId])
    if (!task || task.kind !== 'poll' || task.payload.selection !== 'random') return
    const people = await tx.query<{ address: string }>(
      'SELECT address FROM profiles p WHERE address <> $1 AND NOT EXISTS (SELECT 1 FROM blocks b WHERE b.poster = $1 AND b.worker = p.address)',
      [task.poster],
    )
    const pool: string[] = []
    for (const { address } of people) {
      if (!task.qualifications?.length || qualifies(await eligibility.descriptorsOf(tx, address), task.qualifications)) pool.push(address)
    }
    const drawn = sample(pool, task.payload.respondents * INVITES_PER_RESPONDENT)
    await tx.query('INSERT INTO poll_invites (task_id, address) SELECT $1, unnest($2::text[]) ON CONFLICT DO NOTHING', [taskId, drawn])
  }

  /** Closes polls past their deadline. */
  async function sweep() {
    const due = await db.query<{ id: string }>(`SELECT id FROM tasks WHERE kind = 'poll' AND escrow_state = 'locked' AND status IN ('pending', 'in_progress') AND deadline < now() LIMIT 100`)
    for (const { id } of due) {
      await db.transaction(async (tx) => {
        const task = await lockPoll(tx, id)
        if (['pending', 'in_progress'].includes(task.status)) await closeIn(tx, task)
      })
    }
    return due.length
  }

  /** The poll as `viewer` may see it: counts only to the poster while open, to everyone once closed. */
  async function view(taskId: string, viewer: string | undefined) {
    const [task] = /^[0-9a-f-]{36}$/i.test(taskId) ? await db.query<TaskRow>('SELECT * FROM tasks WHERE id = $1', [taskId]) : []
    if (!task || task.kind !== 'poll' || !(await eligibility.maySee(db, task, viewer))) throw new TaskMarketError('NOT_FOUND', 'id: no such poll', { field: 'id', details: { reason: 'no such poll' } })
    const payload = task.payload as PollPayload
    const closed = !['pending', 'in_progress'].includes(task.status)
    const isPoster = viewer !== undefined && getAddress(viewer) === getAddress(task.poster)
    const [mine] = viewer ? await db.query<{ option: number; gold: number[] }>('SELECT option, gold FROM poll_votes WHERE task_id = $1 AND voter = $2', [task.id, getAddress(viewer)]) : []
    const counts = closed && task.result ? (task.result.counts as number[]) : isPoster ? await liveCounts(task.id, payload.options.length) : null
    const canVote = Boolean(viewer) && !mine && takesWork(task) && (await eligibility.mayTake(db, task, viewer!))
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

  async function liveCounts(taskId: string, n: number) {
    const rows = await db.query<{ option: number; n: number }>('SELECT option, count(*)::int AS n FROM poll_votes WHERE task_id = $1 GROUP BY option', [taskId])
    const counts = Array.from({ length: n }, () => 0)
    for (const r of rows) counts[r.option] = r.n
    return counts
  }

  return { vote, close, onActivated, sweep, view }
}

export type Polls = ReturnType<typeof createPolls>

const conflict = (reason: string) => conflictOn('id', reason)

/** Up to `n` distinct items drawn uniformly at random (partial Fisher–Yates with a CSPRNG). */
function sample<T>(items: T[], n: number): T[] {
  const a = [...items]
  const k = Math.min(n, a.length)
  for (let i = 0; i < k; i++) {
    const j = i + randomInt(a.length - i)
    ;[a[i], a[j]] = [a[j]!, a[i]!]
  }
  return a.slice(0, k)
}
