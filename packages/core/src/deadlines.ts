/**
 * When a task's work must be done: bounds every poster meets, the defaults, and the time the operator keeps
 * after the deadline to settle before anyone may refund on chain. The server and the web form both check
 * a deadline with `deadlineProblem`.
 */

/** The nearest deadline a task may have, counted from when it is posted. */
export const MIN_DEADLINE_SECONDS = 30
/** The furthest: within the escrow's one-year task duration, with room for review and settlement. */
export const MAX_DEADLINE_SECONDS = 364 * 24 * 3600
/** A task posted without a deadline. */
export const DEFAULT_DEADLINE_SECONDS = 24 * 3600
/** A task of a kind no online worker runs, posted without a deadline: its reward is not locked for a day. */
export const UNRUNNABLE_DEADLINE_SECONDS = 3600
/** Time the operator keeps, after the work deadline, to settle before anyone may refund on chain. */
export const SETTLEMENT_GRACE_SECONDS = 24 * 3600

/**
 * Why `deadline` (unix seconds) cannot be a task's deadline at `nowSeconds`, or undefined when it can.
 * @example deadlineProblem(now + 10, now) // 'must be at least 30 seconds in the future'
 */
export function deadlineProblem(deadline: number, nowSeconds: number): string | undefined {
  if (deadline < nowSeconds + MIN_DEADLINE_SECONDS) return `must be at least ${MIN_DEADLINE_SECONDS} seconds in the future`
  if (deadline > nowSeconds + MAX_DEADLINE_SECONDS) return `must be within ${MAX_DEADLINE_SECONDS / 86_400} days`
  return undefined
}
