import { join } from 'node:path'
import { devAccount, devPrivateKey } from '@taskmarket/chain'
import { startServer } from '@taskmarket/server'
import { type Worker, createWorker, loadOrCreateNodeKey, onboardNode } from '@taskmarket/worker'
import { args, numberOption } from '../args.ts'
import type { Output } from '../output.ts'

/** Local worker nodes `taskmarket start` runs on a local chain: enough for the default quorum of 2. */
const DEFAULT_LOCAL_WORKERS = 2

export const startHelp = `taskmarket start [--port 8080] [--workers N] [--concurrency N] [--home DIR]

Starts the whole market on its embedded defaults: a local chain (anvil, state kept in the data folder),
the contracts, the database (PGlite, or PostgreSQL with DATABASE_URL), the server and the web app.
On a local chain it also runs ${DEFAULT_LOCAL_WORKERS} local worker nodes (staked, so compute tasks complete: a job needs
2 distinct workers to agree); --workers N runs N of them, --workers 0 none. A second start resumes.
Ctrl-C stops everything.`

/** `taskmarket start`: the whole platform in one process tree; resolves when stopped. */
export async function start(argv: string[], out: Output): Promise<number> {
  const { values } = args(argv, { port: { type: 'string' }, workers: { type: 'string' }, concurrency: { type: 'string' }, home: { type: 'string' }, host: { type: 'string' } })
  const port = numberOption(values.port ?? process.env.PORT, 'port', 8080)
  out.info('starting Task Market…')
  const server = await startServer({ port, home: values.home, host: values.host }, { logger: { level: process.env.LOG_LEVEL ?? 'warn' } })
  const url = `http://localhost:${server.port}`
  const local = Boolean(server.chain.local)
  // Local workers need tokens from the faucet and gas from anvil: by default only on a local chain.
  const workerCount = numberOption(values.workers, 'workers', local ? DEFAULT_LOCAL_WORKERS : 0)
  const lines = [
    `Task Market is running`,
    `  web app      ${url}/`,
    `  API docs     ${url}/docs`,
    `  API          ${url}  (WebSocket ${url.replace('http', 'ws')}/ws)`,
    `  chain        ${server.chain.rpcUrl} (chain id ${server.chain.chain.id}${local ? ', local anvil' : ''})`,
    `  data folder  ${server.config.home}`,
    `  contracts    token ${server.chain.deployment.addresses.token}  escrow ${server.chain.deployment.addresses.escrow}`,
  ]
  if (local) {
    lines.push('  local accounts (development only; each holds 10,000 ETH; the faucet gives tokens):')
    for (let i = 1; i <= 5; i++) lines.push(`    ${devAccount(i).address}  key ${devPrivateKey(i)}`)
  }
  out.info(lines.join('\n'))

  const workers: Worker[] = []
  for (let i = 0; i < workerCount; i++) {
    const { account } = loadOrCreateNodeKey(join(server.config.home, 'workers', `node-${i + 1}.key`))
    if (local) {
      await onboardNode({ account, rpcUrl: server.chain.rpcUrl, chain: server.chain.chain, contracts: server.chain.deployment.addresses, specs: { local: true, index: i } })
    }
    const worker = createWorker({
      serverUrl: server.url,
      account,
      concurrency: numberOption(values.concurrency, 'concurrency', 1),
      onEvent: (e) => {
        if (e.type === 'job_done') out.info(`worker ${i + 1}: ${e.kind} job done in ${Math.round(e.ms)} ms`)
        if (e.type === 'job_failed') out.info(`worker ${i + 1}: ${e.kind} job failed: ${e.error}`)
      },
    })
    workers.push(worker)
    void worker.start().catch((error) => out.info(`worker ${i + 1} stopped: ${error.message}`))
  }
  if (workerCount) out.info(`  ${workerCount} local worker${workerCount > 1 ? 's' : ''} running (--workers 0 to run none)`)
  out.info('Press Ctrl-C to stop.')

  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  out.info('stopping: workers finish or give back their jobs, then the server, database and chain stop…')
  await Promise.all(workers.map((w) => w.stop({ graceMs: 5000 })))
  await server.close()
  out.info('stopped')
  return 0
}
