/** NodeRegistry registration, staking, unstaking and slashing. */
import { roles } from '@taskmarket/chain'
import { keccak256, parseEther, toHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { DAY, expectRevert, useFixture } from './fixture.ts'
import { META, events, registryHelpers } from './registry.ts'

const f = useFixture()
const { node, stakedNode } = registryHelpers(f)

describe('NodeRegistry', () => {
  describe('registration', () => {
    it('registers a node once, with its metadata hash', async () => {
      const receipt = await f.tx(f.worker1.registry.write.registerNode([META]))
      const block = await f.publicClient.getBlock({ blockNumber: receipt.blockNumber })
      expect(await node(f.worker1)).toMatchObject({
        registered: true,
        metadataHash: META,
        stake: 0n,
        registeredAt: Number(block.timestamp),
      })
      expect(events(receipt, 'NodeRegistered')[0].args).toEqual({ node: f.worker1.address, metadataHash: META })
      await expectRevert(f.worker1.registry.write.registerNode([META]), 'NodeRegistryAlreadyRegistered', [
        f.worker1.address,
      ])
    })

    it('updates the metadata of a registered node only', async () => {
      const next = keccak256(toHex('gpu: 2x A100'))
      await expectRevert(f.worker1.registry.write.updateMetadata([next]), 'NodeRegistryNotRegistered', [
        f.worker1.address,
      ])
      await f.tx(f.worker1.registry.write.registerNode([META]))
      const receipt = await f.tx(f.worker1.registry.write.updateMetadata([next]))
      expect((await node(f.worker1)).metadataHash).toBe(next)
      expect(events(receipt, 'NodeMetadataUpdated')[0].args).toEqual({ node: f.worker1.address, metadataHash: next })
    })
  })

  describe('stake', () => {
    it('stakes approved tokens into a registered node', async () => {
      await stakedNode(f.worker1, parseEther('60'))
      await f.faucet(f.worker1, parseEther('40'))
      const receipt = await f.tx(f.worker1.registry.write.stake([parseEther('40')]))
      expect((await node(f.worker1)).stake).toBe(parseEther('100'))
      expect(events(receipt, 'Staked')[0].args).toEqual({
        node: f.worker1.address,
        amount: parseEther('40'),
        totalStake: parseEther('100'),
      })
      expect(await f.token.read.balanceOf([f.addresses.registry])).toBe(parseEther('100'))
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(0n)
    })

    it('refuses nothing, an unregistered node and a missing approval', async () => {
      await expectRevert(f.worker1.registry.write.stake([1n]), 'NodeRegistryNotRegistered', [f.worker1.address])
      await f.tx(f.worker1.registry.write.registerNode([META]))
      await expectRevert(f.worker1.registry.write.stake([0n]), 'NodeRegistryZeroAmount')
      await f.faucet(f.worker1, 5n)
      await expectRevert(f.worker1.registry.write.stake([5n]), 'ERC20InsufficientAllowance', [
        f.addresses.registry,
        0n,
        5n,
      ])
    })

    it('queues stake for withdrawal after the cooldown', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      const receipt = await f.tx(f.worker1.registry.write.requestUnstake([parseEther('30')]))
      const readyAt = (await f.now()) + 7 * DAY
      expect(await node(f.worker1)).toMatchObject({
        stake: parseEther('70'),
        unstaking: parseEther('30'),
        unstakeReadyAt: readyAt,
      })
      expect(events(receipt, 'UnstakeRequested')[0].args).toEqual({
        node: f.worker1.address,
        amount: parseEther('30'),
        readyAt: BigInt(readyAt),
      })

      await expectRevert(f.worker1.registry.write.withdrawStake(), 'NodeRegistryCooldownActive', [
        f.worker1.address,
        BigInt(readyAt),
      ])
      await f.increaseTime(7 * DAY)
      const withdrawn = await f.tx(f.worker1.registry.write.withdrawStake())
      expect(events(withdrawn, 'StakeWithdrawn')[0].args).toEqual({ node: f.worker1.address, amount: parseEther('30') })
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(parseEther('30'))
      expect(await node(f.worker1)).toMatchObject({ stake: parseEther('70'), unstaking: 0n })
      await expectRevert(f.worker1.registry.write.withdrawStake(), 'NodeRegistryNothingToWithdraw', [f.worker1.address])
    })

    it('restarts the cooldown for the whole queue on a new request', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('10')]))
      await f.increaseTime(6 * DAY)
      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('10')]))
      await f.increaseTime(2 * DAY)
      await expectRevert(f.worker1.registry.write.withdrawStake(), 'NodeRegistryCooldownActive')
      await f.increaseTime(5 * DAY)
      await f.tx(f.worker1.registry.write.withdrawStake())
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(parseEther('20'))
    })

    it('refuses to unstake nothing, more than staked, or for an unregistered node', async () => {
      await expectRevert(f.worker1.registry.write.requestUnstake([1n]), 'NodeRegistryNotRegistered')
      await stakedNode(f.worker1, 10n)
      await expectRevert(f.worker1.registry.write.requestUnstake([0n]), 'NodeRegistryZeroAmount')
      await expectRevert(f.worker1.registry.write.requestUnstake([11n]), 'NodeRegistryInsufficientStake', [
        f.worker1.address,
        10n,
        11n,
      ])
    })
  })

  describe('slash', () => {
    it('burns from the stake, then from the unstaking queue', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      await f.tx(f.worker1.registry.write.requestUnstake([parseEther('40')]))
      const supply = await f.token.read.totalSupply()
      const reason = keccak256(toHex('wrong result, task 7'))
      const receipt = await f.tx(f.operator.registry.write.slash([f.worker1.address, parseEther('80'), true, reason]))
      expect(await node(f.worker1)).toMatchObject({ stake: 0n, unstaking: parseEther('20') })
      expect(await f.token.read.totalSupply()).toBe(supply - parseEther('80'))
      expect(await f.token.read.balanceOf([f.addresses.registry])).toBe(parseEther('20'))
      expect(events(receipt, 'NodeSlashed')[0].args).toEqual({
        node: f.worker1.address,
        amount: parseEther('80'),
        burned: true,
        reason,
      })
    })

    it('sends slashed stake to the treasury when not burning', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      const supply = await f.token.read.totalSupply()
      await f.tx(f.operator.registry.write.slash([f.worker1.address, parseEther('30'), false, keccak256('0x01')]))
      expect(await f.token.read.balanceOf([f.treasury.address])).toBe(parseEther('30'))
      expect(await f.token.read.totalSupply()).toBe(supply)
      expect((await node(f.worker1)).stake).toBe(parseEther('70'))
    })

    it('refuses more than the node holds, nothing, and callers without SLASHER_ROLE', async () => {
      await stakedNode(f.worker1, 100n)
      await f.tx(f.worker1.registry.write.requestUnstake([30n]))
      const reason = keccak256('0x01')
      await expectRevert(
        f.operator.registry.write.slash([f.worker1.address, 101n, true, reason]),
        'NodeRegistryInsufficientStake',
        [f.worker1.address, 100n, 101n],
      )
      await expectRevert(
        f.operator.registry.write.slash([f.worker1.address, 0n, true, reason]),
        'NodeRegistryZeroAmount',
      )
      await expectRevert(
        f.outsider.registry.write.slash([f.worker1.address, 1n, true, reason]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, roles.SLASHER],
      )
    })
  })
})
