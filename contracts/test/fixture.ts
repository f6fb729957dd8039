/**
 * One shared fixture for the contract tests: a fresh anvil in a temp folder, the four contracts deployed,
 * named dev accounts with typed contract instances, and helpers for money, orders, time and snapshots.
 * Every test runs against the real chain; `useFixture()` isolates the tests of a file with evm_snapshot /
 * evm_revert, which is much cheaper than redeploying. Blocks advance one second each, unless `wallClock` asks
 * for anvil's normal clock; `increaseTime` jumps.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type Abi,
  type Address,
  type Hash,
  type HDAccount,
  type Hex,
  type HttpTransport,
  type PublicClient,
  type TransactionReceipt,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createTestClient,
  createWalletClient,
  decodeErrorResult,
  http,
  isHex,
  maxUint256,
  parseEther,
  parseSignature,
} from 'viem'
import { foundry } from 'viem/chains'
import { afterAll, afterEach, beforeAll, beforeEach, expect } from 'vitest'
import {
  type ContractAddresses,
  type Deployment,
  type LocalChain,
  NodeRegistry,
  TaskEscrow,
  TaskToken,
  TokenSale,
  chainTaskId,
  deploy,
  devAccount,
  getTaskMarketContracts,
  startLocalChain,
} from '@taskmarket/chain'
import { permitTypedData } from './permit.ts'

/** Indexes of the dev accounts each actor uses. */
export const ACTOR_INDEX = {
  admin: 0, // admin of every contract, escrow operator and dispute role, registry slasher and challenger
  poster: 1,
  poster2: 2,
  worker1: 3,
  worker2: 4,
  worker3: 5,
  validator: 6,
  outsider: 7,
  spare: 8,
  treasury: 9,
} as const

export type ActorName = keyof typeof ACTOR_INDEX

/** Seconds in a day. */
export const DAY = 86_400

export type TaskOrder = {
  taskId: Hex
  amount: bigint
  deadline: number
  feeScheme: number
  nonce: bigint
  expiry: number
}

export type TaskTerms = { taskId: Hex; amount: bigint; deadline: number; feeScheme: number }

export const TaskStatus = { None: 0, Open: 1, Frozen: 2, Settled: 3, Refunded: 4 } as const

/** Every error any of the contracts can raise, to name reverts that bubble up from another contract. */
const allErrors = [...TaskToken.abi, ...TokenSale.abi, ...TaskEscrow.abi, ...NodeRegistry.abi].filter(
  (item, i, abi) =>
    item.type === 'error' &&
    abi.findIndex((other) => other.type === 'error' && JSON.stringify(other) === JSON.stringify(item)) === i,
) as Abi

export type FixtureOptions = {
  /** Stamp blocks by the wall clock, as a developer's anvil does (several may share a second). */
  wallClock?: boolean
}

export async function createFixture({ wallClock = false }: FixtureOptions = {}) {
  const dataDir = mkdtempSync(join(tmpdir(), 'taskmarket-contracts-'))
  const chain = await startLocalChain({ dataDir, stateInterval: 3600 })
  // Safety net: vitest ends a test file's fork without waiting when a hook fails; anvil must not outlive it.
  process.once('exit', () => chain.process.kill('SIGKILL'))
  try {
    const actorAccounts = Object.fromEntries(
      Object.entries(ACTOR_INDEX).map(([name, index]) => [name, devAccount(index)]),
    ) as Record<ActorName, HDAccount>
    const deployment = await deploy({
      rpcUrl: chain.rpcUrl,
      deployer: actorAccounts.admin,
      treasury: actorAccounts.treasury.address,
      deploymentFile: join(dataDir, 'deployment.json'),
    })
    // Each block one second after the last, whatever the wall clock says: time in the tests is deterministic,
    // and so is gas that depends on it. viem sends anvil's estimate as the gas limit, exact to the unit; on a
    // wall-clock anvil a transaction estimated in one second and mined in the next can take another path and
    // run out of gas. NodeRegistry.issueChallenge does, about 1 call in 150: whether the previous challenge
    // was issued in the same second decides which of its two writes to one slot costs 2,900 and which 100,
    // and EIP-2200 refuses an SSTORE with 2,300 gas or less left.
    if (!wallClock) {
      const testClient = createTestClient({ mode: 'anvil', chain: foundry, transport: http(chain.rpcUrl) })
      await testClient.setBlockTimestampInterval({ interval: 1 })
    }
    return buildFixture(chain, dataDir, deployment, actorAccounts)
  } catch (error) {
    await chain.stop()
    rmSync(dataDir, { recursive: true, force: true })
    throw error
  }
}

type ChainPublicClient = PublicClient<HttpTransport, typeof foundry>

/** A dev account with a wallet client and the four contracts bound to it. */
function makeActor(
  account: HDAccount,
  addresses: ContractAddresses,
  publicClient: ChainPublicClient,
  transport: HttpTransport,
) {
  const wallet = createWalletClient({ account, chain: foundry, transport, pollingInterval: 10 })
  return {
    account,
    address: account.address,
    wallet,
    ...getTaskMarketContracts(addresses, { public: publicClient, wallet }),
  }
}

export type Actor = ReturnType<typeof makeActor>

function buildFixture(
  chain: LocalChain,
  dataDir: string,
  deployment: Deployment,
  actorAccounts: Record<ActorName, HDAccount>,
) {
  const transport = http(chain.rpcUrl)
  const publicClient: ChainPublicClient = createPublicClient({
    chain: foundry,
    transport,
    pollingInterval: 10,
    cacheTime: 0,
  })
  const testClient = createTestClient({ mode: 'anvil', chain: foundry, transport })
  const addresses = deployment.addresses

  const actors = Object.fromEntries(
    Object.keys(ACTOR_INDEX).map((n) => [
      n,
      makeActor(actorAccounts[n as ActorName], addresses, publicClient, transport),
    ]),
  ) as Record<ActorName, Actor>
  const { admin, poster, poster2, worker1, worker2, worker3, validator, outsider, spare, treasury } = actors
  const read = getTaskMarketContracts(addresses, publicClient)

  let localTaskNumber = 0n

  /** Waits for a sent transaction and checks it succeeded. */
  async function tx(hash: Promise<Hash> | Hash): Promise<TransactionReceipt> {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash })
    expect(receipt.status).toBe('success')
    return receipt
  }

  /** Latest block timestamp, in seconds. */
  async function now(): Promise<number> {
    return Number((await publicClient.getBlock()).timestamp)
  }

  /** Mines a block `seconds` after the latest (evm_increaseTime has no effect with a fixed block interval). */
  async function increaseTime(seconds: number) {
    await testClient.setNextBlockTimestamp({ timestamp: BigInt((await now()) + seconds) })
    await testClient.mine({ blocks: 1 })
  }

  type Who = { address: Address } | Address
  const addressOf = (who: Who) => (typeof who === 'string' ? who : who.address)

  /** Mints fresh tokens to `who` through the local-chain faucet (at most 100,000 per call). */
  async function faucet(who: Who, amount: bigint) {
    return tx(admin.sale.write.faucet([addressOf(who), amount]))
  }

  /** Faucet, approve and deposit: `actor` ends with `amount` more in its escrow balance. */
  async function fund(actor: Actor, amount: bigint) {
    await faucet(actor, amount)
    await tx(actor.token.write.approve([addresses.escrow, amount]))
    return tx(actor.escrow.write.deposit([amount]))
  }

  /** A fresh task id owned by `poster`. */
  function taskId(actor: Who): Hex {
    return chainTaskId(addressOf(actor), ++localTaskNumber)
  }

  /** Funds `poster` and creates an open task by the poster itself; returns its id and terms. */
  async function openTask(
    actor: Actor,
    { amount = parseEther('10'), feeScheme = 0, duration = 3_600, fundIt = true } = {},
  ) {
    if (fundIt) await fund(actor, amount)
    const terms: TaskTerms = { taskId: taskId(actor), amount, deadline: (await now()) + duration, feeScheme }
    await tx(actor.escrow.write.createTask([terms]))
    return terms
  }

  const domain = {
    name: 'TaskEscrow',
    version: '1',
    chainId: foundry.id,
    verifyingContract: addresses.escrow,
  } as const
  // Written out here rather than imported from packages/chain, so the tests check the contract's type hash
  // against an independent statement of the order format.
  const orderTypes = {
    TaskOrder: [
      { name: 'taskId', type: 'bytes32' },
      { name: 'amount', type: 'uint96' },
      { name: 'deadline', type: 'uint40' },
      { name: 'feeScheme', type: 'uint8' },
      { name: 'nonce', type: 'uint256' },
      { name: 'expiry', type: 'uint40' },
    ],
  } as const

  /** The poster's EIP-712 signature of a TaskOrder for the escrow. */
  function signOrder(signer: Actor, order: TaskOrder): Promise<Hex> {
    return signer.account.signTypedData({ domain, types: orderTypes, primaryType: 'TaskOrder', message: order })
  }

  /** An EIP-2612 permit of `owner`'s tokens, split into v, r, s; signed by `signer` (default the owner). */
  async function signPermit(owner: Actor, spender: Address, value: bigint, deadline: bigint, signer = owner) {
    const nonce = await read.token.read.nonces([owner.address])
    const signature = await signer.account.signTypedData(permitTypedData(addresses.token, { owner: owner.address, spender, value, nonce, deadline }))
    const { r, s, v } = parseSignature(signature)
    return { v: Number(v), r, s, signature }
  }

  async function grantRole(contract: 'token' | 'sale' | 'escrow' | 'registry', role: Hex, to: Who) {
    // grantRole is AccessControl's, the same in every contract's ABI.
    const args = [role, addressOf(to)] as const
    return tx(
      admin.wallet.writeContract({ address: addresses[contract], abi: TaskToken.abi, functionName: 'grantRole', args }),
    )
  }

  /** Gives `actor` an unlimited approval of the escrow and the registry. */
  async function approveAll(actor: Actor) {
    await tx(actor.token.write.approve([addresses.escrow, maxUint256]))
    await tx(actor.token.write.approve([addresses.registry, maxUint256]))
  }

  return {
    chain,
    dataDir,
    deployment,
    addresses,
    publicClient,
    testClient,
    actors,
    admin,
    operator: admin,
    poster,
    poster2,
    worker1,
    worker2,
    worker3,
    workers: [worker1, worker2, worker3] as const,
    validator,
    outsider,
    spare,
    treasury,
    /** Contract instances bound to the public client only, for reads. */
    token: read.token,
    sale: read.sale,
    escrow: read.escrow,
    registry: read.registry,
    tx,
    now,
    increaseTime,
    faucet,
    fund,
    taskId,
    openTask,
    signOrder,
    signPermit,
    grantRole,
    approveAll,
    domain,
    orderTypes,
    snapshot: () => testClient.snapshot(),
    revert: (id: Hex) => testClient.revert({ id }),
    async stop() {
      await chain.stop()
      rmSync(dataDir, { recursive: true, force: true })
    },
  }
}

export type Fixture = Awaited<ReturnType<typeof createFixture>>

/**
 * Starts the fixture once for the file (stopped in afterAll) and reverts the chain after every test.
 * The returned object is filled in by beforeAll, so use it only inside hooks and tests.
 */
export function useFixture(options: FixtureOptions = {}): Fixture {
  const fixture = {} as Fixture
  let snapshotId: Hex | undefined
  beforeAll(async () => {
    Object.assign(fixture, await createFixture(options))
  })
  afterAll(async () => {
    await fixture.stop?.()
  })
  beforeEach(async () => {
    snapshotId = await fixture.snapshot()
  })
  afterEach(async () => {
    if (snapshotId) await fixture.revert(snapshotId)
    snapshotId = undefined
  })
  return fixture
}

/** The custom error a failed call or transaction reverted with, decoded against every contract's ABI. */
export function revertError(error: unknown): { errorName: string; args: readonly unknown[] } | undefined {
  if (!(error instanceof BaseError)) return undefined
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError) as
    ContractFunctionRevertedError | undefined
  if (reverted?.data) return { errorName: reverted.data.errorName, args: reverted.data.args ?? [] }
  const raw =
    reverted?.raw ??
    (error.walk((e) => isHex((e as { data?: unknown }).data)) as { data?: Hex } | undefined)?.data ??
    undefined
  if (!raw || raw === '0x') return undefined
  try {
    const decoded = decodeErrorResult({ abi: allErrors, data: raw })
    return { errorName: decoded.errorName, args: decoded.args ?? [] }
  } catch {
    return undefined
  }
}

/**
 * Expects `promise` (a contract write or read) to revert with the custom error `errorName`, and, when
 * given, with exactly `args`. Returns the decoded arguments.
 */
export async function expectRevert(
  promise: Promise<unknown>,
  errorName: string,
  args?: readonly unknown[],
): Promise<readonly unknown[]> {
  let error: unknown
  try {
    await promise
  } catch (e) {
    error = e
  }
  if (error === undefined) throw new Error(`expected a revert with ${errorName}, but the call succeeded`)
  const decoded = revertError(error)
  if (!decoded) throw new Error(`expected a revert with ${errorName}, got: ${(error as Error).message}`)
  expect(decoded.errorName).toBe(errorName)
  if (args) expect(decoded.args).toEqual(args)
  return decoded.args
}
