import { type Address, type Hex, keccak256, toHex } from 'viem'
import { type ReputationInput, encodeReputations, encodeTaskSettlement } from '@taskmarket/chain'
import { buildMerkleTree, jobRecordLeaf } from '@taskmarket/core'

/**
 * A settle batch paying each task `amount` in full to `replicas` workers drawn in turn from `workers`, with
 * the Merkle root of its job records and the reputations given (none by default); `tag` names the batch (its
 * id and job ids derive from it).
 */
export function settleBatch(
  tag: string,
  workers: Address[],
  taskIds: Hex[],
  amount: bigint,
  replicas: number,
  { reputations = [] }: { reputations?: ReputationInput[] } = {},
) {
  const records = taskIds.flatMap((taskId, i) =>
    Array.from({ length: replicas }, (_, j) => ({
      taskId,
      jobId: keccak256(toHex(`${tag} job ${i}/${j}`)),
      worker: workers[(i * replicas + j) % workers.length],
      resultHash: keccak256(toHex(`${tag} result ${i}`)),
      verdict: 1,
    })),
  )
  const index = new Map(workers.map((w, i) => [w, i]))
  return {
    batchId: keccak256(toHex(`batch ${tag}`)),
    jobsRoot: buildMerkleTree(records.map(jobRecordLeaf)).root,
    accounts: workers,
    tasks: taskIds.map((taskId, i) =>
      encodeTaskSettlement({
        taskId,
        amount,
        close: true,
        workers: records
          .slice(i * replicas, (i + 1) * replicas)
          .map((r) => ({ account: index.get(r.worker) ?? 0, weight: 1 })),
        validators: [],
      }),
    ),
    reputations: encodeReputations(reputations, workers.length),
    slashes: [] as bigint[],
  }
}
