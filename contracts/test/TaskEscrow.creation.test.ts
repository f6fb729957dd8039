/** TaskEscrow task creation by the poster itself, and the whole nano-token amounts every task locks. */
import { AMOUNT_UNIT } from '@taskmarket/chain'
import { maxUint256, parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { DAY, TaskStatus, expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers, events, settlement } from './escrow.ts'

const f = useFixture()
const { balance, settle } = escrowHelpers(f)

describe('TaskEscrow', () => {
  describe('createTask by the poster', () => {
    it('locks the amount in an open task', async () => {
      await f.fund(f.poster, parseEther('10'))
      const terms = {
        taskId: f.taskId(f.poster),
        amount: parseEther('4'),
        deadline: (await f.now()) + DAY,
        feeScheme: 1,
      }
      const receipt = await f.tx(f.poster.escrow.write.createTask([terms]))
      expect(await balance(f.poster)).toBe(parseEther('6'))
      expect(await f.escrow.read.getTask([terms.taskId])).toEqual({
        locked: terms.amount,
        deadline: terms.deadline,
        feeScheme: 1,
        status: TaskStatus.Open,
      })
      // The poster is not a topic of its own: it is the high 160 bits of the task id.
      expect(events(receipt, 'TaskCreated')[0].args).toEqual({
        taskId: terms.taskId,
        amount: terms.amount,
        deadline: BigInt(terms.deadline),
        feeScheme: 1,
      })
    })

    it('refuses a task id of another poster, even from the operator', async () => {
      await f.fund(f.poster, parseEther('10'))
      const terms = { taskId: f.taskId(f.poster), amount: 1n, deadline: (await f.now()) + DAY, feeScheme: 0 }
      for (const caller of [f.outsider, f.operator]) {
        await expectRevert(caller.escrow.write.createTask([terms]), 'TaskEscrowNotPoster', [
          terms.taskId,
          caller.address,
        ])
      }
    })

    it('refuses an existing id, no amount, a bad deadline, an unknown scheme and too little balance', async () => {
      await f.fund(f.poster, parseEther('10'))
      const now = await f.now()
      const ok = { taskId: f.taskId(f.poster), amount: AMOUNT_UNIT, deadline: now + DAY, feeScheme: 0 }
      await f.tx(f.poster.escrow.write.createTask([ok]))
      await expectRevert(f.poster.escrow.write.createTask([ok]), 'TaskEscrowTaskExists', [ok.taskId])

      const fresh = () => ({ ...ok, taskId: f.taskId(f.poster) })
      await expectRevert(f.poster.escrow.write.createTask([{ ...fresh(), amount: 0n }]), 'TaskEscrowZeroAmount')
      for (const deadline of [now - 10, now, now + 365 * DAY + 100]) {
        await expectRevert(f.poster.escrow.write.createTask([{ ...fresh(), deadline }]), 'TaskEscrowInvalidDeadline', [
          BigInt(deadline),
        ])
      }
      await f.tx(f.poster.escrow.write.createTask([{ ...fresh(), deadline: now + 364 * DAY }]))
      await expectRevert(
        f.poster.escrow.write.createTask([{ ...fresh(), feeScheme: 3 }]),
        'TaskEscrowUnknownFeeScheme',
        [3],
      )
      const left = await balance(f.poster)
      await expectRevert(
        f.poster.escrow.write.createTask([{ ...fresh(), amount: left + AMOUNT_UNIT }]),
        'TaskEscrowInsufficientBalance',
        [f.poster.address, left, left + AMOUNT_UNIT],
      )
    })
  })

  describe('amounts in whole nano-tokens (AMOUNT_UNIT)', () => {
    it('refuses to lock an amount that is not a multiple of AMOUNT_UNIT, by every way of creating', async () => {
      expect(await f.escrow.read.AMOUNT_UNIT()).toBe(AMOUNT_UNIT)
      await f.fund(f.poster, parseEther('10'))
      await f.tx(f.poster.escrow.write.approveOperator([f.operator.address, maxUint256]))
      const now = await f.now()
      const terms = { taskId: f.taskId(f.poster), amount: parseEther('1'), deadline: now + DAY, feeScheme: 0 }
      for (const amount of [parseEther('1') + 1n, AMOUNT_UNIT / 2n, AMOUNT_UNIT + 1n, AMOUNT_UNIT * 3n - 1n]) {
        const odd = { ...terms, amount }
        await expectRevert(f.poster.escrow.write.createTask([odd]), 'TaskEscrowAmountNotAligned', [amount])
        await expectRevert(f.operator.escrow.write.createTasksFromAllowance([[odd]]), 'TaskEscrowAmountNotAligned', [
          amount,
        ])
        const order = { ...odd, nonce: 0n, expiry: now + 600 }
        await expectRevert(
          f.operator.escrow.write.createTasksFor([[order], [await f.signOrder(f.poster, order)]]),
          'TaskEscrowAmountNotAligned',
          [amount],
        )
      }
      expect((await f.escrow.read.getTask([terms.taskId])).status).toBe(TaskStatus.None)
      expect(await balance(f.poster)).toBe(parseEther('10'))

      await f.tx(f.poster.escrow.write.createTask([{ ...terms, amount: AMOUNT_UNIT }]))
      expect(await f.escrow.read.getTask([terms.taskId])).toMatchObject({
        locked: AMOUNT_UNIT,
        status: TaskStatus.Open,
      })
      expect(await balance(f.poster)).toBe(parseEther('10') - AMOUNT_UNIT)
    })

    it('refuses to settle an amount that is not a multiple of AMOUNT_UNIT, partial or closing', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('1') })
      const odd = parseEther('0.5') + 1n
      for (const close of [false, true]) {
        await expectRevert(
          settle(batch([f.worker1.address], [settlement(task.taskId, odd, [{ account: 0, weight: 1 }], { close })])),
          'TaskEscrowAmountNotAligned',
          [odd],
        )
      }
      await f.tx(
        settle(
          batch([f.worker1.address], [
            settlement(task.taskId, parseEther('0.5'), [{ account: 0, weight: 1 }], { close: false }),
          ]),
        ),
      )
      expect(await f.escrow.read.getTask([task.taskId])).toMatchObject({
        locked: parseEther('0.5'),
        status: TaskStatus.Open,
      })
    })

    it('refuses a deadline past 2106-02-07, the last second a packed task holds', async () => {
      await f.fund(f.poster, parseEther('2'))
      const last = 2 ** 32 - 1
      await f.increaseTime(last - 1_000 - (await f.now()))
      const terms = { taskId: f.taskId(f.poster), amount: parseEther('1'), deadline: last + 1, feeScheme: 0 }
      await expectRevert(f.poster.escrow.write.createTask([terms]), 'TaskEscrowInvalidDeadline', [BigInt(last + 1)])
      await f.tx(f.poster.escrow.write.createTask([{ ...terms, deadline: last }]))
      expect(await f.escrow.read.getTask([terms.taskId])).toMatchObject({ deadline: last, status: TaskStatus.Open })
    })
  })
})
