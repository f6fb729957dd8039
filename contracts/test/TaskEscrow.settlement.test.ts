/** TaskEscrow settlement: how a batch pays workers, validators, treasury and burn, and the job records it anchors. */
import { AMOUNT_UNIT } from '@taskmarket/chain'
import { keccak256, parseEther, toHex, zeroAddress } from 'viem'
import { describe, expect, it } from 'vitest'
import { type JobRecord, buildMerkleTree, jobRecordLeaf } from '@taskmarket/core'
import { DAY, TaskStatus, expectRevert, useFixture } from './fixture.ts'
import { batch, escrowHelpers, events, newBatchId, settlement } from './escrow.ts'

const f = useFixture()
const { balance, tokens, settle, workerAddresses } = escrowHelpers(f)

describe('TaskEscrow', () => {
  describe('settle', () => {
    it('pays three workers 92/8 by weight, with the rounding dust to the treasury', async () => {
      const amount = 10n ** 18n + 7n * AMOUNT_UNIT
      const task = await f.openTask(f.poster, { amount })
      const b = batch(workerAddresses(), [
        settlement(task.taskId, amount, [
          { account: 0, weight: 5 },
          { account: 1, weight: 3 },
          { account: 2, weight: 1 },
        ]),
      ])
      const receipt = await f.tx(settle(b))

      // Worker pool 92%: 920,000,006,440,000,000 split 5/3/1 rounds down by 2 wei in all.
      const expected = [511_111_114_688_888_888n, 306_666_668_813_333_333n, 102_222_222_937_777_777n]
      const treasuryShare = 80_000_000_560_000_002n // 8% plus 2 wei of dust
      for (const [i, w] of f.workers.entries()) expect(await balance(w)).toBe(expected[i])
      expect(await balance(f.treasury)).toBe(treasuryShare)
      expect(expected.reduce((a, b) => a + b) + treasuryShare).toBe(amount)
      expect(await balance(f.poster)).toBe(0n)
      expect(await f.escrow.read.getTask([task.taskId])).toEqual({
        locked: 0n,
        deadline: task.deadline,
        feeScheme: 0,
        status: TaskStatus.Settled,
      })
      expect(await tokens(f.addresses.escrow)).toBe(amount)

      expect(events(receipt, 'TaskSettled')[0].args).toEqual({ taskId: task.taskId, paid: amount, returned: 0n })
      expect(events(receipt, 'BalanceCredited').map((e) => e.args)).toEqual(
        f.workers.map((w, i) => ({ batchId: b.batchId, account: w.address, amount: expected[i] })),
      )
      expect(events(receipt, 'BatchSettled')[0].args).toEqual({
        batchId: b.batchId,
        jobsRoot: b.jobsRoot,
        tasks: 1n,
        treasuryAmount: treasuryShare,
        burned: 0n,
      })
      expect(await f.escrow.read.batchRoot([b.batchId])).toBe(b.jobsRoot)
      for (const w of f.workers) expect((await f.registry.read.getNode([w.address])).tasksCompleted).toBe(1)
    })

    it('pays validators and burns by fee scheme 1 (70/25/0/5)', async () => {
      const amount = parseEther('100')
      const task = await f.openTask(f.poster, { amount, feeScheme: 1 })
      const supply = await f.token.read.totalSupply()
      const accounts = [f.worker1.address, f.worker2.address, f.validator.address]
      const receipt = await f.tx(
        settle(
          batch(accounts, [
            settlement(
              task.taskId,
              amount,
              [
                { account: 0, weight: 1 },
                { account: 1, weight: 1 },
              ],
              {
                validators: [{ account: 2, weight: 1 }],
              },
            ),
          ]),
        ),
      )
      expect(await balance(f.worker1)).toBe(parseEther('35'))
      expect(await balance(f.worker2)).toBe(parseEther('35'))
      expect(await balance(f.validator)).toBe(parseEther('25'))
      expect(await balance(f.treasury)).toBe(0n)
      expect(await f.token.read.totalSupply()).toBe(supply - parseEther('5'))
      expect(await tokens(f.addresses.escrow)).toBe(parseEther('95'))
      expect(events(receipt, 'BatchSettled')[0].args.burned).toBe(parseEther('5'))
      // Validators are not workers: their node counters do not move.
      expect((await f.registry.read.getNode([f.validator.address])).tasksCompleted).toBe(0)
    })

    it('gives the validator share to the workers when a task has no validators', async () => {
      const amount = parseEther('100')
      const task = await f.openTask(f.poster, { amount, feeScheme: 1 })
      await f.tx(settle(batch([f.worker1.address], [settlement(task.taskId, amount, [{ account: 0, weight: 1 }])])))
      expect(await balance(f.worker1)).toBe(parseEther('95'))
    })

    it('settles in parts, then closes and returns the remainder to the poster', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('10') })
      const accounts = workerAddresses()
      const first = await f.tx(
        settle(
          batch(accounts, [settlement(task.taskId, parseEther('4'), [{ account: 0, weight: 1 }], { close: false })]),
        ),
      )
      expect(events(first, 'TaskSettled')[0].args).toEqual({ taskId: task.taskId, paid: parseEther('4'), returned: 0n })
      expect(await f.escrow.read.getTask([task.taskId])).toMatchObject({
        locked: parseEther('6'),
        status: TaskStatus.Open,
      })
      expect(await balance(f.worker1)).toBe(parseEther('3.68'))
      expect(await balance(f.poster)).toBe(0n)

      const second = await f.tx(
        settle(
          batch(accounts, [settlement(task.taskId, parseEther('2'), [{ account: 1, weight: 1 }], { close: true })]),
        ),
      )
      expect(events(second, 'TaskSettled')[0].args).toEqual({
        taskId: task.taskId,
        paid: parseEther('2'),
        returned: parseEther('4'),
      })
      expect(await f.escrow.read.getTask([task.taskId])).toMatchObject({ locked: 0n, status: TaskStatus.Settled })
      expect(await balance(f.worker2)).toBe(parseEther('1.84'))
      expect(await balance(f.poster)).toBe(parseEther('4'))
      expect(await balance(f.treasury)).toBe(parseEther('0.48'))
    })

    it('closing with nothing paid returns the whole escrow', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('3') })
      await f.tx(settle(batch(workerAddresses(), [settlement(task.taskId, 0n, [{ account: 0, weight: 0 }])])))
      expect(await balance(f.poster)).toBe(parseEther('3'))
      expect((await f.escrow.read.getTask([task.taskId])).status).toBe(TaskStatus.Settled)
      expect((await f.registry.read.getNode([f.worker1.address])).tasksFailed).toBe(1)
    })

    it('counts a weight-0 worker as failed in the registry, unpaid', async () => {
      const task = await f.openTask(f.poster, { amount: parseEther('10') })
      await f.tx(
        settle(
          batch(workerAddresses(), [
            settlement(task.taskId, parseEther('10'), [
              { account: 0, weight: 1 },
              { account: 1, weight: 1 },
              { account: 2, weight: 0 },
            ]),
          ]),
        ),
      )
      expect(await balance(f.worker1)).toBe(parseEther('4.6'))
      expect(await balance(f.worker3)).toBe(0n)
      const [n1, n3] = await Promise.all([
        f.registry.read.getNode([f.worker1.address]),
        f.registry.read.getNode([f.worker3.address]),
      ])
      expect([n1.tasksCompleted, n1.tasksFailed]).toEqual([1, 0])
      expect([n3.tasksCompleted, n3.tasksFailed]).toEqual([0, 1])
    })

    // NoAcceptedWork is decided by the accepted weight (all weights 0), not by the amount paid. The old check
    // ("nothing was paid") refused a 2-wei task whose two shares both rounded down to 0. Escrow now comes in
    // whole nano-tokens, so that task cannot exist, and a worker pool (>= 25% of 1e9 wei) is larger than any
    // total weight (<= 64 x 65,535): accepted work is always paid something. This is the smallest case.
    it('settles accepted work at the smallest amount, with the rounding dust to the treasury', async () => {
      await f.fund(f.poster, parseEther('1'))
      await expectRevert(
        f.poster.escrow.write.createTask([
          { taskId: f.taskId(f.poster), amount: 2n, deadline: (await f.now()) + DAY, feeScheme: 0 },
        ]),
        'TaskEscrowAmountNotAligned',
        [2n],
      )
      const task = await f.openTask(f.poster, { amount: AMOUNT_UNIT, fundIt: false }) // worker pool: 920,000,000 wei
      await f.tx(
        settle(
          batch(workerAddresses(), [
            settlement(task.taskId, AMOUNT_UNIT, [
              { account: 0, weight: 1 },
              { account: 1, weight: 65_535 },
            ]),
          ]),
        ),
      )
      expect(await balance(f.worker1)).toBe(14_038n) // 920,000,000 / 65,536, rounded down
      expect(await balance(f.worker2)).toBe(919_985_961n)
      expect(await balance(f.treasury)).toBe(80_000_001n) // 8% and 1 wei of dust
      expect((await f.escrow.read.getTask([task.taskId])).status).toBe(TaskStatus.Settled)
    })

    it('settles without recording outcomes when no registry is set', async () => {
      await f.tx(f.admin.escrow.write.setRegistry([zeroAddress]))
      const task = await f.openTask(f.poster)
      await f.tx(settle(batch(workerAddresses(), [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])])))
      expect(await balance(f.worker1)).toBe(parseEther('9.2'))
      expect((await f.registry.read.getNode([f.worker1.address])).tasksCompleted).toBe(0)
    })
  })

  describe('job records', () => {
    it('anchors a batch Merkle root against which every job record proves', async () => {
      const tasks = [await f.openTask(f.poster), await f.openTask(f.poster2), await f.openTask(f.poster)]
      const records: JobRecord[] = Array.from({ length: 10 }, (_, i) => ({
        taskId: tasks[i % 3].taskId,
        jobId: keccak256(toHex(`job ${i}`)),
        worker: f.workers[i % 3].address,
        resultHash: keccak256(toHex(`result ${i}`)),
        verdict: i === 7 ? 0 : 1,
      }))
      const leaves = records.map(jobRecordLeaf)
      for (const [i, r] of records.entries()) {
        expect(await f.escrow.read.jobRecordLeaf([r.taskId, r.jobId, r.worker, r.resultHash, r.verdict])).toBe(
          leaves[i],
        )
      }
      const tree = buildMerkleTree(leaves)
      const b = batch(
        f.workers.map((w) => w.address),
        tasks.map((t) =>
          settlement(t.taskId, t.amount, [
            { account: 0, weight: 1 },
            { account: 1, weight: 1 },
            { account: 2, weight: 1 },
          ]),
        ),
        { jobsRoot: tree.root },
      )
      await f.tx(settle(b))
      expect(await f.escrow.read.batchRoot([b.batchId])).toBe(tree.root)

      for (const i of leaves.keys()) {
        expect(await f.escrow.read.verifyJobRecord([b.batchId, leaves[i], tree.proof(leaves[i])])).toBe(true)
      }
      const tampered = jobRecordLeaf({ ...records[7], verdict: 1 })
      expect(await f.escrow.read.verifyJobRecord([b.batchId, tampered, tree.proof(leaves[7])])).toBe(false)
      expect(await f.escrow.read.verifyJobRecord([b.batchId, leaves[0], tree.proof(leaves[1])])).toBe(false)
      expect(await f.escrow.read.verifyJobRecord([newBatchId(), leaves[0], tree.proof(leaves[0])])).toBe(false)
    })
  })
})
