import { type JobRecordView, jobRecordLeaf, verifyMerkleProof } from '@taskmarket/core'
import type { Hex } from 'viem'
import { shortHex } from './format.ts'

/** What checking a job record in the browser found: its leaf rebuilt from its fields, and its proof. */
export type RecordCheck = { leafOk: boolean; proofOk: boolean }

/**
 * Checks a job record in the browser: its leaf is recomputed from its fields (task, job, worker, result,
 * verdict) and the Merkle proof must lead from that leaf to the batch's jobs root.
 */
export function checkRecord(r: JobRecordView, chainTaskId: Hex): RecordCheck {
  const leaf = jobRecordLeaf({ taskId: chainTaskId, jobId: r.chain_job_id, worker: r.worker, resultHash: r.result_hash, verdict: r.verdict })
  return { leafOk: leaf.toLowerCase() === r.leaf.toLowerCase(), proofOk: verifyMerkleProof(r.jobs_root, r.leaf, r.proof) }
}

/**
 * The escrow's root for the record's batch: read (`root`), not readable here (no chain reader: the root the
 * market lists is all there is), or asked and not answered.
 */
export type ChainRoot = { status: 'read'; root: Hex } | { status: 'unavailable' } | { status: 'failed' }

const ZERO_ROOT = `0x${'0'.repeat(64)}`

/**
 * A record's check in words, as a row shows it; `ok` only when everything that could be checked held.
 * @example describeCheck(record, { leafOk: true, proofOk: true }, { status: 'unavailable' }).text // 'Proof checks against root 0x12ab…cdef, the root the market lists'
 */
export function describeCheck(r: Pick<JobRecordView, 'jobs_root'>, check: RecordCheck, chain: ChainRoot): { ok: boolean; text: string } {
  const root = shortHex(r.jobs_root, 6, 4)
  if (!check.leafOk) return { ok: false, text: 'The record’s fields do not hash to its leaf' }
  if (!check.proofOk) return { ok: false, text: `The proof does not lead to root ${root}` }
  const checked = `Proof checks against root ${root}`
  if (chain.status === 'unavailable') return { ok: true, text: `${checked}, the root the market lists` }
  if (chain.status === 'failed') return { ok: true, text: `${checked}; the chain could not be read to compare it` }
  if (chain.root.toLowerCase() === r.jobs_root.toLowerCase()) return { ok: true, text: `${checked}, anchored on chain` }
  if (chain.root === ZERO_ROOT) return { ok: false, text: `${checked}, but the escrow holds no root for this batch` }
  return { ok: false, text: `${checked}, but the escrow anchored ${shortHex(chain.root, 6, 4)} for this batch` }
}

/**
 * Checks a record in the browser and, given `readRoot` (the escrow's root of a batch), its root against the
 * chain; the outcome in words.
 * @example await verifyRecord(record, record.chain_task_id, (batch) => readBatchRoot(reader, config, batch))
 */
export async function verifyRecord(r: JobRecordView, chainTaskId: Hex, readRoot?: (batchId: Hex) => Promise<Hex>): Promise<{ ok: boolean; text: string }> {
  const check = checkRecord(r, chainTaskId)
  const chain: ChainRoot =
    readRoot && check.leafOk && check.proofOk ? await readRoot(r.batch_id).then((root): ChainRoot => ({ status: 'read', root }), (): ChainRoot => ({ status: 'failed' })) : { status: 'unavailable' }
  return describeCheck(r, check, chain)
}
