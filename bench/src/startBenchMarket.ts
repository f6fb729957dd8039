import { randomUUID } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { devAccount, getTaskMarketContracts, stakeDevNodes } from '@taskmarket/chain'
import { createClient } from '@taskmarket/sdk'
import { type Config, startServer } from '@taskmarket/server'
import pg from 'pg'
import { createPublicClient, createWalletClient, http, maxUint256, parseEther } from 'viem'

/** Dev accounts 97 onwards that are staked as nodes: the profilers' three and a swarm of up to 128. */
const BENCH_NODES = 3 + 128

export type StartBenchMarketParameters = {
  /** An admin URL of a PostgreSQL server: the market gets a fresh database on it. Without it, PGlite. */
  postgresAdminUrl?: string
  overrides?: Partial<Config>
}

/**
 * A whole market for a benchmark, as `apps/server/test/market.ts` starts one: embedded anvil, PGlite in a
 * temp folder (or a fresh PostgreSQL database), the server on a free port, and one funded poster with an
 * API key. Leases last ten minutes so nothing expires mid-run. `close()` stops it and drops what it made.
 * @example const market = await startBenchMarket(); await market.postHashTasks(10_000); await market.close()
 */
export async function startBenchMarket({ postgresAdminUrl, overrides = {} }: StartBenchMarketParameters = {}) {
  const home = mkdtempSync(join(tmpdir(), 'taskmarket-bench-'))
  const database = postgresAdminUrl ? await createPostgresDatabase(postgresAdminUrl) : undefined
  const server = await startServer({ home, port: 0, logLevel: 'silent', leaseSeconds: 600, relayIntervalMs: 50, databaseUrl: database?.url, ...overrides })
  const publicClient = createPublicClient({ chain: server.chain.chain, transport: http(server.chain.rpcUrl) })

  // The poster: tokens, escrow deposit and an operator allowance (API-key posting), like market.ts's fund().
  const posterAccount = devAccount(1)
  const contracts = getTaskMarketContracts(server.chain.deployment.addresses, {
    public: publicClient,
    wallet: createWalletClient({ account: posterAccount, chain: server.chain.chain, transport: http(server.chain.rpcUrl) }),
  })
  const wait = async (hash: Promise<`0x${string}`>) => publicClient.waitForTransactionReceipt({ hash: await hash })
  await wait(contracts.sale.write.faucet([posterAccount.address, parseEther('100000')]))
  await wait(contracts.token.write.approve([contracts.escrow.address, maxUint256]))
  await wait(contracts.escrow.write.deposit([parseEther('50000')]))
  await wait(contracts.escrow.write.approveOperator([server.chain.operator.address, maxUint256]))
  // The nodes the benchmarks sign with (dev accounts 97 to 99 and the swarm's from 100) take compute work
  // only with the level-1 stake.
  await stakeDevNodes({ rpcUrl: server.chain.rpcUrl, chain: server.chain.chain, addresses: server.chain.deployment.addresses, accounts: Array.from({ length: BENCH_NODES }, (_, i) => devAccount(97 + i)) })
  const session = createClient({ baseUrl: server.url })
  await session.auth.signIn(posterAccount, { chainId: server.chain.chain.id })
  const { key } = await session.apiKeys.create('bench')
  const api = createClient({ baseUrl: server.url, apiKey: key })

  const jobsPerTask = 10_000
  const inputs = new Map<number, string>()

  /**
   * Posts `hash` tasks totalling `jobs` jobs (1 KiB chunks of an uploaded blob, at most 10,000 per task,
   * replication 1, quorum 1) and waits until the relayer has locked their escrow on chain and every job is open.
   */
  async function postHashTasks(jobs: number): Promise<string[]> {
    const taskIds: string[] = []
    for (let left = jobs; left > 0; left -= jobsPerTask) {
      const size = Math.min(left, jobsPerTask)
      let input = inputs.get(size)
      if (!input) inputs.set(size, (input = (await api.blobs.upload(new Uint8Array(size * 1024).fill(7))).hash))
      const created = await api.tasks.create({
        challenge_type: 'hash',
        payload: { input, chunk_size: 1024 },
        reward: '1',
        replication: { min_quorum: 1, target_results: 1, max_total_results: 2 },
      })
      taskIds.push(created.task_id)
    }
    await until(async () => (await openJobs(taskIds)) === jobs, 120_000, `${jobs} jobs to be offered`)
    return taskIds
  }

  async function openJobs(taskIds: string[]): Promise<number> {
    const [row] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE task_id = ANY($1::uuid[]) AND status = 'open'`, [taskIds])
    return row!.n
  }

  async function validJobs(taskIds: string[]): Promise<number> {
    const [row] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM jobs WHERE task_id = ANY($1::uuid[]) AND status = 'valid'`, [taskIds])
    return row!.n
  }

  /** Waits until the relayer has nothing left to send, so background settlement does not skew the next run. */
  async function settled(timeoutMs = 180_000) {
    await until(async () => {
      const [row] = await server.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM outbox WHERE status IN ('pending', 'sent')`)
      return row!.n === 0
    }, timeoutMs, 'the relayer to drain the outbox')
  }

  return {
    server,
    api,
    backend: database ? ('PostgreSQL' as const) : ('PGlite' as const),
    postHashTasks,
    validJobs,
    settled,
    async close() {
      await server.close()
      await database?.drop()
      rmSync(home, { recursive: true, force: true })
    },
  }
}

export type BenchMarket = Awaited<ReturnType<typeof startBenchMarket>>

/** Polls `check` every 20 ms until it holds; throws after `timeoutMs` naming what it waited for. */
export async function until(check: () => Promise<boolean>, timeoutMs: number, what: string) {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`)
    await new Promise((r) => setTimeout(r, 20))
  }
}

/** A fresh database on the PostgreSQL server at `adminUrl` (as market.ts makes one per test market). */
async function createPostgresDatabase(adminUrl: string) {
  const name = `tm_bench_${randomUUID().replaceAll('-', '')}`
  const admin = async (sql: string) => {
    const pool = new pg.Pool({ connectionString: adminUrl, max: 1 })
    try {
      await pool.query(sql)
    } finally {
      await pool.end()
    }
  }
  await admin(`CREATE DATABASE ${name}`)
  const url = new URL(adminUrl)
  url.pathname = `/${name}`
  return { url: url.toString(), drop: () => admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {}) }
}
