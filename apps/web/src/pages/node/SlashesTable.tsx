import type { NodeSlash } from '@taskmarket/core'
import { EmptyState } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import { SYMBOL, formatAmount, formatDateTime, timeAgo } from '../../lib/format.ts'
import { formatReputation, slashReason } from '../../lib/nodeTrust.ts'
import { Link } from '../../lib/router.tsx'

/** The stake settle batches took from a node, newest first, each with the task whose lease it punished. */
export function SlashesTable({ slashes }: { slashes: NodeSlash[] }) {
  if (slashes.length === 0) return <EmptyState title="No slashes" icon="✓" />
  return (
    <div className="table-wrap">
      <table className="table table-stack">
        <thead>
          <tr>
            <th scope="col">Reason</th>
            <th scope="col" className="num">Amount</th>
            <th scope="col" className="num">Reputation after</th>
            <th scope="col">When</th>
            <th scope="col">Task</th>
            <th scope="col">Transaction</th>
          </tr>
        </thead>
        <tbody>
          {slashes.map((s) => (
            <tr key={s.assignment_id}>
              <td className="span-2">
                <span className="badge badge-danger">{slashReason(s.reason)}</span>
              </td>
              <td className="num" data-label="Amount">
                −{formatAmount(s.amount, 4)} {SYMBOL}
              </td>
              <td className="num" data-label="Reputation after">
                {formatReputation(s.reputation_bps)}
              </td>
              <td data-label="When" title={formatDateTime(s.at)}>
                {timeAgo(s.at)}
              </td>
              <td data-label="Task">
                <Link to={`/tasks/${s.task_id}`}>
                  <code>{s.task_id.slice(0, 8)}</code>
                </Link>
              </td>
              <td data-label="Transaction">{s.tx_hash ? <Hex value={s.tx_hash} /> : <span className="muted">on its way</span>}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}
