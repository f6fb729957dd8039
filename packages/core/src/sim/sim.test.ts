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

  it('measures the server’s current rules for replicated jobs apart: colluders who answer first get wrong results paid there (none under the full rules, above)', () => {
    const asPosted = runSimulation({ jobs: 25_000, nodes: 250, seed: 1, replicatedAsPosted: true })
    expect(asPosted.byStrategy.collude.wrongPaid).toBeGreaterThan(0)
    // Even so, collusion does not pay: what the colluders lose in slashes exceeds what their lies earned.
    expect(checkTargets(asPosted).find((c) => c.name.startsWith('collude'))?.ok).toBe(true)
  })

  it('is seeded: the same options give the same figures', () => {
    const run = () => runSimulation({ jobs: 2_000, nodes: 400, seed: 9 })
    expect(run()).toEqual(run())
    expect(mulberry32(1)()).toBe(mulberry32(1)())
    expect(mulberry32(1)()).not.toBe(mulberry32(2)())
  })
})
