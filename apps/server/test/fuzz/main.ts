// `npm run fuzz`: the full run of the OpenAPI fuzzer against a real market. FUZZ_RUNS (20000), FUZZ_SEED (a
// new one each run; it is printed, so a run can be replayed), FUZZ_DEBUG_ROUTE (e.g. "POST /tasks": print each of its answers).
import { formatReport, runFuzz, startFuzzMarket } from './runFuzz.ts'

const runs = Number(process.env.FUZZ_RUNS ?? 20_000)
const seed = Number(process.env.FUZZ_SEED ?? Date.now() % 1_000_000)
const target = await startFuzzMarket()
try {
  const report = await runFuzz(target, { seed, runs, onProgress: (done) => process.stderr.write(`\r${done}/${runs}`), debugRoute: process.env.FUZZ_DEBUG_ROUTE })
  process.stderr.write('\n')
  console.log(formatReport(report))
  process.exitCode = report.serverErrors.length || report.changedBy4xx.length ? 1 : 0
} finally {
  await target.m.close()
}
