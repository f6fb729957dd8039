/** TaskEscrow settlement: the batches and callers it refuses. */
import { AMOUNT_UNIT, roles } from '@taskmarket/chain'
import { parseEther, zeroAddress, zeroHash } from 'viem'
import { describe, it } from 'vitest'
import { TaskStatus, expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers, settlement } from './escrow.ts'

const f = useFixture()
const { settle, workerAddresses } = escrowHelpers(f)

describe('TaskEscrow', () => {
  describe('settle', () => {
    it('refuses to settle a closed task twice, or to replay a batch id', async () => {
      const task = await f.openTask(f.poster)
      const other = await f.openTask(f.poster)
      const b = batch(workerAddresses(), [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])])
      await f.tx(settle(b))
      await expectRevert(
        settle(batch(workerAddresses(), [settlement(task.taskId, 0n, [{ account: 0, weight: 1 }])])),
        'TaskEscrowTaskNotOpen',
        [task.taskId, TaskStatus.Settled],
      )
      await expectRevert(
        settle({ ...b, tasks: [settlement(other.taskId, other.amount, [{ account: 0, weight: 1 }])] }),
        'TaskEscrowBatchAlreadySettled',
        [b.batchId],
      )
      const unknown = f.taskId(f.poster)
      await expectRevert(settle(batch(workerAddresses(), [settlement(unknown, 0n, [])])), 'TaskEscrowTaskNotOpen', [
        unknown,
        TaskStatus.None,
      ])
    })

    it('refuses an account index out of the batch, an empty root and more than locked', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('1') })
      await expectRevert(
        settle(batch(workerAddresses(), [settlement(task.taskId, task.amount, [{ account: 3, weight: 1 }])])),
        'TaskEscrowInvalidAccountIndex',
        [3n],
      )
      await expectRevert(
        settle(
          batch(workerAddresses(), [
            settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }], {
              validators: [{ account: 9, weight: 1 }],
            }),
          ]),
        ),
        'TaskEscrowInvalidAccountIndex',
        [9n],
      )
      await expectRevert(
        settle(
          batch(workerAddresses(), [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])], {
            jobsRoot: zeroHash,
          }),
        ),
        'TaskEscrowEmptyRoot',
      )
      await expectRevert(
        settle(
          batch(workerAddresses(), [settlement(task.taskId, task.amount + AMOUNT_UNIT, [{ account: 0, weight: 1 }])]),
        ),
        'TaskEscrowAmountExceedsLocked',
        [task.taskId, task.amount + AMOUNT_UNIT, task.amount],
      )
    })

    it('refuses a settlement whose packing is malformed', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('1') })
      const good = settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])
      const malformed = [
        { ...good, terms: good.terms | (1n << 97n) }, // an unknown bit between close and the counts
        { ...good, terms: good.terms | (1n << 120n) }, // an unknown bit above the counts
        { ...good, shares: [] }, // a counted share missing
        { ...good, shares: [...good.shares, 0n] }, // a word too many
        { ...good, shares: [good.shares[0] | (1n << 32n)] }, // a second share that is not counted
      ]
      for (const s of malformed) {
        await expectRevert(settle(batch(workerAddresses(), [s])), 'TaskEscrowMalformedSettlement', [task.taskId])
      }
      await f.tx(settle(batch(workerAddresses(), [good])))
    })

    it('refuses to pay when no work was accepted, and to credit the zero address', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('1') })
      await expectRevert(
        settle(batch(workerAddresses(), [settlement(task.taskId, task.amount, [{ account: 0, weight: 0 }])])),
        'TaskEscrowNoAcceptedWork',
        [task.taskId],
      )
      await expectRevert(
        settle(batch(workerAddresses(), [settlement(task.taskId, task.amount, [])])),
        'TaskEscrowNoAcceptedWork',
        [task.taskId],
      )
      await expectRevert(
        settle(batch([zeroAddress], [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])])),
        'TaskEscrowZeroAddress',
      )
    })

    it('is for operators only, refuses frozen tasks, and bounds batches', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('1') })
      const one = [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])]
      await expectRevert(settle(batch(workerAddresses(), one), f.outsider), 'AccessControlUnauthorizedAccount', [
        f.outsider.address,
        roles.OPERATOR,
      ])
      await f.tx(f.admin.escrow.write.freeze([task.taskId]))
      await expectRevert(settle(batch(workerAddresses(), one)), 'TaskEscrowTaskNotOpen', [
        task.taskId,
        TaskStatus.Frozen,
      ])
      await f.tx(f.admin.escrow.write.unfreeze([task.taskId]))

      // 65 worker shares: the encoder stops at MAX_SHARES (64), so the 65th (account 0, weight 1) is packed by
      // hand, to show that the contract refuses it too.
      const most = settlement(task.taskId, task.amount, Array.from({ length: 64 }, () => ({ account: 0, weight: 1 })))
      const tooManyShares = { ...most, terms: most.terms + (1n << 104n), shares: [...most.shares, 1n] }
      await expectRevert(settle(batch(workerAddresses(), [tooManyShares])), 'TaskEscrowBatchTooLarge')
      await expectRevert(
        settle(
          batch(
            Array.from({ length: 1_025 }, () => f.worker1.address),
            one,
          ),
        ),
        'TaskEscrowBatchTooLarge',
      )
      await expectRevert(
        settle(
          batch(
            workerAddresses(),
            Array.from({ length: 513 }, () => one[0]),
          ),
        ),
        'TaskEscrowBatchTooLarge',
      )
      await f.tx(settle(batch(workerAddresses(), one)))
    })
  })
})
