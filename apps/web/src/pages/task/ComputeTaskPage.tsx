import type { TaskView } from '@taskmarket/core'
import { useEffect } from 'react'
import { ErrorNote, Loading } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import { ProgressBar } from '../../components/ProgressBar.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { client } from '../../lib/api.ts'
import { formatDateTime, humanize, percent, timeAgo } from '../../lib/format.ts'
import { useSession } from '../../state/session.tsx'
import { taskTiming } from '../../lib/taskStatus.ts'
import { useAsync } from '../../state/useAsync.ts'
import { useLiveTask } from '../../state/useLiveTask.ts'
import { kinds } from '../create/CreateTaskPage.tsx'
import { JobsView } from './JobsView.tsx'
import { LiveTimeline } from './LiveTimeline.tsx'
import { RecordsTable } from './RecordsTable.tsx'
import { ResultPanel } from './ResultPanel.tsx'
import { TaskHeader } from './TaskHeader.tsx'
import { WaitingNotice } from './WaitingNotice.tsx'

/** A compute task: live status, per-job progress, results, escrow and settlement, and the proofs of its records. */
export function ComputeTaskPage({ task: t, final, reloadTask }: { task: TaskView; final: boolean; reloadTask: () => Promise<void> }) {
  const session = useSession()
  const id = t.task_id
  const jobs = useAsync(async () => (await client.tasks.jobs(id)).jobs, [id], { intervalMs: final ? undefined : 4000 })
  const records = useAsync(async () => (await client.tasks.records(id)).records, [id, t.settlement?.tx_hash ?? '', t.status], { enabled: final })
  const notify = session.notifyChange
  useEffect(() => {
    if (final) notify()
  }, [final, notify])
  const { events, live } = useLiveTask(id, () => {
    void reloadTask()
    void jobs.reload()
  })
  const kind = kinds.find((k) => k.kind === t.challenge_type)
  const timing = taskTiming(t)
  return (
    <section className="page">
      <TaskHeader
        task={t}
        live={live}
        title={
          <>
            {kind?.name ?? t.challenge_type} task <code className="title-code">{t.task_id.slice(0, 8)}</code>
          </>
        }
      />

      <div className="card">
        <div className="progress-head">
          <h2 className="card-title">Progress</h2>
          <span aria-live="polite" data-testid="task-status">
            {humanize(t.status)} · {t.progress.jobs_done}/{t.progress.jobs_total} jobs · {percent(t.progress.fraction)}
          </span>
        </div>
        <ProgressBar value={t.status === 'completed' ? 1 : t.progress.fraction} label="Task progress" tone={t.status === 'failed' ? 'danger' : t.status === 'completed' ? 'success' : 'brand'} />
        <Stages status={t.status} escrow={t.escrow.state} />
        <WaitingNotice task={t} />
        {t.failure_reason && <p className="field-error">Failed: {t.failure_reason}</p>}
      </div>

      <div className="grid-2">
        <ResultPanel task={t} jobs={jobs.data} />
        <div className="card">
          <h2 className="card-title">Details</h2>
          <dl className="kv">
            <dt>Poster</dt>
            <dd>
              <Hex value={t.poster} />
            </dd>
            <dt>{timing.label}</dt>
            <dd data-testid="task-timing">{timing.at ? `${formatDateTime(timing.at)} (${timeAgo(timing.at)})` : <span className="muted">deadline was {formatDateTime(t.deadline)}</span>}</dd>
            <dt>Replication</dt>
            <dd>
              {t.replication.target_results} replicas, quorum {t.replication.min_quorum}
            </dd>
            <dt>Payload</dt>
            <dd>
              <code className="payload">{summarizePayload(t.payload)}</code>
            </dd>
            <dt>Escrow</dt>
            <dd>
              <StatusBadge status={t.escrow.state} /> {t.escrow.tx_hash ? <Hex value={t.escrow.tx_hash} /> : <span className="muted">not on chain yet</span>}
            </dd>
            <dt>Chain task id</dt>
            <dd>
              <Hex value={t.escrow.chain_task_id} />
            </dd>
            <dt>Settlement</dt>
            <dd>
              {t.settlement ? (
                <>
                  tx <Hex value={t.settlement.tx_hash} /> <div className="cell-sub">batch <Hex value={t.settlement.batch_id} copy={false} /> · jobs root <Hex value={t.settlement.jobs_root} copy={false} /></div>
                </>
              ) : (
                <span className="muted">{t.status === 'failed' ? 'refunded' : 'after verification'}</span>
              )}
            </dd>
          </dl>
        </div>
      </div>

      <div className="grid-2 grid-wide-left">
        <div className="card">
          <h2 className="card-title">Jobs</h2>
          <ErrorNote error={jobs.error} onRetry={jobs.reload} />
          {jobs.data ? <JobsView task={t} jobs={jobs.data} /> : <Loading label="Loading jobs…" />}
        </div>
        <div className="card">
          <h2 className="card-title">Live events</h2>
          <LiveTimeline events={events} live={live} final={final} />
        </div>
      </div>

      <div className="card">
        <h2 className="card-title">Job records and Merkle proofs</h2>
        {!final ? (
          <p className="muted">When the task is settled, each job's record (worker, result hash, verdict) is anchored on chain in the batch's Merkle root. The proofs appear here and are checked in your browser.</p>
        ) : records.loading && !records.data ? (
          <Loading label="Loading records…" />
        ) : (
          <RecordsTable task={t} records={records.data ?? []} jobIndex={new Map((jobs.data ?? []).map((j: { id: string; index: number }) => [j.id, j.index]))} />
        )}
      </div>
    </section>
  )
}

const stages = [
  { key: 'escrow', label: 'Escrowed' },
  { key: 'in_progress', label: 'Computing' },
  { key: 'verifying', label: 'Verified' },
  { key: 'completed', label: 'Paid' },
]

function Stages({ status, escrow }: { status: string; escrow: string }) {
  const reached = (key: string) => {
    if (key === 'escrow') return escrow !== 'awaiting'
    const order = ['pending', 'in_progress', 'verifying', 'completed']
    return order.indexOf(status) >= order.indexOf(key)
  }
  return (
    <ol className="stages" aria-label="Stages">
      {stages.map((s) => (
        <li key={s.key} className={reached(s.key) ? 'stage-done' : ''}>
          <span className="stage-dot" aria-hidden="true">
            {reached(s.key) ? '✓' : ''}
          </span>
          {s.label}
          <span className="sr-only">{reached(s.key) ? ' (done)' : ' (not yet)'}</span>
        </li>
      ))}
    </ol>
  )
}

function summarizePayload(payload: Record<string, unknown>) {
  return Object.entries(payload)
    .map(([k, v]) => `${k}: ${typeof v === 'string' && /^[0-9a-f]{64}$/.test(v) ? `${v.slice(0, 10)}…` : typeof v === 'object' ? '{…}' : String(v)}`)
    .join(' · ')
}
