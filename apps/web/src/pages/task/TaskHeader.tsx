import type { TaskView } from '@taskmarket/core'
import type { ReactNode } from 'react'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { SYMBOL, formatAmount, timeAgo } from '../../lib/format.ts'
import { Link } from '../../lib/router.tsx'
import { statusWord, taskTiming } from '../../lib/taskStatus.ts'
import { useSession } from '../../state/session.tsx'
import { kinds } from '../create/CreateTaskPage.tsx'

/** The head of every task page: where it sits, its title, status, reward, and whether updates are live. */
export function TaskHeader({ task: t, title, live }: { task: TaskView; title: ReactNode; live: boolean }) {
  const session = useSession()
  const mine = session.address?.toLowerCase() === t.poster.toLowerCase()
  const kind = kinds.find((k) => k.kind === t.challenge_type)
  const timing = taskTiming(t)
  const ended = timing.at && timing.at !== t.deadline ? timing : undefined
  return (
    <div className="page-head">
      <div>
        <p className="eyebrow">
          <Link to="/market">Marketplace</Link> / {kind && (kind.kind === 'manual' || kind.kind === 'poll') ? kind.name.toLowerCase() : 'task'}
        </p>
        <h1>{title}</h1>
        <p className="lead">
          <StatusBadge status={statusWord(t)} /> {formatAmount(t.reward)} {SYMBOL} reward · posted {timeAgo(t.created_at)}
          {ended && ` · ${ended.label.toLowerCase()} ${timeAgo(ended.at)}`}
          {mine && <span className="badge badge-brand">Your task</span>}
        </p>
      </div>
      <span className={`live${live ? ' live-on' : ''}`} title={live ? 'Receiving live updates over WebSocket' : 'Connecting for live updates…'}>
        <span className="live-dot" aria-hidden="true" /> {live ? 'Live' : 'Connecting…'}
      </span>
    </div>
  )
}
