import { cpSync, mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { TaskEscrow, devAccount, devPrivateKey } from '@taskmarket/chain'
import { createClient } from '@taskmarket/sdk'
import { parseEther, parseEventLogs } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startServer } from '../src/index.ts'
import { escrowBooks, expectHonestBooks } from './books.ts'
import { type TestMarket, settledTask, startTestMarket, waitFor } from './market.ts'

/**
 * Several servers sharing one PostgreSQL, as a scaled-out market runs: claims, approvals and the outbox go
 * through row locks, so no credit is sent twice. Only with TEST_DATABASE_URL (CI's PostgreSQL pass).
 */
let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>

beforeAll(async () => {
  if (!process.env.TEST_DATABASE_URL) return
  m = await startTestMarket()
  await m.fund(devAccount(1))
  alice = await m.poster(1)
}, 120_000)
afterAll(() => m?.close())

describe.skipIf(!process.env.TEST_DATABASE_URL)('two servers on one PostgreSQL', () => {
  it('approves 40 assignments on two servers, alternating, and pays 40 credits, each once', { timeout: 180_000 }, async () => {
    const home = mkdtempSync(join(tmpdir(), 'taskmarket-second-'))
    // The second server on the first one's chain, deployment and database.
    cpSync(join(m.home, 'deployment.json'), join(home, 'deployment-31337.json'))
    const second = await startServer({ home, port: 0, logLevel: 'silent', leaseSeconds: 3, relayIntervalMs: 50, databaseUrl: m.server.config.databaseUrl, rpcUrl: m.server.chain.rpcUrl, operatorKey: devPrivateKey(0) })
    try {
      const servers = [m.server.url, second.url]
      const posterOn = async (url: string) => {
        const c = createClient({ baseUrl: url })
        await c.auth.signIn(devAccount(1), { chainId: m.server.chain.chain.id })
        return c
      }
      const posters = [alice.client, await posterOn(second.url)]
      const { task_id } = await alice.api.tasks.create({ challenge_type: 'manual', reward: '40', payload: { title: 'Count the benches', description: 'How many?', proofs: ['text'], assignments: 40 } })
      expect(await waitFor(async () => (await alice.api.tasks.get(task_id)).escrow.state === 'locked')).toBe(true)
      const workers = Array.from({ length: 40 }, (_, i) => devAccount(40 + i))
      const ids: string[] = []
      for (const [i, w] of workers.entries()) {
        const c = createClient({ baseUrl: servers[i % 2]! })
        await c.auth.signIn(w, { chainId: m.server.chain.chain.id })
        const { assignment_id } = await c.work.claim(task_id)
        await c.work.submit(assignment_id, { text: String(i) })
        ids.push(assignment_id)
      }
      await Promise.all(ids.map((id, i) => posters[i % 2]!.work.approve(id)))
      expect(await settledTask(m, alice, task_id)).toBe(true)
      const books = await escrowBooks(m)
      for (const w of workers) expect(books.balance[w.address], w.address).toBe(parseEther('0.92'))
      // Exactly one credit per worker on chain: no outbox row was sent by both servers.
      const logs = await m.publicClient.getLogs({ address: m.server.chain.deployment.addresses.escrow, fromBlock: 0n, toBlock: 'latest' })
      const credited = parseEventLogs({ abi: TaskEscrow.abi, logs, eventName: 'BalanceCredited' }).map((e) => e.args.account)
      for (const w of workers) expect(credited.filter((a) => a === w.address)).toHaveLength(1)
      await expectHonestBooks(m)
    } finally {
      await second.close()
    }
  })
})
