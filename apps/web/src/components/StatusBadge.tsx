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
  accepted: 'success',
  open: 'brand',
  opening: 'neutral',
  waiting: 'neutral',
  submitted: 'violet',
  error: 'danger',
  cancelled: 'neutral',
  released_lease: 'neutral',
  claimed: 'info',
  approved: 'success',
}

/** A coloured pill for a task, job, replica, assignment, escrow or node status, or a job record's verdict; `tone` overrides its colour. */
export function StatusBadge({ status, tone: override }: { status: string; tone?: string }) {
  return <span className={`badge badge-${override ?? tone[status] ?? 'neutral'}`}>{humanize(status)}</span>
}
