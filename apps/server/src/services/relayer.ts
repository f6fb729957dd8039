import { randomBytes } from 'node:crypto'
import { encodeTaskSettlement } from '@taskmarket/chain'
import { buildMerkleTree, jobRecordLeaf } from '@taskmarket/core'
import type { Database, Queryable } from '@taskmarket/db'
import { type Address, type Hex, BaseError, ContractFunctionRevertedError } from 'viem'
import type { ChainService } from './chain.ts'
import type { EventBus } from './events.ts'
import type { Orchestrator } from './orchestrator.ts'

type OutboxItem = { id: string; kind: string; key: string; payload: any }
type Logger = { info(o: object, m?: string): void; warn(o: object, m?: string): void; error(o: object, m?: string): void }

const TASK_STATUS = { None: 0, Open: 1, Frozen: 2, Settled: 3, Refunded: 4 } as const

/**
 * Sends the outbox to the chain: task creations and settlements in batches, refunds one by one. Every
 * batch is written to `chain_batches` before it is sent, so after a crash or a chain restart it is checked
 * against the chain and either confirmed or sent again: nothing is paid twice and nothing is forgotten.
 */
export function createRelayer({
  db,
  chain,
  events,
  orchestrator,
  batchSize,
  log,
}: {
  db: Database
  chain: ChainService
  events: EventBus
  orchestrator: Orchestrator
  batchSize: number
  log: Logger
}) {
  const { escrow } = chain.contracts
  let running = false

  /** One pass: recover unfinished batches, then send what is pending. Returns how many items moved. */
  async function tick(): Promise<number> {
    if (running) return 0
    running = true
    try {
      let moved = await recover()
      moved += await sendCreates('create_signed')
      moved += await sendCreates('create_allowance')
      // Disputes freeze and unfreeze before settling, so a resolved dispute's payment goes out in the same pass.
      moved += await sendOneByOne('freeze')
      moved += await sendOneByOne('unfreeze')
      moved += await sendSettlements()
      moved += await sendOneByOne('refund')
      return moved
    } finally {
      running = false
    }
  }

  /** Pending items of a kind; settlements of a disputed (frozen) task wait until the dispute is resolved. */
  async function take(kind: string, limit: number): Promise<OutboxItem[]> {
    return db.query<OutboxItem>(
      `SELECT o.id::text, o.kind, o.key, o.payload FROM outbox o WHERE o.status = 'pending' AND o.kind = $1
         AND NOT (o.kind = 'settle' AND EXISTS (SELECT 1 FROM tasks t WHERE t.id = (o.payload->>'task_id')::uuid AND t.status = 'disputed'))
       ORDER BY o.id LIMIT $2`,
      [kind, limit],
    )
  }

  /** Records the batch and marks its items sent, in one transaction, before anything goes to the chain. */
  async function stage(kind: string, items: OutboxItem[], calldata: unknown, extra?: (tx: Queryable, batchId: Hex) => Promise<void>, batchId: Hex = `0x${randomBytes(32).toString('hex')}`) {
    await db.transaction(async (tx) => {
      await tx.query(`INSERT INTO chain_batches (batch_id, kind, status, calldata) VALUES ($1, $2, 'sending', $3)`, [batchId, kind, JSON.stringify(calldata, bigintJson)])
      await tx.query(`UPDATE outbox SET status = 'sent', batch_id = $2, attempts = attempts + 1, updated_at = now() WHERE id = ANY($1::bigint[])`, [items.map((i) => i.id), batchId])
      await extra?.(tx, batchId)
    })
    return batchId
  }

  async function sendCreates(kind: 'create_signed' | 'create_allowance'): Promise<number> {
    const items = await take(kind, batchSize)
    if (items.length === 0) return 0
    const usable = await dropFailing(items, (batch) => simulateCreate(kind, batch))
    if (usable.length === 0) return items.length
    const calldata = usable.map((i) => i.payload)
    const batchId = await stage(kind, usable, calldata)
    await submitAndConfirm(batchId, kind, calldata, usable)
    return items.length
  }

  function createArgs(kind: string, payloads: any[]) {
    const terms = payloads.map((p) => ({ taskId: p.chain_task_id as Hex, amount: BigInt(p.amount), deadline: Number(p.deadline), feeScheme: Number(p.fee_scheme) }))
    if (kind === 'create_allowance') return { functionName: 'createTasksFromAllowance' as const, args: [terms] as const }
    const orders = payloads.map((p, i) => ({ ...terms[i]!, nonce: BigInt(p.nonce), expiry: Number(p.expiry) }))
    return { functionName: 'createTasksFor' as const, args: [orders, payloads.map((p) => p.signature as Hex)] as const }
  }

  async function simulateCreate(kind: string, items: OutboxItem[]) {
    const { functionName, args } = createArgs(kind, items.map((i) => i.payload))
    await chain.publicClient.simulateContract({ address: escrow.address, abi: escrow.abi, functionName, args: args as never, account: chain.operator })
  }

  function settleArgs(items: OutboxItem[], batchId: Hex) {
    const accounts: Address[] = []
    const index = new Map<string, number>()
    const ix = (a: Address) => {
      const key = a.toLowerCase()
      if (!index.has(key)) { index.set(key, accounts.length); accounts.push(a) }
      return index.get(key)!
    }
    const records = items.flatMap((i) => (i.payload.records as any[]).map((r) => ({ ...r, taskId: i.payload.chain_task_id as Hex, task_id: i.payload.task_id })))
    const leaves = records.map((r) => jobRecordLeaf({ taskId: r.taskId, jobId: r.chainJobId, worker: r.worker, resultHash: r.resultHash, verdict: r.verdict }))
    const tree = buildMerkleTree(leaves.length ? leaves : [batchId])
    const tasks = items.map((i) =>
      encodeTaskSettlement({
        taskId: i.payload.chain_task_id as Hex,
        amount: BigInt(i.payload.amount),
        close: Boolean(i.payload.close),
        workers: (i.payload.workers as { address: Address; weight: number }[]).map((w) => ({ account: ix(w.address), weight: w.weight })),
        validators: [],
      }),
    )
    return { batch: { batchId, jobsRoot: tree.root, accounts, tasks }, records, leaves, tree }
  }

  async function sendSettlements(): Promise<number> {
    const items = await take('settle', batchSize)
    if (items.length === 0) return 0
    const batchId: Hex = `0x${randomBytes(32).toString('hex')}`
    const usable = await dropFailing(items, async (batch) => {
      const { batch: b } = settleArgs(batch, batchId)
      await chain.publicClient.simulateContract({ address: escrow.address, abi: escrow.abi, functionName: 'settle', args: [b], account: chain.operator })
    })
    if (usable.length === 0) return items.length
    const { batch, records, leaves, tree } = settleArgs(usable, batchId)
    await stage('settle', usable, batch, async (tx) => {
      await tx.query(`UPDATE chain_batches SET jobs_root = $2 WHERE batch_id = $1`, [batchId, tree.root])
      for (const [i, r] of records.entries()) {
        await tx.query(
          `INSERT INTO job_records (batch_id, leaf, task_id, job_id, worker, result_hash, verdict, proof) VALUES ($1,$2,$3,$4,$5,$6,$7,$8) ON CONFLICT DO NOTHING`,
          [batchId, leaves[i], r.task_id, r.job_id, r.worker, r.resultHash, r.verdict, JSON.stringify(tree.proof(leaves[i]!))],
        )
      }
      await tx.query(`UPDATE tasks SET settlement_batch = $2 WHERE id = ANY($1::uuid[])`, [usable.map((i) => i.payload.task_id), batchId])
    }, batchId)
    await submitAndConfirm(batchId, 'settle', batch, usable)
    return items.length
  }

  /** Refunds, freezes and unfreezes: one transaction per task. */
  async function sendOneByOne(kind: 'refund' | 'freeze' | 'unfreeze'): Promise<number> {
    const items = await take(kind, batchSize)
    for (const item of items) {
      const usable = await dropFailing([item], async () => {
        await chain.publicClient.simulateContract({ address: escrow.address, abi: escrow.abi, functionName: kind, args: [item.payload.chain_task_id], account: chain.operator })
      })
      if (usable.length === 0) continue
      const batchId = await stage(kind, usable, item.payload.chain_task_id)
      await submitAndConfirm(batchId, kind, item.payload.chain_task_id, usable)
    }
    return items.length
  }

  /** Finds the items that would revert (whole batch first, then one by one) and settles their fate. */
  async function dropFailing(items: OutboxItem[], simulate: (batch: OutboxItem[]) => Promise<void>): Promise<OutboxItem[]> {
    try {
      await simulate(items)
      return items
    } catch (error) {
      if (!isRevert(error)) throw error
    }
    const keep: OutboxItem[] = []
    for (const item of items) {
      try {
        await simulate([item])
        keep.push(item)
      } catch (error) {
        if (!isRevert(error)) throw error
        if (await alreadyDone(item)) await confirmItems([item], null, null)
        else if (await mustWait(item)) continue
        else await rejectItem(item, revertName(error))
      }
    }
    return keep
  }

  async function send(kind: string, calldata: any): Promise<Hex> {
    const base = { address: escrow.address, abi: escrow.abi, account: chain.operator, chain: chain.chain } as const
    const call =
      kind === 'settle'
        ? { ...base, functionName: 'settle' as const, args: [reviveBatch(calldata)] }
        : kind === 'refund' || kind === 'freeze' || kind === 'unfreeze'
          ? { ...base, functionName: kind, args: [calldata as Hex] }
          : { ...base, ...createArgs(kind, calldata) }
    // 20% over the estimate: storage first-writes can differ between the estimated and the mined block.
    const gas = await chain.publicClient.estimateContractGas(call as never)
    return chain.walletClient.writeContract({ ...call, gas: (gas * 12n) / 10n } as never)
  }

  async function submitAndConfirm(batchId: Hex, kind: string, calldata: any, items: OutboxItem[]) {
    const hash = await send(kind, calldata)
    await db.query(`UPDATE chain_batches SET status = 'sent', tx_hash = $2 WHERE batch_id = $1`, [batchId, hash])
    const receipt = await chain.publicClient.waitForTransactionReceipt({ hash, timeout: 60_000 })
    if (receipt.status !== 'success') {
      log.error({ batchId, hash }, 'batch reverted on chain; items go back to the queue')
      await db.query(`UPDATE chain_batches SET status = 'reverted' WHERE batch_id = $1`, [batchId])
      await db.query(`UPDATE outbox SET status = 'pending', updated_at = now() WHERE batch_id = $1 AND status = 'sent'`, [batchId])
      return
    }
    await db.query(`UPDATE chain_batches SET status = 'confirmed', confirmed_at = now() WHERE batch_id = $1`, [batchId])
    await confirmItems(items, hash, batchId)
    log.info({ batchId, kind, items: items.length, gasUsed: receipt.gasUsed.toString(), hash }, 'batch confirmed')
  }

  /** Batches left 'sending' or 'sent' by a crash: confirm what the chain already has, requeue the rest. */
  async function recover(): Promise<number> {
    const stale = await db.query<{ batch_id: Hex; kind: string; tx_hash: Hex | null }>(
      `SELECT batch_id, kind, tx_hash FROM chain_batches WHERE status IN ('sending', 'sent') AND created_at < now() - interval '2 seconds'`,
    )
    for (const batch of stale) {
      const items = await db.query<OutboxItem>(`SELECT id::text, kind, key, payload FROM outbox WHERE batch_id = $1 AND status = 'sent'`, [batch.batch_id])
      if (batch.tx_hash) {
        const receipt = await chain.publicClient.getTransactionReceipt({ hash: batch.tx_hash }).catch(() => undefined)
        if (receipt?.status === 'success') {
          await db.query(`UPDATE chain_batches SET status = 'confirmed', confirmed_at = now() WHERE batch_id = $1`, [batch.batch_id])
          await confirmItems(items, batch.tx_hash, batch.batch_id)
          continue
        }
      }
      const done: OutboxItem[] = []
      const todo: OutboxItem[] = []
      for (const item of items) (await alreadyDone(item, batch.batch_id) ? done : todo).push(item)
      if (done.length) await confirmItems(done, batch.tx_hash, batch.batch_id)
      await db.query(`UPDATE chain_batches SET status = $2 WHERE batch_id = $1`, [batch.batch_id, todo.length ? 'abandoned' : 'confirmed'])
      // Requeued items form a new batch (a settlement gets a new batch id; its old records stay unanchored).
      if (todo.length) await db.query(`UPDATE outbox SET status = 'pending', updated_at = now() WHERE id = ANY($1::bigint[])`, [todo.map((i) => i.id)])
      log.warn({ batchId: batch.batch_id, confirmed: done.length, requeued: todo.length }, 'recovered an unfinished batch')
    }
    return stale.length
  }

  async function alreadyDone(item: OutboxItem, batchId?: Hex): Promise<boolean> {
    const task = await escrow.read.getTask([item.payload.chain_task_id])
    if (item.kind === 'settle') {
      if (batchId && (await escrow.read.batchRoot([batchId])) !== `0x${'0'.repeat(64)}`) return true
      return task.status === TASK_STATUS.Settled
    }
    if (item.kind === 'refund') return task.status === TASK_STATUS.Refunded
    if (item.kind === 'freeze') return task.status === TASK_STATUS.Frozen
    if (item.kind === 'unfreeze') return task.status === TASK_STATUS.Open && !(await hasPending(item, 'freeze'))
    return Number(task.status) !== TASK_STATUS.None
  }

  /** A settlement of a task frozen by a dispute stays queued until the dispute is resolved; an unfreeze waits for its freeze. */
  async function mustWait(item: OutboxItem): Promise<boolean> {
    if (item.kind === 'unfreeze') return hasPending(item, 'freeze')
    if (item.kind !== 'settle') return false
    const task = await escrow.read.getTask([item.payload.chain_task_id])
    return task.status === TASK_STATUS.Frozen
  }

  async function hasPending(item: OutboxItem, kind: string) {
    const [row] = await db.query(`SELECT 1 FROM outbox WHERE kind = $1 AND payload->>'task_id' = $2 AND status IN ('pending', 'sent')`, [kind, item.payload.task_id])
    return Boolean(row)
  }

  async function confirmItems(items: OutboxItem[], txHash: Hex | null, batchId: Hex | null) {
    for (const item of items) {
      const taskId = item.payload.task_id as string
      await db.transaction(async (tx) => {
        await tx.query(`UPDATE outbox SET status = 'confirmed', updated_at = now() WHERE id = $1`, [item.id])
        if (item.kind === 'create_signed' || item.kind === 'create_allowance') {
          await tx.query(`UPDATE tasks SET escrow_state = 'locked', escrow_tx = $2, updated_at = now() WHERE id = $1 AND escrow_state = 'awaiting'`, [taskId, txHash])
          await orchestrator.activate(tx, taskId)
        } else if (item.kind === 'settle') {
          // A partial settlement (one approved assignment) pays; only the closing one completes the task.
          if (item.payload.close) await tx.query(`UPDATE tasks SET status = 'completed', escrow_state = 'released', completed_at = now(), updated_at = now() WHERE id = $1`, [taskId])
          const paid = (item.payload.assignment_ids ?? []) as string[]
          if (paid.length) await tx.query(`UPDATE assignments SET payment_state = 'paid', payment_tx = $2 WHERE id = ANY($1::uuid[])`, [paid, txHash])
          if (batchId) await tx.query(`UPDATE chain_batches SET tx_hash = coalesce(tx_hash, $2) WHERE batch_id = $1`, [batchId, txHash])
        } else if (item.kind === 'refund') {
          await tx.query(`UPDATE tasks SET escrow_state = 'refunded', updated_at = now() WHERE id = $1`, [taskId])
        }
      })
      if (item.kind.startsWith('create')) {
        events.publish(`task:${taskId}`, { type: 'TASK_SUBMIT', taskId, status: 'pending' })
        events.publish('workers', { type: 'JOB_OFFER', kinds: [], count: 1 })
      } else if (item.kind === 'settle' || item.kind === 'refund') {
        const status = item.kind === 'refund' ? 'failed' : item.payload.close ? 'completed' : 'in_progress'
        events.publish(`task:${taskId}`, { type: 'TASK_REWARD', taskId, status, txHash, batchId })
      }
    }
  }

  async function rejectItem(item: OutboxItem, reason: string) {
    const taskId = item.payload.task_id as string
    log.warn({ key: item.key, reason }, 'outbox item refused by the chain')
    await db.transaction(async (tx) => {
      await tx.query(`UPDATE outbox SET status = 'failed', last_error = $2, updated_at = now() WHERE id = $1`, [item.id, reason])
      if (item.kind.startsWith('create')) {
        await tx.query(`UPDATE tasks SET status = 'failed', escrow_state = 'rejected', failure_reason = $2, updated_at = now() WHERE id = $1`, [taskId, `escrow refused: ${reason}`])
        await tx.query(`UPDATE jobs SET status = 'cancelled' WHERE task_id = $1`, [taskId])
      }
    })
    events.publish(`task:${taskId}`, { type: 'TASK_PROGRESS', taskId, status: 'failed', jobsDone: 0, jobsTotal: 0, message: reason })
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

function bigintJson(_key: string, value: unknown) {
  return typeof value === 'bigint' ? value.toString() : value
}

function reviveBatch(b: any) {
  return {
    batchId: b.batchId as Hex,
    jobsRoot: b.jobsRoot as Hex,
    accounts: b.accounts as Address[],
    tasks: (b.tasks as any[]).map((t) => ({ taskId: t.taskId as Hex, terms: BigInt(t.terms), shares: (t.shares as string[]).map(BigInt) })),
  }
}
