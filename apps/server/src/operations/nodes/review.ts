import { TaskMarketError } from '@taskmarket/core'
import type { Address } from 'viem'
import { clearReview } from '../../repositories/reviews.ts'
import type { Tx } from '../tx.ts'

export type ClearNodeReviewParameters = { worker: Address; by: Address }

/**
 * Clears a node's review for repeated failures (the operator's decision after looking at its record): it may
 * take work again, and its next review counts only the results after this one.
 */
export async function clearNodeReview(tx: Tx, { worker, by }: ClearNodeReviewParameters): Promise<void> {
  if (!(await clearReview(tx, worker, by, tx.now))) {
    throw new TaskMarketError('NOT_FOUND', `address: node ${worker} is not under review`, { field: 'address', details: { reason: 'no open review' } })
  }
}
