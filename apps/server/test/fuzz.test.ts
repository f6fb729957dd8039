import { devAccount } from '@taskmarket/chain'
import { createClient } from '@taskmarket/sdk'
import { parseEther } from 'viem'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { expectHonestBooks } from './books.ts'
import { type FuzzMarket, createSnapshot, difference, formatReport, runFuzz, settle, startFuzzMarket } from './fuzz/runFuzz.ts'
import { waitFor } from './market.ts'

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
  await expectHonestBooks(target.m)
}, 300_000)

it('sees a change in every part of the market the property compares, so "no 4xx changed it" means something', async () => {
  const { m } = target
  const snapshot = createSnapshot(target)
  const before = await settle(snapshot)
  // On chain only: tokens move into the escrow for the poster.
  const c = m.contractsFor(devAccount(1))
  await m.publicClient.waitForTransactionReceipt({ hash: await c.escrow.write.deposit([parseEther('1')]) })
  // Through the API: a task is posted (and locked by the relayer), someone new signs in.
  const poster = createClient({ baseUrl: m.server.url })
  await poster.auth.signIn(devAccount(1), { chainId: m.server.chain.chain.id })
  const { task_id } = await poster.tasks.create({ challenge_type: 'poll', reward: '1', payload: { title: 'Coffee?', options: ['yes', 'no'], respondents: 1 } })
  expect(await waitFor(async () => (await poster.tasks.get(task_id)).escrow.state === 'locked')).toBe(true)
  await createClient({ baseUrl: m.server.url }).auth.signIn(devAccount(6), { chainId: m.server.chain.chain.id })
  const changed = difference(before, await settle(snapshot)) ?? {}
  expect(Object.keys(changed)).toEqual(expect.arrayContaining(['chain', 'stats', 'escrow_totals', 'tasks', 'jobs', 'outbox', 'sessions', 'siwe_nonces']))
  expect(changed.stats![0]).not.toEqual(changed.stats![1])
})
