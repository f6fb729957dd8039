import { type ManualPayload, type SubmitWorkBody, invalid } from '@taskmarket/core'
import { distanceMeters, withinPlace } from '@taskmarket/core'
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

/** Checks the submitted proofs against what the task asks for; returns the parts to keep. */
export function checkProofs(payload: ManualPayload, uploaded: Record<string, unknown>, body: SubmitWorkBody) {
  const missing = payload.proofs.filter((kind) => (kind === 'photo' || kind === 'signature' ? !uploaded[kind] : body[kind] === undefined))
  if (missing.length) throw invalid(missing[0]!, `required by this task (missing: ${missing.join(', ')})${missing.some((k) => k === 'photo' || k === 'signature') ? '; upload images before submitting' : ''}`)
  const kept: Record<string, unknown> = {}
  if (body.text !== undefined) kept.text = body.text
  if (body.checklist !== undefined) {
    const items = payload.checklist ?? []
    if (body.checklist.length !== items.length) throw invalid('checklist', `must have ${items.length} answers, one per item`)
    const unticked = body.checklist.findIndex((done) => !done)
    if (unticked >= 0) throw invalid(`checklist.${unticked}`, `"${items[unticked]}" is not ticked`)
    kept.checklist = body.checklist
  }
  if (body.location !== undefined) {
    const stamp = body.location
    let distance: number | null = null
    if (payload.place) {
      distance = Math.round(distanceMeters(payload.place, stamp))
      if (!withinPlace(payload.place, stamp)) throw invalid('location', `is ${formatDistance(distance)} from the task’s place; it must be within ${formatDistance(payload.place.radius_m)}`)
    }
    kept.location = { latitude: stamp.latitude, longitude: stamp.longitude, accuracy_m: stamp.accuracy_m ?? null, distance_m: distance, taken_at: stamp.taken_at ?? null }
  }
  return kept
}

function formatDistance(m: number) {
  return m >= 1000 ? `${(m / 1000).toFixed(1)} km` : `${m} m`
}
