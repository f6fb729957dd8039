/**
 * `npm run bench`: DESIGN.md section 9 measured in one run and printed beside its baselines and targets.
 * Prints figures; asserts nothing (a benchmark is not a test). Options:
 *   --seconds S     aim each dispatch run at about S seconds (default 10): a short probe run at the same
 *                   claim size measures the rate, and the timed run gets rate × S jobs, within
 *                   1,000 (200 for K=1) and 20,000
 *   --jobs N        a fixed number of jobs per dispatch run instead (no probe)
 *   --batch K       claim size of the headline runs (default 100; K=32 and K=1 always run too)
 *   --samples N     latency samples (default 200)
 *   --bullmq-jobs N jobs in the BullMQ baseline (default 20000)
 *   --profile       also profile one dispatch run per database: SQL counts and times, claim plan, CPU
 * The root script is `npm run bench -w bench`, so from the root options need `npm run bench -w bench -- --profile`
 * (or BENCH_PROFILE=1, BENCH_SECONDS, BENCH_JOBS, BENCH_BATCH, BENCH_SAMPLES in the environment).
 * PostgreSQL runs too when BENCH_DATABASE_URL or TEST_DATABASE_URL is set (each run in a fresh database).
 */
import { readFileSync } from 'node:fs'
import os from 'node:os'
import { parseArgs } from 'node:util'
import { type BullmqBaseline, measureBullmqBaseline } from './measureBullmqBaseline.ts'
import { type DispatchThroughput, measureDispatchThroughput } from './measureDispatchThroughput.ts'
import { type AssignmentLatency, measureAssignmentLatency } from './measureAssignmentLatency.ts'
import { type GasPerTask, measureGasPerTask } from './measureGasPerTask.ts'
import { printTable, type TableRow } from './printTable.ts'
import { printClaimProfile, profileClaim } from './profileClaim.ts'
import { printDispatchProfile, profileDispatch } from './profileDispatch.ts'
import { startBenchMarket } from './startBenchMarket.ts'
import { startWorkerSwarm } from './startWorkerSwarm.ts'

const DESIGN_BULLMQ = 21_000
const LATENCY_P50_MS = 5
const LATENCY_P99_MS = 25
const GAS_TARGET = 40_000
const GAS_IEXEC = 1_500_000
const WORKERS = 64

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: process.env.BENCH_SECONDS ?? '10' },
    jobs: { type: 'string', default: process.env.BENCH_JOBS },
    batch: { type: 'string', default: process.env.BENCH_BATCH ?? '100' },
    samples: { type: 'string', default: process.env.BENCH_SAMPLES ?? '200' },
    'bullmq-jobs': { type: 'string', default: process.env.BENCH_BULLMQ_JOBS ?? '20000' },
    profile: { type: 'boolean', default: process.env.BENCH_PROFILE === '1' },
  },
})
const seconds = Number(values.seconds)
const fixedJobs = values.jobs ? Number(values.jobs) : undefined
const headlineBatch = Number(values.batch)
const samples = Number(values.samples)
const bullmqJobs = Number(values['bullmq-jobs'])
const postgresAdminUrl = process.env.BENCH_DATABASE_URL || process.env.TEST_DATABASE_URL || undefined

// The bench starts its own markets; a DATABASE_URL or RPC_URL meant for `npm start` must not leak in.
for (const name of ['DATABASE_URL', 'RPC_URL', 'OPERATOR_KEY', 'TASKMARKET_HOME']) delete process.env[name]

const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(' ')
const log = (message: string) => console.log(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`)

printMachine()
const started = performance.now()

log(`BullMQ baseline: ${fmt(bullmqJobs)} jobs, concurrency ${WORKERS}`)
const bullmq: BullmqBaseline = await measureBullmqBaseline({ jobs: bullmqJobs, concurrency: WORKERS })
if ('skipped' in bullmq) log(`baseline skipped: ${bullmq.skipped}`)
else log(`  ${fmt(bullmq.jobsPerSecond)} jobs/s (${fmt(bullmq.elapsedMs)} ms; addBulk ${fmt(bullmq.addPerSecond)} jobs/s; Redis ${bullmq.redisVersion}); load ${load()}`)

const dispatch: DispatchThroughput[] = []
const latency: AssignmentLatency[] = []
const batches = [...new Set([headlineBatch, 32, 1])]

for (const backend of postgresAdminUrl ? ['PGlite', 'PostgreSQL'] : ['PGlite']) {
  log(`${backend}: starting a market (anvil, database, server) and ${WORKERS} loopback workers`)
  const market = await startBenchMarket({ postgresAdminUrl: backend === 'PostgreSQL' ? postgresAdminUrl : undefined })
  const swarm = await startWorkerSwarm({ url: market.server.url, workers: WORKERS })
  try {
    for (const batch of batches) {
      let jobs = fixedJobs
      if (!jobs) {
        // The probe warms up the path too; its jobs are settled before the timed run starts.
        const probe = await measureDispatchThroughput({ market, swarm, jobs: WORKERS * Math.min(batch, 8), batch, workers: WORKERS })
        const least = batch === 1 ? 200 : 1_000
        jobs = Math.min(20_000, Math.max(least, Math.round((probe.jobsPerSecond * seconds) / 100) * 100))
        log(`${backend}: probe, ${probe.jobs} jobs claiming up to ${batch}: ${fmt(probe.jobsPerSecond)} jobs/s, so ${fmt(jobs)} jobs for about ${seconds} s`)
      }
      log(`${backend}: dispatch, ${fmt(jobs)} jobs, ${WORKERS} workers claiming up to ${batch}`)
      const r = await measureDispatchThroughput({ market, swarm, jobs, batch, workers: WORKERS })
      dispatch.push(r)
      log(`  ${fmt(r.jobsPerSecond)} jobs/s (${fmt(r.elapsedMs)} ms); ${r.busyWorkers} nodes got work; ${r.claims} claims (${r.emptyClaims} empty), ${r.submits} submits; ` +
        `round trip p50 claim ${fmt(r.claimMs.p50, 1)} ms, submit ${fmt(r.submitMs.p50, 1)} ms; CPU market ${fmt(r.serverCpu * 100)}%, workers ${fmt(r.clientCpu * 100)}%; load ${load()}`)
    }
    log(`${backend}: post-to-first-assignment latency, ${samples} tasks one at a time`)
    const l = await measureAssignmentLatency({ market, samples })
    latency.push(l)
    log(`  offer → lease p50 ${fmt(l.offerToLease.p50, 2)} ms, p99 ${fmt(l.offerToLease.p99, 2)} ms; POST → lease p50 ${fmt(l.postToLease.p50, 1)} ms, p99 ${fmt(l.postToLease.p99, 1)} ms; POST itself p50 ${fmt(l.post.p50, 1)} ms; load ${load()}`)
    if (values.profile) {
      await market.settled()
      log(`${backend}: profiling one claim, part by part`)
      printClaimProfile(await profileClaim({ market, samples: 100 }))
      log(`${backend}: profiling one dispatch run (claim max 32)`)
      printDispatchProfile(await profileDispatch({ market, swarm, jobs: 2000, batch: 32, out: `${os.tmpdir()}/taskmarket-dispatch-${backend}.cpuprofile` }))
    }
  } finally {
    await swarm.close()
    await market.close()
  }
}

log('gas per 3-replica task (contracts/gas/measureGas.ts, as npm run gas)')
const gas: GasPerTask = await measureGasPerTask()
if ('failed' in gas) log(`  gas measurement failed: ${gas.failed}`)
else for (const line of gas.detail) console.log(`  ${line}`)

printTable(tableRows(), `Task Market vs DESIGN.md section 9 (ratio = ours ÷ baseline; ↑ higher is better, ↓ lower is better); ${fmt((performance.now() - started) / 1000)} s in all`)
printNotes()

function tableRows(): TableRow[] {
  const rows: TableRow[] = []
  const measured = !('skipped' in bullmq)
  const baseline = measured ? bullmq.jobsPerSecond : DESIGN_BULLMQ
  const baselineLabel = measured ? `${fmt(baseline)} (BullMQ, this run)` : `${fmt(DESIGN_BULLMQ)} (DESIGN.md)`
  const ratio = (ours: number, base: number) => `${ours / base >= 0.1 ? fmt(ours / base, 2) : (ours / base).toPrecision(2)}×`
  if (measured) rows.push({ metric: `BullMQ on Redis, concurrency ${WORKERS}, ${fmt(bullmq.jobs)} jobs, jobs/s ↑`, ours: fmt(bullmq.jobsPerSecond), baseline: `${fmt(DESIGN_BULLMQ)} (DESIGN.md)`, ratio: ratio(bullmq.jobsPerSecond, DESIGN_BULLMQ) })
  for (const d of dispatch) {
    const busy = d.busyWorkers < WORKERS ? ` (${d.busyWorkers} got work)` : ''
    rows.push({ metric: `dispatch ${d.backend}, ${WORKERS} workers${busy}, claim max ${d.batch}, ${fmt(d.jobs)} jobs, jobs/s ↑`, ours: fmt(d.jobsPerSecond), baseline: baselineLabel, ratio: ratio(d.jobsPerSecond, baseline) })
  }
  for (const l of latency) {
    rows.push({ metric: `offer → first lease p50, ${l.backend}, ms ↓`, ours: fmt(l.offerToLease.p50, 2), baseline: `≤ ${LATENCY_P50_MS}`, ratio: ratio(l.offerToLease.p50, LATENCY_P50_MS) })
    rows.push({ metric: `offer → first lease p99, ${l.backend}, ms ↓`, ours: fmt(l.offerToLease.p99, 2), baseline: `≤ ${LATENCY_P99_MS}`, ratio: ratio(l.offerToLease.p99, LATENCY_P99_MS) })
    rows.push({ metric: `POST → first lease p50 incl. on-chain lock, ${l.backend}, ms ↓`, ours: fmt(l.postToLease.p50, 1), baseline: `≤ ${LATENCY_P50_MS}`, ratio: ratio(l.postToLease.p50, LATENCY_P50_MS) })
    rows.push({ metric: `POST → first lease p99 incl. on-chain lock, ${l.backend}, ms ↓`, ours: fmt(l.postToLease.p99, 1), baseline: `≤ ${LATENCY_P99_MS}`, ratio: ratio(l.postToLease.p99, LATENCY_P99_MS) })
  }
  if ('gasPerTask' in gas) {
    rows.push({ metric: 'gas per 3-replica task, batch of 100 ↓', ours: fmt(gas.gasPerTask), baseline: `≤ ${fmt(GAS_TARGET)} (target)`, ratio: ratio(gas.gasPerTask, GAS_TARGET) })
    rows.push({ metric: 'gas per 3-replica task vs iExec PoCo ↓', ours: fmt(gas.gasPerTask), baseline: `~${fmt(GAS_IEXEC)} (iExec)`, ratio: ratio(gas.gasPerTask, GAS_IEXEC) })
  } else rows.push({ metric: 'gas per 3-replica task, batch of 100 ↓', ours: 'failed', baseline: `≤ ${fmt(GAS_TARGET)} (target)`, ratio: '-' })
  return rows
}

function printNotes() {
  console.log('')
  if ('skipped' in bullmq) console.log(`baseline skipped: ${bullmq.skipped} (apt-get install -y redis-server); throughput ratios use DESIGN.md's ${fmt(DESIGN_BULLMQ)} jobs/s`)
  console.log('dispatch: jobs/s from the first claim to the response that validated the last job (replication 1, so accepted = valid);')
  console.log('  posting and the on-chain escrow lock happen before the clock starts; the relayer keeps running (settlements included).')
  console.log('offer → first lease: JOB_OFFER received over WebSocket (sent after the escrow lock commits) to the claim returning the lease.')
  console.log('POST → first lease: POST /tasks returned to the lease, through the relayer, the on-chain lock and its receipt.')
  if (!postgresAdminUrl) console.log('PostgreSQL not measured: set BENCH_DATABASE_URL (or TEST_DATABASE_URL) to an admin URL, e.g. postgres://postgres:postgres@127.0.0.1:5432/postgres')
  console.log(`load average at the end: ${load()} (other processes on this machine skew every figure)`)
}

function printMachine() {
  const release = (() => {
    try {
      return /PRETTY_NAME="([^"]+)"/.exec(readFileSync('/etc/os-release', 'utf8'))?.[1]
    } catch {
      return undefined
    }
  })()
  const cpus = os.cpus()
  console.log(`Machine: ${cpus[0]?.model ?? 'unknown CPU'}, ${cpus.length} cores, ${fmt(os.totalmem() / 2 ** 30, 1)} GiB; ${release ?? `${os.type()} ${os.release()}`}; Node ${process.version}; load average ${load()}`)
}
