import type { Queryable } from '@taskmarket/db'
import type { Hex } from 'viem'
import type { Tx } from '../../operations/tx.ts'
import type { ChainService } from '../../services/chain.ts'
import type { OutboxItem, OutboxKind } from '../items.ts'

/** What the chain says of an item: done, not done, or done differently (an attack or a bug). */
export type ChainVerdict = { state: 'done' } | { state: 'not_done' } | { state: 'mismatch'; reason: string }

/** The escrow function and arguments that carry a set of items of one kind. */
export type EscrowCall = { functionName: string; args: readonly unknown[] }

/** How an item came to be confirmed: the transaction and batch that carried it, when this server knows them. */
export type Confirmation = { txHash: Hex | null; batchId: Hex | null }

/**
 * Everything the relayer needs to know of one kind of chain call. The relayer stages, sends, confirms and
 * recovers; what a kind calls, how to tell it is already done, and what its confirmation or refusal changes
 * in the market live in the kind's own file.
 */
export type OutboxKindHandler<K extends OutboxKind> = {
  /** Many items in one call (creations, settlements), or one call per item. */
  batched: boolean
  /** The escrow call for these items under `batchId`. */
  args(items: OutboxItem<K>[], batchId: Hex): EscrowCall
  /** Runs the call without sending it; throws what the chain would answer. */
  simulate(chain: ChainService, items: OutboxItem<K>[], batchId: Hex): Promise<void>
  /** Whether the chain already holds the item's effect, so a resend is harmless and a refusal is no failure. */
  alreadyDone(chain: ChainService, item: OutboxItem<K>): Promise<ChainVerdict>
  /** SQL condition on the outbox row `o` under which it is not taken yet (it waits for something else). */
  waitsWhile?: string
  /** Whether an item the chain refuses now must wait (e.g. for a dispute to end) rather than fail. */
  mustWait?(db: Queryable, chain: ChainService, item: OutboxItem<K>): Promise<boolean>
  /** Records what goes with a staged batch, in the staging transaction. */
  onStaged?(tx: Queryable, batchId: Hex, items: OutboxItem<K>[]): Promise<void>
  /** Applies a confirmed item to the market, once. */
  onConfirmed(tx: Tx, item: OutboxItem<K>, confirmation: Confirmation): Promise<void>
  /** Applies the chain's final refusal of an item. */
  onRejected(tx: Tx, item: OutboxItem<K>, reason: string): Promise<void>
}

/** A kind's handler, its `simulate` run through the escrow with its own `args`. */
export function defineOutboxKind<K extends OutboxKind>(handler: Omit<OutboxKindHandler<K>, 'simulate'>): OutboxKindHandler<K> {
  return {
    ...handler,
    async simulate(chain, items, batchId) {
      const { escrow } = chain.contracts
      await chain.publicClient.simulateContract({ address: escrow.address, abi: escrow.abi, ...handler.args(items, batchId), account: chain.operator } as never)
    },
  }
}

/** The escrow's status of a task, as a number of the generated `TaskStatus`. */
export async function escrowStatus(chain: ChainService, chainTaskId: Hex): Promise<number> {
  return Number((await chain.contracts.escrow.read.getTask([chainTaskId])).status)
}
