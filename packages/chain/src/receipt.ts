import type { Hash, PublicClient, TransactionReceipt } from 'viem'

export type AwaitReceiptParameters = {
  hash: Hash
  /** Gives up after this long with the transaction still pending. */
  timeoutMs?: number
  /** The client's own polling interval when omitted. */
  pollingIntervalMs?: number
  /** The node must have forgotten the transaction this many polls in a row before it counts as dropped. */
  missesToDrop?: number
}

/** The node no longer knows a transaction it accepted (evicted, or made invalid before it was mined): it will never have a receipt. */
export class TransactionDroppedError extends Error {
  constructor(readonly hash: Hash) {
    super(`transaction ${hash} was dropped by the node before it was mined`)
    this.name = 'TransactionDroppedError'
  }
}

/**
 * Waits for a transaction's receipt, and stops early when the node has dropped the transaction: a sender
 * that waited out the whole timeout for a transaction that can never be mined would hold up everything behind
 * it (viem's `waitForTransactionReceipt` waits the full timeout for a dropped one).
 */
export async function awaitReceipt(client: PublicClient, { hash, timeoutMs = 60_000, pollingIntervalMs = client.pollingInterval, missesToDrop = 3 }: AwaitReceiptParameters): Promise<TransactionReceipt> {
  const end = Date.now() + timeoutMs
  let misses = 0
  for (;;) {
    const receipt = await client.getTransactionReceipt({ hash }).catch(() => undefined)
    if (receipt) return receipt
    const known = await client.getTransaction({ hash }).then(() => true, () => false)
    misses = known ? 0 : misses + 1
    // A receipt may land between the two reads: look once more before calling it dropped.
    if (misses >= missesToDrop) {
      const late = await client.getTransactionReceipt({ hash }).catch(() => undefined)
      if (late) return late
      throw new TransactionDroppedError(hash)
    }
    if (Date.now() >= end) throw new Error(`no receipt for transaction ${hash} after ${Math.round(timeoutMs / 1000)} s`)
    await new Promise((resolve) => setTimeout(resolve, pollingIntervalMs))
  }
}
