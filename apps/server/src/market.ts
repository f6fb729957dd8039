import { join } from 'node:path'
import { createDatabase } from '@taskmarket/db'
import type { Common } from './common.ts'
import { loop } from './loop.ts'
import { createTransactor } from './operations/tx.ts'
import { outboxKinds } from './outbox/kinds/index.ts'
import { createRelayer } from './outbox/relayer.ts'
import { createAuth } from './services/auth.ts'
import { createBlobStore } from './services/blobStore.ts'
import { connectChain } from './services/chain.ts'
import { createEligibility } from './services/eligibility.ts'
import { createEventBus } from './services/events.ts'
import { createFinalizer } from './operations/tasks/finalize.ts'
import { createIndexer } from './services/indexer.ts'
import { createManualWork } from './services/manualWork.ts'
import { createOrchestrator } from './services/orchestrator.ts'
import { createPolls } from './services/polls.ts'
import { createPosting } from './services/posting.ts'
import { createQuoting } from './services/quoting.ts'
import { createPresence } from './services/presence.ts'
import { createReconciliation } from './services/reconciliation.ts'

export type Market = Awaited<ReturnType<typeof buildMarket>>

/**
 * Builds the market over `common`: chain (embedded anvil unless RPC_URL), database (PGlite unless
 * DATABASE_URL), blobs, the services the routes call, and the background loops (relayer, reaper, chain
 * indexer, blob collection, reconciliation). Each subsystem adds its stop to `common.shutdown` as it starts.
 */
export async function buildMarket(common: Common) {
  const { config, logger: log, metrics, shutdown, clock, random } = common
  const chain = await connectChain(config)
  shutdown.add('chain', () => chain.stop())
  const db = await createDatabase({ databaseUrl: config.databaseUrl, dataDir: join(config.home, 'db') })
  shutdown.add('database', () => db.close())
  const blobs = createBlobStore({ dir: config.blobDir, db, maxBytes: config.maxUploadBytes, quotaBytes: config.blobQuotaBytes, graceSeconds: config.blobGraceSeconds })
  const events = createEventBus()
  const transactor = createTransactor({ db, events, clock })
  const eligibility = createEligibility({ chain, now: clock })
  const manualWork = createManualWork({ transactor, blobs, eligibility })
  const polls = createPolls({ transactor, eligibility })
  const orchestrator = createOrchestrator({ transactor, leaseSeconds: config.leaseSeconds, maxLeasesPerNode: config.maxLeasesPerNode, adaptive: config.adaptive, random, finalize: createFinalizer(blobs) })
  const reconciliation = createReconciliation({ db, chain, metrics, log })
  const relayer = createRelayer({ db, transactor, chain, kinds: outboxKinds({ eligibility, offerWindowSeconds: config.offerWindowSeconds, adaptive: config.adaptive }), metrics, batchSize: config.batchSize, log })
  const indexer = createIndexer({ db, chain, log })

  const graced = await orchestrator.graceLeases()
  if (graced) log.info({ leases: graced }, 'held leases given a full period: nodes could not heartbeat while the market was down')

  const loops = {
    relay: loop(config.relayIntervalMs, () => relayer.tick(), (e) => log.error({ err: e }, 'relayer pass failed')),
    reap: loop(1000, async () => {
      await orchestrator.reap()
      const moved = (await manualWork.sweep()) + (await polls.sweep())
      if (moved) loops.relay.kick()
    }, (e) => log.error({ err: e }, 'reaper pass failed')),
    index: loop(1000, () => indexer.tick(), (e) => log.warn({ err: e }, 'indexer pass failed')),
    collectBlobs: loop(config.blobCollectIntervalMs, () => blobs.collect(), (e) => log.warn({ err: e }, 'blob collection failed')),
    reconcile: loop(config.reconcileIntervalMs, () => reconciliation.run(), (e) => log.warn({ err: e }, 'reconciliation pass failed')),
  }
  shutdown.add('loops', () => Promise.all(Object.values(loops).map((l) => l.stop())))

  return {
    common,
    config,
    db,
    chain,
    blobs,
    events,
    transactor,
    orchestrator,
    posting: createPosting({ db, transactor, chain, blobs, now: clock }),
    quote: createQuoting({ db, chain, blobs, adaptive: config.adaptive }),
    auth: createAuth({ db, chain, publicUrl: () => config.publicUrl, sessionDays: config.sessionDays }),
    metrics,
    eligibility,
    manualWork,
    polls,
    reconciliation,
    relayer,
    presence: createPresence({ db, now: clock }),
    /** Wakes the relayer (after posting or settling) instead of waiting for its next tick. */
    kickRelayer: () => loops.relay.kick(),
  }
}
