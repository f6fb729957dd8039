import { percent } from '../../../lib/format.ts'

type Props = { options: string[]; counts: number[]; winners?: number[]; mine?: number }

/** One bar per option with its votes; the winners highlighted and the viewer's own vote marked. */
export function PollBars({ options, counts, winners = [], mine }: Props) {
  const total = counts.reduce((a, b) => a + b, 0)
  return (
    <ol className="poll-bars">
      {options.map((option, i) => {
        const n = counts[i] ?? 0
        const won = winners.includes(i)
        return (
          <li key={i} className={`poll-bar${won ? ' poll-bar-won' : ''}`} data-testid="poll-bar">
            <div className="poll-bar-label">
              <span>
                {option}
                {won && <span className="badge badge-success">Winner</span>}
                {mine === i && <span className="badge badge-brand">Your vote</span>}
              </span>
              <span className="poll-bar-count">
                {n} · {percent(total ? n / total : 0)}
              </span>
            </div>
            <div className="bar-track">
              <span className="bar-fill" style={{ width: `${total ? (n / total) * 100 : 0}%`, background: won ? 'var(--success)' : '#818cf8' }} />
            </div>
          </li>
        )
      })}
    </ol>
  )
}
