import type { AssignmentView } from '@taskmarket/core'
import { Countdown } from '../components/Countdown.tsx'
import { EmptyState, ErrorNote, Loading } from '../components/Feedback.tsx'
import { PaymentState } from '../components/PaymentState.tsx'
import { RequireSignIn } from '../components/RequireSignIn.tsx'
import { StatusBadge } from '../components/StatusBadge.tsx'
import { client } from '../lib/api.ts'
import { timeAgo } from '../lib/format.ts'
import { Link, href } from '../lib/router.tsx'
import { useSession } from '../state/session.tsx'
import { useAsync } from '../state/useAsync.ts'

/** What needs the worker first: work in hand, then work under review, then the rest, newest first. */
const order = ['claimed', 'submitted', 'disputed', 'approved', 'rejected', 'expired', 'released']

/** The signed-in person's assignments of manual tasks, each with its clock or its pay. */
export function WorkPage() {
  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>My work</h1>
          <p className="lead">Manual tasks you claimed, with the time left or where the review and the pay are. Pay lands in your escrow balance once it is settled on chain.</p>
        </div>
        <Link to="/market" query={{ kind: 'manual' }} className="btn btn-primary">
          Find work
        </Link>
      </div>
      <RequireSignIn why="Your work is kept under your account." next="/work">
        <WorkList />
      </RequireSignIn>
    </section>
  )
}

function WorkList() {
  const session = useSession()
  const work = useAsync(async () => (await client.work.mine()).assignments, [session.address, session.version], { intervalMs: 10_000, keep: true })
  if (work.loading && !work.data) return <Loading label="Loading your work…" />
  const list = [...(work.data ?? [])].sort((x, y) => order.indexOf(x.status) - order.indexOf(y.status) || y.claimed_at - x.claimed_at)
  return (
    <>
      <ErrorNote error={work.error} onRetry={work.reload} />
      {work.data && list.length === 0 ? (
        <EmptyState title="No work yet" icon="✎">
          <p>Claim a manual task or answer a poll in the marketplace.</p>
          <a className="btn btn-primary" href={href('/market', { kind: 'manual' })}>
            See manual tasks
          </a>
        </EmptyState>
      ) : (
        <ul className="task-list">
          {list.map((a) => (
            <WorkRow key={a.assignment_id} assignment={a} />
          ))}
        </ul>
      )}
    </>
  )
}

function WorkRow({ assignment: a }: { assignment: AssignmentView }) {
  return (
    <li>
      <a className="work-row" href={href(`/tasks/${a.task_id}`)} data-testid="work-row" data-status={a.status}>
        <span className="work-row-main">
          <span className="task-title">{a.task_title}</span>
          <span className="task-meta">
            {a.status === 'claimed' && a.expires_at ? (
              <>
                <Countdown until={a.expires_at} done="expired" /> left to submit
              </>
            ) : a.status === 'submitted' && a.review_due_at ? (
              <>
                waiting for review · approved by itself in <Countdown until={a.review_due_at} done="a moment" />
              </>
            ) : (
              `claimed ${timeAgo(a.claimed_at)}${a.reviewed_at ? ` · reviewed ${timeAgo(a.reviewed_at)}` : ''}`
            )}
          </span>
          <PaymentState payment={a.payment} />
        </span>
        <StatusBadge status={a.status} tone={a.status === 'released' ? 'neutral' : undefined} />
      </a>
    </li>
  )
}
