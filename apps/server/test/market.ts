import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { devAccount, getTaskMarketContracts, stakeDevNodes } from '@taskmarket/chain'
import { type CreateTaskBody, resultSeal } from '@taskmarket/core'
import { freshTestDatabaseUrl } from '@taskmarket/db'
import { createClient, createNodeClient } from '@taskmarket/sdk'
import { type Account, type Address, BaseError, type Hex, NonceTooLowError, createPublicClient, createWalletClient, http, maxUint256, parseEther } from 'viem'
import { type Config, startServer } from '../src/index.ts'
import { expect } from 'vitest'
import { injectFetch } from './injectFetch.ts'

/**
 * A whole market for tests: embedded anvil, PGlite (or DATABASE_URL), the server on a free port, and
 * helpers to fund accounts on chain. Accounts: 0 operator, 9 treasury is the operator too on local chains.
 */
export async function startTestMarket(overrides: Partial<Config> = {}, options: { clock?: () => number; random?: () => number; inject?: boolean } = {}) {
  const home = overrides.home ?? mkdtempSync(join(tmpdir(), 'taskmarket-test-'))
  const databaseUrl = overrides.databaseUrl ?? (await freshTestDatabaseUrl())
  const server = await startServer({ home, port: 0, logLevel: 'silent', leaseSeconds: 3, relayIntervalMs: 50, databaseUrl, ...overrides }, { clock: options.clock, random: options.random, logger: process.env.TEST_LOG_LEVEL ? { level: process.env.TEST_LOG_LEVEL } : false })
  // With `inject`, every client of this market (and `m.fetch`) goes through app.inject() instead of a socket.
  const fetch = options.inject ? injectFetch(server.app) : globalThis.fetch
  const client = (apiKey?: string) => createClient({ baseUrl: server.url, apiKey, fetch })
  const rpcUrl = server.chain.rpcUrl
  const publicClient = createPublicClient({ chain: server.chain.chain, transport: http(rpcUrl, { timeout: 60_000 }) })
  const contractsFor = (account: Account) =>
    getTaskMarketContracts(server.chain.deployment.addresses, {
      public: publicClient,
      wallet: createWalletClient({ account, chain: server.chain.chain, transport: http(rpcUrl, { timeout: 60_000 }) }),
    })
  const wait = (hash: `0x${string}`) => publicClient.waitForTransactionReceipt({ hash })

  /**
   * Sends a transaction as the operator and waits for it. The server's relayer signs with the same key, so a
   * send that lost the race for a nonce is sent again with the next one (the chain took none of it).
   */
  async function asOperator(send: (contracts: ReturnType<typeof contractsFor>) => Promise<Hex>) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await wait(await send(contractsFor(devAccount(0))))
      } catch (error) {
        if (attempt >= 5 || !(error instanceof BaseError && error.walk((e) => e instanceof NonceTooLowError))) throw error
      }
    }
  }

  /** Faucet tokens to `account`, deposit `deposit` of them and let the operator post for it. */
  async function fund(account: Account, { tokens = '1000', deposit = '500', allowance = true } = {}) {
    const c = contractsFor(account)
    await wait(await c.sale.write.faucet([account.address, parseEther(tokens)]))
    await wait(await c.token.write.approve([c.escrow.address, maxUint256]))
    if (Number(deposit) > 0) await wait(await c.escrow.write.deposit([parseEther(deposit)]))
    if (allowance) await wait(await c.escrow.write.approveOperator([server.chain.operator.address, maxUint256]))
  }

  /** A signed-in client for a dev account, with an API key client beside it. */
  async function poster(index: number) {
    const account = devAccount(index)
    const session = client()
    await session.auth.signIn(account, { chainId: server.chain.chain.id })
    const { key } = await session.apiKeys.create('test')
    return { account, client: session, api: client(key), key }
  }

  const node = (index: number) => createNodeClient({ baseUrl: server.url, account: devAccount(index), fetch })

  /** Registers accounts as nodes with the level-1 stake (what compute work needs) or `stake`, each once; their clients. */
  const staked = new Map<string, Promise<void>>()
  async function stakeNodes(accounts: Account[], { stake }: { stake?: bigint } = {}) {
    const fresh = accounts.filter((a) => !staked.has(a.address))
    const done = stakeDevNodes({ rpcUrl, chain: server.chain.chain, addresses: server.chain.deployment.addresses, accounts: fresh, stake })
    for (const a of fresh) staked.set(a.address, done)
    await Promise.all(accounts.map((a) => staked.get(a.address)))
    return accounts.map((account) => createNodeClient({ baseUrl: server.url, account, fetch }))
  }
  const stakedNode = async (indexOrAccount: number | Account) => (await stakeNodes([typeof indexOrAccount === 'number' ? devAccount(indexOrAccount) : indexOrAccount]))[0]!

  /** Sum of every token the market holds for a set of addresses, for conservation checks. */
  async function tokenState(addresses: Address[]) {
    const c = contractsFor(devAccount(0))
    const escrowBalances = await Promise.all(addresses.map((a) => c.escrow.read.balanceOf([a])))
    const wallets = await Promise.all(addresses.map((a) => c.token.read.balanceOf([a])))
    return {
      escrowHeld: await c.token.read.balanceOf([c.escrow.address]),
      registryHeld: await c.token.read.balanceOf([c.registry.address]),
      supply: await c.token.read.totalSupply(),
      escrow: Object.fromEntries(addresses.map((a, i) => [a, escrowBalances[i]!])),
      wallet: Object.fromEntries(addresses.map((a, i) => [a, wallets[i]!])),
    }
  }

  return { server, home, publicClient, contractsFor, asOperator, fetch, client, fund, poster, node, stakedNode, stakeNodes, tokenState, close: () => server.close() }
}

export type TestMarket = Awaited<ReturnType<typeof startTestMarket>>

/** Polls `check` every 100 ms until it holds or `timeoutMs` passes; returns whether it held. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs = 15_000): Promise<boolean> {
  const end = Date.now() + timeoutMs
  while (Date.now() < end) {
    if (await check()) return true
    await new Promise((r) => setTimeout(r, 100))
  }
  return false
}

/** A node's result for a lease, with the seal that binds it to that node. */
export const sealedResult = (node: { address: Address }, lease: { assignment_id: string; chain_task_id: Hex; chain_job_id: Hex }, digest: Hex) => ({
  assignment_id: lease.assignment_id,
  digest,
  seal: resultSeal(node.address, lease.chain_task_id, lease.chain_job_id, digest),
})

/** Posts `body` as `poster` and waits until the chain holds its escrow; the task id. */
export async function lockedTask(poster: Awaited<ReturnType<TestMarket['poster']>>, body: CreateTaskBody): Promise<string> {
  const { task_id } = await poster.api.tasks.create(body)
  expect(await waitFor(async () => (await poster.api.tasks.get(task_id)).escrow.state === 'locked')).toBe(true)
  return task_id
}

/** Waits until the task is over and its outbox rows are done; fails saying where it stands when it is not. */
export async function settledTask(m: TestMarket, poster: Awaited<ReturnType<TestMarket['poster']>>, taskId: string): Promise<boolean> {
  const done = await waitFor(async () => ['completed', 'failed'].includes((await poster.api.tasks.get(taskId)).status) && !(await m.server.db.query(`SELECT 1 FROM outbox WHERE payload->>'task_id' = $1 AND status NOT IN ('confirmed', 'failed')`, [taskId])).length, 60_000)
  if (!done) {
    const rows = await m.server.db.query(`SELECT id, kind, status, attempts, last_error FROM outbox WHERE payload->>'task_id' = $1 ORDER BY id`, [taskId])
    const task = await poster.api.tasks.get(taskId)
    expect.fail(`task ${taskId} is ${task.status} (${task.progress.jobs_done}/${task.progress.jobs_total} jobs); outbox: ${JSON.stringify(rows)}`)
  }
  return done
}
