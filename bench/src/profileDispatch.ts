import { writeFileSync } from 'node:fs'
import { Session } from 'node:inspector/promises'
import type { Database, Queryable } from '@taskmarket/db'
import { devAccount } from '@taskmarket/chain'
import { createNodeClient } from '@taskmarket/sdk'
import type { BenchMarket } from './startBenchMarket.ts'
import type { startWorkerSwarm } from './startWorkerSwarm.ts'

type Statement = { sql: string; params?: readonly unknown[]; count: number; ms: number; inTransaction: boolean }

/**
 * Where dispatch time goes (`npm run bench -- --profile`): one instrumented run that counts and times
 * every SQL statement and transaction the market runs (timed from the call to its answer, so with PGlite a
 * statement outside a transaction includes waiting for the one connection), an EXPLAIN ANALYZE of the
 * claim query over the open jobs (rolled back), and the market process's CPU profile by package.
 * Timings are inflated by the instrumentation and the profiler; the counts are exact.
 * @example await profileDispatch({ market, swarm, jobs: 5_000, batch: 32, out: '/tmp/dispatch.cpuprofile' })
 */
export async function profileDispatch({ market, swarm, jobs, batch, out }: {
  market: BenchMarket
  swarm: Awaited<ReturnType<typeof startWorkerSwarm>>
  jobs: number
  batch: number
  out: string
}) {
  const db = market.server.db
  const statements = new Map<string, Statement>()
  let transactions = 0
  let transactionMs = 0
  const record = (sql: string, params: readonly unknown[] | undefined, ms: number, inTransaction: boolean) => {
    const key = sql.replace(/\s+/g, ' ').trim()
    const s = statements.get(key) ?? { sql: key, params, count: 0, ms: 0, inTransaction }
    s.count++
    s.ms += ms
    statements.set(key, s)
  }
  const timed = (q: Queryable, inTransaction: boolean): Queryable => ({
    async query(sql, params) {
      const t = performance.now()
      try {
        return await q.query(sql, params)
      } finally {
        record(sql, params, performance.now() - t, inTransaction)
      }
    },
  })
  const original = { query: db.query.bind(db), transaction: db.transaction.bind(db) }
  const mutable = db as { -readonly [K in keyof Database]: Database[K] }
  mutable.query = timed({ query: original.query }, false).query
  mutable.transaction = async (fn) => {
    const t = performance.now()
    try {
      return await original.transaction((tx) => fn(timed(tx, true)))
    } finally {
      transactions++
      transactionMs += performance.now() - t
    }
  }

  try {
    // One claim of a kind nobody posts shows the real claim statement; explain it over the open jobs, rolled back.
    await createNodeClient({ baseUrl: market.server.url, account: devAccount(99) }).claim(['training'], 1)
    const taskIds = await market.postHashTasks(jobs)
    const claim = [...statements.values()].find((s) => /FOR UPDATE OF j SKIP LOCKED/.test(s.sql))
    let plan: string[] = []
    if (claim) {
      const params = [devAccount(100).address, ['hash'], batch, 0]
      await original.transaction(async (tx) => {
        plan = (await tx.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${claim.sql}`, params)).map((r) => r['QUERY PLAN'])
        throw new Rollback()
      }).catch((e) => { if (!(e instanceof Rollback)) throw e })
    }
    statements.clear()
    transactions = 0
    transactionMs = 0

    const session = new Session()
    session.connect()
    await session.post('Profiler.enable')
    await session.post('Profiler.setSamplingInterval', { interval: 500 })
    await session.post('Profiler.start')
    const result = await swarm.run({ batch, target: jobs, kinds: ['hash'] })
    const { profile } = await session.post('Profiler.stop')
    session.disconnect()
    writeFileSync(out, JSON.stringify(profile))
    const valid = await market.validJobs(taskIds)

    return {
      backend: market.backend,
      jobs,
      valid,
      batch,
      result,
      transactions,
      transactionMs,
      statements: [...statements.values()].sort((a, b) => b.ms - a.ms),
      claimPlan: plan,
      cpuByPackage: cpuByPackage(profile as CpuProfile),
      profileFile: out,
    }
  } finally {
    mutable.query = original.query
    mutable.transaction = original.transaction
  }
}

class Rollback extends Error {}

type CpuProfile = { nodes: { id: number; callFrame: { url: string; functionName: string } }[]; samples: number[]; timeDeltas: number[] }

/** Self time of a CPU profile grouped by npm package or workspace folder, largest first (ms). */
function cpuByPackage(profile: CpuProfile): [string, number][] {
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]))
  const totals = new Map<string, number>()
  profile.samples.forEach((id, i) => {
    const { url, functionName } = nodes.get(id)!.callFrame
    const key = url.includes('node_modules/')
      ? url.replace(/.*node_modules\/((@[^/]+\/)?[^/]+).*/, '$1')
      : url.startsWith('wasm://')
        ? 'WebAssembly (PGlite)'
        : url
          ? url.replace(/^file:\/\/.*?\/(apps|packages|bench)\/([^/]+).*/, '$1/$2').replace(/^node:.*/, 'node internals')
          : `(${functionName.replace(/[()]/g, '')})`
    totals.set(key, (totals.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000)
  })
  return [...totals].sort((a, b) => b[1] - a[1])
}

/** Prints what profileDispatch found. */
export function printDispatchProfile(p: Awaited<ReturnType<typeof profileDispatch>>) {
  const perJob = (n: number) => (n / p.jobs).toFixed(2)
  const total = p.statements.reduce((s, x) => s + x.count, 0)
  console.log(`\nProfile: ${p.backend}, ${p.jobs} jobs, claim max ${p.batch}: ${((p.jobs / p.result.elapsedMs) * 1000).toFixed(0)} jobs/s while profiled`)
  console.log(`  HTTP: ${p.result.claims} claims (${p.result.emptyClaims} empty), ${p.result.submits} submits; claim round trip p50 ${p.result.claimMs.p50.toFixed(1)} ms, submit p50 ${p.result.submitMs.p50.toFixed(1)} ms`)
  console.log(`  SQL: ${total} statements (${perJob(total)} per job), ${p.transactions} transactions (${perJob(p.transactions)} per job), ${p.transactionMs.toFixed(0)} ms inside transactions`)
  console.log('\n  count  per job   total ms  mean ms  statement')
  for (const s of p.statements.slice(0, 20)) {
    console.log(`  ${String(s.count).padStart(5)}  ${perJob(s.count).padStart(7)}  ${s.ms.toFixed(0).padStart(9)}  ${(s.ms / s.count).toFixed(2).padStart(7)}  ${s.inTransaction ? '[tx] ' : ''}${s.sql.slice(0, 110)}`)
  }
  console.log('\n  EXPLAIN (ANALYZE, BUFFERS) of the claim statement over the open jobs:')
  for (const line of p.claimPlan) console.log(`    ${line}`)
  const cpuTotal = p.cpuByPackage.reduce((s, [, ms]) => s + ms, 0)
  console.log(`\n  Market process CPU profile (${p.profileFile}), self time by package:`)
  for (const [name, ms] of p.cpuByPackage.slice(0, 12)) console.log(`    ${ms.toFixed(0).padStart(7)} ms  ${((100 * ms) / cpuTotal).toFixed(1).padStart(5)}%  ${name}`)
}
