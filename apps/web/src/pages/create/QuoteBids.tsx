import type { TaskQuote } from '@taskmarket/core'
import { SYMBOL, formatAmount, shortHex } from '../../lib/format.ts'
import { Link } from '../../lib/router.tsx'
import { TrustBadge } from '../NodesPage.tsx'

/** Bids the quote shows of the 20 the market ranks. */
const SHOWN = 5

const terms = [
  ['price', 'price'],
  ['reputation', 'reputation'],
  ['latency', 'latency'],
  ['uptime', 'uptime'],
  ['verifiedPower', 'power'],
] as const

const bpsPercent = (bps: number) => `${(bps / 100).toLocaleString(undefined, { maximumFractionDigits: 1 })}%`

/** The best bids for the task, in the order work is offered, with each weighted term of their score. */
export function QuoteBids({ bids }: { bids: TaskQuote['bids'] }) {
  if (bids.length === 0) return null
  return (
    <div className="table-wrap quote-bids">
      <table className="table table-stack">
        <caption className="sr-only">The {Math.min(SHOWN, bids.length)} best bids, in the order work is offered</caption>
        <thead>
          <tr>
            <th scope="col">Node</th>
            <th scope="col" className="num">Score</th>
            <th scope="col" className="num">Price / unit</th>
            <th scope="col">Trust</th>
            <th scope="col" className="num">Reputation</th>
            <th scope="col" className="num">Uptime</th>
          </tr>
        </thead>
        <tbody>
          {bids.slice(0, SHOWN).map((b) => (
            <tr key={b.node}>
              <td className="span-2 stack-first" data-label="Node">
                <Link to={`/nodes/${b.node}`} title={b.node}>
                  <code>{shortHex(b.node)}</code>
                </Link>
                <div className="cell-sub">
                  {b.resource_type} · {b.region}
                </div>
              </td>
              <td className="num" data-label="Score">
                <strong>{b.score.toFixed(2)}</strong>
                <div className="cell-sub quote-terms">{terms.map(([key, name]) => `${name} ${b.breakdown[key].toFixed(2)}`).join(' · ')}</div>
              </td>
              <td className="num" data-label="Price / unit">
                {formatAmount(b.price_per_unit)} <small className="muted">{SYMBOL}</small>
              </td>
              <td data-label="Trust">
                <TrustBadge level={b.trust_level} />
              </td>
              <td className="num" data-label="Reputation">
                {bpsPercent(b.reputation_bps)}
              </td>
              <td className="num" data-label="Uptime">
                {bpsPercent(b.uptime_bps)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  )
}

const reasons: Record<string, string> = {
  resource_type: 'wrong resource type',
  region: 'wrong region',
  price: 'price above your cap',
  uptime: 'uptime below your minimum',
  trust_level: 'trust level too low',
  verified_power: 'verified power too low',
  latency: 'too far (latency)',
}

/**
 * Online nodes that run the kind but do not qualify, in words, most first.
 * @example ineligibleLines({ region: 2 }) // ['2 nodes: wrong region']
 */
export function ineligibleLines(ineligible: TaskQuote['ineligible']): string[] {
  return Object.entries(ineligible)
    .filter(([, n]) => n > 0)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, n]) => `${n} ${n === 1 ? 'node' : 'nodes'}: ${reasons[reason] ?? reason.replace(/_/g, ' ')}`)
}
