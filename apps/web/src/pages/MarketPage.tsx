import { type ChallengeType, formatTokens, taskStatuses } from '@taskmarket/core'
import type { TaskSummary } from '@taskmarket/sdk'
import { useEffect, useState } from 'react'
import { EmptyState, ErrorNote, Loading } from '../components/Feedback.tsx'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { StatusBadge } from '../components/StatusBadge.tsx'
import { client } from '../lib/api.ts'
import { SYMBOL, formatAmount, humanize, percent, timeAgo, toUnits } from '../lib/format.ts'
import { Link, href, navigate, useRoute } from '../lib/router.tsx'
import { statusWord, taskTiming } from '../lib/taskStatus.ts'
import { useSession } from '../state/session.tsx'
import { useAsync } from '../state/useAsync.ts'
import { kinds } from './create/CreateTaskPage.tsx'

export const PAGE_SIZE = 20
export type MarketFilters = { kind?: string; status?: string; min?: string; mine?: string; page: number }

export function readFilters(query: URLSearchParams): MarketFilters {
  return { kind: query.get('kind') ?? undefined, status: query.get('status') ?? undefined, min: query.get('min') ?? undefined, mine: query.get('mine') ?? undefined, page: Math.max(1, Number(query.get('page')) || 1) }
}

/** Loads one page of tasks for the filters (an unreadable minimum reward is ignored). */
export async function loadMarket(f: MarketFilters, poster?: string): Promise<{ tasks: TaskSummary[]; total: number }> {
  const min = f.min && toUnits(f.min) > 0n ? formatTokens(toUnits(f.min)) : undefined
  const r = await client.tasks.list({ status: f.status, challenge_type: f.kind, poster: f.mine && poster ? poster : undefined, min_reward: min, limit: PAGE_SIZE, offset: (f.page - 1) * PAGE_SIZE })
  return { tasks: r.tasks, total: r.total }
}

export function MarketPage() {
  const route = useRoute()
  const session = useSession()
  const filters = readFilters(route.query)
  const [min, setMin] = useState(filters.min ?? '')
  useEffect(() => setMin(filters.min ?? ''), [filters.min])
  const data = useAsync(() => loadMarket(filters, session.address), [route.query.toString(), session.address], { intervalMs: 5000 })

  const update = (patch: Partial<MarketFilters>) => {
    const next = { ...filters, page: 1, ...patch }
    navigate('/market', { replace: true, query: { kind: next.kind, status: next.status, min: next.min, mine: next.mine, page: next.page > 1 ? next.page : undefined } })
  }
  const pages = Math.max(1, Math.ceil((data.data?.total ?? 0) / PAGE_SIZE))

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Marketplace</h1>
          <p className="lead">Every task posted to this market, newest first. Rewards are locked on chain before workers see a task.</p>
        </div>
        <Link to="/tasks/new" className="btn btn-primary">
          Post a task
        </Link>
      </div>

      <form className="filters card" onSubmit={(e) => (e.preventDefault(), update({ min: min.trim() || undefined }))} aria-label="Filter tasks">
        <div className="field">
          <label htmlFor="filter-kind">Kind</label>
          <select id="filter-kind" value={filters.kind ?? ''} onChange={(e) => update({ kind: e.target.value || undefined })}>
            <option value="">All kinds</option>
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-status">Status</label>
          <select id="filter-status" value={filters.status ?? ''} onChange={(e) => update({ status: e.target.value || undefined })}>
            <option value="">Any status</option>
            {taskStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="filter-min">Min reward ({SYMBOL})</label>
          <input id="filter-min" inputMode="decimal" value={min} placeholder="0" onChange={(e) => setMin(e.target.value)} onBlur={() => min !== (filters.min ?? '') && update({ min: min.trim() || undefined })} />
        </div>
        {session.status === 'signed-in' && (
          <label className="check">
            <input type="checkbox" checked={!!filters.mine} onChange={(e) => update({ mine: e.target.checked ? '1' : undefined })} /> Only my tasks
          </label>
        )}
      </form>

      <ErrorNote error={data.error} onRetry={data.reload} />
      {data.loading && !data.data ? (
        <Loading label="Loading tasks…" />
      ) : data.data && data.data.tasks.length === 0 ? (
        <EmptyState title="No tasks match" icon="∅">
          {filters.kind || filters.status || filters.min || filters.mine ? (
            <a className="btn btn-ghost" href={href('/market')}>
              Clear the filters
            </a>
          ) : (
            <Link to="/tasks/new" className="btn btn-primary">
              Post the first task
            </Link>
          )}
        </EmptyState>
      ) : data.data ? (
        <>
          <p className="muted small" aria-live="polite">
            {data.data.total.toLocaleString()} task{data.data.total === 1 ? '' : 's'}
          </p>
          <ul className="task-list">
            {data.data.tasks.map((t) => (
              <TaskRow key={t.task_id} task={t} />
            ))}
          </ul>
          {pages > 1 && (
            <nav className="pager" aria-label="Pages">
              <button type="button" className="btn btn-ghost btn-small" disabled={filters.page <= 1} onClick={() => update({ ...filters, page: filters.page - 1 })}>
                ← Newer
              </button>
              <span>
                Page {filters.page} of {pages}
              </span>
              <button type="button" className="btn btn-ghost btn-small" disabled={filters.page >= pages} onClick={() => update({ ...filters, page: filters.page + 1 })}>
                Older →
              </button>
            </nav>
          )}
        </>
      ) : null}
    </section>
  )
}

export function TaskRow({ task: t }: { task: TaskSummary }) {
  const kind = kinds.find((k) => k.kind === (t.challenge_type as ChallengeType))
  const timing = taskTiming(t)
  return (
    <li>
      <a className="task-row" href={href(`/tasks/${t.task_id}`)}>
        <span className="task-kind" aria-hidden="true">
          {kind?.icon ?? '•'}
        </span>
        <span className="task-main">
          {t.title ? (
            <span className="task-title">{t.title}</span>
          ) : (
            <span className="task-title">
              {kind?.name ?? t.challenge_type} <code className="muted">{t.task_id.slice(0, 8)}</code>
            </span>
          )}
          <span className="task-meta">
            {t.title && `${kind?.name ?? t.challenge_type} · `}posted {timeAgo(t.created_at)} · {timing.label.toLowerCase()}
            {timing.at && ` ${timeAgo(timing.at)}`}
          </span>
        </span>
        <span className="task-progress">
          <ProgressBar value={t.progress} label={`Progress of task ${t.task_id.slice(0, 8)}`} tone={t.status === 'failed' ? 'danger' : t.status === 'completed' ? 'success' : 'brand'} />
          <span className="small muted">{percent(t.progress)}</span>
        </span>
        <StatusBadge status={statusWord(t)} />
        <span className="task-reward">
          {formatAmount(t.reward, 2)} <small>{SYMBOL}</small>
        </span>
      </a>
    </li>
  )
}
