/** TaskEscrow disputes: refunds of open and frozen tasks, and freezing and unfreezing. */
import { roles } from '@taskmarket/chain'
import { parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { DAY, TaskStatus, expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers, events, settlement } from './escrow.ts'

const f = useFixture()
const { balance, settle } = escrowHelpers(f)

describe('TaskEscrow', () => {
  describe('refund', () => {
    it('lets the operator refund an open task at any time', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('3') })
      const receipt = await f.tx(f.operator.escrow.write.refund([task.taskId]))
      expect(await balance(f.poster)).toBe(parseEther('3'))
      expect(await f.escrow.read.getTask([task.taskId])).toMatchObject({ locked: 0n, status: TaskStatus.Refunded })
      expect(events(receipt, 'TaskRefunded')[0].args).toEqual({
        taskId: task.taskId,
        poster: f.poster.address,
        amount: parseEther('3'),
      })
      await expectRevert(f.operator.escrow.write.refund([task.taskId]), 'TaskEscrowTaskNotOpen', [
        task.taskId,
        TaskStatus.Refunded,
      ])
    })

    it('lets anyone refund only after the deadline', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('3'), duration: 3_600 })
      await expectRevert(f.outsider.escrow.write.refund([task.taskId]), 'TaskEscrowRefundNotAllowed', [
        task.taskId,
        f.outsider.address,
      ])
      await expectRevert(f.poster.escrow.write.refund([task.taskId]), 'TaskEscrowRefundNotAllowed')
      await f.increaseTime(3_601)
      await f.tx(f.outsider.escrow.write.refund([task.taskId]))
      expect(await balance(f.poster)).toBe(parseEther('3'))
    })

    it('refunds what is left after a partial settlement', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('10') })
      await f.tx(
        settle(
          batch(
            [f.worker1.address],
            [settlement(task.taskId, parseEther('4'), [{ account: 0, weight: 1 }], { close: false })],
          ),
        ),
      )
      await f.tx(f.operator.escrow.write.refund([task.taskId]))
      expect(await balance(f.poster)).toBe(parseEther('6'))
    })

    it('refuses unknown and settled tasks', async () => {
      const unknown = f.taskId(f.poster)
      await expectRevert(f.operator.escrow.write.refund([unknown]), 'TaskEscrowTaskNotOpen', [unknown, TaskStatus.None])
      const task = await f.openTask(f.poster)
      await f.tx(
        settle(batch([f.worker1.address], [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])])),
      )
      await expectRevert(f.operator.escrow.write.refund([task.taskId]), 'TaskEscrowTaskNotOpen', [
        task.taskId,
        TaskStatus.Settled,
      ])
    })

    it('refunds a frozen task by DISPUTE_ROLE at any time', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('2') })
      await f.tx(f.admin.escrow.write.freeze([task.taskId]))
      await f.tx(f.admin.escrow.write.refund([task.taskId]))
      expect(await balance(f.poster)).toBe(parseEther('2'))
      expect((await f.escrow.read.getTask([task.taskId])).status).toBe(TaskStatus.Refunded)
    })

    it('refunds a frozen task by others only after the deadline plus FROZEN_GRACE', async () => {
      expect(await f.escrow.read.FROZEN_GRACE()).toBe(BigInt(30 * DAY))
      await f.grantRole('escrow', roles.OPERATOR, f.spare) // an operator without DISPUTE_ROLE
      const task = await f.openTask(f.poster, { amount: parseEther('2'), duration: DAY })
      await f.tx(f.admin.escrow.write.freeze([task.taskId]))
      await expectRevert(f.spare.escrow.write.refund([task.taskId]), 'TaskEscrowRefundNotAllowed', [
        task.taskId,
        f.spare.address,
      ])
      await f.increaseTime(DAY + 1)
      await expectRevert(f.outsider.escrow.write.refund([task.taskId]), 'TaskEscrowRefundNotAllowed', [
        task.taskId,
        f.outsider.address,
      ])
      await f.increaseTime(30 * DAY)
      await f.tx(f.outsider.escrow.write.refund([task.taskId]))
      expect(await balance(f.poster)).toBe(parseEther('2'))
    })
  })

  describe('freeze and unfreeze', () => {
    it('freezes an open task and reopens it, by DISPUTE_ROLE only', async () => {
      const task = await f.openTask(f.poster)
      await expectRevert(f.outsider.escrow.write.freeze([task.taskId]), 'AccessControlUnauthorizedAccount', [
        f.outsider.address,
        roles.DISPUTE,
      ])
      const frozen = await f.tx(f.admin.escrow.write.freeze([task.taskId]))
      expect(events(frozen, 'TaskFrozen')[0].args).toEqual({ taskId: task.taskId })
      expect((await f.escrow.read.getTask([task.taskId])).status).toBe(TaskStatus.Frozen)
      await expectRevert(f.admin.escrow.write.freeze([task.taskId]), 'TaskEscrowTaskNotOpen', [
        task.taskId,
        TaskStatus.Frozen,
      ])

      await expectRevert(f.outsider.escrow.write.unfreeze([task.taskId]), 'AccessControlUnauthorizedAccount', [
        f.outsider.address,
        roles.DISPUTE,
      ])
      const unfrozen = await f.tx(f.admin.escrow.write.unfreeze([task.taskId]))
      expect(events(unfrozen, 'TaskUnfrozen')[0].args).toEqual({ taskId: task.taskId })
      expect((await f.escrow.read.getTask([task.taskId])).status).toBe(TaskStatus.Open)
      await expectRevert(f.admin.escrow.write.unfreeze([task.taskId]), 'TaskEscrowTaskNotFrozen', [
        task.taskId,
        TaskStatus.Open,
      ])
      await expectRevert(f.admin.escrow.write.freeze([f.taskId(f.poster)]), 'TaskEscrowTaskNotOpen')
    })
  })
})
