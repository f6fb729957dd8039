import { ADAPTIVE_REPLICATION, type AdaptiveParams, type Lease } from '@taskmarket/core'
import type { Address } from 'viem'
import { claimJobs } from '../operations/jobs/claim.ts'
import { graceLeasesOnStart, renewLeases } from '../operations/jobs/heartbeat.ts'
import { expireLeases, failLateTask, lateComputeTasks } from '../operations/jobs/reap.ts'
import { releaseLeases } from '../operations/jobs/release.ts'
import { type SubmittedResult, submitResults } from '../operations/jobs/submit.ts'
import type { Finalize } from '../operations/tasks/settle.ts'
import type { Transactor } from '../operations/tx.ts'

export type { SubmittedResult }

/**
 * The worker gateway's operations on jobs, bound to the market's settings: leases (an assignment with a
 * visibility timeout, renewed by heartbeats, back to the pool when it lapses), results decided by quorum,
 * and the reaper. Each is one operation in operations/jobs, run in its own transaction.
 */
export type OrchestratorOptions = {
  transactor: Transactor
  leaseSeconds: number
  maxLeasesPerNode?: number
  /** Adaptive replication's parameters, and the chance that draws each plan (claim.ts). */
  adaptive?: AdaptiveParams
  random?: () => number
  finalize: Finalize
}

export function createOrchestrator({ transactor, leaseSeconds, maxLeasesPerNode = 256, adaptive = ADAPTIVE_REPLICATION, random = Math.random, finalize }: OrchestratorOptions) {
  const { run, once, transact } = transactor
  return {
    claim: (worker: Address, { kinds, max, trustLevel = 0, stake, verifiedPower }: { kinds: string[]; max: number; trustLevel?: number; stake?: bigint; verifiedPower?: bigint }): Promise<Lease[]> =>
      run(claimJobs, { worker, kinds, max, trustLevel, stake, verifiedPower, leaseSeconds, maxLeasesPerNode, adaptive, random }),
    heartbeat: (worker: Address, items: { assignment_id: string; progress?: number }[]) => once((tx) => renewLeases(tx, { worker, items, leaseSeconds })),
    release: (worker: Address, assignmentIds: string[]) => run(releaseLeases, { worker, assignmentIds }),
    /** At start: a full lease period for every held lease (nodes could not heartbeat while no server ran). */
    graceLeases: () => run(graceLeasesOnStart, { leaseSeconds }),
    submit: (worker: Address, results: SubmittedResult[]) => run(submitResults, { worker, results, finalize, adaptive }),
    /** Expires lapsed leases and fails compute tasks past their deadline, each in its own transaction. */
    async reap() {
      const expired = await transact(expireLeases)
      const late = await once(lateComputeTasks)
      for (const taskId of late) await run(failLateTask, { taskId })
      return { expired, failed: late.length }
    },
  }
}

export type Orchestrator = ReturnType<typeof createOrchestrator>
