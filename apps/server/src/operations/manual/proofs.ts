import { type ManualPayload, invalid } from '@taskmarket/core'
import type { Address } from 'viem'
import type { Tx } from '../tx.ts'
import { publishAssignment, loadOwn } from './assignments.ts'

export type ProofKind = 'photo' | 'signature'
export type StoredProof = { sha256: string; content_type: string; size: number }

export type ProofTargetParameters = { worker: Address; assignmentId: string; kind: ProofKind }

/** Checks that `worker` may add a `kind` proof to the assignment now (their claim, in time, asked for). */
export async function proofTarget(tx: Tx, { worker, assignmentId, kind }: ProofTargetParameters): Promise<void> {
  const a = await loadOwn(tx, worker, assignmentId)
  const [task] = await tx.query<{ payload: ManualPayload }>('SELECT payload FROM tasks WHERE id = $1', [a.task_id])
  if (!task!.payload.proofs.includes(kind)) throw invalid('kind', `this task does not ask for a ${kind}`)
}

export type RecordProofParameters = ProofTargetParameters & { proof: StoredProof }

/** Records a stored proof image on the claimed assignment (the claim checked again, locked). */
export async function recordProof(tx: Tx, { worker, assignmentId, kind, proof }: RecordProofParameters): Promise<void> {
  const a = await loadOwn(tx, worker, assignmentId, { lock: true })
  const stamped = { ...proof, uploaded_at: Math.floor(tx.now.getTime() / 1000) }
  await tx.query(`UPDATE assignments SET answer = coalesce(answer, '{}') || jsonb_build_object($2::text, $3::jsonb) WHERE id = $1`, [assignmentId, kind, JSON.stringify(stamped)])
  publishAssignment(tx, a.task_id, assignmentId, 'claimed')
}
