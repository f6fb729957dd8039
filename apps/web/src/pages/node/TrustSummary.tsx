import type { NodeView } from '@taskmarket/sdk'
import { MiniStat, Tokens } from '../../components/MiniStat.tsx'
import { StatusBadge } from '../../components/StatusBadge.tsx'
import { NODE_STATE_TONE, formatReputation, trustLevelLabel } from '../../lib/nodeTrust.ts'

/**
 * A node's standing: its state, trust level, reputation on chain, the leases it holds and the stake they risk,
 * its run on each kind (adaptive replication: a proven node gets jobs alone), and a review for repeated failures.
 */
export function TrustSummary({ node: n }: { node: NodeView }) {
  return (
    <dl className="mini-stats" data-testid="trust-summary">
      <MiniStat label="State">
        <StatusBadge status={n.state} tone={NODE_STATE_TONE[n.state]} />
      </MiniStat>
      <MiniStat label="Trust">{trustLevelLabel(n.trust_level, n.trust_level_name)}</MiniStat>
      <MiniStat label="Reputation" title={`${n.reputation_bps.toLocaleString()} of 10,000`}>
        {formatReputation(n.reputation_bps)}
      </MiniStat>
      <MiniStat label="Stake">
        <Tokens value={n.stake} />
      </MiniStat>
      <MiniStat label="Leases held">{n.leases}</MiniStat>
      <MiniStat label="Stake at risk">
        <Tokens value={n.stake_at_risk} />
      </MiniStat>
      {n.review && (
        <MiniStat label="Under review">
          {n.review.failures} of {n.review.results} results failed: no work until the operator clears it
        </MiniStat>
      )}
      {n.runs.map((r) => (
        <MiniStat
          key={r.kind}
          label={`Run on ${r.kind}`}
          title={r.proven ? `Proven: ${Math.round(r.unreplicated_probability * 100)}% of the jobs it starts go to it alone while enough other proven nodes are online to check it` : 'Not proven yet: each of its jobs is replicated'}
        >
          {r.consecutive_valid} valid{r.proven ? ' · proven' : ''}
        </MiniStat>
      ))}
    </dl>
  )
}
