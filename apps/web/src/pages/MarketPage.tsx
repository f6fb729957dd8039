import { type ChallengeType, taskStatuses } from '@taskmarket/core'
import type { TaskSummary } from '@taskmarket/sdk'
import { useEffect, useState } from 'react'
import { Field } from '../components/Field.tsx'
import { EmptyState, ErrorNote, Loading } from '../components/Feedback.tsx'
import { Pager } from '../components/Pager.tsx'
import { ProgressBar } from '../components/ProgressBar.tsx'
import { StatusBadge } from '../components/StatusBadge.tsx'
import { manualPay } from '../lib/cost.ts'
import { SYMBOL, formatAmount, humanize, percent, timeAgo } from '../lib/format.ts'
import { currentPosition, formatDistance } from '../lib/geolocation.ts'
import { type Here, type MarketFilters, type MarketRow, PAGE_SIZE, SCAN_LIMIT, humanTerms, loadMarket, readFilters, sorts } from '../lib/market.ts'
import { Link, href, navigate, useRoute } from '../lib/router.tsx'
import { statusWord, taskTiming } from '../lib/taskStatus.ts'
import { useSession } from '../state/session.tsx'
import { useAsync } from '../state/useAsync.ts'
import { kinds } from './create/CreateTaskPage.tsx'

const kindName = (kind: string) => kinds.find((k) => k.kind === kind)?.name ?? kind

export function MarketPage() {
  const route = useRoute()
  const session = useSession()
  const filters = readFilters(route.query)
  const [min, setMin] = useState(filters.min ?? '')
  const [q, setQ] = useState(filters.q ?? '')
  useEffect(() => setMin(filters.min ?? ''), [filters.min])
  useEffect(() => setQ(filters.q ?? ''), [filters.q])
  const [here, setHere] = useState<Here>()
  const [placeError, setPlaceError] = useState<string>()
  const wantsPlace = filters.sort === 'distance'
  useEffect(() => {
    if (!wantsPlace || here) return
    setPlaceError(undefined)
    currentPosition(15_000).then(setHere, (e: Error) => setPlaceError(`${e.message}; showing the newest first`))
  }, [wantsPlace, here])
  // Searching or sorting reads many tasks and their details: refreshed less often than a plain page.
  const scanning = !!filters.q || (filters.sort ?? 'newest') !== 'newest'
  const data = useAsync(() => loadMarket(filters, { poster: session.address, kindName, here }), [route.query.toString(), session.address, here], { intervalMs: scanning ? 15_000 : 5000, keep: true })

  const update = (patch: Partial<MarketFilters>) => {
    const n = { ...filters, page: 1, ...patch }
    navigate('/market', { replace: true, query: { q: n.q, sort: n.sort, kind: n.kind, status: n.status, min: n.min, mine: n.mine, page: n.page > 1 ? n.page : undefined } })
  }
  const applyTyped = () => update({ min: min.trim() || undefined, q: q.trim() || undefined })
  const pages = Math.max(1, Math.ceil((data.data?.total ?? 0) / PAGE_SIZE))
  const filtered = filters.kind || filters.status || filters.min || filters.mine || filters.q

  return (
    <section className="page">
      <div className="page-head">
        <div>
          <h1>Marketplace</h1>
          <p className="lead">Every task posted to this market. Rewards are locked on chain before workers see a task.</p>
        </div>
        <Link to="/tasks/new" className="btn btn-primary">
          Post a task
        </Link>
      </div>

      <form className="filters card" role="search" onSubmit={(e) => (e.preventDefault(), applyTyped())} aria-label="Find tasks">
        <Field id="filter-q" label="Search" className="filters-search">
          <input type="search" value={q} placeholder="Title or kind, e.g. delivery, rendering" onChange={(e) => setQ(e.target.value)} onBlur={() => q.trim() !== (filters.q ?? '') && applyTyped()} />
        </Field>
        <Field id="filter-sort" label="Sort" error={wantsPlace ? placeError : undefined} hint={wantsPlace && !here && !placeError ? 'Finding where you are…' : undefined}>
          <select value={filters.sort ?? 'newest'} onChange={(e) => update({ sort: e.target.value === 'newest' ? undefined : (e.target.value as MarketFilters['sort']) })}>
            {sorts.map((s) => (
              <option key={s.id} value={s.id}>
                {s.label}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-kind" label="Kind">
          <select value={filters.kind ?? ''} onChange={(e) => update({ kind: e.target.value || undefined })}>
            <option value="">All kinds</option>
            {kinds.map((k) => (
              <option key={k.kind} value={k.kind}>
                {k.name}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-status" label="Status">
          <select value={filters.status ?? ''} onChange={(e) => update({ status: e.target.value || undefined })}>
            <option value="">Any status</option>
            {taskStatuses.map((s) => (
              <option key={s} value={s}>
                {humanize(s)}
              </option>
            ))}
          </select>
        </Field>
        <Field id="filter-min" label={`Min reward (${SYMBOL})`}>
          <input inputMode="decimal" value={min} placeholder="0" onChange={(e) => setMin(e.target.value)} onBlur={() => min !== (filters.min ?? '') && applyTyped()} />
        </Field>
        {session.status === 'signed-in' && (
          <label className="check">
            <input type="checkbox" checked={!!filters.mine} onChange={(e) => update({ mine: e.target.checked ? '1' : undefined })} /> Only my tasks
          </label>
        )}
        <button type="submit" className="sr-only">
          Search
        </button>
      </form>

      <ErrorNote error={data.error} onRetry={data.reload} />
      {data.loading && !data.data ? (
        <Loading label="Loading tasks…" />
      ) : data.data && data.data.tasks.length === 0 ? (
        <EmptyState title="No tasks match" icon="∅">
          {filtered ? (
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
          <p className="muted small" aria-live="polite" data-testid="market-count">
            {data.data.total.toLocaleString()} task{data.data.total === 1 ? '' : 's'}
            {data.data.capped && ` among the newest ${SCAN_LIMIT.toLocaleString()}`}
          </p>
          <ul className="task-list">
            {data.data.tasks.map((t) => (
              <TaskRow key={t.task_id} task={t} />
            ))}
          </ul>
          {pages > 1 && <Pager page={filters.page} pages={pages} onPage={(page) => update({ ...filters, page })} label="Pages" previous={scanning ? undefined : '← Newer'} next={scanning ? undefined : 'Older →'} />}
        </>
      ) : null}
    </section>
  )
}

export function TaskRow({ task: t }: { task: TaskSummary | MarketRow }) {
  const { detail, distance_m } = t as MarketRow
  const kind = kinds.find((k) => k.kind === (t.challenge_type as ChallengeType))
  const timing = taskTiming({ ...t, ...(detail ? { result: detail.result, escrow: detail.escrow, slots: detail.slots } : {}) })
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
          <HumanTerms task={t} detail={detail} distance={distance_m} />
        </span>
        <span className="task-progress">
          <ProgressBar value={t.progress} label={`Progress of task ${t.task_id.slice(0, 8)}`} tone={t.status === 'failed' ? 'danger' : t.status === 'completed' ? 'success' : 'brand'} />
          <span className="small muted">{percent(t.progress)}</span>
        </span>
        <StatusBadge status={statusWord(detail ?? t)} />
        <span className="task-reward">
          {formatAmount(t.reward, 2)} <small>{SYMBOL}</small>
        </span>
      </a>
    </li>
  )
}

/** What a manual task or poll offers a worker: pay each, the time allotted, the free slots, how far. */
function HumanTerms({ task: t, detail, distance }: { task: TaskSummary; detail?: MarketRow['detail']; distance?: number }) {
  const terms = humanTerms(detail)
  if (!terms) return null
  const { net } = manualPay(t.reward, terms.slots)
  const parts =
    detail?.challenge_type === 'manual'
      ? [`${formatAmount(net, 2)} ${SYMBOL} per assignment`, `${terms.minutes} min to do it`, detail.slots && `${detail.slots.free} of ${terms.slots} open`]
      : [`from ${formatAmount(net, 2)} ${SYMBOL} per respondent`, `${terms.slots} respondents`]
  if (distance !== undefined) parts.push(`${formatDistance(distance)} away`)
  return (
    <span className="task-terms" data-testid="task-terms">
      {parts.filter(Boolean).join(' · ')}
    </span>
  )
}
