import { afterAll, beforeAll, expect, it } from 'vitest'
import { type FuzzMarket, formatReport, runFuzz, startFuzzMarket } from './fuzz/runFuzz.ts'

let target: FuzzMarket
beforeAll(async () => {
  target = await startFuzzMarket()
}, 180_000)
afterAll(() => target?.m.close())

// The bounded smoke run; `npm run fuzz` runs many more (FUZZ_RUNS, FUZZ_SEED).
it('answers thousands of fuzzed requests from the OpenAPI document without a 5xx, and no 4xx changes the market', async () => {
  const report = await runFuzz(target, { seed: 9, runs: 2000 })
  const summary = formatReport(report)
  expect(report.requests).toBe(2000)
  expect(Object.keys(report.byRoute).length, summary).toBeGreaterThan(50)
  expect(report.serverErrors, summary).toEqual([])
  expect(report.changedBy4xx, summary).toEqual([])
}, 300_000)
