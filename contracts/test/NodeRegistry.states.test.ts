/**
 * Seed 003's node states as NodeRegistry derives them from the chain. Active is the server's (heartbeats),
 * never the chain's.
 */
import { NodeState } from '@taskmarket/chain'
import { keccak256, parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { DAY, useFixture } from './fixture.ts'
import { batch, escrowHelpers } from './escrow.ts'
import { registryHelpers } from './registry.ts'

const f = useFixture()
const { settle } = escrowHelpers(f)
const { stakedNode, easyPow, passChallenge, recordTasks } = registryHelpers(f)

const state = () => f.registry.read.nodeState([f.worker1.address])
const LEVEL1 = parseEther('100')

describe('NodeRegistry', () => {
  describe('nodeState', () => {
    it('goes Pending → Verified → Earning, Inactive when the stake is withdrawn, and back', async () => {
      expect(await state()).toBe(NodeState.None)
      await stakedNode(f.worker1, 0n)
      expect(await state()).toBe(NodeState.Pending) // registered
      await f.approveAll(f.worker1)
      await f.faucet(f.worker1, LEVEL1)
      await f.tx(f.worker1.registry.write.stake([LEVEL1]))
      expect(await state()).toBe(NodeState.Pending) // staked, not verified by a PoW challenge
      await easyPow()
      await passChallenge(f.worker1)
      expect(await state()).toBe(NodeState.Verified)
      await recordTasks(f.worker1, 0, 1)
      expect(await state()).toBe(NodeState.Verified) // a failed task earns nothing
      await recordTasks(f.worker1, 1)
      expect(await state()).toBe(NodeState.Earning)

      await f.tx(f.worker1.registry.write.requestUnstake([1n]))
      expect(await state()).toBe(NodeState.Inactive) // below the level-1 stake
      await f.increaseTime(7 * DAY)
      await f.tx(f.worker1.registry.write.withdrawStake())
      expect(await state()).toBe(NodeState.Inactive)
      await f.faucet(f.worker1, 1n)
      await f.tx(f.worker1.registry.write.stake([1n]))
      expect(await state()).toBe(NodeState.Earning)
    })

    it('is Pending without a PoW pass, even with a stake, and never Active on chain', async () => {
      await stakedNode(f.worker1, parseEther('10000'))
      await recordTasks(f.worker1, 5)
      expect(await state()).toBe(NodeState.Pending)
      expect(Object.values(NodeState)).toContain(NodeState.Active)
    })

    it('is Slashed when a slash leaves it below the level-1 stake, until it stakes again', async () => {
      await stakedNode(f.worker1, LEVEL1 * 2n)
      await easyPow()
      await passChallenge(f.worker1)
      await f.tx(f.operator.registry.write.slash([f.worker1.address, LEVEL1, true, keccak256('0x01')]))
      expect(await state()).toBe(NodeState.Verified) // slashed, still at the level-1 stake
      await f.tx(f.operator.registry.write.slash([f.worker1.address, 1n, true, keccak256('0x02')]))
      expect(await state()).toBe(NodeState.Slashed)
      await f.faucet(f.worker1, 1n)
      await f.tx(f.worker1.registry.write.stake([1n]))
      expect(await state()).toBe(NodeState.Verified)
      await f.tx(f.worker1.registry.write.requestUnstake([LEVEL1]))
      expect(await state()).toBe(NodeState.Inactive) // it left of its own accord this time
    })

    it('is Rejected after failing verification three times, until it passes a challenge', async () => {
      await stakedNode(f.worker1, LEVEL1)
      await f.tx(f.admin.registry.write.setPowWindow([60n]))
      for (let i = 0; i < 3; i++) {
        expect(await state()).toBe(NodeState.Pending)
        await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
        await f.increaseTime(61)
        await f.tx(f.worker1.registry.write.expireChallenge([f.worker1.address]))
      }
      expect(await state()).toBe(NodeState.Rejected)
      await easyPow()
      await passChallenge(f.worker1)
      expect(await state()).toBe(NodeState.Verified)
    })

    it('is Rejected, at trust level 0, once a batch bans it, whatever it stakes', async () => {
      await stakedNode(f.worker1, parseEther('1000'))
      await easyPow()
      await passChallenge(f.worker1)
      await recordTasks(f.worker1, 3)
      expect(await state()).toBe(NodeState.Earning)
      const slash = { account: 0, reason: 'Misuse', amount: 5_000n, unit: 'bps', burn: true, ban: true } as const
      await f.tx(settle(batch([f.worker1.address], [], { slashes: [slash] })))
      expect(await state()).toBe(NodeState.Rejected)
      await f.faucet(f.worker1, parseEther('1000'))
      await f.tx(f.worker1.registry.write.stake([parseEther('1000')]))
      expect(await state()).toBe(NodeState.Rejected)
      expect(await f.registry.read.trustLevel([f.worker1.address])).toBe(0)
    })
  })
})
