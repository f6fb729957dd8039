import { useMemo } from 'react'
import { LineChart } from '../../components/charts/LineChart.tsx'
import { type ChainEvent, balanceSeries } from '../../lib/balanceSeries.ts'
import { SYMBOL, formatAmount, toUnits, unitsToNumber } from '../../lib/format.ts'

/** Wallet and escrow balances over time, rebuilt from the account's chain events. */
export function BalanceChart({ events, address, balances, complete }: { events: ChainEvent[]; address: string; balances?: { wallet: string; deposited: string; locked: string }; complete: boolean }) {
  const points = useMemo(() => {
    const current = { wallet: toUnits(balances?.wallet), escrow: toUnits(balances?.deposited) + toUnits(balances?.locked) }
    return balanceSeries(events, address, current, complete)
  }, [events, address, balances, complete])
  if (events.length === 0) return <p className="muted chart-empty">Your balance chart starts with your first transaction.</p>
  const last = points[points.length - 1]!
  return (
    <>
      <p className="muted small">
        Now: {formatAmount(last.wallet, 2)} {SYMBOL} in the wallet, {formatAmount(last.escrow, 2)} {SYMBOL} in the escrow
      </p>
      <LineChart
        label={`Your balance over time: now ${formatAmount(last.wallet, 2)} ${SYMBOL} in the wallet and ${formatAmount(last.escrow, 2)} in the escrow`}
        step
        area
        series={[
          { name: 'Wallet', color: '#4f46e5', points: points.map((p) => ({ x: p.time, y: unitsToNumber(p.wallet) })) },
          { name: 'Escrow (deposited + locked)', color: '#0d9488', points: points.map((p) => ({ x: p.time, y: unitsToNumber(p.escrow) })) },
        ]}
      />
    </>
  )
}
