import { escrowStates, taskStatuses } from './api/tasks.ts'
import { TaskMarketError } from './errors.ts'

/**
 * The lives of tasks, jobs and assignments: every status each can have and the moves between them. The
 * database's CHECK constraints hold the same lists (a test compares them), and the server moves a status
 * only through a transition this table allows.
 */

export type TaskState = (typeof taskStatuses)[number]
export type EscrowState = (typeof escrowStates)[number]

/** A job waits for its task's escrow, is open to workers, then is decided (valid or error) or cancelled. */
export const jobStates = ['waiting', 'open', 'valid', 'error', 'cancelled'] as const
export type JobState = (typeof jobStates)[number]

/**
 * One worker's turn at one job: leased (compute) or claimed (human, also 'leased') until submitted, then
 * judged; a lease can also run out, be given back, or be cancelled when the job no longer needs it. The
 * human-work API shows them in its own words (api/human.ts: claimed, approved, …).
 */
export const assignmentStates = ['leased', 'submitted', 'error', 'valid', 'invalid', 'rejected', 'disputed', 'expired', 'released', 'cancelled'] as const
export type AssignmentState = (typeof assignmentStates)[number]

type Transitions<S extends string> = { readonly [from in S]: readonly S[] }

export const taskTransitions: Transitions<TaskState> = {
  pending: ['in_progress', 'verifying', 'failed'],
  in_progress: ['verifying', 'disputed', 'failed'],
  // A dispute resolved goes back to work (or straight to payment when nothing else is open).
  disputed: ['in_progress', 'verifying', 'failed'],
  verifying: ['completed', 'failed'],
  completed: [],
  failed: [],
}

export const jobTransitions: Transitions<JobState> = {
  waiting: ['open', 'cancelled'],
  open: ['valid', 'error', 'cancelled'],
  valid: [],
  error: [],
  cancelled: [],
}

export const assignmentTransitions: Transitions<AssignmentState> = {
  leased: ['submitted', 'error', 'expired', 'released', 'cancelled'],
  submitted: ['valid', 'invalid', 'rejected', 'disputed', 'cancelled'],
  error: ['valid', 'invalid', 'cancelled'],
  disputed: ['valid', 'rejected', 'cancelled'],
  valid: [],
  invalid: [],
  rejected: [],
  expired: [],
  released: [],
  cancelled: [],
}

export const lifecycles = {
  task: { statuses: taskStatuses, transitions: taskTransitions },
  job: { statuses: jobStates, transitions: jobTransitions },
  assignment: { statuses: assignmentStates, transitions: assignmentTransitions },
} as const
export type Lifecycle = keyof typeof lifecycles
export type StatusOf<L extends Lifecycle> = (typeof lifecycles)[L]['statuses'][number]

/** The statuses a `lifecycle` may leave for `to`. @example statusesBefore('task', 'completed') // ['verifying'] */
export function statusesBefore<L extends Lifecycle>(lifecycle: L, to: StatusOf<L>): StatusOf<L>[] {
  const transitions = lifecycles[lifecycle].transitions as Transitions<StatusOf<L>>
  return (Object.keys(transitions) as StatusOf<L>[]).filter((from) => transitions[from].includes(to))
}

/** Whether a `lifecycle` may move from `from` to `to`; staying put is not a move. */
export function canTransition<L extends Lifecycle>(lifecycle: L, from: StatusOf<L>, to: StatusOf<L>): boolean {
  return (lifecycles[lifecycle].transitions as Transitions<StatusOf<L>>)[from]?.includes(to) ?? false
}

/** Throws a CONFLICT naming both statuses when the move is not in the table. */
export function assertTransition<L extends Lifecycle>(lifecycle: L, from: StatusOf<L>, to: StatusOf<L>): void {
  if (!canTransition(lifecycle, from, to)) {
    throw new TaskMarketError('CONFLICT', `a ${lifecycle} that is ${from} cannot become ${to}`, { details: { reason: 'illegal transition', from, to } })
  }
}
