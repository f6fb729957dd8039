import { buildMerkleTree, jobRecordLeaf } from '@taskmarket/core'
import type { NodeRecords } from '@taskmarket/sdk'
import type { Address, Hex } from 'viem'

/** 32 bytes of one repeated byte: `hex32('ab')` is 0xabab…ab. */
export const hex32 = (byte: string) => `0x${byte.repeat(32)}` as Hex

export const WORKER: Address = '0x00000000000000000000000000000000000000aa'
export const TASK_ID = '0b7c3c1e-1111-4222-8333-444455556666'
export const CHAIN_TASK_ID = hex32('11')

/**
 * `count` job records of one task by WORKER, settled in one batch, each with its Merkle proof against the
 * batch's root, as GET /nodes/{address}/records lists them; every third one rejected.
 */
export function jobRecordBatch(count: number): NodeRecords['records'] {
  const fields = Array.from({ length: count }, (_, i) => ({ taskId: CHAIN_TASK_ID, jobId: hex32(`2${i}`), worker: WORKER, resultHash: hex32(`3${i}`), verdict: i % 3 === 2 ? 2 : 1 }))
  const leaves = fields.map(jobRecordLeaf)
  const tree = buildMerkleTree(leaves)
  return fields.map((f, i) => ({
    batch_id: hex32('44'),
    leaf: leaves[i]!,
    task_id: TASK_ID,
    chain_task_id: f.taskId,
    job_id: `00000000-0000-4000-8000-00000000000${i}`,
    chain_job_id: f.jobId,
    worker: WORKER,
    result_hash: f.resultHash,
    verdict: f.verdict,
    proof: tree.proof(leaves[i]!),
    jobs_root: tree.root,
    tx_hash: hex32('55'),
    batch_status: 'confirmed',
  }))
}
