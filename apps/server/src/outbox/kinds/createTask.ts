import { TaskStatus } from '@taskmarket/chain'
import { type AdaptiveParams, formatTokens } from '@taskmarket/core'
import { openJobs } from '../../operations/jobs/activate.ts'
import { invitePollRespondents } from '../../operations/polls/invite.ts'
import { moveJobs, moveTasks } from '../../operations/status.ts'
import type { Tx } from '../../operations/tx.ts'
import type { ChainService } from '../../services/chain.ts'
import type { Eligibility } from '../../services/eligibility.ts'
import type { CreatePayload } from '../items.ts'
import { type ChainVerdict, type Confirmation, defineOutboxKind } from './kind.ts'

const terms = (p: CreatePayload) => ({ taskId: p.chain_task_id, amount: BigInt(p.amount), deadline: Number(p.deadline), feeScheme: Number(p.fee_scheme) })

type CreateItem = { payload: CreatePayload }

export type CreateTaskKindsOptions = { eligibility: Eligibility; offerWindowSeconds?: number; adaptive?: AdaptiveParams }

/**
 * Creating tasks in escrow, by the operator's allowance or by the posters' signed orders. Confirmation
 * opens the task's jobs (to the best-ranked online nodes first, for `offerWindowSeconds`) and, for a poll drawn
 * at random, invites its people (`eligibility` says who qualifies).
 */
export function createTaskKinds({ eligibility, offerWindowSeconds = 0, adaptive }: CreateTaskKindsOptions) {
  const creation = {
    batched: true,
    /**
     * Done only when the escrow holds that task with exactly its amount, deadline and fee scheme: an id the
     * poster created directly, with other terms, is a mismatch.
     */
    async alreadyDone(chain: ChainService, { payload: p }: CreateItem): Promise<ChainVerdict> {
      const task = await chain.contracts.escrow.read.getTask([p.chain_task_id])
      const status = Number(task.status)
      if (status === TaskStatus.None) return { state: 'not_done' }
      const wanted = BigInt(p.amount)
      if (status !== TaskStatus.Open || task.locked !== wanted || Number(task.deadline) !== Number(p.deadline) || Number(task.feeScheme) !== Number(p.fee_scheme)) {
        return {
          state: 'mismatch',
          reason: `the escrow on chain for ${p.chain_task_id} does not match the task: it holds ${formatTokens(task.locked)} (status ${status}, deadline ${task.deadline}, fee scheme ${task.feeScheme}); the task needs ${formatTokens(wanted)} (deadline ${p.deadline}, fee scheme ${p.fee_scheme})`,
        }
      }
      return { state: 'done' }
    },
    async onConfirmed(tx: Tx, { payload }: CreateItem, { txHash }: Confirmation) {
      const taskId = payload.task_id
      await tx.query(`UPDATE tasks SET escrow_state = 'locked', escrow_tx = $2, updated_at = now() WHERE id = $1 AND escrow_state = 'awaiting'`, [taskId, txHash])
      await openJobs(tx, { taskId, offerWindowSeconds, adaptive })
      await invitePollRespondents(tx, { taskId, eligibility })
      tx.publish(`task:${taskId}`, { type: 'TASK_SUBMIT', taskId, status: 'pending' })
      tx.publish('workers', { type: 'JOB_OFFER', kinds: [], count: 1 })
    },
    async onRejected(tx: Tx, { payload }: CreateItem, reason: string) {
      await moveTasks(tx, { ids: [payload.task_id], to: 'failed', escrowState: 'rejected', failureReason: `escrow refused: ${reason}` })
      await moveJobs(tx, { taskIds: [payload.task_id], from: ['waiting', 'open'], to: 'cancelled' })
    },
  }
  return {
    create_signed: defineOutboxKind<'create_signed'>({
      ...creation,
      args: (items) => ({
        functionName: 'createTasksFor',
        args: [items.map((i) => ({ ...terms(i.payload), nonce: BigInt(i.payload.nonce), expiry: Number(i.payload.expiry) })), items.map((i) => i.payload.signature)],
      }),
    }),
    create_allowance: defineOutboxKind<'create_allowance'>({
      ...creation,
      args: (items) => ({ functionName: 'createTasksFromAllowance', args: [items.map((i) => terms(i.payload))] }),
    }),
  }
}
