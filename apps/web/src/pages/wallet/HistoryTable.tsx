import { useMemo, useState } from 'react'
import { EmptyState } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import type { ChainEvent } from '../../lib/balanceSeries.ts'
import { SYMBOL, formatAmount, formatDateTime, timeAgo } from '../../lib/format.ts'
import { historyRows } from '../../lib/history.ts'

const PAGE = 15

/** The account's on-chain history in words, newest first. */
export function HistoryTable({ events, address }: { events: ChainEvent[]; address: string }) {
  const rows = useMemo(() => historyRows(events, address), [events, address])
  const [shown, setShown] = useState(PAGE)
  if (rows.length === 0)
    return (
      <EmptyState title="No transactions yet" icon="⌁">
        Get tokens from the faucet or buy some to get started.
      </EmptyState>
    )
  return (
    <>
      <div className="table-wrap">
        <table className="table table-stack history">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">What</th>
              <th scope="col" className="num">
                Amount
              </th>
              <th scope="col">Transaction</th>
            </tr>
          </thead>
          <tbody>
            {rows.slice(0, shown).map((r) => (
              <tr key={r.key} data-event={r.event}>
                <td data-label="When" title={formatDateTime(r.time)}>
                  {timeAgo(r.time)}
                </td>
                <td className="span-2 stack-first">
                  <div className="cell-title">{r.title}</div>
                  {r.detail && <div className="cell-sub">{r.detail}</div>}
                </td>
                <td className="num" data-label="Amount">
                  {r.amount !== undefined ? (
                    <span className={r.amount < 0n ? 'neg' : 'pos'}>
                      {r.amount < 0n ? '−' : '+'}
                      {formatAmount(r.amount < 0n ? -r.amount : r.amount)} {SYMBOL}
                    </span>
                  ) : r.moved !== undefined ? (
                    <span className="moved">
                      {formatAmount(r.moved)} {SYMBOL}
                    </span>
                  ) : (
                    <span className="muted">—</span>
                  )}
                </td>
                <td data-label="Transaction">
                  <Hex value={r.txHash} />
                  <div className="cell-sub">block {r.block}</div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > shown && (
        <button type="button" className="btn btn-ghost btn-block" onClick={() => setShown((s) => s + PAGE)}>
          Show more ({rows.length - shown} older)
        </button>
      )}
    </>
  )
}
