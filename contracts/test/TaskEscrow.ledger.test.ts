/** TaskEscrow's internal ledger: deposits (with approval or permit), withdrawals and operator allowances. */
import { maxUint256, parseEther, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { expectRevert, useFixture } from './fixture.ts'
import { escrowHelpers, events } from './escrow.ts'

const f = useFixture()
const { balance, tokens } = escrowHelpers(f)

describe('TaskEscrow', () => {
  describe('ledger', () => {
    it('deposits from an approval into the internal balance', async () => {
      await f.faucet(f.poster, parseEther('10'))
      await f.tx(f.poster.token.write.approve([f.addresses.escrow, parseEther('10')]))
      const receipt = await f.tx(f.poster.escrow.write.deposit([parseEther('4')]))
      expect(await balance(f.poster)).toBe(parseEther('4'))
      expect(await tokens(f.addresses.escrow)).toBe(parseEther('4'))
      expect(events(receipt, 'Deposited')[0].args).toEqual({
        account: f.poster.address,
        from: f.poster.address,
        amount: parseEther('4'),
      })
      await expectRevert(f.poster.escrow.write.deposit([0n]), 'TaskEscrowZeroAmount')
      await expectRevert(f.poster.escrow.write.deposit([parseEther('7')]), 'ERC20InsufficientAllowance', [
        f.addresses.escrow,
        parseEther('6'),
        parseEther('7'),
      ])
    })

    it('deposits for another account', async () => {
      await f.faucet(f.spare, parseEther('5'))
      await f.tx(f.spare.token.write.approve([f.addresses.escrow, maxUint256]))
      const receipt = await f.tx(f.spare.escrow.write.depositFor([f.poster.address, parseEther('5')]))
      expect(await balance(f.poster)).toBe(parseEther('5'))
      expect(await balance(f.spare)).toBe(0n)
      expect(events(receipt, 'Deposited')[0].args).toMatchObject({ account: f.poster.address, from: f.spare.address })
      await expectRevert(f.spare.escrow.write.depositFor([zeroAddress, 1n]), 'TaskEscrowZeroAddress')
      await expectRevert(f.spare.escrow.write.depositFor([f.poster.address, 0n]), 'TaskEscrowZeroAmount')
    })

    it('deposits with a real EIP-2612 permit instead of an approval', async () => {
      await f.faucet(f.poster, parseEther('10'))
      const deadline = BigInt((await f.now()) + 3_600)
      const { v, r, s } = await f.signPermit(f.poster, f.addresses.escrow, parseEther('6'), deadline)
      await f.tx(f.poster.escrow.write.depositWithPermit([parseEther('6'), deadline, v, r, s]))
      expect(await balance(f.poster)).toBe(parseEther('6'))
      expect(await f.token.read.allowance([f.poster.address, f.addresses.escrow])).toBe(0n)
      expect(await f.token.read.nonces([f.poster.address])).toBe(1n)
    })

    it('still deposits when the permit was front-run, and fails without any allowance', async () => {
      await f.faucet(f.poster, parseEther('10'))
      const deadline = BigInt((await f.now()) + 3_600)
      const { v, r, s } = await f.signPermit(f.poster, f.addresses.escrow, parseEther('6'), deadline)
      await f.tx(
        f.outsider.token.write.permit([f.poster.address, f.addresses.escrow, parseEther('6'), deadline, v, r, s]),
      )
      await f.tx(f.poster.escrow.write.depositWithPermit([parseEther('6'), deadline, v, r, s]))
      expect(await balance(f.poster)).toBe(parseEther('6'))

      // The same (now used) permit again: ignored, and there is no allowance left.
      await expectRevert(
        f.poster.escrow.write.depositWithPermit([parseEther('6'), deadline, v, r, s]),
        'ERC20InsufficientAllowance',
        [f.addresses.escrow, 0n, parseEther('6')],
      )
      await expectRevert(f.poster.escrow.write.depositWithPermit([0n, deadline, v, r, s]), 'TaskEscrowZeroAmount')
    })

    it('withdraws up to the balance', async () => {
      await f.fund(f.poster, parseEther('5'))
      const receipt = await f.tx(f.poster.escrow.write.withdraw([parseEther('2')]))
      expect(await balance(f.poster)).toBe(parseEther('3'))
      expect(await tokens(f.poster.address)).toBe(parseEther('2'))
      expect(events(receipt, 'Withdrawn')[0].args).toEqual({ account: f.poster.address, amount: parseEther('2') })
      await expectRevert(f.poster.escrow.write.withdraw([0n]), 'TaskEscrowZeroAmount')
      await expectRevert(f.poster.escrow.write.withdraw([parseEther('3') + 1n]), 'TaskEscrowInsufficientBalance', [
        f.poster.address,
        parseEther('3'),
        parseEther('3') + 1n,
      ])
    })

    it('records operator allowances', async () => {
      const receipt = await f.tx(f.poster.escrow.write.approveOperator([f.operator.address, 123n]))
      expect(await f.escrow.read.operatorAllowance([f.poster.address, f.operator.address])).toBe(123n)
      expect(events(receipt, 'OperatorApproved')[0].args).toEqual({
        poster: f.poster.address,
        operator: f.operator.address,
        amount: 123n,
      })
      await expectRevert(f.poster.escrow.write.approveOperator([zeroAddress, 1n]), 'TaskEscrowZeroAddress')
    })
  })
})
