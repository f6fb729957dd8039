import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import {
  UNREPLICATED_QUORUM,
  anchorsFor,
  anchoredRuns,
  newcomerPlaces,
  planJob,
  plannedQuorum,
  chooseReplication,
  decideJob,
  decidePlannedJob,
  expectedResults,
  isProven,
  maxUnproven,
  nextAdaptiveState,
  pickReplicas,
  spotCheckRate,
  suspicionQuorum,
  unreplicatedProbability,
} from './adaptiveReplication.ts'
import { type ReplicaResult, replicationFor } from './quorum.ts'

const twoOfTwo = replicationFor(true, { target_results: 2 })
const twoOfThree = replicationFor(true)
const r = (worker: string, digest: string | null): ReplicaResult => ({ worker, digest })
const none = { suspects: [], lapsed: 0 }

describe('adaptive replication', () => {
  it('never sends a job unreplicated below a run of 10, then with probability 1 − 1/k', () => {
    expect([0, 5, 9].map((k) => unreplicatedProbability(k))).toEqual([0, 0, 0])
    expect(unreplicatedProbability(10)).toBeCloseTo(0.9)
    expect(unreplicatedProbability(50)).toBeCloseTo(0.98)
    expect(isProven({ consecutiveValid: 9 })).toBe(false)
    expect(isProven({ consecutiveValid: 10 })).toBe(true)
  })

  it('decides from the random number passed in: unreplicated below p(k), spot-checked below p(k)·rate(k)', () => {
    const state = { consecutiveValid: 20 }
    expect(chooseReplication(state, 0.96)).toEqual({ replicated: true, spotCheck: false })
    expect(chooseReplication(state, 0.94)).toEqual({ replicated: false, spotCheck: false })
    expect(chooseReplication(state, 0.01)).toEqual({ replicated: false, spotCheck: true })
    expect(chooseReplication({ consecutiveValid: 3 }, 0)).toEqual({ replicated: true, spotCheck: false })
    const draws = Array.from({ length: 10_000 }, (_, i) => chooseReplication(state, i / 10_000))
    expect(draws.filter((d) => !d.replicated).length).toBe(9_500)
    expect(draws.filter((d) => d.spotCheck).length).toBe(Math.ceil(10_000 * 0.95 * spotCheckRate(20)))
  })

  it('spot-checks a newly trusted node most, less as its run grows', () => {
    expect(spotCheckRate(9)).toBe(0)
    expect(spotCheckRate(10)).toBeCloseTo(0.1)
    expect(spotCheckRate(40)).toBeCloseTo(0.025)
  })

  it('counts valid results on replicated jobs only, and resets on one invalid result or timeout', () => {
    expect(nextAdaptiveState({ consecutiveValid: 12 }, 'valid', true)).toEqual({ consecutiveValid: 13 })
    expect(nextAdaptiveState({ consecutiveValid: 12 }, 'valid', false)).toEqual({ consecutiveValid: 12 })
    expect(nextAdaptiveState({ consecutiveValid: 12 }, 'invalid', true)).toEqual({ consecutiveValid: 0 })
    expect(nextAdaptiveState({ consecutiveValid: 12 }, 'timeout', false)).toEqual({ consecutiveValid: 0 })
  })

  it('expects about one result from a proven node’s job (its check included) and the replica count from a new node’s', () => {
    expect(expectedResults({ consecutiveValid: 0 }, twoOfThree)).toBe(3)
    // Replicated 5% of the time (one more result), checked in 5% of the other 95%.
    expect(expectedResults({ consecutiveValid: 20 }, twoOfTwo)).toBeCloseTo(1 + 0.05 + 0.95 * 0.05, 9)
  })

  it('replicates an unreplicated job whose result is missing or comes from a suspect', () => {
    expect(suspicionQuorum(UNREPLICATED_QUORUM, twoOfTwo, [r('a', 'x')], none)).toBe(UNREPLICATED_QUORUM)
    expect(suspicionQuorum(UNREPLICATED_QUORUM, twoOfTwo, [], { suspects: [], lapsed: 1 })).toEqual(twoOfTwo)
    expect(suspicionQuorum(UNREPLICATED_QUORUM, twoOfTwo, [r('a', null)], none)).toEqual(twoOfTwo)
    expect(suspicionQuorum(UNREPLICATED_QUORUM, twoOfTwo, [r('a', 'x')], { suspects: ['a'], lapsed: 0 }).minQuorum).toBe(3)
  })

  it('raises a replicated job’s quorum by one for a dissent and one more for a suspect’s result', () => {
    expect(suspicionQuorum(twoOfTwo, twoOfTwo, [r('a', 'x'), r('b', 'x')], none)).toBe(twoOfTwo)
    expect(suspicionQuorum(twoOfTwo, twoOfTwo, [r('a', 'x'), r('b', 'y')], none)).toEqual({ ...twoOfTwo, minQuorum: 3, targetResults: 3, maxTotalResults: twoOfTwo.maxTotalResults + 2 })
    expect(suspicionQuorum(twoOfThree, twoOfThree, [r('a', 'x'), r('b', 'y')], { suspects: ['b'], lapsed: 0 })).toMatchObject({ minQuorum: 4, targetResults: 4, maxTotalResults: twoOfThree.maxTotalResults + 4 })
    // A suspect's error is not a result: it raises nothing.
    expect(suspicionQuorum(twoOfTwo, twoOfTwo, [r('a', 'x'), r('b', null)], { suspects: ['b'], lapsed: 0 })).toBe(twoOfTwo)
  })

  it('decides a replicated job only once its target replicas are in', () => {
    expect(decideJob(twoOfThree, [r('a', 'x'), r('b', 'x')], 1)).toEqual({ state: 'pending', issue: 0 })
    expect(decideJob(twoOfThree, [r('a', 'x'), r('b', 'x')], 0)).toEqual({ state: 'pending', issue: 1 })
    expect(decideJob(twoOfThree, [r('a', 'x'), r('b', 'x'), r('c', 'x')], 0).state).toBe('valid')
    expect(decideJob(UNREPLICATED_QUORUM, [r('a', 'x')], 0).state).toBe('valid')
  })

  it('lets unproven nodes hold no majority: at most min(quorum, target − 1) of them', () => {
    expect(maxUnproven(twoOfTwo)).toBe(1)
    expect(maxUnproven(twoOfThree)).toBe(2)
    expect(maxUnproven(UNREPLICATED_QUORUM)).toBe(0)
    // Which is what it takes: two colluders alone decide a 2-of-2 job.
    expect(decideJob(twoOfTwo, [r('c1', 'wrong'), r('c2', 'wrong')], 0)).toMatchObject({ state: 'valid', digest: 'wrong' })
  })

  it('gives newcomer places to the longest runs, draws among equals, and keeps proven nodes in rank order', () => {
    const c = (name: string, run: number) => ({ name, run, proven: run >= 10 })
    const ranked = [c('fresh1', 0), c('p1', 30), c('mid', 4), c('p2', 12), c('fresh2', 0)]
    const names = (xs: { name: string }[]) => xs.map((x) => x.name)
    expect(names(pickReplicas(ranked, 3, 0, 0.5, 1))).toEqual(['p1', 'mid', 'p2'])
    expect(names(pickReplicas(ranked, 2, 0, 0.5, 1))).toEqual(['p1', 'mid'])
    expect(names(pickReplicas(ranked, 2, 1, 0.5, 1))).toEqual(['p1', 'p2'])
    expect(names(pickReplicas(ranked, 3, 0, 0.5, null))).toEqual(['fresh1', 'p1', 'mid'])
    const fresh = [c('a', 0), c('b', 0), c('c', 0), c('p', 20)]
    const drawn = new Set([0, 0.3, 0.6, 0.9].map((x) => names(pickReplicas(fresh, 2, 0, x, 1)).join()))
    expect(drawn.size).toBe(3)
  })

  it('sets a job’s newcomer places by its plan: none on a checked job, maxUnproven on replicas, no limit as posted', () => {
    expect(newcomerPlaces('checked', twoOfThree)).toBe(0)
    expect(newcomerPlaces('replicated', twoOfThree)).toBe(2)
    expect(newcomerPlaces('unreplicated', twoOfTwo)).toBe(1)
    expect(newcomerPlaces('posted', twoOfThree)).toBeNull()
  })

  it('never accepts colluders’ wrong answer when they hold no more places than maxUnproven, in any order', () => {
    fc.assert(
      fc.property(fc.constantFrom(twoOfTwo, twoOfThree), fc.nat(), fc.infiniteStream(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true })), (quorum, colluding, order) => {
        // Colluders take the unproven places; every other replica is a proven honest node answering 'x'.
        const colluders = colluding % (maxUnproven(quorum) + 1)
        const waiting: ReplicaResult[] = Array.from({ length: quorum.targetResults }, (_, i) => r(`w${i}`, i < colluders ? 'wrong' : 'x'))
        const results: ReplicaResult[] = []
        const draws = order[Symbol.iterator]()
        for (let step = 0; step < 50; step++) {
          while (waiting.length > 0) results.push(waiting.splice(Math.floor(draws.next().value * waiting.length), 1)[0]!)
          const d = decideJob(suspicionQuorum(quorum, quorum, results, none), results, 0)
          if (d.state !== 'pending') return d.state === 'valid' && d.digest === 'x'
          for (let i = 0; i < d.issue; i++) waiting.push(r(`h${step}.${i}`, 'x'))
        }
        return false
      }),
    )
  })
})

describe('planJob and plannedQuorum', () => {
  const replicated = replicationFor(true)
  it('plans a proven node’s job checked, alone or replicated by the draw, and never adapts a task of one result', () => {
    const proven = { consecutiveValid: 10 }
    // At a run of 10: alone below 0.9, checked below 0.9 × 10% = 0.09.
    expect([0.05, 0.5, 0.95].map((r) => planJob(proven, replicated, r, 3))).toEqual(['checked', 'unreplicated', 'replicated'])
    expect(planJob({ consecutiveValid: 9 }, replicated, 0, 3)).toBe('replicated')
    expect(planJob(proven, replicationFor(true, { min_quorum: 1, target_results: 1 }), 0, 3)).toBe('posted')
  })

  it('runs a job as posted while fewer proven nodes are online than its plan needs to anchor it', () => {
    const proven = { consecutiveValid: 10 }
    const threeOfFive = replicationFor(true, { min_quorum: 3, target_results: 5 })
    expect(anchorsFor(replicated)).toBe(3)
    expect(anchorsFor(threeOfFive)).toBe(4)
    expect([0.05, 0.5, 0.95].map((r) => planJob(proven, replicated, r, 2))).toEqual(['posted', 'posted', 'posted'])
    expect(planJob({ consecutiveValid: 0 }, replicated, 0.95, 0)).toBe('posted')
    expect(planJob({ consecutiveValid: 0 }, replicated, 0.95, 3)).toBe('replicated')
    expect(planJob(proven, threeOfFive, 0.05, 3)).toBe('posted')
    expect(planJob(proven, threeOfFive, 0.05, 4)).toBe('checked')
  })

  it('counts on proven runs in quotes only while each proven node has its anchors among the others', () => {
    const runs = (n: number) => new Map<string, { consecutiveValid: number }>([...Array.from({ length: n }, (_, i) => [`p${i}`, { consecutiveValid: 10 + i }] as const), ['new', { consecutiveValid: 3 }]])
    expect([...anchoredRuns(runs(3), replicated).values()].map((s) => s.consecutiveValid)).toEqual([0, 0, 0, 3])
    expect([...anchoredRuns(runs(4), replicated).values()].map((s) => s.consecutiveValid)).toEqual([10, 11, 12, 13, 3])
  })

  it('gives each plan its quorum: the task’s, one result, or the node’s and its check’s', () => {
    expect(plannedQuorum('replicated', replicated)).toBe(replicated)
    expect(plannedQuorum('unreplicated', replicated)).toMatchObject({ minQuorum: 1, targetResults: 1 })
    expect(plannedQuorum('checked', replicated)).toEqual({ ...replicated, minQuorum: 2, targetResults: 2 })
  })

  it('decides a posted job at the task’s quorum as soon as it is met, and a replicated one by the full rules', () => {
    const agreed = [r('a', 'x'), r('b', 'x')]
    expect(decidePlannedJob('posted', twoOfThree, agreed, none, 1)).toMatchObject({ quorum: twoOfThree, decision: { state: 'valid', digest: 'x' } })
    expect(decidePlannedJob('replicated', twoOfThree, agreed, none, 1).decision).toEqual({ state: 'pending', issue: 0 })
    const dissent = [...agreed, r('c', 'y')]
    expect(decidePlannedJob('posted', twoOfThree, dissent, none, 0).decision).toMatchObject({ state: 'valid', invalid: ['c'] })
    expect(decidePlannedJob('replicated', twoOfThree, dissent, none, 0)).toMatchObject({ quorum: { minQuorum: 3 }, decision: { state: 'pending' } })
    expect(decidePlannedJob('checked', twoOfThree, [r('a', 'x')], none, 0).decision).toEqual({ state: 'pending', issue: 1 })
    expect(decidePlannedJob('checked', twoOfThree, [r('a', 'x'), r('b', 'y')], none, 0).quorum.minQuorum).toBe(3)
  })
})
