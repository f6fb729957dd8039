import type { ChallengeType } from '@taskmarket/core'
import { costPreview } from '../../lib/cost.ts'
import { SYMBOL, formatAmount } from '../../lib/format.ts'
import { href } from '../../lib/router.tsx'

/** Reward, where it goes once the work is verified, and what leaves the escrow balance now. */
export function CostPreview({ reward, kind, replicas, available }: { reward: string; kind: ChallengeType; replicas: number; available?: bigint }) {
  const c = costPreview(reward, kind, replicas)
  if (!c) return <p className="muted">Enter a reward to see the cost.</p>
  const pct = (bps: number) => `${bps / 100}%`
  const short = available !== undefined && available < c.total
  return (
    <div className="cost" aria-live="polite">
      <dl className="cost-lines">
        <div>
          <dt>Reward</dt>
          <dd>
            {formatAmount(c.reward)} {SYMBOL}
          </dd>
        </div>
        <div className="cost-sub">
          <dt>
            Workers ({pct(c.scheme.workerBps + (kind === 'inference' ? 0 : c.scheme.validatorBps))})
            <span className="cost-note">{replicas > 1 ? `${replicas} replicas, ${formatAmount(c.perReplica)} each` : 'one replica'}</span>
          </dt>
          <dd>{formatAmount(c.workers)}</dd>
        </div>
        {c.validators > 0n && (
          <div className="cost-sub">
            <dt>Validators ({pct(c.scheme.validatorBps)})</dt>
            <dd>{formatAmount(c.validators)}</dd>
          </div>
        )}
        <div className="cost-sub">
          <dt>Platform fee to treasury ({pct(c.scheme.treasuryBps)})</dt>
          <dd>{formatAmount(c.treasury)}</dd>
        </div>
        {c.burn > 0n && (
          <div className="cost-sub">
            <dt>Burned ({pct(c.scheme.burnBps)})</dt>
            <dd>{formatAmount(c.burn)}</dd>
          </div>
        )}
        <div className="cost-total">
          <dt>Total locked in escrow now</dt>
          <dd>
            {formatAmount(c.total)} {SYMBOL}
          </dd>
        </div>
      </dl>
      {available !== undefined && (
        <p className={`small ${short ? 'neg' : 'muted'}`}>
          Escrow balance: {formatAmount(available)} {SYMBOL}
          {short && (
            <>
              {' '}
              — not enough. <a href={href('/wallet', { action: 'deposit' })}>Deposit tokens</a>
            </>
          )}
        </p>
      )}
      <p className="muted small">Paid only for verified work. If the task fails or its deadline passes, the reward returns to your escrow balance.</p>
    </div>
  )
}
