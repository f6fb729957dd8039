import { ErrorNote, Loading } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import { RequireSignIn } from '../../components/RequireSignIn.tsx'
import { client } from '../../lib/api.ts'
import type { ChainEvent } from '../../lib/balanceSeries.ts'
import { SYMBOL, formatAmount, toUnits } from '../../lib/format.ts'
import { useRoute } from '../../lib/router.tsx'
import { useSession } from '../../state/session.tsx'
import { useAsync } from '../../state/useAsync.ts'
import { BalanceChart } from './BalanceChart.tsx'
import { FundsPanel } from './FundsPanel.tsx'
import { HistoryTable } from './HistoryTable.tsx'
import { KeyPanel } from './KeyPanel.tsx'

export const HISTORY_LIMIT = 500

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
  const balances = useAsync(() => client.wallet.get(), [session.address, session.version], { intervalMs: 10_000, keep: true })
  const history = useAsync(async () => (await client.wallet.history(HISTORY_LIMIT)).events as ChainEvent[], [session.address, session.version], { intervalMs: 10_000, keep: true })
  const b = balances.data
  const initial = route.query.get('action') as 'faucet' | 'buy' | 'deposit' | 'withdraw' | null

  return (
    <>
      <p className="lead">
        Account <Hex value={session.address} head={10} tail={8} /> · {session.walletKind === 'injected' ? 'browser wallet' : 'wallet kept in this browser'}
      </p>
      <ErrorNote error={balances.error} onRetry={balances.reload} />
      {balances.loading && !b ? (
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
          {history.loading && !history.data ? (
            <Loading label="Reading your history…" />
          ) : (
            <BalanceChart events={history.data ?? []} address={session.address!} balances={b} complete={(history.data?.length ?? 0) < HISTORY_LIMIT} />
          )}
        </div>
      </div>
      <div className="card">
        <h2 className="card-title">History</h2>
        <ErrorNote error={history.error} onRetry={history.reload} />
        {history.loading && !history.data ? <Loading label="Reading your history…" /> : <HistoryTable events={history.data ?? []} address={session.address!} />}
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
