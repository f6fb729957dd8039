/** NodeRegistry task records and the trust level they, the stake and the PoW passes give a node. */
import { roles } from '@taskmarket/chain'
import { parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { expectRevert, useFixture } from './fixture.ts'
import { counts, events, registryHelpers } from './registry.ts'

const f = useFixture()
const { node, stakedNode, easyPow, passChallenge } = registryHelpers(f)

describe('NodeRegistry', () => {
  describe('task results', () => {
    it('adds outcomes for RECORDER_ROLE, skipping empty entries', async () => {
      await f.grantRole('registry', roles.RECORDER, f.spare)
      const receipt = await f.tx(
        f.spare.registry.write.recordTaskResults([
          [f.worker1.address, f.worker2.address, f.worker3.address],
          [counts(3, 1), 0n, counts(1, 2)],
          [],
        ]),
      )
      expect(await node(f.worker1)).toMatchObject({ tasksCompleted: 3, tasksFailed: 1 })
      expect(await node(f.worker3)).toMatchObject({ tasksCompleted: 1, tasksFailed: 2 })
      expect(events(receipt, 'TaskResultsRecorded').map((e) => e.args)).toEqual([
        { node: f.worker1.address, completed: 3n, failed: 1n },
        { node: f.worker3.address, completed: 1n, failed: 2n },
      ])
    })

    it('refuses mismatched lengths, too large a batch and callers without RECORDER_ROLE', async () => {
      await f.grantRole('registry', roles.RECORDER, f.spare)
      await expectRevert(
        f.spare.registry.write.recordTaskResults([[f.worker1.address], [], []]),
        'NodeRegistryLengthMismatch',
      )
      await expectRevert(
        f.spare.registry.write.recordTaskResults([[f.worker1.address], [1n], [0n, 0n]]),
        'NodeRegistryLengthMismatch',
      )
      const many = Array.from({ length: 1_025 }, () => f.worker1.address)
      await expectRevert(
        f.spare.registry.write.recordTaskResults([many, many.map(() => 1n), []]),
        'NodeRegistryBatchTooLarge',
      )
      await expectRevert(
        f.operator.registry.write.recordTaskResults([[f.worker1.address], [1n], []]),
        'AccessControlUnauthorizedAccount',
        [f.operator.address, roles.RECORDER],
      )
    })
  })

  describe('trustLevel', () => {
    it('climbs 0 → 1 → 2 → 3 with stake, PoW passes and a task record', async () => {
      const level = () => f.registry.read.trustLevel([f.worker1.address])
      expect(await level()).toBe(0) // not registered
      await stakedNode(f.worker1, parseEther('99'))
      expect(await level()).toBe(0)
      await f.faucet(f.worker1, parseEther('9901'))
      await f.tx(f.worker1.registry.write.stake([parseEther('1')]))
      expect(await level()).toBe(1) // 100 staked

      await f.tx(f.worker1.registry.write.stake([parseEther('900')]))
      expect(await level()).toBe(1) // 1,000 staked, no PoW yet
      await easyPow()
      for (let i = 0; i < 9; i++) await passChallenge(f.worker1)
      expect(await level()).toBe(1)
      await passChallenge(f.worker1)
      expect((await node(f.worker1)).powPasses).toBe(10)
      expect(await level()).toBe(2)

      await f.grantRole('registry', roles.RECORDER, f.spare)
      const record = (completed: number, failed: number) =>
        f.tx(f.spare.registry.write.recordTaskResults([[f.worker1.address], [counts(completed, failed)], []]))
      await record(190, 10) // exactly 95%
      expect(await level()).toBe(2) // 1,000 staked only
      await f.tx(f.worker1.registry.write.stake([parseEther('8999')]))
      expect(await level()).toBe(2) // 9,999 staked
      await f.tx(f.worker1.registry.write.stake([parseEther('1')]))
      expect(await level()).toBe(3) // 10,000 staked, 10 passes, 190 of 200 tasks
      await record(0, 1)
      expect(await level()).toBe(2) // 190 of 201 is below 95%
      await record(20, 0)
      expect(await level()).toBe(3)

      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('1')]))
      expect(await level()).toBe(2) // queued stake does not count
    })

    it('needs 100 completed tasks for level 3, whatever the success rate', async () => {
      await stakedNode(f.worker1, parseEther('10000'))
      await easyPow()
      for (let i = 0; i < 10; i++) await passChallenge(f.worker1)
      await f.grantRole('registry', roles.RECORDER, f.spare)
      await f.tx(f.spare.registry.write.recordTaskResults([[f.worker1.address], [counts(99, 0)], []]))
      expect(await f.registry.read.trustLevel([f.worker1.address])).toBe(2)
      await f.tx(f.spare.registry.write.recordTaskResults([[f.worker1.address], [counts(1, 0)], []]))
      expect(await f.registry.read.trustLevel([f.worker1.address])).toBe(3)
    })
  })
})
