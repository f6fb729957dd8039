/** TaskEscrow task creation by the operator: from orders the posters signed, and from their allowances. */
import { roles } from '@taskmarket/chain'
import { hashTypedData, maxUint256, parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { type Actor, type TaskOrder, DAY, TaskStatus, expectRevert, useFixture } from './fixture.ts'
import { escrowHelpers, events } from './escrow.ts'

const f = useFixture()
const { balance } = escrowHelpers(f)

describe('TaskEscrow', () => {
  describe('createTasksFor (relayed, signed by the poster)', () => {
    const order = async (poster: Actor, nonce: bigint, overrides: Partial<TaskOrder> = {}): Promise<TaskOrder> => {
      const now = await f.now()
      return {
        taskId: f.taskId(poster),
        amount: parseEther('1'),
        deadline: now + DAY,
        feeScheme: 0,
        nonce,
        expiry: now + 600,
        ...overrides,
      }
    }

    it('hashes orders exactly as EIP-712 signers do', async () => {
      const o = await order(f.poster, 5n)
      expect(await f.escrow.read.hashTaskOrder([o])).toBe(
        hashTypedData({ domain: f.domain, types: f.orderTypes, primaryType: 'TaskOrder', message: o }),
      )
    })

    it('creates the tasks of several posters and uses their nonces', async () => {
      await f.fund(f.poster, parseEther('5'))
      await f.fund(f.poster2, parseEther('5'))
      const bigNonce = 2n ** 255n + 7n
      const orders = [
        await order(f.poster, 0n),
        await order(f.poster2, bigNonce, { amount: parseEther('2'), feeScheme: 2 }),
      ]
      const signatures = [await f.signOrder(f.poster, orders[0]), await f.signOrder(f.poster2, orders[1])]
      const receipt = await f.tx(f.operator.escrow.write.createTasksFor([orders, signatures]))
      expect(events(receipt, 'TaskCreated')).toHaveLength(2)
      expect(await f.escrow.read.getTask([orders[1].taskId])).toEqual({
        locked: parseEther('2'),
        deadline: orders[1].deadline,
        feeScheme: 2,
        status: TaskStatus.Open,
      })
      expect(await balance(f.poster)).toBe(parseEther('4'))
      expect(await balance(f.poster2)).toBe(parseEther('3'))
      expect(await f.escrow.read.isNonceUsed([f.poster.address, 0n])).toBe(true)
      expect(await f.escrow.read.isNonceUsed([f.poster2.address, bigNonce])).toBe(true)
      expect(await f.escrow.read.isNonceUsed([f.poster.address, 1n])).toBe(false)
      expect(await f.escrow.read.isNonceUsed([f.poster2.address, bigNonce - 1n])).toBe(false)
    })

    it('refuses a wrong signer', async () => {
      await f.fund(f.poster, parseEther('5'))
      const o = await order(f.poster, 0n)
      await expectRevert(
        f.operator.escrow.write.createTasksFor([[o], [await f.signOrder(f.outsider, o)]]),
        'TaskEscrowInvalidSignature',
        [o.taskId],
      )
      // A signature of other terms does not cover these.
      const signed = await f.signOrder(f.poster, o)
      await expectRevert(
        f.operator.escrow.write.createTasksFor([[{ ...o, amount: parseEther('2') }], [signed]]),
        'TaskEscrowInvalidSignature',
      )
    })

    it('refuses a replayed nonce', async () => {
      await f.fund(f.poster, parseEther('5'))
      const o = await order(f.poster, 42n)
      const sig = await f.signOrder(f.poster, o)
      await f.tx(f.operator.escrow.write.createTasksFor([[o], [sig]]))
      await expectRevert(f.operator.escrow.write.createTasksFor([[o], [sig]]), 'TaskEscrowNonceUsed', [
        f.poster.address,
        42n,
      ])
      const other = await order(f.poster, 42n)
      await expectRevert(
        f.operator.escrow.write.createTasksFor([[other], [await f.signOrder(f.poster, other)]]),
        'TaskEscrowNonceUsed',
        [f.poster.address, 42n],
      )
    })

    it('refuses an expired order', async () => {
      await f.fund(f.poster, parseEther('5'))
      const o = await order(f.poster, 0n)
      const sig = await f.signOrder(f.poster, o)
      await f.increaseTime(601)
      await expectRevert(f.operator.escrow.write.createTasksFor([[o], [sig]]), 'TaskEscrowOrderExpired', [
        o.taskId,
        BigInt(o.expiry),
      ])
    })

    it('is all or nothing, operator only, and bounded', async () => {
      await f.fund(f.poster, parseEther('5'))
      const good = await order(f.poster, 1n)
      const bad = await order(f.poster, 2n)
      const sigs = [await f.signOrder(f.poster, good), await f.signOrder(f.outsider, bad)]
      await expectRevert(f.operator.escrow.write.createTasksFor([[good, bad], sigs]), 'TaskEscrowInvalidSignature')
      expect((await f.escrow.read.getTask([good.taskId])).status).toBe(TaskStatus.None)
      expect(await f.escrow.read.isNonceUsed([f.poster.address, 1n])).toBe(false)

      await expectRevert(f.operator.escrow.write.createTasksFor([[good], []]), 'TaskEscrowLengthMismatch')
      await expectRevert(
        f.outsider.escrow.write.createTasksFor([[good], [sigs[0]]]),
        'AccessControlUnauthorizedAccount',
        [f.outsider.address, roles.OPERATOR],
      )
      const many = Array.from({ length: 513 }, () => good)
      await expectRevert(
        f.operator.escrow.write.createTasksFor([many, many.map(() => sigs[0])]),
        'TaskEscrowBatchTooLarge',
      )
    })
  })

  describe('createTasksFromAllowance (API-key clients)', () => {
    const terms = async (poster: Actor, amount: bigint) => ({
      taskId: f.taskId(poster),
      amount,
      deadline: (await f.now()) + DAY,
      feeScheme: 0,
    })

    it('creates tasks within the allowance and spends it', async () => {
      await f.fund(f.poster, parseEther('10'))
      await f.tx(f.poster.escrow.write.approveOperator([f.operator.address, parseEther('7')]))
      const batchTerms = [await terms(f.poster, parseEther('3')), await terms(f.poster, parseEther('4'))]
      await f.tx(f.operator.escrow.write.createTasksFromAllowance([batchTerms]))
      expect(await f.escrow.read.operatorAllowance([f.poster.address, f.operator.address])).toBe(0n)
      expect(await balance(f.poster)).toBe(parseEther('3'))
      for (const t of batchTerms) expect((await f.escrow.read.getTask([t.taskId])).status).toBe(TaskStatus.Open)
    })

    it('refuses to go over the allowance, all or nothing', async () => {
      await f.fund(f.poster, parseEther('10'))
      await f.tx(f.poster.escrow.write.approveOperator([f.operator.address, parseEther('5')]))
      const first = await terms(f.poster, parseEther('3'))
      const second = await terms(f.poster, parseEther('3'))
      await expectRevert(
        f.operator.escrow.write.createTasksFromAllowance([[first, second]]),
        'TaskEscrowInsufficientAllowance',
        [f.poster.address, f.operator.address, parseEther('2'), parseEther('3')],
      )
      expect((await f.escrow.read.getTask([first.taskId])).status).toBe(TaskStatus.None)
      expect(await f.escrow.read.operatorAllowance([f.poster.address, f.operator.address])).toBe(parseEther('5'))

      const stranger = await terms(f.poster2, 1n)
      await expectRevert(
        f.operator.escrow.write.createTasksFromAllowance([[stranger]]),
        'TaskEscrowInsufficientAllowance',
        [f.poster2.address, f.operator.address, 0n, 1n],
      )
    })

    it('does not spend an unlimited allowance', async () => {
      await f.fund(f.poster, parseEther('10'))
      await f.tx(f.poster.escrow.write.approveOperator([f.operator.address, maxUint256]))
      await f.tx(f.operator.escrow.write.createTasksFromAllowance([[await terms(f.poster, parseEther('3'))]]))
      expect(await f.escrow.read.operatorAllowance([f.poster.address, f.operator.address])).toBe(maxUint256)
    })

    it('is for operators only, each within its own allowance, and bounded', async () => {
      await f.fund(f.poster, parseEther('10'))
      await f.tx(f.poster.escrow.write.approveOperator([f.outsider.address, maxUint256]))
      const t = await terms(f.poster, 1n)
      await expectRevert(f.outsider.escrow.write.createTasksFromAllowance([[t]]), 'AccessControlUnauthorizedAccount', [
        f.outsider.address,
        roles.OPERATOR,
      ])
      await f.grantRole('escrow', roles.OPERATOR, f.spare)
      await expectRevert(f.spare.escrow.write.createTasksFromAllowance([[t]]), 'TaskEscrowInsufficientAllowance', [
        f.poster.address,
        f.spare.address,
        0n,
        1n,
      ])
      await expectRevert(
        f.operator.escrow.write.createTasksFromAllowance([Array.from({ length: 513 }, () => t)]),
        'TaskEscrowBatchTooLarge',
      )
    })
  })
})
