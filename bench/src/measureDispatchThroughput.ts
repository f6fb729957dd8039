import type { BenchMarket } from './startBenchMarket.ts'
import type { SwarmResult, startWorkerSwarm } from './startWorkerSwarm.ts'

export type DispatchThroughput = SwarmResult & {
  backend: string
  batch: number
  jobs: number
  workers: number
  jobsPerSecond: number
  /** CPU the market's process (server, PGlite, relayer) used during the run, as a share of one core. */
  serverCpu: number
}

/**
 * Jobs per second through the signed worker protocol, durable: posts `jobs` hash jobs (replication 1),
 * waits until all are offered, then the swarm claims up to `batch` at a time and submits results until
 * every job is valid. Posting and the on-chain escrow lock are not timed; claim to validation is.
 * Afterwards it checks the database agrees and waits for the settlement to go on chain.
 * @example await measureDispatchThroughput({ market, swarm, jobs: 20_000, batch: 100 })
 */
export async function measureDispatchThroughput({ market, swarm, jobs, batch, workers }: {
  market: BenchMarket
  swarm: Awaited<ReturnType<typeof startWorkerSwarm>>
  jobs: number
  batch: number
  workers: number
}): Promise<DispatchThroughput> {
  const taskIds = await market.postHashTasks(jobs)
  const cpu = process.cpuUsage()
  const result = await swarm.run({ batch, target: jobs, kinds: ['hash'] })
  const used = process.cpuUsage(cpu)
  const valid = await market.validJobs(taskIds)
  if (valid !== jobs) throw new Error(`${valid} of ${jobs} jobs are valid after the run`)
  await market.settled()
  return {
    ...result,
    backend: market.backend,
    batch,
    jobs,
    workers,
    jobsPerSecond: (jobs / result.elapsedMs) * 1000,
    serverCpu: (used.user + used.system) / 1000 / result.elapsedMs,
  }
}
