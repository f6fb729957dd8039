import type { PollPayload, PollView, TaskView } from '@taskmarket/core'
import { Countdown } from '../../../components/Countdown.tsx'
import { ErrorNote, Loading, Notice } from '../../../components/Feedback.tsx'
import { ProgressBar } from '../../../components/ProgressBar.tsx'
import { client } from '../../../lib/api.ts'
import { useAction } from '../../../state/useAction.ts'
import { SYMBOL, formatAmount, formatDateTime } from '../../../lib/format.ts'
import { href } from '../../../lib/router.tsx'
import { taskTiming } from '../../../lib/taskStatus.ts'
import { useSession } from '../../../state/session.tsx'
import { useAsync } from '../../../state/useAsync.ts'
import { useLiveTask } from '../../../state/useLiveTask.ts'
import { TaskHeader } from '../TaskHeader.tsx'
import { PollBars } from './PollBars.tsx'
import { VoteForm } from './VoteForm.tsx'

/**
 * A poll: the question and its options to vote on; the poster's live counts and Close button; the result
 * (winners, who was paid and how much) once closed. Votes arrive live.
 */
export function PollTaskPage({ task, reloadTask }: { task: TaskView; reloadTask: () => Promise<void> }) {
  const session = useSession()
  const id = task.task_id
  const poll = useAsync(() => client.polls.get(id), [id, session.address, session.version], { keep: true, intervalMs: 15_000 })
  const { live } = useLiveTask(id, () => {
    void reloadTask()
    void poll.reload()
  })
  const payload = task.payload as PollPayload
  const isPoster = session.address?.toLowerCase() === task.poster.toLowerCase()
  const changed = () => {
    void poll.reload()
    void reloadTask()
  }
  const p = poll.data
  return (
    <section className="page">
      <TaskHeader task={task} title={p?.title ?? payload.title} live={live} />
      <ErrorNote error={poll.error} onRetry={poll.reload} />
      {!p ? (
        <Loading label="Loading the poll…" />
      ) : (
        <div className="grid-2 grid-wide-left">
          <div className="stack">
            {payload.description && <p className="card brief-text">{payload.description}</p>}
            {p.closed ? (
              <Results poll={p} task={task} />
            ) : p.can_vote ? (
              <VoteForm poll={p} onVoted={changed} />
            ) : (
              <CannotVote poll={p} task={task} isPoster={isPoster} signedIn={session.status === 'signed-in'} />
            )}
          </div>
          <PollStatus poll={p} task={task} isPoster={isPoster} onClosed={changed} />
        </div>
      )}
    </section>
  )
}

function PollStatus({ poll: p, task, isPoster, onClosed }: { poll: PollView; task: TaskView; isPoster: boolean; onClosed: () => void }) {
  const { busy, failure, run } = useAction()
  const close = () => run(async () => {
    await client.polls.close(p.task_id)
    onClosed()
  })
  return (
    <div className="card">
      <div className="work-head">
        <h2 className="card-title">{p.closed ? 'Closed' : 'Votes'}</h2>
        <span className="small" data-testid="poll-votes">
          {p.votes} of {p.respondents}
        </span>
      </div>
      <ProgressBar value={p.votes / p.respondents} label="Votes so far" tone={p.closed ? 'success' : 'brand'} />
      <dl className="kv small">
        <dt>Paid</dt>
        <dd>{p.reward_rule === 'all' ? 'every counted respondent' : 'the voters of the winning option'}</dd>
        <dt>Who may vote</dt>
        <dd>{p.selection === 'random' ? 'people drawn at random among those who qualify' : 'anyone who qualifies'}</dd>
        <dt>{p.closed ? taskTiming(task).label : 'Closes in'}</dt>
        <dd>{p.closed ? formatDateTime(taskTiming(task).at) : <Countdown until={task.deadline} done="closing" />}</dd>
      </dl>
      {isPoster && !p.closed && p.counts && (
        <>
          <h3 className="brief-label">Live counts (only you see them)</h3>
          <PollBars options={p.options} counts={p.counts} />
          {failure && (
            <p className="field-error" role="alert">
              {failure}
            </p>
          )}
          <button type="button" className="btn btn-secondary btn-block" disabled={busy} onClick={() => void close()}>
            {busy ? 'Closing…' : 'Close the poll now'}
          </button>
        </>
      )}
    </div>
  )
}

function Results({ poll: p, task }: { poll: PollView; task: TaskView }) {
  const session = useSession()
  const o = p.outcome
  return (
    <div className="card" data-testid="poll-results">
      <h2 className="card-title">Result</h2>
      <MyStanding poll={p} />
      {p.counts && <PollBars options={p.options} counts={p.counts} winners={o?.winners} mine={p.my_vote ?? undefined} />}
      {o && (
        <>
          <p className="small" data-testid="poll-paid">
            {o.paid.length === 0 ? 'Nobody was paid; the reward went back to the poster.' : `${o.paid.length} ${o.paid.length === 1 ? 'voter' : 'voters'} paid ${formatAmount(o.amount_each)} ${SYMBOL} each`}
            {o.screened > 0 && ` · ${o.screened} screened out by the gold questions`}
            {task.status === 'verifying' && ' · settling on chain…'}
            {task.status === 'completed' && ' · settled on chain ✓'}
          </p>
          {o.paid.length > 0 && (
            <ul className="paid-list small">
              {o.paid.map((address) => (
                <li key={address}>
                  <code title={address}>{address}</code>
                  {address.toLowerCase() === session.address?.toLowerCase() && <span className="badge badge-success">you</span>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {task.failure_reason && <p className="small muted">{task.failure_reason}</p>}
    </div>
  )
}

/** What became of the viewer's own vote: screened out by a gold question, counted but unpaid, or paid. */
function MyStanding({ poll: p }: { poll: PollView }) {
  const session = useSession()
  if (p.my_vote === null || !p.outcome) return null
  const yours = `You voted “${p.options[p.my_vote]}”`
  const paid = p.outcome.paid.some((a) => a.toLowerCase() === session.address?.toLowerCase())
  return (
    <div className="my-standing" data-testid="my-standing">
      {p.my_screened ? (
        <Notice kind="warn" title="Your vote was not counted">
          {yours}, but you missed {p.gold.length === 1 ? 'the check question' : 'a check question'} (a question the poster knows the answer to), so your vote was screened out: not counted and not paid.
        </Notice>
      ) : (
        <Notice kind={paid ? 'success' : 'info'}>
          {yours}; it was counted{paid ? ` and paid ${formatAmount(p.outcome.amount_each)} ${SYMBOL}.` : p.reward_rule === 'all' ? '.' : ', but another option won, so it was not paid.'}
        </Notice>
      )}
    </div>
  )
}

function CannotVote({ poll: p, task, isPoster, signedIn }: { poll: PollView; task: TaskView; isPoster: boolean; signedIn: boolean }) {
  if (p.my_vote !== null)
    return (
      <div className="card" data-testid="my-vote">
        <h2 className="card-title">Your vote</h2>
        <p className="vote-mine">{p.options[p.my_vote]}</p>
        <p className="small muted">The result and the pay come when the poll closes: at {p.respondents} votes or at its deadline.</p>
      </div>
    )
  if (!signedIn)
    return (
      <div className="card claim">
        <p>Sign in to vote. You are paid into your escrow balance if your answer is with the majority.</p>
        <a className="btn btn-primary btn-block btn-large" href={href('/signin', { next: `/tasks/${task.task_id}` })}>
          Sign in to vote
        </a>
      </div>
    )
  if (isPoster) return <Notice kind="info">This is your poll: you see the counts, others vote.</Notice>
  if (task.escrow.state !== 'locked') return <Notice kind="info">The reward is being locked in escrow on chain; voting opens in a few seconds.</Notice>
  return <Notice kind="info">{p.selection === 'random' ? 'You were not drawn to answer this poll.' : 'Your profile does not meet this poll’s rules, so you cannot vote on it.'}</Notice>
}
