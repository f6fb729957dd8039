import type { TaskQuote } from '@taskmarket/core'
import { Notice, Spinner } from '../../components/Feedback.tsx'
import { MiniStat } from '../../components/MiniStat.tsx'
import { SYMBOL, formatAmount, toUnits } from '../../lib/format.ts'
import type { TaskFormValues } from '../../lib/taskForm.ts'
import type { UploadCache } from '../../lib/uploadCache.ts'
import { QuoteBids, ineligibleLines } from './QuoteBids.tsx'
import { useMarketQuote } from './useMarketQuote.ts'

type Props = {
  form: TaskFormValues
  /** The form's uploads, so a file the quote needed is not uploaded again by the post. */
  uploads: UploadCache
  onUseReward: (reward: string) => void
}

/** Amounts as the escrow counts them: up to 9 decimals, so a small price never shows as "<0.0001". */
const tokens = (value: string) => `${formatAmount(value, 9)} ${SYMBOL}`
const decimal = (n: number) => Number(n.toFixed(2)).toLocaleString()
const share = (fraction: number) => `${Number((fraction * 100).toFixed(1)).toLocaleString()}%`

/**
 * The market's live quote of the compute task being written: its jobs and replication, what the online nodes
 * would charge for it, and the best of them ranked, requoted as the form changes. A quote that fails says why
 * beside the figures and never blocks posting.
 */
export function MarketQuote({ form, uploads, onUseReward }: Props) {
  const { quote, loading, error, waiting } = useMarketQuote(form, uploads)
  return (
    <section className="card quote" aria-labelledby="quote-title">
      <h2 className="card-title" id="quote-title">
        Market quote
      </h2>
      <div className="quote-status small" aria-live="polite">
        {loading ? (
          <p className="muted">
            <Spinner /> Quoting…
          </p>
        ) : error ? (
          <p className="quote-error">Cannot quote this yet: {namingField(error)}</p>
        ) : waiting ? (
          <p className="muted">No quote yet: {waiting}</p>
        ) : null}
      </div>
      {quote && !error && !waiting && <QuoteFigures quote={quote} stale={loading} onUseReward={onUseReward} />}
    </section>
  )
}

function QuoteFigures({ quote: q, stale, onUseReward }: { quote: TaskQuote; stale: boolean; onUseReward: (reward: string) => void }) {
  const reasons = ineligibleLines(q.ineligible)
  return (
    <div className={`quote-body${stale ? ' quote-stale' : ''}`}>
      <dl className="mini-stats quote-figures">
        <MiniStat label="Jobs">{q.jobs.toLocaleString()}</MiniStat>
        <MiniStat label="Replication" title="Identical results needed (quorum) of the results asked per job">
          {q.replication.min_quorum} of {q.replication.target_results}
        </MiniStat>
        <MiniStat label="Expected results per job" title="Adaptive replication: proven nodes need fewer replicas">
          {decimal(q.expected_results_per_job)}
        </MiniStat>
        <MiniStat label="Unreplicated" title="Expected share of jobs a proven node does alone">
          {share(q.unreplicated_share)}
        </MiniStat>
        <MiniStat label="Eligible nodes">{q.eligible_nodes.toLocaleString()}</MiniStat>
        <MiniStat label="Price per unit">{tokens(q.price_per_unit)}</MiniStat>
      </dl>
      {q.eligible_nodes === 0 ? (
        <Notice kind="warn" title="No online node qualifies yet: the task will wait for one">
          {reasons.length > 0 ? <ReasonList lines={reasons} /> : <p className="small">No node that runs this kind is online.</p>}
        </Notice>
      ) : (
        <>
          <dl className="cost-lines quote-cost">
            <div>
              <dt>
                Suggested reward<span className="cost-note">at the ranked nodes’ prices, with the expected replicas</span>
              </dt>
              <dd data-testid="suggested-reward">{tokens(q.suggested_reward)}</dd>
            </div>
            <div className="cost-sub">
              <dt>Fee included in it</dt>
              <dd>{tokens(q.fee)}</dd>
            </div>
            <div>
              <dt>
                Max reward<span className="cost-note">every job fully replicated</span>
              </dt>
              <dd data-testid="max-reward">{tokens(q.max_reward)}</dd>
            </div>
            {q.reward && (
              <>
                <div>
                  <dt>Your reward pays per result</dt>
                  <dd data-testid="per-result-pay">{tokens(q.reward.per_result)}</dd>
                </div>
                <div className="cost-sub">
                  <dt>After fees, to the node</dt>
                  <dd data-testid="net-per-result-pay">{tokens(q.reward.net_per_result)}</dd>
                </div>
              </>
            )}
          </dl>
          {toUnits(q.suggested_reward) > 0n && (
            <button type="button" className="btn btn-secondary btn-small quote-use" onClick={() => onUseReward(q.suggested_reward)}>
              Use suggested reward
            </button>
          )}
          <QuoteBids bids={q.bids} />
          {reasons.length > 0 && (
            <div className="quote-ineligible small muted">
              Not eligible: <ReasonList lines={reasons} />
            </div>
          )}
        </>
      )}
    </div>
  )
}

function ReasonList({ lines }: { lines: string[] }) {
  return (
    <ul className="quote-reasons">
      {lines.map((line) => (
        <li key={line}>{line}</li>
      ))}
    </ul>
  )
}

/** The API's message, with the field it is about in front when the message does not already name it. */
function namingField({ message, field }: { message: string; field?: string }): string {
  return field && !message.includes(field) ? `${field}: ${message}` : message
}
