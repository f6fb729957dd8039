import { shortHex } from '../../lib/format.ts'
import type { LiveEvent } from '../../state/useLiveTask.ts'

/** What the WebSocket said about the task since the page opened, newest first. */
export function LiveTimeline({ events, live, final }: { events: LiveEvent[]; live: boolean; final: boolean }) {
  if (events.length === 0)
    return <p className="muted">{final ? 'The task was finished before this page opened; its record is below.' : live ? 'Listening… events appear here as workers report.' : 'Connecting to live updates…'}</p>
  return (
    <ol className="timeline" aria-live="polite">
      {events.map((e, i) => (
        <li key={`${e.at}-${i}`}>
          <span className={`tl-type tl-${e.type.toLowerCase()}`}>{e.type.replace('TASK_', '')}</span>
          <span className="tl-text">{describe(e)}</span>
          <time className="tl-time">{new Date(e.at).toLocaleTimeString()}</time>
        </li>
      ))}
    </ol>
  )
}

function describe(e: LiveEvent): string {
  switch (e.type) {
    case 'TASK_SUBMIT':
      return 'Escrow locked on chain; offered to workers'
    case 'TASK_PROGRESS':
      return `${String(e.status ?? '').replace('_', ' ')}${e.jobsTotal ? ` · ${e.jobsDone}/${e.jobsTotal} jobs` : ''}${e.message ? ` · ${String(e.message)}` : ''}`
    case 'TASK_RESPONSE':
      return 'A result came in'
    case 'TASK_VALIDATE':
      return `Job verified: ${Array.isArray(e.valid) ? e.valid.length : '?'} agreeing${Array.isArray(e.invalid) && e.invalid.length ? `, ${e.invalid.length} rejected` : ''}`
    case 'TASK_REWARD':
      return `${e.status === 'failed' ? 'Refunded' : 'Rewards paid'} in tx ${shortHex(String(e.txHash ?? ''))}`
    default:
      return e.type
  }
}
