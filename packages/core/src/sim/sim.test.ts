import { describe, expect, it } from 'vitest'
import { runSimulation } from './market.ts'
import { mulberry32 } from './prng.ts'
import { checkTargets, resultsPerJob } from './report.ts'

describe('the trust layer’s simulation', () => {
  it('meets the targets on a small seeded run: wrong results paid < 0.1%, ≤ 1.3 results per job once settled, every attack at a loss', () => {
    const stats = runSimulation({ jobs: 25_000, nodes: 250, seed: 1 })
    // The attackers did attack: wrong results were returned, and timeouts and outvoted results were slashed.
    expect(stats.wrongResults).toBeGreaterThan(1_000)
    expect(stats.byStrategy.silent.slashed).toBeGreaterThan(0n)
    expect(stats.byStrategy.collude.wrongPaid).toBe(0)
    expect(stats.all.accepted + stats.all.failed).toBe(25_000)
    expect(resultsPerJob(stats.settled)).toBeLessThan(resultsPerJob(stats.all))
    expect(checkTargets(stats).filter((c) => !c.ok)).toEqual([])
    // The quote predicts what settled jobs took, checks included (the poster pays for them).
    expect(Math.abs(stats.quote.expected - stats.quote.realized)).toBeLessThan(0.15)
  })

  it('bootstraps a market with no proven nodes: jobs run as posted until enough nodes are proven to anchor the full rules, and collusion still loses', () => {
    const stats = runSimulation({ jobs: 10_000, nodes: 250, seed: 2, platform: 0 })
    expect(stats.all.accepted + stats.all.failed).toBe(10_000)
    expect(stats.all.failed).toBeLessThan(200)
    // Colluders win some posted jobs while the market is new; none once reputations settle.
    expect(stats.byStrategy.collude.wrongPaid).toBeGreaterThan(0)
    expect(stats.settled.wrongPaid).toBe(0)
    expect(checkTargets(stats).filter((c) => c.name.startsWith('collude') || c.name.startsWith('random')).every((c) => c.ok)).toBe(true)
  })

  it('is seeded: the same options give the same figures', () => {
    const run = () => runSimulation({ jobs: 2_000, nodes: 400, seed: 9 })
    expect(run()).toEqual(run())
    expect(mulberry32(1)()).toBe(mulberry32(1)())
    expect(mulberry32(1)()).not.toBe(mulberry32(2)())
  })
})
