import { countdown } from '../lib/format.ts'
import { useNow } from '../state/useNow.ts'

/** Time left until `until` (unix seconds), ticking each second; `done` once it has passed. */
export function Countdown({ until, done = 'time is up' }: { until: number; done?: string }) {
  const now = useNow()
  const left = until - now / 1000
  if (left <= 0) return <span className="countdown countdown-over">{done}</span>
  return (
    <time className={`countdown${left < 300 ? ' countdown-soon' : ''}`} dateTime={new Date(until * 1000).toISOString()}>
      {countdown(until, now)}
    </time>
  )
}
