import { type Drift, type ReconciliationReport, formatTokens } from '@taskmarket/core'
import type { Database } from '@taskmarket/db'
import type { ChainService } from './chain.ts'
import type { createMetrics } from './metrics.ts'
import { TaskStatus as TASK_STATUS } from '@taskmarket/chain'
import { outboxWaiting } from '../repositories/outbox.ts'
import { escrowTotals } from '../repositories/stats.ts'
import { lockedTasks } from '../repositories/tasks.ts'

const MAX_TASKS = 5_000
const READS_AT_ONCE = 32

/**
 * Compares, for every task the database shows locked, its escrow state and remaining amount with the
 * chain's, and the `/stats` escrow total with what the contract holds for those tasks. Drift is logged,
 * counted in `/metrics` and kept for `GET /reconciliation` (`taskmarket doctor`).
 */
export function createReconciliation({ db, chain, metrics, log }: { db: Database; chain: ChainService; metrics: ReturnType<typeof createMetrics>; log: { warn(o: object, m?: string): void } }) {
  let last: ReconciliationReport | undefined

  async function run(): Promise<ReconciliationReport> {
    const tasks = await lockedTasks(db, MAX_TASKS)
    const drift: Drift[] = []
    let apiTotal = 0n
    let chainTotal = 0n
    let inFlight = 0
    const settled = tasks.filter((t) => !t.moving)
    inFlight = tasks.length - settled.length
    for (let i = 0; i < settled.length; i += READS_AT_ONCE) {
      const slice = settled.slice(i, i + READS_AT_ONCE)
      const onChain = await Promise.all(slice.map((t) => chain.contracts.escrow.read.getTask([t.chain_task_id])))
      for (const [k, t] of slice.entries()) {
        const c = onChain[k]!
        const remaining = BigInt(t.remaining)
        apiTotal += remaining
        chainTotal += c.locked
        const wanted = t.status === 'disputed' ? TASK_STATUS.Frozen : TASK_STATUS.Open
        if (Number(c.status) !== wanted) drift.push({ task_id: t.id, chain_task_id: t.chain_task_id, field: 'status', database: t.status, chain: statusName(Number(c.status)) })
        if (c.locked !== remaining) drift.push({ task_id: t.id, chain_task_id: t.chain_task_id, field: 'locked', database: formatTokens(remaining), chain: formatTokens(c.locked) })
      }
    }
    // Independent of the per-task reads: the tokens the contract really holds against every lock the books show.
    const [books, held] = await Promise.all([
      escrowTotals(db),
      chain.contracts.token.read.balanceOf([chain.contracts.escrow.address]),
    ])
    if (held < BigInt(books.escrowed)) drift.push({ task_id: null, chain_task_id: null, field: 'held', database: formatTokens(BigInt(books.escrowed)), chain: formatTokens(held) })
    const quarantined = Object.fromEntries((await outboxWaiting(db)).map((r) => [r.kind, r.n]))
    metrics.outboxWaiting.reset()
    for (const [kind, n] of Object.entries(quarantined)) metrics.outboxWaiting.set({ kind }, n)
    metrics.escrowDrift.set(new Set(drift.map((d) => d.task_id ?? 'held')).size)
    if (drift.length) {
      metrics.escrowDriftTotal.inc(drift.length)
      log.warn({ drift }, 'escrow in the database differs from the chain')
    }
    last = { checked_at: Math.floor(Date.now() / 1000), tasks_checked: settled.length, in_flight: inFlight, escrowed: { api: formatTokens(apiTotal), chain: formatTokens(chainTotal), held: formatTokens(held) }, drift, quarantined }
    return last
  }

  return { run, last: () => last }
}

export type Reconciliation = ReturnType<typeof createReconciliation>

function statusName(status: number): string {
  return Object.entries(TASK_STATUS).find(([, v]) => v === status)?.[0]?.toLowerCase() ?? String(status)
}
