import { randomBytes, randomUUID } from 'node:crypto'
import { awaitReceipt } from '@taskmarket/chain'
import type { Database } from '@taskmarket/db'
import { type Hex, BaseError, ContractFunctionRevertedError } from 'viem'
import type { Transactor } from '../operations/tx.ts'
import type { ChainService } from '../services/chain.ts'
import type { createMetrics } from '../services/metrics.ts'
import { OUTBOX_COLUMNS, type OutboxItem, type OutboxKind, decode } from './items.ts'
import type { OutboxKinds } from './kinds/index.ts'
import type { Confirmation } from './kinds/kind.ts'
import { packAccounts } from './kinds/settle.ts'

type Logger = { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void }

/** A claim on outbox rows that a server holds this long without staging them is given up (the server died). */
const CLAIM_TIMEOUT_SECONDS = 60
/** A batch another server sent is looked at after this long; resending its exact calldata is idempotent. */
const FOREIGN_BATCH_SECONDS = 10
/** A quarantined row waits 5 s, then twice as long after each failure, at most 5 minutes. */
const FIRST_BACKOFF_SECONDS = 5
const MAX_BACKOFF_SECONDS = 300

/**
 * Sends the outbox to the chain: each kind (outbox/kinds) in batches or one by one, as the kind says. Rows are claimed with `FOR UPDATE SKIP LOCKED` so several servers can share one database; a
 * batch is recorded before it is sent and confirmed only by what the chain holds afterwards (the batch
 * root, the task's escrow terms), so nothing is paid twice and nothing is marked paid without a credit. A
 * row that cannot be sent for any reason is quarantined with its reason and retried with backoff; it never
 * holds up the others.
 */
export function createRelayer({
  db,
  transactor,
  chain,
  kinds,
  metrics,
  batchSize,
  log,
}: {
  db: Database
  transactor: Transactor
  chain: ChainService
  kinds: OutboxKinds
  metrics: ReturnType<typeof createMetrics>
  batchSize: number
  log: Logger
}) {
  const me = randomUUID()
  const inFlight = new Set<string>()
  let running = false

  /** One pass: recover unfinished batches, then send what is pending, each kind on its own. Returns how many items moved. */
  async function tick(): Promise<number> {
    if (running) return 0
    running = true
    try {
      let moved = 0
      const step = async (name: string, fn: () => Promise<number>) => {
        try {
          moved += await fn()
        } catch (error) {
          log.error({ err: error, step: name }, 'relayer step failed; the other steps go on')
        }
      }
      await step('recover', recover)
      // In the registry's order: creations, disputes, refunds, then settlements (refunds are never starved).
      for (const kind of Object.keys(kinds) as OutboxKind[]) await step(kind, () => (kinds[kind].batched ? sendBatch(kind) : sendOneByOne(kind)))
      return moved
    } finally {
      running = false
    }
  }

  /** Claims up to `limit` sendable rows of a kind for this server, except those its kind says must wait. */
  async function take(kind: OutboxKind, limit: number): Promise<OutboxItem[]> {
    const waits = kinds[kind].waitsWhile
    const rows = await db.query(
      `UPDATE outbox SET status = 'staging', claimed_by = $3, claimed_at = now() WHERE id IN (
         SELECT o.id FROM outbox o WHERE o.kind = $1
           AND (o.status = 'pending' OR (o.status = 'quarantined' AND o.next_attempt_at <= now()))
           ${waits ? `AND NOT (${waits})` : ''}
         ORDER BY o.id LIMIT $2 FOR UPDATE SKIP LOCKED)
       RETURNING ${OUTBOX_COLUMNS}`,
      [kind, limit, me],
    )
    return rows.map(decode).sort((a, b) => Number(BigInt(a.id) - BigInt(b.id)))
  }

  /** Gives claimed rows back untouched (they wait for something, or did not fit this batch). */
  async function unclaim(items: OutboxItem[]) {
    if (items.length) await db.query(`UPDATE outbox SET status = 'pending', claimed_by = NULL WHERE id = ANY($1::bigint[]) AND status = 'staging' AND claimed_by = $2`, [items.map((i) => i.id), me])
  }

  /** Sets rows aside with the reason they could not be sent, to be tried again after a backoff. */
  async function quarantine(items: OutboxItem[], error: unknown) {
    if (items.length === 0) return
    const reason = describe(error)
    log.warn({ keys: items.map((i) => i.key), reason }, 'outbox items quarantined; retried with backoff')
    metrics.outboxQuarantined.inc({ kind: items[0]!.kind }, items.length)
    await db.query(
      `UPDATE outbox SET status = 'quarantined', claimed_by = NULL, last_error = $2, attempts = attempts + 1, updated_at = now(),
         next_attempt_at = now() + make_interval(secs => least($3::int, $5::int * power(2, least(attempts, 16))::int))
       WHERE id = ANY($1::bigint[]) AND status = 'staging' AND claimed_by = $4`,
      [items.map((i) => i.id), reason, MAX_BACKOFF_SECONDS, me, FIRST_BACKOFF_SECONDS],
    )
  }

  /** Creations and settlements: many items in one transaction. */
  async function sendBatch(kind: OutboxKind): Promise<number> {
    const claimed = await take(kind, batchSize)
    if (claimed.length === 0) return 0
    const [fits, later]: OutboxItem[][] = kind === 'settle' ? packAccounts(claimed as OutboxItem<'settle'>[]) : [claimed, []]
    await unclaim(later)
    const batchId: Hex = `0x${randomBytes(32).toString('hex')}`
    const usable = await screen(fits, (batch) => simulate(kind, batch, batchId))
    if (usable.length) await stageAndSend(kind, usable, batchId)
    return claimed.length - later.length
  }

  /** Refunds, freezes and unfreezes: one transaction per task. */
  async function sendOneByOne(kind: OutboxKind): Promise<number> {
    const claimed = await take(kind, batchSize)
    for (const item of claimed) {
      const batchId: Hex = `0x${randomBytes(32).toString('hex')}`
      const usable = await screen([item], (batch) => simulate(kind, batch, batchId))
      if (usable.length) await stageAndSend(kind, usable, batchId)
    }
    return claimed.length
  }

  const simulate = (kind: OutboxKind, items: OutboxItem[], batchId: Hex) => kinds[kind].simulate(chain, items as never, batchId)
  const alreadyDone = (item: OutboxItem) => kinds[item.kind].alreadyDone(chain, item as never)

  /**
   * Keeps the items whose call would succeed (the whole set first, then one by one) and settles the fate of
   * the rest: done already (confirmed), waiting (given back), refused (failed with the chain's reason), or
   * not sendable for another reason (quarantined).
   */
  async function screen(items: OutboxItem[], trial: (batch: OutboxItem[]) => Promise<void>): Promise<OutboxItem[]> {
    try {
      await trial(items)
      return items
    } catch {
      // Find out which item is the matter.
    }
    const keep: OutboxItem[] = []
    for (const item of items) {
      try {
        await trial([item])
        keep.push(item)
      } catch (error) {
        try {
          await settleFate(item, error)
        } catch (inner) {
          await quarantine([item], inner)
        }
      }
    }
    return keep
  }

  async function settleFate(item: OutboxItem, error: unknown) {
    if (!isRevert(error)) return quarantine([item], error)
    if (await kinds[item.kind].mustWait?.(db, chain, item as never)) return unclaim([item])
    const verdict = await alreadyDone(item)
    if (verdict.state === 'done') return confirmItems([item], { txHash: null, batchId: null })
    await rejectItem(item, verdict.state === 'mismatch' ? verdict.reason : revertName(error))
  }

  /** Records the batch and marks its items sent (only if this server still holds them), then sends it. */
  async function stageAndSend(kind: OutboxKind, items: OutboxItem[], batchId: Hex) {
    const staged = await db.transaction(async (tx) => {
      const taken = await tx.query(
        `UPDATE outbox SET status = 'sent', batch_id = $2, tried_batches = array_append(tried_batches, $2), attempts = attempts + 1, claimed_by = NULL, updated_at = now()
         WHERE id = ANY($1::bigint[]) AND status = 'staging' AND claimed_by = $3 RETURNING id`,
        [items.map((i) => i.id), batchId, me],
      )
      if (taken.length !== items.length) return false
      await tx.query(`INSERT INTO chain_batches (batch_id, kind, status, calldata) VALUES ($1, $2, 'sending', $3)`, [batchId, kind, JSON.stringify(items.map((i) => i.payload))])
      await kinds[kind].onStaged?.(tx, batchId, items as never)
      return true
    })
    if (!staged) {
      log.warn({ batchId, kind }, 'outbox items were taken over by another server; not sent')
      return
    }
    for (const i of items) i.tried_batches = [...i.tried_batches, batchId]
    await send(batchId, kind, items)
  }

  /** Sends a staged batch and confirms it; a failure defers the whole batch (its rows stay with it). */
  async function send(batchId: Hex, kind: OutboxKind, items: OutboxItem[]) {
    inFlight.add(batchId)
    try {
      await sendAndConfirm(batchId, kind, items)
    } catch (error) {
      await deferBatch(batchId, kind, items, error)
    } finally {
      inFlight.delete(batchId)
    }
  }

  /**
   * A batch that could not be sent or confirmed (any error: gas estimate, send, receipt) is not confirmed
   * either way, so its rows stay with it: recovery resends this very batch, which the chain accepts at most
   * once, after a backoff (5 s doubling to 5 minutes); the reason is kept and counted as a quarantine.
   */
  async function deferBatch(batchId: Hex, kind: OutboxKind, items: OutboxItem[], error: unknown) {
    const reason = describe(error)
    log.warn({ batchId, kind, items: items.length, reason }, 'batch not confirmed; resent after a backoff')
    metrics.outboxQuarantined.inc({ kind }, items.length)
    await db.query(
      `UPDATE chain_batches SET attempts = attempts + 1, last_error = $2,
         next_attempt_at = now() + make_interval(secs => least($3::int, $4::int * power(2, least(attempts, 16))::int))
       WHERE batch_id = $1`,
      [batchId, reason, MAX_BACKOFF_SECONDS, FIRST_BACKOFF_SECONDS],
    )
    await db.query(`UPDATE outbox SET last_error = $2, updated_at = now() WHERE batch_id = $1 AND status = 'sent'`, [batchId, reason])
  }

  async function sendAndConfirm(batchId: Hex, kind: OutboxKind, items: OutboxItem[]) {
    const { escrow } = chain.contracts
    const request = { address: escrow.address, abi: escrow.abi, account: chain.operator, chain: chain.chain, ...kinds[kind].args(items as never, batchId) } as const
    // 20% over the estimate: storage first-writes can differ between the estimated and the mined block.
    const gas = await chain.publicClient.estimateContractGas(request as never)
    const hash = await chain.walletClient.writeContract({ ...request, gas: (gas * 12n) / 10n } as never)
    await db.query(`UPDATE chain_batches SET status = 'sent', tx_hash = $2 WHERE batch_id = $1`, [batchId, hash])
    // A dropped transaction fails at once (and the batch is deferred), rather than holding every kind up for the minute.
    const receipt = await awaitReceipt(chain.publicClient, { hash, timeoutMs: 60_000 })
    const mined = receipt.status === 'success' && receipt.transactionHash === hash
    await settleBatch(batchId, kind, items, mined ? hash : null)
    if (mined) log.info({ batchId, kind, items: items.length, gasUsed: receipt.gasUsed.toString(), hash }, 'batch confirmed')
  }

  /**
   * Ends a sent batch by what the chain holds: every item the chain shows done is confirmed, the rest go back
   * to the queue (a refused one is refused again, with its reason, when it is next simulated).
   */
  async function settleBatch(batchId: Hex, kind: OutboxKind, items: OutboxItem[], txHash: Hex | null) {
    const done: OutboxItem[] = []
    const todo: OutboxItem[] = []
    for (const item of items) ((await alreadyDone(item)).state === 'done' ? done : todo).push(item)
    await db.query(`UPDATE chain_batches SET status = $2, confirmed_at = CASE WHEN $2 = 'confirmed' THEN now() END WHERE batch_id = $1`, [batchId, todo.length ? (done.length ? 'partial' : 'reverted') : 'confirmed'])
    if (done.length) await confirmItems(done, { txHash, batchId })
    if (todo.length) {
      log.warn({ batchId, kind, requeued: todo.length }, 'batch items not on chain; back in the queue')
      await db.query(`UPDATE outbox SET status = 'pending', updated_at = now() WHERE id = ANY($1::bigint[]) AND status = 'sent' AND batch_id = $2`, [todo.map((i) => i.id), batchId])
    }
  }

  /**
   * Batches left 'sending' or 'sent' (a crash, a lost receipt, another server that died): the same batch is
   * sent again (the chain takes a batch id, a task id and a status change at most once), then settled by
   * what the chain holds. Claims held too long are given up.
   */
  async function recover(): Promise<number> {
    await db.query(`UPDATE outbox SET status = 'pending', claimed_by = NULL WHERE status = 'staging' AND claimed_at < now() - make_interval(secs => $1)`, [CLAIM_TIMEOUT_SECONDS])
    const stale = await db.query<{ batch_id: Hex; kind: OutboxKind; tx_hash: Hex | null }>(
      `SELECT batch_id, kind, tx_hash FROM chain_batches WHERE status IN ('sending', 'sent') AND created_at < now() - make_interval(secs => $1)
         AND (next_attempt_at IS NULL OR next_attempt_at <= now()) ORDER BY coalesce(next_attempt_at, created_at) LIMIT 20`,
      [FOREIGN_BATCH_SECONDS],
    )
    let moved = 0
    for (const batch of stale.filter((b) => !inFlight.has(b.batch_id))) {
      // In id order, as it was staged: the same items rebuild the same call (outbox.id: a bare `id` is
      // OUTBOX_COLUMNS' text column, where '10' sorts before '9').
      const items = (await db.query(`SELECT ${OUTBOX_COLUMNS} FROM outbox WHERE batch_id = $1 AND status = 'sent' ORDER BY outbox.id`, [batch.batch_id])).map(decode)
      moved += items.length
      if (items.length === 0) {
        await db.query(`UPDATE chain_batches SET status = 'confirmed' WHERE batch_id = $1 AND status IN ('sending', 'sent')`, [batch.batch_id])
        continue
      }
      const receipt = batch.tx_hash ? await chain.publicClient.getTransactionReceipt({ hash: batch.tx_hash }).catch(() => undefined) : undefined
      const sendable = !receipt && (await simulate(batch.kind, items, batch.batch_id).then(() => true, () => false))
      if (sendable) {
        await send(batch.batch_id, batch.kind, items)
        continue
      }
      // Mined, or refused now (done already, or no longer possible): settled by what the chain holds.
      await settleBatch(batch.batch_id, batch.kind, items, receipt?.status === 'success' ? batch.tx_hash : null)
      log.warn({ batchId: batch.batch_id, items: items.length }, 'recovered an unfinished batch')
    }
    return moved
  }

  /** Applies confirmed items to the market by their kind, once each (a second confirmation changes nothing). */
  async function confirmItems(items: OutboxItem[], confirmation: Confirmation) {
    for (const item of items) {
      await transactor.transact(async (tx) => {
        const [row] = await tx.query(`UPDATE outbox SET status = 'confirmed', claimed_by = NULL, updated_at = now() WHERE id = $1 AND status <> 'confirmed' RETURNING id`, [item.id])
        if (row) await kinds[item.kind].onConfirmed(tx, item as never, confirmation)
      })
    }
  }

  /** The chain refuses the item for good: it fails with the reason, and its kind says what that changes. */
  async function rejectItem(item: OutboxItem, reason: string) {
    const taskId = item.payload.task_id
    log.warn({ key: item.key, reason }, 'outbox item refused by the chain')
    metrics.outboxFailed.inc({ kind: item.kind })
    await transactor.transact(async (tx) => {
      await tx.query(`UPDATE outbox SET status = 'failed', claimed_by = NULL, last_error = $2, updated_at = now() WHERE id = $1`, [item.id, reason])
      await kinds[item.kind].onRejected(tx, item as never, reason)
      tx.publish(`task:${taskId}`, { type: 'TASK_PROGRESS', taskId, status: 'failed', jobsDone: 0, jobsTotal: 0, message: reason })
    })
  }

  return { tick }
}

function isRevert(error: unknown): boolean {
  return error instanceof BaseError && error.walk((e) => e instanceof ContractFunctionRevertedError) instanceof ContractFunctionRevertedError
}

function revertName(error: unknown): string {
  const revert = error instanceof BaseError ? error.walk((e) => e instanceof ContractFunctionRevertedError) : undefined
  return revert instanceof ContractFunctionRevertedError ? (revert.data?.errorName ?? revert.reason ?? 'reverted') : 'reverted'
}

function describe(error: unknown): string {
  if (error instanceof BaseError) return error.shortMessage
  return error instanceof Error ? error.message : String(error)
}
