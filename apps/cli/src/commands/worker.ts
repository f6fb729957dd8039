import { homedir } from 'node:os'
import { join } from 'node:path'
import type { ResourceType } from '@taskmarket/core'
import { createClient } from '@taskmarket/sdk'
import { createWorker, loadOrCreateNodeKey, onboardNode } from '@taskmarket/worker'
import { defineChain } from 'viem'
import { args, numberOption } from '../args.ts'
import type { Output } from '../output.ts'
import { workerLogLine } from '../workerLog.ts'
import { serverUrl as serverOf } from './session.ts'

export const workerHelp = `taskmarket worker [--server URL] [--key FILE] [--concurrency N] [--kinds hash,synthetic,wasm,rendering] [--rpc URL] [--grace SECONDS]
                   [--resource-type cpu|gpu|network|mobile|iot] [--region NAME] [--price TOKENS]

Runs a compute node: creates or loads its key, registers and stakes on chain and passes a proof-of-work
challenge on first run (on a local chain it funds itself), then takes jobs until Ctrl-C, which lets
running jobs finish (--grace, default 10 s) and gives the rest back. --resource-type, --region and --price
(per unit of the type's earnings model) are what the node offers for matching and quotes (default: a CPU
anywhere at no price). Each lease puts 5% of the stake at risk (at least its reward): a lease that times
out or whose result is outvoted is slashed by that much.`

export async function worker(argv: string[], out: Output): Promise<number> {
  const { values } = args(argv, { server: { type: 'string' }, key: { type: 'string' }, concurrency: { type: 'string' }, kinds: { type: 'string' }, rpc: { type: 'string' }, grace: { type: 'string' }, 'no-onboard': { type: 'boolean' }, 'resource-type': { type: 'string' }, region: { type: 'string' }, price: { type: 'string' } })
  const graceMs = numberOption(values.grace, 'grace', 10) * 1000
  const serverUrl = serverOf(values)
  const keyFile = values.key ?? join(process.env.TASKMARKET_HOME ?? join(homedir(), '.taskmarket'), 'node.key')
  const { account, created } = loadOrCreateNodeKey(keyFile)
  out.info(`node ${account.address} (${created ? 'new key' : 'key'} in ${keyFile})`)
  const config = await createClient({ baseUrl: serverUrl }).market.config()
  const rpcUrl = values.rpc ?? process.env.RPC_URL ?? config.rpc_url
  if (!values['no-onboard'] && rpcUrl) {
    const chain = defineChain({ id: config.chain_id, name: 'market', nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } })
    const { trustLevel } = await onboardNode({
      account,
      rpcUrl,
      chain,
      contracts: config.contracts,
      specs: { kinds: values.kinds ?? 'all' },
      onStep: (s) => (s.fraction !== undefined && s.status === 'start' ? out.progress(s.fraction, `proof of work`) : out.info(`${s.step}: ${s.status}${s.detail ? ` (${s.detail})` : ''}`)),
    })
    out.done()
    out.info(`on chain: trust level ${trustLevel}`)
  }
  const running = new Map<string, { kind: string; fraction: number }>()
  const draw = () => {
    const parts = [...running.values()].map((r) => `${r.kind} ${Math.round(r.fraction * 100)}%`)
    out.progress(running.size ? [...running.values()].reduce((a, r) => a + r.fraction, 0) / running.size : 0, `running ${running.size} [${parts.join(', ')}] done ${w.stats.done} failed ${w.stats.failed}`)
  }
  const w = createWorker({
    serverUrl,
    account,
    concurrency: values.concurrency ? numberOption(values.concurrency, 'concurrency') : undefined,
    kinds: values.kinds?.split(','),
    offer: { resource_type: values['resource-type'] as ResourceType | undefined, region: values.region, price_per_unit: values.price },
    onEvent: (e) => {
      // Off a terminal every event is a JSON line; the counts come from the worker either way.
      if (!out.tty) return process.stdout.write(`${workerLogLine(e)}\n`)
      if (e.type === 'job_started') running.set(e.lease.assignment_id, { kind: e.lease.kind, fraction: 0 })
      else if (e.type === 'job_progress') { const r = running.get(e.assignmentId); if (r) r.fraction = e.fraction }
      else if (e.type === 'job_done') running.delete(e.assignmentId)
      else if (e.type === 'job_failed') { running.delete(e.assignmentId); out.info(`job failed: ${e.error}`) }
      else if (e.type === 'lease_lost') running.delete(e.assignmentId)
      else if (e.type === 'registered') out.info(`registered with ${serverUrl}: ${e.kinds.join(', ')}; lease ${e.leaseSeconds} s`)
      else if (e.type === 'error') out.info(e.error)
      draw()
    },
  })
  const loop = w.start()
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
    void loop.then(resolve, resolve)
  })
  out.info(`stopping: running jobs get ${graceMs / 1000} s to finish, the rest go back to the pool…`)
  await w.stop({ graceMs })
  out.done()
  const { done, failed, lost, released } = w.stats
  if (!out.tty) process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), type: 'summary', jobs_done: done, jobs_failed: failed, leases_lost: lost, jobs_released: released })}\n`)
  out.info(`stopped: ${done} jobs done, ${failed} failed${lost ? `, ${lost} leases lost` : ''}${released ? `, ${released} given back` : ''}`)
  return 0
}
