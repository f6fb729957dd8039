import type { ManualPayload } from '../api/human.ts'

/** What a manual task allows when the poster does not say: 2 hours to do a slot, 72 hours to review it. */
export const MANUAL_DEFAULTS = { assignments: 1, assignmentMinutes: 120, autoApproveHours: 72 } as const

/**
 * A manual task's terms: its slots, the time a person has for one once claimed, and the time the poster
 * has to review before the work is approved automatically.
 * @example manualTerms({ title, description, proofs: ['photo'] }) // { slots: 1, assignmentSeconds: 7200, autoApproveSeconds: 259200 }
 */
export function manualTerms(payload: Pick<ManualPayload, 'assignments' | 'assignment_minutes' | 'auto_approve_hours'>) {
  return {
    slots: payload.assignments ?? MANUAL_DEFAULTS.assignments,
    assignmentSeconds: (payload.assignment_minutes ?? MANUAL_DEFAULTS.assignmentMinutes) * 60,
    autoApproveSeconds: (payload.auto_approve_hours ?? MANUAL_DEFAULTS.autoApproveHours) * 3600,
  }
}
