import { type ProofKind, proofKinds } from '@taskmarket/core'
import { useState } from 'react'
import { Field } from '../../components/Field.tsx'
import { PinIcon } from '../../components/icons.tsx'
import { currentPosition } from '../../lib/geolocation.ts'
import { type ManualFormValues, manualBounds } from '../../lib/humanForm.ts'
import type { FormErrors } from '../../lib/taskForm.ts'
import { ListEditor } from './ListEditor.tsx'

type Props = { values: ManualFormValues; errors: FormErrors; set: (patch: Partial<ManualFormValues>) => void }

/** What each proof asks of the worker, as the poster picks them. */
export const proofNames: Record<ProofKind, { name: string; text: string }> = {
  photo: { name: 'Photo', text: 'taken with the phone’s camera' },
  location: { name: 'Location stamp', text: 'where the worker was, checked against the place' },
  signature: { name: 'Signature', text: 'drawn on the screen, e.g. by the recipient' },
  text: { name: 'Text note', text: 'a few words from the worker' },
  checklist: { name: 'Checklist', text: 'items the worker ticks off' },
}

const range = (b: { min?: number; max?: number }, unit = '') => `${b.min?.toLocaleString()}–${b.max?.toLocaleString()}${unit}`

/** The fields of a manual task: what to do, where, the proofs to ask for, and how many people. */
export function ManualFields({ values: v, errors, set }: Props) {
  const toggleProof = (kind: ProofKind, on: boolean) => set({ proofs: proofKinds.filter((k) => (k === kind ? on : v.proofs.includes(k))) })
  return (
    <>
      <Field id="payload.title" label="Title" error={errors['payload.title']} hint="Short and concrete, e.g. “Deliver a parcel to the town hall”">
        <input value={v.title} maxLength={120} onChange={(e) => set({ title: e.target.value })} />
      </Field>
      <Field id="payload.description" label="What to do" error={errors['payload.description']} hint="Everything the worker needs to know; they see it before claiming">
        <textarea rows={4} value={v.description} onChange={(e) => set({ description: e.target.value })} />
      </Field>

      <fieldset className="fieldset">
        <legend>Proofs the worker must send</legend>
        <div className="check-grid">
          {proofKinds.map((kind, i) => (
            <label key={kind} className="check-card">
              <input
                type="checkbox"
                id={i === 0 ? 'payload.proofs' : undefined}
                aria-invalid={i === 0 && errors['payload.proofs'] ? true : undefined}
                checked={v.proofs.includes(kind)}
                onChange={(e) => toggleProof(kind, e.target.checked)}
              />
              <span>
                <strong>{proofNames[kind].name}</strong>
                <span className="check-card-text">{proofNames[kind].text}</span>
              </span>
            </label>
          ))}
        </div>
        {errors['payload.proofs'] && (
          <p className="field-error" id="payload.proofs-error" role="alert">
            {errors['payload.proofs']}
          </p>
        )}
      </fieldset>
      {v.proofs.includes('checklist') && (
        <ListEditor id="payload.checklist" label="Checklist" items={v.checklist} errors={errors} min={1} max={20} addLabel="Add an item" itemLabel={(i) => `Item ${i + 1}`} onChange={(checklist) => set({ checklist })} />
      )}

      <PlaceFields values={v} errors={errors} set={set} />

      <div className="row-3">
        <Field id="payload.assignments" label="Assignments" error={errors['payload.assignments']} hint={`How many people may do it (${range(manualBounds.assignments)})`}>
          <input inputMode="numeric" value={v.assignments} onChange={(e) => set({ assignments: e.target.value })} />
        </Field>
        <Field id="payload.assignment_minutes" label="Time to do it (min)" error={errors['payload.assignment_minutes']} hint="After claiming; then the slot is freed">
          <input inputMode="numeric" value={v.assignmentMinutes} onChange={(e) => set({ assignmentMinutes: e.target.value })} />
        </Field>
        <Field id="payload.auto_approve_hours" label="Review time (h)" error={errors['payload.auto_approve_hours']} hint="Unreviewed work is approved after it">
          <input inputMode="numeric" value={v.autoApproveHours} onChange={(e) => set({ autoApproveHours: e.target.value })} />
        </Field>
      </div>
    </>
  )
}

/** An optional place: coordinates typed or taken from this device, a radius and a label. */
function PlaceFields({ values: v, errors, set }: Props) {
  const [locating, setLocating] = useState(false)
  const [locateError, setLocateError] = useState<string>()
  const useMyLocation = async () => {
    setLocating(true)
    setLocateError(undefined)
    try {
      const here = await currentPosition()
      set({ latitude: here.latitude.toFixed(6), longitude: here.longitude.toFixed(6) })
    } catch (e) {
      setLocateError((e as Error).message)
    } finally {
      setLocating(false)
    }
  }
  return (
    <fieldset className="fieldset">
      <legend>Place</legend>
      <label className="check check-inline">
        <input type="checkbox" checked={v.placeOn} onChange={(e) => set({ placeOn: e.target.checked })} /> The work happens at a place
      </label>
      {v.placeOn && (
        <div className="place-fields">
          <Field id="payload.place.label" label="Address or landmark" error={errors['payload.place.label']} hint="Optional; shown to workers">
            <input value={v.label} onChange={(e) => set({ label: e.target.value })} />
          </Field>
          <div className="row-2">
            <Field id="payload.place.latitude" label="Latitude" error={errors['payload.place.latitude']}>
              <input inputMode="decimal" value={v.latitude} placeholder="52.520008" onChange={(e) => set({ latitude: e.target.value })} />
            </Field>
            <Field id="payload.place.longitude" label="Longitude" error={errors['payload.place.longitude']}>
              <input inputMode="decimal" value={v.longitude} placeholder="13.404954" onChange={(e) => set({ longitude: e.target.value })} />
            </Field>
          </div>
          <button type="button" className="btn btn-ghost btn-small" disabled={locating} onClick={() => void useMyLocation()}>
            <PinIcon size={16} /> {locating ? 'Finding you…' : 'Use my location'}
          </button>
          {locateError && (
            <p className="field-error" role="alert">
              {locateError}
            </p>
          )}
          <Field id="payload.place.radius_m" label="Radius (m)" error={errors['payload.place.radius_m']} hint="How far from the point a worker’s location stamp may be">
            <input inputMode="numeric" value={v.radius} onChange={(e) => set({ radius: e.target.value })} />
          </Field>
        </div>
      )}
    </fieldset>
  )
}
