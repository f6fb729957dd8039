import type { ReputationPoint } from '@taskmarket/core'
import { useMemo } from 'react'
import { LineChart } from '../../components/charts/LineChart.tsx'
import { formatDateTime } from '../../lib/format.ts'
import { formatReputation, reputationSeries } from '../../lib/nodeTrust.ts'

/** The reputations stored on chain for a node, as a step line: each holds until the next settlement. */
export function ReputationChart({ history }: { history: ReputationPoint[] }) {
  const points = useMemo(() => reputationSeries(history), [history])
  const last = history[history.length - 1]
  if (!last) return <p className="muted chart-empty">No reputation recorded yet</p>
  const now = formatReputation(last.bps)
  return (
    <>
      <p className="muted small">
        {history.length === 1 ? `One reputation stored: ${now} on ${formatDateTime(last.at)}` : `${history.length} reputations stored, the last ${now} on ${formatDateTime(last.at)}`}
      </p>
      <LineChart label={`Reputation over time: now ${now}`} step height={180} series={[{ name: 'Reputation', color: '#4f46e5', points }]} formatY={(y) => `${y}%`} />
    </>
  )
}
