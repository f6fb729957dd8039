import { type ManualPayload, distanceMeters, withinPlace } from '@taskmarket/core'
import { useState } from 'react'
import { PinIcon } from '../../../components/icons.tsx'
import { type Stamp, currentPosition, formatDistance, mapLink } from '../../../lib/geolocation.ts'

type Props = {
  place: ManualPayload['place']
  stamp?: Stamp
  onStamp: (stamp: Stamp) => void
  error?: string
  setError: (message: string | undefined) => void
}

/** Stamps where the worker is (GPS), and how far that is from the task's place. */
export function LocationProof({ place, stamp, onStamp, error, setError }: Props) {
  const [busy, setBusy] = useState(false)
  const take = async () => {
    setBusy(true)
    setError(undefined)
    try {
      onStamp(await currentPosition())
    } catch (e) {
      setError((e as Error).message)
    } finally {
      setBusy(false)
    }
  }
  const distance = stamp && place ? distanceMeters(place, stamp) : undefined
  const inside = stamp && place ? withinPlace(place, stamp) : undefined
  return (
    <div className={`proof${error ? ' field-invalid' : ''}`}>
      <div className="proof-head">
        <h3>Location</h3>
        {stamp && <span className="proof-done">✓ Stamped</span>}
      </div>
      {stamp && (
        <div className="stamp" data-testid="location-stamp">
          <a href={mapLink(stamp.latitude, stamp.longitude)} target="_blank" rel="noreferrer">
            {stamp.latitude.toFixed(5)}, {stamp.longitude.toFixed(5)}
          </a>{' '}
          <span className="muted">±{formatDistance(stamp.accuracy_m)}</span>
          {distance !== undefined && (
            <p className={`stamp-distance ${inside ? 'pos' : 'neg'}`} data-testid="location-distance">
              {formatDistance(distance)} from the place · {inside ? 'inside' : 'outside'} the {formatDistance(place!.radius_m)} radius
            </p>
          )}
        </div>
      )}
      <button
        id="location"
        type="button"
        className={`btn ${stamp ? 'btn-ghost' : 'btn-secondary'} btn-block`}
        disabled={busy}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? 'location-error' : undefined}
        onClick={() => void take()}
      >
        {!stamp && !busy && <PinIcon />}
        {busy ? 'Finding you…' : stamp ? 'Stamp again' : 'Stamp my location'}
      </button>
      {error && (
        <p className="field-error" id="location-error" role="alert">
          {error}
        </p>
      )}
    </div>
  )
}
