import { type ChildProcess, fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { devAccount } from '@taskmarket/chain'
import { resultSeal } from '@taskmarket/core'
import { type NodeClient, createNodeClient } from '@taskmarket/sdk'
import type { Hex } from 'viem'
import { summarize, type Summary } from './summarize.ts'

export type SwarmRun = { batch: number; target: number; kinds: string[] }

export type SwarmResult = {
  /** From the first claim sent to the response that took the accepted count to `target`. */
  elapsedMs: number
  accepted: number
  claims: number
  emptyClaims: number
  /** Nodes that were leased at least one job (fewer than all when jobs < nodes × batch). */
  busyWorkers: number
  submits: number
  claimMs: Summary
  submitMs: Summary
  /** CPU the swarm process itself used during the run, as a share of one core. */
  clientCpu: number
}

type Message =
  | { type: 'setup'; url: string; workers: number; firstAccount: number }
  | { type: 'run'; run: SwarmRun }
  | { type: 'ready' }
  | { type: 'done'; result: SwarmResult }
  | { type: 'failed'; error: string }

/**
 * Loopback compute nodes in a process of their own (so their request signing does not share the
 * server's thread): `workers` node clients, each with its own dev key, looping claim(max = batch) →
 * submit a digest with its seal, until `target` results are accepted. Replication 1 means an accepted
 * result is a validated job, so the run ends when the last job is valid.
 * @example const swarm = await startWorkerSwarm({ url, workers: 64 }); await swarm.run({ batch: 32, target: 10_000, kinds: ['hash'] })
 */
export async function startWorkerSwarm({ url, workers = 64, firstAccount = 100 }: { url: string; workers?: number; firstAccount?: number }) {
  const child = fork(fileURLToPath(import.meta.url), ['--swarm-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
  const next = () =>
    new Promise<Message>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the worker swarm exited (code ${code})`))
      child.once('exit', onExit)
      child.once('message', (m: Message) => {
        child.off('exit', onExit)
        if (m.type === 'failed') reject(new Error(`worker swarm: ${m.error}`))
        else resolve(m)
      })
    })
  const ready = next()
  child.send({ type: 'setup', url, workers, firstAccount } satisfies Message)
  await ready
  return {
    async run(run: SwarmRun): Promise<SwarmResult> {
      const done = next()
      child.send({ type: 'run', run } satisfies Message)
      const m = await done
      if (m.type !== 'done') throw new Error(`worker swarm answered ${m.type}`)
      return m.result
    },
    close: () => stopChild(child),
  }
}

async function stopChild(child: ChildProcess) {
  if (child.exitCode !== null) return
  const exited = new Promise((r) => child.once('exit', r))
  child.kill('SIGTERM')
  await exited
}

// ---------------------------------------------------------------- the child process

async function swarmChild() {
  let nodes: NodeClient[] = []
  process.on('message', async (m: Message) => {
    try {
      if (m.type === 'setup') {
        // Deriving 64 keys from the mnemonic takes seconds; done before anything is timed.
        nodes = Array.from({ length: m.workers }, (_, i) => createNodeClient({ baseUrl: m.url, account: devAccount(m.firstAccount + i) }))
        // Warm up: a connection per node, and the server's routes (a kind nobody posts, so nothing is leased).
        await Promise.all(nodes.map((n) => n.claim(['training'], 1)))
        process.send!({ type: 'ready' } satisfies Message)
      } else if (m.type === 'run') {
        process.send!({ type: 'done', result: await runSwarm(nodes, m.run) } satisfies Message)
      }
    } catch (error) {
      process.send!({ type: 'failed', error: (error as Error).stack ?? String(error) } satisfies Message)
    }
  })
}

async function runSwarm(nodes: NodeClient[], { batch, target, kinds }: SwarmRun): Promise<SwarmResult> {
  const claimMs: number[] = []
  const submitMs: number[] = []
  let accepted = 0
  let claims = 0
  let emptyClaims = 0
  let submits = 0
  let end = 0
  const busy = new Set<string>()
  const digest = `0x${'5a'.repeat(32)}` as Hex
  const cpu = process.cpuUsage()
  const start = performance.now()

  async function loop(node: NodeClient) {
    while (accepted < target) {
      let t = performance.now()
      const { leases } = await node.claim(kinds, batch)
      claimMs.push(performance.now() - t)
      claims++
      if (leases.length === 0) {
        // Nothing to lease: nap as apps/worker does (idleMs, 1 s). No JOB_OFFER can come during a run and
        // no lease lapses, so the busy nodes, which claim again after each submit, take what is left.
        emptyClaims++
        await new Promise((r) => setTimeout(r, 1000))
        continue
      }
      busy.add(node.address)
      const results = leases.map((l) => ({ assignment_id: l.assignment_id, digest, seal: resultSeal(node.address, l.chain_task_id, l.chain_job_id, digest) }))
      t = performance.now()
      const { results: outcomes } = await node.submit(results)
      submitMs.push(performance.now() - t)
      submits++
      const ok = outcomes.filter((o) => o.accepted).length
      if (ok !== outcomes.length) throw new Error(`a result was refused: ${JSON.stringify(outcomes.find((o) => !o.accepted))}`)
      accepted += ok
      if (accepted >= target && !end) end = performance.now()
    }
  }

  await Promise.all(nodes.map(loop))
  const elapsedMs = (end || performance.now()) - start
  const used = process.cpuUsage(cpu)
  return {
    elapsedMs,
    accepted,
    claims,
    emptyClaims,
    busyWorkers: busy.size,
    submits,
    claimMs: summarize(claimMs),
    submitMs: summarize(submitMs),
    clientCpu: (used.user + used.system) / 1000 / elapsedMs,
  }
}

if (process.argv.includes('--swarm-child')) swarmChild()
