import { type TaskView, humanKinds } from '@taskmarket/core'

/** What the status words need of a task: a list row has the first fields, a loaded task all of them. */
export type TaskLike = { challenge_type: string; status: string; deadline: number } & Partial<Pick<TaskView, 'escrow' | 'slots' | 'result'>>

const human = (kind: string) => (humanKinds as readonly string[]).includes(kind)
const running = (status: string) => status === 'pending' || status === 'in_progress'

/**
 * The status to show, in words a worker understands: a manual task or poll people can still take is
 * "open" (its reward locked, a slot free), "opening" while its reward is being locked; every other task
 * shows its own status.
 * @example statusWord({ challenge_type: 'poll', status: 'pending', deadline, escrow: { state: 'locked', … } }) // 'open'
 */
export function statusWord(t: TaskLike): string {
  if (!human(t.challenge_type) || !running(t.status)) return t.status
  if (t.escrow?.state === 'awaiting') return 'opening'
  if (t.challenge_type === 'manual' && t.slots && t.slots.free === 0) return 'in_progress'
  return 'open'
}

/**
 * When a task ended or will: its deadline while it runs, when it completed once done, nothing to point at
 * while it pays out or after a refund (no time is published for those).
 * @example taskTiming({ status: 'completed', result: { completed_at: 1700000000, … }, … }) // { label: 'Completed', at: 1700000000 }
 */
export function taskTiming(t: TaskLike): { label: string; at?: number } {
  const poll = t.challenge_type === 'poll'
  if (running(t.status)) return { label: human(t.challenge_type) ? 'Closes' : 'Deadline', at: t.deadline }
  if (t.status === 'verifying') return { label: human(t.challenge_type) ? 'Closed, paying out' : 'Verified, paying out' }
  if (t.status === 'completed') return { label: poll ? 'Closed and paid' : 'Completed', at: t.result?.completed_at ?? undefined }
  if (t.status === 'failed') return { label: 'Ended, refunded' }
  return { label: t.status === 'disputed' ? 'Disputed' : 'Ended' }
}
