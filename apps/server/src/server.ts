import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { createDatabase } from '@taskmarket/db'
import { buildApp } from './app.ts'
import { type Config, loadConfig } from './config.ts'
import type { Common } from './context.ts'
import { createAuth } from './services/auth.ts'
import { createBlobStore } from './services/blobStore.ts'
import { connectChain } from './services/chain.ts'
import { createEventBus } from './services/events.ts'
import { createFinalizer } from './services/finalize.ts'
import { createIndexer } from './services/indexer.ts'
import { createMetrics } from './services/metrics.ts'
import { createOrchestrator } from './services/orchestrator.ts'
import { createPosting } from './services/posting.ts'
import { createRelayer } from './services/relayer.ts'
import { createSettlement } from './services/settlement.ts'
import { createEligibility } from './services/eligibility.ts'
import { createManualWork } from './services/manualWork.ts'
import { createPolls } from './services/polls.ts'
import { createReconciliation } from './services/reconciliation.ts'
import { createPresence } from './services/presence.ts'
import { serveWebApp, webAppPolicy } from './routes/webApp.ts'

export type RunningServer = Awaited<ReturnType<typeof startServer>>

/**
 * Starts the whole market on its configuration: chain (embedded anvil unless RPC_URL), deployment, database
 * (PGlite unless DATABASE_URL), blobs, the background loops (relayer, lease reaper, chain indexer) and the
 * HTTP server. `close()` stops everything it started, in reverse order.
 * @example const server = await startServer({ port: 0, home: '/tmp/tm' }); console.log(server.url)
 */
export async function startServer(overrides: Partial<Config> = {}, options: { logger?: boolean | object; clock?: () => number } = {}) {
  const config = loadConfig(overrides)
  const shutdown: (() => Promise<void>)[] = []
  const close = async () => {
    for (const stop of shutdown.reverse()) await stop().catch(() => {})
    shutdown.length = 0
  }
  try {
    const chain = await connectChain(config)
    shutdown.push(() => chain.stop())
    const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.home, 'db') })
    shutdown.push(() => db.close())
    const blobs = createBlobStore({ dir: config.blobDir, db, maxBytes: config.maxUploadBytes, quotaBytes: config.blobQuotaBytes, graceSeconds: config.blobGraceSeconds })
    const events = createEventBus()
    const settlement = createSettlement({ events, finalize: createFinalizer(blobs) })
    const eligibility = createEligibility({ chain })
    // Reviews run on `options.clock` so tests can let an auto-approval delay pass.
    const manualWork = createManualWork({ db, blobs, events, eligibility, now: options.clock })
    const polls = createPolls({ db, events, eligibility, onTaskFailed: settlement.onTaskFailed })
    const orchestrator = createOrchestrator({ db, events, leaseSeconds: config.leaseSeconds, maxLeasesPerNode: config.maxLeasesPerNode, ...settlement, onTaskActivated: polls.onActivated })
    const metrics = createMetrics()
    const posting = createPosting({ db, chain, blobs })
    const auth = createAuth({ db, chain, publicUrl: () => config.publicUrl, sessionDays: config.sessionDays })

    const reconciliation = createReconciliation({ db, chain, metrics, log: { warn: (o, m) => app.log.warn(o, m) } })

    const common = { config, db, chain, blobs, events, orchestrator, posting, auth, metrics, eligibility, manualWork, polls, reconciliation, presence: createPresence({ db }), kickRelayer: () => relayLoop.kick() } satisfies Common
    const app = await buildApp(common, options)
    const log = app.log
    const relayer = createRelayer({ db, chain, events, orchestrator, metrics, batchSize: config.batchSize, log })
    const indexer = createIndexer({ db, chain, log })
    const relayLoop = loop(config.relayIntervalMs, () => relayer.tick(), (e) => log.error({ err: e }, 'relayer pass failed'))
    const reapLoop = loop(1000, async () => {
      await orchestrator.reap()
      const moved = (await manualWork.sweep(settlement.onTaskFailed)) + (await polls.sweep())
      if (moved) relayLoop.kick()
    }, (e) => log.error({ err: e }, 'reaper pass failed'))
    const indexLoop = loop(1000, () => indexer.tick(), (e) => log.warn({ err: e }, 'indexer pass failed'))
    const blobLoop = loop(config.blobCollectIntervalMs, () => blobs.collect(), (e) => log.warn({ err: e }, 'blob collection failed'))
    shutdown.push(async () => {
      await Promise.all([relayLoop.stop(), reapLoop.stop(), indexLoop.stop(), blobLoop.stop()])
    })

    const webDir = config.webDir ?? join(import.meta.dirname, '../../web/dist')
    if (existsSync(join(webDir, 'index.html'))) {
      await serveWebApp(app, { webDir, policy: () => webAppPolicy({ publicUrl: config.publicUrl, rpcUrl: chain.local ? chain.rpcUrl : undefined }) })
    }
    const reconcileLoop = loop(config.reconcileIntervalMs, () => reconciliation.run(), (e) => log.warn({ err: e }, 'reconciliation pass failed'))
    shutdown.push(() => reconcileLoop.stop())
    await app.listen({ port: config.port, host: config.host })
    shutdown.push(() => app.close())
    const address = app.server.address()
    const port = typeof address === 'object' && address ? address.port : config.port
    // A public URL on port 0 (the default with PORT=0, as in tests) means the address the server got.
    if (new URL(config.publicUrl).port === '0') config.publicUrl = `http://127.0.0.1:${port}`
    return { url: `http://127.0.0.1:${port}`, port, app, config, chain, db, blobs, relayer, orchestrator, reconciliation, common, close }
  } catch (error) {
    await close()
    throw error
  }
}

/** Runs `fn` every `ms` (never overlapping); `kick()` runs it again as soon as the current pass ends. */
function loop(ms: number, fn: () => Promise<unknown>, onError: (e: unknown) => void) {
  let timer: NodeJS.Timeout | undefined
  let current: Promise<void> | undefined
  let stopped = false
  let again = false
  const run = () => {
    timer = undefined
    if (stopped) return
    current = fn().then(() => undefined, onError).finally(() => {
      current = undefined
      if (stopped) return
      timer = setTimeout(run, again ? 0 : ms)
      again = false
    })
  }
  timer = setTimeout(run, ms)
  return {
    kick() {
      if (current) again = true
      else if (timer) {
        clearTimeout(timer)
        timer = setTimeout(run, 0)
      }
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      await current
    },
  }
}
