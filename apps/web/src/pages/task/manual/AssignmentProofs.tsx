import type { AssignmentView, ManualPayload } from '@taskmarket/core'
import { PinIcon } from '../../../components/icons.tsx'
import { formatBytes, formatDateTime } from '../../../lib/format.ts'
import { formatDistance, mapLink } from '../../../lib/geolocation.ts'

/** What a worker sent for an assignment: photo and signature images, location with its distance, note, checklist. */
export function AssignmentProofs({ assignment: a, payload: p }: { assignment: AssignmentView; payload: ManualPayload }) {
  const { photo, signature, location, text, checklist } = a.proofs
  if (!photo && !signature && !location && text === undefined && !checklist) return <p className="muted small">No proofs yet.</p>
  return (
    <div className="proofs">
      {photo && (
        <a className="proofs-photo" href={photo.url} target="_blank" rel="noreferrer">
          <img src={photo.url} alt={`Photo from the worker (${formatBytes(photo.size)})`} data-testid="review-photo" loading="lazy" />
        </a>
      )}
      {signature && <img className="proofs-signature" src={signature.url} alt="Signature" data-testid="review-signature" loading="lazy" />}
      {location && (
        <p className="small proofs-location">
          <PinIcon size={14} />{' '}
          <a href={mapLink(location.latitude, location.longitude)} target="_blank" rel="noreferrer">
            {location.latitude.toFixed(5)}, {location.longitude.toFixed(5)}
          </a>
          {location.accuracy_m !== null && <span className="muted"> ±{formatDistance(location.accuracy_m)}</span>}
          {location.distance_m !== null && (
            <span className={p.place && location.distance_m <= p.place.radius_m ? 'pos' : 'neg'} data-testid="review-distance">
              {' '}
              · {formatDistance(location.distance_m)} from the place
            </span>
          )}
          {location.taken_at !== null && <span className="muted"> · {formatDateTime(location.taken_at)}</span>}
        </p>
      )}
      {text !== undefined && <blockquote className="proofs-text">{text}</blockquote>}
      {checklist && (
        <ul className="proofs-checklist small">
          {checklist.map((done, i) => (
            <li key={i} className={done ? 'pos' : 'neg'}>
              {done ? '✓' : '✗'} {p.checklist?.[i] ?? `Item ${i + 1}`}
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}
