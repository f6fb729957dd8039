import type { Database } from '@taskmarket/db'
import type { Config } from './config.ts'
import type { AuthService } from './services/auth.ts'
import type { BlobStore } from './services/blobStore.ts'
import type { ChainService } from './services/chain.ts'
import type { EventBus } from './services/events.ts'
import type { Orchestrator } from './services/orchestrator.ts'
import type { createPosting } from './services/posting.ts'
import type { createMetrics } from './services/metrics.ts'
import type { Eligibility } from './services/eligibility.ts'
import type { ManualWork } from './services/manualWork.ts'
import type { Polls } from './services/polls.ts'
import type { Reconciliation } from './services/reconciliation.ts'
import type { Presence } from './services/presence.ts'

/** The one bag of shared dependencies every route and service receives. */
export type Common = {
  config: Config
  db: Database
  chain: ChainService
  blobs: BlobStore
  events: EventBus
  orchestrator: Orchestrator
  posting: ReturnType<typeof createPosting>
  auth: AuthService
  metrics: ReturnType<typeof createMetrics>
  eligibility: Eligibility
  manualWork: ManualWork
  polls: Polls
  reconciliation: Reconciliation
  presence: Presence
  /** Wakes the relayer (after posting or settling) instead of waiting for its next tick. */
  kickRelayer(): void
}
