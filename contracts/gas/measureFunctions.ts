import { keccak256, maxUint256, parseEther, toHex } from 'viem'
import { chainTaskId, devAccount, encodeReputations, encodeSlash, roles } from '@taskmarket/chain'
import { solveChallenge } from '../test/pow.ts'
import type { GasContext } from './createGasContext.ts'
import { settleBatch } from './settleBatch.ts'

const TASK_AMOUNT = parseEther('1')

/** Calls every external function of the four contracts once, each measured into `ctx.rows`. */
export async function measureFunctions(ctx: GasContext) {
  const { addresses, admin, treasury, op, read, measure, send, now, increaseTime } = ctx
  const user = devAccount(1)
  const node = devAccount(2)
  const u = ctx.as(user)
  const n = ctx.as(node)

  await measure('TokenSale', 'faucet', u.sale.write.faucet([user.address, parseEther('100000')]))
  await measure('TokenSale', 'buy', u.sale.write.buy([user.address], { value: parseEther('1') }))
  await measure('TokenSale', 'setPrice', op.sale.write.setPrice([parseEther('0.002')]))
  await measure('TokenSale', 'setTreasury', op.sale.write.setTreasury([treasury.address]))

  await measure('TaskToken', 'grantRole', op.token.write.grantRole([roles.MINTER, admin.address]))
  await measure('TaskToken', 'mint', op.token.write.mint([node.address, parseEther('20000')]))
  await measure(
    'TaskToken',
    'transfer',
    u.token.write.transfer([devAccount(3).address, parseEther('1')]),
    'to a new holder',
  )
  await measure('TaskToken', 'approve', u.token.write.approve([addresses.escrow, maxUint256]))
  await measure('TaskToken', 'delegate', u.token.write.delegate([user.address]))
  await measure('TaskToken', 'burn', u.token.write.burn([parseEther('1')]), 'with delegated votes')
  const permitDeadline = BigInt((await now()) + 3_600)
  const permit = await ctx.signPermit(user, parseEther('5'), 0n, permitDeadline)
  await measure(
    'TaskToken',
    'permit',
    u.token.write.permit([
      user.address,
      addresses.escrow,
      parseEther('5'),
      permitDeadline,
      permit.v,
      permit.r,
      permit.s,
    ]),
  )
  await send(u.token.write.approve([addresses.escrow, maxUint256]))

  await measure('TaskEscrow', 'deposit', u.escrow.write.deposit([parseEther('1000')]), 'first deposit')
  await measure('TaskEscrow', 'depositFor', u.escrow.write.depositFor([devAccount(3).address, parseEther('1')]))
  await send(u.token.write.approve([addresses.escrow, 0n]))
  const permit2 = await ctx.signPermit(user, parseEther('5'), 1n, permitDeadline)
  await measure(
    'TaskEscrow',
    'depositWithPermit',
    u.escrow.write.depositWithPermit([parseEther('5'), permitDeadline, permit2.v, permit2.r, permit2.s]),
  )
  await send(u.token.write.approve([addresses.escrow, maxUint256]))
  await measure('TaskEscrow', 'withdraw', u.escrow.write.withdraw([parseEther('1')]))
  await measure('TaskEscrow', 'approveOperator', u.escrow.write.approveOperator([admin.address, parseEther('500')]))
  const terms = async (local: bigint) => ({
    taskId: chainTaskId(user.address, local),
    amount: TASK_AMOUNT,
    deadline: (await now()) + 86_400,
    feeScheme: 0,
  })
  const t1 = await terms(1n)
  await measure('TaskEscrow', 'createTask', u.escrow.write.createTask([t1]), 'by the poster')
  const t2 = await terms(2n)
  await measure('TaskEscrow', 'createTasksFromAllowance', op.escrow.write.createTasksFromAllowance([[t2]]), '1 task')
  const t3 = await terms(3n)
  const order = { ...t3, nonce: 0n, expiry: (await now()) + 600 }
  await measure(
    'TaskEscrow',
    'createTasksFor',
    op.escrow.write.createTasksFor([[order], [await ctx.signOrder(user, order)]]),
    '1 order',
  )
  const workers = [devAccount(3).address, devAccount(4).address, devAccount(5).address]
  await measure(
    'TaskEscrow',
    'settle',
    op.escrow.write.settle([settleBatch('single', workers, [t1.taskId], TASK_AMOUNT, 3)]),
    '1 task, 3 new workers',
  )
  await measure('TaskEscrow', 'freeze', op.escrow.write.freeze([t2.taskId]))
  await measure('TaskEscrow', 'unfreeze', op.escrow.write.unfreeze([t2.taskId]))
  await measure('TaskEscrow', 'refund', op.escrow.write.refund([t2.taskId]), 'by the operator')
  await measure(
    'TaskEscrow',
    'addFeeScheme',
    op.escrow.write.addFeeScheme([{ workerBps: 9_000, validatorBps: 0, treasuryBps: 1_000, burnBps: 0 }]),
  )
  await measure('TaskEscrow', 'setTreasury', op.escrow.write.setTreasury([treasury.address]))
  await measure('TaskEscrow', 'setRegistry', op.escrow.write.setRegistry([addresses.registry]))

  await send(n.token.write.approve([addresses.registry, maxUint256]))
  await measure('NodeRegistry', 'registerNode', n.registry.write.registerNode([keccak256(toHex('specs'))]))
  await measure('NodeRegistry', 'updateMetadata', n.registry.write.updateMetadata([keccak256(toHex('specs 2'))]))
  await measure('NodeRegistry', 'stake', n.registry.write.stake([parseEther('10000')]), 'first stake')
  await measure('NodeRegistry', 'requestUnstake', n.registry.write.requestUnstake([parseEther('100')]))
  await increaseTime(7 * 86_400)
  await measure('NodeRegistry', 'withdrawStake', n.registry.write.withdrawStake())
  await measure(
    'NodeRegistry',
    'slash',
    op.registry.write.slash([node.address, parseEther('1'), true, keccak256('0x01')]),
    'burn',
  )
  await measure(
    'NodeRegistry',
    'slash',
    op.registry.write.slash([node.address, parseEther('1'), false, keccak256('0x02')]),
    'to the treasury',
  )
  await measure('NodeRegistry', 'issueChallenge', n.registry.write.issueChallenge([node.address]), 'by the node')
  const challenge = await read.registry.read.getChallenge([node.address])
  await measure(
    'NodeRegistry',
    'submitSolution',
    n.registry.write.submitSolution([solveChallenge(challenge.seed, challenge.target)]),
  )
  await measure('NodeRegistry', 'issueChallenge', op.registry.write.issueChallenge([node.address]), 'by the challenger')
  await increaseTime(601)
  await measure('NodeRegistry', 'expireChallenge', op.registry.write.expireChallenge([node.address]))
  await send(op.registry.write.grantRole([roles.RECORDER, admin.address]))
  await measure(
    'NodeRegistry',
    'recordTaskResults',
    op.registry.write.recordTaskResults([[node.address], [1n], []]),
    '1 node',
  )
  await measure(
    'NodeRegistry',
    'recordTaskResults',
    op.registry.write.recordTaskResults([[node.address], [1n], encodeReputations([{ account: 0, bps: 9_500 }], 1)]),
    '1 node, with its reputation',
  )
  const slash = encodeSlash({ account: 0, reason: 'TaskTimeout', amount: 500n, unit: 'bps', burn: false, ban: false })
  const slashBatch = { ...settleBatch('slash', [node.address], [t3.taskId], TASK_AMOUNT, 1), slashes: [slash] }
  await measure('TaskEscrow', 'settle', op.escrow.write.settle([slashBatch]), '1 task, 1 worker, 1 slash (5%, to the treasury)')
  await measure('NodeRegistry', 'commitSla', n.registry.write.commitSla([9_950n]))
  await measure('NodeRegistry', 'postBond', n.registry.write.postBond([parseEther('1000')]), 'first bond')
  await measure('NodeRegistry', 'requestBondWithdrawal', n.registry.write.requestBondWithdrawal([parseEther('100')]))
  await increaseTime(30 * 86_400)
  await measure('NodeRegistry', 'withdrawBond', n.registry.write.withdrawBond())
  await measure('NodeRegistry', 'setBondCooldown', op.registry.write.setBondCooldown([14n * 86_400n]))
  await measure('NodeRegistry', 'setUnstakeCooldown', op.registry.write.setUnstakeCooldown([3_600n]))
  await measure('NodeRegistry', 'setPowTarget', op.registry.write.setPowTarget([1n << 244n]))
  await measure('NodeRegistry', 'setPowWindow', op.registry.write.setPowWindow([300n]))
  await measure('NodeRegistry', 'setTreasury', op.registry.write.setTreasury([treasury.address]))
}
