import { describe, expect, it } from 'vitest'
import { assertTransition, canTransition, lifecycles, statusesBefore } from './lifecycle.ts'

describe('lifecycles', () => {
  it('name only known statuses, and every status is reachable from the first', () => {
    for (const { statuses, transitions } of Object.values(lifecycles)) {
      const known = new Set<string>(statuses)
      expect(Object.keys(transitions).sort()).toEqual([...statuses].sort())
      for (const targets of Object.values(transitions) as string[][]) for (const to of targets) expect(known.has(to)).toBe(true)
      const reached = new Set<string>([statuses[0]!])
      for (let grew = true; grew; ) {
        grew = false
        for (const from of [...reached]) for (const to of (transitions as Record<string, readonly string[]>)[from]!) if (!reached.has(to)) (reached.add(to), (grew = true))
      }
      expect([...reached].sort()).toEqual([...statuses].sort())
    }
  })

  it('end in states nothing leaves', () => {
    for (const end of ['completed', 'failed'] as const) expect(lifecycles.task.transitions[end]).toEqual([])
    expect(canTransition('task', 'completed', 'in_progress')).toBe(false)
    expect(canTransition('job', 'valid', 'open')).toBe(false)
  })

  it('answer which statuses lead to one, and refuse an illegal move with both names', () => {
    expect(statusesBefore('task', 'completed')).toEqual(['verifying'])
    expect(statusesBefore('assignment', 'valid').sort()).toEqual(['disputed', 'error', 'submitted'])
    expect(() => assertTransition('task', 'failed', 'completed')).toThrow('a task that is failed cannot become completed')
  })
})
