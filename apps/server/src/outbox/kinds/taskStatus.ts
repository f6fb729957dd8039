import { TaskStatus } from '@taskmarket/chain'
import type { Hex } from 'viem'

import { type OutboxKindHandler, defineOutboxKind, escrowStatus } from './kind.ts'

type OneTaskKind = 'refund' | 'freeze' | 'unfreeze'

/** A call on one task that moves its escrow to `after` (done once the chain shows that status). */
function oneTaskCall<K extends OneTaskKind>(kind: K, after: number, rest: Pick<OutboxKindHandler<K>, 'onConfirmed' | 'mustWait'> & Partial<Pick<OutboxKindHandler<K>, 'onRejected'>>) {
  return defineOutboxKind<K>({
    batched: false,
    args: (items) => ({ functionName: kind, args: [items[0]!.payload.chain_task_id as Hex] }),
    alreadyDone: async (chain, item) => ((await escrowStatus(chain, item.payload.chain_task_id)) === after ? { state: 'done' } : { state: 'not_done' }),
    onRejected: async () => {},
    ...rest,
  })
}

/** Returns a failed task's reward to its poster. */
export const refund = oneTaskCall('refund', TaskStatus.Refunded, {
  async onConfirmed(tx, { payload: { task_id: taskId } }, { txHash, batchId }) {
    await tx.query(`UPDATE tasks SET escrow_state = 'refunded', updated_at = now() WHERE id = $1`, [taskId])
    tx.publish(`task:${taskId}`, { type: 'TASK_REWARD', taskId, status: 'failed', txHash, batchId })
  },
})

/** Freezes a disputed task's escrow until the dispute is resolved. */
export const freeze = oneTaskCall('freeze', TaskStatus.Frozen, { onConfirmed: async () => {} })

/** Unfreezes it once the dispute is resolved; waits for its freeze to be confirmed first. */
export const unfreeze = oneTaskCall('unfreeze', TaskStatus.Open, {
  onConfirmed: async () => {},
  async mustWait(db, _chain, item) {
    const [row] = await db.query(`SELECT 1 FROM outbox WHERE kind = 'freeze' AND payload->>'task_id' = $1 AND status NOT IN ('confirmed', 'failed')`, [item.payload.task_id])
    return Boolean(row)
  },
})

