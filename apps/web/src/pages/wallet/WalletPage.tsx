import { useRef } from 'react'
import { ErrorNote, Loading } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import { RequireSignIn } from '../../components/RequireSignIn.tsx'
import { SYMBOL, formatAmount, toUnits } from '../../lib/format.ts'
import { useRoute } from '../../lib/router.tsx'
import { HISTORY_LIMIT, catchUpUntil, loadWallet } from '../../lib/walletData.ts'
import { useSession } from '../../state/session.tsx'
import { useAsync } from '../../state/useAsync.ts'
import { BalanceChart } from './BalanceChart.tsx'
import { FundsPanel } from './FundsPanel.tsx'
import { HistoryTable } from './HistoryTable.tsx'
import { KeyPanel } from './KeyPanel.tsx'

/** Balances, funding, the balance over time and the on-chain history of the signed-in account. */
export function WalletPage() {
  return (
    <section className="page">
      <h1>Wallet</h1>
      <RequireSignIn why="Your wallet shows your balances and lets you buy and deposit tokens." next="/wallet">
        <Wallet />
      </RequireSignIn>
    </section>
  )
}

function Wallet() {
  const session = useSession()
  const route = useRoute()
  // One load for both, so that a transaction shows in the balance, the chart and the history at once.
  // Every load, the periodic ones too, waits for the transactions of the last change until they show in the
  // history or their time is up: a poll answering first must not show the new balance with the old history.
  const change = useRef({ version: -1, mined: [] as readonly string[], until: 0 })
  const wallet = useAsync(
    () => {
      if (change.current.version !== session.version) change.current = { version: session.version, mined: session.minedTx, until: catchUpUntil() }
      return loadWallet(change.current.mined, change.current.until)
    },
    [session.address, session.version],
    { intervalMs: 10_000, keep: true },
  )
  const b = wallet.data?.balances
  const events = wallet.data?.events
  const initial = route.query.get('action') as 'faucet' | 'buy' | 'deposit' | 'withdraw' | null

  return (
    <>
      <p className="lead">
        Account <Hex value={session.address} head={10} tail={8} /> · {session.walletKind === 'injected' ? 'browser wallet' : 'wallet kept in this browser'}
      </p>
      <ErrorNote error={wallet.error} onRetry={wallet.reload} />
      {wallet.loading && !b ? (
        <Loading label="Reading your balances…" />
      ) : b ? (
        <div className="stats-grid" aria-label="Balances">
          <Stat label="In your wallet" value={b.wallet} hint="TASK tokens you hold" />
          <Stat label="Escrow balance" value={b.deposited} hint="available to post tasks" accent />
          <Stat label="Locked in tasks" value={b.locked} hint="paid out when work is verified" />
          <Stat label="Staked" value={b.staked} hint={toUnits(b.unstaking) > 0n ? `${formatAmount(b.unstaking)} unstaking` : 'on your nodes'} />
          <Stat label="Gas (ETH)" value={b.eth} unit="ETH" hint="pays for transactions" />
        </div>
      ) : null}
      <div className="grid-2">
        <FundsPanel balances={b} initial={initial ?? undefined} />
        <div className="card">
          <h2 className="card-title">Balance over time</h2>
          {!events ? (
            <Loading label="Reading your history…" />
          ) : (
            <BalanceChart events={events} address={session.address!} balances={b} complete={events.length < HISTORY_LIMIT} />
          )}
        </div>
      </div>
      <div className="card">
        <h2 className="card-title">History</h2>
        {!events ? <Loading label="Reading your history…" /> : <HistoryTable events={events} address={session.address!} />}
      </div>
      {session.walletKind !== 'injected' && <KeyPanel />}
    </>
  )
}

function Stat({ label, value, hint, unit = SYMBOL, accent }: { label: string; value: string; hint?: string; unit?: string; accent?: boolean }) {
  return (
    <div className={`stat${accent ? ' stat-accent' : ''}`}>
      <div className="stat-label">{label}</div>
      <div className="stat-value">
        {formatAmount(value, unit === 'ETH' ? 4 : 2)} <span className="stat-unit">{unit}</span>
      </div>
      {hint && <div className="stat-hint">{hint}</div>}
    </div>
  )
}
