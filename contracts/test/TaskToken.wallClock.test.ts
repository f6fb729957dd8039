/**
 * TaskToken on anvil's normal wall clock, where several blocks share a second: what a developer's chain (and
 * `taskmarket start`) does, and what the other contract tests avoid with one-second blocks (see fixture.ts).
 */
import { parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { useFixture } from './fixture.ts'

const f = useFixture({ wallClock: true })

describe('TaskToken on a wall-clock chain', () => {
  // With a timestamp clock, gas estimated in a block that shares its second with the previous one assumed
  // "update this second's checkpoint", and the transaction, mined a second later, needed a new checkpoint
  // (~20k more) and ran out of gas: about 1 faucet call in 200. Block numbers do not move between estimate
  // and inclusion.
  it('mints through the faucet hundreds of times in a row, a votes checkpoint per block', async () => {
    await f.tx(f.poster.token.write.delegate([f.poster.address]))
    const mints = 300
    const first = await f.publicClient.getBlockNumber()
    const start = await f.now()
    for (let i = 0; i < mints; i++) await f.faucet(f.poster, parseEther('1'))
    expect((await f.now()) - start).toBeLessThan(mints) // blocks did share seconds
    expect(await f.publicClient.getBlockNumber()).toBe(first + BigInt(mints))
    expect(await f.token.read.balanceOf([f.poster.address])).toBe(parseEther(String(mints)))
    expect(await f.token.read.numCheckpoints([f.poster.address])).toBe(mints)
    expect(await f.token.read.getPastVotes([f.poster.address, first + 100n])).toBe(parseEther('100'))
    expect(await f.token.read.getPastTotalSupply([first + 200n])).toBe(parseEther('200'))
  }, 60_000)
})
