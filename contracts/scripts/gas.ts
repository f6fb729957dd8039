/**
 * `npm run gas`: gas per external function (one representative call each, from receipts) and the headline,
 * the amortized gas of one 3-replica compute task: (a 100-task create batch + one settle batch paying those
 * 100 tasks, 3 workers each) / 100. Runs its own anvil in a temp folder. Exits non-zero only on errors.
 *
 * Task ids are numbered per poster, as the server numbers them, so a poster's consecutive tasks share one
 * escrow slot; the "unpaired" path shows the cost when each task's slot-mate never comes.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Address,
  type Hash,
  type Hex,
  type PrivateKeyAccount,
  createPublicClient,
  createTestClient,
  createWalletClient,
  getAddress,
  http,
  keccak256,
  maxUint256,
  parseEther,
  slice,
  toHex,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { foundry } from 'viem/chains'
import {
  chainTaskId,
  deploy,
  devAccount,
  encodeTaskSettlement,
  getTaskMarketContracts,
  roles,
  startLocalChain,
  taskOrderDomain,
  taskOrderTypes,
} from '@taskmarket/chain'
import { buildMerkleTree, jobRecordLeaf } from '../test/merkle.ts'
import { permitTypedData } from '../test/permit.ts'
import { solveChallenge } from '../test/pow.ts'

const TARGET = 40_000n
const POCO = 1_500_000n
const BATCH = 100
const POSTERS = 10
const WORKER_POOL = 20
const TASK_AMOUNT = parseEther('1')

type Row = { contract: string; fn: string; gas: bigint; note?: string }

async function main() {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskmarket-gas-'))
  const chain = await startLocalChain({ dataDir, stateInterval: 3600 })
  try {
    await run(chain.rpcUrl, dataDir)
  } finally {
    await chain.stop()
    rmSync(dataDir, { recursive: true, force: true })
  }
}

async function run(rpcUrl: string, dataDir: string) {
  const transport = http(rpcUrl)
  const publicClient = createPublicClient({ chain: foundry, transport, pollingInterval: 10, cacheTime: 0 })
  const testClient = createTestClient({ mode: 'anvil', chain: foundry, transport })
  const admin = devAccount(0)
  const treasury = devAccount(9)
  const deployment = await deploy({
    rpcUrl,
    deployer: admin,
    treasury: treasury.address,
    deploymentFile: join(dataDir, 'deployment.json'),
  })
  const addresses = deployment.addresses
  const as = (account: PrivateKeyAccount | ReturnType<typeof devAccount>) =>
    getTaskMarketContracts(addresses, {
      public: publicClient,
      wallet: createWalletClient({ account, chain: foundry, transport, pollingInterval: 10 }),
    })
  const op = as(admin)
  const read = getTaskMarketContracts(addresses, publicClient)

  const rows: Row[] = []
  const send = async (hash: Promise<Hash>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash })
    if (receipt.status !== 'success') throw new Error(`transaction ${receipt.transactionHash} reverted`)
    return receipt.gasUsed
  }
  const measure = async (contract: string, fn: string, hash: Promise<Hash>, note?: string) => {
    const gas = await send(hash)
    rows.push({ contract, fn, gas, note })
    return gas
  }
  const now = async () => Number((await publicClient.getBlock()).timestamp)
  const increaseTime = async (seconds: number) => {
    await testClient.setNextBlockTimestamp({ timestamp: BigInt((await now()) + seconds) })
    await testClient.mine({ blocks: 1 })
  }

  // Accounts beyond anvil's ten: posters with keys (they sign orders), workers as bare addresses.
  const posters = Array.from({ length: POSTERS }, (_, i) => privateKeyToAccount(keccak256(toHex(`gas poster ${i}`))))
  for (const p of posters) await testClient.setBalance({ address: p.address, value: parseEther('10') })
  const workerAddress = (tag: string, i: number) => getAddress(slice(keccak256(toHex(`${tag} ${i}`)), 12))
  const pool = Array.from({ length: WORKER_POOL }, (_, i) => workerAddress('gas worker', i))
  const user = devAccount(1)
  const node = devAccount(2)
  const u = as(user)
  const n = as(node)

  // ---------------------------------------------------------------- one call per function
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
  const permit = await signPermit(user, addresses.token, addresses.escrow, parseEther('5'), 0n, permitDeadline)
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
  const permit2 = await signPermit(user, addresses.token, addresses.escrow, parseEther('5'), 1n, permitDeadline)
  await measure(
    'TaskEscrow',
    'depositWithPermit',
    u.escrow.write.depositWithPermit([parseEther('5'), permitDeadline, permit2.v, permit2.r, permit2.s]),
  )
  await send(u.token.write.approve([addresses.escrow, maxUint256]))
  await measure('TaskEscrow', 'withdraw', u.escrow.write.withdraw([parseEther('1')]))
  await measure('TaskEscrow', 'approveOperator', u.escrow.write.approveOperator([admin.address, parseEther('500')]))
  const terms = async (poster: Address, local: bigint) => ({
    taskId: chainTaskId(poster, local),
    amount: TASK_AMOUNT,
    deadline: (await now()) + 86_400,
    feeScheme: 0,
  })
  const t1 = await terms(user.address, 1n)
  await measure('TaskEscrow', 'createTask', u.escrow.write.createTask([t1]), 'by the poster')
  const t2 = await terms(user.address, 2n)
  await measure('TaskEscrow', 'createTasksFromAllowance', op.escrow.write.createTasksFromAllowance([[t2]]), '1 task')
  const order = { ...(await terms(user.address, 3n)), nonce: 0n, expiry: (await now()) + 600 }
  await measure(
    'TaskEscrow',
    'createTasksFor',
    op.escrow.write.createTasksFor([[order], [await signOrder(user, addresses.escrow, order)]]),
    '1 order',
  )
  await measure(
    'TaskEscrow',
    'settle',
    op.escrow.write.settle([
      settleBatch('single', [devAccount(3).address, devAccount(4).address, devAccount(5).address], [t1.taskId], 3),
    ]),
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
    op.registry.write.recordTaskResults([[node.address], [1], [0]]),
    '1 node',
  )
  await measure('NodeRegistry', 'setUnstakeCooldown', op.registry.write.setUnstakeCooldown([3_600n]))
  await measure('NodeRegistry', 'setPowTarget', op.registry.write.setPowTarget([1n << 244n]))
  await measure('NodeRegistry', 'setPowWindow', op.registry.write.setPowWindow([300n]))
  await measure('NodeRegistry', 'setTreasury', op.registry.write.setTreasury([treasury.address]))

  // ---------------------------------------------------------------- batches of 100 tasks
  // Posters funded with a finite operator allowance; a warm-up round leaves workers, posters and nonce
  // words already written, as in a market that is running.
  for (const p of posters) {
    const c = as(p)
    await send(op.sale.write.faucet([p.address, parseEther('1000')]))
    await send(c.token.write.approve([addresses.escrow, maxUint256]))
    await send(c.escrow.write.deposit([parseEther('1000')]))
    await send(c.escrow.write.approveOperator([admin.address, parseEther('900')]))
  }
  // Per-poster task numbers (from an even start, so consecutive tasks pair up in a slot); the batch
  // interleaves the posters. `stride` 2 leaves every task's slot-mate unused.
  const nextLocal = posters.map(() => 1_000n)
  const batchTerms = async (stride = 1n) => {
    const deadline = (await now()) + 86_400
    return Array.from({ length: BATCH }, (_, i) => {
      const p = i % POSTERS
      const local = nextLocal[p]
      nextLocal[p] += stride
      return { taskId: chainTaskId(posters[p].address, local), amount: TASK_AMOUNT, deadline, feeScheme: 0 }
    })
  }
  let nonce = 0n
  const relayed = async () => {
    const list = await batchTerms()
    const expiry = (await now()) + 600
    const orders = list.map((t, i) => ({ ...t, nonce: nonce + BigInt(Math.floor(i / POSTERS)), expiry }))
    nonce += BigInt(BATCH / POSTERS)
    const signatures = await Promise.all(orders.map((o, i) => signOrder(posters[i % POSTERS], addresses.escrow, o)))
    return { orders, signatures }
  }
  const settle100 = (tag: string, workers: Address[], ids: Hex[]) =>
    op.escrow.write.settle([settleBatch(tag, workers, ids, 3)])

  const warm = await relayed()
  await send(op.escrow.write.createTasksFor([warm.orders, warm.signatures]))
  await send(
    settle100(
      'warm-up',
      pool,
      warm.orders.map((o) => o.taskId),
    ),
  )

  const allowanceTerms = await batchTerms()
  const allowanceCreate = await measure(
    'TaskEscrow',
    'createTasksFromAllowance',
    op.escrow.write.createTasksFromAllowance([allowanceTerms]),
    '100 tasks',
  )
  const allowanceSettle = await measure(
    'TaskEscrow',
    'settle',
    settle100(
      'allowance',
      pool,
      allowanceTerms.map((t) => t.taskId),
    ),
    '100 tasks x 3 workers',
  )

  const signed = await relayed()
  const relayedCreate = await measure(
    'TaskEscrow',
    'createTasksFor',
    op.escrow.write.createTasksFor([signed.orders, signed.signatures]),
    '100 orders',
  )
  const relayedSettle = await send(
    settle100(
      'relayed',
      pool,
      signed.orders.map((o) => o.taskId),
    ),
  )

  let posterCreate = 0n
  const single = await batchTerms()
  for (const [i, t] of single.entries())
    posterCreate += await send(as(posters[i % POSTERS]).escrow.write.createTask([t]))
  const posterSettle = await send(
    settle100(
      'by poster',
      pool,
      single.map((t) => t.taskId),
    ),
  )

  const freshTerms = await batchTerms()
  const freshCreate = await send(op.escrow.write.createTasksFromAllowance([freshTerms]))
  const freshWorkers = Array.from({ length: 3 * BATCH }, (_, i) => workerAddress('fresh worker', i))
  const freshSettle = await measure(
    'TaskEscrow',
    'settle',
    settle100(
      'fresh',
      freshWorkers,
      freshTerms.map((t) => t.taskId),
    ),
    '100 tasks x 3 never-paid workers',
  )

  const unpairedTerms = await batchTerms(2n)
  const unpairedCreate = await measure(
    'TaskEscrow',
    'createTasksFromAllowance',
    op.escrow.write.createTasksFromAllowance([unpairedTerms]),
    '100 tasks, each alone in its slot',
  )
  const unpairedSettle = await measure(
    'TaskEscrow',
    'settle',
    settle100(
      'unpaired',
      pool,
      unpairedTerms.map((t) => t.taskId),
    ),
    '100 tasks x 3 workers, each alone in its slot',
  )

  printTable(rows)
  const perTask = (create: bigint, settle: bigint) => ({
    create: create / 100n,
    settle: settle / 100n,
    total: (create + settle) / 100n,
  })
  printHeadline([
    { path: 'operator allowance (headline)', ...perTask(allowanceCreate, allowanceSettle) },
    { path: 'relayed, poster-signed orders', ...perTask(relayedCreate, relayedSettle) },
    { path: 'createTask by the poster, 1 tx each', ...perTask(posterCreate, posterSettle) },
    { path: 'allowance, 3 never-paid workers', ...perTask(freshCreate, freshSettle) },
    { path: 'allowance, unpaired slots', ...perTask(unpairedCreate, unpairedSettle) },
  ])
}

// ---------------------------------------------------------------- helpers

/** A settle batch paying each task in full to `perTask` workers drawn in turn from `workers`. */
function settleBatch(tag: string, workers: Address[], taskIds: Hex[], perTask: number) {
  const records = taskIds.flatMap((taskId, i) =>
    Array.from({ length: perTask }, (_, j) => ({
      taskId,
      jobId: keccak256(toHex(`${tag} job ${i}/${j}`)),
      worker: workers[(i * perTask + j) % workers.length],
      resultHash: keccak256(toHex(`${tag} result ${i}`)),
      verdict: 1,
    })),
  )
  const index = new Map(workers.map((w, i) => [w, i]))
  return {
    batchId: keccak256(toHex(`batch ${tag}`)),
    jobsRoot: buildMerkleTree(records.map(jobRecordLeaf)).root,
    accounts: workers,
    tasks: taskIds.map((taskId, i) =>
      encodeTaskSettlement({
        taskId,
        amount: TASK_AMOUNT,
        close: true,
        workers: records
          .slice(i * perTask, (i + 1) * perTask)
          .map((r) => ({ account: index.get(r.worker) ?? 0, weight: 1 })),
        validators: [],
      }),
    ),
  }
}

type Order = { taskId: Hex; amount: bigint; deadline: number; feeScheme: number; nonce: bigint; expiry: number }

function signOrder(signer: { signTypedData: PrivateKeyAccount['signTypedData'] }, escrow: Address, order: Order) {
  return signer.signTypedData({ domain: taskOrderDomain(foundry.id, escrow), types: taskOrderTypes, primaryType: 'TaskOrder', message: order })
}

async function signPermit(
  owner: { address: Address; signTypedData: PrivateKeyAccount['signTypedData'] },
  token: Address,
  spender: Address,
  value: bigint,
  nonce: bigint,
  deadline: bigint,
) {
  const signature = await owner.signTypedData(permitTypedData(token, { owner: owner.address, spender, value, nonce, deadline }))
  return {
    r: slice(signature, 0, 32),
    s: slice(signature, 32, 64),
    v: Number.parseInt(signature.slice(130, 132), 16),
  }
}

const fmt = (gas: bigint) => gas.toLocaleString('en-US')

function printTable(rows: Row[]) {
  const width = { contract: 13, fn: 26, gas: 11 }
  console.log('\nGas per external function (gasUsed of one representative call)\n')
  console.log(`${'contract'.padEnd(width.contract)}${'function'.padEnd(width.fn)}${'gas'.padStart(width.gas)}  note`)
  console.log('-'.repeat(width.contract + width.fn + width.gas + 36))
  for (const r of rows) {
    console.log(
      `${r.contract.padEnd(width.contract)}${r.fn.padEnd(width.fn)}${fmt(r.gas).padStart(width.gas)}  ${r.note ?? ''}`,
    )
  }
}

function printHeadline(paths: { path: string; create: bigint; settle: bigint; total: bigint }[]) {
  console.log(
    `\nAmortized gas of one 3-replica compute task, batches of ${BATCH} (${POSTERS} posters, workers drawn from a pool of ${WORKER_POOL})\n`,
  )
  console.log(
    `${'path'.padEnd(38)}${'create'.padStart(10)}${'settle'.padStart(10)}${'per task'.padStart(11)}  vs target`,
  )
  console.log('-'.repeat(85))
  for (const p of paths) {
    const delta = p.total - TARGET
    const verdict =
      delta <= 0n
        ? `within (${fmt(-delta)} to spare)`
        : `over by ${fmt(delta)} (+${(Number((delta * 1000n) / TARGET) / 10).toFixed(1)}%)`
    console.log(
      `${p.path.padEnd(38)}${fmt(p.create).padStart(10)}${fmt(p.settle).padStart(10)}${fmt(p.total).padStart(11)}  ${verdict}`,
    )
  }
  const headline = paths[0].total
  console.log(`\nHeadline: ${fmt(headline)} gas per 3-replica compute task`)
  console.log(`Target:   ${fmt(TARGET)} (DESIGN.md section 9)`)
  console.log(
    `iExec PoCo reference: ~${fmt(POCO)} (initialize + 3 contribute + 3 reveal + finalize), ${(Number(POCO) / Number(headline)).toFixed(0)}x more`,
  )
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
