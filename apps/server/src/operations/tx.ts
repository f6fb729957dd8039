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

/**
 * Runs operations: `transact` in a transaction, `once` on a single statement's implicit one (no BEGIN
 * for the hot paths that write one statement, heartbeats). Events are published after the commit.
 */
export function createTransactor({ db, events, clock }: { db: Database; events: EventBus; clock: () => number }) {
  async function within<T>(runner: (fn: (q: Queryable) => Promise<T>) => Promise<T>, fn: (tx: Tx) => Promise<T>): Promise<T> {
    const queued: [string, MarketEvent][] = []
    const result = await runner((q) => fn({ query: (sql, params) => q.query(sql, params), now: new Date(clock()), publish: (topic, event) => void queued.push([topic, event]) }))
    for (const [topic, event] of queued) events.publish(topic, event)
    return result
  }
  return {
    transact: <T>(fn: (tx: Tx) => Promise<T>) => within<T>((f) => db.transaction(f), fn),
    once: <T>(fn: (tx: Tx) => Promise<T>) => within<T>((f) => f(db), fn),
    run: <P, R>(operation: Operation<P, R>, params: P) => within<R>((f) => db.transaction(f), (tx) => operation(tx, params)),
  }
}

export type Transactor = ReturnType<typeof createTransactor>
