/** Trust level 4 (Partner): a Trusted node with an SLA commitment and an insurance bond, withdrawn after a cooldown, slashable. */
import { PartnerBondsConstants } from '@taskmarket/chain'
import { keccak256, parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { DAY, expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers } from './escrow.ts'
import { burnedIn, events, registryHelpers } from './registry.ts'

const f = useFixture()
const { settle } = escrowHelpers(f)
const { node, stakedNode, trustedNode, tokenLedger } = registryHelpers(f)

const { LEVEL4_BOND, MIN_SLA_UPTIME_BPS, MAX_SLA_UPTIME_BPS } = PartnerBondsConstants
const partner = (who: { address: `0x${string}` }) => f.registry.read.getPartner([who.address])
const level = () => f.registry.read.trustLevel([f.worker1.address])

describe('NodeRegistry', () => {
  describe('Partner', () => {
    it('commits to an SLA within its bounds, or withdraws it with zero', async () => {
      await expectRevert(f.worker1.registry.write.commitSla([9_500n]), 'NodeRegistryNotRegistered', [f.worker1.address])
      await stakedNode(f.worker1, 0n)
      for (const bad of [1n, MIN_SLA_UPTIME_BPS - 1n, MAX_SLA_UPTIME_BPS + 1n, 10_000n]) {
        await expectRevert(f.worker1.registry.write.commitSla([bad]), 'NodeRegistrySlaOutOfBounds', [bad])
      }
      for (const uptime of [MIN_SLA_UPTIME_BPS, MAX_SLA_UPTIME_BPS, 0n]) {
        const receipt = await f.tx(f.worker1.registry.write.commitSla([uptime]))
        expect(events(receipt, 'SlaCommitted')[0].args).toEqual({ node: f.worker1.address, uptimeBps: uptime })
        expect((await partner(f.worker1)).slaUptimeBps).toBe(Number(uptime))
      }
    })

    it('posts a bond from a registered node only', async () => {
      await expectRevert(f.worker1.registry.write.postBond([1n]), 'NodeRegistryNotRegistered', [f.worker1.address])
      await stakedNode(f.worker1, parseEther('50'))
      await expectRevert(f.worker1.registry.write.postBond([0n]), 'NodeRegistryZeroAmount')
      await f.faucet(f.worker1, parseEther('70'))
      await f.tx(f.worker1.registry.write.postBond([parseEther('30')]))
      const receipt = await f.tx(f.worker1.registry.write.postBond([parseEther('40')]))
      expect(events(receipt, 'BondPosted')[0].args).toEqual({
        node: f.worker1.address,
        amount: parseEther('40'),
        totalBond: parseEther('70'),
      })
      expect(await partner(f.worker1)).toEqual({ bond: parseEther('70'), unbonding: 0n, unbondReadyAt: 0, slaUptimeBps: 0 })
      expect(await f.token.read.balanceOf([f.addresses.registry])).toBe(parseEther('120'))
    })

    it('reads level 4 for a Trusted node with an SLA and LEVEL4_BOND bonded, and 3 when either goes', async () => {
      await trustedNode(f.worker1)
      expect(await level()).toBe(3)
      await f.tx(f.worker1.registry.write.commitSla([9_950n]))
      expect(await level()).toBe(3) // no bond yet
      await f.faucet(f.worker1, LEVEL4_BOND + 1n)
      await f.tx(f.worker1.registry.write.postBond([LEVEL4_BOND - 1n]))
      expect(await level()).toBe(3)
      await f.tx(f.worker1.registry.write.postBond([1n]))
      expect(await level()).toBe(4)

      await f.tx(f.worker1.registry.write.commitSla([0n]))
      expect(await level()).toBe(3)
      await f.tx(f.worker1.registry.write.commitSla([MIN_SLA_UPTIME_BPS]))
      expect(await level()).toBe(4)
      await f.tx(f.worker1.registry.write.requestBondWithdrawal([1n]))
      expect(await level()).toBe(3) // a queued bond does not count
      await f.tx(f.worker1.registry.write.postBond([1n]))
      expect(await level()).toBe(4)
      await f.tx(f.worker1.registry.write.requestUnstake([1n]))
      expect(await level()).toBe(2) // no longer Trusted: no longer a Partner
    })

    it('does not make a node below level 3 a Partner', async () => {
      await stakedNode(f.worker1, parseEther('10000'))
      await f.faucet(f.worker1, LEVEL4_BOND)
      await f.tx(f.worker1.registry.write.commitSla([9_990n]))
      await f.tx(f.worker1.registry.write.postBond([LEVEL4_BOND]))
      expect(await level()).toBe(1) // staked, but no PoW passes nor tasks
    })

    it('pays the bond back only after the bond cooldown, which a new request restarts', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      await f.faucet(f.worker1, parseEther('100'))
      await f.tx(f.worker1.registry.write.postBond([parseEther('100')]))
      await expectRevert(f.worker1.registry.write.requestBondWithdrawal([0n]), 'NodeRegistryZeroAmount')
      await expectRevert(f.worker1.registry.write.requestBondWithdrawal([parseEther('101')]), 'NodeRegistryInsufficientBond', [
        f.worker1.address,
        parseEther('100'),
        parseEther('101'),
      ])
      const receipt = await f.tx(f.worker1.registry.write.requestBondWithdrawal([parseEther('60')]))
      const readyAt = (await f.now()) + 30 * DAY
      expect(events(receipt, 'BondWithdrawalRequested')[0].args).toEqual({
        node: f.worker1.address,
        amount: parseEther('60'),
        readyAt: BigInt(readyAt),
      })
      expect(await partner(f.worker1)).toMatchObject({ bond: parseEther('40'), unbonding: parseEther('60'), unbondReadyAt: readyAt })
      await f.increaseTime(29 * DAY)
      await f.tx(f.worker1.registry.write.requestBondWithdrawal([parseEther('10')]))
      const later = (await f.now()) + 30 * DAY
      await f.increaseTime(2 * DAY)
      await expectRevert(f.worker1.registry.write.withdrawBond(), 'NodeRegistryBondCooldownActive', [f.worker1.address, BigInt(later)])
      await f.tx(f.admin.registry.write.setBondCooldown([7n * BigInt(DAY)])) // applies to later requests only
      await expectRevert(f.worker1.registry.write.withdrawBond(), 'NodeRegistryBondCooldownActive')
      await f.increaseTime(28 * DAY)
      const withdrawn = await f.tx(f.worker1.registry.write.withdrawBond())
      expect(events(withdrawn, 'BondWithdrawn')[0].args).toEqual({ node: f.worker1.address, amount: parseEther('70') })
      expect(await f.token.read.balanceOf([f.worker1.address])).toBe(parseEther('70'))
      expect(await partner(f.worker1)).toMatchObject({ bond: parseEther('30'), unbonding: 0n })
      await expectRevert(f.worker1.registry.write.withdrawBond(), 'NodeRegistryNothingToWithdraw', [f.worker1.address])
    })

    it('is slashed once the stake is gone, its queue included, and no token is lost', async () => {
      await stakedNode(f.worker1, parseEther('100'))
      await f.faucet(f.worker1, parseEther('600'))
      await f.tx(f.worker1.registry.write.postBond([parseEther('600')]))
      await f.tx(f.worker1.registry.write.requestBondWithdrawal([parseEther('100')]))
      const minted = parseEther('700')

      await expectRevert(
        f.operator.registry.write.slash([f.worker1.address, parseEther('701'), false, keccak256('0x01')]),
        'NodeRegistryInsufficientStake',
        [f.worker1.address, minted, parseEther('701')],
      )
      const first = await f.tx(f.operator.registry.write.slash([f.worker1.address, parseEther('300'), false, keccak256('0x01')]))
      expect(await node(f.worker1)).toMatchObject({ stake: 0n, unstaking: 0n, slashed: true })
      expect(await partner(f.worker1)).toMatchObject({ bond: parseEther('300'), unbonding: parseEther('100') })

      const b = batch([f.worker1.address], [], {
        slashes: [{ account: 0, reason: 'Misuse', amount: minted, unit: 'tokens', burn: true, ban: true }],
      })
      const second = await f.tx(settle(b))
      expect(events(second, 'NodeSlashedInBatch')[0].args.amount).toBe(parseEther('400'))
      expect(await partner(f.worker1)).toMatchObject({ bond: 0n, unbonding: 0n })
      const burned = burnedIn(first) + burnedIn(second)
      const { stakes, balances, locked, treasury } = await tokenLedger([], burned)
      expect({ stakes, treasury, burned }).toEqual({ stakes: 0n, treasury: parseEther('300'), burned: parseEther('400') })
      expect(stakes + balances + locked + treasury + burned).toBe(minted)
    })
  })
})
