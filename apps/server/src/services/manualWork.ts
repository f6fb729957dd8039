import { type SubmitWorkBody, TaskMarketError, invalid, sniffImageType, stripImageMetadata } from '@taskmarket/core'
import type { Address } from 'viem'
import type { Reviewer } from '../operations/manual/assignments.ts'
import { claimSlot } from '../operations/manual/claim.ts'
import { type ProofKind, proofTarget, recordProof } from '../operations/manual/proofs.ts'
import { releaseSlot } from '../operations/manual/release.ts'
import { approveWork, disputeWork, rejectWork, resolveDispute } from '../operations/manual/review.ts'
import { submitWork } from '../operations/manual/submit.ts'
import { approveOverdue, dueForSweep, finishIfOver } from '../operations/manual/sweep.ts'
import type { Transactor } from '../operations/tx.ts'
import type { BlobStore } from './blobStore.ts'
import type { Eligibility } from './eligibility.ts'

export { rowStatuses, viewStatus } from '../operations/manual/assignments.ts'

/** Largest photo or signature a worker may upload. */
export const MAX_PROOF_BYTES = 8 * 1024 * 1024

/**
 * Manual tasks (seed 000): a person claims a slot, uploads proofs, submits; the poster approves (the slot
 * is paid on its own), rejects (the slot goes back to the pool) or disputes (the task is frozen on chain
 * until an operator resolves it). Work left unreviewed past the task's delay is approved by `sweep`, which
 * also ends tasks whose lifetime is over. Each step is one operation in operations/manual.
 */
export function createManualWork({ transactor, blobs, eligibility }: { transactor: Transactor; blobs: BlobStore; eligibility: Eligibility }) {
  const { run, once } = transactor
  return {
    claim: (worker: Address, taskId: string) => run(claimSlot, { worker, taskId, eligibility }),
    /** Stores a photo or signature for a claimed assignment: JPEG or PNG only, metadata stripped. */
    async putProof(worker: Address, assignmentId: string, kind: ProofKind, bytes: Uint8Array) {
      await once((tx) => proofTarget(tx, { worker, assignmentId, kind }))
      if (bytes.length > MAX_PROOF_BYTES) throw new TaskMarketError('PAYLOAD_TOO_LARGE', `${kind}: ${megabytes(bytes.length)} is more than the ${megabytes(MAX_PROOF_BYTES)} limit`, { field: kind, details: { reason: `larger than ${MAX_PROOF_BYTES} bytes` } })
      const type = sniffImageType(bytes)
      if (!type) throw new TaskMarketError('UNSUPPORTED_MEDIA_TYPE', `${kind}: must be a JPEG or PNG image`, { field: kind, details: { reason: 'not a JPEG or PNG image' } })
      let clean: Uint8Array
      try {
        clean = stripImageMetadata(bytes)
      } catch (error) {
        throw invalid(kind, `is not a readable image (${(error as Error).message})`)
      }
      const stored = await blobs.putBuffer(clean, type, undefined, { uploader: worker, isPrivate: true })
      await run(recordProof, { worker, assignmentId, kind, proof: { sha256: stored.hash, content_type: type, size: stored.size } })
      return { kind, url: `/assignments/${assignmentId}/proofs/${kind}`, content_type: type, size: stored.size }
    },
    submit: (worker: Address, assignmentId: string, body: SubmitWorkBody) => run(submitWork, { worker, assignmentId, body }),
    release: (worker: Address, assignmentId: string) => run(releaseSlot, { worker, assignmentId }),
    approve: (reviewer: Reviewer, assignmentId: string, rating?: number) => run(approveWork, { reviewer, assignmentId, rating }),
    reject: (reviewer: Reviewer, assignmentId: string, reason: string) => run(rejectWork, { reviewer, assignmentId, reason }),
    dispute: (reviewer: Reviewer, assignmentId: string, reason: string) => run(disputeWork, { reviewer, assignmentId, reason }),
    resolve: (operator: Address, assignmentId: string, outcome: 'pay_worker' | 'reject' | 'misuse', note?: string, stake?: bigint) => run(resolveDispute, { operator, assignmentId, outcome, note, stake }),
    /** Approves overdue reviews and ends manual tasks whose lifetime is over; returns how many it looked at. */
    async sweep() {
      const due = await once(dueForSweep)
      for (const assignmentId of due.reviews) await run(approveOverdue, { assignmentId })
      for (const taskId of due.tasks) await run(finishIfOver, { taskId })
      return due.reviews.length + due.tasks.length
    },
  }
}

export type ManualWork = ReturnType<typeof createManualWork>

function megabytes(n: number) {
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}
