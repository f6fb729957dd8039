import { devAccount } from '@taskmarket/chain'
import { type Hex, keccak256, toHex } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, lockedTask, sealedResult, startTestMarket, waitFor } from '../../server/test/market.ts'
import { runCli } from './spawnCli.ts'

let m: TestMarket
beforeAll(async () => {
  m = await startTestMarket()
  await m.fund(devAccount(1))
}, 120_000)
afterAll(() => m?.close())

describe('taskmarket proofs', () => {
  it('checks a node’s job records against the settlement roots on chain, and names a record the market altered', { timeout: 120_000 }, async () => {
    const alice = await m.poster(1)
    const [node] = await m.stakeNodes([privateKeyToAccount(generatePrivateKey())])
    // Two tasks of two jobs each, settled in their own batches: four records under two roots.
    for (const fill of [1, 2]) {
      const blob = await alice.api.blobs.upload(new Uint8Array(2048).fill(fill))
      const taskId = await lockedTask(alice, { challenge_type: 'hash', payload: { input: blob.hash, chunk_size: 1024 }, reward: '2', replication: { min_quorum: 1, target_results: 1 } })
      const { leases } = await node!.claim(['hash'], 10)
      expect(leases.map((l) => l.task_id)).toEqual([taskId, taskId])
      await node!.submit(leases.map((l) => sealedResult(node!, l, keccak256(toHex(`${l.job_id}`)))))
      expect(await waitFor(async () => (await alice.api.tasks.get(taskId)).escrow.state === 'released', 20_000)).toBe(true)
    }
    const env = { TASKMARKET_SERVER: m.server.url }
    const checked = await runCli(['proofs', node!.address, '--json'], env)
    expect(checked.code, checked.stderr).toBe(0)
    expect(JSON.parse(checked.stdout)).toMatchObject({ address: node!.address, total: 4, checked: 4, accepted: 4, rejected: 0, failed: [] })
    const text = await runCli(['proofs', node!.address, '--limit', '3'], env)
    expect(text.stdout).toContain(`3 job records of ${node!.address} (the newest of 4): 3 accepted, 0 rejected`)
    expect(text.stdout).toContain('every one checks')

    // The market's database says a record holds another result than the one anchored: proofs finds it.
    const [record] = await m.server.db.query<{ job_id: string }>('SELECT job_id FROM job_records WHERE worker = $1 LIMIT 1', [node!.address])
    await m.server.db.query('UPDATE job_records SET result_hash = $2 WHERE job_id = $1', [record!.job_id, `0x${'ee'.repeat(32)}` as Hex])
    const altered = await runCli(['proofs', node!.address], env)
    expect(altered.code).toBe(1)
    expect(altered.stdout).toContain('1 do NOT check:')
    expect(altered.stdout).toMatch(new RegExp(`job ${record!.job_id} of task .*: its fields hash to leaf 0x[0-9a-f]{64}, not the`))

    const bad = await runCli(['proofs', 'nobody'], env)
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain("proofs needs a node's address")
  })
})
