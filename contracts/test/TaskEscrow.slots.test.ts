/** TaskEscrow's packed storage: two tasks of one poster share a slot and stay independent. */
import { chainTaskId } from '@taskmarket/chain'
import { type Hex, maxUint256, parseEther } from 'viem'
import { describe, expect, it } from 'vitest'
import { DAY, TaskStatus, expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers, events, settlement } from './escrow.ts'

const f = useFixture()
const { balance, tokens, settle } = escrowHelpers(f)

describe('TaskEscrow', () => {
  describe('two tasks in one storage slot', () => {
    // Ids 2k and 2k + 1 of one poster share a slot (id >> 1), in lanes 0 and 1.
    const pair = (local: bigint) => [chainTaskId(f.poster.address, local), chainTaskId(f.poster.address, local + 1n)]
    const task = (taskId: Hex) => f.escrow.read.getTask([taskId])

    it('keeps the two independent: create both, settle one, refund the other', async () => {
      await f.fund(f.poster, parseEther('10'))
      const now = await f.now()
      const [even, odd] = pair(1_000n)
      const a = { taskId: even, amount: parseEther('3'), deadline: now + DAY, feeScheme: 1 }
      const b = { taskId: odd, amount: parseEther('5'), deadline: now + 2 * DAY, feeScheme: 0 }
      await f.tx(f.poster.escrow.write.createTask([b])) // lane 1 first
      expect(await task(even)).toEqual({ locked: 0n, deadline: 0, feeScheme: 0, status: TaskStatus.None })
      await f.tx(f.poster.escrow.write.createTask([a]))
      const openA = { locked: parseEther('3'), deadline: a.deadline, feeScheme: 1, status: TaskStatus.Open }
      const openB = { locked: parseEther('5'), deadline: b.deadline, feeScheme: 0, status: TaskStatus.Open }
      expect(await task(even)).toEqual(openA)
      expect(await task(odd)).toEqual(openB)
      await expectRevert(f.poster.escrow.write.createTask([a]), 'TaskEscrowTaskExists', [even])
      await expectRevert(f.poster.escrow.write.createTask([b]), 'TaskEscrowTaskExists', [odd])
      expect(await balance(f.poster)).toBe(parseEther('2'))

      // Fee scheme 1 without validators: 95% to the worker, 5% burned.
      const supply = await f.token.read.totalSupply()
      await f.tx(settle(batch([f.worker1.address], [settlement(even, a.amount, [{ account: 0, weight: 1 }])])))
      expect(await task(even)).toEqual({ ...openA, locked: 0n, status: TaskStatus.Settled })
      expect(await task(odd)).toEqual(openB)
      expect(await balance(f.worker1)).toBe(parseEther('2.85'))
      expect(await f.token.read.totalSupply()).toBe(supply - parseEther('0.15'))

      await f.tx(f.admin.escrow.write.freeze([odd]))
      expect(await task(odd)).toEqual({ ...openB, status: TaskStatus.Frozen })
      expect(await task(even)).toEqual({ ...openA, locked: 0n, status: TaskStatus.Settled })
      await f.tx(f.admin.escrow.write.refund([odd]))
      expect(await task(odd)).toEqual({ ...openB, locked: 0n, status: TaskStatus.Refunded })
      expect(await task(even)).toEqual({ ...openA, locked: 0n, status: TaskStatus.Settled })
      expect(await balance(f.poster)).toBe(parseEther('7'))
      expect(await tokens(f.addresses.escrow)).toBe(parseEther('9.85'))

      await expectRevert(
        settle(batch([f.worker1.address], [settlement(odd, 0n, [{ account: 0, weight: 1 }])])),
        'TaskEscrowTaskNotOpen',
        [odd, TaskStatus.Refunded],
      )
      await expectRevert(f.operator.escrow.write.refund([even]), 'TaskEscrowTaskNotOpen', [even, TaskStatus.Settled])
      // The same local numbers of another poster are another slot.
      expect((await f.escrow.read.getTask([chainTaskId(f.poster2.address, 1_001n)])).status).toBe(TaskStatus.None)
    })

    it('creates both in one call and settles both in one batch, one of them in two parts', async () => {
      await f.fund(f.poster, parseEther('10'))
      await f.tx(f.poster.escrow.write.approveOperator([f.operator.address, maxUint256]))
      const deadline = (await f.now()) + DAY
      const [even, odd] = pair(2_000n)
      await f.tx(
        f.operator.escrow.write.createTasksFromAllowance([
          [
            { taskId: odd, amount: parseEther('4'), deadline, feeScheme: 0 },
            { taskId: even, amount: parseEther('6'), deadline, feeScheme: 0 },
          ],
        ]),
      )
      const receipt = await f.tx(
        settle(
          batch(
            [f.worker1.address, f.worker2.address],
            [
              settlement(odd, parseEther('1'), [{ account: 0, weight: 1 }], { close: false }),
              settlement(even, parseEther('6'), [{ account: 1, weight: 1 }]),
              settlement(odd, parseEther('2'), [{ account: 0, weight: 1 }]),
            ],
          ),
        ),
      )
      expect(events(receipt, 'TaskSettled').map((e) => e.args)).toEqual([
        { taskId: odd, paid: parseEther('1'), returned: 0n },
        { taskId: even, paid: parseEther('6'), returned: 0n },
        { taskId: odd, paid: parseEther('2'), returned: parseEther('1') },
      ])
      expect(await task(odd)).toMatchObject({ locked: 0n, status: TaskStatus.Settled })
      expect(await task(even)).toMatchObject({ locked: 0n, status: TaskStatus.Settled })
      expect(await balance(f.worker1)).toBe(parseEther('2.76'))
      expect(await balance(f.worker2)).toBe(parseEther('5.52'))
      expect(await balance(f.poster)).toBe(parseEther('1'))
      expect(await balance(f.treasury)).toBe(parseEther('0.72'))
    })
  })
})
