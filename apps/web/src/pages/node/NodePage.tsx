import type { NodeView } from '@taskmarket/sdk'
import type { Address } from 'viem'
import { ErrorNote, Loading } from '../../components/Feedback.tsx'
import { Hex } from '../../components/Hex.tsx'
import { client } from '../../lib/api.ts'
import { isOnline, nodePresence } from '../../lib/presence.ts'
import { Link } from '../../lib/router.tsx'
import { useAsync } from '../../state/useAsync.ts'
import { JobHistory } from './JobHistory.tsx'
import { ReputationChart } from './ReputationChart.tsx'
import { SlashesTable } from './SlashesTable.tsx'
import { TrustSummary } from './TrustSummary.tsx'

/** How often the page reads the node and its records again, as the Nodes page does. */
const REFRESH_MS = 10_000

/** One node's trust layer: its state and standing, its reputation over time, its slashes and its job history. */
export function NodePage({ address }: { address: Address }) {
  const node = useAsync(() => client.market.node(address), [address], { intervalMs: REFRESH_MS })
  const n = node.data
  return (
    <section className="page">
      <div className="page-head">
        <div>
          <p className="eyebrow">
            <Link to="/nodes">Nodes</Link> / node
          </p>
          <h1>
            Node <Hex value={address} />
          </h1>
          {n && (
            <p className="lead">
              <span className={`dot ${isOnline(n.last_seen) ? 'dot-on' : ''}`} aria-hidden="true" /> {nodePresence(n)}
            </p>
          )}
        </div>
      </div>
      <ErrorNote error={node.error} onRetry={node.reload} />
      {node.loading && !n ? <Loading label="Reading the node…" /> : n ? <NodeTrust node={n} /> : null}
      <div className="card">
        <h2 className="card-title">Job history</h2>
        <JobHistory address={address} intervalMs={REFRESH_MS} />
      </div>
    </section>
  )
}

/** The sections of a node page drawn from its NodeView alone. */
export function NodeTrust({ node: n }: { node: NodeView }) {
  return (
    <>
      <div className="grid-2">
        <div className="card">
          <h2 className="card-title">Trust</h2>
          <TrustSummary node={n} />
        </div>
        <div className="card">
          <h2 className="card-title">Reputation</h2>
          <ReputationChart history={n.reputation_history} />
        </div>
      </div>
      <div className="card">
        <h2 className="card-title">Slashes</h2>
        <SlashesTable slashes={n.slashes} />
      </div>
    </>
  )
}
