import type { ManualPayload, TaskView } from '@taskmarket/core'
import { Countdown } from '../../../components/Countdown.tsx'
import { PinIcon } from '../../../components/icons.tsx'
import { manualPay } from '../../../lib/cost.ts'
import { SYMBOL, formatAmount, formatDateTime } from '../../../lib/format.ts'
import { formatDistance, mapLink } from '../../../lib/geolocation.ts'
import { taskTiming } from '../../../lib/taskStatus.ts'
import { proofNames } from '../../create/ManualFields.tsx'

/**
 * Slots as the API counts them (`slots.free`): none are free before the reward is locked, so that moment
 * says so rather than "0 open".
 */
function slotsText(task: TaskView, slots: number, open: boolean): string {
  if (!open || !task.slots) return `${task.progress.jobs_done} of ${slots} done`
  if (task.escrow.state === 'awaiting') return `${slots} ${slots === 1 ? 'slot' : 'slots'} · open once the reward is locked`
  return `${task.slots.free} of ${slots} open`
}

/** The task as a worker reads it before claiming: what, where, which proofs, the pay and the time. */
export function ManualBrief({ task, forPoster }: { task: TaskView; forPoster?: boolean }) {
  const p = task.payload as ManualPayload
  const slots = p.assignments ?? 1
  const { gross, net } = manualPay(task.reward, slots)
  const open = ['pending', 'in_progress'].includes(task.status)
  const timing = taskTiming(task)
  return (
    <div className="card brief">
      <div className="pay-line">
        <div>
          <span className="pay-amount" data-testid="pay-per-assignment">
            {formatAmount(net)} <small>{SYMBOL}</small>
          </span>
          <span className="muted small">
            {' '}
            {forPoster ? 'to each worker' : 'you earn'} · {formatAmount(gross)} per assignment less the 8% fee
          </span>
        </div>
        <span className="slots" data-testid="slots">
          {slotsText(task, slots, open)}
        </span>
      </div>
      <p className="brief-text">{p.description}</p>
      {p.place && (
        <div className="brief-place">
          <span className="brief-icon">
            <PinIcon size={22} />
          </span>
          <div>
            <strong>{p.place.label ?? 'At a place'}</strong>
            <div className="muted small">
              {p.place.latitude.toFixed(5)}, {p.place.longitude.toFixed(5)} · within {formatDistance(p.place.radius_m)} ·{' '}
              <a href={mapLink(p.place.latitude, p.place.longitude)} target="_blank" rel="noreferrer">
                Map
              </a>
            </div>
          </div>
        </div>
      )}
      <div>
        <h3 className="brief-label">Proofs to send</h3>
        <ul className="chips">
          {p.proofs.map((k) => (
            <li key={k} className="chip">
              {proofNames[k].name}
            </li>
          ))}
        </ul>
        {p.checklist && (
          <ol className="brief-checklist small">
            {p.checklist.map((item, i) => (
              <li key={i}>{item}</li>
            ))}
          </ol>
        )}
      </div>
      <dl className="kv brief-terms">
        <dt>Time to do it</dt>
        <dd>{p.assignment_minutes ?? 120} min after claiming</dd>
        <dt>Review</dt>
        <dd>within {p.auto_approve_hours ?? 72} h, else approved by itself</dd>
        <dt>{open ? 'Open for' : timing.label}</dt>
        <dd>{open ? <Countdown until={task.deadline} done="ended" /> : timing.at ? formatDateTime(timing.at) : '—'}</dd>
      </dl>
    </div>
  )
}
