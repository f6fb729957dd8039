/** NodeRegistry's wiring, deployment checks and parameters: cooldown, PoW target and window, treasury. */
import { NodeRegistry, roles } from '@taskmarket/chain'
import { keccak256, stringToHex, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { type Actor, DAY, expectRevert, useFixture } from './fixture.ts'
import { events, registryHelpers } from './registry.ts'
import { expectDeployRefusesZeroAddress } from './deploy.ts'

const f = useFixture()
const { node, challenge, stakedNode } = registryHelpers(f)

describe('NodeRegistry', () => {
  it('starts with the documented parameters and roles', async () => {
    expect(await f.registry.read.token()).toBe(f.addresses.token)
    expect(await f.registry.read.treasury()).toBe(f.treasury.address)
    expect(await f.registry.read.unstakeCooldown()).toBe(BigInt(7 * DAY))
    expect(await f.registry.read.powTarget()).toBe(1n << 240n)
    expect(await f.registry.read.powWindow()).toBe(600n)
    expect(await f.registry.read.hasRole([roles.RECORDER, f.addresses.escrow])).toBe(true)
    expect(await f.registry.read.hasRole([roles.SLASHER, f.operator.address])).toBe(true)
    expect(await f.registry.read.hasRole([roles.SLASHER, f.addresses.escrow])).toBe(true)
    expect(await f.registry.read.bondCooldown()).toBe(BigInt(30 * DAY))
    expect(await f.registry.read.hasRole([roles.CHALLENGER, f.operator.address])).toBe(true)
  })

  it('refuses to be deployed with a zero address', async () => {
    await expectDeployRefusesZeroAddress(f, NodeRegistry, 'NodeRegistryZeroAddress')
  })

  describe('parameters', () => {
    const setters = [
      { fn: 'setUnstakeCooldown', name: 'unstakeCooldown', min: 3_600n, max: 30n * 86_400n, read: 'unstakeCooldown' },
      { fn: 'setPowTarget', name: 'powTarget', min: 1n << 200n, max: 1n << 252n, read: 'powTarget' },
      { fn: 'setPowWindow', name: 'powWindow', min: 60n, max: 86_400n, read: 'powWindow' },
      { fn: 'setBondCooldown', name: 'bondCooldown', min: 7n * 86_400n, max: 180n * 86_400n, read: 'bondCooldown' },
    ] as const

    for (const s of setters) {
      it(`${s.fn} accepts [${s.min}, ${s.max}] from PARAMS_ROLE only`, async () => {
        const set = (who: Actor, value: bigint) => who.registry.write[s.fn]([value])
        const name = stringToHex(s.name, { size: 32 })
        const old = await f.registry.read[s.read]()
        const receipt = await f.tx(set(f.admin, s.min))
        expect(events(receipt, 'ParameterUpdated')[0].args).toEqual({ name, oldValue: old, newValue: s.min })
        expect(await f.registry.read[s.read]()).toBe(s.min)
        await f.tx(set(f.admin, s.max))
        expect(await f.registry.read[s.read]()).toBe(s.max)
        await expectRevert(set(f.admin, s.min - 1n), 'NodeRegistryParameterOutOfBounds', [name, s.min - 1n])
        await expectRevert(set(f.admin, s.max + 1n), 'NodeRegistryParameterOutOfBounds', [name, s.max + 1n])
        await expectRevert(set(f.outsider, s.min), 'AccessControlUnauthorizedAccount', [
          f.outsider.address,
          roles.PARAMS,
        ])
      })
    }

    it('applies a new cooldown and PoW window to later requests', async () => {
      await f.tx(f.admin.registry.write.setUnstakeCooldown([3_600n]))
      await f.tx(f.admin.registry.write.setPowWindow([60n]))
      await stakedNode(f.worker1, 10n)
      await f.tx(f.worker1.registry.write.requestUnstake([10n]))
      expect((await node(f.worker1)).unstakeReadyAt).toBe((await f.now()) + 3_600)
      await f.tx(f.worker1.registry.write.issueChallenge([f.worker1.address]))
      const c = await challenge(f.worker1)
      expect(c.deadline - c.issuedAt).toBe(60)
    })

    it('sets the treasury that receives slashed stake', async () => {
      const receipt = await f.tx(f.admin.registry.write.setTreasury([f.spare.address]))
      expect(events(receipt, 'TreasuryUpdated')[0].args).toEqual({
        oldTreasury: f.treasury.address,
        newTreasury: f.spare.address,
      })
      await stakedNode(f.worker1, 10n)
      await f.tx(f.operator.registry.write.slash([f.worker1.address, 4n, false, keccak256('0x01')]))
      expect(await f.token.read.balanceOf([f.spare.address])).toBe(4n)
      await expectRevert(f.admin.registry.write.setTreasury([zeroAddress]), 'NodeRegistryZeroAddress')
      await expectRevert(
        f.outsider.registry.write.setTreasury([f.outsider.address]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, roles.PARAMS],
      )
    })
  })
})
