/** TaskEscrow's wiring, deployment checks and parameters: fee schemes, treasury and registry. */
import { TaskEscrow, roles } from '@taskmarket/chain'
import { parseEther, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers, events, settlement } from './escrow.ts'
import { expectDeployRefusesZeroAddress } from './deploy.ts'

const f = useFixture()
const { balance, settle } = escrowHelpers(f)

describe('TaskEscrow', () => {
  it('is wired to the token, treasury and registry, with the three built-in fee schemes', async () => {
    expect(await f.escrow.read.token()).toBe(f.addresses.token)
    expect(await f.escrow.read.treasury()).toBe(f.treasury.address)
    expect(await f.escrow.read.registry()).toBe(f.addresses.registry)
    expect(await f.escrow.read.feeSchemeCount()).toBe(3n)
    expect(await f.escrow.read.feeScheme([0])).toEqual({
      workerBps: 9200,
      validatorBps: 0,
      treasuryBps: 800,
      burnBps: 0,
    })
    expect(await f.escrow.read.feeScheme([1])).toEqual({
      workerBps: 7000,
      validatorBps: 2500,
      treasuryBps: 0,
      burnBps: 500,
    })
    expect(await f.escrow.read.feeScheme([2])).toEqual({
      workerBps: 2500,
      validatorBps: 1000,
      treasuryBps: 500,
      burnBps: 6000,
    })
    await expectRevert(f.escrow.read.feeScheme([3]), 'TaskEscrowUnknownFeeScheme', [3])
    expect(await f.escrow.read.hasRole([roles.OPERATOR, f.operator.address])).toBe(true)
    const id = f.taskId(f.poster)
    expect(await f.escrow.read.posterOf([id])).toBe(f.poster.address)
  })

  it('refuses to be deployed with a zero address', async () => {
    await expectDeployRefusesZeroAddress(f, TaskEscrow, 'TaskEscrowZeroAddress')
  })

  describe('parameters', () => {
    it('adds fee schemes within the bounds, by PARAMS_ROLE only', async () => {
      const scheme = { workerBps: 2_500, validatorBps: 3_000, treasuryBps: 1_000, burnBps: 3_500 }
      const { result } = await f.publicClient.simulateContract({
        address: f.addresses.escrow,
        abi: TaskEscrow.abi,
        functionName: 'addFeeScheme',
        args: [scheme],
        account: f.admin.address,
      })
      expect(result).toBe(3)
      const receipt = await f.tx(f.admin.escrow.write.addFeeScheme([scheme]))
      expect(events(receipt, 'FeeSchemeAdded')[0].args).toEqual({ id: 3, ...scheme })
      expect(await f.escrow.read.feeScheme([3])).toEqual(scheme)
      await f.tx(
        f.admin.escrow.write.addFeeScheme([{ workerBps: 4_000, validatorBps: 0, treasuryBps: 0, burnBps: 6_000 }]),
      )

      const invalid = [
        { workerBps: 9_000, validatorBps: 0, treasuryBps: 999, burnBps: 0 }, // sums to 9,999
        { workerBps: 2_400, validatorBps: 3_000, treasuryBps: 1_000, burnBps: 3_600 }, // workers below 25%
        { workerBps: 6_900, validatorBps: 3_100, treasuryBps: 0, burnBps: 0 }, // validators above 30%
        { workerBps: 8_900, validatorBps: 0, treasuryBps: 1_100, burnBps: 0 }, // treasury above 10%
        { workerBps: 3_000, validatorBps: 0, treasuryBps: 900, burnBps: 6_100 }, // burn above 60%
      ]
      for (const s of invalid) await expectRevert(f.admin.escrow.write.addFeeScheme([s]), 'TaskEscrowInvalidFeeScheme')
      await expectRevert(f.outsider.escrow.write.addFeeScheme([scheme]), 'AccessControlUnauthorizedAccount', [
        f.outsider.address,
        roles.PARAMS,
      ])
    })

    it('holds at most 64 fee schemes', async () => {
      const scheme = { workerBps: 10_000, validatorBps: 0, treasuryBps: 0, burnBps: 0 }
      for (let i = 3; i < 64; i++) await f.tx(f.admin.escrow.write.addFeeScheme([scheme]))
      expect(await f.escrow.read.feeSchemeCount()).toBe(64n)
      await expectRevert(f.admin.escrow.write.addFeeScheme([scheme]), 'TaskEscrowTooManyFeeSchemes')
    })

    it('sets the treasury, which then receives the fees', async () => {
      const receipt = await f.tx(f.admin.escrow.write.setTreasury([f.spare.address]))
      expect(events(receipt, 'TreasuryUpdated')[0].args).toEqual({
        oldTreasury: f.treasury.address,
        newTreasury: f.spare.address,
      })
      const task = await f.openTask(f.poster, { amount: parseEther('1') })
      await f.tx(
        settle(batch([f.worker1.address], [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])])),
      )
      expect(await balance(f.spare)).toBe(parseEther('0.08'))
      await expectRevert(f.admin.escrow.write.setTreasury([zeroAddress]), 'TaskEscrowZeroAddress')
      await expectRevert(
        f.outsider.escrow.write.setTreasury([f.outsider.address]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, roles.PARAMS],
      )
    })

    it('sets the registry, by PARAMS_ROLE only', async () => {
      const receipt = await f.tx(f.admin.escrow.write.setRegistry([f.spare.address]))
      expect(await f.escrow.read.registry()).toBe(f.spare.address)
      expect(events(receipt, 'RegistryUpdated')[0].args).toEqual({
        oldRegistry: f.addresses.registry,
        newRegistry: f.spare.address,
      })
      await expectRevert(
        f.outsider.escrow.write.setRegistry([f.outsider.address]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, roles.PARAMS],
      )
    })
  })
})
