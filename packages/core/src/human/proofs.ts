import type { ManualPayload, SubmitWorkBody } from '../api/human.ts'
import { invalid } from '../errors.ts'
import { distanceMeters, withinPlace } from './geo.ts'

/**
 * Checks submitted manual work against the proofs its task asks for (`uploaded`: the images already
 * stored); returns the parts to keep, the location with its distance from the task's place. Throws a 400
 * naming the first field that fails. The server checks with it on submit, the web app before sending.
 */
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
