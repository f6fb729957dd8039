import type { AssignmentView, ManualPayload } from '@taskmarket/core'
import { useState } from 'react'
import { Countdown } from '../../../components/Countdown.tsx'
import { EmptyState } from '../../../components/Feedback.tsx'
import { Hex } from '../../../components/Hex.tsx'
import { PaymentState } from '../../../components/PaymentState.tsx'
import { StatusBadge } from '../../../components/StatusBadge.tsx'
import { client } from '../../../lib/api.ts'
import { useAction } from '../../../state/useAction.ts'
import { timeAgo } from '../../../lib/format.ts'
import { AssignmentProofs } from './AssignmentProofs.tsx'
import { ReasonDialog } from './ReasonDialog.tsx'

/** Work waiting for the poster first, then what is under way, then what is settled. */
const order = ['submitted', 'disputed', 'claimed', 'approved', 'rejected', 'expired', 'released']

type Props = { assignments: AssignmentView[]; payload: ManualPayload; onChanged: () => void }

/** The poster's view of a manual task: every assignment with its proofs, to approve, reject or dispute. */
export function ReviewList({ assignments, payload, onChanged }: Props) {
  const sorted = [...assignments].sort((x, y) => order.indexOf(x.status) - order.indexOf(y.status) || y.claimed_at - x.claimed_at)
  const waiting = assignments.filter((a) => a.status === 'submitted').length
  return (
    <div className="card">
      <div className="work-head">
        <h2 className="card-title">Work done</h2>
        {waiting > 0 && <span className="badge badge-violet">{waiting} to review</span>}
      </div>
      {sorted.length === 0 ? (
        <EmptyState title="Nobody has claimed it yet" icon="✎">
          <p>Assignments appear here as people claim them, live.</p>
        </EmptyState>
      ) : (
        <ul className="assignments">
          {sorted.map((a) => (
            <AssignmentCard key={a.assignment_id} assignment={a} payload={payload} onChanged={onChanged} />
          ))}
        </ul>
      )}
    </div>
  )
}

type Dialog = 'reject' | 'dispute' | 'block'

function AssignmentCard({ assignment: a, payload, onChanged }: { assignment: AssignmentView; payload: ManualPayload; onChanged: () => void }) {
  const [dialog, setDialog] = useState<Dialog>()
  const { busy, failure, run } = useAction()
  const [blocked, setBlocked] = useState(false)
  const [rating, setRating] = useState('')
  const approve = () => run(async () => {
    await client.work.approve(a.assignment_id, rating ? { rating: Number(rating) } : {})
    onChanged()
  })
  const actions: Record<Dialog, { title: string; explain: string; action: string; run: (reason: string) => Promise<unknown>; optional?: boolean }> = {
    reject: { title: 'Reject this work', explain: 'The worker is not paid and the slot goes back to the pool for someone else.', action: 'Reject', run: (r) => client.work.reject(a.assignment_id, r) },
    dispute: { title: 'Dispute this work', explain: 'The task is frozen on chain until an operator looks at the proofs and decides who is right.', action: 'Open a dispute', run: (r) => client.work.dispute(a.assignment_id, r) },
    block: { title: 'Block this worker', explain: 'They will not see or take your tasks any more. You can unblock them on your profile.', action: 'Block', optional: true, run: (r) => client.profiles.block(a.worker, r || undefined).then(() => setBlocked(true)) },
  }
  const open = dialog && actions[dialog]
  return (
    <li className="assignment" data-testid="assignment" data-status={a.status}>
      <div className="assignment-head">
        <StatusBadge status={a.status} tone={a.status === 'released' ? 'neutral' : undefined} />
        <Hex value={a.worker} />
        <span className="muted small">
          {a.submitted_at ? `submitted ${timeAgo(a.submitted_at)}` : `claimed ${timeAgo(a.claimed_at)}`}
        </span>
      </div>
      {a.status === 'claimed' && a.expires_at && (
        <p className="small muted">
          Working on it · <Countdown until={a.expires_at} done="expiring" /> left
        </p>
      )}
      {a.status !== 'claimed' && <AssignmentProofs assignment={a} payload={payload} />}
      {a.status === 'submitted' && a.review_due_at && (
        <p className="small muted">
          Auto-approves in <Countdown until={a.review_due_at} done="a moment" />
        </p>
      )}
      {a.review?.rating && (
        <p className="small" aria-label={`Rated ${a.review.rating} of 5`}>
          <strong>Rating:</strong> {'★'.repeat(a.review.rating)}
          {'☆'.repeat(5 - a.review.rating)}
        </p>
      )}
      {a.review?.reason && (
        <p className="small">
          <strong>{a.status === 'disputed' ? 'Dispute' : 'Reason'}:</strong> {a.review.reason}
        </p>
      )}
      <PaymentState payment={a.payment} />
      {failure && (
        <p className="field-error" role="alert">
          {failure}
        </p>
      )}
      <div className="assignment-actions">
        {a.status === 'submitted' && (
          <>
            <select aria-label="Rating (counts in the worker’s reputation)" value={rating} onChange={(e) => setRating(e.target.value)}>
              <option value="">No rating</option>
              {[5, 4, 3, 2, 1].map((n) => (
                <option key={n} value={n}>
                  {'★'.repeat(n)} {n}
                </option>
              ))}
            </select>
            <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void approve()}>
              {busy ? 'Approving…' : 'Approve'}
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setDialog('reject')}>
              Reject
            </button>
            <button type="button" className="btn btn-ghost" onClick={() => setDialog('dispute')}>
              Dispute
            </button>
          </>
        )}
        <button type="button" className="btn btn-ghost btn-small assignment-block" disabled={blocked} onClick={() => setDialog('block')}>
          {blocked ? 'Blocked' : 'Block worker'}
        </button>
      </div>
      {open && (
        <ReasonDialog
          title={open.title}
          explain={open.explain}
          action={open.action}
          danger
          optional={open.optional}
          onConfirm={async (reason) => {
            await open.run(reason)
            onChanged()
          }}
          onClose={() => setDialog(undefined)}
        />
      )}
    </li>
  )
}
