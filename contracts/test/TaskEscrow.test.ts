import {
  AMOUNT_UNIT,
  type EncodedTaskSettlement,
  type ShareInput,
  TaskEscrow,
  chainTaskId,
  encodeTaskSettlement,
  roles,
} from '@taskmarket/chain'
import {
  type Address,
  type ContractEventName,
  type TransactionReceipt,
  type Hex,
  hashTypedData,
  keccak256,
  maxUint256,
  parseEther,
  parseEventLogs,
  toHex,
  zeroAddress,
  zeroHash,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { type JobRecord, buildMerkleTree, jobRecordLeaf } from '@taskmarket/core'
import { type Actor, type TaskOrder, TaskStatus, expectRevert, useFixture } from './fixture.ts'

const f = useFixture()
const DAY = 86_400

type Share = ShareInput

let batchNumber = 0
const newBatchId = () => keccak256(toHex(`batch ${++batchNumber}`))

/** One task of a settle batch, packed by the relayer's encoder. */
function settlement(
  taskId: Hex,
  amount: bigint,
  workers: Share[],
  { close = true, validators = [] as Share[] } = {},
): EncodedTaskSettlement {
  return encodeTaskSettlement({ taskId, amount, close, workers, validators })
}

function batch(
  accounts: Address[],
  tasks: EncodedTaskSettlement[],
  { batchId = newBatchId(), jobsRoot = keccak256('0x01') } = {},
) {
  return { batchId, jobsRoot, accounts, tasks }
}

const balance = (who: { address: Address }) => f.escrow.read.balanceOf([who.address])
const tokens = (who: Address) => f.token.read.balanceOf([who])
const settle = (b: ReturnType<typeof batch>, by: Actor = f.operator) => by.escrow.write.settle([b])
const events = <const name extends ContractEventName<typeof TaskEscrow.abi>>(
  receipt: TransactionReceipt,
  eventName: name,
) => parseEventLogs({ abi: TaskEscrow.abi, logs: receipt.logs, eventName })

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
    const deployWith = (args: readonly [Address, Address, Address]) =>
      f.admin.wallet.deployContract({ abi: TaskEscrow.abi, bytecode: TaskEscrow.bytecode, args })
    await expectRevert(deployWith([zeroAddress, f.admin.address, f.treasury.address]), 'TaskEscrowZeroAddress')
    await expectRevert(deployWith([f.addresses.token, zeroAddress, f.treasury.address]), 'TaskEscrowZeroAddress')
    await expectRevert(deployWith([f.addresses.token, f.admin.address, zeroAddress]), 'TaskEscrowZeroAddress')
  })

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

  describe('settle', () => {
    const workerAddresses = () => f.workers.map((w) => w.address)

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

    it('settles without recording outcomes when no registry is set', async () => {
      await f.tx(f.admin.escrow.write.setRegistry([zeroAddress]))
      const task = await f.openTask(f.poster)
      await f.tx(settle(batch(workerAddresses(), [settlement(task.taskId, task.amount, [{ account: 0, weight: 1 }])])))
      expect(await balance(f.worker1)).toBe(parseEther('9.2'))
      expect((await f.registry.read.getNode([f.worker1.address])).tasksCompleted).toBe(0)
    })
  })

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
