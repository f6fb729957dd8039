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
        {c.perAssignment !== undefined ? (
          <>
            <div>
              <dt>
                Per assignment
                <span className="cost-note">{replicas > 1 ? `reward ÷ ${replicas} assignments` : 'one assignment'}</span>
              </dt>
              <dd>{formatAmount(c.perAssignment)}</dd>
            </div>
            <div className="cost-sub" data-testid="per-assignment-pay">
              <dt>The worker gets ({pct(c.scheme.workerBps)})</dt>
              <dd>{formatAmount(c.perReplica)}</dd>
            </div>
          </>
        ) : (
          <div className="cost-sub">
            <dt>
              {kind === 'poll' ? 'Respondents paid' : 'Workers'} ({pct(c.scheme.workerBps + (kind === 'inference' ? 0 : c.scheme.validatorBps))})
              <span className="cost-note">{workersNote(kind, replicas, c.perReplica)}</span>
            </dt>
            <dd>{formatAmount(c.workers)}</dd>
          </div>
        )}
        {c.validators > 0n && (
          <div className="cost-sub">
            <dt>Validators ({pct(c.scheme.validatorBps)})</dt>
            <dd>{formatAmount(c.validators)}</dd>
          </div>
        )}
        <div className="cost-sub">
          <dt>Platform fee to treasury ({pct(c.scheme.treasuryBps)}){c.perAssignment !== undefined && <span className="cost-note">of each assignment</span>}</dt>
          <dd>{formatAmount(c.perAssignment !== undefined ? c.treasury / BigInt(Math.max(1, replicas)) : c.treasury)}</dd>
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
      <p className="muted small">{footnotes[kind] ?? footnotes.compute}</p>
    </div>
  )
}

const footnotes: Record<string, string> = {
  compute: 'Paid only for verified work. If the task fails or its deadline passes, the reward returns to your escrow balance.',
  manual: 'Each assignment is paid when you approve it, or by itself when you do not review it in time. Slots nobody does return to your escrow balance after the lifetime.',
  poll: 'Paid when the poll closes, to the voters of the winning option (or to everyone counted). Votes that miss a gold question are not counted or paid.',
}

function workersNote(kind: ChallengeType, count: number, each: bigint): string {
  if (kind === 'poll') return `${formatAmount(each)} each if all ${count} are paid`
  return count > 1 ? `${count} replicas, ${formatAmount(each)} each` : 'one replica'
}
