import { taskStatuses } from '@taskmarket/core'
import type { MarketStats } from '@taskmarket/sdk'
import { BarChart } from '../components/charts/BarChart.tsx'
import { ColumnChart } from '../components/charts/ColumnChart.tsx'
import { ErrorNote, Loading } from '../components/Feedback.tsx'
import { client } from '../lib/api.ts'
import { SYMBOL, formatAmount, humanize, toUnits, unitsToNumber } from '../lib/format.ts'
import { useAsync } from '../state/useAsync.ts'
import { kinds } from './create/CreateTaskPage.tsx'

const statusColor: Record<string, string> = {
  pending: '#94a3b8',
  in_progress: '#3b82f6',
  verifying: '#8b5cf6',
  completed: '#10b981',
  failed: '#ef4444',
  disputed: '#f59e0b',
}

/** The market at a glance: tasks by status and kind, workers, tokens escrowed and paid, activity per hour. */
export function NetworkPage() {
  const stats = useAsync(() => client.market.stats(), [], { intervalMs: 5000 })
  const s = stats.data as MarketStats | undefined
  return (
    <section className="page">
      <h1>Network</h1>
      <p className="lead">Live numbers of this market, refreshed every few seconds.</p>
      <ErrorNote error={stats.error} onRetry={stats.reload} />
      {stats.loading && !s ? (
        <Loading label="Loading the numbers…" />
      ) : s ? (
        <>
          <div className="stats-grid">
            <Kpi label="Active workers" value={`${s.workers.active}`} hint={`of ${s.workers.total} known nodes · online ones count, idle or working`} />
            <Kpi label="Tasks completed" value={s.tasks.completed.toLocaleString()} hint={`${total(s).toLocaleString()} posted in all`} />
            <Kpi label="In progress" value={(s.tasks.pending + s.tasks.in_progress + s.tasks.verifying).toLocaleString()} hint="pending, computing or verifying" />
            <Kpi label="Escrowed now" value={formatAmount(s.tokens.escrowed, 2)} unit={SYMBOL} hint="locked for open tasks" />
            <Kpi label="Paid for verified work" value={formatAmount(s.tokens.paid, 2)} unit={SYMBOL} hint={`${formatAmount(s.tokens.refunded, 2)} refunded`} />
          </div>
          <div className="grid-2">
            <div className="card">
              <h2 className="card-title">Tasks by status</h2>
              <BarChart label="Tasks by status" bars={taskStatuses.map((st) => ({ label: humanize(st), value: s.tasks[st] ?? 0, color: statusColor[st], display: String(s.tasks[st] ?? 0) }))} />
            </div>
            <div className="card">
              <h2 className="card-title">Tasks by kind</h2>
              <BarChart
                label="Tasks by kind"
                bars={kinds.map((k) => ({ label: k.name, value: s.by_kind[k.kind] ?? 0, color: '#6366f1', display: String(s.by_kind[k.kind] ?? 0) }))}
              />
            </div>
          </div>
          <div className="grid-2 grid-wide-left">
            <div className="card">
              <h2 className="card-title">Activity, last 24 hours</h2>
              <ColumnChart
                label="Tasks posted and completed per hour over the last 24 hours"
                columns={s.series.map((p) => ({ x: p.hour, values: [p.posted, p.completed] }))}
                names={['Posted', 'Completed']}
                colors={['#6366f1', '#10b981']}
                formatX={(x) => new Date(x * 1000).toLocaleTimeString(undefined, { hour: '2-digit' })}
              />
            </div>
            <div className="card">
              <h2 className="card-title">Tokens</h2>
              <BarChart
                label="Tokens escrowed, paid and refunded"
                bars={[
                  { label: 'Escrowed', value: unitsToNumber(toUnits(s.tokens.escrowed)), color: '#3b82f6', display: formatAmount(s.tokens.escrowed, 2) },
                  { label: 'Paid', value: unitsToNumber(toUnits(s.tokens.paid)), color: '#10b981', display: formatAmount(s.tokens.paid, 2) },
                  { label: 'Refunded', value: unitsToNumber(toUnits(s.tokens.refunded)), color: '#f59e0b', display: formatAmount(s.tokens.refunded, 2) },
                ]}
              />
              <p className="muted small">Of each paid reward, 92% goes to the workers whose results agreed and 8% to the treasury.</p>
            </div>
          </div>
        </>
      ) : null}
    </section>
  )
}

function total(s: MarketStats) {
  return Object.values(s.tasks).reduce((a, b) => a + b, 0)
}

function Kpi({ label, value, unit, hint }: { label: string; value: string; unit?: string; hint?: string }) {
  return (
    <div className="stat">
      <div className="stat-label">{label}</div>
      <div className="stat-value">
        {value} {unit && <span className="stat-unit">{unit}</span>}
      </div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  )
}
