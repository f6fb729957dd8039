import { humanize } from '../lib/format.ts'

const tone: Record<string, string> = {
  pending: 'neutral',
  in_progress: 'info',
  verifying: 'violet',
  completed: 'success',
  failed: 'danger',
  disputed: 'warn',
  valid: 'success',
  invalid: 'danger',
  running: 'info',
  leased: 'info',
  done: 'success',
  expired: 'warn',
  locked: 'info',
  awaiting: 'neutral',
  released: 'success',
  refunded: 'warn',
  rejected: 'danger',
  open: 'neutral',
  waiting: 'neutral',
  submitted: 'violet',
  error: 'danger',
  cancelled: 'neutral',
  released_lease: 'neutral',
}

/** A coloured pill for a task, job, replica or escrow status. */
export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${tone[status] ?? 'neutral'}`}>{humanize(status)}</span>
}
