import type { Database, Queryable } from '@taskmarket/db'
import type { EventBus, MarketEvent } from '../services/events.ts'

/**
 * What every operation runs in: a database transaction, the one clock's time (read once when it began, so
 * every rule of the operation sees the same instant and a test that moves the clock moves them all), and
 * live events that go out only once the transaction commits.
 */
export type Tx = Queryable & {
  readonly now: Date
  publish(topic: string, event: MarketEvent): void
}

/** An operation: `(tx, params) => result`, one per file under operations/. */
export type Operation<P, R> = (tx: Tx, params: P) => Promise<R>

/** PostgreSQL's deadlock and serialization failures: the transaction was rolled back and may simply run again. */
const RETRYABLE = new Set(['40P01', '40001'])

/** Times a transaction is tried when PostgreSQL rolls it back for a deadlock or a serialization failure. */
export const TRANSACTION_ATTEMPTS = 4

/**
 * Runs operations: `transact` in a transaction, `once` on a single statement's implicit one (no BEGIN
 * for the hot paths that write one statement, heartbeats). Events are published after the commit. A
 * transaction that PostgreSQL rolls back as a deadlock victim (many servers and workers on one database
 * lock rows in orders no single operation controls) runs again, up to TRANSACTION_ATTEMPTS times, after a
 * short random pause; its events from a rolled-back try are dropped.
 */
export function createTransactor({ db, events, clock }: { db: Database; events: EventBus; clock: () => number }) {
  async function within<T>(runner: (fn: (q: Queryable) => Promise<T>) => Promise<T>, fn: (tx: Tx) => Promise<T>, attempts = 1): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      const queued: [string, MarketEvent][] = []
      try {
        const result = await runner((q) => fn({ query: (sql, params) => q.query(sql, params), now: new Date(clock()), publish: (topic, event) => void queued.push([topic, event]) }))
        for (const [topic, event] of queued) events.publish(topic, event)
        return result
      } catch (error) {
        if (attempt >= attempts || !RETRYABLE.has((error as { code?: string }).code ?? '')) throw error
        await new Promise((resolve) => setTimeout(resolve, Math.random() * 20 * attempt))
      }
    }
  }
  const transaction = <T>(fn: (tx: Tx) => Promise<T>) => within<T>((f) => db.transaction(f), fn, TRANSACTION_ATTEMPTS)
  return {
    transact: transaction,
    once: <T>(fn: (tx: Tx) => Promise<T>) => within<T>((f) => f(db), fn),
    run: <P, R>(operation: Operation<P, R>, params: P) => transaction((tx) => operation(tx, params)),
  }
}

export type Transactor = ReturnType<typeof createTransactor>
