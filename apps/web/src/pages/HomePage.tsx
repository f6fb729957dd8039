import type { MarketStats } from '@taskmarket/sdk'
import { EmptyState, Loading } from '../components/Feedback.tsx'
import { client } from '../lib/api.ts'
import { SYMBOL, formatAmount } from '../lib/format.ts'
import { Link } from '../lib/router.tsx'
import { useSession } from '../state/session.tsx'
import { useAsync } from '../state/useAsync.ts'
import { TaskRow } from './MarketPage.tsx'

const steps = [
  { n: 1, title: 'Get tokens', text: 'Buy TASK with ETH (or use the faucet on a local chain).', to: '/wallet' },
  { n: 2, title: 'Deposit', text: 'Move tokens into your escrow balance; tasks are paid from it.', to: '/wallet' },
  { n: 3, title: 'Post a task', text: 'Render a scene, process data, run your WebAssembly: the reward is locked on chain.', to: '/tasks/new' },
  { n: 4, title: 'Get verified results', text: 'Several nodes compute each job; only results that agree are paid.', to: '/market' },
]

export function HomePage() {
  const session = useSession()
  const stats = useAsync(() => client.market.stats(), [], { intervalMs: 10_000 })
  const recent = useAsync(() => client.tasks.list({ limit: 5 }), [], { intervalMs: 10_000 })
  const s = stats.data as MarketStats | undefined
  return (
    <section className="page">
      <div className="hero">
        <div>
          <h1>Compute you can check, paid only when it is right.</h1>
          <p className="hero-text">
            Post rendering, data processing or your own WebAssembly. Independent nodes run every job; results that agree are paid from an on-chain escrow, and every payout is anchored on chain for
            anyone to verify.
          </p>
          <div className="actions actions-start">
            <Link to="/tasks/new" className="btn btn-primary btn-large">
              Post a task
            </Link>
            {session.status === 'signed-out' ? (
              <Link to="/signin" className="btn btn-secondary btn-large">
                Create an account
              </Link>
            ) : (
              <Link to="/market" className="btn btn-secondary btn-large">
                Browse the marketplace
              </Link>
            )}
          </div>
        </div>
        <dl className="hero-stats" aria-label="The market now">
          <div>
            <dt>Active nodes</dt>
            <dd>{s ? s.workers.active : '–'}</dd>
          </div>
          <div>
            <dt>Tasks completed</dt>
            <dd>{s ? s.tasks.completed.toLocaleString() : '–'}</dd>
          </div>
          <div>
            <dt>Paid to workers</dt>
            <dd>
              {s ? formatAmount(s.tokens.paid, 0) : '–'} <small>{SYMBOL}</small>
            </dd>
          </div>
        </dl>
      </div>

      <ol className="steps">
        {steps.map((st) => (
          <li key={st.n}>
            <Link to={st.to} className="step">
              <span className="step-n" aria-hidden="true">
                {st.n}
              </span>
              <span className="step-title">{st.title}</span>
              <span className="step-text">{st.text}</span>
            </Link>
          </li>
        ))}
      </ol>

      <div className="card">
        <div className="progress-head">
          <h2 className="card-title">Latest tasks</h2>
          <Link to="/market">See all →</Link>
        </div>
        {recent.loading && !recent.data ? (
          <Loading label="Loading tasks…" />
        ) : recent.data && recent.data.tasks.length > 0 ? (
          <ul className="task-list">
            {recent.data.tasks.map((t) => (
              <TaskRow key={t.task_id} task={t} />
            ))}
          </ul>
        ) : (
          <EmptyState title="No tasks yet" icon="◇">
            Be the first to post one.
          </EmptyState>
        )}
      </div>
    </section>
  )
}
