import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { devAccount } from '@taskmarket/chain'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type TestMarket, startTestMarket } from '../../server/test/market.ts'
import { bin } from './spawnCli.ts'

let m: TestMarket
let alice: Awaited<ReturnType<TestMarket['poster']>>
const children: ChildProcess[] = []
beforeAll(async () => {
  m = await startTestMarket({ leaseSeconds: 5 })
  await m.fund(devAccount(1))
  alice = await m.poster(1)
})
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL')
  await m?.close()
})

function spawnWorker(args: string[]) {
  const child = spawn(process.execPath, [bin, 'worker', '--server', m.server.url, ...args])
  children.push(child)
  const lines: any[] = []
  let text = ''
  child.stdout.on('data', (d) => {
    text += d
    for (const line of String(d).split('\n')) if (line.startsWith('{')) lines.push(JSON.parse(line))
  })
  child.stderr.on('data', (d) => (text += d))
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)))
  const until = async (predicate: () => boolean, ms = 60_000) => {
    const end = Date.now() + ms
    while (!predicate()) {
      if (Date.now() > end) throw new Error(`timed out; worker said:\n${text}`)
      await new Promise((r) => setTimeout(r, 50))
    }
  }
  return { child, lines, exited, until, get text() { return text } }
}

describe('taskmarket worker', () => {
  it('onboards a new key on chain, earns, and gives its lease back on Ctrl-C', { timeout: 180_000 }, async () => {
    const keyFile = join(mkdtempSync(join(tmpdir(), 'tm-node-')), 'node.key')
    const worker = spawnWorker(['--key', keyFile, '--kinds', 'synthetic', '--concurrency', '1', '--grace', '0', '--resource-type', 'cpu', '--region', 'eu-west', '--price', '0.25'])
    await worker.until(() => worker.lines.some((l) => l.type === 'registered'))
    expect(worker.text).toContain('register: done')
    expect(worker.text).toContain('pow: done')
    expect(worker.text).toContain('trust level 1')
    const address = (await import('viem/accounts')).privateKeyToAccount(readFileSync(keyFile, 'utf8').trim() as `0x${string}`).address
    const onChain = await m.contractsFor(devAccount(0)).registry.read.getNode([address])
    expect(onChain).toMatchObject({ registered: true, stake: 100n * 10n ** 18n, powPasses: 1 })
    // What it offers is what a quote for eu-west ranks.
    const quote = await alice.api.tasks.quote({ challenge_type: 'synthetic', payload: { seed: '0x41', matrix_size: 4, iterations: 1 }, requirements: { resource_type: 'cpu', regions: ['eu-west'] } })
    expect(quote.bids).toEqual([expect.objectContaining({ node: address, region: 'eu-west', price_per_unit: '0.25', resource_type: 'cpu' })])

    const quick = await alice.api.tasks.create({ challenge_type: 'synthetic', payload: { seed: '0x42', matrix_size: 16, iterations: 4 }, reward: '2', replication: { min_quorum: 1, target_results: 1 } })
    const done = await alice.api.tasks.wait(quick.task_id, { timeoutMs: 60_000 })
    expect(done.status).toBe('completed')
    expect(done.result?.worker_address).toBe(address)

    // A long job, then Ctrl-C with no grace: the lease goes back to the pool at once.
    const slow = await alice.api.tasks.create({ challenge_type: 'synthetic', payload: { seed: '0x43', matrix_size: 256, iterations: 1000 }, reward: '2', replication: { min_quorum: 1, target_results: 1 } })
    await worker.until(() => worker.lines.some((l) => l.type === 'job_started' && l.lease.task_id === slow.task_id))
    worker.child.kill('SIGINT')
    expect(await worker.exited).toBe(0)
    expect(worker.lines.some((l) => l.type === 'stopped' && l.released === 1)).toBe(true)
    // Off a terminal the summary counts the jobs the JSON lines reported, and no line repeats a payload.
    const started = worker.lines.filter((l) => l.type === 'job_started')
    expect(started.length).toBe(2)
    for (const l of started) expect(l.lease).toMatchObject({ task_id: expect.any(String), kind: 'synthetic', payload_bytes: expect.any(Number) })
    expect(started.some((l) => 'payload' in l.lease)).toBe(false)
    expect(worker.lines.find((l) => l.type === 'summary')).toMatchObject({ jobs_done: 1, jobs_failed: 0, jobs_released: 1 })
    expect(worker.text).toContain('stopped: 1 jobs done, 0 failed, 1 given back')
    const { jobs } = await alice.api.tasks.jobs(slow.task_id)
    expect(jobs[0].replicas.map((r: any) => r.status)).toEqual(['released'])
  })
})
