import type { AssignmentView, ManualPayload, TaskView } from '@taskmarket/core'
import { useRef } from 'react'
import { Countdown } from '../../../components/Countdown.tsx'
import { ErrorNote, Loading, Notice } from '../../../components/Feedback.tsx'
import { PaymentState } from '../../../components/PaymentState.tsx'
import { StatusBadge } from '../../../components/StatusBadge.tsx'
import { client } from '../../../lib/api.ts'
import { useAction } from '../../../state/useAction.ts'
import { href } from '../../../lib/router.tsx'
import { useSession } from '../../../state/session.tsx'
import { useRevealOnMount } from '../../../state/useRevealOnMount.ts'
import { useAsync } from '../../../state/useAsync.ts'
import { useLiveTask } from '../../../state/useLiveTask.ts'
import { TaskHeader } from '../TaskHeader.tsx'
import { AssignmentProofs } from './AssignmentProofs.tsx'
import { ManualBrief } from './ManualBrief.tsx'
import { ReviewList } from './ReviewList.tsx'
import { WorkPanel } from './WorkPanel.tsx'

/**
 * A manual task: the brief for everyone; for a worker, Claim and then the work panel; for the poster, every
 * assignment to review. Live events of the task reload both.
 */
export function ManualTaskPage({ task, reloadTask }: { task: TaskView; reloadTask: () => Promise<void> }) {
  const session = useSession()
  const id = task.task_id
  const payload = task.payload as ManualPayload
  const signedIn = session.status === 'signed-in'
  const isPoster = signedIn && session.address?.toLowerCase() === task.poster.toLowerCase()
  // The poster sees every assignment; a worker, their own on this task.
  const assignments = useAsync(async () => (await client.work.ofTask(id)).assignments, [id, session.address], { enabled: signedIn, keep: true, intervalMs: 15_000 })
  const { live } = useLiveTask(id, () => {
    void reloadTask()
    void assignments.reload()
  })
  const changed = () => {
    void assignments.reload()
    void reloadTask()
    session.notifyChange()
  }

  return (
    <section className="page">
      <TaskHeader task={task} title={payload.title} live={live} />
      {task.status === 'disputed' && <Notice kind="warn">A dispute is open: the task is frozen on chain until an operator resolves it.</Notice>}
      {isPoster ? (
        <div className="grid-2 grid-wide-left">
          <div className="stack">
            <ErrorNote error={assignments.error} onRetry={assignments.reload} />
            {assignments.data ? <ReviewList assignments={assignments.data} payload={payload} onChanged={changed} /> : <Loading label="Loading the work done…" />}
          </div>
          <ManualBrief task={task} forPoster />
        </div>
      ) : (
        <div className="grid-2 grid-wide-left">
          <ManualBrief task={task} />
          {/* On a phone, work in hand (or just sent) comes before the brief. */}
          <div className={`stack${assignments.data?.some((a) => a.status !== 'released' && a.status !== 'expired') ? ' stack-first' : ''}`}>
            <ErrorNote error={assignments.error} onRetry={assignments.reload} />
            <WorkerSide task={task} mine={assignments.data} loading={signedIn && assignments.loading && !assignments.data} onChanged={changed} />
          </div>
        </div>
      )}
    </section>
  )
}

function WorkerSide({ task, mine, loading, onChanged }: { task: TaskView; mine?: AssignmentView[]; loading: boolean; onChanged: () => void }) {
  const session = useSession()
  const payload = task.payload as ManualPayload
  if (session.status === 'loading' || loading) return <Loading label="Loading your work…" />
  if (session.status === 'signed-out')
    return (
      <div className="card claim claim-bar">
        <p>Sign in to take this task. You need no tokens to work: you are paid into your escrow balance.</p>
        <a className="btn btn-primary btn-block btn-large" href={href('/signin', { next: `/tasks/${task.task_id}` })}>
          Sign in to claim
        </a>
      </div>
    )
  const active = mine?.find((a) => a.status === 'claimed')
  if (active) return <WorkPanel assignment={active} payload={payload} onChanged={onChanged} />
  // One assignment per person and task: once submitted, it is theirs to follow, not to claim again.
  const done = mine?.filter((a) => a.status !== 'released' && a.status !== 'expired').sort((x, y) => y.claimed_at - x.claimed_at)[0]
  if (done) return <MyAssignment assignment={done} payload={payload} />
  return <ClaimCard task={task} onClaimed={onChanged} />
}

function ClaimCard({ task, onClaimed }: { task: TaskView; onClaimed: () => void }) {
  const { busy, failure, run } = useAction()
  const minutes = (task.payload as ManualPayload).assignment_minutes ?? 120
  const open = ['pending', 'in_progress'].includes(task.status) && task.deadline > Date.now() / 1000
  if (!open) return <Notice kind="info">This task no longer takes claims ({task.status.replace('_', ' ')}).</Notice>
  if (task.escrow.state !== 'locked') return <Notice kind="info">The reward is being locked in escrow on chain; the task opens in a few seconds.</Notice>
  const claim = () => run(async () => {
    await client.work.claim(task.task_id)
    onClaimed()
  })
  return (
    <div className="card claim claim-bar">
      <p className="small muted">Claiming keeps a slot for you for {minutes} minutes; you are paid once the poster approves.</p>
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <button type="button" className="btn btn-primary btn-block btn-large" disabled={busy} onClick={() => void claim()}>
        {busy ? 'Claiming…' : 'Claim this task'}
      </button>
    </div>
  )
}

const explain: Record<string, string> = {
  submitted: 'Sent. The poster reviews it; if they do not, it is approved by itself.',
  approved: 'Approved. The pay goes to your escrow balance once the settlement is on chain.',
  paid: 'Approved and paid into your escrow balance.',
  rejected: 'Rejected by the poster; you were not paid for it.',
  disputed: 'The poster disputed it; an operator will look at the proofs and decide.',
}

function MyAssignment({ assignment: a, payload }: { assignment: AssignmentView; payload: ManualPayload }) {
  // Right after submitting, this replaces the work panel: on a phone its top may be far above.
  const card = useRef<HTMLDivElement>(null)
  useRevealOnMount(card)
  return (
    <div ref={card} className="card" data-testid="my-assignment">
      <div className="work-head">
        <h2 className="card-title">Your work</h2>
        <StatusBadge status={a.status} tone={a.status === 'released' ? 'neutral' : undefined} />
      </div>
      <p className="small">{explain[a.payment.state === 'paid' ? 'paid' : a.status]}</p>
      {a.status === 'submitted' && a.review_due_at && (
        <p className="small muted">
          Approved by itself in <Countdown until={a.review_due_at} done="a moment" />
        </p>
      )}
      {a.review?.reason && (
        <p className="small">
          <strong>Reason:</strong> {a.review.reason}
        </p>
      )}
      <PaymentState payment={a.payment} />
      <AssignmentProofs assignment={a} payload={payload} />
    </div>
  )
}
