import { describe, expect, it } from 'vitest'
import { distanceMeters, withinPlace } from './geo.ts'
import { manualTerms } from './manualTerms.ts'
import { tallyPoll } from './poll.ts'
import { qualifies } from './qualifications.ts'

describe('geo', () => {
  it('measures great-circle distances', () => {
    expect(distanceMeters({ latitude: 52.52, longitude: 13.405 }, { latitude: 48.8566, longitude: 2.3522 })).toBeCloseTo(877_460, -3)
    expect(distanceMeters({ latitude: 0, longitude: 0 }, { latitude: 0, longitude: 0 })).toBe(0)
  })
  it('checks a stamp against a radius', () => {
    const place = { latitude: 52.52, longitude: 13.405, radius_m: 100 }
    expect(withinPlace(place, { latitude: 52.5205, longitude: 13.405 })).toBe(true) // ≈ 56 m
    expect(withinPlace(place, { latitude: 52.523, longitude: 13.405 })).toBe(false) // ≈ 334 m
    expect(withinPlace(place, { latitude: 52.5212, longitude: 13.405, accuracy_m: 50 })).toBe(true) // 133 m, 50 m accuracy
  })
})

describe('tallyPoll', () => {
  const v = (voter: string, option: number, gold?: number[]) => ({ voter, option, gold })
  it('pays the 3 majority voters of a 5-voter poll', () => {
    const out = tallyPoll(3, [v('a', 1), v('b', 1), v('c', 0), v('d', 1), v('e', 2)], [], 'majority')
    expect(out).toEqual({ counts: [1, 3, 1], winners: [1], paid: ['a', 'b', 'd'], screened: [] })
  })
  it('shares a tie among the voters of every tied option', () => {
    expect(tallyPoll(3, [v('a', 0), v('b', 2), v('c', 0), v('d', 2)], [], 'majority').paid).toEqual(['a', 'b', 'c', 'd'])
  })
  it('screens out respondents who miss a gold question', () => {
    const out = tallyPoll(2, [v('a', 0, [1]), v('b', 1, [0]), v('c', 1, [1])], [{ answer: 1 }], 'majority')
    expect(out.screened).toEqual(['b'])
    expect(out.counts).toEqual([1, 1])
    expect(out.paid).toEqual(['a', 'c'])
  })
  it('pays everyone counted with reward "all", and nobody when nobody voted', () => {
    expect(tallyPoll(2, [v('a', 0), v('b', 1)], [], 'all').paid).toEqual(['a', 'b'])
    expect(tallyPoll(2, [], [], 'majority')).toEqual({ counts: [0, 0], winners: [], paid: [], screened: [] })
  })
})

describe('qualifies', () => {
  const worker = { languages: ['de', 'en'], region: 'EU', trust_level: 2, skills: ['driving'] }
  it.each([
    [{ field: 'languages', op: 'in', value: ['fr', 'de'] }, true],
    [{ field: 'languages', op: 'in', value: ['fr'] }, false],
    [{ field: 'region', op: 'not_in', value: ['US'] }, true],
    [{ field: 'region', op: 'not_in', value: ['EU'] }, false],
    [{ field: 'skills', op: 'exists' }, true],
    [{ field: 'occupation', op: 'exists' }, false],
    [{ field: 'occupation', op: 'not_in', value: ['x'] }, true],
    [{ field: 'trust_level', op: 'gte', value: 2 }, true],
    [{ field: 'trust_level', op: 'gt', value: 2 }, false],
    [{ field: 'region', op: 'eq', value: 'EU' }, true],
  ] as const)('%o → %s', (q, expected) => {
    expect(qualifies(worker, [q as never])).toBe(expected)
  })
})

describe('manualTerms', () => {
  it('gives a slot 2 hours and its review 72 hours unless the poster says otherwise', () => {
    expect(manualTerms({})).toEqual({ slots: 1, assignmentSeconds: 7_200, autoApproveSeconds: 259_200 })
    expect(manualTerms({ assignments: 4, assignment_minutes: 30, auto_approve_hours: 1 })).toEqual({ slots: 4, assignmentSeconds: 1_800, autoApproveSeconds: 3_600 })
  })
})
